// The runtime package and the vendored copies on the oldest Node.js the runtime supports. vitest
// needs Node.js 20, so this file uses node:test's `test()` only (Node.js 18.0 has no `describe`,
// and no `--test` flag before 18.1): `.ci/run` runs it with each Node.js 18 binary installed from the
// registry by test/node18/package.json, and test/durable/node18-suite.test.ts runs it on the
// Node.js of the suite, so that it cannot rot where no Node.js 18 is installed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import * as runtime from 'durable-write-runtime';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const vendored = path.join(root, 'dist', 'vendor');
/** The same helper as CommonJS loads it: the `require` build on Node.js < 20.19, the ES module on later ones. */
const required = require('durable-write-runtime');
const writers = {
  'runtime (import)': runtime,
  'runtime (require)': required,
  'vendored .mjs': await import(path.join(vendored, 'durable-write.mjs')),
  'vendored .cjs': require(path.join(vendored, 'durable-write.cjs')),
};

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-node18-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => {
  dirs += 1;
  const dir = path.join(scratch, String(dirs));
  fs.mkdirSync(dir);
  return dir;
};
const temps = (dir) => fs.readdirSync(dir).filter((name) => name.endsWith(runtime.TEMP_SUFFIX));

/**
 * Makes `fs[name]` and `fs[name + 'Sync']` fail once with `code`, the way the helper calls them
 * (the vendored ES module imports node:fs as a namespace, which sees a patch once synced).
 */
function failOnce(name, code) {
  const saved = { async: fs[name], sync: fs[`${name}Sync`] };
  const error = () => Object.assign(new Error(`${code}: injected, ${name}`), { code, syscall: name });
  const restore = () => {
    fs[name] = saved.async;
    fs[`${name}Sync`] = saved.sync;
    syncBuiltinESMExports();
  };
  fs[name] = (...args) => {
    restore();
    args.at(-1)(error());
  };
  fs[`${name}Sync`] = () => {
    restore();
    throw error();
  };
  syncBuiltinESMExports();
  return restore;
}

test(`Node.js ${process.version}: the package resolves through its exports for both module systems`, () => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const requireLoadsEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
  // One copy per process where require(esm) exists (the `module-sync` condition); a CommonJS build before.
  assert.equal(required.writeFileDurable === runtime.writeFileDurable, requireLoadsEsm);
  assert.deepEqual(Object.keys(required).sort(), Object.keys(runtime).sort());
});

