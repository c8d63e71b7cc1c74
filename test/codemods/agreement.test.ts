/**
 * Agreement with the rule: every invalid case of the rule's own tests is run through the codemod.
 * Every site the rule reports is either rewritten or listed for review with a reason, and the only
 * lines that change are imports and lines of the functions around rewritten sites. The cases are
 * collected by loading the rule test files against a RuleTester that records instead of testing.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RecordedCase } from '../rules/recording-rule-tester.js';
import { rewriteSource } from '../../codemods/engine.js';
import { structuredPatch } from 'diff';

vi.mock('@typescript-eslint/rule-tester', () => import('../rules/recording-rule-tester.js'));
const { recorded } = await import('../rules/recording-rule-tester.js');

await import('../rules/no-unsynced-rename.test.js');
await import('../rules/no-unsynced-rename.fix.test.js');
await import('../rules/no-unsynced-rename.interprocedural.test.js');
await import('../rules/no-unsynced-rename.cross-module.test.js');

/** A filename that makes the codemod parse the case the way the rule tester did. */
function filenameOf(c: RecordedCase): string {
  // Cross-module cases are files of a fixture project: their imports resolve on disk.
  if (c.filename && path.isAbsolute(c.filename)) return c.filename;
  const espree = c.languageOptions?.parser && !('parseForESLint' in (c.languageOptions.parser as object));
  if (!espree) return c.filename ?? 'file.ts';
  const sourceType = c.languageOptions?.sourceType ?? c.languageOptions?.parserOptions?.sourceType;
  // `.js`: the codemod tries a module, then a script, as it does for real `.js` files.
  return sourceType === 'module' ? 'file.mjs' : 'file.js';
}

const cases = recorded.flatMap(({ suite, cases }) => (cases as RecordedCase[]).map((c, i) => ({ suite, i, c })));

describe('codemod agrees with the rule', () => {
  it('collected the rule tests', () => {
    // The count when last reviewed: cases that vanish (a suite stopped loading) fail here.
    expect(cases.length).toBeGreaterThanOrEqual(182);
  });

  it.each(cases.map(({ suite, i, c }) => [`${suite} #${i}`, c] as const))('%s', (_name, c) => {
    const name = filenameOf(c);
    const file = path.isAbsolute(name) ? name : path.join('/repo', name);
    const options = c.options?.[0] ?? {};
    const result = rewriteSource(c.code, file, { ruleOptions: options as never });
    const reported = c.errors.filter(
      (e) => e.messageId === 'unsyncedRename' || e.messageId === 'unsyncedOnSomePaths',
    ).length;
    expect(result.sites).toHaveLength(reported);
    for (const site of result.sites) {
      if (site.status === 'review') expect(site.reason).toMatch(/\w/);
      else expect(site.shape).toBeDefined();
    }
    if (result.status !== 'rewritten') return;
    const rewritten = result.sites.filter((s) => s.status === 'rewritten');
    const changed = structuredPatch('f', 'f', c.code, result.output as string).hunks.length;
    expect(changed).toBeGreaterThan(0);
    // Every removed or replaced original line is an import or lies in a rewritten site's function.
    const lines = c.code.split('\n');
    const out = result.output as string;
    lines.forEach((line, index) => {
      const n = index + 1;
      if (out.includes(line)) return;
      const isImport = /\b(import|require)\b/.test(line);
      const inSite = rewritten.some((s) => n >= s.enclosing[0] && n <= s.enclosing[1]);
      expect(isImport || inSite, `line ${n} changed: ${line}`).toBe(true);
    });
  });
});
