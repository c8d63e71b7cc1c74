/**
 * Variants of each class of miss issue 18 lists, in the forms published code takes after TypeScript,
 * Babel or esbuild (CommonJS `exports.x =`, `__awaiter` generators, lazy `_fs()` getters, class
 * methods holding `this.handle`/`this.fd`/`this.tmpPath`, FileHandle `write`/`writev`/`appendFile`,
 * `util.promisify`, `.call`/`.apply`/`.bind`, destructured requires, sibling modules). Each variant
 * has a durable counterpart, the same code with the missing flush added, which must stay valid.
 *
 * In a variant's code `/*!*\/` marks where the report is expected (the rename, or the call that
 * renames); it is removed before linting.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from './rule-tester.js';
import { cjs, esm, tested, type Invalid, type Valid } from './cases.js';

const ruleTester = new RuleTester();
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'variants');

type Language = 'cjs' | 'esm' | 'ts';
type MessageId = 'unsyncedRename' | 'unsyncedDirectoryRename';

interface Variant {
  /** What the variant is, as the test's name. */
  name: string;
  language: Language;
  /** The buggy code, `/*!*\/` before the reported call. */
  code: string;
  /** Text replacements that make it durable: each `from` must occur in the code. */
  durable: Array<[from: string, to: string]>;
  messageId?: MessageId;
}

const MARK = '/*!*/';

function languageOf(language: Language, name: string): Partial<Valid> {
  const filename = path.join(fixtures, language === 'ts' ? `${name}.ts` : `${name}.js`);
  if (language === 'ts') return { filename };
  return { filename, languageOptions: (language === 'esm' ? esm : cjs) as never };
}

/** The line and column (1-based) of the marker, and the code without it. */
function locate(code: string): { code: string; line: number; column: number } {
  const at = code.indexOf(MARK);
  if (at < 0 || code.indexOf(MARK, at + 1) >= 0) throw new Error(`one ${MARK} marker expected in:\n${code}`);
  const before = code.slice(0, at).split('\n');
  return { code: code.replace(MARK, ''), line: before.length, column: before[before.length - 1]!.length + 1 };
}

function buggy(variant: Variant): Invalid {
  const { code, line, column } = locate(variant.code);
  return {
    name: variant.name,
    code,
    ...languageOf(variant.language, 'app'),
    errors: [{ messageId: (variant.messageId ?? 'unsyncedRename') as never, line, column }],
  } as Invalid;
}

function durable(variant: Variant): Valid {
  let code = variant.code.replace(MARK, '');
  for (const [from, to] of variant.durable) {
    if (!code.includes(from)) throw new Error(`${variant.name}: durable counterpart: "${from}" not in the code`);
    code = code.replace(from, to);
  }
  return { name: `${variant.name} (durable)`, code, ...languageOf(variant.language, 'app') };
}

function runClass(title: string, variants: Variant[]): void {
  ruleTester.run(`no-unsynced-rename variants: ${title}`, tested, {
    valid: variants.map(durable),
    invalid: variants.map(buggy),
  });
}

// tsc's helper for `async` functions compiled to ES2015 generators.
const awaiter = `var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};`;

