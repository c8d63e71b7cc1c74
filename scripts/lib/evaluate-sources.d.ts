// Types for the parts of evaluate-sources.js that tests import.
export interface SourceLabel {
  file: string;
  line: number;
  kind: 'bug' | 'correct';
  shape: string;
  reportAt?: number[];
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
export function scoreFile(input: {
  project: string;
  file: string;
  labels: SourceLabel[];
  result: { reports: LintMessage[]; sites: LintMessage[] };
  reviewed?: ReviewedFinding[];
}): {
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
};
export function evaluateSources(options: {
  plugin: unknown;
  settings?: unknown;
  log: (...a: unknown[]) => void;
}): Promise<unknown>;
export function printSources(output: unknown, log: (...a: unknown[]) => void): void;
export function sourcesMarkdown(output: unknown): string;
