// `npm run mutate`: applies each hand-made mutation of scripts/lib/mutations.js on its own, runs the
// test files listed for it, and prints a Markdown table: killed or survived, and by which tests.
// Not part of CI (about half an hour on 2 cores); run it after changing the engine, the helper, the
// tracer or the CLI, and write a test for every survivor.
//
// The work tree is never touched: everything happens in a copy under the system temp directory
// (node_modules hard-linked), removed at the end and on Ctrl-C. The copy is built once; a mutated
// file is then re-emitted alone with TypeScript's transpileModule into every dist/ that holds it
// (the plugin's, the runtime package's, the vendored copy), after checking that transpileModule
// gives byte for byte what the full build gave for the unmutated file, else the full build runs.
// A test counts as a kill only if it passed on the unmutated copy in the same run.
//
//   npm run mutate                        all mutations
//   npm run mutate -- --only id1,id2      some of them
//   npm run mutate -- --list              the list, checked against the tree, without running anything
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { MUTATIONS } from './lib/mutations.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** One mutation's test run may hang (a FIFO opened without O_NONBLOCK): vitest's own timeouts end it first. */
const RUN_TIMEOUT_MS = 15 * 60_000;

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1]?.split(',')) : undefined;
const mutations = only ? MUTATIONS.filter((m) => only.has(m.id)) : MUTATIONS;
if (only && mutations.length !== only.size) {
  const known = new Set(MUTATIONS.map((m) => m.id));
  console.error(`unknown mutation ids: ${[...only].filter((id) => !known.has(id)).join(', ')}`);
  process.exit(2);
}

// A stale entry (its text no longer in the file) would test the unmutated program: refuse it.
for (const m of mutations) {
  const text = fs.readFileSync(path.join(root, m.file), 'utf8');
  const count = text.split(m.search).length - 1;
  if (count !== 1) {
    console.error(`mutation ${m.id}: its search text occurs ${count} times in ${m.file} (must be exactly once)`);
    process.exit(2);
  }
  for (const t of m.tests) {
    if (!fs.existsSync(path.join(root, t))) {
      console.error(`mutation ${m.id}: test file ${t} does not exist`);
      process.exit(2);
    }
  }
}

