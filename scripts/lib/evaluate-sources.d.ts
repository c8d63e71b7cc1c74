// Types for the parts of evaluate-sources.js that tests import.
export interface SourceLabel {
  file: string;
  line: number;
  kind: 'bug' | 'correct';
  shape: string;
  /** Lines where a report finds the bug: a number is a line of `file`, `{ file, line }` one of another linted file. */
  reportAt?: Array<number | { file: string; line: number }>;
  [key: string]: unknown;
}
export interface LintMessage {
  line: number;
  column: number;
  message: string;
}
export interface ReviewedFinding {
  project: string;
  file: string;
  line: number;
  verdict: 'false-positive' | 'true-positive';
  why: string;
}
export interface Scored {
  outcomes: Array<
    SourceLabel & {
      project: string;
      outcome: 'TP' | 'FP' | 'FN' | 'TN';
      foundThrough?: 'helper call';
      messages: string[];
    }
  >;
  unlabelled: Array<LintMessage & { project: string; file: string; verdict: string; why?: string }>;
  unlabelledSites: Array<LintMessage & { project: string; file: string }>;
}
/** The lines of `file` where a report finds the label: its `reportAt` entries in that file (default: its line). */
export function reportLines(label: SourceLabel, file: string): number[];
/** Scores one package's linted files together (a `reportAt` entry may name another of them). */
export function scoreFiles(input: {
  project: string;
  labels: SourceLabel[];
  results: Array<{ file: string; result: { reports: LintMessage[]; sites: LintMessage[] } }>;
  reviewed?: ReviewedFinding[];
}): Scored;
export function scoreFile(input: {
  project: string;
  file: string;
  labels: SourceLabel[];
  result: { reports: LintMessage[]; sites: LintMessage[] };
  reviewed?: ReviewedFinding[];
}): Scored;
export function evaluateSources(options: {
  plugin: unknown;
  settings?: unknown;
  log: (...a: unknown[]) => void;
}): Promise<unknown>;
export function printSources(output: unknown, log: (...a: unknown[]) => void): void;
export function sourcesMarkdown(output: unknown): string;
