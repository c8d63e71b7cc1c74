/**
 * What reading dependencies for their publications costs, counted (not timed) through
 * `DEBUG=durable-write:modules`, which logs each module read for a summary: one ESLint instance
 * linting many files that call the same package reads each of its modules once; a package that
 * names a rename only in its comments' prose is never parsed, however its modules import each other;
 * a walk that found no rename is not trusted once an install replaces a package it walked (nor, within
 * the edit lifetime, once one of its modules is edited in place); and the
 * CLI gate, given the file, asks the same of the packages it imports before parsing it. A module
 * imported at several depths is read once unless a shallower budget cut its summary short, and one
 * is parsed for the temp files it names, not for the same letters inside other words.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import createDebug from 'debug';
import { ESLint } from 'eslint';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mayFindUnsyncedRenames } from '../../src/engine/detector.js';
import { PACKAGE_EDIT_LIFETIME_MS } from '../../src/engine/module-summaries.js';
import plugin from '../../src/index.js';

let dir: string;
let eslint: ESLint;
let generation = 0;
/** Modules read (not reused) for a summary, in order. */
let reads: string[];
/** Those of them parsed and summarised. */
let parsed: string[];
const originalLog = createDebug.log;
const originalFormatArgs = createDebug.formatArgs;

/** Writes a file with a fresh mtime: the lints of one test run within the same second. */
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const at = new Date(Date.UTC(2026, 0, 1) + ++generation * 1000);
  fs.utimesSync(file, at, at);
  return file;
}

/** A package whose entry and parts import each other in a cycle; `save` is `lib/save.js`'s. */
function writeStore(name: string, saveModule: string): void {
  write(`node_modules/${name}/package.json`, JSON.stringify({ name, type: 'module', main: 'index.js' }));
  write(
    `node_modules/${name}/index.js`,
    "export { save } from './lib/save.js';\nexport { load } from './lib/load.js';\n",
  );
  write(
    `node_modules/${name}/lib/load.js`,
    "import fs from 'node:fs';\nimport { save } from '../index.js';\nexport const load = (file) => fs.readFileSync(file, 'utf8');\nexport const again = save;\n",
  );
  write(`node_modules/${name}/lib/save.js`, saveModule);
}

const publishes = `
import fs from 'node:fs';
import { load } from './load.js';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
export const reload = load;
`;

/** Only prose says rename; `format` shapes the data. */
const prose = `
import { load } from './load.js';
// Callers rename the file themselves; we never move the original.
export function save(file, data) {
  return format(load(file), data);
}
const format = (a, b) => a + b;
`;

const app = (name: string): string => `
import { save } from '${name}';
export const put = (file, data) => save(file, data);
`;

