/**
 * Fixes inside promise callbacks, as the project runs and lints them. cacache 19 moves its content
 * file into place with @npmcli/fs's `moveFile` (a rename the rule options name) inside
 * `.then(async () => …)`, and lints with eslint-plugin-promise's recommended rules: the fix must
 * fsync the directory after the move, and every `.then` callback it writes or edits must still
 * return a value or throw on each path (`promise/always-return`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';
import { compareRuns, runProgram } from '../../scripts/lib/execution-oracle.js';
import { straceUnavailableReason } from '../durable/crash/strace-trace.js';
import { createFixOracle } from './fix-oracle.js';

// eslint-plugin-promise ships no types.
const promise = createRequire(import.meta.url)('eslint-plugin-promise') as {
  configs: Record<string, Linter.Config>;
};

const { scratch, durabilityEvents } = createFixOracle('promise-callbacks');
afterAll(() => scratch.dispose());

const moveFile = `'use strict';
const fs = require('fs/promises');

// @npmcli/fs's moveFile, reduced: a rename that refuses an existing destination unless told to overwrite.
exports.moveFile = async (source, destination, { overwrite = true } = {}) => {
  if (!overwrite && (await fs.access(destination).then(() => true, () => false))) {
    throw new Error('The destination file exists: ' + destination);
  }
  await fs.rename(source, destination);
};
`;
const beside = { 'move-file.cjs': moveFile };
const ruleOptions = { renameFunctions: [{ source: './move-file.cjs', name: 'moveFile' }] };

const cacache = `'use strict';
const fs = require('fs/promises');
const path = require('path');
const { moveFile } = require('./move-file.cjs');

const moveOperations = new Map();

async function moveToDestination(tmp, destination) {
  if (moveOperations.has(destination)) {
    return moveOperations.get(destination);
  }
  moveOperations.set(
    destination,
    fs
      .mkdir(path.dirname(destination), { recursive: true })
      .then(async () => {
        await moveFile(tmp.target, destination, { overwrite: false });
        tmp.moved = true;
        return tmp.moved;
      })
      .catch((err) => {
        if (!err.message.startsWith('The destination file exists')) {
          throw Object.assign(err, { code: 'EEXIST' });
        }
      })
      .finally(() => {
        moveOperations.delete(destination);
      }),
  );
  return moveOperations.get(destination);
}

async function put(cache, key, data) {
  const tmp = { target: path.join(cache, 'tmp', key), moved: false };
  await fs.mkdir(path.dirname(tmp.target), { recursive: true });
  await fs.writeFile(tmp.target, data);
  const moved = await moveToDestination(tmp, path.join(cache, 'content', key));
  return [moved, tmp.moved];
}

(async () => {
  const first = await put('cache', 'a', 'A');
  const second = await put('cache', 'a', 'again');
  console.log(first, second, require('fs').readFileSync('cache/content/a', 'utf8'));
})().catch((err) => console.log('failed', err.code));
`;

// fs-jetpack's async shape: the wrapper returns the rename's promise from a .then handler.
const returned = `import fs from 'node:fs';

const writeText = (path, data) => fs.promises.writeFile(path, data);

export function writeAtomic(path, data) {
  return writeText(path + '.new', data).then(() => {
    return fs.promises.rename(path + '.new', path);
  });
}
`;

/** What eslint-plugin-promise's recommended rules say of `text`, as `rule line:column`. */
function promiseProblems(text: string, sourceType: 'module' | 'commonjs'): string[] {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [{ ...promise.configs['flat/recommended'], languageOptions: { sourceType } }];
  return linter.verify(text, config, 'file.js').map((m) => `${m.ruleId ?? 'fatal'} ${m.line}:${m.column}`);
}

/**
 * The code of `text` that never ran, as V8's block coverage (what c8 and tap report) saw it, one
 * trimmed snippet per range: a coverage gate of 100 % fails on any new one.
 */
function unrunCode(text: string, beside: Record<string, string>): string[] {
  const dir = scratch.packageDir('cjs');
  for (const [name, content] of Object.entries(beside)) writeFileSync(join(dir, name), content);
  const program = join(dir, 'program.cjs');
  writeFileSync(program, text);
  const coverage = mkdtempSync(join(dir, 'coverage-'));
  execFileSync(process.execPath, [program], {
    cwd: join(dir, 'data'),
    env: { ...process.env, NODE_V8_COVERAGE: coverage },
  });
  type Range = { startOffset: number; endOffset: number; count: number };
  const url = pathToFileURL(program).href;
  const ranges = readdirSync(coverage).flatMap((file) =>
    (
      JSON.parse(readFileSync(join(coverage, file), 'utf8')) as {
        result: { url: string; functions: { ranges: Range[] }[] }[];
      }
    ).result
      .filter((script) => script.url === url)
      .flatMap((script) => script.functions.flatMap((f) => f.ranges)),
  );
  return ranges
    .filter((r) => r.count === 0)
    .map((r) => text.slice(r.startOffset, r.endOffset).trim())
    .filter(Boolean)
    .sort();
}

