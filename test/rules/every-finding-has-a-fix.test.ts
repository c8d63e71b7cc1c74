/**
 * Every finding keeps a fix or a suggestion: every invalid case of the detection tests is linted
 * with the real rule (fixes and suggestions on), and each report must carry one or the other. The
 * cases are collected by loading the detection test files against a RuleTester that records.
 */
import path from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it, vi } from 'vitest';
import type { RecordedCase } from './recording-rule-tester.js';
import plugin from '../../src/index.js';

vi.mock('@typescript-eslint/rule-tester', () => import('./recording-rule-tester.js'));
const { recorded } = await import('./recording-rule-tester.js');

await import('./no-unsynced-rename.test.js');
await import('./no-unsynced-rename.interprocedural.test.js');
await import('./no-unsynced-rename.cross-module.test.js');

const cases = recorded.flatMap(({ suite, cases }) =>
  (cases as RecordedCase[]).map((c, i) => [`${suite} #${i}`, c] as const),
);
const linter = new Linter({ configType: 'flat', cwd: '/' });

describe('every finding has a fix or a suggestion', () => {
  it('collected the detection tests', () => {
    // The count when last reviewed: cases that vanish (a suite stopped loading) fail here.
    expect(cases.length).toBeGreaterThanOrEqual(133);
  });

  it.each(cases)('%s', (_name, c) => {
    const filename =
      c.filename && path.isAbsolute(c.filename) ? c.filename : path.join('/repo', c.filename ?? 'file.ts');
    const languageOptions = c.languageOptions ?? { parser: tsParser as Linter.Parser };
    const messages = linter.verify(
      c.code,
      [
        {
          files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
          languageOptions,
          plugins: { 'durable-write': plugin },
          ...(c.settings ? { settings: c.settings } : {}),
          rules: { 'durable-write/no-unsynced-rename': ['error', ...(c.options ?? [])] },
        },
      ],
      filename,
    );
    const reports = messages.filter((m) => m.ruleId === 'durable-write/no-unsynced-rename');
    expect(reports).toHaveLength(c.errors.length);
    // The documented exception (docs/rules/no-unsynced-rename.md, "Limits"): nothing in the file names
    // the renamed file. Asserted too, so that a suggestion appearing there turns this red.
    const documented = c.name?.startsWith('no suggestion:') ?? false;
    for (const report of reports) {
      expect(!!report.fix || (report.suggestions?.length ?? 0) > 0, `line ${report.line}: ${report.message}`).toBe(
        !documented,
      );
    }
  });
});
