// `npm run trace:real-projects`: the tracer on real projects' own test suites, as a user runs it.
// For each project (pinned release, its own test command and runner):
//   1. a copy of the project's source at the release tag, its dependencies installed from the registry;
//   2. its test command untraced, then `durable-write trace --no-fail --format json -- <command>`,
//      alternately, ROUNDS times (default 1), each after the other;
//   3. pass/fail counts both ways (parsed from the runner's own summary), exit codes, the findings
//      (count, culprit package, user line), processes that ended without reporting, and the ratio of
//      the medians of traced to untraced wall time.
// Prints a Markdown table (docs/trace.md keeps the last one) and writes the findings as JSON to
// `.scratch/trace-real-projects/findings[-<names>].json`. Not in CI: it installs ten projects and runs eleven suites.
//
// Sources: the npm tarballs ship no tests, so the script reads the GitHub repository at the release
// tag from a local git mirror: $REAL_PROJECTS_MIRRORS/<owner>+<repo>/repo (default /work/.mirror).
// Everything is cached under .scratch/trace-real-projects (never committed): delete it to start over.
// Only the projects named on the command line run, when any are: node scripts/trace-real-projects.js steno cacache
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { checkoutMirror } from './lib/mirror-checkout.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = path.join(root, '.scratch', 'trace-real-projects');
const mirrors = process.env.REAL_PROJECTS_MIRRORS ?? '/work/.mirror';
const cli = path.join(root, 'dist', 'codemods', 'cli.js');
const rounds = Number(process.env.ROUNDS ?? 1);

