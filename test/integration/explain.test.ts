/**
 * `DEBUG=durable-write:*` (src/engine/explain.ts): what a user reads when asking "why was this reported?",
 * for small files linted by one ESLint instance: the summaries of the helpers called, the flow
 * graph with its events by file key, the verdict for each rename, the modules read or reused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import createDebug from 'debug';
import { ESLint } from 'eslint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

let dir: string;
let eslint: ESLint;
/** Messages logged, by namespace. */
let logged: Map<string, string[]>;
const originalLog = createDebug.log;
const originalFormatArgs = createDebug.formatArgs;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function lint(name: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([path.join(dir, name)]);
  return (result?.messages ?? []).map((m) => `${m.line}:${m.column}`);
}

const dump = (namespace: string): string => (logged.get(`durable-write:${namespace}`) ?? []).join('\n---\n');

/** An ESLint running the rule on the test's folder, with these shared settings. */
const eslintWith = (settings?: Record<string, unknown>): ESLint =>
  new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.js'],
        plugins: { 'durable-write': plugin },
        ...(settings ? { settings } : {}),
        rules: { 'durable-write/no-unsynced-rename': 'error' },
      },
    ],
  });

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-explain-')));
  write('package.json', '{ "type": "module" }');
  eslint = eslintWith();
  logged = new Map();
  // The message as the code wrote it: no date, colour or namespace prefix (they depend on the terminal).
  createDebug.formatArgs = () => undefined;
  createDebug.log = function (this: createDebug.Debugger, ...args: unknown[]) {
    const list = logged.get(this.namespace) ?? [];
    list.push(format(...args));
    logged.set(this.namespace, list);
  };
  createDebug.enable('durable-write:*');
});

afterEach(() => {
  createDebug.disable();
  createDebug.log = originalLog;
  createDebug.formatArgs = originalFormatArgs;
  fs.rmSync(dir, { recursive: true, force: true });
});

const app = `import fs from 'node:fs';
import { commit } from './commit.js';
export function save(file, data, careful) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  if (careful) {
    const fd = fs.openSync(tmp, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  commit(tmp, file);
}
`;
const commit = `import fs from 'node:fs';
export function commit(tmp, dest) {
  fs.renameSync(tmp, dest);
}
`;

