/**
 * Dependencies that publish a file without an fsync, reported at the user's call. What a dependency
 * does is read from its published code: the real packages are this repository's devDependencies
 * (steno 4.0.2, lowdb 7.0.1, write-file-atomic 7.0.1, atomically 2.1.1, cacache 20.0.4), and the
 * made-up ones under `fixtures/dependencies/node_modules/` show that no package name is known in advance.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from './rule-tester.js';
import { cjs, esm, tested, type Valid } from './cases.js';

const ruleTester = new RuleTester();
const here = path.dirname(fileURLToPath(import.meta.url));
/** Resolves the repository's devDependencies. */
const inRepository = path.join(here, 'app.js');
/** Resolves the made-up packages. */
const inFixture = path.join(here, 'fixtures', 'dependencies', 'app.js');

type MessageId = 'unsyncedDependency' | 'unsyncedDependencyOption';

/** Dependency publications are opt-in (`dependencies: true`); every case here turns them on unless it says otherwise. */
const valid = (code: string, options?: Record<string, unknown>, at = inRepository, commonjs = false): Valid => ({
  code,
  filename: at,
  languageOptions: (commonjs ? cjs : esm) as never,
  options: [{ dependencies: true, ...options }],
});

/** A report: where, the callee as written, the package called, the one that renames (when another), the option turned off. */
type Report = [line: number, column: number, call: string, dependency: string, through?: string, option?: string];

const invalid = (code: string, errors: Report[], at = inRepository, commonjs = false) =>
  ({
    ...valid(code, undefined, at, commonjs),
    errors: errors.map(([line, column, call, dependency, through, option]) => ({
      messageId: (option ? 'unsyncedDependencyOption' : 'unsyncedDependency') satisfies MessageId,
      line,
      column,
      data: {
        call,
        dependency,
        through: through ? ` (in ${through})` : '',
        option: option ?? '',
        importSource: 'durable-write-runtime',
      },
    })),
  }) as never;

