/**
 * How a file is written, read once from the file itself so that the code a fix adds looks like the
 * lines around it: its module system, quotes, semicolons, spacing inside braces and line endings.
 * A maintainer reviews the fix in a pull request; a rewrite that reformats is a rewrite that is
 * refused (and a Biome or Prettier check that fails).
 *
 * Fixes write their snippets in one canonical style (`'single'` quotes, semicolons, `{ a }`) through
 * the `code` tag, which restyles the snippet's own text and never the file's text it interpolates.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import path from 'node:path';
import { mayRunWithoutFlush, nearestManifest } from '../project.js';
import { lineEnding } from './text.js';

/**
 * `esm`: `import` statements; `commonjs`: `require`; `unknown`: nothing in the file or its package
 * says which (a UMD wrapper, a script), so a fix that needs a new import is left for review.
 */
export type ModuleKind = 'esm' | 'commonjs' | 'unknown';

export interface FileStyle {
  readonly module: ModuleKind;
  readonly quote: "'" | '"';
  readonly semicolons: boolean;
  /** `{ a }` rather than `{a}`. */
  readonly braceSpacing: boolean;
  /**
   * Written for ES5 engines: `var` and no `let`/`const`, arrow functions or classes in the sample.
   * Added code then uses `var` and `function` expressions, which ES5 minifiers (uglify-js 2) parse.
   */
  readonly es5: boolean;
  /** `(err) => …` rather than `err => …` (Prettier's `arrowParens`: "always" since 2.0, "avoid" before). */
  readonly arrowParens: boolean;
  readonly eol: string;
  /**
   * The code may run on a Node.js older than 20.10, which ignores `flush: true` silently (its
   * package's `engines.node` admits one, or a published package declares none): fixes fsync the
   * file explicitly instead.
   */
  readonly flushIgnored: boolean;
  /**
   * The package's tests fail below an istanbul coverage threshold, which would count the Windows
   * path of a guard that no test on another system takes: the guard gets `istanbul ignore else`.
   */
  readonly istanbulCoverageGate: boolean;
}

const styles = new WeakMap<SourceCode, FileStyle>();

/** Statements a semicolon may end: the evidence for the file's semicolon style. */
const terminated = new Set([
  'ExpressionStatement',
  'VariableDeclaration',
  'ReturnStatement',
  'ThrowStatement',
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'BreakStatement',
  'ContinueStatement',
]);
/** Enough statements to know the style of a file, so that a large bundle costs no more than a small file. */
const SAMPLE = 400;

export function fileStyleOf(sourceCode: SourceCode, filename: string): FileStyle {
  let style = styles.get(sourceCode);
  if (!style) {
    style = {
      module: moduleKindOf(sourceCode, filename),
      ...punctuationOf(sourceCode),
      eol: lineEnding(sourceCode),
      flushIgnored: mayRunWithoutFlush(filename),
      istanbulCoverageGate: nearestManifest(filename)?.istanbulCoverageGate ?? false,
    };
    styles.set(sourceCode, style);
  }
  return style;
}

const usesGlobal = (sourceCode: SourceCode, name: string): boolean => {
  const scope = sourceCode.scopeManager?.globalScope;
  if (!scope) return false;
  return scope.through.some((r) => r.identifier.name === name) || (scope.set.get(name)?.references.length ?? 0) > 0;
};

/** By extension, then the file's own syntax (`import`/`export`, `require`/`module.exports`), then its package's `type`. */
export function moduleKindOf(sourceCode: SourceCode, filename: string): ModuleKind {
  const ext = path.extname(filename);
  if (ext === '.mjs' || ext === '.mts') return 'esm';
  if (ext === '.cjs' || ext === '.cts') return 'commonjs';
  const body = sourceCode.ast.body as ESTree.Node[];
  const esm = body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export'));
  const typescript = /^\.tsx?$/.test(ext);
  const cjs =
    usesGlobal(sourceCode, 'require') ||
    usesGlobal(sourceCode, 'module') ||
    usesGlobal(sourceCode, 'exports') ||
    body.some((s) => (s.type as string) === 'TSImportEqualsDeclaration');
  // AMD/UMD wrappers run in browsers too: a top-level require or import would break them.
  if (usesGlobal(sourceCode, 'define')) return 'unknown';
  if (esm && cjs) return typescript ? 'esm' : 'unknown';
  if (esm) return 'esm';
  if (cjs) return 'commonjs';
  // TypeScript compiles `import` to whatever the project's module setting says.
  if (typescript) return 'esm';
  return nearestManifest(filename)?.type === 'module' ? 'esm' : 'unknown';
}

