import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LoadError,
  readFileValidated,
  readFileValidatedSync,
  readJsonValidated,
  readJsonValidatedSync,
} from '../../src/durable/index.js';
import type { StandardSchemaV1 } from '../../src/durable/index.js';

const dir = mkdtempSync(join(tmpdir(), 'durable-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, contents?: string | Uint8Array) => {
  const path = join(dir, name);
  if (contents !== undefined) writeFileSync(path, contents);
  return path;
};

// Each test writes the files it reads: under --sequence.shuffle any test may run first.
const goodConfig = () => file('good.json', '{"name":"x","retries":2}');

const Config = z.object({ name: z.string(), retries: z.number().int() });
const ConfigV = v.object({ name: v.string(), retries: v.pipe(v.number(), v.integer()) });

function expectFailure(result: { ok: boolean; error?: LoadError }, code: string) {
  expect(result.ok).toBe(false);
  expect(result.error).toBeInstanceOf(LoadError);
  expect(result.error!.code).toBe(code);
  expect(result.error!.path).toMatch(/^\//);
  expect(result.error!.message).not.toContain('\n');
  expect(result.error!.message.startsWith(`${code}: `)).toBe(true);
}

describe('readFileValidated', () => {
  it('MISSING for a path with no file, keeping the errno', async () => {
    const result = await readJsonValidated(file('nope.json'));
    expectFailure(result, 'MISSING');
    expect(result.ok || result.error).toMatchObject({ systemCode: 'ENOENT', syscall: 'open' });
    expectFailure(readJsonValidatedSync(file('nope.json')), 'MISSING');
  });

  it('EMPTY for 0 bytes', async () => {
    expectFailure(await readJsonValidated(file('empty.json', '')), 'EMPTY');
    expectFailure(readFileValidatedSync(file('empty.json')), 'EMPTY');
  });

  it('ZEROED for a file of NUL bytes, the power-loss artifact', async () => {
    expectFailure(await readJsonValidated(file('zeroed.json', new Uint8Array(4096))), 'ZEROED');
    expectFailure(readFileValidatedSync(file('zeroed.json'), { encoding: 'utf8' }), 'ZEROED');
  });

  it('ZEROED for NUL bytes of any length, by every loader; one other byte anywhere is not ZEROED', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70_000 }), fc.nat(), async (length, at) => {
        const zeroed = file('zeroed-any.bin', new Uint8Array(length));
        for (const result of [
          await readFileValidated(zeroed),
          readFileValidatedSync(zeroed),
          await readJsonValidated(zeroed),
          readJsonValidatedSync(zeroed),
        ]) {
          expectFailure(result, 'ZEROED');
        }
        const bytes = new Uint8Array(length);
        bytes[at % length] = 0x20;
        const spaced = await readFileValidated(file('one-space.bin', bytes));
        expect(spaced.ok || spaced.error.code).toBe(true);
      }),
      { seed: 20261205, numRuns: 40 },
    );
  });

  it('IO for any other system error, keeping errno and syscall', async () => {
    const underAFile = join(file('plain.json', '{}'), 'child.json');
    const result = await readFileValidated(underAFile);
    expectFailure(result, 'IO');
    expect(result.ok || result.error).toMatchObject({
      systemCode: 'ENOTDIR',
      errno: expect.any(Number),
      syscall: 'open',
    });
    expectFailure(readFileValidatedSync(underAFile), 'IO');
  });

  it('INVALID with a zod schema, keeping the issues; ok with the parsed output', async () => {
    const bad = await readJsonValidated(file('bad.json', '{"name":"x","retries":1.5}'), Config);
    expectFailure(bad, 'INVALID');
    expect(bad.ok || bad.error.issues[0]).toMatchObject({ path: ['retries'] });
    expect(bad.ok || bad.error.message).toMatch(/retries: /);
    const good = await readJsonValidated(goodConfig(), Config);
    expect(good).toEqual({ ok: true, value: { name: 'x', retries: 2 } });
    if (good.ok) expect(good.value.retries satisfies number).toBe(2);
  });

  it('INVALID with a valibot schema; ok with the parsed output', async () => {
    expectFailure(await readJsonValidated(file('bad-v.json', '{"name":3,"retries":1}'), ConfigV), 'INVALID');
    expect(readJsonValidatedSync(goodConfig(), ConfigV)).toEqual({ ok: true, value: { name: 'x', retries: 2 } });
  });

  it('predicates: a type guard narrows, false is INVALID, a throw is INVALID too', async () => {
    const isList = (value: unknown): value is unknown[] => Array.isArray(value);
    const ok = await readFileValidated(file('list.json', '[1]'), { parse: JSON.parse, validate: isList });
    expect(ok).toEqual({ ok: true, value: [1] });
    expectFailure(await readFileValidated(goodConfig(), { parse: JSON.parse, validate: isList }), 'INVALID');
    const throwing = () => {
      throw new Error('boom');
    };
    expectFailure(await readFileValidated(goodConfig(), { parse: JSON.parse, validate: throwing }), 'INVALID');
  });

  it('an async Standard Schema works with the async reader; the sync reader refuses it', async () => {
    const asyncSchema: StandardSchemaV1<unknown, string> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) => (typeof value === 'string' ? { value } : { issues: [{ message: 'not a string' }] }),
      },
    };
    expect(await readJsonValidated(file('str.json', '"s"'), asyncSchema)).toEqual({ ok: true, value: 's' });
    expectFailure(await readJsonValidated(goodConfig(), asyncSchema), 'INVALID');
    expect(() => readJsonValidatedSync(file('str.json'), asyncSchema)).toThrow(TypeError);
  });

  it('returns a Buffer without encoding or parse, a string with an encoding, and strips a BOM before parse', async () => {
    const bytes = await readFileValidated(file('raw', 'abc'));
    expect(bytes.ok && Buffer.isBuffer(bytes.value)).toBe(true);
    expect(await readFileValidated(file('raw'), { encoding: 'latin1' })).toEqual({ ok: true, value: 'abc' });
    expect(await readJsonValidated(file('bom.json', '\ufeff{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('every prefix of a valid JSON document loads as UNPARSABLE, EMPTY or a value, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.nat(), fc.boolean(), async (value, cut, sync) => {
        const text = JSON.stringify(value, null, 1);
        const prefix = text.slice(0, cut % (text.length + 1));
        const path = file('prefix.json', prefix);
        const result = sync ? readJsonValidatedSync(path) : await readJsonValidated(path);
        if (result.ok) expect(result.value).toEqual(JSON.parse(prefix));
        else expect(['UNPARSABLE', 'EMPTY']).toContain(result.error.code);
      }),
      { numRuns: 300 },
    );
  });
});
