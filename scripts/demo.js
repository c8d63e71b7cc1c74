// `npm run demo`: lints the bundled examples with the built plugin and prints what it finds.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    plugin.configs.recommended,
  ],
});
const results = await eslint.lintFiles(['examples']);
const formatter = await eslint.loadFormatter('stylish');
process.stdout.write(await formatter.format(results));

const buggy = results.filter((r) => r.filePath.includes('/buggy/'));
const correct = results.filter((r) => r.filePath.includes('/correct/'));
const flagged = (list) => list.filter((r) => r.messages.some((m) => m.ruleId === 'durable-write/no-unsynced-rename')).length;
console.log(
  `examples/buggy: ${flagged(buggy)} of ${buggy.length} files flagged; examples/correct: ${flagged(correct)} of ${correct.length} files flagged`,
);
const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal));
if (fatal.length > 0) {
  console.error(`${fatal.length} files could not be parsed`);
  process.exitCode = 1;
}