runClass('a temp path returned by the function that wrote it', [
  {
    name: 'tsc __awaiter generators, returned path awaited with yield',
    language: 'cjs',
    code: `${awaiter}
Object.defineProperty(exports, "__esModule", { value: true });
const fs = require("fs");
function stage(file, data) {
    return __awaiter(this, void 0, void 0, function* () {
        const tmp = file + ".tmp-" + process.pid;
        yield fs.promises.writeFile(tmp, data, "utf8");
        return tmp;
    });
}
function save(file, data) {
    return __awaiter(this, void 0, void 0, function* () {
        const tmp = yield stage(file, data);
        yield /*!*/fs.promises.rename(tmp, file);
    });
}
exports.save = save;`,
    durable: [['writeFile(tmp, data, "utf8")', 'writeFile(tmp, data, { encoding: "utf8", flush: true })']],
  },
  {
    name: "a field holding another class's instance, its method called in a tsc __awaiter body",
    language: 'cjs',
    code: `${awaiter}
Object.defineProperty(exports, "__esModule", { value: true });
const fs = require("fs");
const path = require("path");
class Registry {
    constructor(dir) { this.dir = dir; }
    requestArtifact(name, data) {
        return __awaiter(this, void 0, void 0, function* () {
            const part = path.join(this.dir, name + ".part");
            yield fs.promises.writeFile(part, data, "utf8");
            return part;
        });
    }
}
class Builder {
    constructor(dir) { this.registry = new Registry(dir); }
    build(name, data, dest) {
        return __awaiter(this, void 0, void 0, function* () {
            const part = yield this.registry.requestArtifact(name, data);
            yield /*!*/fs.promises.rename(part, dest);
        });
    }
}
exports.Builder = Builder;`,
    durable: [['writeFile(part, data, "utf8")', 'writeFile(part, data, { encoding: "utf8", flush: true })']],
  },
  {
    name: 'class method returns the temp path it wrote, another method renames it',
    language: 'esm',
    code: `
import { writeFile, rename } from 'node:fs/promises';
export class JsonStore {
  constructor(file) {
    this.file = file;
  }
  async stage(data) {
    const tmp = \`\${this.file}.\${process.pid}.tmp\`;
    await writeFile(tmp, JSON.stringify(data));
    return tmp;
  }
  async save(data) {
    const tmp = await this.stage(data);
    await /*!*/rename(tmp, this.file);
  }
}`,
    durable: [['JSON.stringify(data))', 'JSON.stringify(data), { flush: true })']],
  },
  {
    name: 'returned in an object, destructured by the caller',
    language: 'esm',
    code: `
import fs from 'node:fs';
const stage = (file, data, suffix = '.tmp') => {
  const tmpPath = file + suffix;
  fs.writeFileSync(tmpPath, data);
  return { tmpPath, size: data.length };
};
export function save(file, data) {
  const { tmpPath } = stage(file, data);
  /*!*/fs.renameSync(tmpPath, file);
}`,
    durable: [['fs.writeFileSync(tmpPath, data);', 'fs.writeFileSync(tmpPath, data, { flush: true });']],
  },
  {
    name: 'promise chain: .then(function () { return tmp }) then .then((tmp) => rename(tmp))',
    language: 'cjs',
    code: `
const fsp = require('fs').promises;
function stage(file, data) {
  const tmp = file + '.' + Date.now();
  return fsp.writeFile(tmp, data).then(function () {
    return tmp;
  });
}
exports.save = function (file, data) {
  return stage(file, data).then((tmp) => /*!*/fsp.rename(tmp, file));
};`,
    durable: [['fsp.writeFile(tmp, data)', 'fsp.writeFile(tmp, data, { flush: true })']],
  },
  {
    name: 'callback style: the path is handed to the callback that renames',
    language: 'cjs',
    code: `
const fs = require('fs');
function stage(file, data, cb) {
  const tmp = file + '.tmp';
  fs.writeFile(tmp, data, (err) => cb(err, tmp));
}
exports.save = function save(file, data, cb) {
  stage(file, data, (err, tmp) => {
    if (err) return cb(err);
    /*!*/fs.rename(tmp, file, cb);
  });
};`,
    durable: [['fs.writeFile(tmp, data, (err)', 'fs.writeFile(tmp, data, { flush: true }, (err)']],
  },
  {
    name: 'exports.x helper called as exports.x, sync writes',
    language: 'cjs',
    code: `
const fs = require('fs');
exports.writeTemp = function writeTemp(file, data) {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, data);
  fs.closeSync(fd);
  return tmp;
};
exports.save = function save(file, data) {
  const tmp = exports.writeTemp(file, data);
  /*!*/fs.renameSync(tmp, file);
};`,
    durable: [['fs.writeSync(fd, data);', 'fs.writeSync(fd, data);\n  fs.fsyncSync(fd);']],
  },
  {
    name: 'helper in a sibling module (tsc output), cross-module',
    language: 'cjs',
    code: `
const fs = require('fs');
const stage_1 = require('./stage');
exports.save = async function save(file, data) {
  const tmp = await (0, stage_1.stageTemp)(file, data);
  await /*!*/fs.promises.rename(tmp, file);
};`,
    durable: [['stage_1.stageTemp', 'stage_1.stageTempDurably']],
  },
  {
    name: 'returned as the first element of an array with the handle',
    language: 'esm',
    code: `
import * as fsp from 'node:fs/promises';
async function stage(file, data) {
  const tmp = \`\${file}.tmp\`;
  const handle = await fsp.open(tmp, 'w');
  await handle.writeFile(data);
  return [tmp, handle];
}
export async function save(file, data) {
  const [tmp, handle] = await stage(file, data);
  await handle.close();
  await /*!*/fsp.rename(tmp, file);
}`,
    durable: [['await handle.writeFile(data);', 'await handle.writeFile(data);\n  await handle.sync();']],
  },

  {
    name: 'esbuild __async helper returns the path, a class method destructures it',
    language: 'esm',
    code: `
var __async = (__this, __arguments, generator) => new Promise((resolve, reject) => {
  var step = (x) => x.done ? resolve(x.value) : Promise.resolve(x.value).then(fulfilled, rejected);
  var fulfilled = (value) => { try { step(generator.next(value)); } catch (e) { reject(e); } };
  var rejected = (value) => { try { step(generator.throw(value)); } catch (e) { reject(e); } };
  step((generator = generator.apply(__this, __arguments)).next());
});
import { promises as fsp } from 'node:fs';
export class Cache {
  constructor(file) { this.file = file; }
  prepare(data) {
    return __async(this, null, function* () {
      const tmpPath = this.file + '.tmp';
      yield fsp.writeFile(tmpPath, data);
      return { tmpPath, bytes: data.length };
    });
  }
  save(data) {
    return __async(this, null, function* () {
      const { tmpPath } = yield this.prepare(data);
      yield /*!*/fsp.rename(tmpPath, this.file);
    });
  }
}`,
    durable: [['fsp.writeFile(tmpPath, data)', 'fsp.writeFile(tmpPath, data, { flush: true })']],
  },
  {
    name: 'a callback-style stage promisified with util.promisify',
    language: 'cjs',
    code: `
const fs = require('fs');
const { promisify } = require('util');
function stage(file, data, cb) {
  const tmp = file + '.tmp';
  fs.writeFile(tmp, data, (err) => cb(err, tmp));
}
const stageAsync = promisify(stage);
exports.save = async function save(file, data) {
  const tmp = await stageAsync(file, data);
  await /*!*/fs.promises.rename(tmp, file);
};`,
    durable: [['fs.writeFile(tmp, data, (err)', 'fs.writeFile(tmp, data, { flush: true }, (err)']],
  },
  {
    name: 'an array of { tempPath, targetPath } objects pushed in a loop and returned, renamed by the caller',
    language: 'esm',
    code: `
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
async function writeExclusiveFile(filePath, content) {
  await fs.writeFile(filePath, content, { flag: 'wx' });
}
async function removeAll(staged) {
  await Promise.allSettled(staged.map(({ tempPath }) => fs.unlink(tempPath)));
}
async function stageTargets(targets) {
  const staged = [];
  try {
    for (const target of targets) {
      const tempPath = path.join(path.dirname(target.targetPath), \`.\${randomUUID()}.tmp\`);
      await writeExclusiveFile(tempPath, target.patched);
      staged.push({ targetPath: target.targetPath, tempPath, isNewFile: target.isNewFile });
    }
    return staged;
  } catch (error) {
    await removeAll(staged);
    throw error;
  }
}
export async function applyPatches(targets) {
  let stagedTargets;
  try {
    stagedTargets = await stageTargets(targets);
  } catch (error) {
    return { success: false, error };
  }
  for (const stagedTarget of stagedTargets) {
    await /*!*/fs.rename(stagedTarget.tempPath, stagedTarget.targetPath);
  }
  return { success: true };
}`,
    durable: [["{ flag: 'wx' }", "{ flag: 'wx', flush: true }"]],
  },
  {
    name: 'an array of { tmp, dest } objects built from the arguments, returned and iterated by the caller (CommonJS)',
    language: 'cjs',
    code: `
const fs = require('fs');
function stageAll(files) {
  const pairs = [];
  for (const file of files) {
    const tmp = file.dest + '.tmp';
    fs.writeFileSync(tmp, file.contents);
    pairs.push({ tmp, dest: file.dest });
  }
  return pairs;
}
exports.saveAll = function saveAll(files) {
  for (const pair of stageAll(files)) /*!*/fs.renameSync(pair.tmp, pair.dest);
};`,
    durable: [['fs.writeFileSync(tmp, file.contents);', 'fs.writeFileSync(tmp, file.contents, { flush: true });']],
  },
]);

runClass("a path class's methods on an object made by a factory or by new", [
  {
    name: "a path class's own methods through a factory (pokemon-showdown's FS(path).write, .rename)",
    language: 'cjs',
    code: `
const fs = require('fs');
const path = require('path');
const ROOT_PATH = path.resolve(__dirname, '..');
class FSPath {
  constructor(p) {
    this.path = path.resolve(ROOT_PATH, p);
  }
  write(data, options = {}) {
    return new Promise((resolve, reject) => {
      fs.writeFile(this.path, data, options, (err) => (err ? reject(err) : resolve()));
    });
  }
  rename(target) {
    return new Promise((resolve, reject) => {
      fs.rename(this.path, target, (err) => (err ? reject(err) : resolve()));
    });
  }
  async safeWrite(data, options = {}) {
    await FS(this.path + '.NEW').write(data, options);
    await /*!*/FS(this.path + '.NEW').rename(this.path);
  }
}
function getFs(p) {
  return new FSPath(p);
}
const FS = Object.assign(getFs, { FSPath, ROOT_PATH });
exports.FS = FS;`,
    durable: [['fs.writeFile(this.path, data, options,', 'fs.writeFile(this.path, data, { ...options, flush: true },']],
  },
  {
    name: "a path class's methods on a factory's result held in a const (const f = FS(tmp); f.write(d))",
    language: 'cjs',
    code: `
const fs = require('fs');
class FSPath {
  constructor(p) {
    this.path = p;
  }
  writeSync(data) {
    fs.writeFileSync(this.path, data);
  }
  renameSync(target) {
    fs.renameSync(this.path, target);
  }
}
function FS(p) {
  return new FSPath(p);
}
exports.save = function save(file, data) {
  const staged = FS(file + '.NEW');
  staged.writeSync(data);
  /*!*/staged.renameSync(file);
};`,
    durable: [['fs.writeFileSync(this.path, data);', 'fs.writeFileSync(this.path, data, { flush: true });']],
  },
  {
    name: 'new C(path).write(…) then new C(path).rename(…) on a class of the file',
    language: 'esm',
    code: `
import { writeFileSync, renameSync } from 'node:fs';
class TextFile {
  constructor(file) {
    this.file = file;
  }
  write(text) {
    writeFileSync(this.file, text);
  }
  moveTo(dest) {
    renameSync(this.file, dest);
  }
}
export function save(file, text) {
  new TextFile(file + '.tmp').write(text);
  /*!*/new TextFile(file + '.tmp').moveTo(file);
}`,
    durable: [['writeFileSync(this.file, text);', 'writeFileSync(this.file, text, { flush: true });']],
  },
]);

