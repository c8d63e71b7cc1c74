// `npm run check:real-projects`: the codemod as a maintainer would run it, on pinned releases of real
// projects. For each project and each way of fixing (the runtime package, and `--vendor`):
//   1. a copy of the project's source at the release tag, its dependencies installed from the registry;
//   2. the project's own lint, build and tests on the release;
//   3. `durable-write fix --write`, then the same lint, build and tests, unchanged (the runtime
//      package is installed from this repository's packed tarball: 0.1.0 is not published yet);
//   4. `npm pack` of the fixed project, installed into an empty project with production dependencies
//      only, where a small driver calls the fixed code under strace: the temp file is fsynced before
//      the rename and the directory after it.
// Prints a Markdown table (docs/codemod.md keeps the last one). Not in CI: it installs eight projects
// (hundreds of packages each) and runs their test suites: the better part of an hour.
//
// Sources: the npm tarballs of these packages ship no tests and no build configuration, so the script
// reads the GitHub repository at the release tag from a local git mirror: $REAL_PROJECTS_MIRRORS/<owner>+<repo>/repo
// (default /work/.mirror). Everything is cached under $REAL_PROJECTS_CACHE (default
// $TMPDIR/durable-write-real-projects): delete it to start over.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkoutMirror } from './lib/mirror-checkout.js';
import { runInGroup } from '../dist/codemods/process-group.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Outside this repository: ESLint 8, Prettier and Biome look for configuration in parent directories
// and would lint the projects with ours.
const cache = process.env.REAL_PROJECTS_CACHE ?? path.join(os.tmpdir(), 'durable-write-real-projects');
const mirrors = process.env.REAL_PROJECTS_MIRRORS ?? '/work/.mirror';
// DURABLE_WRITE_CLI: a built CLI to run instead of this repository's (which is then not rebuilt).
const cli = process.env.DURABLE_WRITE_CLI ?? path.join(root, 'dist', 'codemods', 'cli.js');

const install = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];

