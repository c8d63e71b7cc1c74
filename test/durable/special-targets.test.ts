import { execFileSync } from 'node:child_process';
import fs, {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DurableWriteError,
  readFileValidated,
  readFileValidatedSync,
  readJsonValidated,
  readJsonValidatedSync,
  sweepStaleTemps,
  writeFileDurable,
  writeFileDurableSync,
  writeFilesDurable,
  writeJsonDurable,
} from '../../src/durable/index.js';
import { hasCapability } from '../../scripts/lib/machine.js';
import { leftoverTemps } from './support/scratch.js';

const root = mkdtempSync(join(tmpdir(), 'durable-special-targets-'));
let counter = 0;
function freshDir(): string {
  const dir = join(root, `case-${counter++}`);
  mkdirSync(dir);
  return dir;
}
let server: Server;
const socketDir = freshDir();
beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(join(socketDir, 'app.sock'), resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/**
 * A character device of the test's own (1,3 is /dev/null's), so that a regression replaces that
 * copy and never the machine's /dev/null, on which every process relies.
 */
function characterDevice(dir: string): string {
  const node = join(dir, 'null-device');
  execFileSync('mknod', [node, 'c', '1', '3']);
  return node;
}

/** Every writer on `path`: what each one threw. */
async function refusals(path: string): Promise<DurableWriteError[]> {
  const caught: unknown[] = [];
  caught.push(await writeFileDurable(path, 'new').catch((error: unknown) => error));
  try {
    writeFileDurableSync(path, 'new');
  } catch (error) {
    caught.push(error);
  }
  caught.push(await writeJsonDurable(path, { a: 1 }).catch((error: unknown) => error));
  caught.push(await writeFilesDurable([{ file: path, data: 'new' }]).catch((error: unknown) => error));
  for (const error of caught) expect(error).toBeInstanceOf(DurableWriteError);
  return caught as DurableWriteError[];
}

describe('the writer refuses a target that is not a regular file, before creating anything', () => {
  it.runIf(hasCapability('mknod'))(
    'a symlink to a character device (~/.history -> /dev/null): refused, naming both; link and device unchanged',
    async () => {
      const dir = freshDir();
      const device = characterDevice(dir);
      const history = join(dir, '.history');
      symlinkSync(device, history);
      const openSpy = vi.spyOn(fs, 'open');
      const openSyncSpy = vi.spyOn(fs, 'openSync');
      for (const error of await refusals(history)) {
        expect(error).toMatchObject({
          code: 'NOT_REGULAR_FILE',
          fileType: 'character-device',
          step: 'resolve-target',
          path: history,
        });
        expect(error.message).toContain(`'${device}' (where the symlink '${history}' leads) is a character device`);
        expect(error.message).toContain('replaceSpecialFile');
      }
      // Nothing was opened: no temp file, no directory descriptor.
      expect(openSpy).not.toHaveBeenCalled();
      expect(openSyncSpy).not.toHaveBeenCalled();
      expect(readlinkSync(history)).toBe(device);
      expect(statSync(device).isCharacterDevice()).toBe(true);
      expect(leftoverTemps(dir)).toEqual([]);
    },
  );

  it('a FIFO: refused (fileType fifo) and still a FIFO; replaceSpecialFile replaces it with the data', async () => {
    const dir = freshDir();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const error of await refusals(fifo)) {
      expect(error).toMatchObject({ code: 'NOT_REGULAR_FILE', fileType: 'fifo', step: 'resolve-target' });
      expect(error.message).toContain(`'${fifo}' is a FIFO (named pipe)`);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftoverTemps(dir)).toEqual([]);
    await writeFileDurable(fifo, 'replaced', { replaceSpecialFile: true });
    expect(lstatSync(fifo).isFile()).toBe(true);
    expect(readFileSync(fifo, 'utf8')).toBe('replaced');
    execFileSync('mkfifo', [join(dir, 'pipe2')]);
    writeFileDurableSync(join(dir, 'pipe2'), 'replaced too', { replaceSpecialFile: true });
    expect(readFileSync(join(dir, 'pipe2'), 'utf8')).toBe('replaced too');
  });

  it('a socket: refused (fileType socket), the server keeps its socket', async () => {
    const socket = join(socketDir, 'app.sock');
    for (const error of await refusals(socket))
      expect(error).toMatchObject({ code: 'NOT_REGULAR_FILE', fileType: 'socket' });
    expect(lstatSync(socket).isSocket()).toBe(true);
    expect(leftoverTemps(socketDir)).toEqual([]);
  });

  it('a directory: EISDIR (what fs.writeFile says), fileType directory, even with replaceSpecialFile', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'sub'));
    symlinkSync('sub', join(dir, 'to-sub'));
    for (const path of [join(dir, 'sub'), join(dir, 'to-sub')]) {
      for (const error of await refusals(path))
        expect(error).toMatchObject({ code: 'EISDIR', fileType: 'directory', step: 'resolve-target' });
      await expect(writeFileDurable(path, 'x', { replaceSpecialFile: true })).rejects.toMatchObject({ code: 'EISDIR' });
    }
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it("exclusive creation ('wx') on a FIFO fails with EEXIST as before", async () => {
    const dir = freshDir();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await expect(writeFileDurable(join(dir, 'pipe'), 'x', { flag: 'wx' })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
  });
});

