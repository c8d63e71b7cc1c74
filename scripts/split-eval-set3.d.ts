// Types for the part of split-eval-set3.js that tests import.
export declare const set3Dir: string;
export declare function splitPackages(
  manifest: { packages: Array<{ name: string }>; labels: Array<{ package: string; kind: string; shape: string }> },
  seed: number,
): { dev: string[]; heldOut: string[] };
