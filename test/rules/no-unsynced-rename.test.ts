/**
 * Detection tests for `no-unsynced-rename`: every row of the fs API table and every control-flow shape,
 * in JS (espree; ESM and CommonJS) and TS/TSX (@typescript-eslint/parser). Each invalid case asserts
 * the messageId, line and column of the reported rename.
 */
import { RuleTester } from './rule-tester.js';
import { esm, invalid, invalidCjs, invalidTs, tested, validCjs, validEsm, validTs } from './cases.js';

const ruleTester = new RuleTester();

ruleTester.run('no-unsynced-rename: API table', tested, {
  valid: [
    // flush: true makes writeFile fsync before close.
    validEsm(`
import fs from 'node:fs';
fs.writeFileSync(tmp, data, { flush: true });
fs.renameSync(tmp, dest);`),
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
await writeFile(tmp, data, { encoding: 'utf8', flush: true });
await rename(tmp, dest);`),
    validEsm(`
import { appendFileSync, renameSync } from 'fs';
appendFileSync(tmp, data, { 'flush': true });
renameSync(tmp, dest);`),
    // Descriptor flow with fsync.
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
try {
  fs.writeSync(fd, data);
  fs.fsyncSync(fd);
} finally {
  fs.closeSync(fd);
}
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writevSync(fd, [a, b]);
fs.fdatasyncSync(fd);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`),
    // An fsync through a descriptor opened separately by the same path.
    validEsm(`
import fs from 'fs';
fs.writeFileSync(tmp, data);
const fd = fs.openSync(tmp, 'r+');
fs.fsyncSync(fd);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
fs.writeFileSync(tmp, data);
fs.fsyncSync(fs.openSync(tmp, 'r+'));
fs.renameSync(tmp, dest);`),
    // FileHandle flow.
    validEsm(`
import { open, rename } from 'node:fs/promises';
const handle = await open(tmp, 'w');
await handle.writeFile(data);
await handle.sync();
await handle.close();
await rename(tmp, dest);`),
    validEsm(`
import * as fsp from 'node:fs/promises';
const handle = await fsp.open(tmp, 'w');
await handle.write(buffer);
await handle.datasync();
await handle.close();
await fsp.rename(tmp, dest);`),
    // Callback chain open → write → fsync → close → rename.
    validEsm(`
import fs from 'fs';
fs.open(tmp, 'w', (err, fd) => {
  fs.write(fd, data, (err) => {
    fs.fsync(fd, (err) => {
      fs.close(fd, () => fs.rename(tmp, dest, cb));
    });
  });
});`),
    // Streams: flush: true syncs before 'close'.
    validEsm(`
import fs from 'fs';
const out = fs.createWriteStream(tmp, { flush: true });
out.on('close', () => fs.rename(tmp, dest, cb));
out.end(data);`),
    validEsm(`
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
await pipeline(source, createWriteStream(tmp, { flush: true }));
await rename(tmp, dest);`),
    validEsm(`
import { createWriteStream, rename } from 'node:fs';
import { pipeline } from 'node:stream';
const out = createWriteStream(tmp, { flush: true });
pipeline(source, out, (err) => rename(tmp, dest, cb));`),
    validEsm(`
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
const out = createWriteStream(tmp, { flush: true });
out.end(data);
await once(out, 'close');
await rename(tmp, dest);`),
    // Descriptors opened for synchronous writes.
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_SYNC);
fs.writeSync(fd, data);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, 'as');
fs.writeSync(fd, data);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`),
    // O_DSYNC: each write returns once its data (and the size that reaches it) is on disk.
    validCjs(`
const fs = require('fs');
const { O_WRONLY, O_CREAT, O_TRUNC, O_DSYNC } = fs.constants;
const fd = fs.openSync(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_DSYNC, 0o600);
fs.writeSync(fd, data);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`),
    // fs.promises and require('fs').promises.
    validEsm(`
import fs from 'fs';
await fs.promises.writeFile(tmp, data, { flush: true });
await fs.promises.rename(tmp, dest);`),
    validCjs(`
