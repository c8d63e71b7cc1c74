// `npm run check:corpus`: lints every JS/TS file of a large real tree, and the largest bundles
// published on npm (scripts/lib/corpus.js: BUNDLES) whole, with the rule, and asserts that the rule
// never crashes. Unparsable files are counted and skipped (they are not the rule's fault); a bundle
// that does not parse fails the check, since the rule never ran on it. Work is split over worker
// threads, one per core, largest files first. Workers get V8's default main-thread stack (about
// 1 MB, as the `eslint` CLI has) instead of a worker's 4 MB, so a stack overflow the CLI would hit
// is not hidden. `--with-declarations` also lints `.d.ts` files.
// A file the rule's own create-time gate (`mayFindUnsyncedRenames`, the rule's first statement) turns
// away is not parsed: the rule gets no listeners there, so it can neither report nor crash, and no
// module summary is made from it; findings and rule crashes are those of linting every file. Only
// the counts of files ESLint itself could not parse cover fewer files; `--lint-all` parses every one.
// Bundles are always linted whole: one that does not parse fails the check.
// Findings are compared with the committed baseline (test/corpus/findings-baseline.txt): a new or a
// lost finding fails the check until reviewed; `--update-baseline` rewrites it after the review.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bundleOnlyDirs, bundlePaths, ensureCorpus, languageOptionsFor, listSourceFiles, root } from './lib/corpus.js';

const RULE = 'durable-write/no-unsynced-rename';
const LINT_ALL = process.argv.includes('--lint-all');
const BASELINE = path.join(root, 'test/corpus/findings-baseline.txt');

/** Fails on findings the reviewed baseline does not list, and on listed ones no longer found. */
function compareWithBaseline(sites) {
  const found = [...new Set(sites)].sort();
  if (process.argv.includes('--update-baseline')) {
    fs.writeFileSync(BASELINE, `${found.join('\n')}\n`);
    console.log(`baseline rewritten: ${found.length} findings in ${path.relative(root, BASELINE)}`);
    return;
  }
  const reviewed = new Set(fs.readFileSync(BASELINE, 'utf8').split('\n').filter(Boolean));
  const added = found.filter((site) => !reviewed.has(site));
  const lost = [...reviewed].filter((site) => !found.includes(site));
  for (const site of added) console.error(`NEW      ${site}`);
  for (const site of lost) console.error(`LOST     ${site}`);
  if (added.length > 0 || lost.length > 0) {
    console.error(
      `${added.length} new and ${lost.length} lost findings against ${path.relative(root, BASELINE)}: review them, then \`npm run check:corpus -- --update-baseline\``,
    );
    process.exitCode = 1;
  }
}

