#!/usr/bin/env node
/**
 * `durable-write check [paths…]`: lint with `no-unsynced-rename`, zero config.
 * `durable-write fix [paths…]`: the codemod over a repository; a dry run (diff + summary) unless
 * `--write`. The workers run dry; this process verifies the counts, type-checks when asked, and
 * writes files itself, atomically and only when nobody changed them meanwhile.
 * Exit codes: 0 done, 1 findings (`check`) or a failed file / new type errors (`fix`), 2 refused
 * (usage, dirty work tree, missing dependency).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mayContainRename } from '../src/fs-api.js';
import { writeFileDurableSync } from '../src/durable/index.js';
import type { Options as RuleOptions } from '../src/options.js';
import { unifiedDiff } from './diff.js';
import { isDeclarationFile, type FileResult } from './engine.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceExtensions = new Set(['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts']);
/** The versions this package is tested with, for the install hint. */
const tested = { jscodeshift: '17.4.0', 'ts-morph': '28.0.0', '@typescript-eslint/parser': '8.72.0' } as const;

class Refusal extends Error {}

const usage = `Usage:
  durable-write check [paths…] [--format stylish|json]
  durable-write fix [paths…] [--write] [--force] [--import-source <spec>] [--vendor <file>]
                    [--typecheck] [--tsconfig <file>] [--cpus <n>] [--rule-options <json>]
Paths default to the current directory; node_modules and .gitignored files are skipped.`;

function need(name: keyof typeof tested): void {
  try {
    require.resolve(name, { paths: [process.cwd(), here] });
  } catch {
    throw new Refusal(`durable-write needs ${name} for this command: npm install -D -E ${name}@${tested[name]}`);
  }
}

const git = (cwd: string, args: string[]): string | undefined => {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  } catch {
    return undefined;
  }
};

/** JS/TS files under `paths`: git's view (tracked + untracked, minus ignored) in a repo, else a walk. */
export function listFiles(paths: readonly string[], cwd: string): string[] {
  const wanted = (file: string): boolean =>
    sourceExtensions.has(path.extname(file)) && !isDeclarationFile(file) && !file.split(/[\\/]/).includes('node_modules');
  const listed = git(cwd, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...paths]);
  if (listed !== undefined) {
    return [...new Set(listed.split('\0').filter(Boolean))]
      .map((f) => path.resolve(cwd, f))
      .filter((f) => wanted(f) && fs.existsSync(f))
      .sort();
  }
  const files: string[] = [];
  const walk = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isFile()) {
      if (wanted(p)) files.push(p);
      return;
    }
    for (const entry of fs.readdirSync(p)) if (entry !== 'node_modules' && !entry.startsWith('.')) walk(path.join(p, entry));
  };
  for (const p of paths) walk(path.resolve(cwd, p));
  return files.sort();
}

async function check(paths: string[], format: string, cwd: string): Promise<number> {
  const { ESLint } = await import('eslint');
  const { default: plugin } = await import('../src/index.js');
  const files = listFiles(paths, cwd);
  if (files.some((f) => /\.[cm]?tsx?$/.test(f))) need('@typescript-eslint/parser');
  const tsFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      { files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', ...tsFiles] },
      ...(files.some((f) => /\.[cm]?tsx?$/.test(f))
        ? [{ files: tsFiles, languageOptions: { parser: require(require.resolve('@typescript-eslint/parser', { paths: [cwd, here] })) } }]
        : []),
      { files: ['**/*.jsx', '**/*.js'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
      { files: ['**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
      { linterOptions: { reportUnusedDisableDirectives: 'off' } },
      plugin.configs.strict,
    ],
  });
  const results = files.length ? await eslint.lintFiles(files) : [];
  const formatter = await eslint.loadFormatter(format);
  process.stdout.write(await formatter.format(results));
  if (format !== 'json') process.stderr.write(`durable-write: checked ${files.length} files\n`);
  return results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0) ? 1 : 0;
}

interface Vendored {
  /** Files to write: path → text. */
  readonly files: Map<string, string>;
}

/** The helper's sources for `--vendor <file>`: `<file>` re-exports `<dir>/<name>/index`. */
export function vendorFiles(target: string): Vendored {
  const ext = path.extname(target);
  const base = path.basename(target, ext);
  const folder = path.join(path.dirname(target), base);
  let flavour: { dir: string; ext: string; entry: (spec: string) => string };
  const esm = { dir: 'esm', ext: '.mjs', entry: (spec: string) => `export * from '${spec}';\n` };
  const cjs = { dir: 'cjs', ext: '.cjs', entry: (spec: string) => `module.exports = require('${spec}');\n` };
  if (/^\.[cm]?ts$/.test(ext)) flavour = { dir: 'ts', ext: '.ts', entry: (spec) => `export * from '${spec.replace(/\.ts$/, '.js')}';\n` };
  else if (ext === '.mjs') flavour = esm;
  else if (ext === '.cjs') flavour = cjs;
  else if (ext === '.js') flavour = packageType(path.dirname(target)) === 'module' ? esm : cjs;
  else throw new Refusal(`--vendor needs a .ts, .mts, .cts, .js, .mjs or .cjs file, got ${target}`);
  const from = path.join(here, '..', 'vendor', flavour.dir);
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(from)) files.set(path.join(folder, name), fs.readFileSync(path.join(from, name), 'utf8'));
  files.set(target, `// The durable write helper, vendored by \`durable-write fix --vendor\`.\n${flavour.entry(`./${base}/index${flavour.ext}`)}`);
  return { files };
}