const fsp = require('fs').promises;
async function save() {
  const h = await fsp.open(tmp, 'w');
  await h.writeFile(data);
  await h.sync();
  await h.close();
  await fsp.rename(tmp, dest);
}`),
    // graceful-fs and fs-extra share fs's API.
    validCjs(`
const fs = require('graceful-fs');
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
fs.fsyncSync(fd);
fs.renameSync(tmp, dest);`),
    validEsm(`
import fse from 'fs-extra';
fse.writeFileSync(tmp, data, { flush: true });
fse.moveSync(tmp, dest, { overwrite: true });`),
  ],
  invalid: [
    // Node's cp without options copies one file (a directory throws): the temp can be fsynced.
    invalid(
      `
import fs from 'node:fs';
fs.cpSync(src, tmp);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    // A recursive copy is of a directory, which cannot be opened for an fsync: no suggestion.
    {
      name: 'no suggestion: a recursive copy is a directory of files',
      ...invalid(
        `
import fs from 'node:fs';
fs.cpSync(src, staging, { recursive: true });
fs.renameSync(staging, dest);`,
        [[4, 1]],
      ),
    },
    invalid(
      `
import fs from 'fs';
fs.writeFileSync(tmp, data);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalid(
      `
import { writeFileSync, renameSync } from 'node:fs';
writeFileSync(tmp, data);
renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalid(
      `
import * as fs from 'node:fs';
fs.appendFileSync(tmp, data);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalid(
      `
import { writeFile, rename } from 'fs/promises';
await writeFile(tmp, data, 'utf8');
await rename(tmp, dest);`,
      [[4, 7]],
    ),
    invalid(
      `
import { appendFile, rename } from 'node:fs/promises';
await appendFile(tmp, data, { flush: false });
await rename(tmp, dest);`,
      [[4, 7]],
    ),
    invalid(
      `
import { promises as fsp } from 'fs';
await fsp.writeFile(tmp, data);
await fsp.rename(tmp, dest);`,
      [[4, 7]],
    ),
    invalid(
      `
import fs from 'fs';
await fs.promises.writeFile(tmp, data);
await fs.promises.rename(tmp, dest);`,
      [[4, 7]],
    ),
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`,
      [[6, 1]],
    ),
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writevSync(fd, [a, b]);
fs.closeSync(fd);
fs.renameSync(tmp, dest);`,
      [[6, 1]],
    ),
    invalid(
      `
import fs from 'fs';
fs.open(tmp, 'w', (err, fd) => {
  fs.writev(fd, chunks, () => {
    fs.close(fd, () => fs.rename(tmp, dest, cb));
  });
});`,
      [[5, 24]],
    ),
    invalid(
      `
import fs from 'fs';
fs.copyFileSync(source, tmp);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalid(
      `
import { copyFile, rename } from 'node:fs/promises';
await copyFile(source, tmp);
await rename(tmp, dest);`,
      [[4, 7]],
    ),
    invalid(
      `
import { open, rename } from 'node:fs/promises';
const handle = await open(tmp, 'w');
await handle.write(buffer, 0, buffer.length);
await handle.close();
await rename(tmp, dest);`,
      [[6, 7]],
    ),
    invalid(
      `
import { open, rename } from 'node:fs/promises';
const handle = await open(tmp, 'w');
await handle.writev([a, b]);
await handle.appendFile(c);
await handle.close();
await rename(tmp, dest);`,
      [[7, 7]],
    ),
    invalid(
      `
import fs from 'fs';
const out = fs.createWriteStream(tmp);
out.on('finish', () => fs.rename(tmp, dest, cb));
out.end(data);`,
      [[4, 24]],
    ),
    // flush: true fsyncs when the stream closes, which is after 'finish'.
    invalid(
      `
import fs from 'fs';
const out = fs.createWriteStream(tmp, { flush: true });
out.once('finish', () => fs.rename(tmp, dest, cb));
out.end(data);`,
      [[4, 26]],
    ),
    invalid(
      `
import fs from 'fs';
source.pipe(fs.createWriteStream(tmp)).on('close', () => {
  fs.renameSync(tmp, dest);
});`,
      [[4, 3]],
    ),
    invalid(
      `
import { createWriteStream, rename } from 'node:fs';
import { pipeline } from 'node:stream';
pipeline(source, createWriteStream(tmp), (err) => rename(tmp, dest, cb));`,
      [[4, 51]],
    ),
    invalid(
      `
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
await pipeline(source, createWriteStream(tmp));
await rename(tmp, dest);`,
      [[6, 7]],
    ),
    // 'finish' comes before the flush stream's fsync (on close).
    invalid(
      `
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
const out = createWriteStream(tmp, { flush: true });
out.end(data);
await once(out, 'finish');
await rename(tmp, dest);`,
      [[8, 7]],
    ),
    invalidCjs(
      `
const fs = require('graceful-fs');
fs.writeFile(tmp, data, () => fs.rename(tmp, dest, cb));`,
      [[3, 31]],
    ),
    invalid(
      `
import fse from 'fs-extra';
await fse.outputFile(tmp, data);
await fse.move(tmp, dest, { overwrite: true });`,
      [[4, 7]],
    ),
    invalidCjs(
      `
const { writeJsonSync, moveSync } = require('fs-extra');
writeJsonSync(tmp, value);
moveSync(tmp, dest);`,
      [[4, 1]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: imports and bindings', tested, {
  valid: [
    // The descriptor a stream was given is fsynced before the rename.
    validEsm(`
import fs from 'node:fs';
export function save(tmp, dest, data) {
  const fd = fs.openSync(tmp, 'w');
  const out = fs.createWriteStream(null, { fd, autoClose: false });
  out.end(data, () => {
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, dest);
  });
}`),
    // Same-named functions that are not fs.
    validEsm(`
import fs from 'fs';
fs.writeFileSync(tmp, data);
repo.rename(tmp, dest);`),
    validEsm(`
function writeFileSync() {}
function renameSync() {}
writeFileSync(tmp, data);
renameSync(tmp, dest);`),
    validEsm(`
import { renameSync } from 'fs';
res.write(tmp);
renameSync(tmp, dest);`),
    validEsm(`
import { writeFileSync } from 'fs';
import { renameSync } from './my-fs.js';
writeFileSync(tmp, data);
renameSync(tmp, dest);`),
    // A parameter shadowing the module is not the module (an injected file system only when the
    // same object also writes the renamed file: see the interprocedural tests).
    validEsm(`
import fs from 'fs';
fs.writeFileSync(tmp, data);
function save(fs) {
  fs.renameSync(tmp, dest);
}`),
    // Renaming some other file aside.
    validEsm(`
import fs from 'fs';
fs.writeFileSync(tmp, data);
fs.renameSync(dest, backup);`),
    validEsm(`
import fs from 'fs';
fs.writeFileSync(\`\${dir}/a.tmp\`, data);
fs.renameSync(\`\${dir}/b.tmp\`, dest);`),
    // The binding was reassigned between the write and the rename.
    validEsm(`
import fs from 'fs';
let file = tmp;
fs.writeFileSync(file, data);
file = other;
fs.renameSync(file, dest);`),
    validEsm(`
import fs from 'fs';
class Store {
  save() {
    fs.writeFileSync(this.tmpPath, data);
    this.tmpPath = next;
    fs.renameSync(this.tmpPath, dest);
  }
}`),
    validCjs(`
const fs = require('fs');
const { promisify } = require('util');
async function save() {
  const fd = await promisify(fs.open)(tmp, 'w');
  await promisify(fs.write)(fd, data);
  await promisify(fs.fsync)(fd);
  await promisify(fs.close)(fd);
  await promisify(fs.rename)(tmp, dest);
}`),
    validCjs(`
function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (tmp, dest, data, callback) {
  var self = this;
  this.fs.writeFile(tmp, data, { flush: true }, function (err) {
    self.fs.rename(tmp, dest, callback);
  });
};`),
    // Reassigned through destructuring, the binding names another file too.
    validEsm(`
import fs from 'fs';
let tmp = dest + '.tmp';
fs.writeFileSync(tmp, data);
[tmp] = others;
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
let tmp = dest + '.tmp';
fs.writeFileSync(tmp, data);
({ next: { path: tmp = fallback } } = others);
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
let tmp = dest + '.tmp';
fs.writeFileSync(tmp, data);
[, ...tmp] = others;
fs.renameSync(tmp, dest);`),
    // A \`let\` that is reassigned is not resolved through its initialiser.
    validEsm(`
import fs from 'fs';
let file = dest + '.tmp';
fs.writeFileSync(file, data);
file = other;
fs.renameSync(dest + '.tmp', dest);`),
    // A wrapper that makes its write durable is not an unsynced write.
    validEsm(`
import fs from 'node:fs';
async function writeDurably(file, value) {
  const handle = await fs.promises.open(file, 'w');
  await handle.writeFile(value);
  await handle.sync();
  await handle.close();
}
export async function save(dest, value) {
  await writeDurably(dest + '.tmp', value);
  await fs.promises.rename(dest + '.tmp', dest);
}`),
    validEsm(`
import fs from 'node:fs';
function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value), { flush: true });
}
export function save(dest, value) {
  writeJson(dest + '.tmp', value);
  fs.renameSync(dest + '.tmp', dest);
}`),
    // A wrapper of a write of something other than its parameter is not a write of the argument.
    validEsm(`
import fs from 'node:fs';
function log(file) {
  fs.appendFileSync('/var/log/app.log', file);
}
export function save(dest, tmp) {
  log(tmp);
  fs.renameSync(tmp, dest);
}`),
    // A local function that fsyncs counts as a sync (of any file).
    validEsm(`
import fs from 'node:fs';
function fsyncPath(file) {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
export function save(dest, data) {
  fs.writeFileSync(dest + '.tmp', data);
  fsyncPath(dest + '.tmp');
  fs.renameSync(dest + '.tmp', dest);
}`),
    validEsm(`
import { writeFile, rename, open } from 'node:fs/promises';
export class Store {
  async save(data) {
    await writeFile(this.tmpPath, data);
    await this.flushTemp();
    await this.commit();
  }
  async flushTemp() {
    const handle = await open(this.tmpPath, 'r+');
    await handle.sync();
    await handle.close();
  }
  async commit() {
    await rename(this.tmpPath, this.path);
  }
}`),
    // A path built from the function's own locals differs from call to call: not summarised.
    validEsm(`
import fs from 'node:fs';
function writeTemp(data) {
  const tmp = Math.random() + '.tmp';
  fs.writeFileSync(tmp, data);
}
export function save(data) {
  writeTemp(data);
  fs.renameSync(tmp, dest);
}`),
    // Files without any rename cost nothing and report nothing.
    validEsm(`
import fs from 'fs';
fs.writeFileSync(tmp, data);`),
    // Project wrappers declared as syncs.
    validEsm(
      `
import fs from 'fs';
import { fsyncPath } from './durability.js';
fs.writeFileSync(tmp, data);
fsyncPath(tmp);
fs.renameSync(tmp, dest);`,
      { syncFunctions: [{ source: './durability.js', name: 'fsyncPath' }] },
    ),
    validTs(`
import * as fs from 'node:fs';
fs.writeFileSync(tmp, data, { flush: true });
fs.renameSync(tmp, dest);`),
  ],
  invalid: [
    // A stream given the descriptor of the temp file instead of its path.
    invalid(
      `
import fs from 'node:fs';
export function save(tmp, dest, lines) {
  const fd = fs.openSync(tmp, 'w');
  const out = fs.createWriteStream(null, { fd });
  for (const line of lines) out.write(line);
  out.end();
  out.on('finish', () => fs.renameSync(tmp, dest));
}`,
      [[8, 26]],
    ),
    invalidCjs(
      `
const fs = require('fs');
fs.writeFileSync(tmp, data);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    // Destructuring another binding leaves the written one naming the same file.
    invalid(
      `
import fs from 'fs';
let tmp = dest + '.tmp';
let other;
fs.writeFileSync(tmp, data);
[other] = others;
({ other } = others);
fs.renameSync(tmp, dest);`,
      [[8, 1]],
    ),
    // A destination whose name only starts with the source's is not a rotation of it.
    invalid(
      `
import fs from 'fs';
fs.writeFileSync(cache, data);
fs.renameSync(cache, cacheFinal);`,
      [[4, 1]],
    ),
    invalid(
      `
import fs from 'fs';
fs.writeFileSync(a.tmp, data);
fs.renameSync(a.tmp, a.tmpFile);`,
      [[4, 1]],
    ),
    invalid(
      `
import fs from 'fs';
fs.writeFileSync(file + '.tmp', data);
fs.renameSync(file + '.tmp', file + '.tmp$1');`,
      [[4, 1]],
    ),
    invalidCjs(
      `
const { writeFileSync: put, renameSync: publish } = require('node:fs');
put(tmp, data);
publish(tmp, dest);`,
      [[4, 1]],
    ),
    invalidCjs(
      `
const fsp = require('fs').promises;
async function save() {
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, dest);
}`,
      [[5, 9]],
    ),
    invalidCjs(
      `
const { writeFile, rename } = require('fs/promises');
async function save() {
  await writeFile(tmp, data);
  await rename(tmp, dest);
}`,
      [[5, 9]],
    ),
    // `require` without Node globals declared (ESM file, or TypeScript).
    invalid(
      `
const fs = require('fs');
fs.writeFileSync(tmp, data);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalidTs(
      `
const { writeFileSync, renameSync } = require('fs');
writeFileSync(tmp, data);
renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalidTs(
      `
import fs = require('fs');
fs.writeFileSync(tmp, data);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalidTs(
      `
import { promises as fsp } from 'node:fs';
export async function save(dest: string, data: string): Promise<void> {
  const tmp = \`\${dest}.tmp\`;
  await fsp.writeFile(tmp, data as string, 'utf8');
  await fsp.rename(tmp!, dest);
}`,
      [[6, 9]],
    ),
    invalidTs(
      `
import * as fs from 'fs';
export function Save({ file }: { file: string }) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify({ a: 1 }));
  fs.renameSync(tmp, file);
  return <div>{file}</div>;
}`,
      [[6, 3]],
      'component.tsx',
    ),
    // util.promisify, direct and through a binding.
    invalidCjs(
      `
const fs = require('fs');
const { promisify } = require('util');
async function save() {
  const fd = await promisify(fs.open)(tmp, 'w');
  await promisify(fs.write)(fd, data);
  await promisify(fs.close)(fd);
  await promisify(fs.rename)(tmp, dest);
}`,
      [[8, 9]],
    ),
    invalid(
      `
import fs from 'node:fs';
import util from 'node:util';
const writeFileAsync = util.promisify(fs.writeFile);
const renameAsync = util.promisify(fs.rename);
await writeFileAsync(tmp, data);
await renameAsync(tmp, dest);`,
      [[7, 7]],
    ),
    // fs kept on an object, and \`var self = this\`.
    invalidCjs(
      `
function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (tmp, dest, data, callback) {
  var self = this;
  this.fs.writeFile(tmp, data, function (err) {
    if (err) return callback(err);
    self.fs.rename(tmp, dest, callback);
  });
};`,
      [[9, 5]],
    ),
    // fs kept on an object, its rename reached through `.promises` and computed member names.
    invalidCjs(
      `
function Store() {
  this.fs = require('fs');
}
Store.prototype.save = async function (tmp, dest, data) {
  await this.fs.promises.writeFile(tmp, data);
  await this.fs['promises']['rename'](tmp, dest);
};`,
      [[7, 9]],
    ),
    // Compiled CommonJS: tsc/tslib and Babel interop helpers around require().
    invalidCjs(
      `
const fs_1 = __importDefault(require("fs"));
fs_1.default.writeFileSync(tmp, data);
fs_1.default.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    invalidCjs(
      `
var _fs = _interopRequireDefault(require("fs"));
_fs.default.writeFile(tmp, data, () => _fs.default.rename(tmp, dest, cb));`,
      [[3, 40]],
    ),
    invalidCjs(
      `
const fs = tslib_1.__importStar(require("node:fs"));
fs.writeFileSync(tmp, data);
fs.renameSync(tmp, dest);`,
      [[4, 1]],
    ),
    // The stream constructor, with and without \`new\`.
    invalidCjs(
      `
const fs = require('graceful-fs');
const out = new fs.WriteStream(tmp);
out.on('close', () => fs.rename(tmp, dest, cb));`,
      [[4, 23]],
    ),
    // Same-file wrappers around a write or a rename of a parameter.
    invalid(
      `
import fs from 'node:fs';
function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value));
}
export function save(dest, value) {
  writeJson(dest + '.tmp', value);
  fs.renameSync(dest + '.tmp', dest);
}`,
      [[8, 3]],
    ),
    invalid(
      `
import fs from 'node:fs';
const replaceFile = (from, to, cb) => fs.rename(from, to, cb);
export function save(dest, data, cb) {
  const tmp = dest + '.tmp';
  fs.writeFile(tmp, data, (err) => {
    if (err) return cb(err);
    replaceFile(tmp, dest, cb);
  });
}`,
      [[8, 5]],
    ),
    // Methods of one class sharing \`this.tmp\`, and functions sharing a module binding.
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
export class Store {
  async save(data) {
    await this.writeTemp(data);
    await this.commit();
  }
  async writeTemp(data) {
    await writeFile(this.tmpPath, data);
  }
  async commit() {
    await rename(this.tmpPath, this.path);
  }
}`,
      [[6, 11]],
    ),
    invalid(
      `
import fs from 'node:fs';
const TMP = process.env.STATE + '.tmp';
function writeTemp(data) {
  fs.writeFileSync(TMP, data);
}
function publish() {
  fs.renameSync(TMP, process.env.STATE);
}
writeTemp(state);
publish();`,
      [[11, 1]],
    ),
    // Equal structures name the same file.
    invalid(
      `
import fs from 'fs';
fs.writeFileSync(\`\${dir}/state.json.tmp\`, data);
fs.renameSync(\`\${dir}/state.json.tmp\`, \`\${dir}/state.json\`);`,
      [[4, 1]],
    ),
    invalid(
      `
import fs from 'fs';
import path from 'node:path';
fs.writeFileSync(path.join(dir, name + '.tmp'), data);
fs.renameSync(path.join(dir, name + '.tmp'), path.join(dir, name));`,
      [[5, 1]],
    ),
    invalid(
      `
import fs from 'fs';
const tmp = dest + '.tmp';
fs.writeFileSync(tmp, data);
fs.renameSync(dest + '.tmp', dest);`,
      [[5, 1]],
    ),
    invalid(
      `
import fs from 'fs';
const TMP = 'settings.json.tmp';
fs.writeFileSync('settings.json.tmp', data);
fs.renameSync(TMP, 'settings.json');`,
      [[5, 1]],
    ),
    invalid(
      `
import fs from 'fs';
class Store {
  save(data) {
    fs.writeFileSync(this.tmpPath, data);
    fs.renameSync(this.tmpPath, this.path);
  }
}`,
      [[6, 5]],
    ),
    // Several writes, one rename: one report.
    invalid(
      `
import fs from 'fs';
fs.writeFileSync(tmp, header);
fs.appendFileSync(tmp, body);
fs.renameSync(tmp, dest);`,
      [[5, 1]],
    ),
    // Project wrappers from the options.
    invalid(
      `
import { saveText } from '@acme/io';
import { publish } from './publish.js';
saveText(tmp, data);
publish(tmp, dest);`,
      [[5, 1]],
      {
        languageOptions: esm,
        options: {
          writeFunctions: [{ source: '@acme/io', name: 'saveText' }],
          renameFunctions: [{ source: './publish.js', name: 'publish' }],
        },
      },
    ),
  ],
});

