/**
 * The options write-file-atomic, atomically and fs users pass are honoured or refused with a
 * TypeError that says why, in every copy of the helper: never dropped. And every copy keeps async
 * calls on one path in call order.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  readFileValidated,
  readFileValidatedSync,
  readJsonValidated,
  sweepStaleTemps,
  writeFilesDurable,
} from '../../src/durable/index.js';
import { loadFlavours } from './support/flavours.js';
import type { WriterPair } from './support/flavours.js';
import { leftoverTemps, scratchRoot } from './support/scratch.js';
import { transpiledHelperEntry } from './support/transpiled-helper.js';

const { root, freshDir } = scratchRoot('durable-peer-options-');

const isRoot = process.getuid?.() === 0;
let flavours: ReadonlyArray<readonly [string, WriterPair]> = [];
beforeAll(async () => {
  flavours = await loadFlavours();
});

/** Both writers of a copy, as one async call. */
function bothWriters(
  copy: WriterPair,
): ReadonlyArray<readonly [string, (file: string, data: string, options?: object) => Promise<void>]> {
  return [
    ['async', (file, data, options) => copy.writeFileDurable(file, data, options as never)],
    ['sync', async (file, data, options) => copy.writeFileDurableSync(file, data, options as never)],
  ];
}

describe('refused options: a TypeError that says why, nothing written', () => {
  const refused: ReadonlyArray<readonly [object, RegExp]> = [
    [{ fsync: false }, /fsync.*refused.*always fsyncs/],
    [{ flush: false }, /flush.*refused.*always flushes/],
    [{ fsyncWait: false }, /fsyncWait.*refused/],
    [{ tmpPurge: false }, /tmpPurge.*refused.*always removed/],
    [{ tmpCreate: () => 'x' }, /tmpCreate.*refused/],
    [{ timeout: 100 }, /timeout.*refused/],
    [{ schedule: async () => () => undefined }, /schedule.*refused/],
    [{ encodign: 'utf8' }, /"encodign" is refused: it is not an option/],
    [{ chown: { uid: 1 } }, /chown must be false or \{ uid, gid \}/],
    [{ tmpfileCreated: 'yes' }, /tmpfileCreated must be a function/],
  ];
  for (const [options, message] of refused) {
    it(`${JSON.stringify(options)} in every copy`, async () => {
      for (const [name, copy] of flavours) {
        for (const [kind, write] of bothWriters(copy)) {
          const dir = freshDir();
          const error = await write(join(dir, 'f'), 'data', options).catch((caught: unknown) => caught);
          expect(error, `${name} ${kind}`).toBeInstanceOf(TypeError);
          expect((error as Error).message, `${name} ${kind}`).toMatch(message);
          expect(fs.readdirSync(dir), `${name} ${kind}`).toEqual([]);
        }
      }
      await expect(
        writeFilesDurable([{ file: join(freshDir(), 'f'), data: 'x', options: options as never }]),
      ).rejects.toThrow(message);
    });
  }

  it('accepts what the peers default to: fsync: true, flush: true, and undefined values', async () => {
    for (const [, copy] of flavours) {
      for (const [, write] of bothWriters(copy)) {
        const file = join(freshDir(), 'f');
        await write(file, 'data', { fsync: true, flush: true, timeout: undefined });
        expect(fs.readFileSync(file, 'utf8')).toBe('data');
      }
    }
  });

  it('group, loader and sweep options are checked too; per-file signal and directorySync belong to the group', async () => {
    const file = join(freshDir(), 'f');
    await expect(writeFilesDurable([{ file, data: 'x' }], { concurency: 2 } as never)).rejects.toThrow(
      /"concurency" is refused/,
    );
    await expect(writeFilesDurable([{ file, data: 'x', options: { directorySync: false } as never }])).rejects.toThrow(
      /belong to the group/,
    );
    await expect(readFileValidated(file, { maxbytes: 10 } as never)).rejects.toThrow(/"maxbytes" is refused/);
    expect(() => readFileValidatedSync(file, { parser: JSON.parse } as never)).toThrow(/"parser" is refused/);
    expect(() => readJsonValidated(file, undefined, { encoding: 'latin1' } as never)).toThrow(/"encoding" is refused/);
    await expect(sweepStaleTemps(root, { minAge: 1 } as never)).rejects.toThrow(/"minAge" is refused/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('honoured options, in every copy', () => {
  it('tmpfileCreated and tmpCreated get the temp path once it exists, before the data; a throw fails the write and removes the temp', async () => {
    for (const [name, copy] of flavours) {
      for (const [kind, write] of bothWriters(copy)) {
        const dir = freshDir();
        const file = join(dir, 'f');
        fs.writeFileSync(file, 'old');
        const seen: string[] = [];
        const record = (temp: string | Buffer) => {
          seen.push(String(temp));
          expect(fs.readFileSync(temp, 'utf8')).toBe('');
        };
        await write(file, 'new', { tmpfileCreated: record, tmpCreated: record });
        expect(seen, `${name} ${kind}`).toHaveLength(2);
        expect(seen[0]).toBe(seen[1]);
        expect(seen[0]!.startsWith(`${dir}/.f.`)).toBe(true);
        const failure = new Error('refused by the callback');
        await expect(
          write(file, 'newer', {
            tmpfileCreated: () => {
              throw failure;
            },
          }),
          `${name} ${kind}`,
        ).rejects.toBe(failure);
        expect(fs.readFileSync(file, 'utf8')).toBe('new');
        expect(leftoverTemps(dir)).toEqual([]);
      }
      const dir = freshDir();
      const file = join(dir, 'f');
      await expect(
        copy.writeFileDurable(file, 'x', { tmpfileCreated: () => Promise.reject(new Error('async refusal')) }),
      ).rejects.toThrow('async refusal');
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });

  it('tmpfileCreated is not called when the temp file cannot be created', async () => {
    for (const [, copy] of flavours) {
      let called = false;
      await expect(
        copy.writeFileDurable(join(freshDir(), 'missing', 'f'), 'x', { tmpfileCreated: () => void (called = true) }),
      ).rejects.toMatchObject({ code: 'ENOENT' });
      expect(called).toBe(false);
    }
  });

  it('encoding applies to string data, as in fs', async () => {
    for (const [, copy] of flavours) {
      for (const [, write] of bothWriters(copy)) {
        const file = join(freshDir(), 'f');
        await write(file, '68656c6c6f', { encoding: 'hex' });
        expect(fs.readFileSync(file, 'utf8')).toBe('hello');
        await write(file, 'aGk=', 'base64' as never);
        expect(fs.readFileSync(file, 'utf8')).toBe('hi');
      }
    }
  });

  it("an explicit mode is applied; mode: false gives a new file's mode instead of the target's", async () => {
    const fresh = join(freshDir(), 'fresh');
    fs.writeFileSync(fresh, '');
    const defaultMode = fs.statSync(fresh).mode & 0o7777;
    for (const [name, copy] of flavours) {
      for (const [kind, write] of bothWriters(copy)) {
        const file = join(freshDir(), 'f');
        await write(file, 'a', { mode: 0o640 });
        expect(fs.statSync(file).mode & 0o7777, `${name} ${kind}`).toBe(0o640);
        fs.chmodSync(file, 0o600);
        await write(file, 'b', { mode: false });
        expect(fs.statSync(file).mode & 0o7777, `${name} ${kind}`).toBe(defaultMode);
      }
    }
  });

  it.runIf(isRoot)(
    "chown { uid, gid } sets the owner before the rename; chown: false keeps ours; absent keeps the target's (runtime)",
    async () => {
      for (const [name, copy] of flavours) {
        for (const [kind, write] of bothWriters(copy)) {
          const file = join(freshDir(), 'f');
          await write(file, 'a', { chown: { uid: 4242, gid: 4343 }, mode: 0o741 });
          expect(fs.statSync(file), `${name} ${kind}`).toMatchObject({ uid: 4242, gid: 4343 });
          expect(fs.statSync(file).mode & 0o7777).toBe(0o741);
          await write(file, 'b', { mode: 0o600 });
          expect(fs.statSync(file), `${name} ${kind}`).toMatchObject(
            name === 'runtime' ? { uid: 4242, gid: 4343 } : { uid: 0, gid: 0 },
          );
          await write(file, 'c', { chown: false });
          expect(fs.statSync(file), `${name} ${kind}`).toMatchObject({ uid: 0, gid: 0 });
        }
      }
    },
  );

  it.runIf(!isRoot)('chown to an owner this user may not give fails before the rename, target untouched', async () => {
    for (const [, copy] of flavours) {
      const dir = freshDir();
      fs.writeFileSync(join(dir, 'f'), 'old');
      await expect(copy.writeFileDurable(join(dir, 'f'), 'new', { chown: { uid: 0, gid: 0 } })).rejects.toMatchObject({
        code: 'EPERM',
      });
      expect(fs.readFileSync(join(dir, 'f'), 'utf8')).toBe('old');
      expect(leftoverTemps(dir)).toEqual([]);
    }
  });
});

describe('per-path call order in every copy (the last call wins)', () => {
  it("50 concurrent calls on one path leave the 50th call's data", async () => {
    for (const [name, copy] of flavours) {
      const file = join(freshDir(), 'f');
      await Promise.all(Array.from({ length: 50 }, (_, index) => copy.writeFileDurable(file, `call ${index + 1}`)));
      expect(fs.readFileSync(file, 'utf8'), name).toBe('call 50');
    }
  });

  it("1,000 writes of 1..1000 without waiting end at 1000, through a path and a file: URL (steno's case)", async () => {
    for (const [name, copy] of flavours) {
      const file = join(freshDir(), 'file.txt');
      const writes: Promise<void>[] = [];
      for (let index = 1; index <= 1000; index += 1) {
        writes.push(
          copy.writeFileDurable(index % 2 === 0 ? file : new URL(`file://${file}`), String(index), {
            directorySync: false,
          }),
        );
      }
      await Promise.all(writes);
      expect(Number.parseInt(fs.readFileSync(file, 'utf8'), 10), name).toBe(1000);
    }
  });
});

describe('targets fs.writeFile refuses', () => {
  it.runIf(!isRoot)(
    'a 0444 file in a writable directory is refused with EACCES, as fs.writeFile refuses it',
    async () => {
      for (const [name, copy] of flavours) {
        for (const [kind, write] of bothWriters(copy)) {
          const dir = freshDir();
          const file = join(dir, 'f');
          fs.writeFileSync(file, 'old');
          fs.chmodSync(file, 0o444);
          await expect(fs.promises.writeFile(file, 'new')).rejects.toMatchObject({ code: 'EACCES' });
          await expect(write(file, 'new'), `${name} ${kind}`).rejects.toMatchObject({ code: 'EACCES' });
          expect(fs.readFileSync(file, 'utf8')).toBe('old');
          expect(leftoverTemps(dir)).toEqual([]);
        }
      }
    },
  );

  it.runIf(isRoot)(
    'as an unprivileged user (uid 65534): a 0444 file is refused with EACCES like fs.writeFile, and a chown to root with EPERM',
    () => {
      // Copies under /tmp, which that user can read, of the runtime (transpiled) and the vendored files.
      const dir = freshDir();
      const modules = join(dir, 'modules');
      fs.cpSync(dirname(transpiledHelperEntry()), join(modules, 'runtime'), { recursive: true });
      const vendor = resolve(import.meta.dirname, '../../dist/vendor');
      for (const ext of ['mjs', 'cjs'])
        fs.copyFileSync(join(vendor, `durable-write.${ext}`), join(modules, `durable-write.${ext}`));
      const scratch = join(dir, 'scratch');
      fs.mkdirSync(scratch, { mode: 0o777 });
      fs.chmodSync(scratch, 0o777);
      for (const traversed of [root, dir]) fs.chmodSync(traversed, 0o755);
      // The program too: the repository's own path may not be traversable by that user (a clone in a 0700 temp directory).
      const program = join(modules, 'unprivileged-writes.mjs');
      fs.copyFileSync(resolve(import.meta.dirname, 'programs/unprivileged-writes.mjs'), program);
      const entries = [
        join(modules, 'runtime', 'index.js'),
        join(modules, 'durable-write.mjs'),
        join(modules, 'durable-write.cjs'),
      ];
      const output = execFileSync(process.execPath, [program, scratch, ...entries], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
      });
      const results = JSON.parse(output) as Record<string, unknown>;
      expect(results.fs).toEqual({ readOnly: 'EACCES' });
      for (const entry of entries)
        expect(results[entry], entry).toEqual({
          readOnly: 'EACCES',
          readOnlySync: 'EACCES',
          chown: 'EPERM',
          kept: 'old',
        });
      expect(results.leftovers).toEqual([]);
    },
  );

  it.runIf(isRoot)('a 0444 file is replaced as root, where fs.writeFile writes it too', async () => {
    for (const [, copy] of flavours) {
      const file = join(freshDir(), 'f');
      fs.writeFileSync(file, 'old');
      fs.chmodSync(file, 0o444);
      await copy.writeFileDurable(file, 'new');
      expect(fs.readFileSync(file, 'utf8')).toBe('new');
    }
  });

  it('undefined data is a TypeError, as in fs.writeFile (write-file-atomic writes an empty file)', async () => {
    const file = join(freshDir(), 'f');
    expect(() => fs.writeFileSync(file, undefined as never)).toThrow(TypeError);
    for (const [, copy] of flavours) {
      for (const [, write] of bothWriters(copy))
        await expect(write(file, undefined as never)).rejects.toBeInstanceOf(TypeError);
    }
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('loaders: allowEmpty and allowZeroed', () => {
  it('an empty or all-NUL file is EMPTY / ZEROED by default and content when allowed', async () => {
    const dir = freshDir();
    fs.writeFileSync(join(dir, 'empty'), '');
    fs.writeFileSync(join(dir, 'zeros'), Buffer.alloc(16));
    for (const read of [readFileValidated, readFileValidatedSync]) {
      expect(await read(join(dir, 'empty'))).toMatchObject({ ok: false, error: { code: 'EMPTY' } });
      expect(await read(join(dir, 'zeros'))).toMatchObject({ ok: false, error: { code: 'ZEROED' } });
      expect(await read(join(dir, 'empty'), { allowEmpty: true })).toEqual({ ok: true, value: Buffer.alloc(0) });
      expect(await read(join(dir, 'empty'), { allowEmpty: true, encoding: 'utf8' })).toEqual({ ok: true, value: '' });
      expect(await read(join(dir, 'zeros'), { allowZeroed: true })).toEqual({ ok: true, value: Buffer.alloc(16) });
      // Each switch allows only its own case.
      expect(await read(join(dir, 'zeros'), { allowEmpty: true })).toMatchObject({
        ok: false,
        error: { code: 'ZEROED' },
      });
      expect(await read(join(dir, 'empty'), { allowZeroed: true })).toMatchObject({
        ok: false,
        error: { code: 'EMPTY' },
      });
    }
  });
});
