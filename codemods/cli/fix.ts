/**
 * `durable-write fix [paths…]`: the codemod over a repository; a dry run (diff + summary) unless
 * `--write`. The workers run dry; this process verifies the counts, type-checks when asked, and
 * writes files itself, atomically and only when nobody changed them meanwhile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { structuredPatch } from 'diff';
import { writeFileDurableSync } from 'durable-write-runtime';
import { mayFindUnsyncedRenames } from '../../src/engine/detector.js';
import { customFunctionsOf, defaultImportSource, type Options as RuleOptions } from '../../src/options.js';
import { flushPolicyOf, nearestManifest } from '../../src/project.js';
import { filesWithoutManifest, missingRuntimeDependencies } from '../dependency.js';
import { formatFiles, projectFormatter } from '../formatter.js';
import { lintAfterWriting, lintBeforeWriting } from '../project-lint.js';
import { diagnosticsByTsc, diagnosticsWith, hasCompilerApi, projectTypeScript } from '../typecheck.js';
import type { FileResult } from '../engine.js';
import { ExitCode, parseOptions, reportingOptions, UsageError, type Command } from './command.js';
import { here, pathToImport, require, resolvePeer } from './dependencies.js';
import { git, rootOf, selectFiles } from './files.js';
import { parseFormat, toJson, toSarif, type Format, type Report } from './report.js';
import { parseRuleOptions } from './rule-options.js';
import { chooseTypeScriptParser } from './typescript-parser.js';
import { shipVendoredFile, vendorFiles } from './vendor.js';

const usage = `Usage: durable-write fix [paths…] [options]

Rewrites unsynced write + rename sites to the durable helper. A dry run (diff on stdout, summary on
stderr) unless --write.

Options:
  --write                 write the rewritten files (needs a clean git work tree)
  --force                 --write even outside git or with uncommitted changes
  --import-source <spec>  module the helper is imported from
  --vendor <file>         write one self-contained copy of the helper to <file> and import it from there
                          (no dependency added; without it, --write adds durable-write-runtime to
                          the nearest package.json dependencies)
  --typecheck             refuse a rewrite that adds TypeScript diagnostics (the project's own
                          TypeScript; ts-morph when it has none)
  --format-code           with --write: run the project's Prettier or Biome on the changed files
  --fix-lint              with --write: apply the fixes the project's ESLint, Prettier and Biome offer
                          for the problems the rewrite introduced (they are always reported)
  --tsconfig <file>       the project for --typecheck (default tsconfig.json)
  --cpus <n>              jscodeshift worker processes
  --rule-options <json>   the rule's options (writeFunctions, renameFunctions, syncFunctions, …)
  --format <name>         stylish (default: the diff on stdout, a summary on stderr), json or sarif
                          (the sites on stdout instead of the diff)
  -h, --help              this text

Exit codes: 0 done (sites left for review included), 1 a file failed or --typecheck refused the
rewrite, 2 usage or environment error.`;

interface FixArgs {
  readonly paths: string[];
  readonly write: boolean;
  readonly force: boolean;
  readonly importSource?: string;
  readonly vendor?: string;
  readonly typecheck: boolean;
  /** Run the project's Prettier or Biome on the changed files after writing them. */
  readonly formatCode?: boolean;
  /** Apply the project's linters' fixes to the problems the rewrite introduced. */
  readonly fixLint?: boolean;
  readonly tsconfig?: string;
  readonly cpus?: number;
  readonly ruleOptions?: RuleOptions;
  readonly format: Format;
  /** Module path of the TypeScript parser (`typescript-parser.ts`). */
  readonly typescriptParser?: string;
}

type WorkerResult = FileResult & { source?: string };