runClass('callbacks wrapped by a combinator', [
  {
    name: '.bind(null, …) handler that renames, after a write',
    language: 'cjs',
    code: `
const fs = require('fs');
function place(tmp, dest, cb, err) {
  if (err) return cb(err);
  /*!*/fs.rename(tmp, dest, cb);
}
exports.save = function save(tmp, dest, data, cb) {
  fs.writeFile(tmp, data, place.bind(null, tmp, dest, cb));
};`,
    durable: [['fs.writeFile(tmp, data, place', 'fs.writeFile(tmp, data, { flush: true }, place']],
  },
  {
    name: 'a once() wrapper imported from a package',
    language: 'cjs',
    code: `
const fs = require('fs');
const once = require('once');
exports.save = function save(tmp, dest, data, cb) {
  cb = once(cb);
  fs.writeFile(tmp, data, once(function (err) {
    if (err) return cb(err);
    /*!*/fs.rename(tmp, dest, cb);
  }));
};`,
    durable: [['fs.writeFile(tmp, data, once', 'fs.writeFile(tmp, data, { flush: true }, once']],
  },
  {
    name: 'async.waterfall steps',
    language: 'cjs',
    code: `
const fs = require('fs');
const async = require('async');
exports.save = function save(tmp, dest, data, cb) {
  async.waterfall([
    function (next) { fs.writeFile(tmp, data, next); },
    function (next) { /*!*/fs.rename(tmp, dest, next); },
  ], cb);
};`,
    durable: [['fs.writeFile(tmp, data, next)', 'fs.writeFile(tmp, data, { flush: true }, next)']],
  },
  {
    name: 'async.eachSeries over files of a directory, then the final callback renames one',
    language: 'cjs',
    code: `
const fs = require('fs');
const path = require('path');
const async = require('async');
exports.save = function save(tmp, dest, parts, cb) {
  async.eachSeries(parts, function (part, next) {
    fs.appendFile(tmp, part, next);
  }, function (err) {
    if (err) return cb(err);
    /*!*/fs.rename(tmp, dest, cb);
  });
};`,
    durable: [['fs.appendFile(tmp, part, next)', 'fs.appendFile(tmp, part, { flush: true }, next)']],
  },
  {
    name: 'util.promisify of fs functions, awaited',
    language: 'cjs',
    code: `
const fs = require('fs');
const util = require('util');
const writeFileAsync = util.promisify(fs.writeFile);
const renameAsync = util.promisify(fs.rename);
exports.save = async (tmp, dest, data) => {
  await writeFileAsync(tmp, data);
  await /*!*/renameAsync(tmp, dest);
};`,
    durable: [['await writeFileAsync(tmp, data);', 'await writeFileAsync(tmp, data, { flush: true });']],
  },
  {
    // @shabados/database's utils: the fs functions destructured from the require, then promisified.
    name: 'util.promisify of destructured fs functions',
    language: 'cjs',
    code: `
const { promisify } = require('util');
const { writeFile, rename } = require('fs');
const writeFileAsync = promisify(writeFile);
const writeJSON = (path, json) => writeFileAsync(path, JSON.stringify(json));
exports.save = async (tmp, dest, data) => {
  await writeJSON(tmp, data);
  await /*!*/promisify(rename)(tmp, dest);
};`,
    durable: [
      ['writeFileAsync(path, JSON.stringify(json))', 'writeFileAsync(path, JSON.stringify(json), { flush: true })'],
    ],
  },
  {
    // Bluebird's promisifyAll gives each callback function an \`Async\` twin.
    name: "Bluebird's promisifyAll of fs",
    language: 'cjs',
    code: `
const Promise = require('bluebird');
const fs = Promise.promisifyAll(require('fs'));
exports.save = async (file, data) => {
  const tmp = file + '.' + process.pid;
  await fs.writeFileAsync(tmp, data);
  await /*!*/fs.renameAsync(tmp, file);
};`,
    durable: [['await fs.writeFileAsync(tmp, data);', 'await fs.writeFileAsync(tmp, data, { flush: true });']],
  },
  {
    // fs-extra-promise: Bluebird's promisifyAll of fs-extra, its own members' twins too.
    name: "fs-extra's Async twins (fs-extra-promise)",
    language: 'cjs',
    code: `
const fs = require('fs-extra-promise');
exports.save = async (file, obj) => {
  await fs.outputJsonAsync(file + '.tmp', obj);
  await /*!*/fs.moveAsync(file + '.tmp', file, { clobber: true });
};`,
    durable: [["fs.outputJsonAsync(file + '.tmp', obj)", "fs.outputJsonAsync(file + '.tmp', obj, { flush: true })"]],
  },
  {
    // @airtable/blocks-cli: an injected \`sys\` whose \`fs\` is Bluebird-promisified, its members destructured.
    name: "members destructured from an injected object's fs field",
    language: 'cjs',
    code: `
async function writeFileAtomicallyAsync(sys, filepath, content) {
  const { fs: { renameAsync, writeFileAsync } } = sys;
  const tmp = \`\${filepath}~\`;
  await writeFileAsync(tmp, content);
  await /*!*/renameAsync(tmp, filepath);
}
exports.writeFileAtomicallyAsync = writeFileAtomicallyAsync;`,
    durable: [['await writeFileAsync(tmp, content);', 'await writeFileAsync(tmp, content, { flush: true });']],
  },
  {
    name: "members destructured in an injected fs parameter's pattern",
    language: 'esm',
    code: `
export function save({ writeFileSync, renameSync: move }, file, data) {
  writeFileSync(file + '.tmp', data);
  /*!*/move(file + '.tmp', file);
}`,
    durable: [["writeFileSync(file + '.tmp', data);", "writeFileSync(file + '.tmp', data, { flush: true });"]],
  },
  {
    name: "members destructured from an injected fs parameter's field, through a descriptor",
    language: 'cjs',
    code: `
exports.save = function save(options, file, data) {
  const { openSync, writeSync, closeSync, renameSync } = options.fs;
  const fd = openSync(file + '.tmp', 'w');
  writeSync(fd, data);
  closeSync(fd);
  /*!*/renameSync(file + '.tmp', file);
};`,
    durable: [['closeSync(fd);', 'options.fs.fsyncSync(fd);\n  closeSync(fd);']],
  },
  {
    name: "Bluebird's promisifyAll of fs, through a descriptor",
    language: 'cjs',
    code: `
const bluebird = require('bluebird');
const fs = require('fs');
bluebird.promisifyAll(fs);
exports.save = async (file, data) => {
  const fd = await fs.openAsync(file + '.tmp', 'w');
  await fs.writeAsync(fd, data);
  await fs.closeAsync(fd);
  await /*!*/fs.renameAsync(file + '.tmp', file);
};`,
    durable: [['await fs.closeAsync(fd);', 'await fs.fsyncAsync(fd);\n  await fs.closeAsync(fd);']],
  },
  {
    name: 'util.promisify of fs functions imported by name',
    language: 'esm',
    code: `
import { promisify } from 'node:util';
import { writeFile, renameSync } from 'node:fs';
const writeFileAsync = promisify(writeFile);
export async function save(tmp, dest, data) {
  await writeFileAsync(tmp, data);
  /*!*/renameSync(tmp, dest);
}`,
    durable: [['await writeFileAsync(tmp, data);', 'await writeFileAsync(tmp, data, { flush: true });']],
  },
  {
    name: 'a write wrapped in new Promise, then a rename',
    language: 'esm',
    code: `
import fs from 'node:fs';
export async function save(tmp, dest, data) {
  await new Promise((resolve, reject) => {
    fs.writeFile(tmp, data, (err) => (err ? reject(err) : resolve()));
  });
  /*!*/fs.renameSync(tmp, dest);
}`,
    durable: [['fs.writeFile(tmp, data, (err)', 'fs.writeFile(tmp, data, { flush: true }, (err)']],
  },
  {
    name: 'a writing helper called with .call(this, …) and a callback that renames',
    language: 'cjs',
    code: `
const fs = require('fs');
function writeOut(file, data, done) {
  fs.writeFile(file, data, done);
}
exports.save = function save(tmp, dest, data, cb) {
  writeOut.call(this, tmp, data, function (err) {
    if (err) return cb(err);
    /*!*/fs.rename(tmp, dest, cb);
  });
};`,
    durable: [['fs.writeFile(file, data, done)', 'fs.writeFile(file, data, { flush: true }, done)']],
  },
  {
    name: "a stream's finish handler passed with .bind(this)",
    language: 'cjs',
    code: `
const fs = require('fs');
class Saver {
  constructor(tmp, dest) {
    this.tmp = tmp;
    this.dest = dest;
  }
  save(data) {
    const out = fs.createWriteStream(this.tmp);
    out.on('finish', this.place.bind(this));
    out.end(data);
  }
  place() {
    /*!*/fs.renameSync(this.tmp, this.dest);
  }
}
module.exports = Saver;`,
    // The flush runs after 'finish' and before 'close' (Node 20.20).
    durable: [
      ['fs.createWriteStream(this.tmp)', 'fs.createWriteStream(this.tmp, { flush: true })'],
      ["out.on('finish'", "out.on('close'"],
    ],
  },

  {
    name: 'a named step bound with its paths and run by process.nextTick after a sync write',
    language: 'cjs',
    code: `
const fs = require('fs');
function publish(tmp, dest) {
  /*!*/fs.renameSync(tmp, dest);
}
exports.save = function save(tmp, dest, data) {
  fs.writeFileSync(tmp, data);
  process.nextTick(publish.bind(null, tmp, dest));
};`,
    durable: [['fs.writeFileSync(tmp, data);', 'fs.writeFileSync(tmp, data, { flush: true });']],
  },
]);

