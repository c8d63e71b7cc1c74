/**
 * Paths are resolved by the kernel, not as text: `fs.writeFile` (and `fs.readFile`) on real symlinked
 * layouts is the oracle. Each case builds the same layout twice, lets `fs` write through one and a
 * writer of ours through the other, and compares the two trees byte for byte (names, contents, link
 * targets): the same file written with the same bytes, links kept, nothing else created.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileValidated, readFileValidatedSync, writeFilesDurable } from '../../src/durable/index.js';
import { loadFlavours } from './support/flavours.js';
import type { WriterPair } from './support/flavours.js';

const root = fs.mkdtempSync(join(tmpdir(), 'durable-kernel-paths-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

const LATIN1_NAME = Buffer.from('caf\xe9.json', 'latin1');
const OTHER_LATIN1_NAME = Buffer.from('caf\xe8.json', 'latin1');

/**
 * T/real/deep/link -> ../target, T/sub -> real/deep: `sub/link` is real/target for the kernel and
 * T/target for a textual resolve. Decoys sit where textual resolution would land.
 */
function buildLayout(): string {
  const dir = join(root, `layout-${counter++}`);
  const at = (rel: string | Buffer) =>
    typeof rel === 'string' ? `${dir}/${rel}` : Buffer.concat([Buffer.from(`${dir}/`), rel]);
  fs.mkdirSync(at('real/deep'), { recursive: true });
  fs.writeFileSync(at('real/target'), 'old target');
  fs.writeFileSync(at('real/x'), 'old real x');
  fs.writeFileSync(at('target'), 'decoy target');
  fs.writeFileSync(at('x'), 'decoy x');
  fs.symlinkSync('real/deep', at('sub'));
  fs.symlinkSync('../target', at('real/deep/link'));
  fs.symlinkSync('../made', at('real/deep/dangling'));
  fs.symlinkSync(`${dir}/real/target`, at('absolute'));
  fs.symlinkSync('real/target', at('relative'));
  fs.symlinkSync('sub/link', at('chain'));
  fs.symlinkSync('loop-b', at('loop-a'));
  fs.symlinkSync('loop-a', at('loop-b'));
  fs.writeFileSync(at(LATIN1_NAME), 'old latin1');
  fs.writeFileSync(at(OTHER_LATIN1_NAME), 'old other latin1');
  fs.symlinkSync(LATIN1_NAME, at(Buffer.from('to-latin1')));
  return dir;
}

type Snapshot = Record<string, string>;

/** Every entry under `dir` by its name's bytes: a file's bytes, a link's target, or "dir". */
function snapshot(dir: string): Snapshot {
  const result: Snapshot = {};
  const walk = (path: Buffer, rel: string) => {
    for (const name of fs.readdirSync(path, { encoding: 'buffer' })) {
      const child = Buffer.concat([path, Buffer.from('/'), name]);
      const key = `${rel}${name.toString('latin1')}`;
      const stats = fs.lstatSync(child);
      if (stats.isSymbolicLink())
        result[key] = `link -> ${fs.readlinkSync(child, { encoding: 'buffer' }).toString('latin1')}`;
      else if (stats.isDirectory()) {
        result[key] = 'dir';
        walk(child, `${key}/`);
      } else result[key] = `file ${fs.readFileSync(child).toString('latin1')}`;
    }
  };
  walk(Buffer.from(dir), '');
  return result;
}

type PathForm = 'string' | 'Buffer' | 'URL';
type AnyPath = string | Buffer | URL;

/** `rel` under `dir` as the caller spells it; never through path.join, which would fold `..`. */
function spell(dir: string, rel: string | Buffer, form: PathForm): AnyPath {
  const bytes = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(rel)]);
  if (form === 'Buffer') return bytes;
  if (form === 'URL') return pathToFileURL(bytes.toString());
  return bytes.toString();
}

const CASES: ReadonlyArray<readonly [string, string | Buffer, readonly PathForm[]]> = [
  ['a relative link inside a linked directory', 'sub/link', ['string', 'Buffer', 'URL']],
  ['.. after a linked directory', 'sub/../x', ['string', 'Buffer']],
  ['an absolute link', 'absolute', ['string', 'Buffer', 'URL']],
  ['a relative link', 'relative', ['string', 'Buffer']],
  ['a link to a link in a linked directory', 'chain', ['string', 'Buffer']],
  ['a dangling link inside a linked directory', 'sub/dangling', ['string', 'Buffer']],
  ['a new file in a linked directory', 'sub/new', ['string', 'Buffer', 'URL']],
  ['a name that is not UTF-8', LATIN1_NAME, ['Buffer']],
  ['a link to a name that is not UTF-8', 'to-latin1', ['string', 'Buffer']],
];

const DATA = Buffer.from([0x6e, 0x65, 0x77, 0x20, 0xe9, 0x00, 0xff]);

type Write = (file: AnyPath, data: Buffer) => unknown;

/** Runs `write` and `fs.writeFile` on twin layouts; both trees must end up identical, or both fail alike. */
async function expectSameAsFs(write: Write, rel: string | Buffer, form: PathForm): Promise<void> {
  const expected = buildLayout();
  const actual = buildLayout();
  const fsError = await fs.promises.writeFile(spell(expected, rel, form), DATA).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code,
  );
  const ourError = await Promise.resolve()
    .then(() => write(spell(actual, rel, form), DATA))
    .then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code,
    );
  expect(ourError).toBe(fsError);
  const rename = (tree: Snapshot, from: string) => JSON.stringify(tree).replaceAll(from, '<T>');
  expect(rename(snapshot(actual), actual)).toBe(rename(snapshot(expected), expected));
}