/** Summaries of the runners these projects use: passed and failed tests (or asserts, for tap). */
const summaries = {
  'node --test': (out) => ({ pass: last(out, /^# pass (\d+)/gm), fail: last(out, /^# fail (\d+)/gm) }),
  mocha: (out) => ({ pass: last(out, /(\d+) passing/g), fail: last(out, /(\d+) failing/g) ?? 0 }),
  // Raw TAP (tap without a terminal): every assert and subtest, at any depth, is one `ok`/`not ok` line.
  tap: (out) => ({ pass: count(out, /^\s*ok \d+/gm), fail: count(out, /^\s*not ok \d+/gm) }),
  jasmine: (out) => {
    const specs = last(out, /(\d+) specs?, \d+ failures?/g);
    const fail = last(out, /\d+ specs?, (\d+) failures?/g);
    return { pass: specs === undefined ? undefined : specs - (fail ?? 0), fail };
  },
  ava: (out) => ({
    pass: last(out, /^\s*(\d+) tests? passed/gm),
    fail: last(out, /^\s*(\d+) tests? failed/gm) ?? 0,
  }),
  jest: (out) => ({
    pass: last(out, /^Tests:.*?(\d+) passed/gm),
    fail: last(out, /^Tests:.*?(\d+) failed/gm) ?? 0,
  }),
  vitest: (out) => ({
    pass: last(out, /^\s*Tests\s+.*?(\d+) passed/gm),
    fail: last(out, /^\s*Tests\s+(\d+) failed/gm) ?? 0,
  }),
};

const count = (text, pattern) => [...text.matchAll(pattern)].length;

function last(text, pattern) {
  const all = [...text.matchAll(pattern)];
  return all.length === 0 ? undefined : Number(all.at(-1)[1]);
}

const projects = [
  {
    name: 'steno',
    version: '4.0.2',
    mirror: 'typicode+steno',
    tag: 'v4.0.2',
    runner: 'node --test',
    test: ['npm', 'test'],
  },
  {
    name: 'lowdb',
    version: '7.0.1',
    mirror: 'typicode+lowdb',
    tag: 'v7.0.1',
    runner: 'node --test',
    test: ['npm', 'test'],
  },
  // mocha -r ts-node/register: a CommonJS require hook the tracer's preload must not break.
  {
    name: 'fs-jetpack',
    version: '5.1.0',
    mirror: 'szwacz+fs-jetpack',
    tag: '5.1.0',
    runner: 'mocha',
    test: ['npm', 'test'],
  },
  // tap 16 runs each test file in a child process under nyc (spawn-wrap). `npx tap`: npm test's posttest is lint.
  {
    name: 'write-file-atomic',
    version: '7.0.1',
    mirror: 'npm+write-file-atomic',
    tag: 'v7.0.1',
    runner: 'tap',
    test: ['npx', 'tap'],
  },
  { name: 'cacache', version: '21.0.1', mirror: 'npm+cacache', tag: 'v21.0.1', runner: 'tap', test: ['npx', 'tap'] },
  {
    name: 'fs-write-stream-atomic',
    version: '1.0.10',
    mirror: 'npm+fs-write-stream-atomic',
    tag: 'v1.0.10',
    runner: 'tap',
    // npm test is `standard && tap --coverage test/*.js`: the lint step is not the suite.
    test: ['sh', '-c', 'npx tap --coverage test/*.js'],
  },
  // The Node half of its suite (the browser half needs PhantomJS): jasmine under istanbul.
  {
    name: 'lokijs',
    version: '1.5.12',
    mirror: 'techfort+LokiJS',
    tag: 'v1.5.12',
    runner: 'jasmine',
    test: ['npm', 'run', 'test:node'],
  },
  // ava 6 runs each test file in a worker thread (workerThreads defaults to true). `npx ava`: npm test runs xo first.
  {
    name: 'configstore',
    version: '7.1.0',
    mirror: 'sindresorhus+configstore',
    tag: 'v7.1.0',
    runner: 'ava',
    test: ['npx', 'ava'],
  },
  // lowdb 1 (jest 20, babel-jest): its async adapter writes through steno 0.4. npm test lints after.
  // jest runs in band with one worker (2 cores: maxWorkers = 1) or when its cached timings say the
  // tests are fast: two workers and no cache put the files in worker-farm child processes.
  {
    name: 'lowdb-1',
    version: '1.0.0',
    mirror: 'typicode+lowdb',
    tag: 'v1.0.0',
    runner: 'jest',
    test: ['npx', 'jest', '--maxWorkers=2', '--no-cache'],
  },
  // vitest 4's default pool: each test file in a forked child. npm test lints and typechecks first.
  {
    name: 'rc9',
    version: '3.0.1',
    mirror: 'unjs+rc9',
    tag: 'v3.0.1',
    runner: 'vitest',
    test: ['npx', 'vitest', 'run'],
  },
  // The same suite in vitest's worker-thread pool.
  {
    name: 'rc9-threads',
    version: '3.0.1',
    mirror: 'unjs+rc9',
    tag: 'v3.0.1',
    runner: 'vitest',
    test: ['npx', 'vitest', 'run', '--pool=threads'],
  },
];

const run = (cwd, command, args, options = {}) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20, ...options });
const must = (cwd, command, args) => {
  const result = run(cwd, command, args);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} in ${cwd} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
};

/** The project at its tag with its dependencies installed, once. */
function pristine(project) {
  const dir = path.join(cache, `${project.name}-${project.version}`);
  if (fs.existsSync(path.join(dir, 'node_modules'))) return dir;
  checkoutMirror(mirrors, project.mirror, project.tag, dir);
  const lock = fs.existsSync(path.join(dir, 'package-lock.json'));
  must(dir, 'npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']);
  return dir;
}

/** A user's shell: none of this script's npm or test-runner variables. */
function userEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TAP|INIT_CWD$)/i.test(key)) env[key] = value;
  return env;
}