runClass('FileHandle and descriptor writes in helpers and class fields', [
  {
    name: 'a helper streams JSON into a FileHandle held in a let assigned inside try, the caller moves the file',
    language: 'esm',
    code: `
import fsPromises from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
async function writeJsonFileAsStream(absolutePathToFile, object) {
  let fileHandle;
  try {
    fileHandle = await fsPromises.open(absolutePathToFile, 'w');
    const fileWriteStream = fileHandle.createWriteStream();
    await pipeline(Readable.from([JSON.stringify(object)]), fileWriteStream);
  } finally {
    await fileHandle?.close();
  }
}
export async function saveCache(cachePath, cache) {
  const tmpPath = \`\${cachePath}.tmp\`;
  await writeJsonFileAsStream(tmpPath, cache);
  await /*!*/fsPromises.rename(tmpPath, cachePath);
}`,
    durable: [['await fileHandle?.close();', 'await fileHandle?.sync();\n    await fileHandle?.close();']],
  },
  {
    name: 'class holding this.handle and this.tmpPath',
    language: 'esm',
    code: `
import { open, rename } from 'node:fs/promises';
export class AtomicWriter {
  constructor(path) {
    this.path = path;
    this.tmpPath = path + '.tmp';
    this.handle = null;
  }
  async open() {
    this.handle = await open(this.tmpPath, 'w');
  }
  async write(chunk) {
    await this.handle.write(chunk);
  }
  async commit() {
    await this.handle.close();
    await /*!*/rename(this.tmpPath, this.path);
  }
}`,
    durable: [['await this.handle.close();', 'await this.handle.sync();\n    await this.handle.close();']],
  },
  {
    name: 'class holding this.fd (sync calls)',
    language: 'cjs',
    code: `
const fs = require('fs');
class Journal {
  constructor(path) {
    this.path = path;
    this.tmpPath = path + '.' + process.pid;
    this.fd = fs.openSync(this.tmpPath, 'w');
  }
  append(line) {
    fs.writeSync(this.fd, line + '\\n');
  }
  commit() {
    fs.closeSync(this.fd);
    /*!*/fs.renameSync(this.tmpPath, this.path);
  }
}
module.exports = Journal;`,
    durable: [['fs.closeSync(this.fd);', 'fs.fsyncSync(this.fd);\n    fs.closeSync(this.fd);']],
  },
  {
    name: 'a helper writes through the handle it is given',
    language: 'esm',
    code: `
import { open, rename } from 'node:fs/promises';
async function writeAll(handle, chunks) {
  for (const chunk of chunks) await handle.write(chunk);
}
export async function save(file, chunks) {
  const tmp = file + '.tmp';
  const handle = await open(tmp, 'w');
  try {
    await writeAll(handle, chunks);
  } finally {
    await handle.close();
  }
  await /*!*/rename(tmp, file);
}`,
    durable: [['await writeAll(handle, chunks);', 'await writeAll(handle, chunks);\n    await handle.sync();']],
  },
  {
    name: 'handle.writev and destructured require of fs/promises',
    language: 'cjs',
    code: `
const { open, rename } = require('fs/promises');
exports.save = async function save(file, header, body) {
  const tmp = \`\${file}.\${process.pid}\`;
  const fh = await open(tmp, 'w');
  await fh.writev([header, body]);
  await fh.close();
  await /*!*/rename(tmp, file);
};`,
    durable: [['await fh.close();', 'await fh.datasync();\n  await fh.close();']],
  },
  {
    name: 'handle.appendFile with optional chaining on close',
    language: 'esm',
    code: `
import fs from 'node:fs';
export async function save(file, lines) {
  const tmp = file + '.new';
  let fh;
  try {
    fh = await fs.promises.open(tmp, 'a');
    for (const line of lines) await fh.appendFile(line + '\\n');
  } finally {
    await fh?.close();
  }
  await /*!*/fs.promises.rename(tmp, file);
}`,
    durable: [
      [
        "for (const line of lines) await fh.appendFile(line + '\\n');",
        "for (const line of lines) await fh.appendFile(line + '\\n');\n    await fh.sync();",
      ],
    ],
  },
  {
    name: 'handle returned in an object with its path, from a sibling module',
    language: 'cjs',
    code: `
const { rename } = require('fs/promises');
const { openTemp, writeChunks } = require('./handle-writer');
exports.save = async function save(file, chunks) {
  const temp = await openTemp(file);
  await writeChunks(temp.handle, chunks);
  await temp.handle.close();
  await /*!*/rename(temp.path, file);
};`,
    durable: [['await temp.handle.close();', 'await temp.handle.sync();\n  await temp.handle.close();']],
  },
  {
    name: 'tsc __awaiter class method with this.handle',
    language: 'cjs',
    code: `${awaiter}
Object.defineProperty(exports, "__esModule", { value: true });
exports.Writer = void 0;
const promises_1 = require("fs/promises");
class Writer {
    constructor(file) {
        this.file = file;
        this.tmpPath = \`\${file}.tmp\`;
    }
    write(data) {
        return __awaiter(this, void 0, void 0, function* () {
            this.handle = yield (0, promises_1.open)(this.tmpPath, "w");
            yield this.handle.writeFile(data);
            yield this.handle.close();
            yield /*!*/(0, promises_1.rename)(this.tmpPath, this.file);
        });
    }
}
exports.Writer = Writer;`,
    durable: [['yield this.handle.close();', 'yield this.handle.sync();\n            yield this.handle.close();']],
  },
  {
    name: 'a handle stream fed with for await, then closed and renamed',
    language: 'esm',
    code: `
import { open, rename } from 'node:fs/promises';
import { once } from 'node:events';
export async function save(file, source) {
  const tmp = file + '.part';
  const h = await open(tmp, 'w');
  const out = h.createWriteStream();
  for await (const chunk of source) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await h.close();
  await /*!*/rename(tmp, file);
}`,
    durable: [['h.createWriteStream()', 'h.createWriteStream({ flush: true })']],
  },

  {
    name: 'a descriptor from fs.open handed to a callback-style helper that writes it',
    language: 'cjs',
    code: `
const fs = require('fs');
function writeChunks(fd, chunks, cb) {
  if (chunks.length === 0) return cb(null);
  fs.write(fd, chunks[0], (err) => (err ? cb(err) : writeChunks(fd, chunks.slice(1), cb)));
}
exports.save = function save(tmp, dest, chunks, cb) {
  fs.open(tmp, 'w', (err, fd) => {
    if (err) return cb(err);
    writeChunks(fd, chunks, (err) => {
      if (err) return cb(err);
      fs.close(fd, () => /*!*/fs.rename(tmp, dest, cb));
    });
  });
};`,
    durable: [
      ['fs.close(fd, () =>', 'fs.fsync(fd, () => fs.close(fd, () =>'],
      ['dest, cb));\n    });', 'dest, cb)));\n    });'],
    ],
  },
]);

