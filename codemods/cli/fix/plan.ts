/**
 * Phase 1 of `durable-write fix`: the plan. Per file the rewritten text and per site the remedy
 * chosen or the reason it is left for review (from the workers); then what the rewrites need
 * around them: the runtime dependency in each nearest package.json, or the vendored copy; how the
 * in-place fixes make a temp file durable for the package's Node.js floor. Plain data, read from
 * the project, never written: the later phases check it, apply it and report it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mayFindUnsyncedRenames } from '../../../src/engine/detector.js';
import { customFunctionsOf, defaultImportSource, type Options as RuleOptions } from '../../../src/options.js';
import { flushPolicyOf, nearestManifest } from '../../../src/project.js';
import { filesWithoutManifest, missingRuntimeDependencies, type DependencyChange } from '../../dependency.js';
import type { CodemodSite, FileResult } from '../../engine.js';
import { selectFiles } from '../files.js';
import type { Format } from '../report.js';
import { chooseTypeScriptParser } from '../typescript-parser.js';
import { vendorFiles } from '../vendor.js';
import { runWorkers } from './workers.js';

export interface FixArgs {
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
  /** A shell command (the project's tests) run before and after the rewrite. */
  readonly verifyCommand?: string;
  /** Milliseconds each run of `verifyCommand` may take. */
  readonly verifyTimeout?: number;
  readonly cpus?: number;
  readonly ruleOptions?: RuleOptions;
  readonly format: Format;
}

/** One file's rewrite: the text the workers read, the text they made, and every site in it. */
export interface PlannedRewrite {
  readonly path: string;
  readonly source: string;
  readonly output: string;
  readonly sites: readonly CodemodSite[];
}

export interface FixPlan {
  readonly cwd: string;
  /** Files selected, and those parsed (the others fail the rule's text gate). */
  readonly selected: number;
  readonly parsed: number;
  /** Every parsed file's result (its sites, rewritten or left for review), by path. */
  readonly results: readonly FileResult[];
  readonly rewrites: readonly PlannedRewrite[];
  /** Files no worker answered for. */
  readonly failed: readonly string[];
  /** Module path of the TypeScript parser the workers used, when a TS file was parsed. */
  readonly typescriptParser: string | undefined;
  readonly parserWarning: string | undefined;
  readonly ruleOptions: RuleOptions;
  /** What the rewritten files import the helper from. */
  readonly importSource: string;
  /** `--vendor`: the copy's path and text, written when a rewrite imports it. */
  readonly vendor: { readonly target: string; readonly files: ReadonlyMap<string, string> } | undefined;
  /** Rewrites that import the helper (in-place fixes import nothing). */
  readonly importing: readonly string[];
  readonly dependencies: readonly DependencyChange[];
  /** Importing files with no package.json above them: nothing would install the runtime there. */
  readonly unmanaged: readonly string[];
  /** One line per package with in-place fixes: how the temp file is made durable, and why. */
  readonly flushPolicies: readonly string[];
}

/** Runs the workers and decides what the fix changes; reads files, writes none. */
export async function planFix(args: FixArgs, cwd: string, progress: (line: string) => void): Promise<FixPlan> {
  const vendor = args.vendor
    ? { target: path.resolve(cwd, args.vendor), files: vendorFiles(path.resolve(cwd, args.vendor)).files }
    : undefined;
  const files = selectFiles({ paths: args.paths }, cwd);
  const ruleOptions = args.ruleOptions ?? {};
  // Calls of dependencies that publish have no fix: files with only those are not parsed.
  const gateOptions = { ...customFunctionsOf(ruleOptions), dependencies: false };
  const candidates = files.filter((f) => mayFindUnsyncedRenames(fs.readFileSync(f, 'utf8'), gateOptions));
  progress(`${files.length} files, ${candidates.length} may have a finding; parsing those`);
  const parser = candidates.some((f) => /\.[cm]?tsx?$/.test(f)) ? chooseTypeScriptParser(cwd) : undefined;
  if (parser?.warning) progress(`warning: ${parser.warning}`);
  const { results, failed } = candidates.length
    ? await runWorkers(
        candidates,
        {
          ...(args.importSource ? { importSource: args.importSource } : {}),
          ...(vendor ? { vendor: vendor.target } : {}),
          ...(args.ruleOptions ? { ruleOptions: args.ruleOptions } : {}),
          ...(args.cpus ? { cpus: args.cpus } : {}),
          ...(parser ? { typescriptParser: parser.path } : {}),
        },
        cwd,
      )
    : { results: new Map(), failed: [] };
  const rewrites = [...results.values()].flatMap((r) =>
    r.status === 'rewritten' && r.output !== undefined && r.source !== undefined
      ? [{ path: r.path, source: r.source, output: r.output, sites: r.sites }]
      : [],
  );
  return withRewrites(
    {
      cwd,
      selected: files.length,
      parsed: candidates.length,
      results: [...results.values()].map(({ source: _text, ...result }) => result),
      failed,
      typescriptParser: parser?.path,
      parserWarning: parser?.warning,
      ruleOptions,
      importSource: args.importSource ?? ruleOptions.importSource ?? defaultImportSource,
      vendor,
    },
    rewrites,
  );
}

