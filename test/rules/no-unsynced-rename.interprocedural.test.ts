/**
 * Detection across functions of one file: summaries computed to a fixpoint over the call graph
 * (declarations, bound expressions, class and object-literal methods, functions stored on properties,
 * `.bind`/`.call`, temp-path builders), deferred code (promise executors, `.then` handlers,
 * callbacks by name, stored functions), injected file systems, compiled code, and what keeps the
 * rule precise (options through a `const`, rotation renames, an fsync several calls deep).
 */
import { RuleTester } from './rule-tester.js';
import { invalid, invalidCjs, invalidTs, tested, validCjs, validEsm, validTs, type At } from './cases.js';

const ruleTester = new RuleTester();
const invalidEsm = (code: string, at: At) => invalid(code, at);

ruleTester.run('no-unsynced-rename: summaries to a fixpoint', tested, {
  valid: [
    // The same builder with a fresh name at every call (through a helper it calls) names two files.
    validTs(`
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2);
}
function tempPath(dir: string): string {
  const name = uniqueSuffix();
  return dir ? join(dir, name) : name;
}
export function store(dir: string, dest: string, data: string): void {
  writeFileSync(tempPath(dir), data);
  renameSync(tempPath(dir), dest);
}`),
    // A private rename helper that fsyncs first.
    validTs(`
import fs from 'node:fs';
export class Store {
  #tmp: string;
  constructor(private readonly file: string) {
    this.#tmp = file + '.tmp';
  }
  #commit(): void {
    const fd = fs.openSync(this.#tmp, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(this.#tmp, this.file);
  }
  save(data: string): void {
    fs.writeFileSync(this.#tmp, data);
    this.#commit();
  }
}`),
    // A rename helper two calls deep that fsyncs first.
    validEsm(`
import fs from 'node:fs';
function fsyncPath(file) {
  const fd = fs.openSync(file, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}
function flushFile(file) {
  fsyncPath(file);
}
function commit(tmp, dest) {
  flushFile(tmp);
  fs.renameSync(tmp, dest);
}
export function save(dest, data) {
  fs.writeFileSync(dest + '.tmp', data);
  commit(dest + '.tmp', dest);
}`),
    // An fsync three calls away from the rename, on the caller's side.
    validCjs(`
const fs = require('fs');
function syncIt(p) { const fd = fs.openSync(p, 'r+'); fs.fsyncSync(fd); fs.closeSync(fd); }
function durable(p) { syncIt(p); }
function make(p) { durable(p); }
function save(tmp, dest, data) {
  fs.writeFileSync(tmp, data);
  make(tmp);
  fs.renameSync(tmp, dest);
}`),
    // A temp-path builder that is not deterministic names a different file at every call.
    validEsm(`
import fs from 'node:fs';
const tempOf = (file) => file + '.' + Math.random();
export function save(dest, data) {
  fs.writeFileSync(tempOf(dest), data);
  fs.renameSync(tempOf(dest), dest);
}`),
    // Builders of different paths.
    validTs(`
import { writeFileSync, renameSync } from 'node:fs';
const tempOf = (file: string): string => \`\${file}.tmp\`;
const backupOf = (file: string): string => \`\${file}.bak\`;
export function save(dest: string, data: string): void {
  writeFileSync(tempOf(dest), data);
  renameSync(backupOf(dest), dest);
}`),
    // A helper writing and renaming its own temp file is reported inside it, never at its callers.
    validEsm(`
import fs from 'node:fs';
function writeAtomic(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  fs.renameSync(file + '.tmp', file);
}
export function save(dest, data) {
  writeAtomic(dest, data);
}`),
    // In a static field's initialiser \`this\` is the class: the static writeTemp flushes.
    validEsm(`
import fs from 'node:fs';
export class Store {
  static writeTemp(file, data) {
    fs.writeFileSync(file + '.tmp', data, { flush: true });
  }
  writeTemp(file, data) {
    fs.writeFileSync(file + '.tmp', data);
  }
  static save = (file, data) => {
    this.writeTemp(file, data);
    fs.renameSync(file + '.tmp', file);
  };
}`),
    // A writer that opens its file on the first write (\`this.fh = await open(this.filePath, 'w')\`) and fsyncs it.
    validEsm(`
import { open, rename } from 'node:fs/promises';
class FileWriter {
  constructor(filePath) {
    this.filePath = filePath;
  }
  async openIfNeeded() {
    if (!this.fileHandle) this.fileHandle = await open(this.filePath, 'w');
  }
  async write(chunk) {
    await this.openIfNeeded();
    await this.fileHandle.write(chunk);
  }
  async fsync() {
    await this.fileHandle.sync();
  }
  async dispose() {
    await this.fileHandle?.close();
  }
}
export async function download(target, chunks) {
  const partial = \`\${target}.partial\`;
  const writer = new FileWriter(partial);
  for (const chunk of chunks) await writer.write(chunk);
  await writer.fsync();
  await writer.dispose();
  await rename(partial, target);
}`),
    // A field opened on two files by two methods: which one a write goes to is not guessed.
    validEsm(`
import { open, rename } from 'node:fs/promises';
class Pair {
  constructor(a, b) {
    this.a = a;
    this.b = b;
  }
  async openA() {
    this.fh = await open(this.a, 'w');
  }
  async openB() {
    this.fh = await open(this.b, 'w');
  }
  async write(chunk) {
    await this.fh.write(chunk);
  }
}
export async function save(a, b, chunk, dest) {
  const pair = new Pair(a, b);
  await pair.openB();
  await pair.write(chunk);
  await rename(a, dest);
}`),
    // A writer class whose constructor opens the file it is given, and whose close fsyncs it.
    validEsm(`
import fs from 'node:fs';
class Writer {
  constructor(file) {
    this.file = file;
    this.fd = fs.openSync(file, 'w');
  }
  write(chunk) {
    fs.writeSync(this.fd, chunk);
  }
  close() {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}
export function save(dest, chunks) {
  const tmp = dest + '.tmp';
  const w = new Writer(tmp);
  for (const c of chunks) w.write(c);
  w.close();
  fs.renameSync(tmp, dest);
}`),
  ],
  invalid: [
    // A helper that keeps a backup, then rewrites in place the file it was given, spelled
    // \`path.normalize(filePath)\`: the caller renames that file next (finsemble's migrate).
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
exports.migrate = async ({ filePath }) => {
  const file = path.normalize(filePath);
  fs.copyFileSync(file, path.join(path.dirname(file), 'original-' + path.basename(file)));
  await fs.promises.writeFile(file, JSON.stringify({ apps: [] }));
};
exports.run = async () => {
  const appd = path.resolve('public/appd.json');
  await (0, exports.migrate)({ filePath: appd });
  fs.rename(appd, path.resolve('public/apps.json'), () => {});
};`,
      [[12, 3]],
    ),
    // In a static field's initialiser \`this\` is the class: \`this.writeTemp\` is the static method.
    invalidEsm(
      `
import fs from 'node:fs';
export class Store {
  static writeTemp(file, data) {
    fs.writeFileSync(file + '.tmp', data);
  }
  writeTemp(file, data) {
    fs.writeFileSync(file + '.tmp', data, { flush: true });
  }
  static save = (file, data) => {
    this.writeTemp(file, data);
    fs.renameSync(file + '.tmp', file);
  };
}`,
      [[12, 5]],
    ),
    // The same with no path kept in a field: the descriptor alone.
    invalidCjs(
      `
const fs = require('fs');
class Writer {
  constructor(file) { this.fd = fs.openSync(file, 'w'); }
  write(chunk) { fs.writeSync(this.fd, chunk); }
  close() { fs.closeSync(this.fd); }
}
function save(dest, chunks) {
  const tmp = dest + '.tmp';
  const w = new Writer(tmp);
  for (const c of chunks) w.write(c);
  w.close();
  fs.renameSync(tmp, dest);
}
module.exports = { save };`,
      [[13, 3]],
    ),
    // A writer that opens its file on the first write into a field, through a descriptor: the
    // methods writing \`this.fd\` write \`this.filePath\`, which \`new FileWriter(partial)\` makes \`partial\`.
    invalidEsm(
      `
import fs from 'node:fs';
import { promisify } from 'node:util';
const open = promisify(fs.open);
const write = promisify(fs.write);
class FileWriter {
  constructor(filePath) {
    this.filePath = filePath;
  }
  async openIfNeeded() {
    if (this.fd === undefined) this.fd = await open(this.filePath, 'w');
  }
  async write(chunk) {
    await this.openIfNeeded();
    await write(this.fd, chunk);
  }
  dispose() {
    fs.closeSync(this.fd);
  }
}
export async function download(target, chunks) {
  const partial = \`\${target}.partial\`;
  const writer = new FileWriter(partial);
  for (const chunk of chunks) await writer.write(chunk);
  writer.dispose();
  fs.renameSync(partial, target);
}`,
      [[26, 3]],
    ),
    // A writer class whose constructor opens the file it is given: \`new Writer(tmp)\`'s \`fd\` is on \`tmp\`.
    invalidEsm(
      `
import fs from 'node:fs';
class Writer {
  constructor(file) {
    this.file = file;
    this.fd = fs.openSync(file, 'w');
  }
  write(chunk) {
    fs.writeSync(this.fd, chunk);
  }
  close() {
    fs.closeSync(this.fd);
  }
}
export function save(dest, chunks) {
  const tmp = dest + '.tmp';
  const w = new Writer(tmp);
  for (const c of chunks) w.write(c);
  w.close();
  fs.renameSync(tmp, dest);
}`,
      [[20, 3]],
    ),
    // A path builder whose value cannot be spelled out (it resolves against a configured directory)
    // but shows no sign of differing per call: equal arguments, equal path.
    invalidTs(
      `
import { writeFileSync, renameSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { config } from './config.js';
function ensurePath(path: string, key: string): string {
  const base = resolve(config.get(key));
  return resolve(isAbsolute(path) ? path : join(base, path));
}
function ensureCachePath(path: string): string {
  return ensurePath(path, 'cacheDir');
}
export function store(tmp: string, dest: string, data: string): void {
  writeFileSync(ensureCachePath(tmp), data);
  renameSync(ensureCachePath(tmp), ensureCachePath(dest));
}`,
      [[14, 3]],
    ),
    // Private methods as temp-path builder and as rename helper.
    invalidTs(
      `
import fs from 'node:fs';
export class Cache {
  #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
  }
  #tmpFor(key: string): string {
    return \`\${this.#dir}/\${key}.tmp\`;
  }
  #commit(key: string): void {
    fs.renameSync(this.#tmpFor(key), \`\${this.#dir}/\${key}.json\`);
  }
  set(key: string, value: unknown): void {
    fs.writeFileSync(this.#tmpFor(key), JSON.stringify(value));
    this.#commit(key);
  }
}`,
      [[16, 5]],
    ),
    // Overloaded methods (zigbee-herdsman's adapters): the signatures have no body, the implementation is the callee.
    invalidTs(
      `
import fs from 'node:fs';
export class Store {
  public save(file: string, data: string): void;
  public save(file: string, data: Buffer): void;
  public save(file: string, data: string | Buffer): void {
    fs.writeFileSync(this.tmp(file), data);
    fs.renameSync(this.tmp(file), file);
  }
  private tmp(file: string): string;
  private tmp(file: string): string {
    return \`\${file}.tmp\`;
  }
}`,
      [[8, 5]],
    ),
    // A rename helper calling a rename helper: reported where the write is visible.
    invalidEsm(
      `
import fs from 'node:fs';
function renameTmp(src, dst) {
  fs.renameSync(src, dst);
}
function publish(src, dst) {
  renameTmp(src, dst);
}
export function save(dest, data) {
  fs.writeFileSync(dest + '.tmp', data);
  publish(dest + '.tmp', dest);
}`,
      [[11, 3]],
    ),
    // A write helper calling a write helper.
    invalidCjs(
      `
const fs = require('fs');
const put = function (file, data) { fs.writeFileSync(file, data); };
const writeJson = (file, value) => put(file, JSON.stringify(value));
function save(dest, value) {
  writeJson(dest + '.tmp', value);
  fs.renameSync(dest + '.tmp', dest);
}`,
      [[7, 3]],
    ),
    // Temp-path builders: two calls with equal arguments name the same file.
    invalidEsm(
      `
import fs from 'node:fs';
import path from 'node:path';
function getTempFile(file) {
  return path.join(path.dirname(file), '.' + path.basename(file) + '.tmp');
}
export function save(dest, data) {
  fs.writeFileSync(getTempFile(dest), data);
  fs.renameSync(getTempFile(dest), dest);
}`,
      [[9, 3]],
    ),
    invalidTs(
      `
import { promises as fsp } from 'node:fs';
const tempOf = (file: string): string => \`\${file}.\${process.pid}.tmp\`;
export async function save(dest: string, data: string): Promise<void> {
  const tmp = tempOf(dest);
  await fsp.writeFile(tmp, data);
  await fsp.rename(tempOf(dest), dest);
}`,
      [[7, 9]],
    ),
    // Object-literal methods through the binding and through \`this\`.
    invalidEsm(
      `
import fs from 'node:fs';
const store = {
  writeTemp(file, data) { fs.writeFileSync(file + '.tmp', data); },
  commit(file) { fs.renameSync(file + '.tmp', file); },
  save(file, data) {
    this.writeTemp(file, data);
    this.commit(file);
  },
};
store.writeTemp(dest, data);
store.commit(dest);`,
      [
        [8, 5],
        [12, 1],
      ],
    ),
    // Class methods through an instance made in the file.
    invalidTs(
      `
import * as fs from 'fs';
class Writer {
  write(file: string, data: string): void { fs.writeFileSync(file, data); }
  publish(from: string, to: string): void { fs.renameSync(from, to); }
}
const writer = new Writer();
export function save(dest: string, data: string): void {
  writer.write(dest + '.tmp', data);
  writer.publish(dest + '.tmp', dest);
}`,
      [[10, 3]],
    ),
    // A function stored on a property and called through it; \`.bind(this)\` and \`.call(this)\` wrappers.
    invalidCjs(
      `
const fs = require('fs');
function Store(file) { this.file = file; this.tmp = file + '.tmp'; }
Store.prototype.writeTemp = function (data) { fs.writeFileSync(this.tmp, data); };
Store.prototype.commit = function () { fs.renameSync(this.tmp, this.file); };
Store.prototype.save = function (data) {
  this.writeTemp(data);
  const commit = this.commit.bind(this);
  commit();
};
Store.prototype.saveAgain = function (data) {
  this.writeTemp(data);
  Store.prototype.commit.call(this);
};`,
      [
        [9, 3],
        [13, 3],
      ],
    ),
    // A path stored on \`this\` by one method, written by another, renamed by a third.
    invalidEsm(
      `
import { writeFile, rename } from 'node:fs/promises';
export class Cache {
  constructor(file) {
    this.file = file;
    this.tmp = file + '.tmp';
  }
  async flush(data) {
    await this.writeTemp(data);
    await this.replace();
  }
  async writeTemp(data) { await writeFile(this.tmp, data); }
  replace() { return rename(this.tmp, this.file); }
}`,
      [[10, 11]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: deferred and sibling code', tested, {
  valid: [
    // Commit steps handed back to the caller: the temp fsynced by the maker or by the step itself,
    // and an undo step that moves back a file nobody wrote.
    validCjs(`
const fs = require('fs');
function prepare(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data, { flush: true });
  return () => fs.renameSync(tmp, file);
}
function prepareSynced(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  return {
    commit() {
      const fd = fs.openSync(tmp, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(tmp, file);
    },
  };
}
function setAside(file) {
  const aside = file + '.bak';
  fs.renameSync(file, aside);
  return () => fs.renameSync(aside, file);
}
module.exports = { prepare, prepareSynced, setAside };`),
    // A flush stream fsyncs through its options' fs before it calls their `close` (Node 20.20).
    validCjs(`
const fs = require('fs');
function save(tmp, dest, data) {
  const out = fs.createWriteStream(tmp, {
    flush: true,
    fs: {
      ...fs,
      close(fd, cb) {
        fs.close(fd, (err) => (err ? cb(err) : fs.rename(tmp, dest, cb)));
      },
    },
  });
  out.end(data);
}`),
    // A hand-made promise around fs.fsync completes when awaited.
    validEsm(`
import fs from 'node:fs';
export async function save(tmp, dest, data) {
  await fs.promises.writeFile(tmp, data);
  const fd = fs.openSync(tmp, 'r+');
  await new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  fs.closeSync(fd);
  await fs.promises.rename(tmp, dest);
}`),
    validCjs(`
const fs = require('fs');
async function save(tmp, dest, data) {
  fs.writeFileSync(tmp, data);
  const fd = fs.openSync(tmp, 'r+');
  await new Promise((resolve) => fs.fsync(fd, resolve));
  fs.closeSync(fd);
  fs.renameSync(tmp, dest);
}`),
    // A flush stream closed before the awaited promise resolves.
    validEsm(`
import fs from 'node:fs';
export async function save(tmp, dest, chunks) {
  const out = fs.createWriteStream(tmp, { flush: true });
  for (const c of chunks) out.write(c);
  out.end();
  await new Promise((resolve) => out.on('close', resolve));
  await fs.promises.rename(tmp, dest);
}`),
    // An fsync inside an awaited .then handler of any promise.
    validTs(`
import * as fs from 'node:fs';
export async function save(tmp: string, dest: string, data: string): Promise<void> {
  await prepare().then(() => {
    fs.writeFileSync(tmp, data, { flush: true });
  });
  fs.renameSync(tmp, dest);
}`),
    // node-red: the stream's 'open' handler gets its descriptor, fsynced before resolve is handed over.
    validCjs(`
const fs = require('fs-extra');
async function writeFile(path, content) {
  const tempFile = path + '.$$$';
  await new Promise(function (resolve, reject) {
    var stream = fs.createWriteStream(tempFile);
    stream.on('open', function (fd) {
      stream.write(content, 'utf8', function () {
        fs.fsync(fd, function (err) {
          stream.end(resolve);
        });
      });
    });
    stream.on('error', reject);
  });
  await new Promise(function (resolve, reject) {
    fs.rename(tempFile, path, (err) => (err ? reject(err) : resolve()));
  });
}`),
    // A handler factory whose handler fsyncs the temp before renaming it.
    validCjs(`
var fs = require('fs');
function W(path) {
  this.tmp = path + '.tmp';
  this.target = path;
  this.stream = fs.createWriteStream(this.tmp);
  this.stream.once('close', handleClose(this));
}
function handleClose(w) {
  return function () {
    var fd = fs.openSync(w.tmp, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(w.tmp, w.target);
  };
}`),
    // A handler factory renaming another file than the one written.
    validEsm(`
import fs from 'node:fs';
const rotate = (log) => () => fs.renameSync(log + '.old', log + '.older');
export function save(file, data) {
  const out = fs.createWriteStream(file + '.tmp');
  out.once('close', rotate(file));
  out.end(data);
}`),
    // The handler's own parameter is renamed: unknown where the factory is called.
    validEsm(`
import fs from 'node:fs';
const onMoved = (dest) => (from) => fs.renameSync(from, dest);
export function save(tmp, dest, data, emitter) {
  fs.writeFileSync(tmp, data);
  emitter.once('moved', onMoved(dest));
}`),
    // The write closure fsyncs what it wrote.
    validEsm(`
import fs from 'node:fs';
export function save(file, produce) {
  const write = async (chunk) => {
    await fs.promises.writeFile(file + '.tmp', chunk, { flush: true });
  };
  return produce(write).then(() => fs.promises.rename(file + '.tmp', file));
}`),
    // A collection that leaves the file (someone else may add to it) says nothing about its elements.
    validEsm(`
import fs from 'node:fs';
export function saveAll(file, data, register) {
  const pending = new Set();
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  pending.add(tmp);
  register(pending);
  for (const f of pending) fs.renameSync(f + '.old', f);
}`),
    // The entries handed to the rename helper were fsynced when written.
    validEsm(`
import { open, rename } from 'node:fs/promises';
async function publishAll(entries) {
  for (const entry of entries) await rename(entry.tempPath, entry.outputPath);
}
export async function publishPair(json, text) {
  const tempJson = json + '.tmp';
  const fh = await open(tempJson, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await publishAll([{ tempPath: tempJson, outputPath: json }]);
}`),
    // Loops over different lists see different elements.
    validEsm(`
import fs from 'node:fs';
export function saveAll(files, others, data) {
  for (const f of files) fs.writeFileSync(f + '.tmp', data);
  for (const f of others) fs.renameSync(f + '.tmp', f);
}`),
    // A field with a default value is not the object's field.
    validEsm(`
import fs from 'node:fs';
export function save(job, data) {
  const { tmp = job.dest + '.tmp' } = job;
  fs.writeFileSync(job.tmp, data);
  fs.renameSync(tmp, job.dest);
}`),
    // Elements of a collection filled with different paths have no single key.
    validEsm(`
import fs from 'node:fs';
export function rotate(file, data) {
  const olds = [];
  fs.writeFileSync(file + '.tmp', data);
  olds.push(file + '.tmp');
  olds.push(file + '.1');
  for (const f of olds) fs.renameSync(f, f + '.bak');
}`),
    // A callback passed by name that fsyncs before it renames.
    validCjs(`
const fs = require('fs');
function save(tmp, dest, data, cb) {
  fs.writeFile(tmp, data, onWritten);
  function onWritten(err) {
    if (err) return cb(err);
    const fd = fs.openSync(tmp, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.rename(tmp, dest, cb);
  }
}`),
  ],
  invalid: [
    // A commit step its maker returns for the caller to run later: the maker wrote the temp, the
    // returned function (directly, in a returned object, through a \`const\`) renames it.
    invalidEsm(
      `
import { writeFile, rename, unlink } from 'node:fs/promises';
export class Driver {
  async stage(dir, name, bytes) {
    const staging = dir + '/staging-' + name;
    await writeFile(staging, bytes);
    return {
      commit: async () => { await rename(staging, dir + '/' + name); },
      reject: async () => { await unlink(staging); },
    };
  }
}`,
      [[8, 35]],
    ),
    invalidCjs(
      `
const fs = require('fs');
function prepare(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  return () => fs.renameSync(tmp, file);
}
async function download(body, tmp, dest) {
  await require('stream/promises').pipeline(body, fs.createWriteStream(tmp));
  const commit = () => {
    fs.renameSync(tmp, dest);
  };
  const discard = () => fs.rmSync(tmp, { force: true });
  return { tmp, commit, discard };
}
module.exports = { prepare, download };`,
      [
        [6, 16],
        [11, 5],
      ],
    ),
    // Reported where the commit step calls the private method that renames.
    invalidEsm(
      `
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
export class Fetcher {
  async start(body, tmp, dest) {
    await pipeline(body, fs.createWriteStream(tmp));
    const commit = () => {
      this.#commit(tmp, dest);
    };
    return { tmp, commit };
  }
  #commit(tmp, dest) {
    fs.renameSync(tmp, dest);
  }
}`,
      [[8, 7]],
    ),
    // fs-write-stream-atomic: a handler factory (\`handleClose(this)\`) returns the 'close' handler,
    // which renames the stream's temp through a sibling closure; reported where the factory is called.
    invalidCjs(
      `
var fs = require('graceful-fs');
function WriteStreamAtomic(path, options) {
  this.__atomicTarget = path;
  this.__atomicTmp = path + '.' + process.pid;
  this.__atomicStream = fs.WriteStream(this.__atomicTmp, options);
  this.__atomicStream.once('close', handleClose(this));
}
function handleClose(writeStream) {
  return function () {
    if (writeStream.__atomicClosed) return;
    writeStream.__atomicClosed = true;
    moveIntoPlace();
  };
  function moveIntoPlace() {
    fs.rename(writeStream.__atomicTmp, writeStream.__atomicTarget, function () {});
  }
}
module.exports = WriteStreamAtomic;`,
      [[7, 37]],
    ),
    // An arrow factory of the paths themselves, in TypeScript.
    invalidTs(
      `
import { createWriteStream, renameSync } from 'node:fs';
const commitOnClose = (tmp: string, dest: string) => (): void => {
  renameSync(tmp, dest);
};
export function save(dest: string, chunks: string[]): void {
  const tmp = dest + '.tmp';
  const out = createWriteStream(tmp);
  out.once('close', commitOnClose(tmp, dest));
  for (const c of chunks) out.write(c);
  out.end();
}`,
      [[9, 21]],
    ),
    // A factory returning a handler declared inside it by name.
    invalidEsm(
      `
import fs from 'node:fs';
function publisher(tmp, dest, done) {
  function publish() {
    fs.rename(tmp, dest, done);
  }
  return publish;
}
export function save(dest, data, done) {
  fs.writeFile(dest + '.tmp', data, publisher(dest + '.tmp', dest, done));
}`,
      [[10, 37]],
    ),
    // webpack's pack writer: a write closure handed to serialize() records each temp it streams in a
    // Set; the .then() after serialize renames every element, then the index (one of the paths the
    // closure may have written: \`name ? join(…) : filename\`).
    invalidCjs(
      `
const path = require('path');
class PackWriter {
  serialize(data, context) {
    const { filename, extension = '' } = context;
    const allWrittenFiles = new Set();
    const writeFile = async (name, content) => {
      const file = name ? path.join(filename, \`../\${name}\${extension}\`) : filename;
      await new Promise((resolve, reject) => {
        const stream = this.fs.createWriteStream(\`\${file}_\`);
        stream.on('error', reject);
        stream.on('finish', () => resolve());
        stream.end(content);
      });
      if (name) allWrittenFiles.add(file);
    };
    return serialize(this, data, writeFile).then(async () => {
      await Promise.all(
        Array.from(allWrittenFiles, (file) => new Promise((resolve, reject) => {
          this.fs.rename(\`\${file}_\`, file, (err) => (err ? reject(err) : resolve()));
        })),
      );
      await new Promise((resolve, reject) => {
        this.fs.rename(\`\${filename}_\`, filename, (err) => (err ? reject(err) : resolve()));
      });
    });
  }
}
module.exports = PackWriter;`,
      [
        [20, 11],
        [24, 9],
      ],
    ),
    // Elements of an array of written temps, renamed in a for-of loop.
    invalidTs(
      `
import { writeFileSync, renameSync } from 'node:fs';
export function saveAll(files: Map<string, string>): void {
  const written: string[] = [];
  for (const [file, data] of files) {
    const tmp = file;
    writeFileSync(tmp + '.tmp', data);
    written.push(tmp);
  }
  for (const f of written) renameSync(f + '.tmp', f);
}`,
      [[10, 28]],
    ),
    // Two loops over the same list: every temp is written, then every temp is renamed.
    invalidEsm(
      `
import fs from 'node:fs';
export async function saveAll(files, data) {
  for (const f of files) await fs.promises.writeFile(f + '.tmp', data);
  for (const f of files) await fs.promises.rename(f + '.tmp', f);
}`,
      [[5, 32]],
    ),
    // Fields destructured from the elements of a list of jobs.
    invalidCjs(
      `
const fs = require('fs');
function saveAll(jobs) {
  for (const { tmp, data } of jobs) fs.writeFileSync(tmp, data);
  jobs.forEach(({ tmp, dest }) => fs.renameSync(tmp, dest));
}
module.exports = saveAll;`,
      [[5, 35]],
    ),
    // A rename helper taking a job object it destructures, in TypeScript.
    invalidTs(
      `
import { writeFileSync, renameSync } from 'node:fs';
interface Job { readonly tmp: string; readonly dest: string }
const publish = ({ tmp, dest }: Job): void => renameSync(tmp, dest);
export function save(dest: string, data: string): void {
  const job: Job = { tmp: \`\${dest}.tmp\`, dest };
  writeFileSync(job.tmp, data);
  publish(job);
}`,
      [[8, 3]],
    ),
    // prisma: the temps travel in an array of object literals into a helper that renames each entry.
    invalidTs(
      `
import { rename, writeFile } from 'node:fs/promises';
interface Entry { readonly tempPath: string; readonly outputPath: string }
async function publishAll(entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) await rename(entry.tempPath, entry.outputPath);
}
export async function publishPair(json: string, dts: string, jsonText: string, dtsText: string): Promise<void> {
  const tempJson = \`\${json}.next.tmp\`;
  const tempDts = \`\${dts}.next.tmp\`;
  await writeFile(tempJson, jsonText);
  await writeFile(tempDts, dtsText);
  await publishAll([
    { tempPath: tempDts, outputPath: dts },
    { tempPath: tempJson, outputPath: json },
  ]);
}`,
      [[12, 9]],
    ),
    // A write helper handed the paths in an object literal.
    invalidCjs(
      `
const fs = require('fs');
function writeBoth({ a, b }, data) {
  fs.writeFileSync(a, data);
  fs.writeFileSync(b, data);
}
function save(dest, data) {
  writeBoth({ a: dest + '.tmp', b: dest + '.bak' }, data);
  fs.renameSync(dest + '.tmp', dest);
}
module.exports = save;`,
      [[9, 3]],
    ),
    // A write closure passed by name to any call whose promise is then'd.
    invalidEsm(
      `
import fs from 'node:fs';
export function save(file, produce) {
  const write = async (chunk) => {
    await fs.promises.writeFile(file + '.tmp', chunk);
  };
  return produce(write).then(() => fs.promises.rename(file + '.tmp', file));
}`,
      [[7, 36]],
    ),
    // The same without the fsync in the 'open' handler.
    invalidCjs(
      `
const fs = require('fs-extra');
async function writeFile(path, content) {
  const tempFile = path + '.$$$';
  await new Promise(function (resolve, reject) {
    var stream = fs.createWriteStream(tempFile);
    stream.on('open', function (fd) {
      stream.write(content, 'utf8', function () {
        stream.end(resolve);
      });
    });
    stream.on('error', reject);
  });
  await fs.rename(tempFile, path);
}`,
      [[14, 9]],
    ),
    // A write inside an awaited promise executor, the rename after the await.
    invalidEsm(
      `
import fs from 'node:fs';
export async function save(tmp, dest, data) {
  await new Promise((resolve, reject) => fs.writeFile(tmp, data, (err) => (err ? reject(err) : resolve())));
  fs.renameSync(tmp, dest);
}`,
      [[5, 3]],
    ),
    invalidTs(
      `
import { writeFile, rename } from 'node:fs';
export async function save(tmp: string, dest: string, data: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    writeFile(tmp, data, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
  await new Promise<void>((resolve, reject) => rename(tmp, dest, (err) => (err ? reject(err) : resolve())));
}`,
      [[10, 48]],
    ),
    // A write inside an awaited .then handler of any promise.
    invalidCjs(
      `
const fs = require('fs');
async function save(tmp, dest) {
  await fetchData().then((data) => fs.writeFileSync(tmp, data));
  fs.renameSync(tmp, dest);
}`,
      [[5, 3]],
    ),
    // A synchronous IIFE writes; the code after it renames.
    invalidEsm(
      `
import fs from 'node:fs';
(() => {
  fs.writeFileSync(tmp, data);
})();
fs.renameSync(tmp, dest);`,
      [[6, 1]],
    ),
    // A callback passed by name.
    invalidCjs(
      `
const fs = require('fs');
function save(tmp, dest, data, cb) {
  fs.writeFile(tmp, data, onWritten);
  function onWritten(err) {
    if (err) return cb(err);
    fs.rename(tmp, dest, cb);
  }
}`,
      [[7, 5]],
    ),
    // verdaccio-shaped: the helper's own rename is reported, not also every call of the helper.
    invalidCjs(
      `
const fs = require('fs');
function writeTarball(temporalName, pathName, uploadStream) {
  const file = fs.createWriteStream(temporalName);
  uploadStream.pipe(file);
  uploadStream.done = function () {
    const onend = function () {
      file.on('close', () => fs.rename(temporalName, pathName, () => {}));
      file.end();
    };
    if (uploadStream.ended) onend();
    else uploadStream.on('end', onend);
  };
}`,
      [[8, 30]],
    ),
    // lerna-shaped: fs-extra copy into a backup, put back by a cleanup closure registered by name.
    // fs-extra copies directories as well as files: an fsync of the backup could throw EISDIR.
    {
      name: 'no suggestion: what fs-extra copied may be a directory',
      ...invalidTs(
        `
import fs from 'fs-extra';
import onExit from 'signal-exit';
export function install(manifest: string): Promise<void> {
  const backup = \`\${manifest}.backup\`;
  return fs.copy(manifest, backup).then(() => {
    const cleanup = (): void => {
      fs.renameSync(backup, manifest);
    };
    const unregister = onExit(cleanup);
    return run().then(() => {
      cleanup();
      unregister();
    });
  });
}`,
        [[8, 7]],
      ),
    },
    // A function stored for later, with handlers registered inside it; a close function in an options object.
    invalidEsm(
      `
import fs from 'node:fs';
export function upload(tmp, dest) {
  const uploadStream = fs.createWriteStream(tmp);
  uploadStream.done = function () {
    uploadStream.on('finish', () => fs.rename(tmp, dest, () => {}));
    uploadStream.end();
  };
  return uploadStream;
}`,
      [[6, 37]],
    ),
    invalidCjs(
      `
const fs = require('fs');
function save(tmp, dest, data) {
  const out = fs.createWriteStream(tmp, {
    fs: {
      ...fs,
      close(fd, cb) {
        fs.close(fd, (err) => (err ? cb(err) : fs.rename(tmp, dest, cb)));
      },
    },
  });
  out.end(data);
}`,
      [[8, 48]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: injected file systems and compiled code', tested, {
  valid: [
    // \`exports.stage\` names a function that writes its own file, not the one renamed.
    validCjs(`
'use strict';
exports.stage = void 0;
const fs_1 = require('fs');
const stage = (file, data) => {
  (0, fs_1.writeFileSync)(file + '.log', data);
  return file + '.tmp';
};
exports.stage = stage;
exports.save = (file, data) => {
  const tmp = (0, exports.stage)(file, data);
  fs_1.renameSync(tmp, file);
};`),
    // The same compiled joins naming two different files.
    validCjs(`
'use strict';
const fs_1 = require('fs');
const path_1 = require('path');
function save(dir, data) {
  (0, fs_1.writeFileSync)((0, path_1.join)(dir, 'a.tmp'), data);
  (0, fs_1.renameSync)((0, path_1.join)(dir, 'b.tmp'), (0, path_1.join)(dir, 'state.json'));
}
exports.save = save;`),
    // A log store (an undeclared global) whose \`write(id, entry)\` and \`rename(id, newID)\` take ids:
    // fs's \`write\` takes a descriptor, so this object is no file system.
    validCjs(`
class Roomlog {
  modlog(entry) {
    void Rooms.Modlog.write(this.roomid, entry);
  }
  async rename(newID) {
    await Rooms.Modlog.rename(this.roomid, newID);
    this.roomid = newID;
  }
}
exports.Roomlog = Roomlog;`),
    // A path's API (pokemon-showdown's FSPath): \`rename(target)\` moves the path it wraps wherever its
    // caller says; no caller in this file writes then renames.
    validCjs(`
const fs = require('fs');
const path = require('path');
class FSPath {
  constructor(p) {
    this.path = path.resolve(__dirname, p);
  }
  write(data) {
    return fs.promises.writeFile(this.path, data);
  }
  createWriteStream(options = {}) {
    return fs.createWriteStream(this.path, options);
  }
  rename(target) {
    return new Promise((resolve, reject) => {
      fs.rename(this.path, target, (err) => (err ? reject(err) : resolve()));
    });
  }
  renameSync(target) {
    return fs.renameSync(this.path, target);
  }
}
exports.FSPath = FSPath;`),
    // An injected file system that fsyncs through its own fsync.
    validEsm(`
export class Cache {
  constructor(fs) { this.fs = fs; }
  persist(file, data, cb) {
    const tmp = file + '.tmp';
    this.fs.writeFile(tmp, data, (err) => {
      if (err) return cb(err);
      this.fs.open(tmp, 'r+', (err, fd) => {
        if (err) return cb(err);
        this.fs.fsync(fd, () => this.fs.close(fd, () => this.fs.rename(tmp, file, cb)));
      });
    });
  }
}`),
    // A typed injected file system written with flush: true.
    validTs(`
interface FileSystem { writeFileSync(p: string, d: string, o?: object): void; renameSync(a: string, b: string): void }
export function persist(fs: FileSystem, file: string, data: string): void {
  fs.writeFileSync(\`\${file}.tmp\`, data, { flush: true });
  fs.renameSync(\`\${file}.tmp\`, file);
}`),
    // An injected file system whose copies go into another directory than the one it renames.
    validCjs(`
const path = require('path');
class Migration {
  constructor($fs) { this.$fs = $fs; }
  run(src, dest, backup) {
    this.$fs.copyFile(path.join(src, 'a'), path.join(backup, 'a'));
    this.$fs.rename(dest, src);
  }
}
exports.Migration = Migration;`),
    // An object with a rename member but no write of the renamed file is not a file system.
    validEsm(`
export function move(store, from, to) {
  store.writeFile(other, data);
  store.rename(from, to);
}`),
    // Curried wrappers (stubborn-fs): the first call's argument is options; fsynced through the descriptor.
    validEsm(`
export async function write(fs, retryOptions, tempPath, filePath, data) {
  const fd = await fs.retry.open(retryOptions)(tempPath, 'w');
  await fs.retry.write(retryOptions)(fd, data);
  await fs.retry.fsync(retryOptions)(fd);
  await fs.retry.close(retryOptions)(fd);
  await fs.retry.rename(retryOptions)(tempPath, filePath);
}`),
    // Compiled private fields naming different files.
    validCjs(`
const fs_1 = __importDefault(require("fs"));
class Store {
  save(data) {
    fs_1.default.writeFileSync(__classPrivateFieldGet(this, _Store_tmp, "f"), data);
    fs_1.default.renameSync(__classPrivateFieldGet(this, _Store_old, "f"), __classPrivateFieldGet(this, _Store_file, "f"));
  }
}`),
  ],
  invalid: [
    // tsc's CommonJS output of \`export const stage = …\` calls it back as \`(0, exports.stage)(…)\`.
    invalidCjs(
      `
'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.save = exports.stage = void 0;
const fs_1 = require('fs');
const stage = (file, data) => {
  const tmp = file + '.tmp';
  (0, fs_1.writeFileSync)(tmp, data);
  return tmp;
};
exports.stage = stage;
const save = async (file, data) => {
  const tmp = (0, exports.stage)(file, data);
  await fs_1.promises.rename(tmp, file);
};
exports.save = save;`,
      [[14, 9]],
    ),
    // tsc's CommonJS output calls imported functions as \`(0, path_1.join)(…)\`: still path.join.
    invalidCjs(
      `
'use strict';
const fs_1 = require('fs');
const path_1 = require('path');
function save(dir, data) {
  const tmp = (0, path_1.join)(dir, 'state.json.tmp');
  (0, fs_1.writeFileSync)((0, path_1.join)(dir, 'state.json.tmp'), data);
  (0, fs_1.renameSync)(tmp, (0, path_1.join)(dir, 'state.json'));
}
exports.save = save;`,
      [[8, 3]],
    ),
    // webpack-style: the file system is \`this.fs\`.
    invalidEsm(
      `
export class Cache {
  constructor(fs) { this.fs = fs; }
  persist(file, data, cb) {
    const tmp = file + '.tmp';
    this.fs.writeFile(tmp, data, (err) => {
      if (err) return cb(err);
      this.fs.rename(tmp, file, cb);
    });
  }
}`,
      [[8, 7]],
    ),
    // An injected file system (nativescript's \`$fs\`) copies files into a directory, then renames the
    // directory into place: a directory publish through the object, which may have no fsync to offer.
    {
      name: 'no suggestion: the files were written inside the directory by an injected file system',
      ...invalidCjs(
        `
const path = require('path');
class Migration {
  constructor($fs) { this.$fs = $fs; }
  run(src, dest, backup) {
    this.$fs.copyFile(path.join(src, 'a'), path.join(dest, 'a'));
    this.$fs.rename(src, backup);
    this.$fs.rename(dest, src);
  }
}
exports.Migration = Migration;`,
        [[8, 5, 'unsyncedDirectoryRename' as never]],
      ),
    },
    // A parameter used as a promise file system.
    invalidTs(
      `
interface FileSystem { writeFile(p: string, d: string): Promise<void>; rename(a: string, b: string): Promise<void> }
export async function persist(fs: FileSystem, file: string, data: string): Promise<void> {
  await fs.writeFile(\`\${file}.tmp\`, data);
  await fs.rename(\`\${file}.tmp\`, file);
}`,
      [[5, 9]],
    ),
    // atomically-shaped: stubborn-fs curried calls, the fsync skipped when options say so.
    invalidEsm(
      `
import fs from 'stubborn-fs';
export async function writeFile(filePath, data, options, retryOptions) {
  const tempPath = filePath + '.tmp';
  const fd = await fs.retry.open(retryOptions)(tempPath, 'w');
  await fs.retry.write(retryOptions)(fd, data);
  if (options.fsync !== false) await fs.retry.fsync(retryOptions)(fd);
  await fs.retry.close(retryOptions)(fd);
  await fs.retry.rename(retryOptions)(tempPath, filePath);
}`,
      [[9, 9, 'unsyncedOnSomePaths']],
    ),
    // A parameter named like the module it shadows, used as a file system.
    invalidEsm(
      `
import fs from 'fs';
function save(fs) {
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, dest);
}`,
      [[5, 3]],
    ),
    invalidCjs(
      `
function persist(intermediateFileSystem, file, data) {
  intermediateFileSystem.writeFileSync(file + '.tmp', data);
  intermediateFileSystem.renameSync(file + '.tmp', file);
}`,
      [[4, 3]],
    ),
    // tslib/tsc private fields: \`__classPrivateFieldGet(this, _X, "f")\` is \`this.#X\`; \`(0, x.f)(…)\` callees.
    invalidCjs(
      `
const fs_1 = require("fs");
class Store {
  save(data) {
    (0, fs_1.writeFileSync)(__classPrivateFieldGet(this, _Store_tmp, "f"), data);
    (0, fs_1.renameSync)(__classPrivateFieldGet(this, _Store_tmp, "f"), __classPrivateFieldGet(this, _Store_file, "f"));
  }
}`,
      [[6, 5]],
    ),
    // Babel and SWC private-field helpers.
    invalidCjs(
      `
var _fs = _interopRequireDefault(require("fs"));
class Store {
  save(data) {
    _fs.default.writeFileSync(_classPrivateFieldGet2(_tmp, this), data);
    _fs.default.renameSync(_classPrivateFieldGet2(_tmp, this), _classPrivateFieldGet2(_file, this));
    _fs.default.writeFileSync(_class_private_field_get(this, _tmp), data);
    _fs.default.renameSync(_class_private_field_get(this, _tmp), _class_private_field_get(this, _file));
  }
}`,
      [
        [6, 5],
        [8, 5],
      ],
    ),
    // Parcel's interop helper and esbuild's __toESM.
    invalidCjs(
      `
var $fs = $parcel$interopDefault(require("fs"));
$fs.writeFileSync(tmp, data);
$fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    // Parcel's bundled graceful-fs, reached through \`(0, $parcel$interopDefault(m))\`: an object used as a file system.
    invalidCjs(
      `
class NodeFS {
  async writeFile(filePath, contents) {
    let tmpFilePath = getTempFilePath(filePath);
    await (0, $parcel$interopDefault($07c33d31980d7367$exports)).promises.writeFile(tmpFilePath, contents);
    await (0, $parcel$interopDefault($07c33d31980d7367$exports)).promises.rename(tmpFilePath, filePath);
  }
}`,
      [[6, 11]],
    ),
    // Parcel's atomic createWriteStream: the stream on the bundled fs, the rename on its .promises.
    invalidCjs(
      `
class NodeFS {
  createWriteStream(filePath, options) {
    let tmpFilePath = getTempFilePath(filePath);
    const move = async () => {
      await (0, $parcel$interopDefault($fs$exports)).promises.rename(tmpFilePath, filePath);
    };
    return (0, $parcel$interopDefault($fs$exports)).createWriteStream(tmpFilePath, {
      ...options,
      fs: {
        ...(0, $parcel$interopDefault($fs$exports)),
        close: (fd, cb) => {
          (0, $parcel$interopDefault($fs$exports)).close(fd, (err) => {
            if (err) cb(err);
            else move().then(() => cb(), (err) => cb(err));
          });
        },
      },
    });
  }
}`,
      [[15, 18]],
    ),
    invalidCjs(
      `
var import_fs = __toESM(require("fs"));
(0, import_fs.writeFileSync)(tmp, data);
import_fs.default.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: precision', tested, {
  valid: [
    // A builder's name that cannot be spelled depends on its argument: the results file appended to,
    // then moved aside to the numbered name of the retry, is rotated, not published over itself.
    validCjs(`
const fs = require('fs');
const path = require('path');
function resultsFilePath(retry) {
  const dir = path.resolve(process.cwd(), 'reports');
  let fileName = 'errors';
  if (retry) {
    fileName = fileName + '-' + retry;
  }
  return dir + '/' + fileName + '.xml';
}
exports.close = function close(retryCount) {
  fs.appendFileSync(resultsFilePath(), '</list>');
  fs.renameSync(resultsFilePath(), resultsFilePath(retryCount));
};`),
    // The same through an unspellable part computed from the argument, in a template: the file
    // renamed is another than the one written.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
const root = path.resolve(process.cwd(), 'staging');
function stagingPath(id) {
  const name = encodeURIComponent(id).slice(0, 40);
  return \`\${root}/\${name}.json\`;
}
export function move(current, next, data) {
  fs.writeFileSync(stagingPath(next), data);
  fs.renameSync(stagingPath(current), \`done/\${current}.json\`);
}`),
    // The helper empties its build folder, copies fresh files into it and runs a build there: the file it
    // renames out of it is not the one its caller copied into the installer folder before.
    validCjs(`
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
function build(dir) {
  const out = path.join(dir, 'tmp');
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(__dirname, 'utilities'), out, { recursive: true });
  execFileSync('make', { cwd: out });
  fs.renameSync(path.join(out, 'app.exe'), path.join(dir, 'app.exe'));
}
exports.main = function main() {
  const dir = path.join(process.cwd(), 'installer');
  fs.cpSync(path.join(__dirname, 'seed'), dir, { recursive: true });
  build(dir);
};`),
    // One file of the directory, named by a lookup (not each element of a collection in a loop): a
    // rename of another file in that directory publishes nothing this code wrote.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
const NAMES = { linux: 'tool.tar.gz', win32: 'tool.zip' };
export async function install(dir, platform, dest) {
  const archive = path.join(dir, NAMES[platform]);
  await fs.promises.writeFile(archive, await download());
  const extracted = fs.readdirSync(dir).find((f) => f.startsWith('tool-'));
  await fs.promises.rename(path.join(dir, extracted, 'tool'), dest);
}`),
    // A path bound to a choice is written under each choice; an fsync of the binding syncs them all.
    validEsm(`
import fs from 'node:fs';
export function save(dir, name, fallback, data) {
  const tmp = name ? dir + '/' + name : fallback;
  fs.writeFileSync(tmp, data);
  const fd = fs.openSync(tmp, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(fallback, dir + '/final');
}`),
    validCjs(`
const fs = require('fs');
function save(dir, name, fallback, chunks, cb) {
  const file = name ? dir + '/' + name : fallback;
  const out = fs.createWriteStream(file + '_', { flush: true });
  for (const c of chunks) out.write(c);
  out.end();
  out.on('close', () => fs.rename(fallback + '_', fallback, cb));
}`),
    // flush: true through a const binding and a spread.
    validEsm(`
import fs from 'node:fs';
const DURABLE = { flush: true };
fs.writeFileSync(tmp, data, DURABLE);
fs.renameSync(tmp, dest);`),
    validTs(`
import { writeFile, rename } from 'node:fs/promises';
const DURABLE = { flush: true } as const;
export async function save(tmp: string, dest: string, data: string): Promise<void> {
  await writeFile(tmp, data, { ...DURABLE, encoding: 'utf8' });
  await rename(tmp, dest);
}`),
    // Rotation: the destination is derived from the source.
    validCjs(`
const fs = require('fs');
function log(file, line) {
  fs.appendFileSync(file, line);
  if (fs.statSync(file).size > LIMIT) fs.renameSync(file, file + '.1');
}`),
    validEsm(`
import fs from 'node:fs';
export function rotate(log, i) {
  fs.appendFileSync(log, 'end');
  fs.renameSync(log, \`\${log}.\${i}\`);
}`),
  ],
  invalid: [
    // Equal arguments, equal name: the numbered file written, then published at the plain name.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
function resultsFilePath(retry) {
  const dir = path.resolve(process.cwd(), 'reports');
  let fileName = 'errors';
  if (retry) fileName = fileName + '-' + retry;
  return dir + '/' + fileName + '.xml';
}
exports.save = function save(n, data) {
  fs.writeFileSync(resultsFilePath(n), data);
  fs.renameSync(resultsFilePath(n), resultsFilePath());
};
exports.again = function again(data) {
  fs.writeFileSync(resultsFilePath(), data);
  fs.renameSync(resultsFilePath(), 'final.xml');
};`,
      [
        [12, 3],
        [16, 3],
      ],
    ),
    // Reported once, in the helper that copies the folder and renames a file out of it, not again at
    // the call after the caller's own copy into the same folder.
    {
      name: 'no suggestion: a file of a folder copied by the helper, renamed out of it',
      ...invalidCjs(
        `
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
function build(dir) {
  const out = path.join(dir, 'tmp');
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(__dirname, 'utilities'), out, { recursive: true });
  fs.renameSync(path.join(out, 'app.exe'), path.join(dir, 'app.exe'));
}
exports.main = function main() {
  const dir = path.join(process.cwd(), 'installer');
  fs.cpSync(path.join(__dirname, 'seed'), dir, { recursive: true });
  build(dir);
};`,
        [[9, 3]],
      ),
    },
    // Each element written inside a directory by an iteration callback: every file of it, the one renamed
    // out of it too.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
function install(entries, dir, dest) {
  entries.forEach((e) => fs.writeFileSync(path.join(dir, e.name), e.data));
  fs.renameSync(path.join(dir, 'bin'), dest);
}`,
      [[6, 3]],
    ),
    // A helper that downloads an archive into a directory and extracts it there: what it writes is every
    // file of the directory (the archive among them), so the binary the caller renames out of it.
    {
      name: 'no suggestion: an archive extractor wrote the renamed file, in a helper',
      ...invalidCjs(
        `
const fs = require('fs');
const path = require('path');
const tar = require('tar');
async function fetchAndExtract(url, dir) {
  const archive = path.join(dir, 'tool.tar.gz');
  await fs.promises.writeFile(archive, await download(url));
  tar.extract({ cwd: dir, file: archive, sync: true });
}
async function install(url, cache, bin) {
  const dir = fs.mkdtempSync(path.join(cache, 'tmp-'));
  await fetchAndExtract(url, dir);
  fs.renameSync(path.join(dir, 'tool'), bin);
}`,
        [[13, 3]],
      ),
    },
    // A helper that extracts an archive in one branch and renames in the other, returning the path:
    // what it extracted is renamed by the caller (not by the helper, whose branches never meet).
    {
      name: 'no suggestion: an archive extractor in a helper wrote the renamed file',
      ...invalidCjs(
        `
const fs = require('fs');
const path = require('path');
const tar = require('tar');
async function unpack(archive, dir, windows) {
  const dest = path.join(dir, 'tool');
  if (windows) {
    const sub = fs.readdirSync(dir).find((f) => f.startsWith('tool-'));
    await fs.promises.rename(path.join(dir, sub, 'tool'), dest);
  } else {
    await tar.x({ file: archive, cwd: dir });
  }
  return dest;
}
async function install(archive, dir, bin, windows) {
  const unpacked = await unpack(archive, dir, windows);
  await fs.promises.rename(unpacked, bin);
}`,
        [[17, 9]],
      ),
    },
    // A \`let\` options object is not known to stay durable.
    invalidEsm(
      `
import fs from 'node:fs';
let options = { flush: true };
fs.writeFileSync(tmp, data, options);
fs.renameSync(tmp, dest);`,
      [[5, 1]],
    ),
    invalidCjs(
      `
const fs = require('fs');
let options = { flush: false };
fs.writeFileSync(tmp, data, options);
fs.renameSync(tmp, dest);`,
      [[5, 1]],
    ),
    // A rename to a name derived from another file is still a publish.
    invalidEsm(
      `
import fs from 'node:fs';
fs.writeFileSync(dest + '.tmp', data);
fs.renameSync(dest + '.tmp', dest);`,
      [[4, 1]],
    ),
    invalidTs(
      `
import { appendFileSync, renameSync } from 'node:fs';
export function rotate(log: string): void {
  appendFileSync(\`\${log}.next\`, 'entry');
  renameSync(\`\${log}.next\`, log);
}`,
      [[5, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: class methods called in any order', tested, {
  valid: [
    // An object literal that is not the module's export (a handlers object handed to a library) is
    // not an API whose methods its users call in order.
    validCjs(`
const fs = require('fs');
const path = require('path');
const handlers = {
  onTemplates: function () {
    fs.cpSync(path.resolve(__dirname, 'template'), path.resolve('.'), { recursive: true });
  },
  onGitIgnore: function () {
    fs.renameSync(path.resolve('.', '_gitignore'), path.resolve('.', '.gitignore'));
  },
};
require('runner').run(handlers);`),
    // The module's API renames where its caller says: another call names another file.
    validCjs(`
const fs = require('fs');
const path = require('path');
module.exports = {
  writeTemplates: function () {
    fs.cpSync(path.resolve(__dirname, 'template'), path.resolve('.'), { recursive: true });
  },
  moveFile: function (from, to) {
    fs.renameSync(from, to);
  },
};`),
    // Theia's DiskFileSystemProvider: copy(from, to) moves the old target aside, then writes it. Its
    // next call names another file with its parameters: no path goes from one call's write to the
    // next call's move-aside.
    validCjs(`
const fs = require('fs');
const path = require('path');
class DiskProvider {
  async rename(from, to) {
    await this.validateTargetDeleted(to);
    await fs.promises.rename(from, to);
  }
  async copy(from, to) {
    await this.validateTargetDeleted(to);
    await fs.promises.copyFile(from, to);
  }
  async validateTargetDeleted(target) {
    if (fs.existsSync(target)) await this.rimrafMove(target);
  }
  async rimrafMove(file) {
    const aside = path.join(path.dirname(file), Math.random().toString(36));
    await fs.promises.rename(file, aside);
    await fs.promises.rm(aside, { recursive: true });
  }
}
exports.DiskProvider = DiskProvider;`),
  ],
  invalid: [
    // The methods of the object a module exports run in whatever order its users call them: the template
    // copied by one, its _gitignore moved by the other (@oracle/ojet-cli's common/index.js).
    {
      name: 'no suggestion: a file of a tree copied by one method of the module, renamed by another',
      ...invalidCjs(
        `
const fs = require('fs');
const path = require('path');
module.exports = {
  writeGitIgnore: function _writeGitIgnore() {
    fs.renameSync(path.resolve('.', '_gitignore'), path.resolve('.', '.gitignore'));
  },
  writeCommonTemplates: function _writeCommonTemplates() {
    fs.cpSync(path.resolve(__dirname, 'template'), path.resolve('.'), { recursive: true });
  },
};`,
        [[6, 5]],
      ),
    },
    // A directory of a made-up name (\`tmp-\${random}\`) that tar extracted into, renamed: a directory
    // publish, not a file (the files inside it are other files than the directory itself).
    {
      name: 'no suggestion: tar extracted into a directory of a made-up name',
      ...invalid(
        `
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
export function install(archive, cacheDir, dest) {
  const tmpDir = path.join(cacheDir, \`tmp-\${Math.random()}\`);
  tar.x({ cwd: tmpDir, file: archive, sync: true });
  fs.renameSync(tmpDir, dest);
}`,
        [],
      ),
      errors: [{ messageId: 'unsyncedDirectoryRename', line: 8, column: 3 }],
    },
    // varlock's tarball extraction: a path check returning \`void 0\` for a name outside the directory
    // and the path otherwise names some file inside it; the loop writes each, the directory is renamed.
    {
      name: 'no suggestion: files extracted through a path check that may return nothing',
      ...invalid(
        `
import fs from 'node:fs/promises';
import path from 'node:path';
function safeJoin(destDir, entryName) {
  const target = path.resolve(destDir, entryName.replace(/^\\/+/, ''));
  const rel = path.relative(destDir, target);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return void 0;
  return target;
}
async function extractEntries(entries, destDir) {
  for (const entry of entries) {
    const target = safeJoin(destDir, entry.name);
    if (!target) continue;
    await fs.writeFile(target, entry.data);
  }
}
export async function install(cacheDir, entries, name) {
  const tmpExtractDir = path.join(cacheDir, \`tmp-\${Math.random()}\`);
  await extractEntries(entries, tmpExtractDir);
  await fs.rename(tmpExtractDir, path.join(cacheDir, name));
}`,
        [],
      ),
      errors: [{ messageId: 'unsyncedDirectoryRename', line: 20, column: 9 }],
    },
    // dagger's provisioner: the binary's path comes from a builder whose returns differ by platform
    // (with and without \`.exe\`) but name a file in the directory that tar extracted into.
    {
      name: 'no suggestion: a file extracted by tar, named by a builder with two returns',
      ...invalid(
        `
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
export class Provisioner {
  constructor(cacheDir) { this.cacheDir = cacheDir; }
  download(archive) {
    const binPath = this.buildOsExePath(this.cacheDir, 'tool-1.0');
    const tmpDir = fs.mkdtempSync(path.join(this.cacheDir, 'temp-'));
    const tmpBinPath = this.buildOsExePath(tmpDir, 'tool');
    this.extractArchive(tmpDir, archive);
    fs.renameSync(tmpBinPath, binPath);
  }
  buildOsExePath(destinationDir, filename) {
    const binPath = path.join(destinationDir, filename);
    switch (os.platform()) {
      case 'win32':
        return \`\${binPath}.exe\`;
      default:
        return binPath;
    }
  }
  extractArchive(destDir, archive) {
    tar.extract({ cwd: destDir, file: archive, sync: true });
  }
}`,
        [[13, 5]],
      ),
    },
    // ui5's Registry: a field set once to an instance of another class of the file, whose method
    // writes the temp it returns; the caller renames it.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
class Registry {
  constructor(dir) { this.dir = dir; }
  async requestArtifact(name, data) {
    const part = path.join(this.dir, name + '.part');
    await fs.promises.writeFile(part, data);
    return part;
  }
}
class Builder {
  constructor(dir) { this.registry = new Registry(dir); }
  async build(name, data, dest) {
    const part = await this.registry.requestArtifact(name, data);
    await fs.promises.rename(part, dest);
  }
}
exports.Builder = Builder;`,
      [[16, 11]],
    ),
    // What persists between calls (a field of the object) pairs a write in one method with the
    // rename in another, whatever order the user calls them in.
    invalidCjs(
      `
const fs = require('fs');
class Store {
  constructor(file) { this.file = file; this.tmp = file + '.tmp'; }
  write(data) { fs.writeFileSync(this.tmp, data); }
  commit() { fs.renameSync(this.tmp, this.file); }
}
exports.Store = Store;`,
      [[6, 14]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a helper that hands its temp to a function, then renames it', tested, {
  valid: [
    // The existing target moved aside to a fresh name beside it (a timestamped backup) is no publish.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
function backUp(target) {
  const backup = path.join(path.dirname(target), \`.\${path.basename(target)}.backup-\${Date.now()}\`);
  fs.renameSync(target, backup);
  return backup;
}
export function save(target, data) {
  fs.writeFileSync(target, data);
  backUp(target);
}`),
    // The handed function writes with \`flush: true\`: fsynced before the helper renames.
    validEsm(`
import fs from 'node:fs/promises';
async function writeAtomic(dest, write) {
  const tmp = \`\${dest}.tmp\`;
  await write(tmp);
  await fs.rename(tmp, dest);
}
export async function save(dest, data) {
  await writeAtomic(dest, (tmp) => fs.writeFile(tmp, data, { flush: true }));
}`),
    // The helper fsyncs the temp after the function returned, then renames it.
    validEsm(`
import fs from 'node:fs/promises';
async function writeAtomicDurably(dest, write) {
  const tmp = \`\${dest}.tmp\`;
  await write(tmp);
  const handle = await fs.open(tmp, 'r+');
  await handle.sync();
  await handle.close();
  await fs.rename(tmp, dest);
}
export async function save(dest, data) {
  await writeAtomicDurably(dest, (tmp) => fs.writeFile(tmp, data));
}`),
    // The helper calls the function after its rename (a notification): it writes nothing renamed.
    validEsm(`
import fs from 'node:fs/promises';
async function publish(tmp, dest, onDone) {
  await fs.rename(tmp, dest);
  await onDone(tmp);
}
export async function save(tmp, dest, log) {
  await publish(tmp, dest, (old) => fs.writeFile(old + '.log', log));
}`),
  ],
  invalid: [
    // The handed function writes the temp the helper made up; the helper renames it once it returned.
    invalidEsm(
      `
import fs from 'node:fs/promises';
async function writeAtomic(dest, write) {
  const tmp = \`\${dest}.tmp\`;
  await write(tmp);
  await fs.rename(tmp, dest);
}
export async function save(dest, data) {
  await writeAtomic(dest, (tmp) => fs.writeFile(tmp, data));
}
export async function saveWithHandle(dest, data) {
  await writeAtomic(dest, async (tmp) => {
    const handle = await fs.open(tmp, 'w');
    await handle.writeFile(data);
    await handle.close();
  });
}`,
      [
        [9, 9],
        [12, 9],
      ],
    ),
    // Handed the target itself when there is none yet, else a mkdtemp stage swapped in after the old
    // target is moved aside to a timestamped backup: the stage is what the helper publishes.
    {
      name: 'no suggestion: a staged directory swapped in after a backup (no fix offered for directories)',
      ...invalidEsm(
        `
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
async function installWithStaging(target, exists, install) {
  if (!exists) {
    await install(target);
    return;
  }
  const parent = dirname(target);
  const stage = await mkdtemp(join(parent, \`.\${basename(target)}.tmp-\`));
  const backup = join(parent, \`.\${basename(target)}.backup-\${process.pid}-\${Date.now()}\`);
  await install(stage);
  await rename(target, backup);
  await rename(stage, target);
  await rm(backup, { recursive: true, force: true });
}
export async function update(target, exists, files) {
  await installWithStaging(target, exists, async (dir) => {
    for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
  });
}`,
        [],
      ),
      errors: [{ messageId: 'unsyncedDirectoryRename', line: 18, column: 9 }],
    },
    // obsidian-launcher's atomicCreate: a scratch directory from mkdtemp, filled by the handed
    // function, renamed over the destination.
    {
      name: 'no suggestion: a directory publish (no fix offered for directories)',
      ...invalidEsm(
        `
import fs from 'node:fs/promises';
import path from 'node:path';
async function atomicCreate(dest, func) {
  const scratch = await fs.mkdtemp(path.join(path.dirname(dest), '.tmp-'));
  await func(scratch);
  await fs.rename(scratch, dest);
}
export async function saveDir(dest, data) {
  await atomicCreate(dest, async (scratch) => {
    await fs.writeFile(path.join(scratch, 'download.json'), data);
  });
}`,
        [],
      ),
      errors: [{ messageId: 'unsyncedDirectoryRename', line: 10, column: 9 }],
    },
  ],
});
