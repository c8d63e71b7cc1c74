// Prints what the program can observe of fs: return values, errors, and the order in which
// callbacks, promises and timers run. The tracer must not change a byte of it.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { join } from 'node:path';

const dir = process.argv[2];
const at = (name) => join(dir, name);
const seen = [];
const note = (what, value) => seen.push([what, value]);
const error = (e) => ({ code: e.code, message: e.message.replaceAll(dir, '<dir>'), name: e.name, syscall: e.syscall });

const fd = fs.openSync(at('a'), 'w');
note('openSync returns a number', typeof fd);
note('writeSync', fs.writeSync(fd, 'hello'));
note('fsyncSync', fs.fsyncSync(fd));
note('closeSync', fs.closeSync(fd));
note('writeFileSync', fs.writeFileSync(at('b'), 'x'));
note('renameSync', fs.renameSync(at('b'), at('c')));
try {
  fs.renameSync(at('missing'), at('d'));
} catch (e) {
  note('renameSync error', error(e));
}
try {
  fs.writeFileSync(at('no/such/dir'), 'x');
} catch (e) {
  note('writeFileSync error', error(e));
}
try {
  fs.fsyncSync(12345);
} catch (e) {
  note('fsyncSync error', error(e));
}
note('writeSync on a bad fd', (() => { try { return fs.writeSync(-1, 'x'); } catch (e) { return error(e); } })());
note('rename without callback', (() => { try { return fs.rename(at('a'), at('e')); } catch (e) { return error(e); } })());

// Thread-pool callbacks complete in any order, traced or not: each one's arguments are kept by
// name, and only the orders the program can rely on are recorded (a callback never runs before
// the call returned, nor before process.nextTick callbacks queued by then).
const callbacks = {};
const events = [];
await new Promise((resolve) => {
  let pending = 6;
  const done = (what) => (...args) => {
    callbacks[what] = args.map((a) => (a instanceof Error ? error(a) : a));
    if (!events.includes(`${what} returned`)) events.push(`${what} called back before returning`);
    if (!events.includes('tick')) events.push(`${what} before nextTick`);
    if (--pending === 0) resolve();
  };
  const call = (what, fn) => {
    fn(done(what));
    events.push(`${what} returned`);
  };
  call('writeFile', (cb) => fs.writeFile(at('f'), 'x', cb));
  call('rename error', (cb) => fs.rename(at('missing'), at('g'), cb));
  fs.open(at('h'), 'w', (err, fd2) => {
    callbacks.open = [err, typeof fd2];
    call('write', (cb) => fs.write(fd2, 'abc', (e, n, s) => { cb(e, n, s); fs.fsync(fd2, (e2) => { done('fsync')(e2); fs.close(fd2, done('close')); }); }));
  });
  process.nextTick(() => events.push('tick'));
  call('appendFile', (cb) => fs.appendFile(at('i'), 'x', cb));
});
note('callbacks', Object.keys(callbacks).sort().map((k) => [k, callbacks[k]]));
note('events', events.sort());

const order = [];
const handle = await fsp.open(at('j'), 'w');
note('FileHandle class', handle.constructor.name);
await Promise.all([
  handle.write('abc').then((r) => order.push(['handle.write', r.bytesWritten])),
  fsp.writeFile(at('k'), 'x').then((r) => order.push(['writeFile', r])),
  fsp.rename(at('nope'), at('l')).catch((e) => order.push(['rename error', error(e)])),
  Promise.resolve().then(() => order.push(['microtask'])),
]);
note('handle.sync', await handle.sync());
note('handle.close', await handle.close());
note('promise order', order);
note('rejection is the same object', await fsp.rename(at('nope'), at('l')).catch((e) => e instanceof Error && e.stack.includes('rename')));
note('names', [fs.writeFileSync.name, fs.writeFileSync.length, fsp.rename.name, fsp.rename.length]);
process.stdout.write(JSON.stringify(seen, null, 1));
