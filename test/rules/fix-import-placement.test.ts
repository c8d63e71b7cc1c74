/**
 * Where a fix puts the imports it adds, in files without semicolons (found by `npm run fuzz`): the
 * output must parse, and the next line must keep its meaning.
 */
import { Linter } from 'eslint';
import importX from 'eslint-plugin-import-x';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
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
  const fatal = linter
    .verify(output, [{ files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } }], 'save.mjs')
    .map((m) => m.message);
  return { output, fatal };
}

describe('imports added by a fix', () => {
  it('go before the `;` that guards a next line starting with `(` (the parser gives it to the import)', () => {
    const code =
      "import fs from 'fs'\n\n;(() => {\n  const tmp = file + '.tmp'\n  fs.writeFileSync(tmp, data)\n  fs.renameSync(tmp, file)\n})()\n";
    const { output, fatal } = fixed(code, { fixStyle: 'flush' });
    expect(fatal).toEqual([]);
    expect(output.startsWith("import fs from 'fs'\nimport { dirname } from 'node:path'\n\n;(() => {\n")).toBe(true);
  });

  it('get no `;` before a comment line in a file without semicolons (steno: `// Returns a temporary file`)', () => {
    const code = save("import { readFile, rename, writeFile } from 'node:fs/promises'").replace(
      '\n\nexport',
      '\n\n// Saves data, then reads it back\nexport',
    );
    const { output, fatal } = fixed(code, {});
    expect(fatal).toEqual([]);
    expect(output.split('\n').slice(0, 5)).toEqual([
      "import { readFile } from 'node:fs/promises'",
      '',
      "import { writeFileDurable } from 'durable-write-runtime'",
      '',
      '// Saves data, then reads it back',
    ]);
  });

  it('still guard a line starting with `(` after a comment', () => {
    const code =
      "import fs from 'fs'\n// runs at load\n/* twice */ (() => {\n  const tmp = file + '.tmp'\n  fs.writeFileSync(tmp, data)\n  fs.renameSync(tmp, file)\n})()\n";
    const { output, fatal } = fixed(code, { fixStyle: 'flush' });
    expect(fatal).toEqual([]);
    expect(output.split('\n')[1]).toBe("import { dirname } from 'node:path';");
  });

  it('stay out of a named list that the same fix extends', () => {
    const code =
      "import { writeFileSync, renameSync } from 'fs'\n\nfunction save(file, data) {\n  const tmp = file + '.tmp'\n  writeFileSync(tmp, data)\n  renameSync(tmp, file)\n}\n";
    const { output, fatal } = fixed(code, { fixStyle: 'flush' });
    expect(fatal).toEqual([]);
    expect(output.split('\n').slice(0, 2)).toEqual([
      "import { writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'fs'",
      "import { dirname } from 'node:path'",
    ]);
  });

  // The runtime import as a maintainer would write it: in the packages' group (builtins first,
  // relative paths last, as eslint-plugin-import's `order` and Biome sort them), in order when
  // the group is sorted, with the file's quotes and semicolons.
  const save = (imports: string): string =>
    `${imports}\n\nexport async function save(file, data) {\n  const tmp = file + '.tmp'\n  await writeFile(tmp, data)\n  await rename(tmp, file)\n  return [await readFile(file, 'utf8'), z, helper]\n}\n`;

  it('go in the packages group, in order, before the relative imports', () => {
    const { output, fatal } = fixed(
      save(
        "import { readFile, rename, writeFile } from 'node:fs/promises'\nimport { a } from 'ajv'\nimport { z } from 'zod'\nimport { helper } from './helper.js'",
      ),
      {},
    );
    expect(fatal).toEqual([]);
    expect(output.split('\n').slice(0, 5)).toEqual([
      "import { readFile } from 'node:fs/promises'",
      "import { a } from 'ajv'",
      "import { writeFileDurable } from 'durable-write-runtime'",
      "import { z } from 'zod'",
      "import { helper } from './helper.js'",
    ]);
  });

  it('go first in a sorted packages group that they lead, and at the end of an unsorted one', () => {
    const first = fixed(
      save(
        "import { readFile, rename, writeFile } from 'node:fs/promises'\nimport { z } from 'zod'\nimport { helper } from './helper.js'",
      ),
      {},
    ).output;
    expect(first.split('\n')[1]).toBe("import { writeFileDurable } from 'durable-write-runtime'");
    const unsorted = fixed(
      save(
        "import { z } from 'zod'\nimport { a } from 'ajv'\nimport { helper } from './helper.js'\nimport { readFile, rename, writeFile } from 'node:fs/promises'",
      ),
      {},
    ).output;
    // Not grouped (a builtin after a relative import): after the last import, as before.
    expect(unsorted.split('\n')[4]).toBe("import { writeFileDurable } from 'durable-write-runtime'");
    // Double quotes and semicolons throughout: the import added says so too.
    const doubleQuoted = save(
      "import { readFile, rename, writeFile } from 'node:fs/promises'\nimport { z } from 'zod'\nimport { a } from 'ajv'\nimport { helper } from './helper.js'",
    )
      .replaceAll("'", '"')
      .replace(/([^{}\n])\n/g, '$1;\n');
    const ungroupedOrder = fixed(doubleQuoted, {}).output;
    expect(ungroupedOrder.split('\n').slice(1, 5)).toEqual([
      'import { z } from "zod";',
      'import { a } from "ajv";',
      'import { writeFileDurable } from "durable-write-runtime";',
      'import { helper } from "./helper.js";',
    ]);
  });

  it('go before the first relative import when there is no package import', () => {
    const { output } = fixed(
      save(
        "import { readFile, rename, writeFile } from 'node:fs/promises'\nimport { z } from './z.js'\nimport { helper } from './helper.js'",
      ),
      {},
    );
    expect(output.split('\n').slice(0, 3)).toEqual([
      "import { readFile } from 'node:fs/promises'",
      "import { writeFileDurable } from 'durable-write-runtime'",
      "import { z } from './z.js'",
    ]);
  });
});

