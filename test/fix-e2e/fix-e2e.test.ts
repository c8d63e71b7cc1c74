/**
 * End to end: naive write → rename programs are fixed through ESLint's API (`fix: true`), then the
 * original and the fixed program both run. They must write identical files, and under strace the
 * fixed one must fsync the temp file before the rename and the directory after it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { straceUnavailableReason } from '../durable/crash/strace-trace.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** The built helper (`npm test` builds first): the fixed programs import it by absolute path. */
const helper = fileURLToPath(new URL('../../dist/src/durable/index.js', import.meta.url));
const programs = ['sync-esm.mjs', 'async-esm.mjs', 'sync-cjs.cjs', 'async-cjs.cjs'];

// Installed is not enough: ptrace may be refused (containers), and then every check would fail.
const straceUnavailable = straceUnavailableReason();
const hasStrace = straceUnavailable === undefined;
if (!hasStrace) console.warn(`fix-e2e: skipping the syscall checks: ${straceUnavailable}`);

let work: string;

beforeAll(() => {
  if (!existsSync(helper)) throw new Error(`fix-e2e needs the built helper at ${helper}: run \`npm run build\` first.`);
  work = mkdtempSync(join(tmpdir(), 'durable-fix-e2e-'));
});
afterAll(() => (process.env.KEEP_E2E ? console.log(work) : rmSync(work, { recursive: true, force: true })));

async function fix(program: string): Promise<string> {
  const dir = join(work, 'fixed');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, program);
  copyFileSync(join(fixtures, program), file);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.mjs', '**/*.cjs'],
        plugins: { 'durable-write': plugin },
        rules: { 'durable-write/no-unsynced-rename': ['error', { importSource: helper }] },
      },
    ],
    fix: true,
  });
  const results = await eslint.lintFiles([file]);
  await ESLint.outputFixes(results);
  expect(results[0]?.messages).toEqual([]);
  return file;
}

function run(file: string, traced: boolean): { out: string; trace: string[] } {
  const out = mkdtempSync(join(work, 'out-'));
  const log = join(out, '..', `${out.split('/').pop()}.strace`);
  const env = { ...process.env, UV_USE_IO_URING: '0' };
  const trace = [
    '-f',
    '-y',
    '-o',
    log,
    '-e',
    'trace=openat,write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,close',
  ];
  const result = traced
    ? spawnSync('strace', [...trace, process.execPath, file, out], { env, encoding: 'utf8' })
    : spawnSync(process.execPath, [file, out], { env, encoding: 'utf8' });
  expect(result.stderr.replace(/^.*ExperimentalWarning.*\n(.*--trace-warnings.*\n)?/gm, '')).toBe('');
  expect(result.status).toBe(0);
  return { out, trace: traced ? readFileSync(log, 'utf8').split('\n') : [] };
}

/** fsyncs of paths under `dir` (the directory itself included), and renames onto `target`, in order. */
function durabilityEvents(trace: readonly string[], dir: string, target: string): string[] {
  const events: string[] = [];
  for (const line of trace) {
    const fsync = /\b(?:fsync|fdatasync)\(\d+<([^>]+)>/.exec(line);
    if (fsync?.[1] === dir) events.push('fsync-dir');
    else if (fsync?.[1]?.startsWith(`${dir}/`)) events.push('fsync-file');
    if (/\brename(?:at2?)?\(/.test(line) && line.includes(`"${target}"`)) events.push('rename');
  }
  return events;
}

describe.each(programs)('%s', (program) => {
  it('is fixed to the helper, runs, and writes the same file as the naive program', async () => {
    const fixed = await fix(program);
    const text = readFileSync(fixed, 'utf8');
    expect(text).toMatch(/writeFileDurable(Sync)?\(/);
    expect(text).not.toMatch(/\brename(Sync)?\(/);
    const naive = run(join(fixtures, program), false);
    const durable = run(fixed, false);
    expect(readdirSync(durable.out)).toEqual(['state.json']);
    expect(readdirSync(naive.out)).toEqual(['state.json']);
    expect(readFileSync(join(durable.out, 'state.json'), 'utf8')).toBe(
      readFileSync(join(naive.out, 'state.json'), 'utf8'),
    );
  });

  it.skipIf(!hasStrace)(
    'under strace: the naive one never fsyncs; the fixed one fsyncs the file, renames, fsyncs the directory',
    async () => {
      const fixed = await fix(program);
      const naive = run(join(fixtures, program), true);
      const naiveEvents = durabilityEvents(naive.trace, naive.out, join(naive.out, 'state.json'));
      expect(naiveEvents).toEqual(['rename', 'rename']);

      const durable = run(fixed, true);
      const events = durabilityEvents(durable.trace, durable.out, join(durable.out, 'state.json'));
      // Two saves, each: fsync the temp file, rename it over the target, fsync the directory.
      expect(events).toEqual(['fsync-file', 'rename', 'fsync-dir', 'fsync-file', 'rename', 'fsync-dir']);
    },
  );
});
