// Types for the parts of evaluate-npm-set.js that tests import.
import type { Linter } from 'eslint';

export function checkPackageFiles(input: {
  dir: string;
  pkg: { name: string; files: string[]; sourceType: string };
  labels: Array<{ package: string; file: string; line: number; code: string }>;
  linter: Linter;
}): string[];