// The import rules projects run on their code (steno: simple-import-sort; others: import/order with
// `newlines-between`), run on the fixed file.
function importLint(output: string, newlinesBetween: 'always' | 'never', filename = 'save.mjs'): string[] {
  const linter = new Linter({ configType: 'flat' });
  const rules: Linter.RulesRecord = { 'import-x/order': ['error', { 'newlines-between': newlinesBetween }] };
  if (newlinesBetween === 'always') rules['simple-import-sort/imports'] = 'error';
  return linter
    .verify(
      output,
      [
        {
          files: ['**/*.{mjs,cjs}'],
          plugins: { 'import-x': importX as never, 'simple-import-sort': simpleImportSort },
          rules,
          languageOptions: { sourceType: filename.endsWith('.cjs') ? 'commonjs' : 'module', ecmaVersion: 'latest' },
        },
      ],
      filename,
    )
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe("imports added by a fix follow the file's import groups", () => {
  const body =
    "\n\nexport async function save(file, data) {\n  const tmp = file + '.tmp'\n  await writeFile(tmp, data)\n  await rename(tmp, file)\n  return [await readFile(file, 'utf8'), join, helper]\n}\n";
  const builtins = "import { readFile, rename, writeFile } from 'node:fs/promises'\nimport { join } from 'node:path'";

  it('open a package group after a blank line in a file of one group (steno under simple-import-sort)', () => {
    const { output, fatal } = fixed(`${builtins}${body}`.replace(', helper]', ']'), {});
    expect(fatal).toEqual([]);
    expect(output.split('\n').slice(0, 4)).toEqual([
      "import { readFile } from 'node:fs/promises'",
      "import { join } from 'node:path'",
      '',
      "import { writeFileDurable } from 'durable-write-runtime'",
    ]);
    expect(importLint(output, 'always')).toEqual([]);
  });

  it('open a package group between blank lines where the file sets its groups apart', () => {
    const { output } = fixed(`${builtins}\n\nimport { helper } from './helper.js'${body}`, {});
    expect(output.split('\n').slice(0, 6)).toEqual([
      "import { readFile } from 'node:fs/promises'",
      "import { join } from 'node:path'",
      '',
      "import { writeFileDurable } from 'durable-write-runtime'",
      '',
      "import { helper } from './helper.js'",
    ]);
    expect(importLint(output, 'always')).toEqual([]);
  });

  it('open a package group without a blank line where the file runs its groups together', () => {
    const { output } = fixed(`${builtins}\nimport { helper } from './helper.js'${body}`, {});
    expect(output.split('\n').slice(0, 4)).toEqual([
      "import { readFile } from 'node:fs/promises'",
      "import { join } from 'node:path'",
      "import { writeFileDurable } from 'durable-write-runtime'",
      "import { helper } from './helper.js'",
    ]);
    expect(importLint(output, 'never')).toEqual([]);
  });

  it('open a package group after a blank line when the import it follows goes', () => {
    const { output } = fixed(
      `import { join } from 'node:path'\nimport { rename, writeFile } from 'node:fs/promises'${body}`.replace(
        "await readFile(file, 'utf8'), ",
        '',
      ),
      {},
    );
    expect(output.split('\n').slice(0, 4)).toEqual([
      "import { join } from 'node:path'",
      '',
      "import { writeFileDurable } from 'durable-write-runtime'",
      '',
    ]);
  });

  it('join a package group in its order, with no blank line of their own', () => {
    const { output } = fixed(
      `${builtins}\n\nimport { a } from 'ajv'\nimport { z } from 'zod'\n\nimport { helper } from './helper.js'${body}`,
      {},
    );
    expect(output.split('\n').slice(2, 7)).toEqual([
      '',
      "import { a } from 'ajv'",
      "import { writeFileDurable } from 'durable-write-runtime'",
      "import { z } from 'zod'",
      '',
    ]);
    expect(importLint(output.replace('return [', 'return [a, z, '), 'always')).toEqual([]);
  });

  it('add names to a sorted list in their order', () => {
    const { output } = fixed(
      "import { readFileSync, renameSync, writeFileSync } from 'node:fs'\nimport { join } from 'node:path'\n\nexport function save(file, data) {\n  const tmp = join(file + '.tmp')\n  writeFileSync(tmp, data)\n  renameSync(tmp, file)\n  return readFileSync(file)\n}\n",
      { fixStyle: 'flush' },
    );
    expect(output.split('\n').slice(0, 2)).toEqual([
      "import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs'",
      "import { dirname, join } from 'node:path'",
    ]);
    expect(importLint(output, 'always')).toEqual([]);
  });
});
