// Overhead of the tracer: `npm run bench:trace` (builds dist/ first). Traced and untraced runs of
// the same workload alternate, in a freshly shuffled order each round, so that drift in the disk's
// speed and in the other tenants' load falls on both alike; ratios are medians, traced/untraced.
//   1. The loop: 10,000 small replaces (open, write, fsync, close, rename), on this checkout's disk,
//      in rounds of BENCH_DISK_ITERATIONS (default 1,000) × BENCH_DISK_ROUNDS (default 10).
//   2. The same loop on tmpfs, where fsync is free: the tracer's CPU cost with nothing to hide it
//      (BENCH_TMPFS_ITERATIONS default 10,000, BENCH_TMPFS_ROUNDS default 10).
//   3. A representative part of this project's own test suite under vitest, through
//      `durable-write trace` (BENCH_SUITE_ROUNDS default 3).
// A workload whose rounds are set to 0 is skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const register = join(root, 'dist/src/trace/register.js');
const cli = join(root, 'dist/codemods/cli.js');
const loop = join(root, 'scripts/trace-loop.mjs');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const suiteFiles = ['test/rules', 'test/durable/write.test.ts', 'test/durable/read.test.ts'];

const shuffle = (items) => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs `candidates` (name → () => { wall ms, cpu µs per iteration? }) interleaved for `rounds`
 * and prints the ratio of the median wall times.
 */
function compare(title, rounds, candidates) {
  if (rounds <= 0) return Number.NaN;
  const runs = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const name of shuffle(Object.keys(candidates))) runs[name].push(candidates[name]());
  }
  const wall = (name) => median(runs[name].map((run) => run.wall));
  const ratio = wall('traced') / wall('untraced');
  let line = `${title}: untraced ${wall('untraced').toFixed(0)} ms, traced ${wall('traced').toFixed(0)} ms (medians of ${rounds}) → ${ratio.toFixed(3)}×`;
  if (runs.traced[0]?.cpuPerIteration !== undefined) {
    const cpu = (name) => median(runs[name].map((run) => run.cpuPerIteration));
    line += `; CPU per iteration ${cpu('untraced').toFixed(1)} → ${cpu('traced').toFixed(1)} µs`;
  }
  console.log(line);
  return ratio;
}

const loopRun = (dir, iterations, traced) => () =>
  JSON.parse(
    execFileSync(process.execPath, [...(traced ? [`--require=${register}`] : []), loop, dir, String(iterations)], {
      encoding: 'utf8',
      env: { ...process.env, DURABLE_WRITE_TRACE: traced ? '1' : '0' },
    }),
  );

const suiteRun = (traced) => () => {
  const vitest = [process.execPath, join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...suiteFiles];
  const command = traced
    ? [
        cli,
        'trace',
        '--no-fail',
        '--output',
        join(os.tmpdir(), `bench-trace-suite-${process.pid}.txt`),
        '--',
        ...vitest,
      ]
    : vitest.slice(1);
  const start = process.hrtime.bigint();
  // The text report goes to stderr after every traced run: kept out of the bench's output.
  execFileSync(process.execPath, command, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  return { wall: Number(process.hrtime.bigint() - start) / 1e6 };
};

const scratch = join(root, '.scratch/bench-trace');
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });
const results = {};
const diskIterations = env('BENCH_DISK_ITERATIONS', 1000);
const diskRounds = env('BENCH_DISK_ROUNDS', 10);
results.disk = compare(`loop on disk, ${diskIterations} × ${diskRounds} write→fsync→rename`, diskRounds, {
  untraced: loopRun(join(scratch, 'untraced'), diskIterations, false),
  traced: loopRun(join(scratch, 'traced'), diskIterations, true),
});
if (fs.existsSync('/dev/shm')) {
  const shm = fs.mkdtempSync('/dev/shm/bench-trace-');
  try {
    const iterations = env('BENCH_TMPFS_ITERATIONS', 10000);
    results.tmpfs = compare(
      `loop on tmpfs (fsync free), ${iterations} write→fsync→rename`,
      env('BENCH_TMPFS_ROUNDS', 10),
      {
        untraced: loopRun(join(shm, 'untraced'), iterations, false),
        traced: loopRun(join(shm, 'traced'), iterations, true),
      },
    );
  } finally {
    fs.rmSync(shm, { recursive: true, force: true });
  }
}
results.suite = compare(`test suite (${suiteFiles.join(' ')}), wall time`, env('BENCH_SUITE_ROUNDS', 3), {
  untraced: suiteRun(false),
  traced: suiteRun(true),
});
fs.rmSync(scratch, { recursive: true, force: true });
const target = 1.15;
if (!Number.isNaN(results.disk)) {
  console.log(
    `target on the loop: ≤ ${target}× → ${results.disk <= target ? 'met' : 'NOT met'} (${results.disk.toFixed(3)}×)`,
  );
}
