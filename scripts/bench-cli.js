// `npm run bench:cli`: `durable-write check --concurrency auto` against a serial run over the same
// 5,000+ real files, measured side by side (interleaved rounds) in one run. The files are the
// lint corpus (scripts/lib/corpus.js) copied out of node_modules into a scratch project, since
// `check`, like any project tool, skips node_modules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCorpus, listSourceFiles, root } from './lib/corpus.js';

const cli = path.join(root, 'dist', 'codemods', 'cli.js');
const rounds = Number(process.env.ROUNDS ?? 3);
const corpus = path.join(ensureCorpus(), 'node_modules');
const project = path.join(root, '.scratch', 'bench-cli');
fs.rmSync(project, { recursive: true, force: true });
const files = listSourceFiles([corpus]);
for (const file of files) {
  const target = path.join(
    project,
    path
      .relative(corpus, file)
      .split(path.sep)
      .filter((part) => part !== 'node_modules')
      .join(path.sep),
  );
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}
// The root's own node_modules resolves the TypeScript parser, as a project's would.
fs.symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'));
fs.writeFileSync(path.join(project, '.gitignore'), 'node_modules\n');
spawnSync('git', ['init', '-q'], { cwd: project });

// The CPU time of the whole process, worker threads included, printed as it exits: on a shared
// machine wall time measures the neighbours too; CPU time shows what the threads cost.
const cpuProbe = path.join(root, '.scratch', 'bench-cli-cpu.cjs');
fs.writeFileSync(
  cpuProbe,
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\ncpu-seconds ${(u.user + u.system) / 1e6}\\n`); });\n",
);

function check(concurrency) {
  const started = performance.now();
  const args = ['--require', cpuProbe, cli, 'check', '--format', 'json', '--concurrency', concurrency];
  const result = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`check --concurrency ${concurrency} exited ${result.status}: ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  const findings = report.findings.map((f) => `${f.file}:${f.line}:${f.column}`).join('\n');
  const cpu = Number(/cpu-seconds ([\d.]+)/.exec(result.stderr)?.[1]);
  return { seconds, cpu, files: report.files, parsed: report.parsed, findings, count: report.findings.length };
}

const modes = ['off', 'auto', '2'];
const times = Object.fromEntries(modes.map((m) => [m, []]));
const cpu = Object.fromEntries(modes.map((m) => [m, []]));
let reference;
for (let round = 0; round < rounds; round++) {
  for (const mode of round % 2 ? [...modes].reverse() : modes) {
    const run = check(mode);
    reference ??= run;
    if (run.findings !== reference.findings)
      throw new Error(`--concurrency ${mode} found different sites than --concurrency ${modes[0]}`);
    times[mode].push(run.seconds);
    cpu[mode].push(run.cpu);
  }
}
// Best of the rounds: on a shared machine the slower rounds measure the neighbours.
const best = (xs) => Math.min(...xs);
console.log(
  `durable-write check over ${reference.files} real files (${reference.parsed} may have a finding and are parsed), ${reference.count} findings; ` +
    `${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(1)}, ${rounds} interleaved rounds`,
);
for (const mode of modes) {
  console.log(
    `  --concurrency ${mode.padEnd(4)}  wall best ${best(times[mode]).toFixed(2)} s (${times[mode].map((t) => t.toFixed(2)).join(', ')}), CPU best ${best(cpu[mode]).toFixed(2)} s`,
  );
}
console.log(
  `ratio serial / auto: ${(best(times.off) / best(times.auto)).toFixed(2)}x; serial / 2 threads: ${(best(times.off) / best(times['2'])).toFixed(2)}x (same findings in every mode)`,
);
