// Types for the parts of evaluate-npm-set.js that tests import.
import type { Linter } from 'eslint';

export function checkPackageFiles(input: {
  dir: string;
  pkg: { name: string; files: string[]; sourceType: string };
  labels: Array<{
    package: string;
    file: string;
    line: number;
    code: string;
    reportAt?: Array<number | { file: string; line: number }>;
  }>;
  linter: Linter;
}): string[];

/** The npm sets evaluate.js runs: every test/evaluation/set<N>/ that holds a labels.json, in order. */
export const NPM_SETS: number[];

/** Prints a half's results; without `details`, misses, false positives and unlabelled reports are counted, not listed. */
export function printNpmSet(out: object, log: (line: string) => void, options?: { details?: boolean }): void;