function timed(dir, command, args) {
  const start = process.hrtime.bigint();
  const result = run(dir, command, args, { env: userEnv() });
  return { ...result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function traceProject(project) {
  const dir = pristine(project);
  const output = path.join(cache, `${project.name}.trace.json`);
  const untracedMs = [];
  const tracedMs = [];
  let untraced;
  let traced;
  for (let round = 0; round < rounds; round += 1) {
    untraced = timed(dir, project.test[0], project.test.slice(1));
    untracedMs.push(untraced.ms);
    traced = timed(dir, process.execPath, [
      cli,
      'trace',
      '--no-fail',
      '--format',
      'json',
      '--output',
      output,
      '--',
      ...project.test,
    ]);
    tracedMs.push(traced.ms);
  }
  for (const [side, result] of [
    ['untraced', untraced],
    ['traced', traced],
  ])
    fs.writeFileSync(path.join(cache, `${project.name}.${side}.log`), `${result.stdout}\n${result.stderr}`);
  const summary = summaries[project.runner];
  const report = fs.existsSync(output) ? JSON.parse(fs.readFileSync(output, 'utf8')) : { findings: [], unreported: [] };
  const relative = (site) => (site ? `${path.relative(dir, site.file)}:${site.line}` : '(none)');
  return {
    project,
    // vitest colours its summary even when piped.
    untraced: { status: untraced.status, ...summary(stripVTControlCharacters(untraced.stdout + untraced.stderr)) },
    traced: { status: traced.status, ...summary(stripVTControlCharacters(traced.stdout + traced.stderr)) },
    findings: report.findings.map((finding) => ({
      rule: finding.rule,
      count: finding.count,
      // The code that made the rename: a dependency, or the project's own code (its own line).
      culprit: finding.rename.package
        ? `${finding.rename.package.name} (${relative(finding.rename.package.site)})`
        : `own code (${relative(finding.rename.site)})`,
      renamedAt: relative(finding.rename.site),
      writtenAt: relative(finding.write?.site),
      example: finding.renames[0] && path.relative(dir, finding.renames[0].to),
    })),
    unreported: report.unreported.length,
    ratio: median(tracedMs) / median(untracedMs),
    untracedMs: median(untracedMs),
    tracedMs: median(tracedMs),
    stderrTail: traced.stderr.trim().split('\n').slice(-12).join('\n'),
  };
}

const wanted = process.argv.slice(2);
const results = [];
for (const project of projects.filter((p) => wanted.length === 0 || wanted.includes(p.name))) {
  process.stderr.write(`${project.name}@${project.version} (${project.runner})…\n`);
  try {
    results.push(traceProject(project));
  } catch (error) {
    results.push({ project, error: error.message.split('\n').slice(0, 6).join(' ') });
  }
}
fs.mkdirSync(cache, { recursive: true });
fs.writeFileSync(
  path.join(cache, `findings${wanted.length ? `-${wanted.join('-')}` : ''}.json`),
  JSON.stringify(results, null, 2),
);

const counts = (side) => `${side.pass ?? '?'} / ${side.fail ?? '?'} (exit ${side.status})`;
const lines = [
  '| project (runner) | untraced: pass / fail | traced: pass / fail | findings (occurrences) | culprit (the rename) | user line (renamed at) | unreported | time traced / untraced |',
  '|---|---|---|---|---|---|---|---|',
];
for (const result of results) {
  const { project } = result;
  const label = `${project.name} ${project.version} (${project.runner})`;
  if (result.error) {
    lines.push(`| ${label} | error: ${result.error} | | | | | | |`);
    continue;
  }
  const culprits = [...new Set(result.findings.map((f) => f.culprit))];
  const userLines = [...new Set(result.findings.map((f) => f.renamedAt))];
  const occurrences = result.findings.reduce((sum, f) => sum + f.count, 0);
  lines.push(
    `| ${label} | ${counts(result.untraced)} | ${counts(result.traced)} | ${result.findings.length} (${occurrences}) | ${culprits.slice(0, 3).join('; ') || '—'}${culprits.length > 3 ? ` +${culprits.length - 3}` : ''} | ${userLines.slice(0, 3).join('; ') || '—'}${userLines.length > 3 ? ` +${userLines.length - 3}` : ''} | ${result.unreported} | ${(result.untracedMs / 1000).toFixed(1)} → ${(result.tracedMs / 1000).toFixed(1)} s, ${result.ratio.toFixed(2)}× |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