describe('caller errors are thrown alike by readers, writers and the sweep', () => {
  const entryPoints: Record<string, (file: never) => unknown> = {
    readFileValidated: (file) => readFileValidated(file),
    readFileValidatedSync: (file) => readFileValidatedSync(file),
    readJsonValidated: (file) => readJsonValidated(file),
    readJsonValidatedSync: (file) => readJsonValidatedSync(file),
    writeFileDurable: (file) => writeFileDurable(file, 'x'),
    writeFileDurableSync: (file) => writeFileDurableSync(file, 'x'),
    writeJsonDurable: (file) => writeJsonDurable(file, 1),
    writeFilesDurable: (file) => writeFilesDurable([{ file, data: 'x' }]),
    sweepStaleTemps: (file) => sweepStaleTemps(file),
  };
  const badPaths: Array<[string, unknown, string]> = [
    ['a NUL byte in a string', 'state\0.json', 'ERR_INVALID_ARG_VALUE'],
    ['a NUL byte in a Buffer', Buffer.from('state\0.json'), 'ERR_INVALID_ARG_VALUE'],
    ['an empty path', '', 'ERR_INVALID_ARG_VALUE'],
    ['a file descriptor', 3, 'ERR_INVALID_ARG_TYPE'],
    ['null', null, 'ERR_INVALID_ARG_TYPE'],
    ['an object', { path: 'x' }, 'ERR_INVALID_ARG_TYPE'],
  ];

  it.each(badPaths)('%s: the same TypeError (code and message) from every entry point', async (_, file, code) => {
    const errors: Array<{ name: string; code: string; message: string }> = [];
    for (const call of Object.values(entryPoints)) {
      try {
        await call(file as never);
        errors.push({ name: 'none', code: 'none', message: 'did not throw' });
      } catch (error) {
        const { name, code: errorCode, message } = error as { name: string; code: string; message: string };
        errors.push({ name, code: errorCode, message });
      }
    }
    expect(errors[0]).toMatchObject({ name: 'TypeError', code });
    expect(new Set(errors.map((error) => JSON.stringify(error))).size).toBe(1);
  });
});

describe('sweepStaleTemps throws DurableWriteError like the rest of the helper', () => {
  const staleTemp = (dir: string) => {
    // pid 2^22 + 1 is above Linux's pid_max limit, so never a live process.
    const name = `.state.json.${2 ** 22 + 1}.0.0123456789ab.durable-tmp`;
    writeFileSync(join(dir, name), 'partial');
    return join(dir, name);
  };

  it('a missing directory: step sweep-list, code ENOENT, naming the directory', async () => {
    const dir = join(freshDir(), 'nope');
    const error = await sweepStaleTemps(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DurableWriteError);
    expect(error).toMatchObject({ step: 'sweep-list', code: 'ENOENT', path: dir, committed: false });
    expect((error as Error).message).toMatch(
      /^could not list the directory to sweep stale temp files '.*nope': ENOENT/,
    );
  });

  it('an unlink refused with EROFS: step sweep-remove, code EROFS, naming the temp file', async () => {
    const dir = freshDir();
    const temp = staleTemp(dir);
    vi.spyOn(fs.promises, 'unlink').mockRejectedValue(
      Object.assign(new Error(`EROFS: read-only file system, unlink '${temp}'`), {
        code: 'EROFS',
        errno: -30,
        syscall: 'unlink',
      }),
    );
    const error = await sweepStaleTemps(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DurableWriteError);
    expect(error).toMatchObject({ step: 'sweep-remove', code: 'EROFS', errno: -30, syscall: 'unlink', path: temp });
  });

  // mount needs CAP_SYS_ADMIN, which a container's root often lacks.
  it.runIf(hasCapability('sysAdmin'))(
    'on a real read-only mount: DurableWriteError with EROFS, the temp file stays',
    async () => {
      const dir = freshDir();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
      try {
        const temp = staleTemp(dir);
        execFileSync('mount', ['-o', 'remount,ro', dir]);
        await expect(sweepStaleTemps(dir)).rejects.toMatchObject({
          name: 'DurableWriteError',
          step: 'sweep-remove',
          code: 'EROFS',
          path: temp,
        });
        expect(readFileSync(temp, 'utf8')).toBe('partial');
      } finally {
        execFileSync('umount', [dir]);
      }
    },
  );
});
