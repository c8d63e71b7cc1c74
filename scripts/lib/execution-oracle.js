// Execution as the oracle of a fix: a program and its fixed version each run in a scratch
// directory of their own, and what can be observed is compared: exit status, stdout, the errors that
// escaped (class and `code`), and the final directory contents. The fixed program then runs under
// the tracer (src/trace), which must see no rename of unsynced data. Shared by the fuzzer and the
// fix tests, so that both judge a fix the same way.
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const tracer = path.join(repositoryRoot, 'dist/src/trace/register.js');

/**
 * A scratch root whose packages resolve `durable-write-runtime` (and the rest of this repository's
 * node_modules) as a project that installed it would. `dispose()` removes it.
 */
export function createScratch(prefix = 'oracle') {
  const root = mkdtempSync(path.join(tmpdir(), `durable-write-${prefix}-`));
  symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(root, 'node_modules'));
  let runs = 0;
  return {
    root,
    /** A fresh package directory with a manifest that lists the runtime as a production dependency. */
    packageDir(lang) {
      runs += 1;
      const dir = path.join(root, `p${runs}`);
      mkdirSync(path.join(dir, 'data'), { recursive: true });
      const manifest = {
        name: `p${runs}`,
        private: true,
        type: lang === 'cjs' ? 'commonjs' : 'module',
        dependencies: { 'durable-write-runtime': '*' },
      };
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
      return dir;
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export const fileNameFor = (lang) => ({ esm: 'program.mjs', cjs: 'program.cjs', ts: 'program.ts' })[lang];

/** TypeScript runs as the JavaScript tsc emits for it (Node 20 cannot strip types). */
function runnable(text, lang) {
  if (lang !== 'ts') return text;
  return ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
    .outputText;
}

// Escaped errors are printed by this preload as one JSON line on stderr, so that their class and
// code compare, not their stack (paths and line numbers differ between a program and its fix).
const errorReporter = `
const report = (kind, error) => {
  const e = error ?? {};
  process.stderr.write('\\u0000escaped ' + JSON.stringify({ kind, name: e.constructor?.name ?? typeof e, code: e.code ?? e.cause?.code, causeCode: e.cause?.code }) + '\\n');
  process.exitCode = 70;
};
process.on('uncaughtException', (error) => report('uncaught', error));
process.on('unhandledRejection', (error) => report('unhandled', error));
if (process.env.DURABLE_WRITE_ORACLE_FLUSH === '1') {
  // Every whole-file write flushed: the timing of a fixed program, with the original's semantics.
  const fs = require('node:fs');
  const flushed = (options) => (typeof options === 'string' ? { encoding: options, flush: true } : { ...options, flush: true });
  for (const [api, name] of [[fs, 'writeFile'], [fs, 'writeFileSync'], [fs.promises, 'writeFile']]) {
    const write = api[name];
    api[name] = function (file, data, options, ...rest) {
      return typeof options === 'function' ? write.call(this, file, data, { flush: true }, options) : write.call(this, file, data, flushed(options), ...rest);
    };
  }
  require('node:module').syncBuiltinESMExports();
}
`;

function listFiles(dir, prefix = '') {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    const key = prefix + name;
    if (stat.isSymbolicLink()) out[key] = `-> ${readlinkSync(full)}`;
    else if (stat.isDirectory()) Object.assign(out, { [`${key}/`]: 'directory' }, listFiles(full, `${key}/`));
    else out[key] = readFileSync(full, 'latin1');
  }
  return out;
}

/**
 * Runs `text` (a program in `lang`: esm, cjs or ts) in a fresh package of `scratch`, with its
 * working directory the package's empty `data` directory; `setup(dataDir)` may create files there
 * first, `beside` holds files to put next to the program (a vendored helper), and `preload` is
 * CommonJS code run before the program (globals a generated program reads).
 * With `traced`, the tracer watches it and `unsyncedRenames` counts the renames of unsynced data.
 */
export function runProgram(
  scratch,
  { text, lang, setup, beside = {}, preload = '', traced = false, timeout = 20_000, env: extraEnv = {} },
) {
  const dir = scratch.packageDir(lang);
  const data = path.join(dir, 'data');
  setup?.(data);
  for (const [name, content] of Object.entries(beside)) writeFileSync(path.join(dir, name), content);
  const main = path.join(dir, lang === 'ts' ? 'program.mjs' : fileNameFor(lang));
  writeFileSync(main, runnable(text, lang));
  const hooks = path.join(dir, 'hooks.cjs');
  writeFileSync(hooks, errorReporter + preload);
  const reports = path.join(dir, 'trace');
  mkdirSync(reports);
  const nodeArgs = ['--require', hooks, ...(traced ? ['--import', tracer] : []), main];
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    DURABLE_WRITE_TRACE: traced ? '1' : '0',
    ...(traced ? { DURABLE_WRITE_TRACE_DIR: reports } : {}),
    ...extraEnv,
  };
  const child = spawnSync(process.execPath, nodeArgs, { cwd: data, env, encoding: 'utf8', timeout });
  const escaped = [];
  const stderr = [];
  for (const line of (child.stderr ?? '').split('\n')) {
    if (line.startsWith('\u0000escaped ')) escaped.push(JSON.parse(line.slice(9)));
    else if (line && !/ExperimentalWarning|--trace-warnings/.test(line)) stderr.push(line);
  }
  let unsyncedRenames;
  if (traced) {
    // A traced process that wrote no report died before its exit handlers: nothing was checked.
    unsyncedRenames = readdirSync(reports).length === 0 ? Number.NaN : 0;
    for (const name of readdirSync(reports)) {
      const report = JSON.parse(readFileSync(path.join(reports, name), 'utf8'));
      unsyncedRenames += report.findings.filter((f) => f.rule === 'unsynced-rename').reduce((n, f) => n + f.count, 0);
    }
  }
  return {
    status: child.error ? `spawn error: ${child.error.code ?? child.error.message}` : child.status,
    timedOut: child.error?.code === 'ETIMEDOUT',
    stdout: child.stdout ?? '',
    stderr: stderr.join('\n'),
    escaped,
    files: listFiles(data),
    unsyncedRenames,
  };
}

