import fs from 'node:fs';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  DurabilityUnknownError,
  DurableWriteError,
  writeFileDurable,
  writeFileDurableSync,
  writeFilesDurable,
} from '../../src/durable/index.js';
import { leftoverTemps } from './support/scratch.js';

const root = mkdtempSync(join(tmpdir(), 'durable-failures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let counter = 0;

const isRoot = process.getuid?.() === 0;
// The real functions, captured before any spy wraps them (a spy re-spied would call itself).
const originals = new Map(Object.entries(fs).filter(([, value]) => typeof value === 'function')) as Map<
  string,
  (...args: unknown[]) => unknown
>;
const original = (name: string) => originals.get(name)!.bind(fs);
const systemError = (code: string, syscall: string) =>
  Object.assign(new Error(`${code}: injected, ${syscall}`), { code, errno: -5, syscall });

/** A target holding 'old' with mode 0o640 (so the mode copy runs), owned by someone else as root. */
function setUp() {
  const dir = join(root, `case-${counter++}`);
  mkdirSync(dir);
  const file = join(dir, 'target');
  writeFileSync(file, 'old');
  chmodSync(file, 0o640);
  if (isRoot) fs.chownSync(file, 4321, 4321);
  return { dir, file };
}

const isTemp = (path: unknown) => String(path).endsWith('.durable-tmp');
type Injection = { step: string; code: string; inject: (dir: string) => void; rootOnly?: boolean };

// Each entry makes exactly one step fail; the real call still happens where skipping it would
// leak a descriptor.
function callbackFailure<K extends keyof typeof fs>(
  name: K,
  code: string,
  matches: (args: unknown[], dir: string) => boolean,
) {
  return (dir: string) => {
    const real = original(name);
    (vi.spyOn(fs, name as never) as unknown as { mockImplementation(fn: never): void }).mockImplementation(((
      ...args: unknown[]
    ) => {
      if (!matches(args, dir)) return real(...args);
      const callback = args.at(-1) as (error: Error) => void;
      const fail = () => process.nextTick(callback, systemError(code, String(name)));
      if (name === 'close') return real(args[0], fail);
      fail();
    }) as never);
  };
}
function syncFailure<K extends keyof typeof fs>(
  name: K,
  code: string,
  matches: (args: unknown[], dir: string) => boolean,
) {
  return (dir: string) => {
    const real = original(name);
    (vi.spyOn(fs, name as never) as unknown as { mockImplementation(fn: never): void }).mockImplementation(((
      ...args: unknown[]
    ) => {
      if (!matches(args, dir)) return real(...args);
      if (name === 'closeSync') real(...args);
      throw systemError(code, String(name));
    }) as never);
  };
}

let tempFd = -1;
const tempFdTracker = (args: unknown[]) => typeof args[0] === 'number' && args[0] === tempFd;
function trackTempFd() {
  const realOpen = original('open') as typeof fs.open;
  const realOpenSync = original('openSync') as typeof fs.openSync;
  vi.spyOn(fs, 'open').mockImplementation(((
    path: string,
    flags: number,
    mode: number,
    callback: (e: Error | null, fd: number) => void,
  ) =>
    realOpen(path, flags, mode, (error, fd) => {
      if (isTemp(path)) tempFd = fd;
      callback(error, fd);
    })) as never);
  vi.spyOn(fs, 'openSync').mockImplementation(((path: string, flags: number, mode: number) => {
    const fd = realOpenSync(path, flags, mode);
    if (isTemp(path)) tempFd = fd;
    return fd;
  }) as never);
}

const asyncInjections: Injection[] = [
  {
    step: 'resolve-target',
    code: 'EACCES',
    inject: syncFailure('lstatSync', 'EACCES', ([path]) => String(path).endsWith('target')),
  },
  { step: 'open-temp', code: 'EMFILE', inject: callbackFailure('open', 'EMFILE', ([path]) => isTemp(path)) },
  { step: 'open-directory', code: 'EACCES', inject: callbackFailure('open', 'EACCES', ([path], dir) => path === dir) },
  { step: 'write', code: 'ENOSPC', inject: callbackFailure('write', 'ENOSPC', () => true) },
  { step: 'set-mode', code: 'EIO', inject: syncFailure('fstatSync', 'EIO', () => true) },
  { step: 'set-owner', code: 'EPERM', inject: callbackFailure('fchown', 'EPERM', () => true), rootOnly: true },
  { step: 'set-mode', code: 'EPERM', inject: callbackFailure('fchmod', 'EPERM', () => true) },
  { step: 'fsync', code: 'EIO', inject: callbackFailure('fsync', 'EIO', (args) => tempFdTracker(args)) },
  { step: 'close', code: 'EIO', inject: callbackFailure('close', 'EIO', (args) => tempFdTracker(args)) },
  { step: 'rename', code: 'EXDEV', inject: callbackFailure('rename', 'EXDEV', () => true) },
];
const syncInjections: Injection[] = [
  {
    step: 'resolve-target',
    code: 'EACCES',
    inject: syncFailure('lstatSync', 'EACCES', ([path]) => String(path).endsWith('target')),
  },
  { step: 'open-temp', code: 'EMFILE', inject: syncFailure('openSync', 'EMFILE', ([path]) => isTemp(path)) },
  { step: 'open-directory', code: 'EACCES', inject: syncFailure('openSync', 'EACCES', ([path], dir) => path === dir) },
  { step: 'write', code: 'ENOSPC', inject: syncFailure('writeSync', 'ENOSPC', () => true) },
  { step: 'set-mode', code: 'EIO', inject: syncFailure('fstatSync', 'EIO', () => true) },
  { step: 'set-owner', code: 'EPERM', inject: syncFailure('fchownSync', 'EPERM', () => true), rootOnly: true },
  { step: 'set-mode', code: 'EPERM', inject: syncFailure('fchmodSync', 'EPERM', () => true) },
  { step: 'fsync', code: 'EIO', inject: syncFailure('fsyncSync', 'EIO', (args) => tempFdTracker(args)) },
  { step: 'close', code: 'EIO', inject: syncFailure('closeSync', 'EIO', (args) => tempFdTracker(args)) },
  { step: 'rename', code: 'EXDEV', inject: syncFailure('renameSync', 'EXDEV', () => true) },
];

function expectUntouched(dir: string, file: string, error: unknown, step: string, code: string) {
  expect(error).toBeInstanceOf(DurableWriteError);
  expect(error).toMatchObject({ step, code, committed: false, path: file });
  expect((error as Error).message).toContain('the target is unchanged');
  expect(readFileSync(file, 'utf8')).toBe('old');
  expect(leftoverTemps(dir)).toEqual([]);
}

describe('a failing step before the rename leaves the target intact and no temp file', () => {
  for (const { step, code, inject, rootOnly } of asyncInjections) {
    it.skipIf(rootOnly && !isRoot)(`async: ${step} (${code})`, async () => {
      const { dir, file } = setUp();
      trackTempFd();
      inject(dir);
      const error = await writeFileDurable(file, 'new').catch((caught: unknown) => caught);
      vi.restoreAllMocks();
      expectUntouched(dir, file, error, step, code);
    });
  }
  for (const { step, code, inject, rootOnly } of syncInjections) {
    it.skipIf(rootOnly && !isRoot)(`sync: ${step} (${code})`, () => {
      const { dir, file } = setUp();
      trackTempFd();
      inject(dir);
      let error: unknown;
      try {
        writeFileDurableSync(file, 'new');
      } catch (caught) {
        error = caught;
      }
      vi.restoreAllMocks();
      expectUntouched(dir, file, error, step, code);
    });
  }
  it('group commit: a failing fsync of one temp file leaves every target intact', async () => {
    const { dir, file } = setUp();
    callbackFailure('fsync', 'EIO', () => true)(dir);
    const error = await writeFilesDurable([
      { file, data: 'new' },
      { file: join(dir, 'other'), data: 'x' },
    ]).catch((caught: unknown) => caught);
    vi.restoreAllMocks();
    expectUntouched(dir, file, error, 'fsync', 'EIO');
  });
  it('group commit: a rename failing midway reports the files already committed; every target is whole; no temp stays', async () => {
    const { dir } = setUp();
    const files = Array.from({ length: 40 }, (_, i) => join(dir, `f${i}`));
    for (const file of files) writeFileSync(file, 'old');
    const failing = files[17]!;
    callbackFailure('rename', 'EIO', ([, to]) => to === failing)(dir);
    const error = await writeFilesDurable(files.map((file) => ({ file, data: 'new' }))).catch(
      (caught: unknown) => caught,
    );
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(DurableWriteError);
    expect(error).toMatchObject({ step: 'rename', code: 'EIO', path: failing });
    const committed = new Set((error as DurableWriteError).committedPaths);
    expect(committed.has(failing)).toBe(false);
    for (const file of files) expect(readFileSync(file, 'utf8')).toBe(committed.has(file) ? 'new' : 'old');
    expect(leftoverTemps(dir)).toEqual([]);
  });
});

describe('a failing directory fsync after the rename is "committed, durability unknown"', () => {
  it('async', async () => {
    const { dir, file } = setUp();
    callbackFailure('fsync', 'EIO', ([fd]) => fs.fstatSync(fd as number).isDirectory())(dir);
    const error = await writeFileDurable(file, 'new').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DurabilityUnknownError);
    expect(error).toMatchObject({ step: 'fsync-directory', code: 'EIO', committed: true });
    expect((error as Error).message).toMatch(/committed .*durability unknown/);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(leftoverTemps(dir)).toEqual([]);
  });
  it('sync', () => {
    const { dir, file } = setUp();
    syncFailure('fsyncSync', 'EIO', ([fd]) => fs.fstatSync(fd as number).isDirectory())(dir);
    expect(() => writeFileDurableSync(file, 'new')).toThrow(DurabilityUnknownError);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
  it('EINVAL from a file system that cannot fsync directories is not an error', async () => {
    const { dir, file } = setUp();
    callbackFailure('fsync', 'EINVAL', ([fd]) => fs.fstatSync(fd as number).isDirectory())(dir);
    await writeFileDurable(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
});

describe('Windows: rename retried with a bounded backoff on EPERM/EBUSY/EACCES', () => {
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  afterEach(() => Object.defineProperty(process, 'platform', platform));
  function pretendWindows() {
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
  }
  function flakyRename(failures: number, code: string, sync: boolean) {
    const name = sync ? 'renameSync' : 'rename';
    const real = original(name);
    let calls = 0;
    vi.spyOn(fs, name).mockImplementation(((...args: unknown[]) => {
      calls += 1;
      if (calls > failures) return real(...args);
      if (sync) throw systemError(code, 'rename');
      process.nextTick(args.at(-1) as (error: Error) => void, systemError(code, 'rename'));
    }) as never);
    return () => calls;
  }

  it('async: succeeds after transient EPERM and EBUSY', async () => {
    pretendWindows();
    const { dir, file } = setUp();
    const calls = flakyRename(2, 'EBUSY', false);
    await writeFileDurable(file, 'new');
    expect(calls()).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(leftoverTemps(dir)).toEqual([]);
  });
  it('sync: succeeds after transient EACCES', () => {
    pretendWindows();
    const { file } = setUp();
    const calls = flakyRename(3, 'EACCES', true);
    writeFileDurableSync(file, 'new');
    expect(calls()).toBe(4);
  });
  it('gives up after 8 retries, removing the temp file', async () => {
    pretendWindows();
    const { dir, file } = setUp();
    const calls = flakyRename(Infinity, 'EPERM', false);
    const error = await writeFileDurable(file, 'new').catch((caught: unknown) => caught);
    expect(calls()).toBe(9);
    expectUntouched(dir, file, error, 'rename', 'EPERM');
  });
  it('does not retry on POSIX, where EPERM at rename is final', async () => {
    const { file } = setUp();
    const calls = flakyRename(Infinity, 'EPERM', false);
    await expect(writeFileDurable(file, 'new')).rejects.toMatchObject({ code: 'EPERM' });
    expect(calls()).toBe(1);
  });
});
