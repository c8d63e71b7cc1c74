// `npm run bench:lint`: the rule's share of ESLint's parse + rules time over thousands of real files,
// measured by ESLint itself (`stats: true`) next to ESLint's recommended rules, in one run with
// cross-module summaries on and off (alternating halves of the corpus, then swapped, so that both
// see warm and cold caches alike). Targets: at most 2 % with cross-module on, 1 % with it off.
// `--corpus DIR` measures another tree instead (its node_modules when it has one): a corpus the rule
// was not tuned on, such as a large app's installed dependencies.
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import { ESLint } from 'eslint';
import plugin from '../dist/src/index.js';
import { ensureCorpus, listSourceFiles, root } from './lib/corpus.js';

const ruleId = 'durable-write/no-unsynced-rename';
const corpusArg = process.argv.indexOf('--corpus');
const other = corpusArg >= 0 ? path.resolve(process.argv[corpusArg + 1] ?? '.') : undefined;
const tree = other
  ? fs.existsSync(path.join(other, 'node_modules'))
    ? path.join(other, 'node_modules')
    : other
  : path.join(ensureCorpus(), 'node_modules');
const files = listSourceFiles([tree]).filter((f) => /\.[cm]?js$/.test(f));

const eslintWith = (crossModule) =>
  new ESLint({
    // ESLint lints nothing outside its cwd: a corpus elsewhere is its own cwd.
    cwd: other ?? root,
    overrideConfigFile: true,
    // The corpus lives under node_modules, which flat config ignores by default.
    ignorePatterns: ['!**/node_modules/'],
    stats: true,
    overrideConfig: [
      {
        files: ['**/*.{js,cjs,mjs}'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
        plugins: { 'durable-write': plugin },
        settings: { 'durable-write': { crossModule } },
        rules: { ...js.configs.recommended.rules, [ruleId]: 'warn' },
      },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    ],
  });

const totals = {
  on: { parse: 0, rules: 0, ours: 0, parsed: 0, findings: 0, wall: 0 },
  off: { parse: 0, rules: 0, ours: 0, parsed: 0, findings: 0, wall: 0 },
};
const engines = { on: eslintWith(true), off: eslintWith(false) };

async function lint(mode, list) {
  const t = totals[mode];
  const started = performance.now();
  const results = await engines[mode].lintFiles(list);
  t.wall += (performance.now() - started) / 1000;
  for (const result of results) {
    if (result.messages.some((m) => m.fatal) || !result.stats) continue;
    t.parsed++;
    t.findings += result.messages.filter((m) => m.ruleId === ruleId).length;
    for (const pass of result.stats?.times.passes ?? []) {
      t.parse += pass.parse.total;
      for (const [id, time] of Object.entries(pass.rules ?? {})) {
        t.rules += time.total;
        if (id === ruleId) t.ours += time.total;
      }
    }
  }
}

// Every file is linted once per mode; the order of modes alternates per half.
const half = Math.ceil(files.length / 2);
const [first, second] = [files.slice(0, half), files.slice(half)];
await lint('on', first);
await lint('off', first);
await lint('off', second);
await lint('on', second);

console.log(`files: ${files.length} linted per mode, from ${path.relative(root, tree) || tree}`);
let failed = false;
for (const [mode, target] of [
  ['on', 2],
  ['off', 1],
]) {
  const t = totals[mode];
  const share = (100 * t.ours) / (t.parse + t.rules);
  console.log(
    `crossModule ${mode.padEnd(3)}: ${t.parsed} parsed, wall ${t.wall.toFixed(1)} s, parse ${(t.parse / 1000).toFixed(2)} s, all rules ${(t.rules / 1000).toFixed(2)} s; ` +
      `${ruleId} ${t.ours.toFixed(0)} ms, ${t.findings} findings; share ${share.toFixed(3)} % (target <= ${target} %): ${share <= target ? 'OK' : 'OVER TARGET'}`,
  );
  if (t.parsed < 5000) {
    console.error(`expected at least 5,000 parsed files, got ${t.parsed}`);
    failed = true;
  }
}
if (failed) process.exitCode = 1;
