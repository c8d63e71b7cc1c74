/**
 * Text edits as plain data, and the line-level helpers that keep a rewrite tidy: line endings and
 * indentation taken from the file, whole-line removal that keeps every comment.
 * The rule turns edits into `fixer.replaceTextRange`; a codemod can apply them directly.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';

/** Replace `range` of the original text with `text` (an insertion when the range is empty). */
export interface TextEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

export const rangeOf = (node: ESTree.Node | ESTree.Comment): [number, number] => node.range as [number, number];

export const within = (inner: readonly [number, number], outer: readonly [number, number]): boolean =>
  inner[0] >= outer[0] && inner[1] <= outer[1];

/**
 * What a fix takes out of the program: the ranges its edits replace, less the nodes whose text it
 * copies into the replacement (the destination, the data, a callback). A binding may go only when
 * every reference to it is removed in this sense; a reference inside a carried node lives on.
 */
export interface Removal {
  readonly removed: ReadonlyArray<readonly [number, number]>;
  readonly carried: ReadonlyArray<readonly [number, number]>;
}

/** Is this node's code gone after the fix (inside a removed range, outside every carried one)? */
export const isRemovedBy = (node: ESTree.Node, removal: Removal): boolean =>
  removal.removed.some((r) => within(rangeOf(node), r)) && !removal.carried.some((r) => within(rangeOf(node), r));

/**
 * Facts about the whole file that every fix of it shares. Computed once per file and kept beside its
 * SourceCode: a bundle has thousands of findings, and a whole-file scan per finding is quadratic.
 */
interface TextLayout {
  readonly eol: string;
  readonly indentUnit: string;
}

const layouts = new WeakMap<SourceCode, TextLayout>();

function layoutOf(sourceCode: SourceCode): TextLayout {
  let style = layouts.get(sourceCode);
  if (!style) {
    style = { eol: sourceCode.text.includes('\r\n') ? '\r\n' : '\n', indentUnit: guessIndentUnit(sourceCode.lines) };
    layouts.set(sourceCode, style);
  }
  return style;
}

/** The file's own line ending, so that CRLF files stay CRLF. */
export function lineEnding(sourceCode: SourceCode): string {
  return layoutOf(sourceCode).eol;
}

function lineStartOf(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** Whitespace at the start of the line where `node` starts. */
export function indentOf(sourceCode: SourceCode, node: ESTree.Node): string {
  const text = sourceCode.text;
  const start = lineStartOf(text, rangeOf(node)[0]);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** One indentation step, guessed from the file (tabs, or the smallest indentation in use). */
export function indentUnit(sourceCode: SourceCode): string {
  return layoutOf(sourceCode).indentUnit;
}

/** Lines indented with tabs, laid out at `indent` with the file's indentation unit. */
export function layout(sourceCode: SourceCode, lines: readonly string[], indent: string): string[] {
  const unit = indentUnit(sourceCode);
  return lines.map((l) => `${indent}${l.replace(/^\t+/, (tabs) => unit.repeat(tabs.length))}`);
}

function guessIndentUnit(lines: readonly string[]): string {
  // A loop, not `Math.min(...widths)`: spreading one argument per line overflows the stack on bundles.
  let width = Infinity;
  for (const line of lines) {
    // ` * ` continues a block comment one space in from its `/**`: not a unit of indentation.
    const indent = /^[ \t]+(?=[^\s*])/.exec(line)?.[0];
    if (indent === undefined) continue;
    if (indent.startsWith('\t')) return '\t';
    width = Math.min(width, indent.length);
  }
  return ' '.repeat(Number.isFinite(width) && width <= 8 ? width : 2);
}

/** Comment text that can sit on a line followed by code. */
const inline = (sourceCode: SourceCode, comment: ESTree.Comment): string =>
  comment.type === 'Line' ? `/*${comment.value}*/` : sourceCode.getText(comment as unknown as ESTree.Node);

/**
 * Removes a statement. When it stands alone on its lines, the lines go too. Comments inside it,
 * except inside `kept` nodes (whose text the fix copies elsewhere), stay where the statement was.
 */
export function removeStatement(
  sourceCode: SourceCode,
  statement: ESTree.Node,
  kept: readonly ESTree.Node[] = [],
): TextEdit {
  const text = sourceCode.text;
  const [start, end] = rangeOf(statement);
  const comments = sourceCode
    .getCommentsInside(statement)
    .filter((c) => !kept.some((k) => within(rangeOf(c), rangeOf(k))));
  const lineStart = lineStartOf(text, start);
  const newline = text.indexOf('\n', end);
  const lineEnd = newline === -1 ? text.length : newline + 1;
  const aloneOnLines = /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*\r?\n?$/.test(text.slice(end, lineEnd));
  if (aloneOnLines) {
    const indent = text.slice(lineStart, start);
    // A statement set apart by blank lines takes one of them along: no double blank line is left.
    const blankBefore = /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, lineStart - 200), lineStart));
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(lineEnd, lineEnd + 200))?.[0];
    if (comments.length === 0 && blankBefore && blankAfter)
      return { range: [lineStart, lineEnd + blankAfter.length], text: '' };
    // Each comment gets a line of its own, so a line comment can stay one.
    const keptLines = comments
      .map((c) => `${indent}${sourceCode.getText(c as unknown as ESTree.Node)}${lineEnding(sourceCode)}`)
      .join('');
    return { range: [lineStart, lineEnd], text: keptLines };
  }
  const trailing = /^[ \t]*/.exec(text.slice(end))?.[0].length ?? 0;
  return { range: [start, end + trailing], text: comments.map((c) => `${inline(sourceCode, c)} `).join('') };
}

/** Statement lists an edit can add to or remove from. */
export type StatementList = ESTree.Program | ESTree.BlockStatement | ESTree.StaticBlock | ESTree.SwitchCase;

/** The list a statement belongs to, and its index there. */
export function statementListOf(
  statement: ESTree.Node,
): { list: readonly ESTree.Node[]; owner: StatementList } | undefined {
  const owner = (statement as ESTree.Node & { parent?: ESTree.Node }).parent;
  if (!owner) return undefined;
  if (owner.type === 'Program' || owner.type === 'BlockStatement' || owner.type === 'StaticBlock') {
    return { list: owner.body as ESTree.Node[], owner };
  }
  if (owner.type === 'SwitchCase') return { list: owner.consequent, owner };
  return undefined;
}

export { parentOf } from '../ast.js';
