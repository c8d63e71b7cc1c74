// `npm run check:real-projects`: the codemod as a maintainer would run it, on pinned releases of real
// projects. For each project and each way of fixing (the runtime package, and `--vendor`):
//   1. a copy of the project's source at the release tag, its own lockfile installed from the registry;
//   2. `durable-write fix --write` (the runtime package is installed from this repository's packed
//      tarball, since the version is not published yet);
//   3. the project's own build and test suite, unchanged;
//   4. a small driver calls the fixed code under strace: the temp file is fsynced before the rename
//      and the directory after it;
//   5. `npm ci --omit=dev`, then the driver again: the fix runs with production dependencies only.
// Prints a Markdown table (docs/codemod.md keeps the last one). Not in CI: it installs three projects
// (about 400 packages each) and takes several minutes.
//
// Sources: the npm tarballs of these packages ship no tests and no build configuration, so the script
// reads the GitHub repository at the release tag from a local git mirror: $REAL_PROJECTS_MIRRORS/<owner>+<repo>/repo
// (default /work/.mirror). Everything is cached under .scratch/real-projects (never committed):
// delete it to start over.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = path.join(root, '.scratch', 'real-projects');
const mirrors = process.env.REAL_PROJECTS_MIRRORS ?? '/work/.mirror';
const cli = path.join(root, 'dist', 'codemods', 'cli.js');

const projects = [
  {
    name: 'steno',
    version: '4.0.2',
    mirror: 'typicode+steno',
    tag: 'v4.0.2',
    vendor: 'src/durable-write.ts',
    // TypeScript with @sindresorhus/tsconfig: strict, noUnusedLocals, noUnusedParameters.
    driver: (dir, file) =>
      `import { Writer } from ${JSON.stringify(path.join(dir, 'lib/index.js'))};\nawait new Writer(${JSON.stringify(file)}).write('steno');\n`,
    expected: 'steno',
  },
  {
    name: 'lowdb',
    version: '7.0.1',
    mirror: 'typicode+lowdb',
    tag: 'v7.0.1',
    vendor: 'src/durable-write.ts',
    driver: (dir, file) =>
      `import { JSONFileSync } from ${JSON.stringify(path.join(dir, 'lib/node.js'))};\nnew JSONFileSync(${JSON.stringify(file)}).write({ lowdb: true });\n`,
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
    driver: (dir, file) =>
      `import { createRequire } from 'node:module';\nconst Loki = createRequire(import.meta.url)(${JSON.stringify(path.join(dir, 'src/lokijs.js'))});\nconst db = new Loki(${JSON.stringify(file)});\ndb.addCollection('c').insert({ loki: true });\nawait new Promise((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())));\n`,
    expected: undefined,
  },
];

const run = (cwd, command, args, options = {}) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
const must = (cwd, command, args) => {
  const result = run(cwd, command, args);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} in ${cwd} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
};
const scripts = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts ?? {};
/** The project's own build and test commands: its `build` and `test` scripts unless the entry names others. */
const commands = (project, dir) => ({
  build: project.build ?? (scripts(dir).build ? ['npm', 'run', 'build'] : undefined),
  test: project.test ?? (scripts(dir).test ? ['npm', 'test'] : undefined),
});

/** The project at its tag with its dependencies installed, once. */
function pristine(project) {
  const dir = path.join(cache, `${project.name}-${project.version}`, 'pristine');
  if (fs.existsSync(path.join(dir, 'node_modules'))) return dir;
  const repo = path.join(mirrors, project.mirror, 'repo');
  if (!fs.existsSync(repo))
    throw new Error(
      `no mirror of ${project.mirror} at ${repo}: fetch github:${project.mirror.replace('+', '/')} first`,
    );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${repo}" archive ${project.tag} | tar -x -C "${dir}"`]);
  must(dir, 'npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']);
  return dir;
}

/** The runtime package as npm would publish it. */
function runtimeTarball() {
  const out = path.join(cache, 'tarballs');
  fs.mkdirSync(out, { recursive: true });
  const name = must(path.join(root, 'packages', 'durable-write-runtime'), 'npm', [
    'pack',
    '--silent',
    '--pack-destination',
    out,
  ])
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
  for (const line of trace.split('\n')) {
    const thread = /^(\d+)/.exec(line)?.[1];
    const open = /openat\(AT_FDCWD, "([^"]+)", [^)]*\)\s+= (\d+)/.exec(line);
    if (open) fds.set(open[2], withoutTrailingSlash(open[1]));
    const unfinished = /openat\(AT_FDCWD, "([^"]+)".*<unfinished \.\.\.>$/.exec(line);
    if (unfinished) pending.set(thread, withoutTrailingSlash(unfinished[1]));
    const resumed = /<\.\.\. openat resumed>.*\)\s+= (\d+)/.exec(line);
    if (resumed && pending.has(thread)) fds.set(resumed[1], pending.get(thread));
    const sync = /f(?:data)?sync\((\d+)\)\s+= 0/.exec(line);
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

