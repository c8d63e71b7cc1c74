/**
 * Inserted fsync calls: before a descriptor or FileHandle is closed, or, when nothing better fits,
 * an fsync of the temp file right before the rename. Neither fsyncs the directory.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { descendants, enclosingFunction } from '../ast.js';
import type { UnsyncedRename } from '../detector.js';
import { calleeName, propertyName } from '../file-key.js';
import { awaitedValue, completionOf, fsModules, isTableMember, siblingRef, statementOf } from './calls.js';
import { identifiersIn, isSideEffectFree } from './expressions.js';
import { code, type FileStyle } from './file-style.js';
import type { ImportPlan } from './imports.js';
import { indentOf, indentUnit, lineEnding, parentOf, rangeOf, statementListOf, type TextEdit } from './text.js';

export interface InsertedSync {
  /** The call as the user will read it, e.g. `fs.fsyncSync(fd)`. */
  readonly call: string;
  readonly edits: TextEdit[];
}

/** Calls of `root` that overlap `range`; subtrees outside it are not walked. */
function* callsIn(root: ESTree.Node, range: readonly [number, number]): Generator<ESTree.CallExpression> {
  const overlaps = (node: ESTree.Node): boolean => rangeOf(node)[0] < range[1] && rangeOf(node)[1] > range[0];
  for (const node of descendants(root, overlaps)) if (node.type === 'CallExpression') yield node;
}

const functionOf = enclosingFunction;

const insertBefore = (sourceCode: SourceCode, statement: ESTree.Node, text: string): TextEdit => {
  const start = rangeOf(statement)[0];
  return { range: [start, start], text: `${text}${lineEnding(sourceCode)}${indentOf(sourceCode, statement)}` };
};

/**
 * The close statement becomes `try { <sync>; } finally { <close> }`: a sync that throws (EIO, a full
 * disk reported late) must not leave the descriptor or handle open when the original code closed it.
 */
function syncThenClose(sourceCode: SourceCode, style: FileStyle, statement: ESTree.Node, sync: string): TextEdit {
  const indent = indentOf(sourceCode, statement);
  const unit = indentUnit(sourceCode);
  const lines = ['try {', code(style)`${unit}${sync};`, '} finally {', `${unit}${sourceCode.getText(statement)}`, '}'];
  return { range: rangeOf(statement), text: lines.join(`${style.eol}${indent}`) };
}

/**
 * `fs.writeSync(fd, …) … fs.closeSync(fd)` → `fs.fsyncSync(fd)` before the close;
 * `await handle.write(…) … await handle.close()` → `await handle.sync()` before the close.
 */
export function fsyncBeforeClose(sourceCode: SourceCode, plan: ImportPlan, finding: UnsyncedRename): InsertedSync | undefined {
  const write = finding.write;
  if (write.type !== 'CallExpression' || finding.writeMember.wholeFile) return undefined;
  const isHandle = finding.writeMember.path === undefined;
  const target = isHandle
    ? write.callee.type === 'MemberExpression' ? (write.callee.object as ESTree.Node) : undefined
    : (write.arguments[finding.writeMember.path ?? 0] as ESTree.Node | undefined);
  if (!target) return undefined;
  const text = sourceCode.getText(target);
  const [from, to] = [rangeOf(write)[1], rangeOf(finding.rename)[0]];
  for (const call of callsIn(functionOf(write), [from, to])) {
    if (rangeOf(call)[0] < from || rangeOf(call)[1] > to) continue;
    const at = statementOf(call);
    if (!at) continue;
    if (isHandle) {
      const closes = call.callee.type === 'MemberExpression' && propertyName(call.callee) === 'close' && sourceCode.getText(call.callee.object) === text;
      if (closes && at.awaited) {
        const sync = `await ${text}.sync()`;
        return { call: sync, edits: [syncThenClose(sourceCode, plan.style, at.statement, sync)] };
      }
    } else if (/^close(Sync)?$/.test(calleeName(call.callee) ?? '') && call.arguments[0] && sourceCode.getText(call.arguments[0]) === text) {
      const fsync = siblingRef(sourceCode, plan, call.callee, 'fsyncSync', call);
      if (!fsync) return undefined;
      return { call: `${fsync}(${text})`, edits: [syncThenClose(sourceCode, plan.style, at.statement, `${fsync}(${text})`)] };
    }
  }
  return undefined;
}

