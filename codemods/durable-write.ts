/**
 * The jscodeshift transform: `npx jscodeshift --no-babel -t
 * node_modules/eslint-plugin-durable-write/dist/codemods/durable-write.js src/`.
 * Thin on purpose: `engine.ts` asks the detector for the sites and rewrites them as text edits;
 * this file adapts it to jscodeshift (options, `api.report`, counts) and checks that the result
 * still parses with the parser jscodeshift would pick for the file.
 *
 * Options: `--importSource=<spec>`, `--vendor=<file>` (import a vendored helper by relative path),
 * `--reportDir=<dir>` (one JSON line per file, read by the `durable-write` CLI),
 * `--typescriptParser=<module path>` (the CLI's choice of `@typescript-eslint/parser`).
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { rewriteSource, useTypescriptParser, type FileResult } from './engine.js';

/** FACTS: `babel` fails on TS syntax; `ts` for TypeScript files, `tsx` (a superset of JS) otherwise. */
export const parserFor = (file: string): 'ts' | 'tsx' => (/\.[cm]?ts$/.test(file) ? 'ts' : 'tsx');

function parses(api: API, file: string, text: string): boolean {
  try {
    api.jscodeshift.withParser(parserFor(file))(text);
    return true;
  } catch {
    return false;
  }
}

export function record(reportDir: string | undefined, result: FileResult, source: string): void {
  if (!reportDir) return;
  const line = { ...result, ...(result.output === undefined ? {} : { source }) };
  // One file per worker process: appends from different processes never interleave.
  appendFileSync(path.join(reportDir, `${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
}

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  const vendor = typeof options.vendor === 'string' ? path.resolve(options.vendor) : undefined;
  const ruleOptions = typeof options.ruleOptions === 'string' ? JSON.parse(options.ruleOptions) : options.ruleOptions;
  if (typeof options.typescriptParser === 'string') useTypescriptParser(options.typescriptParser);
  const result = rewriteSource(file.source, file.path, {
    ...(typeof options.importSource === 'string' ? { importSource: options.importSource } : {}),
    ...(vendor ? { vendor } : {}),
    ...(ruleOptions ? { ruleOptions } : {}),
  });
  if (result.output !== undefined && parses(api, file.path, file.source) && !parses(api, file.path, result.output)) {
    throw new Error(`the rewrite of ${file.path} does not parse with jscodeshift's ${parserFor(file.path)} parser`);
  }
  const reportDir = typeof options.reportDir === 'string' ? options.reportDir : undefined;
  record(reportDir, result, file.source);
  // Under the durable-write CLI (a report directory) the CLI prints each site once in its summary.
  const report = (message: string): void => void (reportDir ? undefined : api.report(message));
  if (result.status === 'unparsable') report(`skipped, cannot parse: ${result.reason}`);
  for (const site of result.sites) {
    if (site.status === 'review')
      report(`${site.line}:${site.column} ${site.rename}() left for review: ${site.reason}`);
    else api.stats(`rewritten (${site.shape})`);
  }
  if (result.status === 'skipped' || result.status === 'unparsable') return undefined;
  return result.output ?? file.source;
}