function driverRun(dir, project, label) {
  const out = fs.mkdtempSync(path.join(cache, `${project.name}-${label}-`));
  const file = path.join(out, 'db.json');
  const driver = path.join(out, 'driver.mjs');
  fs.writeFileSync(driver, project.driver(dir, file));
  const traceFile = path.join(out, 'trace');
  const traced = run(
    dir,
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
    ok: traced.status === 0 && (project.expected === undefined || contents === project.expected),
    error: traced.stderr.trim().split('\n').slice(-3).join(' '),
    ...durableInTrace(trace, file),
  };
}

function check(project, mode, tarball) {
  const dir = path.join(cache, `${project.name}-${project.version}`, mode);
  fs.rmSync(dir, { recursive: true, force: true });
  must(root, 'cp', ['-a', pristine(project), dir]);
  must(dir, 'git', ['init', '-q']);
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\nlib\n');
  must(dir, 'git', ['add', '-A']);
  must(dir, 'git', ['-c', 'user.email=check@localhost', '-c', 'user.name=check', 'commit', '-qm', 'release']);
  const fix = run(dir, process.execPath, [
    cli,
    'fix',
    '--write',
    ...(mode === 'vendor' ? ['--vendor', project.vendor] : []),
  ]);
  const summary = fix.stderr;
  const rewritten = Number(/rewritten: (\d+)/.exec(summary)?.[1] ?? 0);
  const review = Number(/left for review: (\d+)/.exec(summary)?.[1] ?? 0);
  const diff = must(dir, 'git', ['diff', '--shortstat']).trim();
  const added = must(dir, 'git', ['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter((l) => l.startsWith('??'))
    .map((l) => l.slice(3));
  // The CLI added the runtime package to dependencies; its version is not on the registry yet.
  const dependsOnRuntime = Boolean(
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies?.['durable-write-runtime'],
  );
  if (dependsOnRuntime)
    must(dir, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball]);
  const { build: buildCommand, test: testCommand } = commands(project, dir);
  const build = buildCommand ? run(dir, buildCommand[0], buildCommand.slice(1)).status === 0 : undefined;
  const test = testCommand ? run(dir, testCommand[0], testCommand.slice(1)) : undefined;
  const traced = driverRun(dir, project, mode);
  must(dir, 'npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']);
  const production = driverRun(dir, project, `${mode}-prod`);
  return {
    project: `${project.name} ${project.version}`,
    mode,
    rewritten,
    review,
    reviewReasons: [...summary.matchAll(/^ {2}\S+:\d+:\d+ \S+\(\): (.*)$/gm)].map((m) => m[1]),
    diff,
    added,
    build,
    test: test === undefined ? undefined : test.status === 0,
    testTail:
      test?.status === 0 ? '' : `${test?.stdout ?? ''}${test?.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n'),
    traced,
    production,
  };
}

const mark = (value) => (value === undefined ? '–' : value ? 'yes' : '**no**');
fs.mkdirSync(cache, { recursive: true });
must(root, 'npm', ['run', 'build', '--silent']);
const tarball = runtimeTarball();
const only = process.argv.slice(2);
const rows = [];
for (const project of projects.filter((p) => only.length === 0 || only.includes(p.name))) {
  const baseline = pristine(project);
  const { build, test } = commands(project, baseline);
  const before = {
    build: build ? run(baseline, build[0], build.slice(1)).status === 0 : undefined,
    test: test ? run(baseline, test[0], test.slice(1)).status === 0 : undefined,
  };
  for (const mode of ['runtime', 'vendor']) {
    const row = { ...check(project, mode, tarball), before };
    rows.push(row);
    console.error(JSON.stringify(row, null, 2));
  }
}
console.log(
  '| project | fix | rewritten / review | diff | files added | build (before → after) | tests (before → after) | fsync before rename | dir fsync after | runs after `npm ci --omit=dev` |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const fixed = r.rewritten > 0;
  console.log(
    `| ${r.project} | ${r.mode === 'runtime' ? 'runtime package' : '--vendor'} | ${r.rewritten} / ${r.review}${r.review ? ` (${[...new Set(r.reviewReasons)].join('; ')})` : ''} | ${r.diff || 'none'} | ${r.added.join(', ') || 'none'} | ${mark(r.before.build)} → ${mark(r.build)} | ${mark(r.before.test)} → ${mark(r.test)} | ${fixed ? mark(r.traced.tempSynced) : 'not fixed'} | ${fixed ? mark(r.traced.dirSynced) : 'not fixed'} | ${mark(r.production.ok)} |`,
  );
}
const failed = rows.filter(
  (r) =>
    r.rewritten > 0 &&
    (r.build === false || r.test === false || !r.traced.tempSynced || !r.traced.dirSynced || !r.production.ok),
);
process.exit(failed.length ? 1 : 0);
