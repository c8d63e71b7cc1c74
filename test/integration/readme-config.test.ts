/**
 * The README's `eslint.config.mjs` examples, as a user copies them, in a package whose `type` is
 * CommonJS (the default): both load, and the TypeScript one reports in `.ts` files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'durable-write-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const configs = [
  ...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```js\n(\/\/ eslint\.config\.mjs[^]*?)```/g),
].map((m) => m[1] as string);
const buggy =
  "import fs from 'node:fs';\nexport function save(file: string, data: string): void {\n  fs.writeFileSync(file + '.tmp', data);\n  fs.renameSync(file + '.tmp', file);\n}\n";

describe('README eslint.config.mjs', () => {
  it('shows a plain and a typescript-eslint config', () => {
    expect(configs).toHaveLength(2);
    expect(configs[1]).toContain('typescript-eslint');
  });

  configs.forEach((config, index) => {
    it(`example ${index + 1} loads in a CommonJS package and reports`, async () => {
      const dir = join(work, `example-${index}`);
      mkdirSync(join(dir, 'node_modules'), { recursive: true });
      symlinkSync(root, join(dir, 'node_modules', 'eslint-plugin-durable-write'));
      symlinkSync(join(root, 'node_modules', 'typescript-eslint'), join(dir, 'node_modules', 'typescript-eslint'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
      writeFileSync(join(dir, 'eslint.config.mjs'), config);
      const file = index === 1 ? 'save.ts' : 'save.mjs';
      writeFileSync(join(dir, file), index === 1 ? buggy : buggy.replace(/: string|: void/g, ''));
      const [result] = await new ESLint({ cwd: dir }).lintFiles([file]);
      expect(result?.messages.map((m) => m.ruleId)).toEqual(['durable-write/no-unsynced-rename']);
    });
  });
});