describe('DEBUG=durable-write:*', () => {
  it('a rename through an imported helper, fsynced on one path only: summaries, flow, verdict', async () => {
    const appFile = write('app.js', app);
    const commitFile = write('commit.js', commit);
    expect(await lint('app.js')).toEqual(['11:3']);

    expect(dump('summaries')).toBe(
      [
        appFile,
        `  call @11:3 → commit of './commit.js' (${commitFile})`,
        '    summary: done on return, renames §0§ to §1§, no fsync',
        '    here: acts as rename commit on tpl(v0,".tmp") to v0',
        '  where v0 = file (3:22)',
      ].join('\n'),
    );
    expect(dump('flow')).toBe(
      [
        appFile,
        '  s1_1 Program @1:1 → end',
        '  s2_1 start of function save @3:8 → s2_2, s2_3',
        '    write tpl(v0,".tmp") (writeFileSync @5:3)',
        '    the write @5:3 has finished here',
        '  s2_2 BlockStatement @6:16 → s2_3',
        '    sync tpl(v0,".tmp")',
        '  s2_3 IfStatement @6:3 → end',
        '    rename tpl(v0,".tmp") (commit @11:3)',
        '  where v0 = file (3:22)',
      ].join('\n'),
    );
    expect(dump('findings')).toBe(
      [
        appFile,
        '  rename tpl(v0,".tmp") (commit @11:3)',
        '    write (writeFileSync @5:3) reaches it with no fsync on some path (another path fsyncs it)',
        '  where v0 = file (3:22)',
      ].join('\n'),
    );
    expect(dump('modules')).toBe(
      `${commitFile}: read, ${fs.statSync(commitFile).size} bytes parsed: summarised exports commit`,
    );
  });

  it('a durable sequence: the fsync on the only path, a throw edge into the catch', async () => {
    const file = write(
      'durable.js',
      `import fs from 'node:fs';
export function save(file, data) {
  const tmp = \`\${file}.tmp\`;
  try {
    fs.writeFileSync(tmp, data, { flush: true });
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.renameSync(tmp, file);
}
`,
    );
    expect(await lint('durable.js')).toEqual([]);
    // ESLint starts a segment at each node that may throw inside a try block; the flush's sync is
    // recorded when the write returns, in the segment after it.
    expect(dump('flow')).toBe(
      [
        file,
        '  s1_1 Program @1:1 → end',
        '  s2_1 start of function save @2:8 → s2_2, s2_3; throws → s2_3',
        '    write tpl(v0,".tmp") (writeFileSync @5:5)',
        '  s2_2 Identifier @5:8 → s2_3, s2_5; throws → s2_3',
        '    the write @5:5 has finished here',
        '    sync tpl(v0,".tmp")',
        '  s2_3 CatchClause @6:5 → end',
        '  s2_4 BlockStatement @6:19 → s2_5; (unreachable)',
        '  s2_5 TryStatement @4:3 → end',
        '    rename tpl(v0,".tmp") (renameSync @10:3)',
        '  where v0 = file (2:22)',
      ].join('\n'),
    );
    expect(dump('findings')).toBe(
      [
        file,
        '  rename tpl(v0,".tmp") (renameSync @10:3)',
        '    write (writeFileSync @5:5) reaches it only through an fsync: durable',
        '  where v0 = file (2:22)',
      ].join('\n'),
    );
  });

  it('a file inside a copied folder: the copy that wrote it, and a program run in the folder since', async () => {
    const file = write(
      'stage.js',
      `import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
export function stage(template, work, dest) {
  fs.cpSync(template, work, { recursive: true });
  fs.renameSync(join(work, 'a.json'), dest);
  spawnSync('make', [], { cwd: work });
  fs.renameSync(join(work, 'dist', 'out.js'), dest);
}
`,
    );
    // The first rename publishes a file the copy wrote; the second one what \`make\` may have made.
    expect(await lint('stage.js')).toEqual(['6:3']);
    expect(dump('findings')).toBe(
      [
        file,
        '  rename join(v0,"a.json") (renameSync @6:3)',
        '    write (cpSync @5:3, of every file inside v0) reaches it with no fsync on some path',
        '  rename join(v0,"dist","out.js") (renameSync @8:3)',
        '    write (cpSync @5:3, of every file inside v0) does not reach it (or its path is reassigned first)',
        '  where v0 = work (4:33)',
      ].join('\n'),
    );
    expect(dump('flow')).toContain('    another program runs in v0 (@7:3)');
  });

  it('the second lint reuses the module summary; an edit of the module reads it again', async () => {
    write('app.js', app);
    const commitFile = write('commit.js', commit);
    const firstSize = fs.statSync(commitFile).size;
    await lint('app.js');
    await lint('app.js');
    fs.writeFileSync(commitFile, `${commit}\n// edited\n`);
    fs.utimesSync(commitFile, new Date(Date.UTC(2026, 0, 2)), new Date(Date.UTC(2026, 0, 2)));
    await lint('app.js');
    expect(logged.get('durable-write:modules')).toEqual([
      `${commitFile}: read, ${firstSize} bytes parsed: summarised exports commit`,
      `${commitFile}: reused: it and every module and resolution its summary used are unchanged`,
      `${commitFile}: read again (edited), ${fs.statSync(commitFile).size} bytes parsed: summarised exports commit`,
    ]);
  });

  it('says why a file was not looked at', async () => {
    const config = write('config.js', 'export const retries = 3;\n');
    // Writes, and hands the file to an imported helper that only reads it: nothing here can rename.
    write('check.js', "import fs from 'node:fs';\nexport const check = (file) => fs.readFileSync(file, 'utf8');\n");
    const writer = write(
      'writer.js',
      "import fs from 'node:fs';\nimport { check } from './check.js';\nfs.writeFileSync('a', 'b');\ncheck('a');\n",
    );
    // Renames, and writes nothing.
    const mover = write('mover.js', "import fs from 'node:fs';\nfs.renameSync('a', 'b');\n");
    expect(await lint('config.js')).toEqual([]);
    expect(await lint('writer.js')).toEqual([]);
    expect(await lint('mover.js')).toEqual([]);
    expect(logged.get('durable-write:skipped')).toEqual([
      `${config}: names no rename or move, and imports no helper that could publish a write`,
      `${writer}: nothing here renames (fs calls or imported helpers handed a file)`,
      `${mover}: nothing here both renames and writes (fs calls or summarised helpers)`,
    ]);
    // Whether `check` renames is read off the texts of check.js and what it imports: it is not parsed.
    expect(logged.get('durable-write:modules')).toBeUndefined();
  });

  it('reads no module for a file whose imported helpers cannot rename', async () => {
    // A temp-path builder (a module the summaries would parse to follow the path) and a reader: neither
    // module, nor anything they import, names a rename, so the file is dismissed before either is parsed.
    write(
      'paths.js',
      "import os from 'node:os';\nexport const tempPathOf = (name) => os.tmpdir() + '/' + name + '.tmp';\n",
    );
    write('check.js', "import fs from 'node:fs';\nexport const check = (file) => fs.readFileSync(file, 'utf8');\n");
    const writer = write(
      'writer.js',
      "import fs from 'node:fs';\nimport { tempPathOf } from './paths.js';\nimport { check } from './check.js';\nfs.writeFileSync(tempPathOf('a'), 'b');\ncheck(tempPathOf('a'));\n",
    );
    expect(await lint('writer.js')).toEqual([]);
    expect(logged.get('durable-write:skipped')).toEqual([
      `${writer}: nothing here renames (fs calls or imported helpers handed a file)`,
    ]);
    expect(logged.get('durable-write:modules')).toBeUndefined();
  });

  it('with cross-module off, summarises nothing in a file whose fs calls (an injected one too) rename nothing', async () => {
    // `store.rename(…)` makes the file a candidate for an injected file system, but the store writes
    // nothing by path: no fs call renames, so no helper's summary can; the local `stage` is not summarised.
    const file = write(
      'relabel.js',
      "import fs from 'node:fs';\nfunction stage(file, data) {\n  fs.writeFileSync(file, data);\n}\nexport function relabel(store, id, name, data) {\n  stage(name, data);\n  store.rename(id, name);\n}\n",
    );
    eslint = eslintWith({ 'durable-write': { crossModule: false } });
    expect(await lint('relabel.js')).toEqual([]);
    expect(logged.get('durable-write:skipped')).toEqual([
      `${file}: nothing here both renames and writes (fs calls or summarised helpers)`,
    ]);
    expect(logged.get('durable-write:summaries')).toBeUndefined();
  });

  it('prints nothing when the namespace is off', async () => {
    createDebug.enable('eslint:nothing-here');
    write('app.js', app);
    write('commit.js', commit);
    expect(await lint('app.js')).toEqual(['11:3']);
    expect(logged.size).toBe(0);
  });
});