for (const [name, helper] of Object.entries(writers)) {
  test(`${name}: writes strings, bytes, iterables and streams; the sync writer strings and bytes`, async () => {
    const dir = freshDir();
    const file = path.join(dir, 'out.txt');
    await helper.writeFileDurable(file, 'text');
    assert.equal(fs.readFileSync(file, 'utf8'), 'text');
    await helper.writeFileDurable(file, Buffer.from('bytes'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'bytes');
    await helper.writeFileDurable(file, new Uint8Array([104, 105]));
    assert.equal(fs.readFileSync(file, 'utf8'), 'hi');
    await helper.writeFileDurable(
      file,
      (async function* () {
        yield 'a';
        yield Buffer.from('b');
      })(),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), 'ab');
    await helper.writeFileDurable(file, ['x', 'y']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'xy');
    await helper.writeFileDurable(file, Readable.from(['s', 't', 'r']));
    assert.equal(fs.readFileSync(file, 'utf8'), 'str');
    helper.writeFileDurableSync(file, '68656c6c6f', 'hex');
    assert.equal(fs.readFileSync(file, 'utf8'), 'hello');
    helper.writeFileDurableSync(file, Buffer.from('sync'), { mode: 0o600 });
    assert.equal(fs.readFileSync(file, 'utf8'), 'sync');
    assert.deepEqual(temps(dir), []);
  });

  test(`${name}: a new file gets its mode; a symlink at the target is followed and stays a link`, async () => {
    const dir = freshDir();
    const real = path.join(dir, 'real.json');
    const link = path.join(dir, 'link.json');
    await helper.writeFileDurable(real, '1', { mode: 0o600 });
    assert.equal(fs.statSync(real).mode & 0o777, 0o600);
    fs.symlinkSync('real.json', link);
    helper.writeFileDurableSync(link, '2');
    await helper.writeFileDurable(link, '3');
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readFileSync(real, 'utf8'), '3');
  });

  test(`${name}: concurrent writes to one path end with the last call's data`, async () => {
    const dir = freshDir();
    const file = path.join(dir, 'counter');
    await Promise.all(Array.from({ length: 50 }, (_, i) => helper.writeFileDurable(file, String(i + 1))));
    assert.equal(fs.readFileSync(file, 'utf8'), '50');
    assert.deepEqual(temps(dir), []);
  });

  test(`${name}: a failed step leaves the old contents and no temp file`, async () => {
    const dir = freshDir();
    const file = path.join(dir, 'keep.json');
    fs.writeFileSync(file, 'old');
    for (const step of ['write', 'fsync', 'rename']) {
      failOnce(step, 'EIO');
      await assert.rejects(helper.writeFileDurable(file, 'new'), { code: 'EIO' });
      failOnce(step, 'EIO');
      assert.throws(() => helper.writeFileDurableSync(file, 'new'), { code: 'EIO' });
      assert.equal(fs.readFileSync(file, 'utf8'), 'old', step);
      assert.deepEqual(temps(dir), [], step);
    }
    const missing = path.join(dir, 'no-such-dir', 'x');
    await assert.rejects(helper.writeFileDurable(missing, 'x'), { code: 'ENOENT' });
    assert.throws(() => helper.writeFileDurableSync(missing, 'x'), { code: 'ENOENT' });
    await assert.rejects(helper.writeFileDurable(file, 'x', { fsync: false }), TypeError);
    assert.throws(() => helper.writeFileDurableSync(file, 'x', { flush: false }), TypeError);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(helper.writeFileDurable(file, 'x', { signal: aborted.signal }), { name: 'AbortError' });
    assert.equal(fs.readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(temps(dir), []);
  });
}

for (const [name, helper] of Object.entries({ import: runtime, require: required })) {
  test(`runtime (${name}): errors say which step failed and whether the target changed`, async () => {
    const dir = freshDir();
    const file = path.join(dir, 'f');
    failOnce('fsync', 'EIO');
    const error = await helper.writeFileDurable(file, 'x').catch((e) => e);
    assert.ok(error instanceof helper.DurableWriteError);
    assert.equal(error.step, 'fsync');
    assert.equal(error.committed, false);
    assert.equal(error.cause.code, 'EIO');
    assert.equal(fs.existsSync(file), false);
  });

  test(`runtime (${name}): JSON and grouped writes, read back by the validated loaders`, async () => {
    const dir = freshDir();
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    await helper.writeJsonDurable(a, { n: 1 });
    helper.writeJsonDurableSync(b, { n: 2 });
    assert.deepEqual(await helper.readJsonValidated(a), { ok: true, value: { n: 1 } });
    assert.deepEqual(helper.readJsonValidatedSync(b), { ok: true, value: { n: 2 } });
    await helper.writeFilesDurable([
      { file: a, data: '{"n":3}' },
      { file: b, data: '{"n":4}' },
      { file: path.join(dir, 'c.txt'), data: 'c' },
    ]);
    const positive = (value) => typeof value.n === 'number' && value.n > 0;
    assert.deepEqual(await helper.readJsonValidated(a, positive), { ok: true, value: { n: 3 } });
    assert.deepEqual(await helper.readFileValidated(path.join(dir, 'c.txt'), { encoding: 'utf8' }), {
      ok: true,
      value: 'c',
    });
    assert.deepEqual(temps(dir), []);
  });

  test(`runtime (${name}): every load failure is a LoadError with its code, sync and async alike`, async () => {
    const dir = freshDir();
    const file = (base, content) => {
      const p = path.join(dir, base);
      fs.writeFileSync(p, content);
      return p;
    };
    const schema = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => (value.ok === true ? { value } : { issues: [{ message: 'ok must be true' }] }),
      },
    };
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases = [
      [path.join(dir, 'missing.json'), undefined, {}, 'MISSING'],
      [file('empty.json', ''), undefined, {}, 'EMPTY'],
      [file('zeroed.json', Buffer.alloc(64)), undefined, {}, 'ZEROED'],
      [file('torn.json', '{"a": [1, 2'), undefined, {}, 'UNPARSABLE'],
      [file('latin1.json', Buffer.from([0x22, 0xe9, 0x22])), undefined, {}, 'UNDECODABLE'],
      [file('large.json', '[1, 2, 3]'), undefined, { maxBytes: 4 }, 'TOO_LARGE'],
      [file('invalid.json', '{"ok": false}'), schema, {}, 'INVALID'],
      [file('rejected.json', '{"n": -1}'), (value) => value.n > 0, {}, 'INVALID'],
      [dir, undefined, {}, 'NOT_REGULAR_FILE'],
      [fifo, undefined, {}, 'NOT_REGULAR_FILE'],
    ];
    for (const [target, validator, options, code] of cases) {
      for (const result of [
        await helper.readJsonValidated(target, validator, options),
        helper.readJsonValidatedSync(target, validator, options),
      ]) {
        assert.equal(result.ok, false, target);
        assert.ok(result.error instanceof helper.LoadError);
        assert.equal(result.error.code, code, target);
      }
    }
    assert.deepEqual(await helper.readJsonValidated(file('valid.json', '{"ok": true}'), schema), {
      ok: true,
      value: { ok: true },
    });
    const bom = await helper.readFileValidated(file('bom.txt', '\ufeffx'), { encoding: 'utf8' });
    assert.deepEqual(bom, { ok: true, value: '\ufeffx' });
  });
}

