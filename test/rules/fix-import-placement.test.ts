/**
 * Where a fix puts the imports it adds, in files without semicolons (found by `npm run fuzz`): the
 * output must parse, and the next line must keep its meaning.
 */
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/src/index.js';

function fixed(code: string, options: Record<string, unknown>): { output: string; fatal: string[] } {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.mjs'],
      plugins: { 'durable-write': plugin },
      rules: { 'durable-write/no-unsynced-rename': ['error', options] },
      languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
    },
  ];
  const { output } = linter.verifyAndFix(code, config, 'save.mjs');
  const fatal = linter.verify(output, [{ files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } }], 'save.mjs').map((m) => m.message);
  return { output, fatal };
}

describe('imports added by a fix', () => {
  it('go before the `;` that guards a next line starting with `(` (the parser gives it to the import)', () => {
    const code = "import fs from 'fs'\n\n;(() => {\n  const tmp = file + '.tmp'\n  fs.writeFileSync(tmp, data)\n  fs.renameSync(tmp, file)\n})()\n";
    const { output, fatal } = fixed(code, { fixStyle: 'flush' });
    expect(fatal).toEqual([]);
    expect(output.startsWith("import fs from 'fs'\nimport { dirname } from 'node:path'\n\n;(() => {\n")).toBe(true);
  });

  it('stay out of a named list that the same fix extends', () => {
    const code = "import { writeFileSync, renameSync } from 'fs'\n\nfunction save(file, data) {\n  const tmp = file + '.tmp'\n  writeFileSync(tmp, data)\n  renameSync(tmp, file)\n}\n";
    const { output, fatal } = fixed(code, { fixStyle: 'flush' });
    expect(fatal).toEqual([]);
    expect(output.split('\n').slice(0, 2)).toEqual([
      "import { writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'fs'",
      "import { dirname } from 'node:path'",
    ]);
  });
});
