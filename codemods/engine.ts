/**
 * One file through the codemod: a text prefilter, then the detector (run by ESLint's `Linter`
 * through a collecting rule, exactly as the rule runs it), then the plan of `src/fix/codemod.ts`
 * applied as text edits, so that every byte outside the edits stays as it was (CRLF, comments,
 * `'use strict'`, BOM). The result is verified by running the detector again on it (`relintRewrite`,
 * which the CLI's verify phase runs too).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { diffLines, type Change } from 'diff';
import { Linter, type Rule, type SourceCode } from 'eslint';
import type { UnsyncedRename } from '../src/engine/detector.js';
import { findUnsyncedRenames, mayFindUnsyncedRenames } from '../src/engine/detector.js';
import { applyEdits, planCodemod, type CodemodSite } from '../src/fix/codemod.js';
import { vendorMismatch } from './vendor-file.js';
import { customFunctionsOf, defaultImportSource, type Options as RuleOptions } from '../src/options.js';

export type { CodemodSite } from '../src/fix/codemod.js';

export interface RewriteOptions {
  /** Module the helper is imported from; ignored with `vendor`. */
  readonly importSource?: string;
  /** Absolute path of a vendored copy of the helper: files import it by relative path. */
  readonly vendor?: string;
  /** The rule's options (`writeFunctions`, `renameFunctions`, `syncFunctions`). */
  readonly ruleOptions?: RuleOptions;
}

export interface FileResult {
  readonly path: string;
  /** `skipped`: not parsed (the rule's text gate, `.d.ts`); `unparsable`: left alone, with `reason`. */
  readonly status: 'skipped' | 'unparsable' | 'unchanged' | 'rewritten';
  readonly reason?: string;
  readonly sites: readonly CodemodSite[];
  /** The new text when `rewritten`. */
  readonly output?: string;
}

/** Thrown when an optional peer dependency the input needs is not installed. */
export class MissingDependencyError extends Error {
  constructor(
    readonly packageName: string,
    version: string,
  ) {
    super(
      `${packageName} is not installed; the codemod needs it for this file: npm install -D -E ${packageName}@${version}`,
    );
  }
}

const require = createRequire(import.meta.url);
const typescriptExtensions = /\.[cm]?tsx?$/;
export const isDeclarationFile = (file: string): boolean => /\.d\.[cm]?ts$/.test(file) || /\.d\.[^.]+\.ts$/.test(file);

let tsParser: Linter.Parser | undefined;
let tsParserPath = '@typescript-eslint/parser';
/**
 * The parser the `durable-write` CLI chose (`cli/typescript-parser.ts`: the project's own unless it
 * does not work with this ESLint); by default the one resolved from here.
 */
export function useTypescriptParser(modulePath: string): void {
  if (modulePath === tsParserPath) return;
  tsParserPath = modulePath;
  tsParser = undefined;
}

function typescriptParser(): Linter.Parser {
  try {
    tsParser ??= require(tsParserPath) as Linter.Parser;
  } catch {
    throw new MissingDependencyError('@typescript-eslint/parser', '8.72.0');
  }
  return tsParser;
}

/** How ESLint parses a file: TS by extension; JS as a module first (see `findingsOf`). */
function languageOptionsFor(file: string, sourceType: 'module' | 'commonjs'): Linter.LanguageOptions {
  const ext = path.extname(file);
  const jsx = ext === '.tsx' || ext === '.jsx' || ext === '.js';
  if (typescriptExtensions.test(file)) {
    return {
      parser: typescriptParser(),
      sourceType: 'module',
      parserOptions: { ecmaFeatures: { jsx: ext === '.tsx' } },
    };
  }
  return {
    ecmaVersion: 'latest',
    sourceType: ext === '.cjs' ? 'commonjs' : sourceType,
    parserOptions: { ecmaFeatures: { jsx } },
  };
}

