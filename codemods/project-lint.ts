/**
 * After `durable-write fix --write`: the project's own linters on the files the fix changed, so that
 * a diff that would fail the project's lint says so before the pull request does. ESLint (with the
 * project's config, so Prettier through eslint-plugin-prettier too), Prettier and Biome run when the
 * project configures and installs them; each is loaded from the project, never from this package.
 * A problem counts when the fix introduced it: the same linter on the original text did not report
 * it (compared by rule, message and the text of its line, since the fix moves lines). With
 * `--fix-lint` their fixes are applied, only for introduced problems (ESLint), or only to files the
 * tool found clean before the fix (Prettier, Biome), so that code the fix did not touch stays as it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileDurableSync } from 'durable-write-runtime';
import { configuresBiome, configuresPrettier } from './formatter.js';
import { addedBeyond } from './added.js';

export interface LintProblem {
  readonly tool: 'eslint' | 'prettier' | 'biome';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly message: string;
}

/** A problem as the comparison sees it: the fix moves lines, so the line's text stands for its number. */
type Keyed = LintProblem & { readonly key: string };

interface EslintMessage {
  ruleId: string | null;
  message: string;
  line: number;
  column: number;
  fatal?: boolean;
  fix?: { range: [number, number]; text: string };
}
interface EslintInstance {
  lintText(text: string, options: { filePath: string }): Promise<{ messages: EslintMessage[] }[]>;
  isPathIgnored(file: string): Promise<boolean>;
}
interface PrettierModule {
  readonly version?: string;
  resolveConfig(file: string): Promise<Record<string, unknown> | null>;
  getFileInfo(
    file: string,
    options: { ignorePath: string | string[] },
  ): Promise<{ ignored: boolean; inferredParser: string | null }>;
  check(text: string, options: Record<string, unknown>): Promise<boolean>;
  format(text: string, options: Record<string, unknown>): Promise<string>;
}

/** The project's linters, loaded from the project; `skipped` says why one that is configured cannot run. */
export interface ProjectLinters {
  readonly root: string;
  readonly eslint: EslintInstance | undefined;
  readonly prettier: PrettierModule | undefined;
  readonly biome: string | undefined;
  readonly skipped: readonly string[];
}

const eslintConfigs = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.json',
  '.eslintrc.yaml',
  '.eslintrc.yml',
  '.eslintrc',
];

async function importFromProject<T>(root: string, name: string): Promise<T | undefined> {
  let resolved: string;
  try {
    resolved = createRequire(path.join(root, 'package.json')).resolve(name);
  } catch {
    return undefined;
  }
  return (await import(pathToFileURL(resolved).href)) as T;
}

export async function loadProjectLinters(root: string): Promise<ProjectLinters> {
  const skipped: string[] = [];
  let eslint: EslintInstance | undefined;
  const manifest = readManifest(root);
  if (eslintConfigs.some((name) => fs.existsSync(path.join(root, name))) || manifest.eslintConfig !== undefined) {
    try {
      const api = await importFromProject<{
        loadESLint?: (options: { cwd: string }) => Promise<new (options: { cwd: string }) => EslintInstance>;
        ESLint?: new (options: { cwd: string }) => EslintInstance;
      }>(root, 'eslint');
      // loadESLint (ESLint ≥ 8.57) picks flat or eslintrc config as the project's `eslint` command does.
      const ESLint = api && (api.loadESLint ? await api.loadESLint({ cwd: root }) : api.ESLint);
      if (ESLint) eslint = new ESLint({ cwd: root });
      else skipped.push('ESLint is configured but not installed (npm ci first)');
    } catch (error) {
      skipped.push(`ESLint could not be loaded: ${(error as Error).message}`);
    }
  }
  let prettier: PrettierModule | undefined;
  if (configuresPrettier(root)) {
    const api = await importFromProject<PrettierModule & { default?: PrettierModule }>(root, 'prettier');
    prettier = api?.default ?? api;
    if (!prettier?.check) {
      prettier = undefined;
      skipped.push('Prettier is configured but its API (Prettier 3) is not installed');
    }
  }
  const biomeBin = path.join(root, 'node_modules', '.bin', 'biome');
  const biome = configuresBiome(root) && fs.existsSync(biomeBin) ? biomeBin : undefined;
  if (configuresBiome(root) && !biome) skipped.push('Biome is configured but not installed (npm ci first)');
  return { root, eslint, prettier, biome, skipped };
}

