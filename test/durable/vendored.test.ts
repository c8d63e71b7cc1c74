/**
 * The vendored copy (src/durable/vendored.ts, what `durable-write fix --vendor` writes) leaves the
 * runtime's extra layers out: where it does, it must behave like the `writeFile(tmp)` + `rename` a
 * fix replaced, since the fix summary for a vendored copy lists no difference there. Each case also
 * runs the runtime writer, so a case that passed for both would show that it proves nothing. Where
 * the target is (symlinks followed as fs.writeFile follows them: kernel-paths.test.ts) and the call
 * order on one path are the core's, the same in every copy.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as runtime from '../../src/durable/index.js';
import * as vendored from '../../src/durable/vendored.js';
import { leftoverTemps } from './support/scratch.js';

const root = mkdtempSync(join(tmpdir(), 'durable-vendored-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const dir = join(root, `case-${counter++}`);
  mkdirSync(dir);
  return dir;
}

/** What the original code did: write a temp file, rename it over the target. */
function naive(file: string, data: string): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

type Write = (file: string, data: string) => unknown;
const writers: ReadonlyArray<[string, Write]> = [
  ['writeFile + rename', naive],
  ['vendored async', vendored.writeFileDurable],
  ['vendored sync', vendored.writeFileDurableSync],
];

describe('vendored copy: like writeFile + rename where the runtime adds a layer', () => {
  it.each(writers)("%s: the file gets a new file's mode, not the replaced file's", async (_, write) => {
    const dir = freshDir();
    const file = join(dir, 'target');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await write(file, 'new');
    const fresh = join(dir, 'fresh');
    writeFileSync(fresh, '');
    expect(statSync(file).mode & 0o7777).toBe(statSync(fresh).mode & 0o7777);
    expect(statSync(file).mode & 0o7777).not.toBe(0o600);
  });

  it.each(writers.slice(1))('%s: a symlink is followed and a FIFO refused, as in the runtime', async (_, write) => {
    const dir = freshDir();
    writeFileSync(join(dir, 'real'), 'old');
    symlinkSync('real', join(dir, 'link'));
    await write(join(dir, 'link'), 'new');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real'), 'utf8')).toBe('new');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await expect(Promise.resolve().then(() => write(join(dir, 'pipe'), 'new'))).rejects.toMatchObject({
      code: 'NOT_REGULAR_FILE',
    });
    expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it("the runtime writer keeps the replaced file's mode instead", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'real'), 'old');
    chmodSync(join(dir, 'real'), 0o600);
    await runtime.writeFileDurable(join(dir, 'real'), 'new');
    expect(statSync(join(dir, 'real')).mode & 0o7777).toBe(0o600);
  });

  it("throws fs's own error, as writeFile + rename did, and leaves no temp file", async () => {
    const dir = freshDir();
    const file = join(dir, 'missing', 'target');
    const error = await vendored.writeFileDurable(file, 'x').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ENOENT', syscall: 'open' });
    expect(error).not.toBeInstanceOf(runtime.DurableWriteError);
    expect(() => vendored.writeFileDurableSync(file, 'x')).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'open' }),
    );
    await expect(runtime.writeFileDurable(file, 'x')).rejects.toMatchObject({
      name: 'DurableWriteError',
      code: 'ENOENT',
      step: 'open-temp',
    });
    mkdirSync(join(dir, 'sub'));
    await vendored.writeFileDurable(join(dir, 'sub', 'target'), [Buffer.from('chunk '), 'two']);
    expect(readFileSync(join(dir, 'sub', 'target'), 'utf8')).toBe('chunk two');
    expect(leftoverTemps(join(dir, 'sub'))).toEqual([]);
  });
});
