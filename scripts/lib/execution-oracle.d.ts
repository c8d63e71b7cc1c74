// Types for execution-oracle.js, which tests import.
export type Lang = 'esm' | 'cjs' | 'ts';
export interface Scratch {
  readonly root: string;
  packageDir(lang: Lang): string;
  dispose(): void;
}
export interface EscapedError {
  kind: 'uncaught' | 'unhandled';
  name: string;
  code?: string;
  causeCode?: string;
}
export interface Run {
  status: number | string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  escaped: EscapedError[];
  files: Record<string, string>;
  unsyncedRenames?: number;
}
export type AllowedDifference = 'error-class' | 'output-order';
export function createScratch(prefix?: string): Scratch;
export function fileNameFor(lang: Lang): string;
export function runProgram(
  scratch: Scratch,
  program: {
    text: string;
    lang: Lang;
    setup?: (dataDir: string) => void;
    beside?: Record<string, string>;
    preload?: string;
    traced?: boolean;
    timeout?: number;
    env?: Record<string, string>;
  },
): Run;
export function allowedDifferences(summary: readonly string[]): Set<AllowedDifference>;
export function compareRuns(before: Run, after: Run, allowed?: ReadonlySet<AllowedDifference>): string[];