// Files are linted under their real path (cross-module summaries resolve imports from it), so
// config patterns are matched from the file system's root.
const linter = new Linter({ configType: 'flat', cwd: path.parse(process.cwd()).root });
let sink: UnsyncedRename[] = [];
let detectorOptions: RuleOptions = {};
const collectingRule: Rule.RuleModule = {
  meta: { type: 'problem', schema: false },
  create: (context) =>
    findUnsyncedRenames(context, customFunctionsOf(detectorOptions), (finding) => sink.push(finding)),
};

interface Findings {
  readonly findings: UnsyncedRename[];
  readonly sourceCode: SourceCode;
}

/** Runs the detector on `text`; a string is the parse error. */
function findingsOf(text: string, file: string, options: RuleOptions): Findings | string {
  const attempts: Array<'module' | 'commonjs'> =
    path.extname(file) === '.js' || path.extname(file) === '.jsx' ? ['module', 'commonjs'] : ['module'];
  let error = 'unparsable';
  for (const sourceType of attempts) {
    sink = [];
    detectorOptions = options;
    const messages = linter.verify(
      text,
      [
        // The file may live under node_modules (vendored code), which flat config ignores by default.
        { ignores: ['!**/node_modules/'] },
        {
          files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
          languageOptions: languageOptionsFor(file, sourceType),
          linterOptions: { reportUnusedDisableDirectives: 'off' },
          plugins: { codemod: { rules: { findings: collectingRule } } },
          rules: { 'codemod/findings': 'error' },
        },
      ],
      { filename: path.isAbsolute(file) ? file : path.resolve(file) },
    );
    const fatal = messages.find((m) => m.fatal);
    if (!fatal) return { findings: sink, sourceCode: linter.getSourceCode() };
    error = `${fatal.message} (${fatal.line}:${fatal.column})`;
  }
  return error;
}

