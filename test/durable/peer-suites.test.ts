/**
 * The behaviours the peers' own test suites check (write-file-atomic 7: test/integration.js,
 * basic.js, concurrency.js; atomically 2: test/*.cjs; steno 4: src/test.ts), as our own cases
 * against our API. Each case names the peer case it answers; docs/durable.md has the table
 * (pass / documented difference / not applicable). Cases covered in other files say where.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileDurable, writeFileDurableSync } from '../../src/durable/index.js';
import { leftoverTemps, scratchRoot } from './support/scratch.js';

const { freshDir } = scratchRoot('durable-peer-suites-');
const isRoot = process.getuid?.() === 0;
afterEach(() => vi.restoreAllMocks());
const modeOf = (file: string) => fs.statSync(file).mode;

type Write = (file: string, data: unknown, options?: object) => Promise<void>;
const writers: ReadonlyArray<readonly [string, Write]> = [
  ['async', (file, data, options) => writeFileDurable(file, data as never, options as never)],
  ['sync', async (file, data, options) => writeFileDurableSync(file, data as never, options as never)],
];

describe.each(writers)('write-file-atomic integration cases (%s)', (_, write) => {
  it('writes simple file; with encoding; buffers; TypedArray', async () => {
    const file = join(freshDir(), 'f');
    await write(file, '42');
    expect(fs.readFileSync(file, 'utf8')).toBe('42');
    await write(file, '34', { encoding: 'hex' });
    expect(fs.readFileSync(file)).toEqual(Buffer.from([0x34]));
    await write(file, Buffer.from('43'));
    expect(fs.readFileSync(file, 'utf8')).toBe('43');
    await write(file, new Uint8Array([0x34, 0x34]));
    expect(fs.readFileSync(file, 'utf8')).toBe('44');
  });

  it('writes undefined: documented difference, a TypeError as from fs.writeFile (write-file-atomic writes "")', async () => {
    const file = join(freshDir(), 'f');
    await expect(write(file, undefined)).rejects.toBeInstanceOf(TypeError);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes to symlinks without clobbering (all layouts: kernel-paths.test.ts)', async () => {
    const dir = freshDir();
    fs.writeFileSync(join(dir, 'file'), '42');
    fs.symlinkSync(join(dir, 'file'), join(dir, 'link'));
    await write(join(dir, 'link'), '43');
    expect(fs.readFileSync(join(dir, 'file'), 'utf8')).toBe('43');
    expect(fs.lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
  });

  it('runs chmod on given file; does not change chmod by default', async () => {
    const file = join(freshDir(), 'f');
    await write(file, '42', { mode: 0o741 });
    expect(modeOf(file)).toBe(0o100741);
    await write(file, '43');
    expect(modeOf(file)).toBe(0o100741);
  });

  it('writes simple file with no chown (chown: false)', async () => {
    const file = join(freshDir(), 'f');
    await write(file, '42', { chown: false });
    expect(fs.statSync(file)).toMatchObject({ uid: process.getuid?.(), gid: process.getgid?.() });
  });

  it.runIf(isRoot)('runs chown on given file; chmod AND chown; does not change chown by default', async () => {
    const file = join(freshDir(), 'f');
    await write(file, '42', { chown: { uid: 42, gid: 43 } });
    expect(fs.statSync(file)).toMatchObject({ uid: 42, gid: 43 });
    await write(file, '42', { mode: 0o741, chown: { uid: 44, gid: 45 } });
    expect(fs.statSync(file)).toMatchObject({ uid: 44, gid: 45, mode: 0o100741 });
    await write(file, '43', { mode: 0o741 });
    await write(file, '43');
    expect(fs.statSync(file)).toMatchObject({ uid: 44, gid: 45, mode: 0o100741 });
  });
});

describe('write-file-atomic and atomically basic cases', () => {
  it('options as an object, a string, undefined or absent; a Readable as data (atomically)', async () => {
    const file = join(freshDir(), 'good');
    await writeFileDurable(file, 'test', { mode: '0777' });
    await writeFileDurable(file, 'test', 'utf8');
    await writeFileDurable(file, 'test', undefined);
    await writeFileDurable(file, 'test');
    await writeFileDurable(file, Readable.from(['te', 'st']));
    expect(fs.readFileSync(file, 'utf8')).toBe('test');
  });

  it('tmpfileCreated/tmpCreated: called on success, not on an open failure, called when a later step fails', async () => {
    const dir = freshDir();
    const calls: string[] = [];
    await writeFileDurable(join(dir, 'good'), 'test', {
      tmpfileCreated: (temp: string | Buffer) => void calls.push(String(temp)),
    });
    writeFileDurableSync(join(dir, 'good'), 'test', {
      tmpCreated: (temp: string | Buffer) => void calls.push(String(temp)),
    });
    expect(calls.map((temp) => temp.startsWith(join(dir, '.good.')))).toEqual([true, true]);
    calls.length = 0;
    await expect(
      writeFileDurable(join(dir, 'missing', 'f'), 'x', {
        tmpfileCreated: (temp: string | Buffer) => void calls.push(String(temp)),
      }),
    ).rejects.toThrow();
    expect(calls).toEqual([]);
    fs.mkdirSync(join(dir, 'directory'));
    // The rename fails (EISDIR) after the temp exists: a directory appears between the check and the rename.
    await expect(
      writeFileDurable(join(dir, 'later'), 'x', {
        tmpfileCreated: (temp: string | Buffer) => {
          calls.push(String(temp));
          fs.mkdirSync(join(dir, 'later'));
          fs.writeFileSync(join(dir, 'later', 'occupied'), '');
        },
      }),
    ).rejects.toMatchObject({ step: 'rename' });
    expect(calls).toHaveLength(1);
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('fsync: false (skipped fsync) is a documented difference: refused with a TypeError (peer-options.test.ts)', async () => {
    await expect(writeFileDurable(join(freshDir(), 'f'), 'x', { fsync: false })).rejects.toThrow(/always fsyncs/);
  });

  it.runIf(!isRoot)('chown EPERM as a non-root user: documented difference, reported rather than ignored', async () => {
    await expect(writeFileDurable(join(freshDir(), 'f'), 'x', { chown: { uid: 0, gid: 0 } })).rejects.toMatchObject({
      code: 'EPERM',
      step: 'set-owner',
    });
  });

  it('a name near NAME_MAX: the temp name is truncated so the write works (atomically)', async () => {
    const dir = freshDir();
    const name = `.${'0123456789'.repeat(25)}.txt`;
    await writeFileDurable(join(dir, name), 'test');
    writeFileDurableSync(join(dir, name), 'test2');
    expect(fs.readFileSync(join(dir, name), 'utf8')).toBe('test2');
  });

  it('missing parent folders: documented difference, ENOENT as from fs.writeFile (atomically creates them)', async () => {
    const file = join(freshDir(), 'a', 'b', 'foo.txt');
    await expect(writeFileDurable(file, 'test')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => writeFileDurableSync(file, 'test')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('schedule, tmpCreate, tmpPurge: false, timeout: refused with a TypeError that says why (peer-options.test.ts)', async () => {
    for (const options of [
      { schedule: () => Promise.resolve(() => undefined) },
      { tmpCreate: (path: string) => `${path}.custom` },
      { tmpPurge: false },
      { timeout: 0 },
    ]) {
      await expect(writeFileDurable(join(freshDir(), 'f'), 'x', options as never)).rejects.toThrow(/is refused: /);
    }
  });
});

describe('write-file-atomic failure cases (each step: failures.test.ts)', () => {
  const injected = (code: string, syscall: string) => Object.assign(new Error(`${code}: injected`), { code, syscall });

  it('a failed unlink of the temp does not hide the rename error; every descriptor is closed', async () => {
    const dir = freshDir();
    fs.writeFileSync(join(dir, 'f'), 'old');
    // Only descriptors on the directory or files in it: the worker's total also moves with closes that
    // other tests' detached work settles meanwhile (seen under shuffled order).
    const real = fs.realpathSync(dir);
    const openHere = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
          return target === real || target.startsWith(`${real}/`);
        } catch {
          return false;
        }
      }).length;
    expect(openHere()).toBe(0);
    const realUnlink = fs.unlink.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(((_from: string, _to: string, callback: (error: Error) => void) =>
      process.nextTick(callback, injected('EXDEV', 'rename'))) as never);
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw injected('EXDEV', 'rename');
    });
    vi.spyOn(fs, 'unlink').mockImplementation(((_path: string, callback: (error: Error) => void) =>
      process.nextTick(callback, injected('EBUSY', 'unlink'))) as never);
    vi.spyOn(fs, 'unlinkSync').mockImplementation(() => {
      throw injected('EBUSY', 'unlink');
    });
    await expect(writeFileDurable(join(dir, 'f'), 'new')).rejects.toMatchObject({ code: 'EXDEV', step: 'rename' });
    expect(() => writeFileDurableSync(join(dir, 'f'), 'new')).toThrow(
      expect.objectContaining({ code: 'EXDEV', step: 'rename' }),
    );
    vi.restoreAllMocks();
    // The detached close of the directory descriptor settles on the thread pool: wait for it a bounded
    // number of turns, then require that nothing the writes opened is still open.
    for (let turn = 0; turn < 100 && openHere() > 0; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(openHere()).toBe(0);
    expect(fs.readFileSync(join(dir, 'f'), 'utf8')).toBe('old');
    for (const temp of leftoverTemps(dir)) await new Promise((resolve) => realUnlink(join(dir, temp), resolve));
  });
});

describe('write-file-atomic concurrency cases', () => {
  /** A write held inside its tmpfileCreated until released: the temp exists, the rename has not happened. */
  function heldWrite(file: string, data: string) {
    let release!: () => void;
    const started: string[] = [];
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const done = writeFileDurable(file, data, { tmpfileCreated: () => (started.push(data), held) });
    return { done, release, started };
  }

  it('writes to the same file are serial, in call order', async () => {
    const file = join(freshDir(), 'test');
    const first = heldWrite(file, 'first');
    const second = heldWrite(file, 'second');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([...first.started, ...second.started]).toEqual(['first']);
    first.release();
    await first.done;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second.started).toEqual(['second']);
    second.release();
    await second.done;
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
  });

  it('writes to different files run in parallel', async () => {
    const dir = freshDir();
    const blocked = heldWrite(join(dir, 'a'), 'a');
    await writeFileDurable(join(dir, 'b'), 'b');
    expect(fs.readFileSync(join(dir, 'b'), 'utf8')).toBe('b');
    expect(blocked.started).toEqual(['a']);
    blocked.release();
    await blocked.done;
  });
});