type Decided = 'rewrites' | 'importing' | 'dependencies' | 'unmanaged' | 'flushPolicies';

/** The plan for `rewrites`: what they need around them follows from which files they are. */
function withRewrites(base: Omit<FixPlan, Decided>, rewrites: readonly PlannedRewrite[]): FixPlan {
  const importing = rewrites
    .filter((r) => r.sites.some((s) => s.status === 'rewritten' && s.shape !== 'flush' && s.shape !== 'wrapper'))
    .map((r) => r.path);
  return {
    ...base,
    rewrites,
    importing,
    dependencies: base.vendor ? [] : missingRuntimeDependencies(importing, base.importSource),
    unmanaged: base.vendor ? [] : filesWithoutManifest(importing, base.importSource),
    flushPolicies: inPlaceFlushPolicies(rewrites, base.cwd),
  };
}

/**
 * The plan without the rewrites of `dropped` (path → why): their sites are left for review with
 * that reason, and what the other rewrites need is decided again (a dependency only they needed goes).
 */
export function dropRewrites(plan: FixPlan, dropped: ReadonlyMap<string, string>): FixPlan {
  if (dropped.size === 0) return plan;
  const results = plan.results.map((r): FileResult => {
    const reason = dropped.get(r.path);
    if (reason === undefined) return r;
    const { output: _output, ...rest } = r;
    return {
      ...rest,
      status: 'unchanged',
      sites: r.sites.map((s) => (s.status === 'rewritten' ? { ...s, status: 'review', shape: undefined, reason } : s)),
    };
  });
  return withRewrites(
    { ...plan, results },
    plan.rewrites.filter((r) => !dropped.has(r.path)),
  );
}

/**
 * The files the plan writes, path → new text: the rewrites, the vendored copy when a rewrite
 * imports it, and with `manifests` the package.json files that get the runtime dependency.
 */
export function plannedChanges(plan: FixPlan, { manifests }: { manifests: boolean }): Map<string, string> {
  const changes = new Map(plan.rewrites.map((r) => [r.path, r.output]));
  if (plan.vendor && plan.importing.length) for (const [file, text] of plan.vendor.files) changes.set(file, text);
  if (manifests) for (const d of plan.dependencies) changes.set(d.manifest, d.text);
  return changes;
}

/**
 * How the in-place fixes of each package make the temp file durable, and why (`flushPolicyOf`): the
 * Node.js versions the choice assumes are part of the change a maintainer reviews.
 */
function inPlaceFlushPolicies(rewrites: readonly PlannedRewrite[], cwd: string): string[] {
  const lines = new Map<string, string>();
  for (const r of rewrites) {
    if (!r.sites.some((s) => s.status === 'rewritten' && s.shape === 'flush')) continue;
    const where = path.relative(cwd, nearestManifest(r.path)?.file ?? path.dirname(r.path)) || '.';
    const policy = flushPolicyOf(r.path);
    const how = policy.fsync ? 'the temp file fsynced explicitly before the rename' : 'flush: true on the write';
    lines.set(where, `in-place fixes under ${where}: ${how} (${policy.why})`);
  }
  return [...lines.values()];
}