function packageType(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const manifest = path.join(d, 'package.json');
    if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type;
    if (path.dirname(d) === d) return undefined;
  }
}

interface FixArgs {
  readonly paths: string[];
  readonly write: boolean;
  readonly force: boolean;
  readonly importSource?: string;
  readonly vendor?: string;
  readonly typecheck: boolean;
  readonly tsconfig?: string;
  readonly cpus?: number;
  readonly ruleOptions?: RuleOptions;
}

/** Runs the transform in jscodeshift's workers, dry; returns one result per file or throws. */
async function runWorkers(files: string[], args: FixArgs, cwd: string): Promise<{ results: Map<string, FileResult & { source?: string }>; failed: string[] }> {
  need('jscodeshift');
  const Runner = require(require.resolve('jscodeshift/src/Runner.js', { paths: [cwd, here] })) as {
    run(transform: string, paths: string[], options: Record<string, unknown>): Promise<{ error: number; ok: number; nochange: number; skip: number }>;
  };
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-'));
  const results = new Map<string, FileResult & { source?: string }>();
  const readReports = (): void => {
    for (const name of fs.readdirSync(reportDir)) {
      for (const line of fs.readFileSync(path.join(reportDir, name), 'utf8').split('\n').filter(Boolean)) {
        const result = JSON.parse(line) as FileResult & { source?: string };
        results.set(result.path, result);
      }
    }
  };
  const started = Date.now();
  const progress = setInterval(() => {
    readReports();
    process.stderr.write(`durable-write: ${results.size}/${files.length} files parsed (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }, 5000);
  // The Runner prints its per-file errors to stdout; stdout carries the diff, so send them to stderr.
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    const counts = await Runner.run(path.join(here, 'durable-write.js'), files, {
      dry: true,
      babel: false,
      silent: true,
      verbose: 0,
      ...(args.cpus ? { cpus: args.cpus } : {}),
      runInBand: files.length < 20,
      reportDir,
      ...(args.importSource ? { importSource: args.importSource } : {}),
      ...(args.vendor ? { vendor: path.resolve(cwd, args.vendor) } : {}),
      ...(args.ruleOptions ? { ruleOptions: JSON.stringify(args.ruleOptions) } : {}),
    });
    readReports();
    // FACTS: jscodeshift reports success even when a worker crashed on load: count for ourselves.
    const failed = files.filter((f) => !results.has(f));
    const counted = counts ? counts.error + counts.ok + counts.nochange + counts.skip : 0;
    if (counted !== files.length && failed.length === 0) failed.push(`(jscodeshift counted ${counted} of ${files.length} files)`);
    return { results, failed };
  } finally {
    process.stdout.write = stdoutWrite;
    clearInterval(progress);
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Diagnostics the rewrite adds, as `file: TSnnnn message`, compared without positions. */
async function addedDiagnostics(cwd: string, tsconfig: string, changes: Map<string, string>): Promise<string[]> {
  need('ts-morph');
  const { Project } = (await import(pathToImport(require.resolve('ts-morph', { paths: [cwd, here] })))) as typeof import('ts-morph');
  const project = new Project({ tsConfigFilePath: tsconfig });
  const keys = (): string[] =>
    project.getPreEmitDiagnostics().map((d) => {
      const message = d.getMessageText();
      const text = typeof message === 'string' ? message : message.getMessageText();
      return `${path.relative(cwd, d.getSourceFile()?.getFilePath() ?? tsconfig)}: TS${d.getCode()} ${text}`;
    });
  const before = keys();
  for (const [file, text] of changes) {
    const existing = project.getSourceFile(file);
    if (existing) existing.replaceWithText(text);
    else if (/\.[cm]?tsx?$/.test(file)) project.createSourceFile(file, text, { overwrite: true });
  }
  const remaining = new Map<string, number>();
  for (const k of before) remaining.set(k, (remaining.get(k) ?? 0) + 1);
  return keys().filter((k) => {
    const n = remaining.get(k) ?? 0;
    remaining.set(k, n - 1);
    return n <= 0;
  });
}

const pathToImport = (file: string): string => new URL(`file://${file}`).href;

async function fix(args: FixArgs, cwd: string): Promise<number> {
  const out = (s: string): boolean => process.stdout.write(s);
  const err = (s: string): boolean => process.stderr.write(`durable-write: ${s}\n`);
  if (args.write && !args.force) {
    const status = git(cwd, ['status', '--porcelain']);
    if (status === undefined) throw new Refusal('not inside a git work tree: --write needs one to make the change reviewable (or --force)');
    if (status.trim()) throw new Refusal('the git work tree has uncommitted changes: commit or stash them first (or --force)');
  }
  if (args.typecheck) need('ts-morph');
  const vendored = args.vendor ? vendorFiles(path.resolve(cwd, args.vendor)) : undefined;
  const files = listFiles(args.paths, cwd);
  const renameNames = (args.ruleOptions?.renameFunctions ?? []).map((f) => f.name);
  const candidates = files.filter((f) => mayContainRename(fs.readFileSync(f, 'utf8'), renameNames));
  err(`${files.length} files, ${candidates.length} name a rename; parsing those`);
  const { results, failed } = candidates.length ? await runWorkers(candidates, args, cwd) : { results: new Map<string, FileResult & { source?: string }>(), failed: [] };

  const rewritten = [...results.values()].filter((r) => r.status === 'rewritten' && r.output !== undefined && r.source !== undefined);
  const sites = [...results.values()].flatMap((r) => r.sites.map((s) => ({ ...s, file: path.relative(cwd, r.path) })));
  for (const r of rewritten) out(unifiedDiff(path.relative(cwd, r.path), r.source as string, r.output as string));

  const changes = new Map(rewritten.map((r) => [r.path, r.output as string]));
  if (vendored && rewritten.length) for (const [file, text] of vendored.files) changes.set(file, text);
  let refused = false;
  if (args.typecheck && changes.size) {
    const tsconfig = path.resolve(cwd, args.tsconfig ?? 'tsconfig.json');
    if (!fs.existsSync(tsconfig)) throw new Refusal(`--typecheck: no ${path.relative(cwd, tsconfig)}; pass --tsconfig`);
    const added = await addedDiagnostics(cwd, tsconfig, changes);
    if (added.length) {
      refused = true;
      err(`--typecheck: the rewrite adds ${added.length} diagnostic(s); nothing written:\n  ${added.join('\n  ')}`);
    } else err('--typecheck: no new diagnostics');
  }

  let writeFailures = 0;
  if (args.write && !refused) {
    for (const r of rewritten) {
      // Never overwrite an edit made while the workers ran.
      if (fs.readFileSync(r.path, 'utf8') !== r.source) {
        writeFailures++;
        err(`${path.relative(cwd, r.path)} changed during the run; not written`);
        continue;
      }
      writeFileDurableSync(r.path, r.output as string);
    }
    if (vendored && rewritten.length) {
      for (const [file, text] of vendored.files) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        writeFileDurableSync(file, text);
      }
    }
  }

  const review = sites.filter((s) => s.status === 'review');
  const unparsable = [...results.values()].filter((r) => r.status === 'unparsable');
  const summary = [
    `files scanned: ${files.length} (${candidates.length} parsed)`,
    `sites found: ${sites.length}`,
    `rewritten: ${sites.length - review.length} in ${rewritten.length} files${args.write && !refused ? '' : ' (dry run: nothing written; --write applies)'}`,
    `left for review: ${review.length}`,
    ...review.map((s) => `  ${s.file}:${s.line}:${s.column} ${s.rename}(): ${s.reason}`),
    ...(vendored && rewritten.length ? [`vendored helper: ${path.relative(cwd, path.resolve(cwd, args.vendor as string))} (+ ${vendored.files.size - 1} files)`] : []),
    ...(unparsable.length ? [`unparsable, skipped: ${unparsable.length}`, ...unparsable.map((r) => `  ${path.relative(cwd, r.path)}: ${r.reason}`)] : []),
    ...(failed.length ? [`failed: ${failed.length}`, ...failed.map((f) => `  ${path.relative(cwd, f)}`)] : []),
  ];
  process.stderr.write(`${summary.join('\n')}\n`);
  return failed.length || writeFailures || refused ? 1 : 0;
}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'stylish' },
        write: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'import-source': { type: 'string' },
        vendor: { type: 'string' },
        typecheck: { type: 'boolean', default: false },
        tsconfig: { type: 'string' },
        cpus: { type: 'string' },
        'rule-options': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const paths = positionals.length ? positionals : ['.'];
    if (values.help || !command) {
      process.stdout.write(`${usage}\n`);
      return values.help ? 0 : 2;
    }
    if (command === 'check') return await check(paths, values.format, cwd);
    if (command === 'fix') {
      return await fix(
        {
          paths,
          write: values.write,
          force: values.force,
          typecheck: values.typecheck,
          ...(values['import-source'] ? { importSource: values['import-source'] } : {}),
          ...(values.vendor ? { vendor: values.vendor } : {}),
          ...(values.tsconfig ? { tsconfig: values.tsconfig } : {}),
          ...(values.cpus ? { cpus: Number(values.cpus) } : {}),
          ...(values['rule-options'] ? { ruleOptions: JSON.parse(values['rule-options']) as RuleOptions } : {}),
        },
        cwd,
      );
    }
    throw new Refusal(`unknown command ${command}\n${usage}`);
  } catch (error) {
    if (error instanceof Refusal || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`durable-write: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
