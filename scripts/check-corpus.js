// `npm run check:corpus`: lints every JS/TS file of a large real tree with the rule and asserts that
// the rule never crashes. Unparsable files are counted and skipped (they are not the rule's fault).
// Work is split over worker threads, one per core. `--with-declarations` also lints `.d.ts` files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ensureCorpus, languageOptionsFor, listSourceFiles, root } from './lib/corpus.js';

if (isMainThread) {
  const started = performance.now();
  const corpus = ensureCorpus();
  const files = listSourceFiles([path.join(root, 'node_modules'), path.join(corpus, 'node_modules')], {
    declarations: process.argv.includes('--with-declarations'),
  });
  const workers = Math.max(1, Math.min(os.availableParallelism(), 4));
  const chunks = Array.from({ length: workers }, (_, i) => files.filter((_, j) => j % workers === i));
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: chunk });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const total = { files: 0, unparsable: 0, findings: [], crashes: [] };
  for (const r of results) {
    total.files += r.files;
    total.unparsable += r.unparsable;
    total.findings.push(...r.findings);
    total.crashes.push(...r.crashes);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const f of total.findings) console.log(`finding  ${path.relative(root, f.file)}:${f.line}:${f.column}  ${f.message}`);
  for (const c of total.crashes) console.log(`CRASH    ${path.relative(root, c.file)}\n${c.error}`);
  console.log(
    `\n${total.files} files linted (${total.unparsable} unparsable, skipped) with ${workers} workers in ${seconds.toFixed(1)} s: ` +
      `${total.findings.length} findings, ${total.crashes.length} rule crashes`,
  );
  if (total.files < 10_000) {
    console.error(`expected at least 10,000 files, found ${total.files}`);
    process.exitCode = 1;
  }
  if (total.crashes.length > 0) process.exitCode = 1;
} else {
  const { Linter } = await import('eslint');
  const tsParser = (await import('@typescript-eslint/parser')).default;
  const plugin = (await import('../dist/src/index.js')).default;
  const linter = new Linter({ configType: 'flat' });
  const out = { files: 0, unparsable: 0, findings: [], crashes: [] };
  const lint = (text, file, sourceType) =>
    linter.verify(text, [
      {
        files: ['**/*.{js,cjs,mjs,ts,mts,cts}'],
        languageOptions: languageOptionsFor(file, tsParser, sourceType),
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
        plugins: { 'durable-write': plugin },
        rules: { 'durable-write/no-unsynced-rename': 'error' },
      },
    // A neutral file name: flat config ignores anything under node_modules by default.
    ], `corpus${path.extname(file)}`);
  for (const file of workerData) {
    const text = fs.readFileSync(file, 'utf8');
    out.files++;
    try {
      let messages = lint(text, file);
      if (messages.some((m) => m.fatal) && file.endsWith('.js')) messages = lint(text, file, 'commonjs');
      if (messages.some((m) => m.fatal)) {
        out.unparsable++;
        continue;
      }
      for (const m of messages) {
        // Notes about the file's own eslint-disable comments are not ours to count.
        if (m.ruleId !== 'durable-write/no-unsynced-rename') continue;
        out.findings.push({ file, line: m.line, column: m.column, message: m.message });
      }
    } catch (error) {
      out.crashes.push({ file, error: String(error?.stack ?? error) });
    }
  }
  parentPort.postMessage(out);
}