const projects = [
  {
    name: 'steno',
    version: '4.0.2',
    mirror: 'typicode+steno',
    tag: 'v4.0.2',
    vendor: 'src/durable-write.ts',
    // TypeScript with @sindresorhus/tsconfig: strict, noUnusedLocals, noUnusedParameters.
    driver: (file) => `import { Writer } from 'steno';\nawait new Writer(${JSON.stringify(file)}).write('steno');\n`,
    expected: 'steno',
  },
  {
    name: 'lowdb',
    version: '7.0.1',
    mirror: 'typicode+lowdb',
    tag: 'v7.0.1',
    vendor: 'src/durable-write.ts',
    driver: (file) =>
      `import { JSONFileSync } from 'lowdb/node';\nnew JSONFileSync(${JSON.stringify(file)}).write({ lowdb: true });\n`,
    expected: '{\n  "lowdb": true\n}',
  },
  {
    name: 'lokijs',
    version: '1.5.12',
    mirror: 'techfort+LokiJS',
    tag: 'v1.5.12',
    vendor: 'src/durable-write.js',
    // The full build and browser tests need PhantomJS, whose install script downloads a binary:
    // the uglify build (the step an ESM import used to break) and the Node test suite.
    build: ['npm', 'run', 'build:lokijs'],
    test: ['npm', 'run', 'test:node'],
    driver: (file) =>
      `import Loki from 'lokijs';\nconst db = new Loki(${JSON.stringify(file)});\ndb.addCollection('c').insert({ loki: true });\nawait new Promise((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())));\n`,
  },
  {
    name: 'zigbee-herdsman',
    version: '10.9.0',
    mirror: 'Koenkk+zigbee-herdsman',
    tag: 'v10.9.0',
    vendor: 'src/utils/durable-write.ts',
    // Biome and TypeScript 7; the repository's lockfile is pnpm's, so npm resolves its ranges.
    lint: ['npx', 'biome', 'check', '--error-on-warnings'],
    // Its tests wait on 5 s timers and timeouts of 5 s: on a shared two-core machine some time out
    // before and after alike, so they get more time.
    test: ['npm', 'test', '--', '--testTimeout=60000'],
    // `Controller.backup()` writes the coordinator backup the adapter returns; the driver gives it a fake adapter.
    driver: (file) =>
      `import { Controller } from 'zigbee-herdsman';
const backup = {
  networkOptions: { panId: 0x1a62, extendedPanId: Buffer.alloc(8, 0xdd), channelList: [11], networkKey: Buffer.alloc(16, 1), networkKeyDistribute: false },
  logicalChannel: 11,
  networkKeyInfo: { sequenceNumber: 0, frameCounter: 0 },
  securityLevel: 5,
  networkUpdateId: 0,
  coordinatorIeeeAddress: Buffer.alloc(8, 0xab),
  devices: [],
  znp: { version: 1 },
};
const controller = {
  options: { backupPath: ${JSON.stringify(file)} },
  adapter: { supportsBackup: async () => true, backup: async () => backup },
  databaseSave() {},
  getDeviceIeeeAddresses: () => [],
};
await Controller.prototype.backup.call(controller);
`,
  },
  {
    name: 'fs-jetpack',
    version: '5.1.0',
    mirror: 'szwacz+fs-jetpack',
    tag: '5.1.0',
    vendor: 'lib/utils/durable-write.js',
    // No lint script: its `prettier --write` script, as a check.
    lint: ['npx', 'prettier', '--check', './**/*.{js,ts}'],
    // Its sync and async atomic writes are two wrappers: the async one writes a second file.
    target: (file) => [file, `${file}.async`],
    driver: (file) =>
      `import jetpack from 'fs-jetpack';\njetpack.write(${JSON.stringify(file)}, 'jetpack', { atomic: true });\nawait jetpack.writeAsync(${JSON.stringify(`${file}.async`)}, 'jetpack', { atomic: true });\n`,
    expected: 'jetpack',
  },
  {
    name: 'fs-write-stream-atomic',
    version: '1.0.10',
    mirror: 'npm+fs-write-stream-atomic',
    tag: 'v1.0.10',
    vendor: 'durable-write.js',
    // `npm test` is `standard && tap`: standard is its lint.
    lint: ['npx', 'standard'],
    test: ['npx', 'tap', 'test/*.js'],
    driver: (file) =>
      `import writeStreamAtomic from 'fs-write-stream-atomic';\nconst stream = writeStreamAtomic(${JSON.stringify(file)});\nawait new Promise((resolve, reject) => { stream.on('close', resolve); stream.on('error', reject); stream.end('stream'); });\n`,
    expected: 'stream',
  },
  {
    name: 'cacache',
    version: '19.0.1',
    mirror: 'npm+cacache',
    // 19.x is the last line whose engines admit Node 20 (21 needs ^22.22.2).
    tag: 'v19.0.1',
    vendor: 'lib/util/durable-write.js',
    // `npm test` runs `npm run lint` after tap, and `lint` runs template-oss-check after ESLint.
    lint: ['npm', 'run', 'eslint'],
    test: ['npx', 'tap'],
    // Its renames are `moveFile` of `@npmcli/fs`, a package the rule does not know: configured as a
    // user would, through the rule's options.
    fixOptions: ['--rule-options', JSON.stringify({ renameFunctions: [{ source: '@npmcli/fs', name: 'moveFile' }] })],
    // Content is addressed by its sha512: the content file the driver's `put` renames into place.
    target: (file) => {
      const hex = crypto.createHash('sha512').update('cacache').digest('hex');
      return path.join(
        path.dirname(file),
        'cache',
        'content-v2',
        'sha512',
        hex.slice(0, 2),
        hex.slice(2, 4),
        hex.slice(4),
      );
    },
    driver: (file) =>
      `import cacache from 'cacache';\nawait cacache.put(${JSON.stringify(path.dirname(file))} + '/cache', 'key', 'cacache');\n`,
  },
  {
    name: '@verdaccio/local-storage',
    version: '2.3.0',
    mirror: 'verdaccio+local-storage',
    tag: 'v2.3.0',
    vendor: 'src/durable-write.ts',
    test: ['npx', 'jest'],
    // Its yarn.lock resolves to registry.yarnpkg.com and registry.verdaccio.org, which are not
    // reachable here: the same tarballs are read from the npm registry. Its devDependency
    // @verdaccio/babel-preset@1.0.0 is not on the registry; 0.2.1 pins the same Babel packages and
    // takes its place (yarn resolves that one entry, so the lockfile cannot be frozen). npm resolving
    // the ranges instead gave a TypeScript 3.5 that cannot read today's @types and a jest that aborts.
    prepare: (dir) => {
      const manifestFile = path.join(dir, 'package.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      manifest.devDependencies['@verdaccio/babel-preset'] = '0.2.1';
      fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
      const lockFile = path.join(dir, 'yarn.lock');
      const lock = fs
        .readFileSync(lockFile, 'utf8')
        .replace(/^"@verdaccio\/babel-preset@1\.0\.0":\n(?: {2}.*\n)+\n?/m, '')
        .replaceAll(/https:\/\/registry\.(?:yarnpkg\.com|verdaccio\.org)\//g, 'https://registry.npmjs.org/');
      fs.writeFileSync(lockFile, lock);
    },
    install: ['npx', ['--yes', 'yarn@1', 'install', '--ignore-scripts', '--non-interactive']],
    // `savePackage` writes <storage>/<name>/package.json through `_writeFile` (writeFile, then renameTmp).
    target: (file) => path.join(path.dirname(file), 'pkg', 'package.json'),
    driver: (file) =>
      `import { createRequire } from 'node:module';
const LocalFS = createRequire(import.meta.url)('@verdaccio/local-storage/lib/local-fs').default;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } };
const storage = new LocalFS(${JSON.stringify(path.join(path.dirname(file), 'pkg'))}, quiet);
await new Promise((resolve, reject) => storage.savePackage('pkg', { name: 'pkg' }, (error) => (error ? reject(error) : resolve())));
`,
  },
];

const run = (cwd, command, args, options = {}) => runInGroup(command, args, { cwd, ...options });
const must = async (cwd, command, args) => {
  const result = await run(cwd, command, args);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} in ${cwd} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
};
const scripts = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts ?? {};
/** The project's own lint, build and test commands: its `lint`, `build` and `test` scripts unless the entry names others. */
const commands = (project, dir) => ({
  lint: project.lint ?? (scripts(dir).lint ? ['npm', 'run', 'lint'] : undefined),
  build: project.build ?? (scripts(dir).build ? ['npm', 'run', 'build'] : undefined),
  test: project.test ?? (scripts(dir).test ? ['npm', 'test'] : undefined),
});
const tail = (result) =>
  `${result.stdout ?? ''}${result.stderr ?? ''}${result.timedOut ? '\n(timed out: its process group was killed)' : ''}`
    .trim()
    .split('\n')
    .slice(-15)
    .join('\n');
/** Each of the project's own commands: passed (true), failed (false, with its output's tail) or absent. */
async function ownChecks(project, dir) {
  const out = {};
  for (const [step, command] of Object.entries(commands(project, dir))) {
    if (!command) continue;
    const result = await run(dir, command[0], command.slice(1), { timeout: 20 * 60_000 });
    out[step] = result.status === 0;
    if (result.status !== 0) out[`${step}Tail`] = tail(result);
  }
  return out;
}
/**
 * The project's own lockfile with its own package manager (through npx, at the version its
 * `packageManager` names): npm resolving a pnpm project's ranges gave zigbee-herdsman a newer Biome,
 * whose formatting fails the release's own lint.
 */
function installCommand(dir) {
  const has = (file) => fs.existsSync(path.join(dir, file));
  const { packageManager } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const pinned = (name, fallback) => (packageManager?.startsWith(`${name}@`) ? packageManager.split('+')[0] : fallback);
  if (has('package-lock.json')) return ['npm', ['ci', ...install]];
  if (has('pnpm-lock.yaml'))
    return ['npx', ['--yes', pinned('pnpm', 'pnpm@10'), 'install', '--frozen-lockfile', '--ignore-scripts']];
  if (has('yarn.lock'))
    return ['npx', ['--yes', pinned('yarn', 'yarn@1'), 'install', '--frozen-lockfile', '--ignore-scripts']];
  return ['npm', ['install', ...install]];
}

/** The project at its tag with its dependencies installed, once. */
async function pristine(project) {
  const dir = path.join(cache, `${project.name.replace('/', '+')}-${project.version}`, 'pristine');
  if (fs.existsSync(path.join(dir, 'node_modules'))) return dir;
  checkoutMirror(mirrors, project.mirror, project.tag, dir);
  project.prepare?.(dir);
  const [command, args] = project.install ?? installCommand(dir);
  await must(dir, command, args);
  return dir;
}

/** The runtime package as npm would publish it. */
async function runtimeTarball() {
  const out = path.join(cache, 'tarballs');
  fs.mkdirSync(out, { recursive: true });
  const name = (
    await must(path.join(root, 'packages', 'durable-write-runtime'), 'npm', [
      'pack',
      '--silent',
      '--pack-destination',
      out,
    ])
  )
    .trim()
    .split('\n')
    .at(-1);
  return path.join(out, name);
}

/** `/a/b/` and `/a/b` open the same directory (an in-place fix may derive it by slicing after the last '/'). */
const withoutTrailingSlash = (file) => file.replace(/(?<=.)\/+$/, '');

/** Does the strace of a durable write show fsync(temp) before rename(temp, target) and an fsync of the directory after? */
function durableInTrace(trace, target) {
  // One process: its threads share one descriptor table, so the latest open of a number names it.
  const fds = new Map();
  const synced = new Set();
  let tempSynced = false;
  let renamed = false;
  let dirSynced = false;
  const pending = new Map(); // thread → path of an openat strace printed as <unfinished ...>
  const pendingSync = new Map(); // thread → descriptor of an fsync printed as <unfinished ...>
  for (const line of trace.split('\n')) {
    const thread = /^(\d+)/.exec(line)?.[1];
    const open = /openat\(AT_FDCWD, "([^"]+)", [^)]*\)\s+= (\d+)/.exec(line);
    if (open) fds.set(open[2], withoutTrailingSlash(open[1]));
    const unfinished = /openat\(AT_FDCWD, "([^"]+)".*<unfinished \.\.\.>$/.exec(line);
    if (unfinished) pending.set(thread, withoutTrailingSlash(unfinished[1]));
    const resumed = /<\.\.\. openat resumed>.*\)\s+= (\d+)/.exec(line);
    if (resumed && pending.has(thread)) fds.set(resumed[1], pending.get(thread));
    // strace splits a call another thread interrupts: `fsync(17 <unfinished ...>`, then `<... fsync resumed>) = 0`.
    const syncStarted = /f(?:data)?sync\((\d+) <unfinished \.\.\.>$/.exec(line);
    if (syncStarted) pendingSync.set(thread, syncStarted[1]);
    const syncResumed = /<\.\.\. f(?:data)?sync resumed>.*\)\s+= 0/.test(line) ? pendingSync.get(thread) : undefined;
    const sync = /f(?:data)?sync\((\d+)\)\s+= 0/.exec(line) ?? (syncResumed ? [line, syncResumed] : null);
    if (sync) {
      const file = fds.get(sync[1]);
      if (file) synced.add(file);
      if (renamed && file === path.dirname(target)) dirSynced = true;
    }
    const rename = /rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)", (?:AT_FDCWD, )?"([^"]+)"/.exec(line);
    if (rename && rename[2] === target && /\s= 0$/.test(line)) {
      renamed = true;
      tempSynced = synced.has(rename[1]);
    }
  }
  return { tempSynced, renamed, dirSynced };
}