/** Runs the transform in jscodeshift's workers, dry; returns one result per file or throws. */
async function runWorkers(
  files: string[],
  args: FixArgs,
  cwd: string,
): Promise<{ results: Map<string, WorkerResult>; failed: string[] }> {
  const Runner = require(resolvePeer('jscodeshift/src/Runner.js', cwd)) as {
    run(
      transform: string,
      paths: string[],
      options: Record<string, unknown>,
    ): Promise<{ error: number; ok: number; nochange: number; skip: number }>;
  };
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-'));
  const results = new Map<string, WorkerResult>();
  const readReports = (): void => {
    for (const name of fs.readdirSync(reportDir)) {
      for (const line of fs.readFileSync(path.join(reportDir, name), 'utf8').split('\n').filter(Boolean)) {
        const result = JSON.parse(line) as WorkerResult;
        results.set(result.path, result);
      }
    }
  };
  const started = Date.now();
  const progress = setInterval(() => {
    readReports();
    process.stderr.write(
      `durable-write: ${results.size}/${files.length} files parsed (${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
  }, 5000);
  // The Runner prints its per-file errors to stdout; stdout carries the diff, so send them to stderr.
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    const counts = await Runner.run(path.join(here, '..', 'durable-write.js'), files, {
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
      ...(args.typescriptParser ? { typescriptParser: args.typescriptParser } : {}),
    });
    readReports();
    // FACTS: jscodeshift reports success even when a worker crashed on load: count for ourselves.
    const failed = files.filter((f) => !results.has(f));
    const counted = counts ? counts.error + counts.ok + counts.nochange + counts.skip : 0;
    if (counted !== files.length && failed.length === 0)
      failed.push(`(jscodeshift counted ${counted} of ${files.length} files)`);
    return { results, failed };
  } finally {
    process.stdout.write = stdoutWrite;
    clearInterval(progress);
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Diagnostics the rewrite adds, as `file: TSnnnn message`, compared without positions. */
async function addedDiagnostics(cwd: string, tsconfig: string, changes: Map<string, string>): Promise<string[]> {
  const own = projectTypeScript(cwd);
  if (own && !hasCompilerApi(own)) {
    process.stderr.write(
      `durable-write: --typecheck with the project's TypeScript ${own.version}: its tsc --noEmit (it has no JS compiler API)\n`,
    );
    return newDiagnostics(diagnosticsByTsc(cwd, tsconfig, new Map()), diagnosticsByTsc(cwd, tsconfig, changes));
  }
  if (own) {
    process.stderr.write(`durable-write: --typecheck with the project's TypeScript ${own.version}\n`);
    return newDiagnostics(diagnosticsWith(own, cwd, tsconfig, new Map()), diagnosticsWith(own, cwd, tsconfig, changes));
  }
  const { Project } = (await import(pathToImport(resolvePeer('ts-morph', cwd)))) as typeof import('ts-morph');
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
  return newDiagnostics(before, keys());
}

/** Diagnostics in `after` beyond those in `before`, counted, compared without positions. */
function newDiagnostics(before: readonly string[], after: readonly string[]): string[] {
  const remaining = new Map<string, number>();
  for (const k of before) remaining.set(k, (remaining.get(k) ?? 0) + 1);
  return after.filter((k) => {
    const n = remaining.get(k) ?? 0;
    remaining.set(k, n - 1);
    return n <= 0;
  });
}

async function fix(args: FixArgs, cwd: string): Promise<number> {
  const out = (s: string): boolean => process.stdout.write(s);
  const err = (s: string): boolean => process.stderr.write(`durable-write: ${s}\n`);
  if (args.write && !args.force) {
    const status = git(cwd, ['status', '--porcelain']);
    if (status === undefined)
      throw new UsageError('not inside a git work tree: --write needs one to make the change reviewable (or --force)');
    if (status.trim())
      throw new UsageError('the git work tree has uncommitted changes: commit or stash them first (or --force)');
  }
  if (args.typecheck && !projectTypeScript(cwd)) resolvePeer('ts-morph', cwd);
  const vendored = args.vendor ? vendorFiles(path.resolve(cwd, args.vendor)) : undefined;
  const files = selectFiles({ paths: args.paths }, cwd);
  const gateOptions = customFunctionsOf(args.ruleOptions ?? {});
  const candidates = files.filter((f) => mayFindUnsyncedRenames(fs.readFileSync(f, 'utf8'), gateOptions));
  err(`${files.length} files, ${candidates.length} may have a finding; parsing those`);
  const parser = candidates.some((f) => /\.[cm]?tsx?$/.test(f)) ? chooseTypeScriptParser(cwd) : undefined;
  if (parser?.warning) err(`warning: ${parser.warning}`);
  const workerArgs = parser ? { ...args, typescriptParser: parser.path } : args;
  const { results, failed } = candidates.length
    ? await runWorkers(candidates, workerArgs, cwd)
    : { results: new Map<string, WorkerResult>(), failed: [] };

  const rewritten = [...results.values()].filter(
    (r) => r.status === 'rewritten' && r.output !== undefined && r.source !== undefined,
  );
  const sites = [...results.values()].flatMap((r) => r.sites.map((s) => ({ ...s, file: path.relative(cwd, r.path) })));
  if (args.format === 'stylish')
    for (const r of rewritten) out(unifiedDiff(path.relative(cwd, r.path), r.source as string, r.output as string));

  const changes = new Map(rewritten.map((r) => [r.path, r.output as string]));
  // In-place edits (an injected fs made durable with flush: true) import nothing.
  const importing = rewritten.filter((r) =>
    r.sites.some((s) => s.status === 'rewritten' && s.shape !== 'flush' && s.shape !== 'wrapper'),
  );
  const importSource = args.importSource ?? args.ruleOptions?.importSource ?? defaultImportSource;
  const dependencies = vendored
    ? []
    : missingRuntimeDependencies(
        importing.map((r) => r.path),
        importSource,
      );
  const unmanaged = vendored
    ? []
    : filesWithoutManifest(
        importing.map((r) => r.path),
        importSource,
      );
  if (unmanaged.length) {
    const where = unmanaged.map((f) => path.relative(cwd, f)).join(', ');
    const problem = `no package.json above ${where}: the rewrite imports ${importSource}, which nothing would install there`;
    const remedy = `use --vendor <file> (one copy of the helper, no dependency), or create a package.json and add the runtime first (npm init -y && npm install ${importSource})`;
    if (args.write) throw new UsageError(`${problem}; nothing written. ${remedy}`);
    err(`warning: ${problem}; --write will refuse: ${remedy}`);
  }
  if (vendored && importing.length) for (const [file, text] of vendored.files) changes.set(file, text);
  let refused = false;
  if (args.typecheck && changes.size) {
    const tsconfig = path.resolve(cwd, args.tsconfig ?? 'tsconfig.json');
    if (!fs.existsSync(tsconfig))
      throw new UsageError(`--typecheck: no ${path.relative(cwd, tsconfig)}; pass --tsconfig`);
    const added = await addedDiagnostics(cwd, tsconfig, changes);
    if (added.length) {
      refused = true;
      err(`--typecheck: the rewrite adds ${added.length} diagnostic(s); nothing written:\n  ${added.join('\n  ')}`);
    } else err('--typecheck: no new diagnostics');
  }

  let writeFailures = 0;
  let packaging: string | undefined;
  // The project's linters see the files before they are written, to tell the rewrite's problems from older ones.
  const linting = args.write && !refused && rewritten.length ? await lintBeforeWriting(cwd, changes) : undefined;
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
    for (const change of dependencies) writeFileDurableSync(change.manifest, change.text);
    if (vendored && importing.length) {
      for (const [file, text] of vendored.files) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        writeFileDurableSync(file, text);
      }
      packaging = shipVendoredFile(
        path.resolve(cwd, args.vendor as string),
        cwd,
        importing.map((r) => r.path),
      );
    }
  }

  let formatted: string | undefined;
  if (args.formatCode && args.write && !refused && rewritten.length) {
    const formatter = projectFormatter(cwd);
    if (typeof formatter === 'string') formatted = `not formatted: ${formatter}`;
    else {
      formatFiles(formatter, cwd, [...changes.keys()]);
      formatted = `formatted with the project's ${formatter.name}: ${changes.size} files`;
    }
  }
  const projectLint =
    linting === undefined
      ? []
      : typeof linting === 'string'
        ? [linting]
        : await lintAfterWriting(linting, Boolean(args.fixLint));
  const differences = [...new Set(sites.flatMap((s) => s.differences ?? []))];
  const flushPolicies = inPlaceFlushPolicies(rewritten, cwd);
  const review = sites.filter((s) => s.status === 'review');
  const unparsable = [...results.values()].filter((r) => r.status === 'unparsable');
  if (args.format !== 'stylish') {
    const applied = args.write && !refused;
    const report: Report = {
      command: 'fix',
      cwd,
      root: rootOf(cwd),
      files: files.length,
      parsed: candidates.length,
      findings: [...results.values()].flatMap((r) =>
        r.sites.map((s) => ({
          file: r.path,
          line: s.line,
          column: s.column,
          level: s.status === 'review' ? ('warning' as const) : ('note' as const),
          message:
            s.status === 'review'
              ? `${s.rename}() after ${s.write}() left for review: ${s.reason}`
              : `${s.rename}() after ${s.write}() ${applied ? 'rewritten' : 'can be rewritten'} to the durable helper (${s.shape})`,
          fixable: s.status === 'rewritten',
        })),
      ),
      skipped: unparsable.map((r) => ({ file: r.path, reason: `cannot parse: ${r.reason ?? 'unknown error'}` })),
      warnings: [
        ...(parser?.warning ? [parser.warning] : []),
        ...failed.map((f) => `failed: ${path.relative(cwd, f)}`),
      ],
    };
    out(args.format === 'json' ? toJson(report) : toSarif(report));
  }
  const summary = [
    `files scanned: ${files.length} (${candidates.length} parsed)`,
    `sites found: ${sites.length}`,
    `rewritten: ${sites.length - review.length} in ${rewritten.length} files${args.write && !refused ? '' : ' (dry run: nothing written; --write applies)'}`,
    ...(differences.length ? ['behaviour that differs after the rewrite:', ...differences.map((d) => `  - ${d}`)] : []),
    ...flushPolicies,
    ...(formatted ? [formatted] : []),
    ...projectLint,
    `left for review: ${review.length}`,
    ...review.map((s) => `  ${s.file}:${s.line}:${s.column} ${s.rename}(): ${s.reason}`),
    ...dependencies.map(
      (d) =>
        `dependency ${args.write && !refused ? 'added' : 'to add'}: ${d.name}@${d.range} in ${path.relative(cwd, d.manifest)} (the rewritten files import it in production)` +
        (d.nodeFloor ? `\n  Node.js floor raised: ${d.name} requires ${d.nodeFloor}` : ''),
    ),
    ...(vendored && importing.length
      ? [
          `vendored helper: ${path.relative(cwd, path.resolve(cwd, args.vendor as string))} (one file, no dependency added)`,
        ]
      : []),
    ...(packaging ? [packaging] : []),
    ...(unparsable.length
      ? [
          `unparsable, skipped: ${unparsable.length}`,
          ...unparsable.map((r) => `  ${path.relative(cwd, r.path)}: ${r.reason}`),
        ]
      : []),
    ...(failed.length ? [`failed: ${failed.length}`, ...failed.map((f) => `  ${path.relative(cwd, f)}`)] : []),
  ];
  process.stderr.write(`${summary.join('\n')}\n`);
  return failed.length || writeFailures || refused ? ExitCode.findings : ExitCode.clean;
}

