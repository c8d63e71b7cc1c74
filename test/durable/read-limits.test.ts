import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_READ_BYTES,
  LoadError,
  readFileValidated,
  readFileValidatedSync,
  readJsonValidated,
  readJsonValidatedSync,
} from '../../src/durable/index.js';
import type { LoadResult } from '../../src/durable/index.js';
import { hasCapability } from '../../scripts/lib/machine.js';

// FIFOs and /dev/zero, which used to hang, are loaded in a child process under a hard timeout by
// special-files.test.ts; everything here returns at once even when it is wrong.
const dir = mkdtempSync(join(tmpdir(), 'durable-read-limits-'));
const socketPath = join(dir, 'listening.sock');
let server: Server;
beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
const file = (name: string, contents: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
};

/** Bytes this process (all its threads) got from read(2) and the like: work done, not time taken. */
const bytesRead = (): number => Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);

type Outcome = string;
/** Every loader, async and sync, on one path: the code (and file type) each one gives. */
async function allLoaders(path: string, options: { maxBytes?: number } = {}): Promise<Outcome[]> {
  const outcome = (result: LoadResult<unknown>) => {
    if (result.ok) return 'ok';
    expect(result.error).toBeInstanceOf(LoadError);
    expect(result.error.message).not.toContain('\n');
    return result.error.fileType ? `${result.error.code}:${result.error.fileType}` : result.error.code;
  };
  return [
    outcome(await readFileValidated(path, options)),
    outcome(readFileValidatedSync(path, options)),
    outcome(await readJsonValidated(path, undefined, options)),
    outcome(readJsonValidatedSync(path, undefined, options)),
  ];
}

describe('loaders refuse what is not a regular file, before reading it', () => {
  it('a directory is NOT_REGULAR_FILE (directory)', async () => {
    mkdirSync(join(dir, 'a-dir'));
    expect(await allLoaders(join(dir, 'a-dir'))).toEqual(Array(4).fill('NOT_REGULAR_FILE:directory'));
  });

  it('a Unix socket is NOT_REGULAR_FILE (socket), although open() fails with ENXIO', async () => {
    expect(await allLoaders(socketPath)).toEqual(Array(4).fill('NOT_REGULAR_FILE:socket'));
  });

  // A device of its own: a machine's /dev/null has been seen replaced by a regular file.
  it.runIf(hasCapability('mknod'))(
    'a symlink to a character device is NOT_REGULAR_FILE (character-device), naming the path',
    async () => {
      execFileSync('mknod', [join(dir, 'null-device'), 'c', '1', '3']);
      symlinkSync(join(dir, 'null-device'), join(dir, 'history'));
      expect(await allLoaders(join(dir, 'history'))).toEqual(Array(4).fill('NOT_REGULAR_FILE:character-device'));
      const result = await readJsonValidated(join(dir, 'history'));
      expect(result.ok || result.error.message).toBe(
        `NOT_REGULAR_FILE: '${join(dir, 'history')}' is a character device, not a regular file; it was not read`,
      );
    },
  );
});