function durableInAll(trace, targets) {
  const each = targets.map((target) => durableInTrace(trace, target));
  return Object.fromEntries(
    ['tempSynced', 'renamed', 'dirSynced'].map((key) => [key, each.every((result) => result[key])]),
  );
}

/** Lines added and removed by the fix, vendored files included. */
async function diffSize(dir, added) {
  let plus = 0;
  let minus = 0;
  for (const line of (await must(dir, 'git', ['diff', '--numstat'])).trim().split('\n').filter(Boolean)) {
    const [a, d] = line.split('\t');
    plus += Number(a) || 0;
    minus += Number(d) || 0;
  }
  for (const file of added) plus += fs.readFileSync(path.join(dir, file), 'utf8').split('\n').length - 1;
  return { plus, minus };
}

/**
 * What a user of the fixed release gets: `npm pack` of the fixed project (after its build), installed
 * into an empty project with production dependencies only; the driver then calls the fixed code there
 * under strace. The runtime tarball stands in for the registry through `overrides` (0.1.0 is not published).
 */
async function consumerRun(dir, project, mode, runtime) {
  const out = fs.mkdtempSync(path.join(cache, `${project.name.replace('/', '+')}-${mode}-`));
  const packed = await run(dir, 'npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out]);
  if (packed.status !== 0) return { packed: false, installed: false, ok: false, error: tail(packed) };
  const tarball = path.join(out, packed.stdout.trim().split('\n').at(-1));
  const consumer = path.join(out, 'consumer');
  fs.mkdirSync(consumer);
  fs.writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      dependencies: { [project.name]: `file:${tarball}` },
      overrides: { 'durable-write-runtime': `file:${runtime}` },
    }),
  );
  const installed = await run(consumer, 'npm', ['install', '--omit=dev', ...install]);
  if (installed.status !== 0) return { packed: true, installed: false, ok: false, error: tail(installed) };
  const file = path.join(out, 'db.json');
  const target = project.target ? project.target(file) : file;
  const driver = path.join(consumer, 'driver.mjs');
  fs.writeFileSync(driver, project.driver(file));
  const traceFile = path.join(out, 'trace');
  const traced = await run(
    consumer,
    'strace',
    [
      '-f',
      '-qq',
      '-e',
      'trace=openat,fsync,fdatasync,rename,renameat,renameat2',
      '-o',
      traceFile,
      process.execPath,
      driver,
    ],
    { env: { ...process.env, UV_USE_IO_URING: '0' } },
  );
  const trace = fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '';
  const contents = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  return {
    packed: true,
    installed: true,
    ok: traced.status === 0 && (project.expected === undefined || contents === project.expected),
    error: traced.status === 0 ? '' : tail(traced),
    // Every target must show it: a project's two write paths (sync and async) are fixed separately.
    ...(target ? durableInAll(trace, [target].flat()) : {}),
  };
}