if (isMainThread) {
  const started = performance.now();
  const corpus = ensureCorpus();
  const bundles = bundlePaths(corpus);
  const files = listSourceFiles([path.join(root, 'node_modules'), path.join(corpus, 'node_modules')], {
    declarations: process.argv.includes('--with-declarations'),
    exclude: bundleOnlyDirs(corpus),
  });
  const workers = Math.max(1, Math.min(os.availableParallelism(), 4));
  // The rule is linted with no options and cross-module summaries on: the gate is asked the same.
  // ESLint hands the rule the text without its BOM.
  const { mayFindUnsyncedRenames } = await import('../dist/src/engine/detector.js');
  const gated = LINT_ALL
    ? []
    : files.filter((file) => !mayFindUnsyncedRenames(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {}, file));
  const turnedAway = new Set(gated);
  // Largest first, each to the worker with the fewest bytes so far: the bundles dominate.
  const jobs = [
    ...bundles.map((file) => ({ file, bundle: true })),
    ...files.filter((file) => !turnedAway.has(file)).map((file) => ({ file, bundle: false })),
  ]
    .map((job) => ({ ...job, bytes: fs.statSync(job.file).size }))
    .sort((a, b) => b.bytes - a.bytes);
  const chunks = Array.from({ length: workers }, () => ({ bytes: 0, jobs: [] }));
  for (const job of jobs) {
    const lightest = chunks.reduce((best, chunk) => (chunk.bytes < best.bytes ? chunk : best));
    lightest.jobs.push(job);
    lightest.bytes += job.bytes;
  }
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {
            workerData: chunk.jobs,
            resourceLimits: { stackSizeMb: 0.984 },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const total = { files: gated.length, unparsable: 0, findings: [], crashes: [], eslintCrashes: [], bundles: [] };
  for (const r of results) {
    total.files += r.files;
    total.unparsable += r.unparsable;
    total.findings.push(...r.findings);
    total.crashes.push(...r.crashes);
    total.eslintCrashes.push(...r.eslintCrashes);
    total.bundles.push(...r.bundles);
  }
  const seconds = (performance.now() - started) / 1000;
  const relative = (file) => path.relative(root, file);
  for (const f of total.findings) console.log(`finding  ${relative(f.file)}:${f.line}:${f.column}  ${f.message}`);
  for (const c of total.eslintCrashes)
    console.log(`ESLINT   ${relative(c.file)} (ESLint itself, not the rule): ${c.error.split('\n')[0]}`);
  for (const c of total.crashes) console.log(`CRASH    ${relative(c.file)}\n${c.error}`);
  console.log('\nbundles linted whole:');
  total.bundles.sort((a, b) => bundles.indexOf(a.file) - bundles.indexOf(b.file));
  for (const b of total.bundles) {
    const name = path.relative(path.join(corpus, 'node_modules'), b.file);
    console.log(
      `  ${(b.bytes / 1e6).toFixed(1).padStart(5)} MB  ${b.lines.toLocaleString('en-US').padStart(9)} lines  ${name.padEnd(56)}` +
        `${b.seconds.toFixed(1).padStart(6)} s  ${b.outcome}`,
    );
  }
  console.log(
    `\n${total.files} files (${gated.length} turned away by the rule's gate unparsed; ${total.unparsable} unparsable, skipped; ${total.bundles.length} bundles of ` +
      `${(total.bundles.reduce((sum, b) => sum + b.bytes, 0) / 1e6).toFixed(1)} MB among them) with ${workers} workers in ${seconds.toFixed(1)} s: ` +
      `${total.findings.length} findings, ${total.crashes.length} rule crashes, ${total.eslintCrashes.length} ESLint crashes`,
  );
  if (total.files < 10_000) {
    console.error(`expected at least 10,000 files, found ${total.files}`);
    process.exitCode = 1;
  }
  const unparsedBundles = total.bundles.filter((b) => b.outcome === 'unparsable');
  if (unparsedBundles.length > 0) {
    console.error(
      `bundles that did not parse (the rule never ran on them): ${unparsedBundles.map((b) => relative(b.file)).join(', ')}`,
    );
    process.exitCode = 1;
  }
  if (total.crashes.length > 0) process.exitCode = 1;
  if (!process.argv.includes('--with-declarations'))
    compareWithBaseline(total.findings.map((f) => `${relative(f.file)}:${f.line}:${f.column}`));
} else {
  const { Linter } = await import('eslint');
  const tsParser = (await import('@typescript-eslint/parser')).default;
  const plugin = (await import('../dist/src/index.js')).default;
  // Files keep their real path so that cross-module summaries resolve their imports; patterns are
  // matched from the root.
  const linter = new Linter({ configType: 'flat', cwd: path.parse(process.cwd()).root });
  const out = { files: 0, unparsable: 0, findings: [], crashes: [], eslintCrashes: [], bundles: [] };
  const lint = (text, file, sourceType) =>
    linter.verify(
      text,
      [
        // The corpus lives under node_modules, which flat config ignores by default.
        { ignores: ['!**/node_modules/'] },
        {
          files: ['**/*.{js,cjs,mjs,ts,mts,cts}'],
          languageOptions: languageOptionsFor(file, tsParser, sourceType),
          linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
          plugins: { 'durable-write': plugin },
          rules: { [RULE]: 'error' },
        },
      ],
      file,
    );
  for (const { file, bundle, bytes } of workerData) {
    const text = fs.readFileSync(file, 'utf8');
    const started = performance.now();
    out.files++;
    let outcome;
    try {
      let messages = lint(text, file);
      if (messages.some((m) => m.fatal) && file.endsWith('.js')) messages = lint(text, file, 'commonjs');
      if (messages.some((m) => m.fatal)) {
        out.unparsable++;
        outcome = 'unparsable';
      } else {
        // Notes about the file's own eslint-disable comments are not ours to count.
        const ours = messages.filter((m) => m.ruleId === RULE);
        for (const m of ours) out.findings.push({ file, line: m.line, column: m.column, message: m.message });
        outcome = `${ours.length} finding${ours.length === 1 ? '' : 's'}`;
      }
    } catch (error) {
      // ESLint names the rule in the message when a rule threw; anything else is ESLint's own
      // (eslint-scope recursion on a very long expression, for one).
      const crash = { file, error: String(error?.stack ?? error) };
      if (String(error?.message).includes(`Rule: "${RULE}"`)) {
        out.crashes.push(crash);
        outcome = 'RULE CRASH';
      } else {
        out.eslintCrashes.push(crash);
        outcome = 'ESLint crash (not the rule)';
      }
    }
    if (bundle) {
      const lines = text.split('\n').length;
      out.bundles.push({ file, bytes, lines, seconds: (performance.now() - started) / 1000, outcome });
    }
  }
  parentPort.postMessage(out);
}
