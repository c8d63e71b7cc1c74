/**
 * The plan's source: jscodeshift's workers run the transform (`../../durable-write.ts`) dry, each
 * appending one JSON line per file to a report directory that this process reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileResult } from '../../engine.js';
import type { Options as RuleOptions } from '../../../src/options.js';
import { here, require, resolvePeer } from '../dependencies.js';

/** A worker's result: the file's text as the worker read it comes with each rewrite. */
export type WorkerResult = FileResult & { source?: string };

export interface WorkerOptions {
  readonly importSource?: string;
  /** Absolute path of the vendored copy. */
  readonly vendor?: string;
  readonly ruleOptions?: RuleOptions;
  readonly cpus?: number;
  /** Module path of the TypeScript parser (`typescript-parser.ts`). */
  readonly typescriptParser?: string;
}

/** Runs the transform in jscodeshift's workers, dry; one result per file, and the files with none. */
export async function runWorkers(
  files: readonly string[],
  options: WorkerOptions,
  cwd: string,
): Promise<{ results: Map<string, WorkerResult>; failed: string[] }> {
  const Runner = require(resolvePeer('jscodeshift/src/Runner.js', cwd)) as {
    run(
      transform: string,
      paths: readonly string[],
      options: Record<string, unknown>,
    ): Promise<{ error: number; ok: number; nochange: number; skip: number }>;
  };
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-'));
  const results = new Map<string, WorkerResult>();
  const readReports = (): void => {
    for (const name of fs.readdirSync(reportDir)) {
      for (const line of fs.readFileSync(path.join(reportDir, name), 'utf8').split('\n').filter(Boolean)) {
        const result = JSON.parse(line) as WorkerResult;
        results.set(result.path, result);
      }
    }
  };
  const started = Date.now();
  const progress = setInterval(() => {
    readReports();
    process.stderr.write(
      `durable-write: ${results.size}/${files.length} files parsed (${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
  }, 5000);
  // The Runner prints its per-file errors to stdout; stdout carries the diff, so send them to stderr.
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    const counts = await Runner.run(path.join(here, '..', 'durable-write.js'), files, {
      dry: true,
      babel: false,
      silent: true,
      verbose: 0,
      ...(options.cpus ? { cpus: options.cpus } : {}),
      runInBand: files.length < 20,
      reportDir,
      ...(options.importSource ? { importSource: options.importSource } : {}),
      ...(options.vendor ? { vendor: options.vendor } : {}),
      ...(options.ruleOptions ? { ruleOptions: JSON.stringify(options.ruleOptions) } : {}),
      ...(options.typescriptParser ? { typescriptParser: options.typescriptParser } : {}),
    });
    readReports();
    // FACTS: jscodeshift reports success even when a worker crashed on load: count for ourselves.
    const failed = files.filter((f) => !results.has(f));
    const counted = counts ? counts.error + counts.ok + counts.nochange + counts.skip : 0;
    if (counted !== files.length && failed.length === 0)
      failed.push(`(jscodeshift counted ${counted} of ${files.length} files)`);
    return { results, failed };
  } finally {
    process.stdout.write = stdoutWrite;
    clearInterval(progress);
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}