runClass('fs layers that name their methods differently', [
  {
    name: 'graceful-fs',
    language: 'cjs',
    code: `
const fs = require('graceful-fs');
exports.save = function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  /*!*/fs.renameSync(file + '.tmp', file);
};`,
    durable: [["fs.writeFileSync(file + '.tmp', data)", "fs.writeFileSync(file + '.tmp', data, { flush: true })"]],
  },
  {
    name: 'fs-extra outputFile then rename, tsc __importDefault',
    language: 'cjs',
    code: `
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const fs_extra_1 = __importDefault(require("fs-extra"));
async function save(file, data) {
    const tmp = \`\${file}.tmp\`;
    await fs_extra_1.default.outputFile(tmp, data);
    await /*!*/fs_extra_1.default.rename(tmp, file);
}
exports.save = save;`,
    durable: [['outputFile(tmp, data)', 'outputFile(tmp, data, { flush: true })']],
  },
  {
    // Rollup 2's CommonJS output wraps the require's binding, not the require.
    name: "fs-extra outputFileSync then moveSync, Rollup's _interopDefaultLegacy",
    language: 'cjs',
    code: `
'use strict';
var fs = require('fs-extra');
function _interopDefaultLegacy (e) { return e && typeof e === 'object' && 'default' in e ? e : { 'default': e }; }
var fs__default = /*#__PURE__*/_interopDefaultLegacy(fs);
exports.save = function (file, data) {
  fs__default["default"].outputFileSync(file + '.tmp', data);
  /*!*/fs__default["default"].moveSync(file + '.tmp', file, { overwrite: true });
};`,
    durable: [["outputFileSync(file + '.tmp', data)", "outputFileSync(file + '.tmp', data, { flush: true })"]],
  },
  {
    name: "fs-extra outputJson then move, Rollup 4's _interopNamespaceDefault",
    language: 'cjs',
    code: `
'use strict';
var fs = require('fs-extra');
function _interopNamespaceDefault(e) {
  var n = Object.create(null);
  if (e) Object.keys(e).forEach(function (k) { n[k] = e[k]; });
  n.default = e;
  return Object.freeze(n);
}
var fs__namespace = /*#__PURE__*/_interopNamespaceDefault(fs);
exports.save = async function (file, data) {
  await fs__namespace.outputJson(file + '.tmp', data);
  await /*!*/fs__namespace.move(file + '.tmp', file, { overwrite: true });
};`,
    durable: [["outputJson(file + '.tmp', data)", "outputJson(file + '.tmp', data, { flush: true })"]],
  },
  {
    name: 'fslib NodeFS instance',
    language: 'ts',
    code: `
import { NodeFS, type PortablePath } from '@yarnpkg/fslib';
const nodeFs = new NodeFS();
export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await nodeFs.writeFilePromise(tmp, data);
  await /*!*/nodeFs.renamePromise(tmp, file);
}`,
    durable: [['writeFilePromise(tmp, data)', 'writeFilePromise(tmp, data, { flush: true })']],
  },
  {
    name: 'fslib FakeFS parameter (typed)',
    language: 'ts',
    code: `
import type { FakeFS, PortablePath } from '@yarnpkg/fslib';
export function save(baseFs: FakeFS<PortablePath>, file: PortablePath, data: string): void {
  const tmp = \`\${file}.tmp\` as PortablePath;
  baseFs.writeFileSync(tmp, data);
  /*!*/baseFs.renameSync(tmp, file);
}`,
    durable: [['writeFileSync(tmp, data)', 'writeFileSync(tmp, data, { flush: true })']],
  },
  {
    name: 'fslib xfs through a Babel lazy getter',
    language: 'cjs',
    code: `
function _fslib() {
  const data = require("@yarnpkg/fslib");
  _fslib = function () {
    return data;
  };
  return data;
}
exports.save = async function save(file, data) {
  const tmp = file + ".tmp";
  await _fslib().xfs.writeFilePromise(tmp, data);
  await /*!*/_fslib().xfs.renamePromise(tmp, file);
};`,
    durable: [['writeFilePromise(tmp, data)', 'writeFilePromise(tmp, data, { flush: true })']],
  },
  {
    name: 'destructured promises of fs',
    language: 'cjs',
    code: `
const { promises: fsp } = require('fs');
exports.save = async function save(file, data) {
  await fsp.writeFile(file + '.tmp', data);
  await /*!*/fsp.rename(file + '.tmp', file);
};`,
    durable: [["fsp.writeFile(file + '.tmp', data)", "fsp.writeFile(file + '.tmp', data, { flush: true })"]],
  },
  {
    name: 'fs-extra as an ES namespace import, writeJson then move with overwrite',
    language: 'esm',
    code: `
import * as fse from 'fs-extra';
export async function save(file, value) {
  const tmp = file + '.tmp';
  await fse.writeJson(tmp, value);
  await /*!*/fse.rename(tmp, file);
}`,
    durable: [['fse.writeJson(tmp, value)', 'fse.writeJson(tmp, value, { flush: true })']],
  },
  {
    name: 'fslib xfs handed to a helper as a parameter (untyped)',
    language: 'cjs',
    code: `
const { xfs } = require('@yarnpkg/fslib');
async function persist(fsLayer, file, data) {
  await fsLayer.writeFilePromise(file + '.tmp', data);
  await /*!*/fsLayer.renamePromise(file + '.tmp', file);
}
exports.save = (file, data) => persist(xfs, file, data);`,
    durable: [["writeFilePromise(file + '.tmp', data)", "writeFilePromise(file + '.tmp', data, { flush: true })"]],
  },

  {
    name: 'fs-extra promises through a Babel lazy getter',
    language: 'cjs',
    code: `
function _fsExtra() {
  const data = _interopRequireDefault(require('fs-extra'));
  _fsExtra = function () {
    return data;
  };
  return data;
}
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
exports.save = async function save(file, value) {
  await _fsExtra().default.outputJson(file + '.tmp', value);
  await /*!*/_fsExtra().default.move(file + '.tmp', file, { overwrite: true });
};`,
    durable: [["outputJson(file + '.tmp', value)", "outputJson(file + '.tmp', value, { flush: true })"]],
  },
]);