function punctuationOf(
  sourceCode: SourceCode,
): Pick<FileStyle, 'quote' | 'semicolons' | 'braceSpacing' | 'es5' | 'arrowParens'> {
  let single = 0;
  let double = 0;
  for (const token of sourceCode.ast.tokens) {
    if (token.type !== 'String') continue;
    if (token.value.startsWith("'")) single++;
    else if (token.value.startsWith('"')) double++;
    if (single + double >= SAMPLE) break;
  }
  let withSemicolon = 0;
  let without = 0;
  let spaced = 0;
  let tight = 0;
  let vars = 0;
  let modern = 0;
  let parenthesised = 0;
  let bare = 0;
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  // An explicit stack: the walk must not grow the call stack with the nesting depth of the input.
  const stack: ESTree.Node[] = [sourceCode.ast as ESTree.Node];
  while (stack.length > 0 && withSemicolon + without < SAMPLE) {
    const node = stack.pop() as ESTree.Node;
    if (
      terminated.has(node.type) &&
      !(node.type === 'VariableDeclaration' && /^For/.test((node as { parent?: ESTree.Node }).parent?.type ?? ''))
    ) {
      const last = sourceCode.getLastToken(node);
      if (last?.value === ';') withSemicolon++;
      else without++;
    }
    if (node.type === 'ArrowFunctionExpression' && node.params.length === 1 && node.params[0]?.type === 'Identifier') {
      const param = node.params[0] as ESTree.Identifier & { typeAnnotation?: unknown };
      if (!param.typeAnnotation && !node.async) {
        if (sourceCode.getFirstToken(node)?.value === '(') parenthesised++;
        else bare++;
      }
    }
    if (node.type === 'VariableDeclaration') {
      if (node.kind === 'var') vars++;
      else modern++;
    } else if (
      node.type === 'ArrowFunctionExpression' ||
      node.type === 'ClassDeclaration' ||
      node.type === 'ClassExpression'
    )
      modern++;
    if (
      (node.type === 'ObjectPattern' || node.type === 'ObjectExpression' || node.type === 'ImportDeclaration') &&
      spaced + tight < SAMPLE
    ) {
      const open =
        node.type === 'ImportDeclaration'
          ? sourceCode.getFirstToken(node, { filter: (t) => t.value === '{' })
          : sourceCode.getFirstToken(node);
      const next = open && sourceCode.getTokenAfter(open, { includeComments: true });
      if (
        open?.value === '{' &&
        next?.loc &&
        next.range &&
        next.value !== '}' &&
        next.loc.start.line === open.loc.end.line
      ) {
        if (next.range[0] > open.range[1]) spaced++;
        else tight++;
      }
    }
    for (const key of keys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value])
        if (child && typeof child === 'object') stack.push(child as ESTree.Node);
    }
  }
  return {
    quote: double > single ? '"' : "'",
    semicolons: withSemicolon >= without,
    braceSpacing: spaced >= tight,
    es5: vars > 0 && modern === 0,
    arrowParens: parenthesised >= bare,
  };
}

/**
 * A template tag for snippets written in the canonical style: the literal parts are restyled for
 * the file, the interpolated values (the file's own text, names) are kept as they are.
 */
export function code(style: FileStyle): (strings: TemplateStringsArray, ...values: unknown[]) => string {
  const restyle = (text: string): string => {
    let out = text;
    if (style.quote === '"') out = out.replace(/'/g, '"');
    if (!style.semicolons) out = out.replace(/;(?=[ \t]*(\r?\n|$))/g, '');
    if (!style.braceSpacing) out = out.replace(/\{ (?! )/g, '{').replace(/(?<! ) \}/g, '}');
    if (!style.arrowParens) out = out.replace(/(?<![\w$)])\(([A-Za-z_$][\w$]*)\) =>/g, '$1 =>');
    return out;
  };
  return (strings, ...values) =>
    strings.reduce((out, s, i) => out + restyle(s) + (i < values.length ? String(values[i]) : ''), '');
}