/**
 * The differences of `compareRuns` that a fix summary's lines (CodemodSite.differences) allow: a
 * summary that says errors change class allows `error-class`; nothing in a summary allows more.
 */
export function allowedDifferences(summary) {
  const allowed = new Set();
  if (
    summary.some((line) =>
      /errors are DurableWriteError|error, when there is one, is fs's own error|errors are fs's own/.test(line),
    )
  )
    allowed.add('error-class');
  return allowed;
}

/**
 * What differs between two runs, as sentences; `allowed` names differences the fix summary lists:
 * `error-class` (errors of another class with the same code), `output-order` (the same stdout lines
 * in another order: the fix's extra asynchronous steps move other work between them).
 */
export function compareRuns(before, after, allowed = new Set()) {
  const differences = [];
  if (before.timedOut || after.timedOut)
    return before.timedOut === after.timedOut
      ? []
      : [`${after.timedOut ? 'the fixed program' : 'the original'} timed out`];
  if (before.status !== after.status) differences.push(`exit status ${before.status} → ${after.status}`);
  const lines = (run) => run.stdout.split('\n');
  const sameOutput = allowed.has('output-order')
    ? lines(before).sort().join('\n') === lines(after).sort().join('\n')
    : before.stdout === after.stdout;
  if (!sameOutput) differences.push(`stdout ${JSON.stringify(before.stdout)} → ${JSON.stringify(after.stdout)}`);
  if (before.stderr !== after.stderr)
    differences.push(`stderr ${JSON.stringify(before.stderr)} → ${JSON.stringify(after.stderr)}`);
  const errorKey = (e) =>
    JSON.stringify(allowed.has('error-class') ? [e.kind, e.code ?? e.causeCode] : [e.kind, e.name, e.code]);
  const errors = (run) => run.escaped.map(errorKey).sort().join(' ');
  if (errors(before) !== errors(after))
    differences.push(`escaped errors ${errors(before) || 'none'} → ${errors(after) || 'none'}`);
  const beforeFiles = JSON.stringify(before.files);
  const afterFiles = JSON.stringify(after.files);
  if (beforeFiles !== afterFiles) differences.push(`files ${beforeFiles} → ${afterFiles}`);
  return differences;
}