runClass('streams', [
  {
    name: "createWriteStream, rename in the 'finish' handler",
    language: 'cjs',
    code: `
const fs = require('fs');
exports.save = function save(tmp, dest, data, cb) {
  const out = fs.createWriteStream(tmp);
  out.on('error', cb);
  out.on('finish', () => /*!*/fs.rename(tmp, dest, cb));
  out.end(data);
};`,
    durable: [
      ['fs.createWriteStream(tmp)', 'fs.createWriteStream(tmp, { flush: true })'],
      ["out.on('finish'", "out.on('close'"],
    ],
  },
  {
    name: 'stream/promises pipeline then rename',
    language: 'esm',
    code: `
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
export async function download(res, dest) {
  const tmp = dest + '.download';
  await pipeline(res, fs.createWriteStream(tmp));
  await /*!*/fs.promises.rename(tmp, dest);
}`,
    durable: [['fs.createWriteStream(tmp)', 'fs.createWriteStream(tmp, { flush: true })']],
  },
  {
    name: 'stream.pipeline with a callback that renames',
    language: 'cjs',
    code: `
const fs = require('fs');
const stream = require('stream');
const zlib = require('zlib');
exports.unpack = function unpack(src, dest, cb) {
  const tmp = dest + '.tmp';
  stream.pipeline(fs.createReadStream(src), zlib.createGunzip(), fs.createWriteStream(tmp), (err) => {
    if (err) return cb(err);
    /*!*/fs.renameSync(tmp, dest);
    cb();
  });
};`,
    durable: [['fs.createWriteStream(tmp)', 'fs.createWriteStream(tmp, { flush: true })']],
  },
  {
    name: "res.pipe(file), rename on 'close'",
    language: 'cjs',
    code: `
const fs = require('fs');
const https = require('https');
exports.fetchTo = function fetchTo(url, dest, cb) {
  const tmp = dest + '.part';
  https.get(url, (res) => {
    const file = fs.createWriteStream(tmp);
    res.pipe(file);
    file.on('close', function () {
      /*!*/fs.rename(tmp, dest, cb);
    });
  });
};`,
    durable: [['fs.createWriteStream(tmp)', 'fs.createWriteStream(tmp, { flush: true })']],
  },
  {
    name: 'awaited finish through new Promise, then rename',
    language: 'esm',
    code: `
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
export async function save(file, rows) {
  const tmp = \`\${file}.\${process.pid}\`;
  const ws = createWriteStream(tmp, { encoding: 'utf8' });
  await new Promise((resolve, reject) => {
    ws.on('finish', resolve);
    ws.on('error', reject);
    for (const row of rows) ws.write(row + '\\n');
    ws.end();
  });
  await /*!*/rename(tmp, file);
}`,
    durable: [
      ["{ encoding: 'utf8' }", "{ encoding: 'utf8', flush: true }"],
      ["ws.on('finish', resolve)", "ws.on('close', resolve)"],
    ],
  },
  {
    name: 'stream held in a class field, renamed in a method',
    language: 'esm',
    code: `
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
export class Recorder {
  constructor(file) {
    this.file = file;
    this.tmpPath = file + '.rec';
    this.stream = fs.createWriteStream(this.tmpPath);
  }
  record(event) {
    this.stream.write(JSON.stringify(event) + '\\n');
  }
  async stop() {
    this.stream.end();
    await finished(this.stream);
    await /*!*/fs.promises.rename(this.tmpPath, this.file);
  }
}`,
    durable: [['fs.createWriteStream(this.tmpPath)', 'fs.createWriteStream(this.tmpPath, { flush: true })']],
  },

  {
    name: 'new fs.WriteStream, pipeline from stream/promises via require',
    language: 'cjs',
    code: `
const fs = require('fs');
const { pipeline } = require('stream/promises');
exports.download = async function download(body, dest) {
  const tmp = dest + '.' + process.pid;
  await pipeline(body, new fs.WriteStream(tmp));
  /*!*/fs.renameSync(tmp, dest);
};`,
    durable: [['new fs.WriteStream(tmp)', 'new fs.WriteStream(tmp, { flush: true })']],
  },
]);

runClass('directory publishes', [
  {
    name: 'mkdtempSync staging in os.tmpdir, files written, directory renamed',
    language: 'cjs',
    messageId: 'unsyncedDirectoryRename',
    code: `
const fs = require('fs');
const os = require('os');
const path = require('path');
exports.install = function install(target, files) {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'install-'));
  for (const name of Object.keys(files)) {
    fs.writeFileSync(path.join(staging, name), files[name]);
  }
  /*!*/fs.renameSync(staging, target);
};`,
    durable: [['files[name]);', 'files[name], { flush: true });']],
  },
  {
    name: 'tsc __awaiter, template-literal child paths',
    language: 'cjs',
    messageId: 'unsyncedDirectoryRename',
    code: `${awaiter}
Object.defineProperty(exports, "__esModule", { value: true });
const fs = require("fs");
function publish(root, manifest, index) {
    return __awaiter(this, void 0, void 0, function* () {
        const staging = \`\${root}.staging\`;
        yield fs.promises.mkdir(staging, { recursive: true });
        yield fs.promises.writeFile(\`\${staging}/package.json\`, manifest);
        yield fs.promises.writeFile(\`\${staging}/index.js\`, index, { flush: true });
        yield /*!*/fs.promises.rename(staging, root);
    });
}
exports.publish = publish;`,
    durable: [['/package.json`, manifest)', '/package.json`, manifest, { flush: true })']],
  },
  {
    name: 'files written by a helper in the same file',
    language: 'esm',
    messageId: 'unsyncedDirectoryRename',
    code: `
import fs from 'node:fs';
import path from 'node:path';
function writeFiles(dir, files) {
  for (const [name, body] of files) fs.writeFileSync(path.join(dir, name), body);
}
export function install(cache, name, files) {
  const staging = path.join(cache, '.tmp-' + name);
  fs.mkdirSync(staging, { recursive: true });
  writeFiles(staging, files);
  /*!*/fs.renameSync(staging, path.join(cache, name));
}`,
    durable: [['path.join(dir, name), body)', 'path.join(dir, name), body, { flush: true })']],
  },
  {
    name: 'files written by a helper in a sibling module, cross-module',
    language: 'cjs',
    messageId: 'unsyncedDirectoryRename',
    code: `
const fs = require('fs');
const path = require('path');
const { unpackInto } = require('./unpack');
exports.install = function install(cache, name, entries) {
  const staging = path.join(cache, '.staging', name);
  fs.mkdirSync(staging, { recursive: true });
  unpackInto(staging, entries);
  /*!*/fs.renameSync(staging, path.join(cache, name));
};`,
    durable: [
      ["const { unpackInto } = require('./unpack');", "const { unpackIntoDurably: unpackInto } = require('./unpack');"],
    ],
  },
  {
    name: 'staging directory held in this.stagingDir',
    language: 'esm',
    messageId: 'unsyncedDirectoryRename',
    code: `
import { mkdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
export class CacheEntry {
  constructor(root, key) {
    this.finalDir = join(root, key);
    this.stagingDir = join(root, '.staging-' + key);
  }
  async commit(meta, body) {
    await mkdir(this.stagingDir, { recursive: true });
    await writeFile(join(this.stagingDir, 'meta.json'), meta);
    await writeFile(join(this.stagingDir, 'body'), body, { flush: true });
    await /*!*/rename(this.stagingDir, this.finalDir);
  }
}`,
    durable: [["'meta.json'), meta)", "'meta.json'), meta, { flush: true })"]],
  },
  {
    name: 'fs-extra outputFileSync into the staging directory, then moveSync... renameSync',
    language: 'cjs',
    messageId: 'unsyncedDirectoryRename',
    code: `
const fse = require('fs-extra');
const path = require('path');
exports.build = function build(outDir, pages) {
  const tmpDir = outDir + '.tmp';
  fse.removeSync(tmpDir);
  pages.forEach((page) => {
    fse.outputFileSync(path.join(tmpDir, page.route, 'index.html'), page.html);
  });
  fse.removeSync(outDir);
  /*!*/fse.renameSync(tmpDir, outDir);
};`,
    durable: [['page.html)', 'page.html, { flush: true })']],
  },
  {
    name: 'a recursive copy of a tree into the staging directory (Babel interop), then renamed',
    language: 'cjs',
    messageId: 'unsyncedDirectoryRename',
    code: `
const _fs = _interop_require_default(require('fs'));
const _path = _interop_require_default(require('path'));
function _interop_require_default(obj) {
  return obj && obj.__esModule ? obj : { default: obj };
}
function copyTree(src, dst) {
  if (_fs.default.lstatSync(src).isDirectory()) {
    _fs.default.mkdirSync(dst, { recursive: true });
    for (const name of _fs.default.readdirSync(src)) copyTree(_path.default.join(src, name), _path.default.join(dst, name));
  } else {
    _fs.default.copyFileSync(src, dst);
  }
}
exports.seed = function seed(source, target) {
  const tmpDir = \`\${target}.seeding\`;
  copyTree(source, tmpDir);
  /*!*/_fs.default.renameSync(tmpDir, target);
};`,
    durable: [
      [
        '_fs.default.copyFileSync(src, dst);',
        "_fs.default.copyFileSync(src, dst);\n    const fd = _fs.default.openSync(dst, 'r');\n    _fs.default.fsyncSync(fd);\n    _fs.default.closeSync(fd);",
      ],
    ],
  },

  {
    name: 'a class method fills the staging directory, another renames it',
    language: 'esm',
    messageId: 'unsyncedDirectoryRename',
    code: `
import fs from 'node:fs';
import path from 'node:path';
export class Installer {
  constructor(root, name) {
    this.target = path.join(root, name);
    this.staging = this.target + '.partial';
  }
  add(name, body) {
    fs.mkdirSync(this.staging, { recursive: true });
    fs.writeFileSync(path.join(this.staging, name), body);
  }
  finish() {
    /*!*/fs.renameSync(this.staging, this.target);
  }
}`,
    durable: [['path.join(this.staging, name), body)', 'path.join(this.staging, name), body, { flush: true })']],
  },
]);

