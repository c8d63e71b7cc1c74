/**
 * File systems by their TypeScript types, when typed linting is on (typescript-eslint's project
 * service): an object whose members are declared by Node's fs (`typeof fs`, `Pick<typeof fs, …>`) or
 * by an fs layer (Yarn's fslib `FakeFS`) is a file system even where duck typing would not pair its
 * calls; one whose members a library declares as something else (a generator's virtual tree) never is.
 * The project is `fixtures/typed/` (its `node_modules` holds stand-in declaration files).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from './rule-tester.js';
import { tested, type Valid } from './cases.js';

const ruleTester = new RuleTester();
const project = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'typed');

const typed = (code: string): Valid => ({
  code,
  filename: path.join(project, 'file.ts'),
  languageOptions: {
    parserOptions: { projectService: true, tsconfigRootDir: project },
  } as never,
});
const invalid = (code: string, at: Array<[number, number]>) =>
  ({
    ...typed(code),
    errors: at.map(([line, column]) => ({ messageId: 'unsyncedRename', line, column })),
  }) as never;

ruleTester.run('no-unsynced-rename: typed file systems', tested, {
  valid: [
    // A library's virtual tree: its write and rename never reach the disk, whatever their names.
    typed(`
import type { Tree } from 'virtual-tree';
export function generate(tree: Tree, name: string): void {
  tree.writeFile(name + '.tmp', 'x');
  tree.rename(name + '.tmp', name);
}`),
    // Without typed linting too when it writes with \`write(path, …)\`: fs's \`write\` takes a descriptor.
    {
      code: `
import type { Tree } from 'virtual-tree';
export function generate(tree: Tree, name: string): void {
  tree.write(name + '.tmp', 'x');
  tree.rename(name + '.tmp', name);
}`,
      filename: path.join(project, 'file.ts'),
    } as never,
    // Typed as fs, and fsynced.
    typed(`
import type * as fs from 'node:fs';
export function save(io: typeof fs, file: string, data: string): void {
  io.writeFileSync(file + '.tmp', data, { flush: true });
  io.renameSync(file + '.tmp', file);
}`),
  ],
  invalid: [
    // The same virtual tree without typed linting: duck typing takes it for a file system.
    {
      code: `
import type { Tree } from 'virtual-tree';
export function generate(tree: Tree, name: string): void {
  tree.writeFile(name + '.tmp', 'x');
  tree.rename(name + '.tmp', name);
}`,
      filename: path.join(project, 'file.ts'),
      errors: [{ messageId: 'unsyncedRename', line: 5, column: 3 }],
    } as never,
    // The write goes through Node's fs, the rename through an fs passed in and typed as one.
    invalid(
      `
import { writeFileSync } from 'node:fs';
import type * as fs from 'node:fs';
export function save(io: Pick<typeof fs, 'renameSync'>, file: string, data: string): void {
  writeFileSync(file + '.tmp', data);
  io.renameSync(file + '.tmp', file);
}`,
      [[6, 3]],
    ),
    // The other way round, with fs/promises' type.
    invalid(
      `
import { rename } from 'node:fs/promises';
export async function save(io: typeof import('node:fs/promises'), file: string, data: string): Promise<void> {
  await io.writeFile(file + '.tmp', data);
  await rename(file + '.tmp', file);
}`,
      [[5, 9]],
    ),
    // Yarn's fslib: any FakeFS, whatever the parameter is called.
    invalid(
      `
import type { FakeFS } from '@yarnpkg/fslib';
import { writeFileSync } from 'node:fs';
export function save(target: FakeFS<string>, file: string, data: string): void {
  writeFileSync(file + '.tmp', data);
  target.renameSync(file + '.tmp', file);
}`,
      [[6, 3]],
    ),
  ],
});
