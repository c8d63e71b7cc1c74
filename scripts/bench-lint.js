// `npm run bench:lint`: the rule's share of ESLint's parse + rules time over thousands of real files,
// measured by ESLint itself (`stats: true`) in one run next to ESLint's recommended rules.
// Target: at most 1 %.
import path from 'node:path';
import js from '@eslint/js';
import { ESLint } from 'eslint';
import plugin from '../dist/src/index.js';
import { ensureCorpus, listSourceFiles, root } from './lib/corpus.js';

const ruleId = 'durable-write/no-unsynced-rename';
const corpus = ensureCorpus();
const files = listSourceFiles([path.join(corpus, 'node_modules')]).filter((f) => /\.[cm]?js$/.test(f));

const eslint = new ESLint({
  cwd: root,
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
      rules: { ...js.configs.recommended.rules, [ruleId]: 'warn' },
    },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  ],
});

const started = performance.now();
const results = await eslint.lintFiles(files);
const wall = (performance.now() - started) / 1000;

let parse = 0;
let rules = 0;
let ours = 0;
let parsed = 0;
let findings = 0;
for (const result of results) {
  if (result.messages.some((m) => m.fatal) || !result.stats) continue;
  parsed++;
  findings += result.messages.filter((m) => m.ruleId === ruleId).length;
  for (const pass of result.stats?.times.passes ?? []) {
    parse += pass.parse.total;
    for (const [id, time] of Object.entries(pass.rules ?? {})) {
      rules += time.total;
      if (id === ruleId) ours += time.total;
    }
  }
}
const share = (100 * ours) / (parse + rules);
console.log(`files: ${files.length} linted, ${parsed} parsed (the rest are scripts that do not parse as modules)`);
console.log(`wall time: ${wall.toFixed(1)} s; parse ${(parse / 1000).toFixed(2)} s; all rules ${(rules / 1000).toFixed(2)} s (${Object.keys(js.configs.recommended.rules).length + 1} rules)`);
console.log(`${ruleId}: ${ours.toFixed(0)} ms, ${findings} findings`);
console.log(`share of parse + rules time: ${share.toFixed(3)} % (target <= 1 %): ${share <= 1 ? 'OK' : 'OVER TARGET'}`);
if (parsed < 5000) {
  console.error(`expected at least 5,000 parsed files, got ${parsed}`);
  process.exitCode = 1;
}