async function lint(files: string[]): Promise<string[][]> {
  const results = await eslint.lintFiles(files.map((f) => path.join(dir, f)));
  return results.map((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.messageId ?? m.message}`));
}

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-dependency-reads-')));
  write('package.json', '{ "type": "module" }');
  eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.js'],
        plugins: { 'durable-write': plugin },
        rules: { 'durable-write/no-unsynced-rename': ['error', { dependencies: true }] },
      },
    ],
  });
  reads = [];
  parsed = [];
  createDebug.formatArgs = () => undefined;
  createDebug.log = function (this: createDebug.Debugger, ...args: unknown[]) {
    const message = format(...args);
    const read = /^(.*): read/.exec(message);
    if (this.namespace !== 'durable-write:modules' || !read) return;
    reads.push(path.relative(dir, read[1] as string));
    if (/: read[^:]*: summarised/.test(message)) parsed.push(path.relative(dir, read[1] as string));
  };
  createDebug.enable('durable-write:modules');
});

afterEach(() => {
  createDebug.disable();
  createDebug.log = originalLog;
  createDebug.formatArgs = originalFormatArgs;
  fs.rmSync(dir, { recursive: true, force: true });
});

it('reads a publishing package once for every file that calls it', async () => {
  writeStore('quick-store', publishes);
  const files = Array.from({ length: 12 }, (_, i) => write(`src/app${i}.js`, app('quick-store')));
  const messages = await lint(files.map((f) => path.relative(dir, f)));
  expect(messages).toEqual(files.map(() => ['3:36 unsyncedDependency']));
  const counts = new Map<string, number>();
  for (const read of reads) counts.set(read, (counts.get(read) ?? 0) + 1);
  expect(counts.get('node_modules/quick-store/lib/save.js')).toBe(1);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
});

/** An install as npm does it: the new version is unpacked beside the old one and renamed over it. */
function install(name: string, saveModule: string): void {
  writeStore(`.staging-${name}`, saveModule);
  fs.rmSync(path.join(dir, 'node_modules', name), { recursive: true, force: true });
  fs.renameSync(path.join(dir, 'node_modules', `.staging-${name}`), path.join(dir, 'node_modules', name));
}

it('never parses a package that names a rename only in prose, and sees it once an install makes it rename', async () => {
  writeStore('prose-store', prose);
  const files = Array.from({ length: 5 }, (_, i) => `src/app${i}.js`);
  for (const file of files) write(file, app('prose-store'));
  expect(await lint(files)).toEqual(files.map(() => []));
  expect(reads).toEqual([]);
  install('prose-store', publishes);
  expect(await lint(files)).toEqual(files.map(() => ['3:36 unsyncedDependency']));
});

it('sees an edit made by hand inside an installed package once the edit lifetime has passed', async () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  try {
    writeStore('prose-store', prose);
    const files = ['src/app0.js', 'src/app1.js'];
    for (const file of files) write(file, app('prose-store'));
    expect(await lint(files)).toEqual(files.map(() => []));
    // The walk that found nothing went through load.js and save.js: an edit to either counts, in time.
    write('node_modules/prose-store/lib/save.js', publishes);
    expect(await lint(files)).toEqual(files.map(() => []));
    vi.advanceTimersByTime(PACKAGE_EDIT_LIFETIME_MS);
    expect(await lint(files)).toEqual(files.map(() => ['3:36 unsyncedDependency']));
  } finally {
    vi.useRealTimers();
  }
});

it("lets the CLI's gate skip a file whose packages never call a rename, and keep one whose package does", () => {
  writeStore('prose-store', prose);
  writeStore('quick-store', publishes);
  const calm = write('src/calm.js', app('prose-store'));
  const busy = write('src/busy.js', app('quick-store'));
  const on = { dependencies: true };
  expect(mayFindUnsyncedRenames(app('prose-store'), on, calm)).toBe(false);
  expect(mayFindUnsyncedRenames(app('quick-store'), on, busy)).toBe(true);
  // Without the file, any package import may publish.
  expect(mayFindUnsyncedRenames(app('prose-store'), on)).toBe(true);
  // Off by default: only the file's own renames count.
  expect(mayFindUnsyncedRenames(app('quick-store'), {}, busy)).toBe(false);
  expect(mayFindUnsyncedRenames(app('prose-store'), { dependencies: false }, calm)).toBe(false);
  expect(reads).toEqual([]);
});

it('reads a module once when it is imported at different depths, and its summary serves both', async () => {
  write(
    'lib/stage.js',
    "import fs from 'node:fs';\nexport function stage(file, data) {\n  fs.writeFileSync(file, data);\n}\n",
  );
  write(
    'lib/publish.js',
    "import fs from 'node:fs';\nimport { stage } from './stage.js';\nexport function publish(tmp, file, data) {\n  stage(tmp, data);\n  fs.renameSync(tmp, file);\n}\n",
  );
  write(
    'src/app.js',
    `import fs from 'node:fs';
import { stage } from '../lib/stage.js';
import { publish } from '../lib/publish.js';
export function save(file, data) {
  stage(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
export function put(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  publish(file + '.tmp', file, data);
}
`,
  );
  expect(await lint(['src/app.js'])).toEqual([['6:3 unsyncedRename']]);
  expect(reads.filter((read) => read === 'lib/stage.js')).toEqual(['lib/stage.js']);
});

it('parses a module for the temp files it names, not for the same letters inside other words', async () => {
  write('lib/temp.js', "export const tempPathOf = (file) => file + '.' + process.pid;\n");
  write(
    'lib/words.js',
    "// Retried temporarily after each attempt; the template lists itemPath and ENOTEMPTY.\nexport const pathOf = (file) => file + '.' + process.pid;\n",
  );
  write(
    'src/app.js',
    `import fs from 'node:fs';
import { tempPathOf } from '../lib/temp.js';
import { pathOf } from '../lib/words.js';
export function save(file, data) {
  fs.writeFileSync(tempPathOf(file), data);
  fs.renameSync(tempPathOf(file), file);
  fs.writeFileSync(pathOf(file), data);
  fs.renameSync(pathOf(file), file);
}
`,
  );
  await lint(['src/app.js']);
  expect(parsed).toEqual(['lib/temp.js']);
});

/**
 * Modules `lib/${prefix}A.js` … `lib/${prefix}D.js`, each exporting a function of that name that passes
 * its two arguments on to the next module's; D's calls `fs.${call}` with them.
 */
function writeChain(prefix: string, call: string): void {
  const step = (name: string, next: string): string =>
    `import { ${next} } from './${next}.js';\nexport function ${name}(a, b) {\n  ${next}(a, b);\n}\n`;
  write(`lib/${prefix}D.js`, `import fs from 'node:fs';\nexport function ${prefix}D(a, b) {\n  fs.${call}(a, b);\n}\n`);
  for (const [name, next] of [
    ['C', 'D'],
    ['B', 'C'],
    ['A', 'B'],
  ])
    write(`lib/${prefix}${name}.js`, step(`${prefix}${name}`, `${prefix}${next}`));
}

it('reads a module again for a deeper budget when the shallower one cut its summary short', async () => {
  // Helpers named as writers, each passing its file on to the next module's.
  writeChain('write', 'writeFileSync');
  const app = (first: string, second: string): string => `import fs from 'node:fs';
import { writeA } from '../lib/writeA.js';
import { writeB } from '../lib/writeB.js';
export function first(file, data) {
  ${first}(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
export function second(file, data) {
  ${second}(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
`;
  // Four modules away, through writeA, writeD's write is past the budget; three away, through writeB, it is seen.
  write('src/deep-first.js', app('writeA', 'writeB'));
  write('src/near-first.js', app('writeB', 'writeA'));
  expect(await lint(['src/deep-first.js', 'src/near-first.js'])).toEqual([
    ['10:3 unsyncedRename'],
    ['6:3 unsyncedRename'],
  ]);
});

it('finds a rename as many modules away as a summary reads, and no further', async () => {
  // The linted file names no rename (`renameFileB` is not one): whether a helper renames is first read off the modules' texts.
  // Through renameFileA, renameFileD's rename is four modules away, past the budget; through renameFileB, three.
  writeChain('renameFile', 'renameSync');
  const app = (helper: string): string => `import fs from 'node:fs';
import { ${helper} } from '../lib/${helper}.js';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  ${helper}(file + '.tmp', file);
}
`;
  write('src/far.js', app('renameFileA'));
  write('src/near.js', app('renameFileB'));
  expect(await lint(['src/far.js', 'src/near.js'])).toEqual([[], ['5:3 unsyncedRename']]);
});

it('walks no further than a module no summary would parse, and on through one a summary parses', async () => {
  // `relay` names no fs call, temp file, re-export or path builder: it has no summary, whatever `shift` does.
  write('lib/shift.js', "import fs from 'node:fs';\nexport function shift(a, b) {\n  fs.renameSync(a, b);\n}\n");
  write('lib/relay.js', "import { shift } from './shift.js';\nexport function relay(a, b) {\n  shift(a, b);\n}\n");
  // `stage` hands its files to a helper named as a file mover: its summary parses it and looks `moveInto` up.
  write('lib/moveInto.js', "import fs from 'node:fs';\nexport function moveInto(a, b) {\n  fs.renameSync(a, b);\n}\n");
  write(
    'lib/stage.js',
    "import { moveInto } from './moveInto.js';\nexport function stage(a, b) {\n  moveInto(a, b);\n}\n",
  );
  const app = (helper: string): string => `import fs from 'node:fs';
import { ${helper} } from '../lib/${helper}.js';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  ${helper}(file + '.tmp', file);
}
`;
  write('src/relayed.js', app('relay'));
  write('src/staged.js', app('stage'));
  const texts = vi.spyOn(fs, 'readFileSync');
  try {
    expect(await lint(['src/relayed.js'])).toEqual([[]]);
    const read = texts.mock.calls.map(([file]) => path.relative(dir, String(file)));
    expect(read).toContain('lib/relay.js');
    expect(read).not.toContain('lib/shift.js');
    expect(await lint(['src/staged.js'])).toEqual([['5:3 unsyncedRename']]);
  } finally {
    texts.mockRestore();
  }
});

it('walks on past a string that looks like the start of an import source', async () => {
  writeStore('noted-store', publishes);
  // The entry's first export is a string ending in `from '`: the import after it is still walked.
  write(
    'node_modules/noted-store/index.js',
    "export const note = 'copied from ';\nexport { save } from './lib/save.js';\nexport { load } from './lib/load.js';\n",
  );
  write('src/app.js', app('noted-store'));
  expect(await lint(['src/app.js'])).toEqual([['3:36 unsyncedDependency']]);
});

it('does not parse a module that exports nothing a summary reads, and still reads it as an fs adapter', async () => {
  // Shaped like SWC's CommonJS output (Next.js's `dist/`): its exports are getters, which summaries do not read.
  write(
    'lib/swc.cjs',
    `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
0 && (module.exports = { save: null });
function _export(target, all) {
  for (var name in all) Object.defineProperty(target, name, { enumerable: true, get: all[name] });
}
_export(exports, { save: function () { return save; } });
const _fs = require("fs");
function save(path, data) {
  _fs.writeFileSync(path + ".tmp", data);
  _fs.renameSync(path + ".tmp", path);
}
`,
  );
  write(
    'src/app.js',
    `import fs from 'node:fs';
import swc from '../lib/swc.cjs';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  swc.renameSync(file + '.tmp', file);
}
`,
  );
  // It imports fs, so an fs-named export with no summary of its own is fs's: \`renameSync\` renames.
  expect(await lint(['src/app.js'])).toEqual([['5:3 unsyncedRename']]);
  expect(reads).toEqual(['lib/swc.cjs']);
  expect(parsed).toEqual([]);
});

it('parses a module that exported nothing a summary reads once an edit makes it export one, in the same session', async () => {
  const swc = (exported: string): string => `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
function _export(target, all) {
  for (var name in all) Object.defineProperty(target, name, { enumerable: true, get: all[name] });
}
_export(exports, { moveInto: function () { return moveInto; } });
const _fs = require("fs");
function moveInto(from, to) {
  _fs.renameSync(from, to);
}
${exported}`;
  write('lib/swc.cjs', swc(''));
  write(
    'src/app.js',
    `import fs from 'node:fs';
import swc from '../lib/swc.cjs';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  swc.moveInto(file + '.tmp', file);
}
`,
  );
  expect(await lint(['src/app.js'])).toEqual([[]]);
  expect(parsed).toEqual([]);
  write('lib/swc.cjs', swc('exports.moveInto = moveInto;\n'));
  expect(await lint(['src/app.js'])).toEqual([['5:3 unsyncedRename']]);
  expect(parsed).toEqual(['lib/swc.cjs']);
});
