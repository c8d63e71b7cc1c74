/**
 * Module summaries in a long editor session: one ESLint instance lints the same file again after
 * the user edits, creates or removes one of its dependencies, and must see the dependency as it is
 * now — also when the change is two modules away, and when the module did not exist at first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const app = `
import fs from 'node:fs';
import { commit } from './commit.js';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  commit(file + '.tmp', file);
}
`;

/** A rename helper that fsyncs first (through the module `sync.js` when `throughSync`). */
const durableCommit = `
import fs from 'node:fs';
import { flush } from './sync.js';
export function commit(tmp, dest) {
  flush(tmp);
  fs.renameSync(tmp, dest);
}
`;
const syncs = `
import fs from 'node:fs';
export function flush(file) {
  const fd = fs.openSync(file, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}
`;
const doesNotSync = `
export function flush(file) {
  return file;
}
`;
const plainCommit = `
import fs from 'node:fs';
export function commit(tmp, dest) {
  fs.renameSync(tmp, dest);
}
`;

let dir: string;
let eslint: ESLint;
let generation = 0;

/** Writes a module with a fresh mtime: editors save within the same second, ext4 keeps nanoseconds. */
function write(name: string, text: string): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const at = new Date(Date.UTC(2026, 0, 1) + ++generation * 1000);
  fs.utimesSync(file, at, at);
}

const lint = async (): Promise<Array<[number, number]>> => {
  const [result] = await eslint.lintFiles([path.join(dir, 'app.js')]);
  return (result?.messages ?? []).map((m) => [m.line, m.column]);
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-session-'));
  write('package.json', '{ "type": "module" }');
  write('app.js', app);
  eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.js'],
        plugins: { 'durable-write': plugin },
        rules: { 'durable-write/no-unsynced-rename': 'error' },
      },
    ],
  });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('one ESLint instance while dependencies change', () => {
  it('sees an edit two modules away', async () => {
    write('commit.js', durableCommit);
    write('sync.js', syncs);
    expect(await lint()).toEqual([]);
    write('sync.js', doesNotSync);
    expect(await lint()).toEqual([[6, 3]]);
    write('sync.js', syncs);
    expect(await lint()).toEqual([]);
  });

  it('sees a dependency created after a lookup failed', async () => {
    expect(await lint()).toEqual([]);
    write('commit.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
  });

  it('sees a dependency of a dependency created after its lookup failed', async () => {
    write('commit.js', durableCommit);
    expect(await lint()).toEqual([[6, 3]]);
    write('sync.js', syncs);
    expect(await lint()).toEqual([]);
  });

  it('sees a dependency removed', async () => {
    write('commit.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
    fs.rmSync(path.join(dir, 'commit.js'));
    expect(await lint()).toEqual([]);
  });
});