ruleTester.run('no-unsynced-rename: control flow', tested, {
  valid: [
    // Waiting for a flush stream's 'close' is durable.
    validTs(`
import fs from 'node:fs';
import events from 'node:events';
export async function save(file: string, data: string): Promise<void> {
  const stream = fs.createWriteStream(file + '.new', { flush: true, encoding: 'utf8' });
  stream.write(data);
  stream.end();
  await events.once(stream, 'close');
  await fs.promises.rename(file + '.new', file);
}`),
    // FileHandle.datasync() in TypeScript, the handle closed in \`finally\`.
    validTs(`
import { open, rename } from 'node:fs/promises';
export async function save(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(\`\${file}.tmp\`, 'w');
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(\`\${file}.tmp\`, file);
}`),
    // The sync's callback is a function declared before the call that passes it: the search meets
    // its body before it knows the sync will run first.
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
function done(err) {
  if (err) throw err;
  fs.closeSync(fd);
  fs.renameSync(tmp, dest);
}
fs.fsync(fd, done);`),
    validCjs(`
const fs = require('fs');
function save(tmp, dest, data, callback) {
  fs.open(tmp, 'w', (err, fd) => {
    fs.write(fd, data, () => {
      const published = (error) => {
        fs.close(fd, () => fs.rename(tmp, dest, callback));
      };
      fs.fdatasync(fd, published);
    });
  });
}`),
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
if (fast) {
  fs.fdatasyncSync(fd);
} else {
  fs.fsyncSync(fd);
}
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
for (const item of items) {
  const fd = fs.openSync(item.tmp, 'w');
  fs.writeSync(fd, item.data);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(item.tmp, item.dest);
}`),
    // The throw path of try/finally rethrows: it never reaches the rename.
    validEsm(`
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
try {
  fs.writeSync(fd, data);
  log('written');
  fs.fsyncSync(fd);
} finally {
  fs.closeSync(fd);
}
fs.renameSync(tmp, dest);`),
    validEsm(`
import fs from 'fs';
try {
  fs.writeFileSync(tmp, data, { flush: true });
  fs.renameSync(tmp, dest);
} catch (error) {
  fs.rmSync(tmp, { force: true });
  throw error;
}`),
    validEsm(`
import fs from 'fs';
function save() {
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, data);
  if (!durable) {
    return;
  }
  fs.fsyncSync(fd);
  fs.renameSync(tmp, dest);
}`),
    // A promise chain continues after the previous handler's promise settled.
    validEsm(`
import { open, rename } from 'node:fs/promises';
const handle = await open(tmp, 'w');
await handle.writeFile(data);
await handle.sync().then(() => handle.close()).then(() => rename(tmp, dest));`),
    // An awaited `.finally` settles after the promise it is chained on (the fix's own shape in `.then` callbacks).
    validEsm(`
import { open, rename } from 'node:fs/promises';
const handle = await open(tmp, 'w');
await handle.writeFile(data);
await handle.sync().finally(() => handle.close());
await rename(tmp, dest);`),
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
writeFile(tmp, data, { flush: true }).then(() => rename(tmp, dest));`),
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
await Promise.all([writeFile(tmp, data, { flush: true }), other()]);
await rename(tmp, dest);`),
    validEsm(`
import fs from 'fs';
fs.writeFile(tmp, data, { flush: true }, (err) => {
  if (err) return cb(err);
  fs.rename(tmp, dest, cb);
});`),
  ],
  invalid: [
    // A flush stream fsyncs on close: 'finish' (through \`events.once\`) settles before that.
    invalidTs(
      `
import fs from 'node:fs';
import events from 'node:events';
export async function save(file: string, data: string): Promise<void> {
  const stream = fs.createWriteStream(file + '.new', { flush: true, encoding: 'utf8' });
  stream.write(data);
  stream.end();
  await events.once(stream, 'finish');
  await fs.promises.rename(file + '.new', file);
}`,
      [[9, 9]],
    ),
    // One branch skips the fsync.
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
if (durable) {
  fs.fsyncSync(fd);
}
fs.renameSync(tmp, dest);`,
      [[8, 1, 'unsyncedOnSomePaths']],
    ),
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
durable ? fs.fsyncSync(fd) : skip();
fs.renameSync(tmp, dest);`,
      [[6, 1, 'unsyncedOnSomePaths']],
    ),
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
switch (mode) {
  case 'safe':
    fs.fsyncSync(fd);
    break;
  default:
}
fs.renameSync(tmp, dest);`,
      [[11, 1, 'unsyncedOnSomePaths']],
    ),
    // An early exit renames before the fsync.
    invalid(
      `
