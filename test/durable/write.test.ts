import fc from 'fast-check';
import {
  chmodSync,
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DurableWriteError,
  writeFileDurable,
  writeFileDurableSync,
  writeFilesDurable,
  writeJsonDurable,
  writeJsonDurableSync,
  readJsonValidated,
} from '../../src/durable/index.js';
import { writeQueue } from '../../src/durable/path-queue.js';
import { leftoverTemps } from './support/scratch.js';

const root = mkdtempSync(join(tmpdir(), 'durable-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const dir = join(root, `case-${counter++}`);
  mkdirSync(dir);
  return dir;
}

describe('writeFileDurable / writeFileDurableSync round trips', () => {
  it('round-trips arbitrary byte payloads, async and sync, over an existing file', async () => {
    const dir = freshDir();
    const file = join(dir, 'target.bin');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), fc.boolean(), async (bytes, sync) => {
        if (sync) writeFileDurableSync(file, bytes);
        else await writeFileDurable(file, bytes);
        expect(Buffer.compare(readFileSync(file), Buffer.from(bytes))).toBe(0);
      }),
      { numRuns: 60 },
    );
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('encodes strings with the given encoding (string shorthand and object form)', async () => {
    const dir = freshDir();
    await writeFileDurable(join(dir, 'a'), 'aGVsbG8=', 'base64');
    writeFileDurableSync(join(dir, 'b'), '68656c6c6f', { encoding: 'hex' });
    await writeFileDurable(join(dir, 'c'), 'héllo', null);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('hello');
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('hello');
    expect(readFileSync(join(dir, 'c'), 'utf8')).toBe('héllo');
  });

  it('accepts every ArrayBufferView, iterables, async iterables and Readable streams', async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    const cases: [unknown, string][] = [
      [new Uint16Array([0x6968]), 'hi'],
      [new DataView(new TextEncoder().encode('xhiy').buffer, 1, 2), 'hi'],
      [['a', Buffer.from('b'), new Uint8Array([99])], 'abc'],
      [
        (async function* () {
          yield 'as';
          yield Buffer.from('ync');
        })(),
        'async',
      ],
      [Readable.from(['str', 'eam']), 'stream'],
    ];
    for (const [data, expected] of cases) {
      await writeFileDurable(file, data as never);
      expect(readFileSync(file, 'utf8')).toBe(expected);
    }
  });

  it('accepts a Buffer path and a file: URL', async () => {
    const dir = freshDir();
    await writeFileDurable(Buffer.from(join(dir, 'buf')), 'x');
    writeFileDurableSync(new URL(`file://${join(dir, 'url')}`), 'y');
    expect(readFileSync(join(dir, 'buf'), 'utf8') + readFileSync(join(dir, 'url'), 'utf8')).toBe('xy');
  });

  it('rejects data of the wrong type before touching the disk', async () => {
    const dir = freshDir();
    await expect(writeFileDurable(join(dir, 'f'), 42 as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    expect(() => writeFileDurableSync(join(dir, 'f'), ['a'] as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    await expect(writeFileDurable(join(dir, 'f'), [42] as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(leftoverTemps(dir)).toEqual([]);
  });
});

describe('options', () => {
  it('never mutates the options object', async () => {
    const dir = freshDir();
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            encoding: fc.constantFrom('utf8', 'latin1', null, undefined),
            mode: fc.constantFrom(0o600, '640', undefined),
            flag: fc.constantFrom('w', 'w+', undefined),
            flush: fc.constant(true),
            directorySync: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        async (options, sync) => {
          const frozen = Object.freeze({ ...options });
          const snapshot = structuredClone(options);
          if (sync) writeFileDurableSync(join(dir, 'f'), 'data', frozen as never);
          else await writeFileDurable(join(dir, 'f'), 'data', frozen as never);
          expect(options).toEqual(snapshot);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps the mode of an existing target when no mode is given, and applies an explicit one', async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    writeFileSync(file, 'old');
    chmodSync(file, 0o640);
    await writeFileDurable(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    writeFileDurableSync(file, 'newer');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    await writeFileDurable(file, 'explicit', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.getuid?.() !== 0)('as root, keeps the owner of an existing target', async () => {
    const dir = freshDir();
    const file = join(dir, 'owned');
    writeFileSync(file, 'old');
    const { chownSync } = await import('node:fs');
    chownSync(file, 12345, 23456);
    await writeFileDurable(file, 'new');
    expect(statSync(file)).toMatchObject({ uid: 12345, gid: 23456 });
    writeFileDurableSync(file, 'newer');
    expect(statSync(file)).toMatchObject({ uid: 12345, gid: 23456 });
  });

  it("flag 'wx' creates the file but fails with EEXIST, atomically, if it exists", async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    await writeFileDurable(file, 'first', { flag: 'wx' });
    await expect(writeFileDurable(file, 'second', { flag: 'wx' })).rejects.toMatchObject({
      code: 'EEXIST',
      step: 'link',
    });
    expect(() => writeFileDurableSync(file, 'third', { flag: 'xw+' })).toThrow(
      expect.objectContaining({ code: 'EEXIST' }),
    );
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('refuses append and in-place flags with a clear error', async () => {
    const dir = freshDir();
    for (const flag of ['a', 'a+', 'as', 'r+', 'rs+', 1024 /* O_APPEND|O_WRONLY without O_CREAT */]) {
      await expect(writeFileDurable(join(dir, 'f'), 'x', { flag })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_VALUE',
      });
    }
    expect(() => writeFileDurableSync(join(dir, 'f'), 'x', { flag: 'a' })).toThrow(/cannot be made atomic/);
  });

  it('refuses unknown encodings and malformed modes', async () => {
    const dir = freshDir();
    await expect(writeFileDurable(join(dir, 'f'), 'x', 'klingon' as BufferEncoding)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
    await expect(writeFileDurable(join(dir, 'f'), 'x', { mode: '9' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
  });

  it('an already aborted signal leaves the old target and no temp file', async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    writeFileSync(file, 'old');
    await expect(writeFileDurable(file, 'new', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
      code: 'ABORT_ERR',
    });
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('a signal aborting while a stream is written leaves the old target and no temp file', async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    writeFileSync(file, 'old');
    const controller = new AbortController();
    async function* slowChunks() {
      yield 'a';
      controller.abort();
      yield 'b';
    }
    await expect(writeFileDurable(file, slowChunks(), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(leftoverTemps(dir)).toEqual([]);
  });
});

describe('targets', () => {
  it('follows a symlink at the last component: the link stays, the file it points to is replaced', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'data'), 'old');
    symlinkSync(join('real', 'data'), join(dir, 'link'));
    await writeFileDurable(join(dir, 'link'), 'new');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link'))).toBe(join('real', 'data'));
    expect(readFileSync(join(dir, 'real', 'data'), 'utf8')).toBe('new');
    symlinkSync('dangling-target', join(dir, 'dangling'));
    writeFileDurableSync(join(dir, 'dangling'), 'created');
    expect(readFileSync(join(dir, 'dangling-target'), 'utf8')).toBe('created');
    expect(leftoverTemps(dir)).toEqual([]);
    expect(leftoverTemps(join(dir, 'real'))).toEqual([]);
  });

  it('a directory target fails before any temp file is created', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'sub'));
    await expect(writeFileDurable(join(dir, 'sub'), 'x')).rejects.toMatchObject({
      code: 'EISDIR',
      step: 'resolve-target',
    });
    expect(() => writeFileDurableSync(join(dir, 'sub'), 'x')).toThrow(DurableWriteError);
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('a missing parent directory fails with ENOENT and says which step failed', async () => {
    const dir = freshDir();
    const error = await writeFileDurable(join(dir, 'nope', 'f'), 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DurableWriteError);
    expect(error).toMatchObject({ code: 'ENOENT', step: 'open-temp', committed: false });
  });
});

describe('ordering', () => {
  it('100 concurrent calls on one path all resolve, apply in call order, and the last one wins', async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => writeFileDurable(file, `version ${i}`).then(() => order.push(i))),
    );
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(readFileSync(file, 'utf8')).toBe('version 99');
    expect(leftoverTemps(dir)).toEqual([]);
    expect(writeQueue.size).toBe(0);
  });

  it('a failed call does not block the calls queued behind it', async () => {
    const dir = freshDir();
    const file = join(dir, 'f');
    const results = await Promise.allSettled([
      writeFileDurable(file, 'one'),
      writeFileDurable(file, 'two', { flag: 'wx' }),
      writeFileDurable(file, 'three'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(readFileSync(file, 'utf8')).toBe('three');
  });
});

describe('writeFilesDurable', () => {
  it('writes many files in one group commit; duplicates apply in order', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'other'));
    await writeFilesDurable([
      ...Array.from({ length: 50 }, (_, i) => ({ file: join(dir, `f${i}`), data: `file ${i}` })),
      { file: join(dir, 'other', 'x'), data: Buffer.from('x') },
      { file: join(dir, 'dup'), data: 'first' },
      { file: join(dir, 'dup'), data: 'second', options: { encoding: 'utf8' } },
    ]);
    expect(readFileSync(join(dir, 'f49'), 'utf8')).toBe('file 49');
    expect(readFileSync(join(dir, 'other', 'x'), 'utf8')).toBe('x');
    expect(readFileSync(join(dir, 'dup'), 'utf8')).toBe('second');
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('a failing entry before the renames changes nothing and leaves no temp file', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a'), 'old a');
    const error = await writeFilesDurable([
      { file: join(dir, 'a'), data: 'new a' },
      { file: join(dir, 'missing-dir', 'b'), data: 'b' },
    ]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ENOENT', step: 'open-temp' });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old a');
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('an aborted group changes nothing', async () => {
    const dir = freshDir();
    await expect(
      writeFilesDurable([{ file: join(dir, 'a'), data: 'a' }], { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(leftoverTemps(dir)).toEqual([]);
  });
});

describe('JSON convenience', () => {
  it('writeJsonDurable / readJsonValidated round-trip, with and without indentation', async () => {
    const dir = freshDir();
    const options = { space: 2 };
    await writeJsonDurable(join(dir, 'a.json'), { a: [1, 2] }, options);
    writeJsonDurableSync(join(dir, 'b.json'), 'text');
    expect(options).toEqual({ space: 2 });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}\n');
    expect(await readJsonValidated(join(dir, 'a.json'))).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(await readJsonValidated(join(dir, 'b.json'))).toEqual({ ok: true, value: 'text' });
    await expect(writeJsonDurable(join(dir, 'c.json'), undefined)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
  });
});