async function check(project, mode, runtime) {
  const dir = path.join(cache, `${project.name.replace('/', '+')}-${project.version}`, mode);
  fs.rmSync(dir, { recursive: true, force: true });
  await must(root, 'cp', ['-a', await pristine(project), dir]);
  await must(dir, 'git', ['init', '-q']);
  fs.appendFileSync(path.join(dir, '.gitignore'), '\nnode_modules\n');
  await must(dir, 'git', ['add', '-A']);
  await must(dir, 'git', ['-c', 'user.email=check@localhost', '-c', 'user.name=check', 'commit', '-qm', 'release']);
  // The release as a maintainer has it: the checks before built into the pristine copy (lib/, dist/,
  // all ignored by git), and the fix would otherwise rewrite that output too; the build regenerates it.
  const ignored = (await must(dir, 'git', ['status', '--porcelain', '--ignored']))
    .split('\n')
    .filter((line) => line.startsWith('!! '))
    .map((line) => line.slice(3))
    .filter((entry) => !/(?:^|\/)node_modules\/?$/.test(entry));
  for (const entry of ignored) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  const fix = await run(dir, process.execPath, [
    cli,
    'fix',
    '--write',
    ...(mode === 'vendor' ? ['--vendor', project.vendor] : []),
    ...(project.fixOptions ?? []),
  ]);
  const summary = fix.stderr;
  const found = Number(/sites found: (\d+)/.exec(summary)?.[1] ?? 0);
  const rewritten = Number(/rewritten: (\d+)/.exec(summary)?.[1] ?? 0);
  const review = Number(/left for review: (\d+)/.exec(summary)?.[1] ?? 0);
  const failedFiles = Number(/failed: (\d+)/.exec(summary)?.[1] ?? 0);
  const added = (await must(dir, 'git', ['status', '--porcelain', '--untracked-files=all']))
    .split('\n')
    .filter((l) => l.startsWith('??'))
    .map((l) => l.slice(3));
  const diff = await diffSize(dir, added);
  // The CLI added the runtime package to dependencies; its version is not on the registry yet.
  const dependsOnRuntime = Boolean(
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies?.['durable-write-runtime'],
  );
  // Unpacked into node_modules rather than installed: pnpm and yarn trees are not npm's to rearrange,
  // and the runtime has no dependencies.
  if (dependsOnRuntime) {
    const into = path.join(dir, 'node_modules', 'durable-write-runtime');
    fs.rmSync(into, { recursive: true, force: true });
    fs.mkdirSync(into, { recursive: true });
    await must(dir, 'tar', ['-xzf', runtime, '-C', into, '--strip-components=1']);
  }
  const after = await ownChecks(project, dir);
  return {
    project: `${project.name} ${project.version}`,
    mode,
    found,
    rewritten,
    review,
    failedFiles,
    // What the CLI itself said: sites left for review, and problems it saw the project's linters report.
    fixSummary: summary.trim().split('\n'),
    reviewReasons: [...summary.matchAll(/^ {2}\S+:\d+:\d+ \S+\(\): (.*)$/gm)].map((m) => m[1]),
    diff,
    added,
    after,
    consumer: await consumerRun(dir, project, mode, runtime),
  };
}