import fs from 'fs';
function save() {
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, data);
  if (fast) {
    fs.renameSync(tmp, dest);
    return;
  }
  fs.fsyncSync(fd);
  fs.renameSync(tmp, dest);
}`,
      [[7, 5]],
    ),
    // The catch swallows a failed write or fsync and renames anyway.
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
try {
  fs.writeSync(fd, data);
  fs.fsyncSync(fd);
} catch (error) {
  log(error);
}
fs.renameSync(tmp, dest);`,
      [[10, 1, 'unsyncedOnSomePaths']],
    ),
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
try {
  prepare();
  fs.writeSync(fd, data);
  check();
  fs.fsyncSync(fd);
} catch {
  fs.renameSync(tmp, dest);
}`,
      [[10, 3]],
    ),
    invalid(
      `
import fs from 'fs';
try {
  fs.writeFileSync(tmp, data);
} finally {
  fs.renameSync(tmp, dest);
}`,
      [[6, 3]],
    ),
    // Loops: the next iteration renames what the previous one wrote.
    invalid(
      `
import fs from 'fs';
let pending = false;
for (const item of items) {
  if (pending) fs.renameSync(tmp, dest);
  fs.writeFileSync(tmp, item);
  pending = true;
}`,
      [[5, 16]],
    ),
    invalid(
      `