if (args.includes('--list')) {
  console.log('| # | area | mutation | file | tests |\n|---|---|---|---|---|');
  mutations.forEach((m, i) =>
    console.log(
      `| ${i + 1} | ${m.area} | ${m.description} | \`${m.file}\` | ${m.tests.map((t) => `\`${t}\``).join(', ')} |`,
    ),
  );
  process.exit(0);
}

const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-mutate-'));
// mkdtemp makes it 0700: the tests that run programs as an unprivileged user must reach the tree.
fs.chmodSync(copy, 0o755);
let child;
let removed = false;
function removeCopy() {
  if (removed) return;
  removed = true;
  fs.rmSync(copy, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    removeCopy();
    process.exit(130);
  });
}
process.on('exit', removeCopy);

const log = (line) => console.error(`mutate: ${line}`);

/** The tree as committed plus uncommitted edits, without what the build and the tests make. */
function makeCopy() {
  const skip = new Set(['.git', 'node_modules', '.scratch', 'dist', 'coverage']);
  fs.cpSync(root, copy, {
    recursive: true,
    filter: (source) => {
      const rel = path.relative(root, source);
      const parts = rel.split(path.sep);
      // Nested node_modules and dist of fixtures are test data: keep them; skip the top-level ones.
      if (parts.length === 1 && skip.has(parts[0])) return false;
      if (rel === path.join('packages', 'durable-write-runtime', 'dist')) return false;
      return true;
    },
  });
  // Hard links: a 350 MB tree in a second. vitest's cache would write through them: not copied.
  execFileSync('cp', ['-al', path.join(root, 'node_modules'), path.join(copy, 'node_modules')]);
  fs.rmSync(path.join(copy, 'node_modules', '.vite'), { recursive: true, force: true });
  fs.rmSync(path.join(copy, 'node_modules', '.vitest'), { recursive: true, force: true });
}

const compilerOptions = (() => {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.build.json'), {}, ts.sys);
  if (!parsed) throw new Error('cannot read tsconfig.build.json');
  // transpileModule decides nothing about module formats from package.json: the package is ESM.
  return { ...parsed.options, module: ts.ModuleKind.ESNext, sourceMap: false, declaration: false };
})();

/** Every emitted file a source file ends up in. */
function outputsOf(file) {
  const js = file.replace(/\.ts$/, '.js');
  const outputs = [path.join(copy, 'dist', js)];
  if (file.startsWith('src/durable/'))
    outputs.push(path.join(copy, 'packages/durable-write-runtime/dist', path.relative('src/durable', js)));
  return outputs;
}

const transpile = (file, text) =>
  ts.transpileModule(text, { compilerOptions, fileName: path.join(copy, file), reportDiagnostics: false }).outputText;

/** Emits `file` as it now reads in the copy; false when a quick emit cannot stand for the build. */
function emit(file) {
  const text = fs.readFileSync(path.join(copy, file), 'utf8');
  for (const out of outputsOf(file)) fs.writeFileSync(out, transpile(file, text));
  if (file.startsWith('src/durable/')) execFileSync(process.execPath, ['scripts/build-vendor.js'], { cwd: copy });
}

function fullBuild() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Runs vitest on `files` in the copy; returns the failing tests (file › name) and whether vitest crashed. */
function runTests(files, label) {
  const report = path.join(copy, '.scratch', `mutate-${label}.json`);
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.rmSync(report, { force: true });
  return new Promise((resolve) => {
    child = spawn('npx', ['vitest', 'run', ...files, '--reporter=json', `--outputFile=${report}`, '--reporter=dot'], {
      cwd: copy,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child = undefined;
      const failed = new Set();
      try {
        const json = JSON.parse(fs.readFileSync(report, 'utf8'));
        for (const result of json.testResults) {
          const file = path.relative(copy, result.name);
          if (result.status === 'failed' && result.assertionResults.every((a) => a.status !== 'failed'))
            failed.add(`${file} (file failed: ${String(result.message).split('\n')[0].slice(0, 120)})`);
          for (const a of result.assertionResults) if (a.status === 'failed') failed.add(`${file} › ${a.fullName}`);
        }
      } catch {
        failed.add(`vitest ended without a report (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop()}`);
      }
      resolve({ failed, code, signal });
    });
  });
}

const started = performance.now();
log(`copying the tree to ${copy}`);
makeCopy();
log('building the copy');
fullBuild();

// The quick emit must reproduce the build for every file the mutations touch.
const quick = new Map();
for (const file of new Set(mutations.map((m) => m.file))) {
  const text = fs.readFileSync(path.join(copy, file), 'utf8');
  const out = transpile(file, text);
  const same = outputsOf(file).every((o) => fs.existsSync(o) && fs.readFileSync(o, 'utf8') === out);
  quick.set(file, same);
  if (!same) log(`${file}: transpileModule differs from the build; mutations of it rebuild the whole tree`);
}

const allTests = [...new Set(mutations.flatMap((m) => m.tests))].sort();
log(`baseline: ${allTests.length} test files on the unmutated copy`);
const baseline = await runTests(allTests, 'baseline');
if (baseline.failed.size > 0) {
  log(`failing before any mutation (not counted as kills):\n  ${[...baseline.failed].join('\n  ')}`);
}

const rows = [];
for (const [index, m] of mutations.entries()) {
  const source = path.join(copy, m.file);
  const original = fs.readFileSync(source, 'utf8');
  log(`${index + 1}/${mutations.length} ${m.id}`);
  fs.writeFileSync(
    source,
    original.replace(m.search, () => m.replace),
  );
  let result;
  try {
    if (quick.get(m.file)) emit(m.file);
    else fullBuild();
    result = await runTests(m.tests, m.id);
  } catch (error) {
    result = { failed: new Set([`build failed: ${String(error.message).split('\n')[0]}`]) };
  } finally {
    fs.writeFileSync(source, original);
    if (quick.get(m.file)) emit(m.file);
    else fullBuild();
  }
  const kills = [...result.failed].filter((t) => !baseline.failed.has(t));
  rows.push({ m, kills });
  log(`  ${kills.length ? `killed by ${kills.length}` : 'SURVIVED'}`);
}

const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const lines = [
  '| # | area | mutation | file | result | killing tests |',
  '|---|---|---|---|---|---|',
  ...rows.map(({ m, kills }, i) => {
    const shown = kills.slice(0, 4).map((k) => cell(k));
    if (kills.length > 4) shown.push(`… ${kills.length - 4} more`);
    return `| ${i + 1} | ${m.area} | ${cell(m.description)} (\`${m.id}\`) | \`${m.file}\` | ${kills.length ? '**killed**' : '**survived**'} | ${shown.join('<br>') || '—'} |`;
  }),
];
const killed = rows.filter((r) => r.kills.length > 0).length;
lines.push(
  '',
  `${killed} of ${rows.length} killed (${((100 * killed) / rows.length).toFixed(0)} %) in ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
);
const table = lines.join('\n');
console.log(table);
fs.mkdirSync(path.join(root, '.scratch'), { recursive: true });
fs.writeFileSync(path.join(root, '.scratch', 'mutation-table.md'), `${table}\n`);
process.exitCode = killed === rows.length ? 0 : 1;
