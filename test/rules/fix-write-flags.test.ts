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

/** Does the helper write a new file with `flag`, or refuse the flag? */
function helperTakes(flag: string): boolean {
  try {
    writeFileDurableSync(path.join(scratch, `${flag}.json`), 'data', { flag });
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/** The outputs of the autofix and the suggestions for a write with `flag` before its rename. */
function fixedOutputs(flag: string): string[] {
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
  expect(messages.map((m) => m.ruleId)).toEqual(['durable-write/no-unsynced-rename']);
  const fixes = [messages[0]!.fix, ...(messages[0]!.suggestions ?? []).map((s) => s.fix)];
  return fixes.flatMap((fix) => (fix ? [code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1])] : []));
}

const rewrittenIntoHelper = (flag: string): boolean =>
  fixedOutputs(flag).some((output) => output.includes('writeFileDurableSync(file, data'));

describe('flags of a write rewritten into the helper', () => {
  it.each(['w', 'w+', 'wx', 'xw', 'wx+', 'xw+'])('%s: the helper takes it, and the rewrite is offered', (flag) => {
    expect(helperTakes(flag)).toBe(true);
    expect(rewrittenIntoHelper(flag)).toBe(true);
  });

  it.each(['a', 'a+', 'as', 'ax', 'r+', 'rs+'])('%s: the helper refuses it, and no rewrite is offered', (flag) => {
    expect(helperTakes(flag)).toBe(false);
    expect(rewrittenIntoHelper(flag)).toBe(false);
  });

  it('an exclusive flag guarded the temp file: the rewrite drops it, a replace flag is kept', () => {
    const rewrite = (flag: string) => fixedOutputs(flag).find((o) => o.includes('writeFileDurableSync(file, data'));
    expect(rewrite('xw+')).toContain('writeFileDurableSync(file, data);');
    expect(rewrite('w+')).toContain("writeFileDurableSync(file, data, { flag: 'w+' });");
  });
});
