// Child process for the stress test: lints one generated input with or without the rule and prints
// one JSON line. A child, so that a stack overflow or an abort inside ESLint itself cannot take the
// test runner down, and so that the test can kill it on a hard timeout.
import { Linter } from 'eslint';
import plugin from '../../dist/src/index.js';
import * as inputs from './inputs.mjs';

const [shape, size, every, withRule] = process.argv.slice(2);
const { text, findings } = inputs[shape](Number(size), Number(every));
const linter = new Linter({ configType: 'flat' });
const config = {
  files: ['**/*.cjs'],
  plugins: { 'durable-write': plugin },
  languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest' },
  rules: withRule === 'on' ? { 'durable-write/no-unsynced-rename': 'error' } : {},
};
let result;
try {
  const messages = linter.verify(text, [config], 'input.cjs');
  result = {
    fatal: messages.filter((m) => m.fatal).map((m) => m.message),
    findings: messages.filter((m) => m.ruleId === 'durable-write/no-unsynced-rename').length,
    fixes: messages.filter((m) => m.fix || m.suggestions?.length).length,
  };
} catch (error) {
  result = { threw: String(error?.message ?? error).split('\n')[0] };
}
process.stdout.write(
  `${JSON.stringify({ ...result, expected: findings, lines: text.split('\n').length, bytes: text.length })}\n`,
);