ruleTester.run('no-unsynced-rename: dependencies', tested, {
  valid: [
    // write-file-atomic and atomically fsync unless told not to.
    valid(`
import writeFileAtomic from 'write-file-atomic';
import { writeFile, writeFileSync } from 'atomically';
export async function save(file, data, opts) {
  await writeFileAtomic(file, data);
  await writeFileAtomic(file, data, { fsync: true, mode: 0o600 });
  writeFileAtomic.sync(file, data, 'utf8');
  await writeFile(file, data);
  writeFileSync(file, data, { fsync: true });
  // Options the file cannot see: not reported.
  await writeFileAtomic(file, data, opts);
}`),
    // Turned off by the option, and off by default.
    valid(
      `
import { Writer } from 'steno';
export async function save(file, data) {
  await new Writer(file).write(data);
}`,
      { dependencies: false },
    ),
    {
      code: `
import { Writer } from 'steno';
export async function save(file, data) {
  await new Writer(file).write(data);
}`,
      filename: inRepository,
      languageOptions: esm as never,
    },
    // Turned off with cross-module analysis.
    {
      ...valid(`
import { Writer } from 'steno';
export async function save(file, data) {
  await new Writer(file).write(data);
}`),
      settings: { 'durable-write': { crossModule: false } },
    },
    // A made-up package that fsyncs on every path, and one that fsyncs unless its own option says not to.
    valid(
      `
const save = require('careful-store');
exports.put = (file, data) => {
  save.saveAlways(file, data);
  save(file, data);
  save(file, data, { durable: true });
};`,
      undefined,
      inFixture,
      true,
    ),
    // A method of the publishing class that does not publish.
    valid(
      `
import { Store } from 'quick-store';
const store = new Store('data.json');
export const load = () => store.load();`,
      undefined,
      inFixture,
    ),
  ],
  invalid: [
    // steno: the Writer's method publishes; its \`new\` is not reported again.
    invalid(
      `
import { Writer } from 'steno';
export async function save(file, data) {
  const writer = new Writer(file);
  await writer.write(data);
}`,
      [[5, 9, 'writer.write', 'steno']],
    ),
    // A steno Writer held in a field of the user's class.
    invalid(
      `
import { Writer } from 'steno';
export class Cache {
  #writer;
  constructor(file) {
    this.#writer = new Writer(file);
  }
  save(data) {
    return this.#writer.write(data);
  }
}`,
      [[9, 12, 'write', 'steno']],
    ),
    // lowdb: the adapter is handed to Low, which writes through it; the preset builds one.
    invalid(
      `
import { Low } from 'lowdb';
import { JSONFile, JSONFileSync, JSONFilePreset } from 'lowdb/node';
export const db = new Low(new JSONFile('db.json'), {});
export const sync = new JSONFileSync('db.json');
export const preset = await JSONFilePreset('db.json', {});`,
      [
        [4, 27, 'new JSONFile', 'lowdb', 'steno'],
        [5, 21, 'new JSONFileSync', 'lowdb'],
        [6, 29, 'JSONFilePreset', 'lowdb', 'steno'],
      ],
    ),
    // write-file-atomic and atomically with their fsync turned off by this call, also through a const.
    invalid(
      `
import writeFileAtomic from 'write-file-atomic';
import { writeFile, writeFileSync } from 'atomically';
const FAST = { fsync: false };
export async function save(file, data) {
  await writeFileAtomic(file, data, { fsync: false });
  writeFileAtomic.sync(file, data, FAST);
  await writeFile(file, data, { encoding: 'utf8', fsync: false });
  writeFileSync(file, data, FAST);
}`,
      [
        [6, 9, 'writeFileAtomic', 'write-file-atomic', '', 'fsync'],
        [7, 3, 'writeFileAtomic.sync', 'write-file-atomic', '', 'fsync'],
        [8, 9, 'writeFile', 'atomically', '', 'fsync'],
        [9, 3, 'writeFileSync', 'atomically', '', 'fsync'],
      ],
    ),
    // @swc/cli: tsc's esModuleInterop holds the CommonJS module as `default`, its `sync` a member.
    invalid(
      `
"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
  return (mod && mod.__esModule) ? mod : { "default": mod };
};
const write_file_atomic_1 = __importDefault(require("write-file-atomic"));
exports.save = async (file, data) => {
  await (0, write_file_atomic_1.default)(file, data, { fsync: false });
  write_file_atomic_1.default.sync(file, data, { fsync: false });
};`,
      [
        [8, 9, 'write_file_atomic_1.default', 'write-file-atomic', '', 'fsync'],
        [9, 3, 'write_file_atomic_1.default.sync', 'write-file-atomic', '', 'fsync'],
      ],
      inRepository,
      true,
    ),
    // cacache writes its content and index through temp files it never fsyncs.
    invalid(
      `
const cacache = require('cacache');
exports.put = (cache, key, data) => cacache.put(cache, key, data);
exports.stream = (cache, key) => cacache.put.stream(cache, key);
exports.compact = (cache, key) => cacache.index.compact(cache, key, () => true);`,
      [
        [3, 37, 'cacache.put', 'cacache'],
        [4, 34, 'cacache.put.stream', 'cacache'],
        [5, 35, 'cacache.index.compact', 'cacache'],
      ],
      inRepository,
      true,
    ),
    // A namespaced API: members of exports (`module.exports.cache.flush = …`) and modules exported as members.
    invalid(
      `
const store = require('nested-store');
exports.put = (file, data) => {
  store.files.save(file, data);
  store.cache.flush(file, data);
  return store.files.load(file);
};`,
      [
        [4, 3, 'store.files.save', 'nested-store'],
        [5, 3, 'store.cache.flush', 'nested-store'],
      ],
      inFixture,
      true,
    ),
    // Made-up packages: a class, a function, a package publishing through another, an option of its own.
    invalid(
      `
import { Store, saveJson } from 'quick-store';
import { persist } from 'wrapping-store';
import save from 'careful-store';
const store = new Store('data.json');
export async function put(data) {
  await store.save(data);
  saveJson('data.json', data);
  persist('data.json', data);
  save('data.json', data, { durable: false });
}`,
      [
        [7, 9, 'store.save', 'quick-store'],
        [8, 3, 'saveJson', 'quick-store'],
        [9, 3, 'persist', 'wrapping-store', 'quick-store'],
        [10, 3, 'save', 'careful-store', '', 'durable'],
      ],
      inFixture,
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a dependency told not to fsync, with the default options', tested, {
  valid: [
    // The file turns an fsync off for a function of its own and calls steno's Writer: without
    // `dependencies: true` only calls that turn a dependency's fsync off are reported.
    {
      code: `
import { Writer } from 'steno';
function put(file, data, options) {}
export async function save(file, data) {
  put(file, data, { fsync: false });
  await new Writer(file).write(data);
}`,
      filename: inRepository,
      languageOptions: esm as never,
    },
  ],
  invalid: [
    // The call says \`fsync: false\` itself: reported without the option (only such files read the
    // dependency's code).
    {
      ...(invalid(
        `
import writeFileAtomic from 'write-file-atomic';
import { Writer } from 'steno';
export async function save(file, data) {
  await writeFileAtomic(file, data, { fsync: false });
  await new Writer(file).write(data);
}`,
        [[5, 9, 'writeFileAtomic', 'write-file-atomic', '', 'fsync']],
      ) as object),
      options: [{}],
    } as never,
    // tsc's interop, the member \`sync\`, and the options in a \`const\`.
    {
      ...(invalid(
        `
"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
  return (mod && mod.__esModule) ? mod : { "default": mod };
};
const write_file_atomic_1 = __importDefault(require("write-file-atomic"));
const FAST = { fsync: false };
exports.save = (file, data) => {
  write_file_atomic_1.default.sync(file, data, FAST);
};`,
        [[9, 3, 'write_file_atomic_1.default.sync', 'write-file-atomic', '', 'fsync']],
        inRepository,
        true,
      ) as object),
      options: [{}],
    } as never,
  ],
});