import fs from 'fs';
let attempts = 0;
while (attempts++ < 3) {
  fs.writeFileSync(tmp, data);
  if (verify(tmp)) break;
}
fs.renameSync(tmp, dest);`,
      [[8, 1]],
    ),
    // Callbacks, promise chains and await sequences.
    invalid(
      `
import fs from 'fs';
fs.writeFile(tmp, data, (err) => {
  if (err) return cb(err);
  fs.rename(tmp, dest, cb);
});`,
      [[5, 3]],
    ),
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
writeFile(tmp, data).then(() => rename(tmp, dest));`,
      [[3, 33]],
    ),
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
writeFile(tmp, data).then(() => log('written')).then(() => rename(tmp, dest));`,
      [[3, 60]],
    ),
    // A sync that is not awaited has not happened yet.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
const handle = await open(tmp, 'w');
await handle.writeFile(data);
handle.sync();
await handle.close();
await rename(tmp, dest);`,
      [[7, 7]],
    ),
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
writeFile(tmp, data, { flush: true });
await rename(tmp, dest);`,
      [[4, 7]],
    ),
    invalid(
      `
import fs from 'fs';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, data);
fs.fsync(fd, () => {});
fs.renameSync(tmp, dest);`,
      [[6, 1]],
    ),
    invalid(
      `
import fs from 'fs';
async function save() {
  fs.writeFileSync(tmp, data);
  await Promise.resolve();
  await fs.promises.rename(tmp, dest);
}`,
      [[6, 9]],
    ),
  ],
});

// With cross-module summaries off, the text gate is the only door: a file that only moves (fs-extra)
// must still be analysed.
const crossModuleOff = { 'durable-write': { crossModule: false } };
ruleTester.run('no-unsynced-rename: the create-time gate with cross-module summaries off', tested, {
  valid: [],
  invalid: [
    {
      ...invalid(
        `
import fse from 'fs-extra';
export async function save(file, data) {
  await fse.outputFile(file + '.tmp', data);
  await fse.move(file + '.tmp', file, { overwrite: true });
}`,
        [[5, 9]],
      ),
      settings: crossModuleOff,
    },
    {
      ...invalidCjs(
        `
const { writeFileSync, moveSync } = require('fs-extra');
writeFileSync(tmp, data);
moveSync(tmp, dest, { overwrite: true });`,
        [[4, 1]],
      ),
      settings: crossModuleOff,
    },
  ],
});