function readManifest(root: string): { eslintConfig?: unknown } {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { eslintConfig?: unknown };
  } catch {
    return {};
  }
}

export function hasLinters(linters: ProjectLinters): boolean {
  return Boolean(linters.eslint ?? linters.prettier ?? linters.biome);
}

const keyed = (problem: LintProblem, text: string): Keyed => ({
  ...problem,
  key: [problem.tool, problem.rule, problem.message, text.split(/\r?\n/)[problem.line - 1]?.trim() ?? ''].join('\0'),
});

/** Problems in `after` beyond those in `before` with the same key, counted. */
const introducedProblems = (before: readonly Keyed[], after: readonly Keyed[]): Keyed[] =>
  addedBeyond(before, after, (p) => p.key);

async function eslintMessages(linters: ProjectLinters, file: string, text: string): Promise<EslintMessage[]> {
  if (!linters.eslint || (await linters.eslint.isPathIgnored(file))) return [];
  const [result] = await linters.eslint.lintText(text, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null || m.fatal);
}

async function eslintProblems(linters: ProjectLinters, file: string, text: string): Promise<Keyed[]> {
  return (await eslintMessages(linters, file, text)).map((m) =>
    keyed(
      { tool: 'eslint', file, line: m.line, column: m.column, rule: m.ruleId ?? 'parse', message: m.message },
      text,
    ),
  );
}

async function prettierOptions(linters: ProjectLinters, file: string): Promise<Record<string, unknown> | undefined> {
  const prettier = linters.prettier;
  if (!prettier) return undefined;
  const ignorePaths = ['.prettierignore', '.gitignore'].map((name) => path.join(linters.root, name));
  // Prettier 3 reads both files as its CLI does; Prettier 2 takes one path (an array is a TypeError there).
  const major = Number.parseInt(prettier.version ?? '3', 10);
  const ignorePath = major >= 3 ? ignorePaths : path.join(linters.root, '.prettierignore');
  const info = await prettier.getFileInfo(file, { ignorePath });
  if (info.ignored || !info.inferredParser) return undefined;
  return { ...(await prettier.resolveConfig(file)), filepath: file };
}

async function prettierProblems(linters: ProjectLinters, file: string, text: string): Promise<Keyed[]> {
  const options = await prettierOptions(linters, file);
  if (!options || (await (linters.prettier as PrettierModule).check(text, options))) return [];
  const message = 'not formatted as the project’s Prettier formats it (prettier --check)';
  return [{ tool: 'prettier', file, line: 1, column: 1, rule: 'format', message, key: `prettier\0${message}` }];
}

interface BiomeDiagnostic {
  category?: string;
  message?: string;
  location?: { path?: string; start?: { line: number; column: number } };
}