/**
 * How the in-place fixes of each package make the temp file durable, and why (`flushPolicyOf`): the
 * Node.js versions the choice assumes are part of the change a maintainer reviews.
 */
function inPlaceFlushPolicies(rewritten: readonly WorkerResult[], cwd: string): string[] {
  const lines = new Map<string, string>();
  for (const r of rewritten) {
    if (!r.sites.some((s) => s.status === 'rewritten' && s.shape === 'flush')) continue;
    const where = path.relative(cwd, nearestManifest(r.path)?.file ?? path.dirname(r.path)) || '.';
    const policy = flushPolicyOf(r.path);
    const how = policy.fsync ? 'the temp file fsynced explicitly before the rename' : 'flush: true on the write';
    lines.set(where, `in-place fixes under ${where}: ${how} (${policy.why})`);
  }
  return [...lines.values()];
}

/**
 * The dry run's `git diff`-style text of one file, from jsdiff's hunks with three lines of context;
 * empty when nothing changed. `\r` stays visible at line ends; an empty side counts from line 0, as
 * in `diff -u`.
 */
function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const { hunks } = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  const range = (start: number, lines: number): string => `${lines === 0 ? start - 1 : start},${lines}`;
  const body = hunks.flatMap((h) => [
    `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`,
    ...h.lines,
  ]);
  return `${[`--- a/${file}`, `+++ b/${file}`, ...body].join('\n')}\n`;
}

