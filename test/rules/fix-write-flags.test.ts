/**
 * The flags a rewrite into the helper keeps or drops come from the runtime's own table: a write whose
 * flag the helper takes is rewritten into it, one whose flag the helper refuses (a TypeError at run
 * time) never is. Which flags the helper takes is asked of the runtime by calling it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import { writeFileDurableSync } from 'durable-write-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../dist/src/index.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'durable-write-flags-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * What the helper does with `flag`, asked by calling it: refuse it, replace an existing target, or
 * create the target exclusively (fail if it exists).
 */
function helperReads(flag: string): 'refused' | 'replace' | 'exclusive' {
  const target = path.join(scratch, `${flag}.json`);
  try {
    writeFileDurableSync(target, 'first', { flag });
  } catch (error) {
    if (error instanceof TypeError) return 'refused';
    throw error;
  }
  try {
    writeFileDurableSync(target, 'second', { flag });
    return 'replace';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exclusive';
    throw error;
  }
}

/** The rule's messages for a write with `flag` before its rename. */
function messagesFor(flag: string): { code: string; messages: Linter.LintMessage[] } {
  const linter = new Linter({ configType: 'flat' });
  const code = `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flag: '${flag}' });
  fs.renameSync(file + '.tmp', file);
}
`;
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.mjs'],
        plugins: { 'durable-write': plugin },
        rules: { 'durable-write/no-unsynced-rename': 'error' },
        languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
      },
    ],
    'save.mjs',
  );
  return { code, messages };
}

/** The outputs of the autofix and the suggestions for a write with `flag` before its rename. */
function fixedOutputs(flag: string): string[] {
  const { code, messages } = messagesFor(flag);
  expect(messages.map((m) => m.ruleId)).toEqual(['durable-write/no-unsynced-rename']);
  const fixes = [messages[0]!.fix, ...(messages[0]!.suggestions ?? []).map((s) => s.fix)];
  return fixes.flatMap((fix) => (fix ? [code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1])] : []));
}

/** The rewrite into the helper's call, or undefined when none is offered. */
const helperCall = (flag: string): string | undefined =>
  fixedOutputs(flag)
    .map((output) => /writeFileDurableSync\(file, data.*\);/.exec(output)?.[0])
    .find((call) => call !== undefined);

describe('flags of a write rewritten into the helper', () => {
  it.each(['w', 'w+'])('%s: the helper replaces the target with it, and the rewrite keeps it', (flag) => {
    expect(helperReads(flag)).toBe('replace');
    expect(helperCall(flag)).toBe(`writeFileDurableSync(file, data, { flag: '${flag}' });`);
  });

  // On the temp file it made creating the temp fail if it existed; in the helper it would guard the target.
  it.each(['wx', 'xw', 'wx+', 'xw+'])('%s: the helper takes it as exclusive, and the rewrite drops it', (flag) => {
    expect(helperReads(flag)).toBe('exclusive');
    expect(helperCall(flag)).toBe('writeFileDurableSync(file, data);');
  });

  it.each(['a', 'a+', 'ax', 'r+'])('%s: the helper refuses it, and no rewrite is offered', (flag) => {
    expect(helperReads(flag)).toBe('refused');
    expect(helperCall(flag)).toBeUndefined();
  });

  // O_SYNC: each write is durable when it returns, so there is nothing to rewrite (the helper refuses them too).
  it.each(['as', 'as+', 'rs+', 'sr+'])('%s: a synchronous write, not reported', (flag) => {
    expect(helperReads(flag)).toBe('refused');
    expect(messagesFor(flag).messages).toEqual([]);
  });
});
