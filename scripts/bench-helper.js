// Benchmarks durable writes on the real disk: `npm run bench:helper` (builds dist/ first).
// Every iteration runs each candidate once, in a freshly shuffled order, so drift in the disk's
// speed (writeback, journal commits, other tenants) spreads over all candidates alike.
// Env: BENCH_ITERATIONS (default 1500 for 4 KiB; a quarter of it for 1 MiB), BENCH_GROUP_ROUNDS (default 30).
// A 3 % target needs that many: at 300 iterations the 4 KiB ratio moved by ±5 % from run to run here.
import fs from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { writeFile as atomicallyWriteFile } from 'atomically';
import { Writer as StenoWriter } from 'steno';
import writeFileAtomic from 'write-file-atomic';
import { writeFileDurable, writeFilesDurable } from '../dist/src/durable/index.js';

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;
const benchDir = resolve(import.meta.dirname, '../.scratch/bench');
const iterations = Number(process.env.BENCH_ITERATIONS ?? 1500);
const groupRounds = Number(process.env.BENCH_GROUP_ROUNDS ?? 30);

await rm(benchDir, { recursive: true, force: true });
await mkdir(benchDir, { recursive: true });
const { type } = fs.statfsSync(benchDir);
if (type === TMPFS_MAGIC || type === RAMFS_MAGIC) {
  console.error(
    `${benchDir} is on tmpfs/ramfs, where fsync is free; run the benchmark from a checkout on a real disk.`,
  );
  process.exit(1);
}

// The floor: the minimum syscall sequence of a durable replace, hand-written on the callback API
// (the cheapest Node fs API), one step after the other.
const open = promisify(fs.open);
const write = promisify(fs.write);
const fsync = promisify(fs.fsync);
const close = promisify(fs.close);
async function floorWrite(file, data) {
  const temp = `${file}.floor-tmp`;
  const fd = await open(temp, 'w');
  await write(fd, data, 0, data.byteLength, null);
  await fsync(fd);
  await close(fd);
  await rename(temp, file);
  const dirFd = await open(benchDir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  await fsync(dirFd);
  await close(dirFd);
}

const stenoWriters = new Map();
const candidates = {
  naive: async (file, data) => {
    await writeFile(`${file}.naive-tmp`, data);
    await rename(`${file}.naive-tmp`, file);
  },
  floor: floorWrite,
  helper: (file, data) => writeFileDurable(file, data),
  'write-file-atomic': (file, data) => writeFileAtomic(file, data),
  atomically: (file, data) => atomicallyWriteFile(file, data),
  steno: (file, data) => {
    if (!stenoWriters.has(file)) stenoWriters.set(file, new StenoWriter(file));
    return stenoWriters.get(file).write(data.toString('latin1'));
  },
};

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(latenciesMs) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const total = latenciesMs.reduce((sum, ms) => sum + ms, 0);
  return { opsPerSec: (latenciesMs.length * 1000) / total, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function runInterleaved(runners, rounds, warmup) {
  const names = Object.keys(runners);
  const latencies = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round += 1) {
    for (const name of shuffle([...names])) {
      const start = process.hrtime.bigint();
      await runners[name]();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (round >= warmup) latencies[name].push(ms);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(latencies[name])]));
}

// Both ratios are printed: ops/s (all samples, what a sustained writer gets) and the median one,
// which a few journal-commit stalls of 100+ ms landing on one candidate cannot skew.
function printTable(title, results, baseline, unit = 'ops/s') {
  console.log(`\n${title}`);
  console.log(
    `${'candidate'.padEnd(24)} ${unit.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'ops/s ratio'.padStart(12)} ${'p50 ratio'.padStart(10)}`,
  );
  for (const [name, { opsPerSec, p50, p99 }] of Object.entries(results)) {
    const ratio = opsPerSec / results[baseline].opsPerSec;
    const medianRatio = results[baseline].p50 / p50;
    console.log(
      `${name.padEnd(24)} ${opsPerSec.toFixed(1).padStart(10)} ${p50.toFixed(3).padStart(9)} ${p99.toFixed(3).padStart(9)} ${ratio.toFixed(3).padStart(12)} ${medianRatio.toFixed(3).padStart(10)}`,
    );
  }
  console.log(`(ratios are to ${baseline}; higher is faster)`);
}

function verdict(label, results, candidate, baseline, target) {
  const ratio = results[candidate].opsPerSec / results[baseline].opsPerSec;
  const medianRatio = results[baseline].p50 / results[candidate].p50;
  const mark = (value) => (value >= target ? 'PASS' : 'MISS');
  console.log(
    `${label} (target >= ${target}): ops/s ${ratio.toFixed(3)} ${mark(ratio)}, p50 ${medianRatio.toFixed(3)} ${mark(medianRatio)}`,
  );
}

console.log(`node ${process.version}, ${benchDir} (statfs type 0x${type.toString(16)}), ${iterations} iterations`);
for (const [label, size, rounds] of [
  ['4 KiB', 4096, iterations],
  ['1 MiB', 1024 * 1024, Math.max(20, Math.floor(iterations / 4))],
]) {
  const data = Buffer.alloc(size, 'durable ');
  const runners = Object.fromEntries(
    Object.entries(candidates).map(([name, run]) => [name, () => run(join(benchDir, `${name}-${size}`), data)]),
  );
  const results = await runInterleaved(runners, rounds, 5);
  printTable(`${label} payload, ${rounds} interleaved iterations`, results, 'floor');
  verdict(`${label} helper / floor`, results, 'helper', 'floor', 0.97);
  verdict(`${label} helper / write-file-atomic`, results, 'helper', 'write-file-atomic', 1.0);
}

// Group commit: 100 files into one directory, one call, against 100 sequential helper calls.
const groupDir = join(benchDir, 'group');
await mkdir(groupDir, { recursive: true });
const fileCount = 100;
const groupData = Buffer.alloc(4096, 'group ');
const groupResults = await runInterleaved(
  {
    'writeFilesDurable x100': () =>
      writeFilesDurable(
        Array.from({ length: fileCount }, (_, i) => ({ file: join(groupDir, `g${i}`), data: groupData })),
      ),
    'sequential helper x100': async () => {
      for (let i = 0; i < fileCount; i += 1) await writeFileDurable(join(groupDir, `s${i}`), groupData);
    },
  },
  groupRounds,
  1,
);
printTable(
  `group commit, 100 x 4 KiB into one directory, ${groupRounds} rounds (one op = 100 files)`,
  groupResults,
  'sequential helper x100',
);
verdict('group commit / sequential', groupResults, 'writeFilesDurable x100', 'sequential helper x100', 2.0);
await rm(benchDir, { recursive: true, force: true });