export const fixCommand: Command = {
  summary: 'rewrite unsynced write + rename sites to the durable helper (dry run unless --write)',
  usage,
  async run(argv, cwd) {
    const { values, positionals } = parseOptions(argv, {
      write: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'import-source': { type: 'string' },
      vendor: { type: 'string' },
      typecheck: { type: 'boolean', default: false },
      'format-code': { type: 'boolean', default: false },
      'fix-lint': { type: 'boolean', default: false },
      tsconfig: { type: 'string' },
      cpus: { type: 'string' },
      ...reportingOptions,
    });
    const format = parseFormat(values.format as string);
    const ruleOptions = parseRuleOptions(values['rule-options'] as string | undefined);
    const cpus = values.cpus === undefined ? undefined : Number(values.cpus);
    if (cpus !== undefined && !(Number.isInteger(cpus) && cpus > 0))
      throw new UsageError(`--cpus takes a positive integer, got ${JSON.stringify(values.cpus)}`);
    return fix(
      {
        paths: positionals,
        format,
        write: values.write as boolean,
        force: values.force as boolean,
        typecheck: values.typecheck as boolean,
        formatCode: values['format-code'] as boolean,
        fixLint: values['fix-lint'] as boolean,
        ...(values['import-source'] ? { importSource: values['import-source'] as string } : {}),
        ...(values.vendor ? { vendor: values.vendor as string } : {}),
        ...(values.tsconfig ? { tsconfig: values.tsconfig as string } : {}),
        ...(cpus ? { cpus } : {}),
        ...(ruleOptions ? { ruleOptions } : {}),
      },
      cwd,
    );
  },
};