describe('maxBytes', () => {
  it('a file larger than maxBytes is TOO_LARGE with its size; one of exactly maxBytes loads', async () => {
    const path = file('ten.json', '[1,2,3,44]');
    expect(await allLoaders(path, { maxBytes: 9 })).toEqual(Array(4).fill('TOO_LARGE'));
    const result = readJsonValidatedSync(path, undefined, { maxBytes: 9 });
    expect(result.ok || result.error).toMatchObject({
      size: 10,
      message: expect.stringMatching(/larger than maxBytes \(9 bytes\): 10 bytes/),
    });
    expect(await allLoaders(path, { maxBytes: 10 })).toEqual(Array(4).fill('ok'));
  });

  it('the default refuses a 600 MiB file (past V8 string length) without reading it', async () => {
    // Sparse: no disk space, and a regression that read it would return ZEROED instead.
    const path = join(dir, 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, 600 * 1024 * 1024);
    const before = bytesRead();
    expect(await allLoaders(path)).toEqual(Array(4).fill('TOO_LARGE'));
    expect(bytesRead() - before).toBeLessThan(1024 * 1024);
    const justOver = join(dir, 'just-over.bin');
    writeFileSync(justOver, '');
    truncateSync(justOver, DEFAULT_MAX_READ_BYTES + 1);
    expect(await allLoaders(justOver)).toEqual(Array(4).fill('TOO_LARGE'));
    expect(DEFAULT_MAX_READ_BYTES).toBe(64 * 1024 * 1024);
  });

  it('a file that reports size 0 (procfs) is read to its end, and still bounded', async () => {
    const status = await readFileValidated('/proc/self/status', { encoding: 'utf8' });
    expect(status.ok && status.value).toMatch(/^Name:/);
    expect(await allLoaders('/proc/self/status', { maxBytes: 16 })).toEqual(Array(4).fill('TOO_LARGE'));
  });

  it('a decoding that would exceed the string limit is TOO_LARGE, not a throw', async () => {
    // 'hex' doubles the length: 270 MiB of bytes would be 566,231,040 characters (V8's limit: 536,870,888).
    const path = join(dir, 'hex.bin');
    writeFileSync(path, '');
    truncateSync(path, 270 * 1024 * 1024);
    execFileSync('sh', ['-c', `printf x >> '${path}'`]);
    const result = await readFileValidated(path, { encoding: 'hex', maxBytes: 300 * 1024 * 1024 });
    expect(result.ok || result.error.code).toBe('TOO_LARGE');
  });

  it('a maxBytes that is not a non-negative integer is a caller error (TypeError), not a load failure', async () => {
    const path = file('small.json', '{}');
    for (const maxBytes of [-1, 1.5, Number.NaN, 2 ** 53]) {
      await expect(readFileValidated(path, { maxBytes })).rejects.toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
      });
      expect(() => readJsonValidatedSync(path, undefined, { maxBytes })).toThrow(TypeError);
    }
  });
});

describe('decoding never substitutes', () => {
  it('invalid UTF-8 is UNDECODABLE, for JSON and for plain text', async () => {
    const path = file('torn.json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d])); // {"a":"\xe2\x82"}
    expect(await allLoaders(path)).toEqual(['ok', 'ok', 'UNDECODABLE', 'UNDECODABLE']);
    const text = readFileValidatedSync(path, { encoding: 'utf8' });
    expect(text.ok || text.error.message).toBe(`UNDECODABLE: '${path}' is not valid UTF-8 (10 bytes)`);
    expect((await readFileValidated(path, { encoding: 'utf-8' })).ok).toBe(false);
    // latin1 has no invalid bytes, and a Buffer is returned as it is.
    expect((await readFileValidated(path, { encoding: 'latin1' })).ok).toBe(true);
  });

  it('every byte prefix of a UTF-8 JSON document is a value, EMPTY, UNDECODABLE or UNPARSABLE, never U+FFFD', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.boolean(), async (value, cut, sync) => {
        const bytes = Buffer.from(JSON.stringify({ value, text: 'é€😀' }));
        const prefix = bytes.subarray(0, cut % (bytes.byteLength + 1));
        const path = file('prefix-utf8.json', prefix);
        const result = sync ? readJsonValidatedSync(path) : await readJsonValidated(path);
        if (result.ok) expect(JSON.stringify(result.value)).not.toContain('\ufffd');
        else expect(['EMPTY', 'UNDECODABLE', 'UNPARSABLE']).toContain(result.error.code);
        if (!result.ok && result.error.code === 'UNDECODABLE')
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(prefix)).toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('an odd number of bytes in UTF-16 is UNDECODABLE', async () => {
    const path = file('odd.txt', Buffer.from([0x61, 0x00, 0x62]));
    expect((await readFileValidated(path, { encoding: 'utf16le' })).ok || 'refused').toBe('refused');
    expect(readFileValidatedSync(file('even.txt', Buffer.from([0x61, 0x00])), { encoding: 'utf16le' })).toEqual({
      ok: true,
      value: 'a',
    });
  });
});
