// Types for the part of split-eval-set.js that tests import.
export declare function setDir(set: number): string;
export declare function splitPackages(
  manifest: { packages: Array<{ name: string }>; labels: Array<{ package: string; kind: string; shape: string }> },
  seed: number,
): { dev: string[]; heldOut: string[] };