/**
 * `return rename(…)`, `return await rename(…)`, `const r = await rename(…)`: statements whose value is
 * the rename, so that it runs whenever the statement does and an fsync can go right before it. A
 * returned promise in an async function is awaited by the return.
 */
function valueStatementOf(call: ESTree.Node): { statement: ESTree.Node; awaited: boolean } | undefined {
  const { node, parent } = awaitedValue(call);
  let { awaited } = awaitedValue(call);
  let statement: ESTree.Node | undefined;
  if (parent?.type === 'ReturnStatement' && parent.argument === node) {
    statement = parent;
    const fn = functionOf(parent);
    awaited ||= (fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression' || fn.type === 'ArrowFunctionExpression') && fn.async === true;
  } else if (parent?.type === 'VariableDeclarator' && parent.init === node) {
    const declaration = parentOf(parent);
    if (declaration?.type === 'VariableDeclaration' && declaration.declarations.length === 1) statement = declaration;
  }
  return statement && statementListOf(statement) ? { statement, awaited } : undefined;
}

/** `(…) => rename(…)`: the rename is an arrow function's whole body (a stream listener, a `.then`). */
function conciseBodyOf(call: ESTree.Node): { statement: ESTree.Node; awaited: boolean } | undefined {
  const parent = parentOf(call);
  if (parent?.type !== 'ArrowFunctionExpression' || parent.body !== call) return undefined;
  // A returned promise is awaited by whoever awaits the async arrow.
  return { statement: call, awaited: parent.async === true };
}

/**
 * The last resort: open the temp file and fsync it right before the rename. Written as a block so
 * that its descriptor name cannot clash with the surrounding code.
 */
export function fsyncBeforeRename(sourceCode: SourceCode, plan: ImportPlan, finding: UnsyncedRename): InsertedSync | undefined {
  const { rename, renameMember } = finding;
  const arrow = conciseBodyOf(rename);
  const at = statementOf(rename) ?? valueStatementOf(rename) ?? arrow;
  const tmp = rename.arguments[renameMember.path ?? 0] as ESTree.Node | undefined;
  if (!at || !tmp || tmp.type === 'SpreadElement' || !isSideEffectFree(tmp)) return undefined;
  if (identifiersIn(tmp).some((id) => id.name === 'fd' || id.name === 'handle')) return undefined;
  const style = completionOf(rename, renameMember);
  const handle = at.awaited && style === 'promise' && renameMember.style === 'promise';
  const names = handle ? ['open'] : ['openSync', 'fsyncSync', 'closeSync'];
  const refs = names.map((name) =>
    isTableMember(renameMember) ? siblingRef(sourceCode, plan, rename.callee, name, rename) : plan.ref(fsModules, name, rename),
  );
  if (refs.some((r) => r === undefined)) return undefined;
  const [open, fsync, close] = refs as string[];
  const file = sourceCode.getText(tmp);
  const c = code(plan.style);
  const lines = handle
    ? [c`const handle = await ${open}(${file}, 'r+');`, 'try {', c`\tawait handle.sync();`, '} finally {', c`\tawait handle.close();`, '}']
    : [c`const fd = ${open}(${file}, 'r+');`, 'try {', c`\t${fsync}(fd);`, '} finally {', c`\t${close}(fd);`, '}'];
  const unit = indentUnit(sourceCode);
  const eol = lineEnding(sourceCode);
  const call = handle ? `await handle.sync()` : `${fsync}(fd)`;
  const blockAt = (indent: string): string =>
    ['{', ...lines.map((l) => `\t${l}`), '}']
      .map((l, i) => `${i === 0 ? '' : indent}${l.replace(/^\t+/, (tabs) => unit.repeat(tabs.length))}`)
      .join(eol);
  if (arrow && at === arrow) {
    // `() => rename(…)` becomes `() => { { fsync… } return rename(…); }`: same value, fsync first.
    const indent = indentOf(sourceCode, arrow.statement);
    const inner = `${indent}${unit}`;
    const body = c`{${eol}${inner}${blockAt(inner)}${eol}${inner}return ${sourceCode.getText(arrow.statement)};${eol}${indent}}`;
    return { call, edits: [{ range: rangeOf(arrow.statement), text: body }] };
  }
  return { call, edits: [insertBefore(sourceCode, at.statement, blockAt(indentOf(sourceCode, at.statement)))] };
}
