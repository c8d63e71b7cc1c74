/**
 * Which file a value names, wherever it travels (issue 18): a temp path returned by the function
 * that wrote it (also through `.then(() => tmp)`, arrays and objects), a descriptor or FileHandle
 * returned with its path, callbacks wrapped by combinators, and fs layers that name their methods
 * differently (Yarn's fslib). And the false positives found on published code: a FileHandle closed
 * after its `flush: true` stream, a local class that only looks like a file system, flush options
 * held in a constant.
 */
import { RuleTester } from '@typescript-eslint/rule-tester';
import { invalid, invalidCjs, invalidTs, tested, validCjs, validEsm, validTs } from './cases.js';

const ruleTester = new RuleTester();

ruleTester.run('no-unsynced-rename: precision', tested, {
  valid: [
    // FileHandle.close() settles after its flush stream's handle.sync() (checked on Node 20.20).
    validEsm(`
import { open, rename } from 'node:fs/promises';
import { once } from 'node:events';
export async function save(tmp, dest, d) {
  const h = await open(tmp, 'w');
  const w = h.createWriteStream({ flush: true });
  w.end(d);
  await once(w, 'finish');
  await h.close();
  await rename(tmp, dest);
}`),
    // A parameter typed as a local class whose methods never reach fs is not a file system.
    validTs(`
class MemoryStore {
  files = new Map<string, string>();
  writeFile(path: string, data: string): void {
    this.files.set(path, data);
  }
  rename(from: string, to: string): void {
    this.files.set(to, this.files.get(from) ?? '');
    this.files.delete(from);
  }
}
export function save(store: MemoryStore, file: string, data: string): void {
  store.writeFile(file + '.tmp', data);
  store.rename(file + '.tmp', file);
}`),
    // The same, held in a variable created from the local class.
    validEsm(`
class MemoryStore {
  writeFile(path, data) { this[path] = data; }
  rename(from, to) { this[to] = this[from]; }
}
const store = new MemoryStore();
export function save(file, data) {
  store.writeFile(file + '.tmp', data);
  store.rename(file + '.tmp', file);
}`),
    // Flush options held in a constant.
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
const OPTS = { flush: true };
export async function save(file, data) {
  await writeFile(file + '.tmp', data, OPTS);
  await rename(file + '.tmp', file);
}`),
    validCjs(`
const fs = require('fs');
const OPTS = Object.freeze({ encoding: 'utf8', flush: true });
exports.save = function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, OPTS);
  fs.renameSync(file + '.tmp', file);
};`),
  ],
  invalid: [
    // Without the flush stream, closing the FileHandle does not sync it.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
import { once } from 'node:events';
export async function save(tmp, dest, d) {
  const h = await open(tmp, 'w');
  const w = h.createWriteStream();
  w.end(d);
  await once(w, 'finish');
  await h.close();
  await rename(tmp, dest);
}`,
      [[10, 9]],
    ),
    // A parameter typed as a local class whose methods do reach fs is a file system.
    invalidTs(
      `
import fs from 'node:fs';
class DiskStore {
  writeFile(path: string, data: string): void {
    fs.writeFileSync(path, data);
  }
  rename(from: string, to: string): void {
    fs.renameSync(from, to);
  }
}
export function save(store: DiskStore, file: string, data: string): void {
  store.writeFile(file + '.tmp', data);
  store.rename(file + '.tmp', file);
}`,
      [[13, 3]],
    ),
    // A constant without flush is no flush.
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
const OPTS = { encoding: 'utf8' };
export async function save(file, data) {
  await writeFile(file + '.tmp', data, OPTS);
  await rename(file + '.tmp', file);
}`,
      [[6, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: fs layers with their own vocabulary', tested, {
  valid: [
    validTs(`
import { xfs, type PortablePath } from '@yarnpkg/fslib';
export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.writeFilePromise(tmp, data, { flush: true });
  await xfs.renamePromise(tmp, file);
}`),
  ],
  invalid: [
    invalidTs(
      `
import { xfs, type PortablePath } from '@yarnpkg/fslib';
export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.writeFilePromise(tmp, data);
  await xfs.renamePromise(tmp, file);
}`,
      [[6, 9]],
    ),
    invalidTs(
      `
import { xfs, type PortablePath } from '@yarnpkg/fslib';
export async function install(source: PortablePath, file: PortablePath): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.copyFilePromise(source, tmp);
  await xfs.renamePromise(tmp, file);
}`,
      [[6, 9]],
    ),
    invalidCjs(
      `
const { xfs } = require('@yarnpkg/fslib');
exports.save = function save(file, data) {
  xfs.writeFileSync(file + '.tmp', data);
  xfs.renameSync(file + '.tmp', file);
};`,
      [[5, 3]],
    ),
    // A fslib-like object passed in (duck typing by its vocabulary).
    invalidTs(
      `
export async function save(fakeFs: { writeFilePromise(p: string, d: string): Promise<void>; renamePromise(a: string, b: string): Promise<void> }, file: string, data: string): Promise<void> {
  await fakeFs.writeFilePromise(file + '.tmp', data);
  await fakeFs.renamePromise(file + '.tmp', file);
}`,
      [[4, 9]],
    ),
  ],
});
