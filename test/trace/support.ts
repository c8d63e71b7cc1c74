import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TraceFinding } from '../../src/trace/tracker.js';

export const repo = resolve(import.meta.dirname, '../..');
export const cli = join(repo, 'dist/codemods/cli.js');
export const register = join(repo, 'dist/src/trace/register.js');
export const helperEntry = join(repo, 'dist/src/durable/index.js');
export const programs = join(import.meta.dirname, 'programs');

/**
 * A scratch directory inside the repository (programs there resolve the repo's node_modules), with
 * `fresh()` for a new empty directory inside it per run.
 */
export function scratchDir(prefix: string): { dir: string; fresh: (name?: string) => string; remove: () => void } {
  const base = join(repo, '.scratch');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  let runs = 0;
  const fresh = (name = `run${(runs += 1)}`): string => {
    const inside = join(dir, name);
    mkdirSync(inside);
    return inside;
  };
  return { dir, fresh, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TracedRun {
  readonly status: number | null;
  readonly findings: TraceFinding[];
  /** Processes that started traced and ended without a report. */
  readonly unreported: { pid: number; argv: string[] }[];
  readonly stdout: string;
  readonly stderr: string;
  /** stderr before the tracer's text report, which comes last: what the command itself printed. */
  readonly programStderr: string;
}

/** `durable-write trace --format json --output … [options] -- <command…>`, run to completion. */
export function trace(
  command: readonly string[],
  options: { args?: string[]; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): TracedRun {
  const { dir, remove } = scratchDir('report');
  try {
    const output = join(dir, 'report.json');
    const run: SpawnSyncReturns<string> = spawnSync(
      process.execPath,
      [cli, 'trace', '--format', 'json', '--output', output, ...(options.args ?? []), '--', ...command],
      { encoding: 'utf8', cwd: options.cwd ?? repo, env: { ...process.env, ...options.env } },
    );
    let report: Pick<TracedRun, 'findings' | 'unreported'> = { findings: [], unreported: [] };
    try {
      report = JSON.parse(readFileSync(output, 'utf8')) as typeof report;
    } catch {
      // No report: the assertions on status and stderr tell why.
    }
    const reportAt = run.stderr.search(/^durable-write trace:/m);
    const programStderr = reportAt < 0 ? run.stderr : run.stderr.slice(0, reportAt);
    return { status: run.status, ...report, stdout: run.stdout, stderr: run.stderr, programStderr };
  } finally {
    remove();
  }
}

/** Base names of the renamed targets, sorted: which variants of a program were reported. */
export const renamedTargets = (findings: readonly TraceFinding[], rule = 'unsynced-rename'): string[] =>
  findings
    .filter((finding) => finding.rule === rule)
    .flatMap((finding) => finding.renames.map((rename) => rename.to.split('/').pop()!))
    .sort();

/** The source line a site points at. */
export const sourceLine = (site: { file: string; line: number } | undefined): string =>
  site ? (readFileSync(site.file, 'utf8').split('\n')[site.line - 1] ?? '') : '';