runClass('objects that write the path they were built with', [
  {
    name: 'an instance of a class of the file, whose method writes the path its constructor kept',
    language: 'esm',
    code: `
import { writeFile, rename } from 'node:fs/promises';
class Writer {
  constructor(file) {
    this.file = file;
  }
  async write(data) {
    await writeFile(this.file, data);
  }
}
export async function save(path, data) {
  const tmp = \`\${path}.\${process.pid}.tmp\`;
  const writer = new Writer(tmp);
  await writer.write(JSON.stringify(data));
  await /*!*/rename(tmp, path);
}`,
    durable: [['writeFile(this.file, data)', 'writeFile(this.file, data, { flush: true })']],
  },
  {
    name: 'TypeScript parameter property: constructor(private readonly file: string)',
    language: 'ts',
    code: `
import * as fs from 'node:fs';
class LineFile {
  constructor(private readonly file: string) {}
  append(line: string): void {
    fs.appendFileSync(this.file, line + '\\n');
  }
}
export function rewrite(target: string, lines: string[]): void {
  const staging = target + '.new';
  const out = new LineFile(staging);
  for (const line of lines) out.append(line);
  /*!*/fs.renameSync(staging, target);
}`,
    durable: [
      [
        'fs.renameSync(staging, target);',
        "const fd = fs.openSync(staging, 'r+');\n  fs.fsyncSync(fd);\n  fs.closeSync(fd);\n  fs.renameSync(staging, target);",
      ],
    ],
  },
  {
    name: 'ES5 constructor function with a prototype method (CommonJS)',
    language: 'cjs',
    code: `
var fs = require('fs');
function Store(file) {
  this.file = file;
  this.encoding = 'utf8';
}
Store.prototype.put = function (data) {
  fs.writeFileSync(this.file, JSON.stringify(data), this.encoding);
};
exports.commit = function (target, data) {
  var tmp = target + '.tmp';
  var store = new Store(tmp);
  store.put(data);
  /*!*/fs.renameSync(tmp, target);
};`,
    durable: [
      [
        'fs.renameSync(tmp, target);',
        "var fd = fs.openSync(tmp, 'r+');\n  fs.fsyncSync(fd);\n  fs.closeSync(fd);\n  fs.renameSync(tmp, target);",
      ],
    ],
  },
  {
    name: 'a factory returning an object of methods that close over the path (through a nested helper)',
    language: 'esm',
    code: `
import { appendFile, rename } from 'node:fs/promises';
function jsonlFile(path) {
  async function addText(line) {
    await appendFile(path, line + '\\n');
  }
  return {
    async add(value) {
      return addText(JSON.stringify(value));
    },
  };
}
export async function compact(path, entries) {
  const tmpPath = path + '.compact';
  const tmpFile = jsonlFile(tmpPath);
  for (const entry of entries) await tmpFile.add(entry);
  await /*!*/rename(tmpPath, path);
}`,
    durable: [["await appendFile(path, line + '\\n');", "await appendFile(path, line + '\\n', { flush: true });"]],
  },
  {
    name: 'a factory object written inside an awaited callback of a task runner, renamed inside it',
    language: 'esm',
    code: `
import { appendFile, rename } from 'node:fs/promises';
const lines = (file) => ({
  push: (line) => appendFile(file, line + '\\n'),
});
export async function replaceAll(path, source, withTemp) {
  await withTemp(async (tmpPath) => {
    const out = lines(tmpPath);
    await source.each(async (line) => {
      await out.push(line);
    });
    await /*!*/rename(tmpPath, path);
  });
}`,
    durable: [["appendFile(file, line + '\\n')", "appendFile(file, line + '\\n', { flush: true })"]],
  },
  {
    name: 'a write inside a callback handed to an awaited call of another module, then a rename after it',
    language: 'cjs',
    code: `
const fsp = require('fs/promises');
const { forEachLine } = require('./lines');
async function filter(file, keep) {
  const tmp = file + '.filtered';
  await forEachLine(file, async (line) => {
    if (keep(line)) await fsp.appendFile(tmp, line + '\\n');
  });
  await /*!*/fsp.rename(tmp, file);
}
module.exports = { filter };`,
    durable: [["fsp.appendFile(tmp, line + '\\n')", "fsp.appendFile(tmp, line + '\\n', { flush: true })"]],
  },
]);