const modes = ['runtime', 'vendor'];
/** Each row is kept, so that a table can gather rows measured in different runs (`--table`). */
const resultFile = (name, mode) => path.join(cache, 'results', `${name.replace('/', '+')}-${mode}.json`);
const argv = process.argv.slice(2);
const tableOnly = argv.includes('--table');
// `--mode=vendor` (or `runtime`) measures one way of fixing only.
const modeArg = argv.find((arg) => arg.startsWith('--mode='))?.slice('--mode='.length);
if (modeArg !== undefined && !modes.includes(modeArg)) throw new Error(`--mode=${modeArg}: one of ${modes.join(', ')}`);
const only = argv.filter((arg) => !arg.startsWith('--'));
const selected = projects.filter((p) => only.length === 0 || only.includes(p.name));
const rows = [];
fs.mkdirSync(path.join(cache, 'results'), { recursive: true });
if (!tableOnly) {
  if (!process.env.DURABLE_WRITE_CLI) await must(root, 'npm', ['run', 'build', '--silent']);
  const runtime = await runtimeTarball();
  // The CLI is built from this commit's sources (uncommitted changes are marked).
  const commit = (await must(root, 'git', ['describe', '--always', '--dirty'])).trim();
  for (const project of selected) {
    const baseline = await pristine(project);
    const beforeStarted = Date.now();
    const before = await ownChecks(project, baseline);
    const beforeSeconds = Math.round((Date.now() - beforeStarted) / 1000);
    console.error(JSON.stringify({ project: project.name, before }, null, 2));
    for (const mode of modeArg ? [modeArg] : modes) {
      const started = Date.now();
      const loadBefore = os.loadavg()[0];
      const checked = await check(project, mode, runtime);
      const measured = {
        commit,
        date: new Date().toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
        beforeSeconds,
        load: [loadBefore, os.loadavg()[0]].map((load) => Number(load.toFixed(1))),
      };
      const row = { ...checked, before, ...measured };
      rows.push(row);
      fs.writeFileSync(resultFile(project.name, mode), JSON.stringify(row, null, 2));
      console.error(JSON.stringify(row, null, 2));
    }
  }
}
const mark = (value) => (value === undefined ? '–' : value ? 'ok' : '**fail**');
const pair = (before, after) => `${mark(before)} → ${mark(after)}`;
const tableRows = tableOnly
  ? selected.flatMap((project) =>
      modes
        .map((mode) => resultFile(project.name, mode))
        .filter((file) => fs.existsSync(file))
        .map((file) => JSON.parse(fs.readFileSync(file, 'utf8'))),
    )
  : rows;