/** The import specifier of `vendor` from `file`: relative, with the extension Node resolves. */
export function vendorSpecifier(file: string, vendor: string): string {
  let relative = path.relative(path.dirname(file), vendor).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return relative
    .replace(/\.ts$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
}

/**
 * Why `file` is build output a maintainer regenerates rather than edits (LokiJS commits
 * build/lokijs.min.js): a `.min.` name, or lines of 500 characters on average. A fix goes in its source.
 */
function minifiedReason(file: string, text: string): string | undefined {
  const lines = text.split('\n').length;
  const minified = /\.min\.[cm]?[jt]sx?$/.test(file) || (text.length > 5000 && text.length / lines > 500);
  return minified ? 'a minified (generated) file: fix its source and rebuild' : undefined;
}

export function rewriteSource(source: string, file: string, options: RewriteOptions = {}): FileResult {
  const ruleOptions = options.ruleOptions ?? {};
  if (isDeclarationFile(file)) return { path: file, status: 'skipped', reason: 'declaration file', sites: [] };
  // Parsing dominates the cost of a repository run; most files never name a rename.
  if (!mayFindUnsyncedRenames(source, customFunctionsOf(ruleOptions)))
    return { path: file, status: 'skipped', reason: 'cannot have a finding', sites: [] };
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = source.slice(bom.length);
  const found = findingsOf(text, file, ruleOptions);
  if (typeof found === 'string') return { path: file, status: 'unparsable', reason: found, sites: [] };
  if (found.findings.length === 0) return { path: file, status: 'unchanged', sites: [] };
  const importSource = options.vendor
    ? vendorSpecifier(file, options.vendor)
    : (options.importSource ?? ruleOptions.importSource ?? defaultImportSource);
  const unfit = minifiedReason(file, text) ?? (options.vendor ? vendorMismatch(file, options.vendor) : undefined);
  if (unfit) {
    const sites = planCodemod(found.findings, found.sourceCode, {
      importSource,
      filename: file,
      vendored: options.vendor !== undefined,
    }).sites;
    return {
      path: file,
      status: 'unchanged',
      sites: sites.map((s) =>
        s.status === 'rewritten' ? { ...s, status: 'review', shape: undefined, reason: unfit } : s,
      ),
    };
  }
  const plan = planCodemod(found.findings, found.sourceCode, {
    importSource,
    filename: file,
    vendored: options.vendor !== undefined,
  });
  if (plan.edits.length === 0) return { path: file, status: 'unchanged', sites: plan.sites };
  const output = applyEdits(text, plan.edits);
  const verdict = relintRewrite(text, output, file, plan.sites, ruleOptions);
  if (verdict.problem) {
    return {
      path: file,
      status: 'unchanged',
      sites: plan.sites.map((s) =>
        s.status === 'rewritten' ? { ...s, status: 'review', shape: undefined, reason: verdict.problem } : s,
      ),
    };
  }
  return { path: file, status: 'rewritten', sites: plan.sites, output: bom + output };
}

/** A finding of the rule in a rewritten text that no site left for review accounts for. */
export interface RelintFinding {
  /** Position in the rewritten text (column 1-based). */
  readonly line: number;
  readonly column: number;
  /** `unresolved`: inside a function the rewrite changed (the fix left its own report); `new`: elsewhere. */
  readonly kind: 'unresolved' | 'new';
}

export interface RelintVerdict {
  /** Why the rewrite must not be applied; undefined when the detector agrees with it. */
  readonly problem: string | undefined;
  readonly findings: readonly RelintFinding[];
}

/**
 * The rule on a rewritten text, as a fix is judged: it must parse, and each finding left must be a
 * site the plan left for review. Findings are placed in the original text through a line diff
 * (the rewrite moves lines), so one the rewrite left inside a function it changed is told from one
 * it introduced elsewhere. `source` and `output` without a BOM; `sites` in `source`'s positions.
 */
export function relintRewrite(
  source: string,
  output: string,
  file: string,
  sites: readonly CodemodSite[],
  ruleOptions: RuleOptions = {},
): RelintVerdict {
  const check = findingsOf(output, file, ruleOptions);
  if (typeof check === 'string') return { problem: `the rewrite does not parse: ${check}`, findings: [] };
  const lines = originalLines(source, output);
  const review = sites.filter((s) => s.status === 'review');
  const rewritten = sites.filter((s) => s.status === 'rewritten');
  const findings: RelintFinding[] = [];
  for (const finding of check.findings) {
    const start = finding.rename.loc?.start ?? { line: 0, column: 0 };
    const [first, last] = lines[start.line - 1] ?? [start.line, start.line];
    const matched = review.findIndex((s) => s.line >= first && s.line <= last);
    if (matched >= 0) {
      review.splice(matched, 1);
      continue;
    }
    const inRewrite = rewritten.some((s) => s.enclosing[0] <= last && first <= s.enclosing[1]);
    findings.push({ line: start.line, column: start.column + 1, kind: inRewrite ? 'unresolved' : 'new' });
  }
  const unresolved = findings.filter((f) => f.kind === 'unresolved');
  const problem = unresolved.length
    ? `the rule still reports a rewritten site (line ${unresolved.map((f) => f.line).join(', ')} of the rewrite)`
    : findings.length
      ? `the rewrite introduces a finding of the rule (line ${findings.map((f) => f.line).join(', ')} of the rewrite)`
      : undefined;
  return { problem, findings };
}

/**
 * For each line of `output`, the lines of `source` it may stand for: itself when unchanged, the
 * whole replaced range (or the line it was inserted at) when the rewrite changed it.
 */
function originalLines(source: string, output: string): Array<readonly [number, number]> {
  const lines: Array<readonly [number, number]> = [];
  let old = 1;
  const changes = diffLines(source, output);
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i] as Change;
    const count = change.count ?? 0;
    if (!change.added && !change.removed) {
      for (let k = 0; k < count; k++) lines.push([old + k, old + k]);
      old += count;
    } else if (change.removed) {
      const next = changes[i + 1];
      if (next?.added) {
        for (let k = 0; k < (next.count ?? 0); k++) lines.push([old, old + count - 1]);
        i++;
      }
      old += count;
    } else for (let k = 0; k < count; k++) lines.push([old, old]);
  }
  return lines;
}