let flavours: ReadonlyArray<readonly [string, WriterPair]> = [];
beforeAll(async () => {
  flavours = await loadFlavours();
});

describe('writers resolve paths as fs.writeFile does', () => {
  for (const [label, rel, forms] of CASES) {
    for (const form of forms) {
      it(`${label} (${form} path): every writer of every copy`, async () => {
        for (const [name, copy] of flavours) {
          const writers: ReadonlyArray<readonly [string, Write]> = [
            ['async', (file, data) => copy.writeFileDurable(file, data)],
            ['sync', (file, data) => copy.writeFileDurableSync(file, data)],
          ];
          for (const [kind, write] of writers) {
            await expect(expectSameAsFs(write, rel, form), `${name} ${kind}`).resolves.toBeUndefined();
          }
        }
        await expectSameAsFs((file, data) => writeFilesDurable([{ file, data }]), rel, form);
      });
    }
  }

  it('relative paths, from the working directory: every writer of every copy and the loaders', async () => {
    const cwd = process.cwd();
    try {
      for (const rel of ['sub/link', 'sub/../x', 'chain', 'sub/dangling']) {
        const twins = [buildLayout(), buildLayout()];
        const inDir = async (dir: string, action: () => unknown) => {
          process.chdir(dir);
          return Promise.resolve().then(action);
        };
        await inDir(twins[0]!, () => fs.promises.writeFile(rel, DATA));
        let index = 0;
        for (const [, copy] of flavours) {
          // One layout per writer would be many; each writer writes its own bytes in turn instead.
          await inDir(twins[1]!, () => copy.writeFileDurable(rel, DATA.subarray(0, ++index)));
          await inDir(twins[1]!, () => copy.writeFileDurableSync(rel, DATA.subarray(0, ++index)));
        }
        await inDir(twins[1]!, () => writeFilesDurable([{ file: rel, data: DATA }]));
        process.chdir(twins[1]!);
        expect(readFileValidatedSync(rel)).toEqual({ ok: true, value: DATA });
        expect(await readFileValidated(rel)).toEqual({ ok: true, value: DATA });
        const rename = (tree: Snapshot, from: string) => JSON.stringify(tree).replaceAll(from, '<T>');
        expect(rename(snapshot(twins[1]!), twins[1]!), rel).toBe(rename(snapshot(twins[0]!), twins[0]!));
      }
    } finally {
      process.chdir(cwd);
    }
  });

  it('a symlink loop fails with ELOOP, as fs.writeFile does, and creates nothing', async () => {
    for (const [, copy] of flavours) {
      await expectSameAsFs((file, data) => copy.writeFileDurable(file, data), 'loop-a', 'string');
      await expectSameAsFs((file, data) => copy.writeFileDurableSync(file, data), 'loop-a', 'string');
    }
    await expectSameAsFs((file, data) => writeFilesDurable([{ file, data }]), 'loop-a', 'string');
  });

  it('two names that are not UTF-8 stay two files, and the temp name keeps their bytes', async () => {
    const dir = buildLayout();
    const temps: Array<string | Buffer> = [];
    for (const [, copy] of flavours) {
      await copy.writeFileDurable(spell(dir, LATIN1_NAME, 'Buffer'), 'first', {
        tmpfileCreated: (temp) => void temps.push(temp),
      });
      copy.writeFileDurableSync(spell(dir, OTHER_LATIN1_NAME, 'Buffer'), 'second', {
        tmpfileCreated: (temp) => void temps.push(temp),
      });
    }
    expect(fs.readFileSync(spell(dir, LATIN1_NAME, 'Buffer'), 'utf8')).toBe('first');
    expect(fs.readFileSync(spell(dir, OTHER_LATIN1_NAME, 'Buffer'), 'utf8')).toBe('second');
    expect(fs.existsSync(`${dir}/caf\uFFFD.json`)).toBe(false);
    expect(temps).toHaveLength(flavours.length * 2);
    for (const temp of temps) {
      expect(Buffer.isBuffer(temp)).toBe(true);
      const name = (temp as Buffer).subarray(Buffer.byteLength(`${dir}/`));
      expect(
        [LATIN1_NAME, OTHER_LATIN1_NAME].some((target) => name.subarray(1, 1 + target.length).equals(target)),
      ).toBe(true);
    }
  });
});

describe('loaders resolve paths as fs.readFile does', () => {
  for (const [label, rel, forms] of CASES) {
    for (const form of forms) {
      it(`${label} (${form} path)`, async () => {
        const dir = buildLayout();
        const path = spell(dir, rel, form);
        const expected = await fs.promises.readFile(path).then(
          (bytes) => bytes.toString('latin1'),
          (error: NodeJS.ErrnoException) => error.code,
        );
        const fromResult = (result: Awaited<ReturnType<typeof readFileValidated>>) =>
          result.ok ? (result.value as Buffer).toString('latin1') : result.error.systemCode;
        expect(fromResult(await readFileValidated(path))).toBe(expected);
        expect(fromResult(readFileValidatedSync(path))).toBe(expected);
      });
    }
  }
});