test('runtime: fsync of the temp file before the rename, of the directory after it (strace)', (t) => {
  if (spawnSync('strace', ['-V']).status !== 0) {
    t.skip('strace is not installed');
    return;
  }
  const dir = freshDir();
  const program = `const { writeFileDurable, writeFileDurableSync } = require('durable-write-runtime');
writeFileDurableSync(${JSON.stringify(path.join(dir, 'sync.json'))}, '1');
writeFileDurable(${JSON.stringify(path.join(dir, 'async.json'))}, '2');`;
  const log = path.join(dir, 'strace.log');
  const run = spawnSync(
    'strace',
    ['-f', '-qq', '-o', log, '-e', 'trace=openat,fsync,rename', process.execPath, '-e', program],
    { cwd: fileURLToPath(new URL('.', import.meta.url)), env: { ...process.env, UV_USE_IO_URING: '0' } },
  );
  assert.equal(run.status, 0, String(run.stderr));
  // One call per entry, in order of completion: a call that another thread interrupted is joined with its end.
  const started = new Map();
  const calls = [];
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const [, pid, call] = /^(\d+) +(.*)$/.exec(line) ?? [];
    if (call === undefined) continue;
    if (call.endsWith(' <unfinished ...>')) started.set(pid, call.slice(0, -' <unfinished ...>'.length));
    else calls.push(call.replace(/^<\.\.\. \w+ resumed>/, () => started.get(pid) ?? ''));
  }
  for (const base of ['sync.json', 'async.json']) {
    const temp = calls.find((line) => line.includes('openat(') && line.includes(`.${base}.`));
    assert.ok(temp, `no temp file opened for ${base}`);
    const tempFd = /= (\d+)$/.exec(temp)[1];
    const after = (from, pattern) => calls.findIndex((line, i) => i > from && pattern.test(line));
    const fileSync = after(calls.indexOf(temp), new RegExp(`fsync\\(${tempFd}\\)`));
    const rename = after(fileSync, new RegExp(`rename\\(".*/\\.${base}\\..*", ".*/${base}"\\)`));
    assert.ok(fileSync > 0 && rename > fileSync, `${base}: fsync of the temp file, then the rename`);
    const dirFds = calls
      .slice(0, rename)
      .filter((line) => line.includes(`"${dir}", `) && line.includes('O_DIRECTORY'))
      .map((line) => /= (\d+)$/.exec(line)[1]);
    const dirSync = after(rename, new RegExp(`fsync\\((${dirFds.join('|')})\\)`));
    assert.ok(dirFds.length > 0 && dirSync > rename, `${base}: the directory's fsync after the rename`);
  }
});
