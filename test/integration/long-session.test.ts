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

/** A `commit` that copies and renames nothing. */
const copyingCommit = `
import fs from 'node:fs';
export function commit(tmp, dest) {
  fs.copyFileSync(tmp, dest);
}
`;

let dir: string;
let eslint: ESLint;
let generation = 0;

/** Writes a module with a fresh mtime: editors save within the same second, ext4 keeps nanoseconds. */
function write(name: string, text: string): void {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const at = new Date(Date.UTC(2026, 0, 1) + ++generation * 1000);
  fs.utimesSync(file, at, at);
}

/** `commit` renames after an fsync of its own, in one module. */
const durableCommitInline = `
import fs from 'node:fs';
export function commit(tmp, dest) {
  const fd = fs.openSync(tmp, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, dest);
}
`;

/** The app with its \`commit\` import from \`source\`. */
const appImporting = (source: string): string => app.replace("'./commit.js'", `'${source}'`);

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

  it("sees a constant two modules away change its value, and the writer's summary with it", async () => {
    write(
      'app.js',
      `
import fs from 'node:fs';
import { writeState } from './writer.js';
export function save(data) {
  writeState(data);
  fs.renameSync('state.tmp', 'state.json');
}
`,
    );
    write(
      'writer.js',
      `
import fs from 'node:fs';
import { STATE_TMP } from './names.js';
export function writeState(data) {
  fs.writeFileSync(STATE_TMP, data);
}
`,
    );
    write('names.js', "export const STATE_TMP = 'state.tmp';\n");
    expect(await lint()).toEqual([[6, 3]]);
    write('names.js', "export const STATE_TMP = 'elsewhere.tmp';\n");
    expect(await lint()).toEqual([]);
    write('names.js', "export const STATE_TMP = 'state.tmp';\n");
    expect(await lint()).toEqual([[6, 3]]);
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

  it('sees a helper gain and lose its fsync', async () => {
    write('commit.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
    write('commit.js', durableCommitInline);
    expect(await lint()).toEqual([]);
    write('commit.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
  });

  it('sees a helper start and stop renaming, for a file whose text names no rename', async () => {
    // `app.js` asks its imports' reach before any call graph (the detector's early stop).
    write('commit.js', copyingCommit);
    expect(await lint()).toEqual([]);
    write('commit.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
    write('commit.js', copyingCommit);
    expect(await lint()).toEqual([]);
  });

  it('follows a re-export chain whose end is edited', async () => {
    write('app.js', appImporting('./lib/index.js'));
    write('lib/index.js', "export * from './commits.js';\n");
    write('lib/commits.js', "export { commit } from './impl.js';\n");
    write('lib/impl.js', durableCommitInline);
    expect(await lint()).toEqual([]);
    write('lib/impl.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
    write('lib/impl.js', durableCommitInline);
    expect(await lint()).toEqual([]);
  });

  it('follows a re-export chain whose end moves to a module created after the first lint', async () => {
    write('app.js', appImporting('./lib/index.js'));
    write('lib/index.js', "export * from './commits.js';\n");
    write('lib/commits.js', "export { commit } from './durable.js';\n");
    write('lib/durable.js', durableCommitInline);
    expect(await lint()).toEqual([]);
    write('lib/plain.js', plainCommit);
    write('lib/commits.js', "export { commit } from './plain.js';\n");
    expect(await lint()).toEqual([[6, 3]]);
  });

  it('sees a file created that an extensionless specifier now resolves to first', async () => {
    write('app.js', appImporting('./commit'));
    write('commit/index.js', durableCommitInline);
    expect(await lint()).toEqual([]);
    write('commit.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
  });

  it('sees a package installed after its lookup failed', async () => {
    write('app.js', appImporting('commit-helper'));
    expect(await lint()).toEqual([]);
    write(
      'node_modules/commit-helper/package.json',
      '{ "name": "commit-helper", "type": "module", "main": "index.js" }',
    );
    write('node_modules/commit-helper/index.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
  });

  it('sees a scoped package installed after its lookup failed, in a scope that already existed', async () => {
    write('app.js', appImporting('@acme/commit'));
    write('node_modules/@acme/other/package.json', '{ "name": "@acme/other" }');
    expect(await lint()).toEqual([]);
    write('node_modules/@acme/commit/package.json', '{ "name": "@acme/commit", "exports": "./index.js" }');
    write('node_modules/@acme/commit/index.js', plainCommit);
    expect(await lint()).toEqual([[6, 3]]);
  });

  it("sees a package's entry point change in its package.json", async () => {
    write('app.js', appImporting('commit-helper'));
    write('node_modules/commit-helper/durable.js', durableCommitInline);
    write('node_modules/commit-helper/plain.js', plainCommit);
    write('node_modules/commit-helper/package.json', '{ "type": "module", "exports": "./durable.js" }');
    expect(await lint()).toEqual([]);
    write('node_modules/commit-helper/package.json', '{ "type": "module", "exports": "./plain.js" }');
    expect(await lint()).toEqual([[6, 3]]);
    write('node_modules/commit-helper/package.json', '{ "type": "module", "main": "durable.js" }');
    expect(await lint()).toEqual([]);
  });
});