describe('a move through a function the options name as a rename (cacache: moveFile in .then(async () => …))', () => {
  const fixed = rewriteSource(cacache, join(scratch.packageDir('cjs'), 'program.cjs'), { ruleOptions });

  it('the temp is fsynced before the move and its directory after it; the program behaves as before', () => {
    expect(fixed.status).toBe('rewritten');
    const before = runProgram(scratch, { text: cacache, lang: 'cjs', beside });
    const after = runProgram(scratch, { text: fixed.output as string, lang: 'cjs', beside });
    expect(before.stdout).toBe('[ true, true ] [ undefined, false ] A\n');
    expect(compareRuns(before, after)).toEqual([]);
    if (straceUnavailableReason()) return;
    expect(durabilityEvents(fixed.output as string, 'cjs', beside)).toEqual([
      'fsync cache/tmp/a',
      'rename cache/tmp/a → cache/content/a',
      'fsync cache/content',
      // The second put: its temp is fsynced, and moveFile refuses the existing destination.
      'fsync cache/tmp/a',
    ]);
  });

  it("passes eslint-plugin-promise's recommended rules, as the original does", () => {
    expect(promiseProblems(cacache, 'commonjs')).toEqual([]);
    expect(promiseProblems(fixed.output as string, 'commonjs')).toEqual([]);
  });

  it('adds no code that runs only when an fsync fails (cacache checks 100 % coverage): FileHandles closed by their promise', () => {
    const output = fixed.output as string;
    expect(output).toContain("const handle = await fs.open(tmp.target, 'r+');");
    expect(output).toContain('await handle.sync().finally(() => handle.close());');
    expect(output).toContain('await dirHandle.sync().finally(() => dirHandle.close());');
    expect(unrunCode(output, beside)).toEqual(unrunCode(cacache, beside));
  });

  it("where istanbul gates the tests (cacache: tap 16), the Windows guard's else is marked as cacache marks its own", () => {
    const dir = scratch.packageDir('cjs');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cacache', devDependencies: { tap: '^16.0.0' } }));
    const gated = rewriteSource(cacache, join(dir, 'program.cjs'), { ruleOptions }).output as string;
    expect(gated).toContain(`        /* istanbul ignore else */
        if (process.platform !== 'win32') {`);
    expect(fixed.output).not.toContain('istanbul');
    expect(
      compareRuns(
        runProgram(scratch, { text: cacache, lang: 'cjs', beside }),
        runProgram(scratch, { text: gated, lang: 'cjs', beside }),
      ),
    ).toEqual([]);
    expect(promiseProblems(gated, 'commonjs')).toEqual([]);
  });
});

describe('a rename whose promise a .then handler returns', () => {
  it('gets the directory fsync chained after that .then, not nested in it: every callback still returns a value', () => {
    const dir = scratch.packageDir('esm');
    const fixed = rewriteSource(returned, join(dir, 'program.mjs'));
    expect(fixed.status).toBe('rewritten');
    expect(fixed.output).toContain(`    return fs.promises.rename(path + '.new', path);
  }).then(async (renamed) => {`);
    // The sync callback becomes async for a FileHandle closed by its promise: no catch that rethrows.
    expect(fixed.output).toContain(`  return writeText(path + '.new', data).then(async () => {
    {
      const handle = await fs.promises.open(path + '.new', 'r+');
      await handle.sync().finally(() => handle.close());
    }`);
    expect(fixed.output).not.toContain('catch');
    expect(promiseProblems(returned, 'module')).toEqual([]);
    expect(promiseProblems(fixed.output as string, 'module')).toEqual([]);
  });

  // fs-jetpack's writeAtomicAsync: one call a line, a handler after.
  const chain = `import fs from 'node:fs';

const writeText = (path, data) => fs.promises.writeFile(path, data);

export function writeAtomic(path, data) {
  return writeText(path + '.new', data)
    .then(() => {
      return fs.promises.rename(path + '.new', path);
    })
    .catch((err) => {
      console.log('failed', err.code);
      return err.code;
    });
}

console.log(await writeAtomic('a.json', '1'));
fs.mkdirSync('taken');
console.log(await writeAtomic('taken', 'x'));
console.log(fs.readFileSync('a.json', 'utf8'));
`;

  it('in a chain of one call a line, the .then goes on its own line before the handler; the program behaves as before', () => {
    const dir = scratch.packageDir('esm');
    const fixed = rewriteSource(chain, join(dir, 'program.mjs'));
    expect(fixed.status).toBe('rewritten');
    const output = fixed.output as string;
    expect(output).toContain(`      return fs.promises.rename(path + '.new', path);
    })
    .then(async (renamed) => {
      if (process.platform !== 'win32') {`);
    expect(output).toContain(`      return renamed;
    })
    .catch((err) => {`);
    expect(output).toContain('    .then(async () => {');
    expect(output).not.toContain('syncError');
    expect(promiseProblems(output, 'module')).toEqual([]);
    const before = runProgram(scratch, { text: chain, lang: 'esm' });
    const after = runProgram(scratch, { text: output, lang: 'esm' });
    expect(before.stdout).toBe('undefined\nfailed EISDIR\nEISDIR\n1\n');
    expect(compareRuns(before, after)).toEqual([]);
    if (straceUnavailableReason()) return;
    expect(durabilityEvents(output, 'esm')).toEqual([
      'fsync a.json.new',
      'rename a.json.new → a.json',
      'fsync .',
      'fsync taken.new',
    ]);
  });

  it("stays nested where the destination is the callback's own, or a rejection handler would follow the .then", () => {
    const own = `import fs from 'node:fs';

const writeText = (path, data) => fs.promises.writeFile(path, data);

export function save(file, data) {
  return writeText(file + '.new', data).then(() => {
    const target = file;
    return fs.promises.rename(file + '.new', target);
  });
}
`;
    const handled = own.replace('\n  });', '\n  }, (err) => err.code);');
    for (const text of [own, handled]) {
      const fixed = rewriteSource(text, join(scratch.packageDir('esm'), 'program.mjs'));
      expect(fixed.output).toContain("return fs.promises.rename(file + '.new', target).then(async (renamed) => {");
    }
  });
});
