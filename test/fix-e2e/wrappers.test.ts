/**
 * The project's own write/rename wrapper, fixed in its body: the shapes of fs-jetpack 5.1 (`write`
 * writes a temp through its own retrying write function, then renames), verdaccio's local-storage
 * (`renameTmp(src, dst, cb)` called after `writeFile` and on a write stream's 'close') and
 * fs-write-stream-atomic (a Writable whose temp stream's 'close' renames through `iferr`). Each runs
 * before and after every offered fix with the same output, errors, events and files; the wrapper's
 * fix makes every caller durable, and under strace the temp is fsynced before each rename and the
 * directory after it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';
import { straceUnavailableReason } from '../durable/crash/strace-trace.js';
import { createFixOracle, fixedBy } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour, durabilityEvents } = createFixOracle('wrappers');
afterAll(() => scratch.dispose());

const straceUnavailable = straceUnavailableReason();
const wholeProgramBy = ['codemod', 'suggestion fsyncInWrapper'];
const options = { expectedBy: wholeProgramBy, wholeProgramBy };

const jetpackSync = `'use strict';
const fs = require('fs');
const pathUtil = require('path');

const newExt = '.__new__';

const writeFileSync = (path, data, options) => {
  try {
    fs.writeFileSync(path, data, options);
  } catch (err) {
    if (err.code === 'ENOENT') {
      fs.mkdirSync(pathUtil.dirname(path), { recursive: true });
      fs.writeFileSync(path, data, options);
    } else {
      throw err;
    }
  }
};

const writeAtomicSync = (path, data, options) => {
  writeFileSync(path + newExt, data, options);
  fs.renameSync(path + newExt, path);
};

const writeSync = (path, data, options) => {
  const opts = options || {};
  let writeStrategy = writeFileSync;
  if (opts.atomic) writeStrategy = writeAtomicSync;
  writeStrategy(path, typeof data === 'object' ? JSON.stringify(data) : data, { mode: opts.mode });
};

writeSync('config.json', { n: 1 }, { atomic: true });
writeSync('nested/state.json', 'two', { atomic: true });
writeSync('plain.txt', 'not atomic');
fs.mkdirSync('taken');
try {
  writeSync('taken', 'x', { atomic: true });
} catch (err) {
  console.log('failed', err.code);
}
console.log(fs.readFileSync('config.json', 'utf8'), fs.readFileSync('nested/state.json', 'utf8'));
`;

const jetpackAsync = `import fs from 'node:fs';

const newExt = '.__new__';

const writeFileAsync = (path, data) =>
  new Promise((resolve, reject) => {
    fs.promises
      .writeFile(path, data)
      .then(resolve)
      .catch((err) => {
        if (err.code === 'ENOENT') {
          fs.promises
            .mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true })
            .then(() => fs.promises.writeFile(path, data))
            .then(resolve, reject);
        } else {
          reject(err);
        }
      });
  });

const writeAtomicAsync = (path, data) =>
  new Promise((resolve, reject) => {
    writeFileAsync(path + newExt, data)
      .then(() => {
        return fs.promises.rename(path + newExt, path);
      })
      .then(resolve, reject);
  });

await writeAtomicAsync('config.json', '{"n":1}');
await writeAtomicAsync('nested/state.json', 'two');
await fs.promises.mkdir('taken');
await writeAtomicAsync('taken', 'x').catch((err) => console.log('failed', err.code));
console.log(fs.readFileSync('config.json', 'utf8'), fs.readFileSync('nested/state.json', 'utf8'));
`;

// The rename's promise is the wrapper's value: its callers chain on it, and see its rejection.
const promisifiedWrapper = `'use strict';
const fs = require('fs');
const { promisify } = require('util');

const rename = promisify(fs.rename);
const writeFile = promisify(fs.writeFile);

function publish(file) {
  return rename(file + '.tmp', file);
}

function save(file, data) {
  return writeFile(file + '.tmp', data).then(() => publish(file));
}

save('a.json', '1')
  .then(() => fs.mkdirSync('nested'))
  .then(() => save('nested/b.json', '2'))
  .then((value) => console.log('saved a.json', fs.readFileSync('a.json', 'utf8'), value))
  .then(() => fs.mkdirSync('taken'))
  .then(() => save('taken', 'x'))
  .catch((err) => console.log('failed', err.code));
`;

const verdaccio = `const fs = require('fs');

const renameTmp = function (src, dst, _cb) {
  const cb = (err) => {
    if (err) {
      fs.unlink(src, () => {});
    }
    _cb(err);
  };
  if (process.platform !== 'win32') {
    return fs.rename(src, dst, cb);
  }
  const tmp = dst + '.old';
  fs.rename(dst, tmp, function (err) {
    fs.rename(src, dst, cb);
    if (!err) fs.unlink(tmp, () => {});
  });
};

function writeFileTo(dest, data, cb) {
  const tempFilePath = dest + '.tmp' + data.length;
  fs.writeFile(tempFilePath, data, (err) => {
    if (err) return cb(err);
    renameTmp(tempFilePath, dest, cb);
  });
}

function writeTarball(name, chunks, done) {
  const temporalName = name + '.tmp-upload';
  const file = fs.createWriteStream(temporalName);
  file.on('close', function () {
    renameTmp(temporalName, name, function (err) {
      done(err ? 'error ' + err.code : 'success');
    });
  });
  for (const chunk of chunks) file.write(chunk);
  file.end();
}

writeFileTo('package.json', '{"v":1}', (err) => {
  console.log('package.json', err);
  writeTarball('pkg-1.0.0.tgz', ['tar', 'ball'], (result) => {
    console.log('tarball', result);
    renameTmp('missing.tmp', 'gone', (err) => console.log('missing', err.code, fs.existsSync('gone')));
  });
});
`;

const streamAtomic = `const fs = require('fs');
const { Writable } = require('stream');
const util = require('util');

const iferr = (onError, onSuccess) => (err, ...rest) => (err ? onError(err) : onSuccess(...rest));
let invocations = 0;

util.inherits(WriteStreamAtomic, Writable);
function WriteStreamAtomic(path, options) {
  if (!(this instanceof WriteStreamAtomic)) return new WriteStreamAtomic(path, options);
  // readable-stream 2's behaviour: no automatic destroy, no 'close' of its own.
  Writable.call(this, { ...options, autoDestroy: false, emitClose: false });
  this.__atomicTarget = path;
  this.__atomicTmp = path + '.' + ++invocations;
  this.__atomicClosed = false;
  this.__atomicStream = fs.WriteStream(this.__atomicTmp, options);
  this.__atomicStream.once('close', handleClose(this));
  this.__atomicStream.once('error', handleError(this));
}

// 'finish' is held back until the temp file is closed and renamed.
WriteStreamAtomic.prototype.emit = function (event) {
  if (event === 'finish') return this.__atomicStream.end();
  return Writable.prototype.emit.apply(this, arguments);
};

WriteStreamAtomic.prototype._write = function (buffer, encoding, cb) {
  if (this.__atomicStream.write(buffer, encoding)) return cb();
  this.__atomicStream.once('drain', cb);
};

function handleClose(writeStream) {
  return function () {
    if (writeStream.__atomicClosed) return;
    writeStream.__atomicClosed = true;
    moveIntoPlace();
  };

  function moveIntoPlace() {
    fs.rename(writeStream.__atomicTmp, writeStream.__atomicTarget, iferr(cleanup, end));
  }

  function cleanup(err) {
    fs.unlink(writeStream.__atomicTmp, function () {
      writeStream.emit('error', err);
      writeStream.emit('close');
    });
  }

  function end() {
    Writable.prototype.emit.call(writeStream, 'finish');
    setImmediate(function () {
      writeStream.emit('close');
    });
  }
}

function handleError(writeStream) {
  return function (er) {
    writeStream.__atomicClosed = true;
    writeStream.emit('error', er);
    writeStream.emit('close');
  };
}

function save(target, chunks, done) {
  const stream = WriteStreamAtomic(target);
  const events = [];
  for (const name of ['finish', 'close', 'error']) stream.on(name, (err) => events.push(err ? name + ' ' + err.code : name));
  stream.on('close', () => done(events));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
}

save('out.txt', ['hello ', 'world'], (events) => {
  console.log(events.join(','), fs.readFileSync('out.txt', 'utf8'));
  fs.mkdirSync('taken');
  save('taken', ['x'], (more) => console.log(more.join(',')));
});
`;

describe("the project's own write/rename wrapper is fixed in its body, for every caller", () => {
  it('fs-jetpack, sync: a temp written through its own retrying write function, then renamed', () => {
    const { versions } = expectFixesPreserveBehaviour(jetpackSync, 'cjs', options);
    if (straceUnavailable) return;
    expect(durabilityEvents(jetpackSync, 'cjs')).toEqual([
      'rename config.json.__new__ → config.json',
      'rename nested/state.json.__new__ → nested/state.json',
    ]);
    expect(durabilityEvents(fixedBy(versions, 'codemod'), 'cjs')).toEqual([
      'fsync config.json.__new__',
      'rename config.json.__new__ → config.json',
      'fsync .',
      'fsync nested/state.json.__new__',
      'rename nested/state.json.__new__ → nested/state.json',
      'fsync nested',
      // The rename onto a directory fails after the fsync, as it failed before.
      'fsync taken.__new__',
    ]);
  });

  it('fs-jetpack, async: the rename returned from a .then handler', () => {
    const { versions } = expectFixesPreserveBehaviour(jetpackAsync, 'esm', options);
    if (straceUnavailable) return;
    // The rename's promise is returned to the chain: the directory fsync is chained on it.
    expect(durabilityEvents(fixedBy(versions, 'codemod'), 'esm')).toEqual([
      'fsync config.json.__new__',
      'rename config.json.__new__ → config.json',
      'fsync .',
      'fsync nested/state.json.__new__',
      'rename nested/state.json.__new__ → nested/state.json',
      'fsync nested',
      'fsync taken.__new__',
    ]);
  });

  it("a promisified rename whose promise the wrapper returns (fs-jetpack's fs adapter)", () => {
    const { before, versions } = expectFixesPreserveBehaviour(promisifiedWrapper, 'cjs', options);
    // The rename's value (undefined) reaches the caller's handler, before and after.
    expect(before.stdout).toBe('saved a.json 1 undefined\nfailed EISDIR\n');
    const codemod = fixedBy(versions, 'codemod');
    // The `.then` written for the returned promise is async: a FileHandle closed by its promise's finally.
    expect(codemod).toContain("  return rename(file + '.tmp', file).then(async (renamed) => {");
    expect(codemod).toContain('      await dirHandle.sync().finally(() => dirHandle.close());');
    if (straceUnavailable) return;
    expect(durabilityEvents(codemod, 'cjs')).toEqual([
      'fsync a.json.tmp',
      'rename a.json.tmp → a.json',
      'fsync .',
      'fsync nested/b.json.tmp',
      'rename nested/b.json.tmp → nested/b.json',
      'fsync nested',
      'fsync taken.tmp',
    ]);
  });

  it("verdaccio local-storage: renameTmp(src, dst, cb) after writeFile and on a write stream's 'close'", () => {
    const { versions } = expectFixesPreserveBehaviour(verdaccio, 'cjs', options);
    const codemod = fixedBy(versions, 'codemod');
    // One fix in renameTmp serves both callers; the callers are untouched.
    expect(codemod).toContain('  fs.writeFile(tempFilePath, data, (err) => {');
    expect(codemod).toContain('    renameTmp(tempFilePath, dest, cb);');
    expect(codemod).toContain('    renameTmp(temporalName, name, function (err) {');
    if (straceUnavailable) return;
    expect(durabilityEvents(codemod, 'cjs')).toEqual([
      'fsync package.json.tmp7',
      'rename package.json.tmp7 → package.json',
      'fsync .',
      'fsync pkg-1.0.0.tgz.tmp-upload',
      'rename pkg-1.0.0.tgz.tmp-upload → pkg-1.0.0.tgz',
      'fsync .',
    ]);
  });

  it("fs-write-stream-atomic: a Writable whose temp stream's 'close' renames through iferr(cleanup, end)", () => {
    const { before, versions } = expectFixesPreserveBehaviour(streamAtomic, 'cjs', options);
    // 'finish' then 'close' on success; 'error' then 'close' when the rename fails: as before.
    expect(before.stdout).toBe('finish,close hello world\nerror EISDIR,close\n');
    if (straceUnavailable) return;
    expect(durabilityEvents(fixedBy(versions, 'codemod'), 'cjs')).toEqual([
      'fsync out.txt.1',
      'rename out.txt.1 → out.txt',
      'fsync .',
      'fsync taken.2',
    ]);
  });
});

describe("the wrapper's fix is written in the file's own style", () => {
  const fixed = (text: string, name: string): string => {
    const result = rewriteSource(text, join(scratch.packageDir('cjs'), name));
    expect(result.status).toBe('rewritten');
    return result.output as string;
  };

  it('arrows without parentheses around one parameter where the file writes them so (arrowParens "avoid")', () => {
    const output = fixed(
      `const fs = require('fs');
const renameTmp = (src, dst, cb) => {
  fs.rename(src, dst, cb);
};
function save(dest, data, cb) {
  fs.writeFile(dest + '.tmp', data, err => (err ? cb(err) : renameTmp(dest + '.tmp', dest, cb)));
}
module.exports = { save };
`,
      'avoid.cjs',
    );
    expect(output).toContain('fs.rename(src, dst, renameErr => {');
    expect(output).toContain('fs.fsync(dirFd, syncErr => {');
    expect(output).not.toMatch(/\((?:renameErr|syncErr|closeErr)\) =>/);
  });

  it('an ES5 file: `var` at the statement level, no block that scopes nothing (no-lone-blocks)', () => {
    const output = fixed(
      `var fs = require('fs')
function moveIntoPlace (tmp, target, done) {
  fs.rename(tmp, target, done)
}
function save (target, data, done) {
  fs.writeFile(target + '.tmp', data, function (err) {
    if (err) return done(err)
    moveIntoPlace(target + '.tmp', target, done)
  })
}
module.exports = save
`,
      'es5.cjs',
    );
    expect(output).toContain(['  var fd', '  try {', "    fd = fs.openSync(tmp, 'r+')"].join('\n'));
    expect(output).not.toContain('let fd');
  });
});