/** `biome check` (lint, format, import order) on files on disk, by file. */
function biomeProblems(linters: ProjectLinters, files: readonly string[]): Map<string, Keyed[]> {
  const byFile = new Map<string, Keyed[]>(files.map((f) => [f, []]));
  const existing = files.filter((f) => fs.existsSync(f));
  if (!linters.biome || existing.length === 0) return byFile;
  const run = spawnSync(
    linters.biome,
    ['check', '--reporter=json', '--max-diagnostics=none', ...existing.map((f) => path.relative(linters.root, f))],
    { cwd: linters.root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { diagnostics?: BiomeDiagnostic[] };
  const texts = new Map(existing.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  for (const d of report.diagnostics ?? []) {
    const file = d.location?.path ? path.resolve(linters.root, d.location.path) : undefined;
    const text = file && texts.get(file);
    if (!file || text === undefined) continue;
    const problem: LintProblem = {
      tool: 'biome',
      file,
      // A formatting diagnostic is about the whole file: Biome gives it no position (0).
      line: Math.max(1, d.location?.start?.line ?? 1),
      column: Math.max(1, d.location?.start?.column ?? 1),
      rule: d.category ?? 'biome',
      message: d.message ?? '',
    };
    byFile.get(file)?.push(keyed(problem, text));
  }
  return byFile;
}

/** What the project's linters report on the files before the fix writes them; `original` is each file's text (absent for a new file). */
export interface LintBaseline {
  readonly original: ReadonlyMap<string, string | undefined>;
  readonly eslint: ReadonlyMap<string, Keyed[]>;
  readonly prettier: ReadonlyMap<string, Keyed[]>;
  readonly biome: ReadonlyMap<string, Keyed[]>;
}

/** Run before the files are written: Biome reads files, not text. */
export async function lintBaseline(
  linters: ProjectLinters,
  original: ReadonlyMap<string, string | undefined>,
): Promise<LintBaseline> {
  const eslint = new Map<string, Keyed[]>();
  const prettier = new Map<string, Keyed[]>();
  for (const [file, text] of original) {
    eslint.set(file, text === undefined ? [] : await eslintProblems(linters, file, text));
    prettier.set(file, text === undefined ? [] : await prettierProblems(linters, file, text));
  }
  return { original, eslint, prettier, biome: biomeProblems(linters, [...original.keys()]) };
}

/** Fixes ESLint offers for the problems the fix introduced, applied pass by pass as `eslint --fix` does. */
async function fixIntroducedEslintProblems(
  linters: ProjectLinters,
  file: string,
  text: string,
  before: readonly Keyed[],
): Promise<string> {
  for (let pass = 0; pass < 10; pass++) {
    const messages = await eslintMessages(linters, file, text);
    const withKeys = messages.map((m) => ({
      message: m,
      problem: keyed(
        { tool: 'eslint', file, line: m.line, column: m.column, rule: m.ruleId ?? 'parse', message: m.message },
        text,
      ),
    }));
    const introduced = new Set(
      introducedProblems(
        before,
        withKeys.map((k) => k.problem),
      ),
    );
    const fixes = withKeys
      .filter((k) => introduced.has(k.problem) && k.message.fix)
      .map((k) => k.message.fix as NonNullable<EslintMessage['fix']>)
      .sort((a, b) => a.range[0] - b.range[0]);
    let out = '';
    let at = 0;
    for (const f of fixes) {
      if (f.range[0] < at) continue; // overlaps an earlier fix: the next pass gets it
      out += text.slice(at, f.range[0]) + f.text;
      at = f.range[1];
    }
    if (fixes.length === 0) break;
    text = out + text.slice(at);
  }
  return text;
}

export interface ProjectLintResult {
  /** Problems the fix introduced that are still there. */
  readonly problems: readonly LintProblem[];
  /** Files whose text `--fix-lint` changed. */
  readonly fixedFiles: readonly string[];
  /** Why a tool's fixes were not applied to a file. */
  readonly notes: readonly string[];
  readonly tools: readonly string[];
}

/** Run after the files are written: the problems they have that the baseline did not, fixed first when `fix`. */
export async function lintChanges(
  linters: ProjectLinters,
  baseline: LintBaseline,
  fix: boolean,
): Promise<ProjectLintResult> {
  const files = [...baseline.original.keys()];
  // A file the fix created (the vendored helper) is the fix's own text throughout: the project's
  // linters format and fix it even without --fix-lint, as they would any file added to the project.
  const fixable = files.filter((f) => fix || baseline.original.get(f) === undefined);
  const fixedFiles = new Set<string>();
  const notes: string[] = [];
  const rel = (f: string): string => path.relative(linters.root, f);
  if (fixable.length) {
    for (const file of fixable) {
      const written = fs.readFileSync(file, 'utf8');
      let text = await fixIntroducedEslintProblems(linters, file, written, baseline.eslint.get(file) ?? []);
      const options = await prettierOptions(linters, file);
      if (options && !(await (linters.prettier as PrettierModule).check(text, options))) {
        if ((baseline.prettier.get(file) ?? []).length === 0)
          text = await (linters.prettier as PrettierModule).format(text, options);
        else notes.push(`${rel(file)}: not formatted with Prettier, which it did not pass before the fix`);
      }
      if (text !== written) {
        writeFileDurableSync(file, text);
        fixedFiles.add(file);
      }
    }
    if (linters.biome) {
      const now = biomeProblems(linters, fixable);
      const clean = fixable.filter(
        (f) => (baseline.biome.get(f) ?? []).length === 0 && (now.get(f) ?? []).length > 0 && fs.existsSync(f),
      );
      for (const f of fixable)
        if ((baseline.biome.get(f) ?? []).length > 0 && (now.get(f) ?? []).length > 0)
          notes.push(`${rel(f)}: Biome's fixes not applied, since it had Biome problems before the fix`);
      if (clean.length) {
        const texts = clean.map((f) => fs.readFileSync(f, 'utf8'));
        execFileSync(linters.biome, ['check', '--write', ...clean.map(rel)], {
          cwd: linters.root,
          stdio: ['ignore', 'ignore', 'ignore'],
        });
        clean.forEach((f, i) => {
          if (fs.readFileSync(f, 'utf8') !== texts[i]) fixedFiles.add(f);
        });
      }
    }
  }
  const problems: Keyed[] = [];
  const biomeNow = biomeProblems(linters, files);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    problems.push(
      ...introducedProblems(baseline.eslint.get(file) ?? [], await eslintProblems(linters, file, text)),
      ...introducedProblems(baseline.prettier.get(file) ?? [], await prettierProblems(linters, file, text)),
      ...introducedProblems(baseline.biome.get(file) ?? [], biomeNow.get(file) ?? []),
    );
  }
  const tools = [
    ...(linters.eslint ? ['ESLint'] : []),
    ...(linters.prettier ? ['Prettier'] : []),
    ...(linters.biome ? ['Biome'] : []),
  ];
  return {
    problems: problems.map(({ key: _key, ...p }) => p),
    fixedFiles: [...fixedFiles],
    notes,
    tools,
  };
}

/** The project's linters and what they said before the fix. */
export interface PendingProjectLint {
  readonly linters: ProjectLinters;
  readonly baseline: LintBaseline;
}

/**
 * Before writing `changes` (file → new text): loads the project's linters and lints the files as they
 * are; undefined when the project configures none. A linter that cannot load is reported, never
 * fatal: the fix itself is already decided.
 */
export async function lintBeforeWriting(
  root: string,
  changes: ReadonlyMap<string, string>,
): Promise<PendingProjectLint | string | undefined> {
  try {
    const linters = await loadProjectLinters(root);
    if (!hasLinters(linters))
      return linters.skipped.length ? `project lint: not run: ${linters.skipped.join('; ')}` : undefined;
    const original = new Map(
      [...changes.keys()].map((f) => [f, fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined] as const),
    );
    return { linters, baseline: await lintBaseline(linters, original) };
  } catch (error) {
    return `project lint: could not run: ${(error as Error).message}`;
  }
}

/** After writing: the summary lines (problems the fix introduced, what --fix-lint changed). */
export async function lintAfterWriting(pending: PendingProjectLint, fix: boolean): Promise<string[]> {
  const rel = (f: string): string => path.relative(pending.linters.root, f);
  let result: ProjectLintResult;
  try {
    result = await lintChanges(pending.linters, pending.baseline, fix);
  } catch (error) {
    return [`project lint: could not run: ${(error as Error).message}`];
  }
  const tools = result.tools.join(', ');
  return [
    result.problems.length
      ? `project lint (${tools}): ${result.problems.length} problem(s) the rewrite introduced${fix ? ' and --fix-lint could not fix' : ' (--fix-lint applies the fixes the linters offer)'}:`
      : `project lint (${tools}): no problem the rewrite introduced`,
    ...result.problems.map((p) => `  ${rel(p.file)}:${p.line}:${p.column} ${p.tool} ${p.rule}: ${p.message}`),
    ...(result.fixedFiles.length
      ? [
          `${fix ? '--fix-lint changed' : "the project's linters fixed the new"} ${result.fixedFiles.length} file(s): ${result.fixedFiles.map(rel).join(', ')}`,
        ]
      : []),
    ...pending.linters.skipped.map((s) => `  not run: ${s}`),
    ...result.notes.map((n) => `  ${n}`),
  ];
}