console.log(
  '| project | fix | sites found | fixed | left for review (why) | diff | lint (before → after) | build (before → after) | tests (before → after) | pack + prod install | driver runs | fsync temp before rename | dir fsync after | time (checks before; this mode) | commit (load) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of tableRows) {
  const fixed = r.rewritten > 0;
  // For a site left as it was, what the original code does.
  const strace = (value) => (value === undefined ? '–' : fixed ? mark(value) : `not fixed (${value ? 'ok' : 'no'})`);
  const reasons = [...new Set(r.reviewReasons)].join('; ');
  const files = r.added.length ? ` (+ ${r.added.join(', ')})` : '';
  console.log(
    `| ${r.project} | ${r.mode === 'runtime' ? 'runtime package' : '--vendor'} | ${r.found}${r.failedFiles ? ` (${r.failedFiles} files failed)` : ''} | ${r.rewritten} | ${r.review}${reasons ? ` (${reasons})` : ''} | +${r.diff.plus} −${r.diff.minus}${files} | ${pair(r.before.lint, r.after.lint)} | ${pair(r.before.build, r.after.build)} | ${pair(r.before.test, r.after.test)} | ${mark(r.consumer.installed)} | ${mark(r.consumer.ok)} | ${strace(r.consumer.tempSynced)} | ${strace(r.consumer.dirSynced)} | ${r.beforeSeconds} s; ${r.seconds} s | ${r.commit} (${r.load.join(' → ')}) |`,
  );
}
const broke = (r, step) => r.before[step] === true && r.after[step] === false;
const failed = tableRows.filter(
  (r) =>
    r.failedFiles > 0 ||
    ['lint', 'build', 'test'].some((step) => broke(r, step)) ||
    !r.consumer.ok ||
    (r.rewritten > 0 && (r.consumer.tempSynced === false || r.consumer.dirSynced === false)),
);
process.exit(failed.length ? 1 : 0);