runClass('an event handler registered before the write it follows', [
  {
    name: 'a handler declared by name, registered at the top of a CommonJS script before the write (browserify)',
    language: 'cjs',
    code: `
var fs = require('fs');
var bundle = require('./bundler').bundle();
var outfile = process.argv[2];
bundle.on('end', successExit);
var tmpfile;
if (outfile) {
  tmpfile = outfile + '.tmp-' + Math.random().toFixed(20).slice(2);
  bundle.pipe(fs.createWriteStream(tmpfile));
}
function successExit() {
  if (tmpfile && outfile) /*!*/fs.rename(tmpfile, outfile, function (err) {
    if (err) console.error(err);
  });
}`,
    // Durable: the rename waits for the flushed stream to close ('end' of the bundle comes before it).
    durable: [
      ["bundle.on('end', successExit);", ''],
      [
        'bundle.pipe(fs.createWriteStream(tmpfile));',
        "bundle.pipe(fs.createWriteStream(tmpfile, { flush: true })).on('close', successExit);",
      ],
    ],
  },
  {
    name: "an inline 'once' handler on another emitter, registered before the stream it renames is piped",
    language: 'esm',
    code: `
import fs from 'node:fs';
export function build(bundle, outfile, done) {
  const tmp = outfile + '.tmp';
  bundle.once('end', () => {
    /*!*/fs.rename(tmp, outfile, done);
  });
  bundle.pipe(fs.createWriteStream(tmp));
}`,
    // Durable: the rename waits for the flushed stream to close.
    durable: [
      ["bundle.once('end', () => {", "bundle.pipe(fs.createWriteStream(tmp, { flush: true })).once('close', () => {"],
      ['bundle.pipe(fs.createWriteStream(tmp));', ''],
    ],
  },
  {
    name: "process.on('exit') registered first, the temp file written after it",
    language: 'cjs',
    code: `
const fs = require('fs');
function saveOnExit(file, state) {
  const tmp = file + '.tmp';
  process.on('exit', () => {
    /*!*/fs.renameSync(tmp, file);
  });
  fs.writeFileSync(tmp, JSON.stringify(state));
}
module.exports = { saveOnExit };`,
    durable: [
      ['fs.writeFileSync(tmp, JSON.stringify(state))', 'fs.writeFileSync(tmp, JSON.stringify(state), { flush: true })'],
    ],
  },
  {
    name: 'a method bound as the handler, registered in the constructor before the write method ran',
    language: 'esm',
    code: `
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
export class Saver extends EventEmitter {
  constructor(file) {
    super();
    this.file = file;
    this.tmp = file + '.tmp';
    this.on('written', onWritten);
    this.write = (data) => {
      fs.writeFileSync(this.tmp, data);
      this.emit('written');
    };
    const self = this;
    function onWritten() {
      /*!*/fs.renameSync(self.tmp, self.file);
    }
  }
}`,
    durable: [['fs.writeFileSync(this.tmp, data)', 'fs.writeFileSync(this.tmp, data, { flush: true })']],
  },
]);

runClass('a callback a helper module calls after its writes', [
  {
    name: 'a file the helper unpacked into the directory it was given, renamed in its callback, cross-module',
    language: 'cjs',
    code: `
const fs = require('fs');
const path = require('path');
const resources = require('./download');
const depsPath = path.join(__dirname, 'deps');
async function downloadLib(callback) {
  resources.downloadAndUnpack('https://example.com/lib.zip', depsPath, async () => {
    const dll = path.join(depsPath, 'tensorflow.dll');
    /*!*/fs.renameSync(dll, path.join(depsPath, 'lib', 'tensorflow.dll'));
    if (callback !== undefined) callback();
  });
}
module.exports = { downloadLib };`,
    durable: [
      [
        "const dll = path.join(depsPath, 'tensorflow.dll');",
        "const dll = path.join(depsPath, 'tensorflow.dll');\n    const fd = fs.openSync(dll, 'r');\n    fs.fsyncSync(fd);\n    fs.closeSync(fd);",
      ],
    ],
  },
]);

// tsc's helper for generators compiled to ES5 state machines (`switch (_a.label)`), shortened.
const generator = `var __generator = (this && this.__generator) || function (thisArg, body) {
    var _ = { label: 0, sent: function() { return t[1]; }, trys: [], ops: [] }, f, y, t, g;
    return g = { next: verb(0), "throw": verb(1), "return": verb(2) }, g;
    function verb(n) { return function (v) { return step([n, v]); }; }
    function step(op) { return body.call(thisArg, _); }
};`;

runClass('async functions compiled to state machines', [
  {
    name: "tsc ES5: __generator's cases, each resumed after the previous one's yield",
    language: 'cjs',
    code: `${awaiter}
${generator}
Object.defineProperty(exports, "__esModule", { value: true });
exports.save = save;
var fs = require("fs");
function save(dest, data) {
    return __awaiter(this, void 0, void 0, function () {
        var tmp;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0:
                    tmp = dest + ".tmp";
                    return [4 /*yield*/, fs.promises.writeFile(tmp, data)];
                case 1:
                    _a.sent();
                    return [4 /*yield*/, /*!*/fs.promises.rename(tmp, dest)];
                case 2:
                    _a.sent();
                    return [2 /*return*/];
            }
        });
    });
}`,
    durable: [['fs.promises.writeFile(tmp, data)', 'fs.promises.writeFile(tmp, data, { flush: true })']],
  },
  {
    name: 'tsc ES5: a break to a later case after an if',
    language: 'cjs',
    code: `${awaiter}
${generator}
Object.defineProperty(exports, "__esModule", { value: true });
exports.save = save;
var fs = require("fs");
function save(dest, data, log) {
    return __awaiter(this, void 0, void 0, function () {
        var tmp;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0:
                    tmp = dest + ".tmp";
                    fs.writeFileSync(tmp, data);
                    if (!log) return [3 /*break*/, 2];
                    return [4 /*yield*/, log("staged")];
                case 1:
                    _a.sent();
                    _a.label = 2;
                case 2:
                    /*!*/fs.renameSync(tmp, dest);
                    return [2 /*return*/];
            }
        });
    });
}`,
    durable: [['fs.writeFileSync(tmp, data);', 'fs.writeFileSync(tmp, data, { flush: true });']],
  },
  {
    name: 'tsc ES5: a temp path returned by a helper, read back with _a.sent()',
    language: 'cjs',
    code: `${awaiter}
${generator}
Object.defineProperty(exports, "__esModule", { value: true });
exports.save = save;
var fs = require("fs");
function stage(dest, data) {
    return __awaiter(this, void 0, void 0, function () {
        var tmp;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0:
                    tmp = dest + "." + process.pid + ".tmp";
                    return [4 /*yield*/, fs.promises.writeFile(tmp, data)];
                case 1:
                    _a.sent();
                    return [2 /*return*/, tmp];
            }
        });
    });
}
function save(dest, data) {
    return __awaiter(this, void 0, void 0, function () {
        var tmp;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, stage(dest, data)];
                case 1:
                    tmp = _a.sent();
                    return [4 /*yield*/, /*!*/fs.promises.rename(tmp, dest)];
                case 2:
                    _a.sent();
                    return [2 /*return*/];
            }
        });
    });
}`,
    durable: [['fs.promises.writeFile(tmp, data)', 'fs.promises.writeFile(tmp, data, { flush: true })']],
  },
  {
    name: "Babel: regenerator's cases, each resumed at the case _context.next names",
    language: 'cjs',
    code: `var fs = require("fs");
function _regeneratorRuntime() { return require("regenerator-runtime"); }
function save(_x, _x2) { return _save.apply(this, arguments); }
function _save() {
  _save = _asyncToGenerator(/*#__PURE__*/ _regeneratorRuntime().mark(function _callee(dest, data) {
    var tmp;
    return _regeneratorRuntime().wrap(function _callee$(_context) {
      while (1) switch (_context.prev = _context.next) {
        case 0:
          tmp = dest + ".tmp";
          _context.next = 3;
          return fs.promises.writeFile(tmp, data);
        case 3:
          _context.next = 5;
          return /*!*/fs.promises.rename(tmp, dest);
        case 5:
        case "end":
          return _context.stop();
      }
    }, _callee);
  }));
  return _save.apply(this, arguments);
}
module.exports = { save };`,
    durable: [['fs.promises.writeFile(tmp, data)', 'fs.promises.writeFile(tmp, data, { flush: true })']],
  },
]);
