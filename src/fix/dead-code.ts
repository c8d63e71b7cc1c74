/**
 * What a helper rewrite leaves with nothing to do, removed with it: the helper owns its temp file, so
 * the code that named the old one (its declaration, a private class field holding it and the
 * assignments to that field, a module function that only computed it) and the clean-up that removed
 * it (`rm(tmp, { force: true })`, an unlink whose error is ignored, and a `catch` left with nothing
 * but a rethrow) are dead. Dead code is removed when that is provably all it was; otherwise the
 * site is left for review (a maintainer would not merge a fix that leaves it, and TypeScript's
 * `noUnusedLocals` rejects an unread private field).
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { variableOf } from '../engine/scope.js';
import { descendants, enclosingFunction, isFunctionNode } from '../ast.js';
import { awaitedValue, isRedundantCleanup } from './calls.js';
import { isSideEffectFree } from './expressions.js';
import { pathUsesIn, type TempFile } from './helper-site.js';
import {
  isRemovedBy,
  parentOf,
  rangeOf,
  removeStatement,
  statementListOf,
  within,
  type Removal,
  type TextEdit,
} from './text.js';

type Range = readonly [number, number];

export interface DeadCode extends Removal {
  readonly edits: TextEdit[];
  /** Ranges whose code is gone (less the carried nodes): the import plan drops bindings used only there. */
  readonly removed: Range[];
  /** Identifiers the removed code referred to: candidates for an unused import. */
  readonly roots: ESTree.Identifier[];
}

/** The statement a clean-up call stands for: `unlinkSync(tmp);`, `await rm(tmp, …);`, `if (existsSync(tmp)) …`, `try { … } catch {}`. */
function cleanupStatementOf(use: ESTree.Node): ESTree.Node | undefined {
  const call = parentOf(use) as ESTree.Node;
  let node: ESTree.Node = call;
  const guard = parentOf(call);
  if (guard?.type === 'IfStatement' && guard.test === call) return guard;
  const member = parentOf(node);
  if (member?.type === 'MemberExpression' && member.object === node) node = parentOf(member) as ESTree.Node;
  const statement = awaitedValue(node).parent;
  if (statement?.type !== 'ExpressionStatement' || !statementListOf(statement)) return undefined;
  const list = statementListOf(statement);
  const block = list?.owner;
  const tryStatement = block && parentOf(block);
  // `try { unlinkSync(tmp) } catch {}`: the whole `try` is the clean-up.
  if (
    tryStatement?.type === 'TryStatement' &&
    tryStatement.block === block &&
    block.type === 'BlockStatement' &&
    block.body.length === 1 &&
    !tryStatement.finalizer
  ) {
    return tryStatement.handler?.body.body.length === 0 ? tryStatement : statement;
  }
  return statement;
}

/** `catch (error) { <removed…>; throw error; }` with no `finally`: a try that only rethrows once the clean-up goes. */
function rethrowOnly(tryStatement: ESTree.TryStatement, removal: Removal): boolean {
  const handler = tryStatement.handler;
  if (!handler || tryStatement.finalizer || handler.param?.type !== 'Identifier') return false;
  const kept = handler.body.body.filter((s) => !isRemovedBy(s, removal));
  const last = kept[0];
  return (
    kept.length === 1 &&
    last?.type === 'ThrowStatement' &&
    last.argument.type === 'Identifier' &&
    last.argument.name === handler.param.name
  );
}

/**
 * `try { … } catch (e) { throw e; }` → the block's statements, one indentation step out: the
 * `try {` line and the `} catch … }` lines go, and lines no other edit touches lose one step.
 */
function unwrapTry(
  sourceCode: SourceCode,
  tryStatement: ESTree.TryStatement,
  taken: readonly TextEdit[],
): TextEdit[] | undefined {
  const text = sourceCode.text;
  const handler = tryStatement.handler as ESTree.CatchClause;
  const first = tryStatement.block.body[0];
  if (!first || sourceCode.getCommentsInside(handler).length > 0) return undefined;
  const lineStart = (at: number): number => text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = (at: number): number => (text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at) + 1);
  const [start, end] = rangeOf(tryStatement);
  const open = rangeOf(tryStatement.block)[0] + 1;
  const close = rangeOf(tryStatement.block)[1] - 1;
  // Whole lines only: `try {` alone on its line, and `} catch (e) { … }` on lines of their own.
  if (!/^[ \t]*$/.test(text.slice(lineStart(start), start)) || !/^[ \t]*\r?\n$/.test(text.slice(open, lineEnd(open))))
    return undefined;
  if (!/^[ \t]*$/.test(text.slice(lineStart(close), close)) || !/^[ \t]*\r?\n?$/.test(text.slice(end, lineEnd(end))))
    return undefined;
  const outer = text.slice(lineStart(start), start);
  const inner = /^[ \t]*/.exec(text.slice(lineStart(rangeOf(first)[0])))?.[0] ?? '';
  if (!inner.startsWith(outer) || inner === outer) return undefined;
  const step = inner.length - outer.length;
  const edits: TextEdit[] = [
    { range: [lineStart(start), lineEnd(open)], text: '' },
    { range: [lineStart(close), lineEnd(end)], text: '' },
  ];
  for (let at = lineEnd(open); at < lineStart(close); at = lineEnd(at)) {
    if (!/^[ \t]*$/.test(text.slice(at, at + step))) continue;
    if (taken.some((e) => e.range[0] < at + step && at < e.range[1])) continue;
    edits.push({ range: [at, at + step], text: '' });
  }
  return edits;
}

/** A module-level function that returns a value computed without effects: a call to it can go. */
function isPureHelper(sourceCode: SourceCode, callee: ESTree.Node): ESTree.FunctionDeclaration | undefined {
  if (callee.type !== 'Identifier') return undefined;
  const variable = variableOf(sourceCode, callee);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  const fn = def?.node as ESTree.Node | undefined;
  if (
    def?.type !== 'FunctionName' ||
    fn?.type !== 'FunctionDeclaration' ||
    fn.async ||
    fn.generator ||
    parentOf(fn)?.type !== 'Program'
  )
    return undefined;
  const pure = fn.body.body.every(
    (s) =>
      (s.type === 'VariableDeclaration' &&
        s.kind === 'const' &&
        s.declarations.every((d) => d.id.type === 'Identifier' && (!d.init || pureValue(d.init)))) ||
      (s.type === 'ReturnStatement' && (!s.argument || pureValue(s.argument))),
  );
  return pure ? fn : undefined;
}

const pureValue = (node: ESTree.Node): boolean =>
  node.type === 'ConditionalExpression'
    ? pureValue(node.test) && pureValue(node.consequent) && pureValue(node.alternate)
    : isSideEffectFree(node, true);

/**
 * `#tmp` of `this.#tmp`, when every other mention of it in the class is a plain assignment
 * statement of a value computed without effects, or its declaration.
 */
function deadPrivateField(
  sourceCode: SourceCode,
  tmp: ESTree.Node,
  removal: Removal,
): { statements: ESTree.Node[]; helpers: ESTree.FunctionDeclaration[] } | string | undefined {
  if (
    tmp.type !== 'MemberExpression' ||
    tmp.object.type !== 'ThisExpression' ||
    tmp.property.type !== 'PrivateIdentifier'
  )
    return undefined;
  const name = tmp.property.name;
  let classBody: ESTree.Node | undefined = tmp;
  while (classBody && classBody.type !== 'ClassBody') classBody = parentOf(classBody);
  if (!classBody) return undefined;
  const statements: ESTree.Node[] = [];
  const helpers: ESTree.FunctionDeclaration[] = [];
  for (const node of descendants(classBody)) {
    if (node.type === 'PropertyDefinition' && node.key.type === 'PrivateIdentifier' && node.key.name === name) {
      if (node.value && !isSideEffectFree(node.value, true))
        return `the private field #${name} would be left unread, and its initialiser may have effects`;
      statements.push(node);
      continue;
    }
    if (
      node.type !== 'MemberExpression' ||
      node.property.type !== 'PrivateIdentifier' ||
      node.property.name !== name ||
      isRemovedBy(node, removal)
    )
      continue;
    const assignment = parentOf(node);
    const statement = assignment && parentOf(assignment);
    if (
      assignment?.type !== 'AssignmentExpression' ||
      assignment.left !== node ||
      assignment.operator !== '=' ||
      statement?.type !== 'ExpressionStatement' ||
      !statementListOf(statement)
    ) {
      return `the private field #${name} is still read elsewhere in the class`;
    }
    const value = assignment.right;
    const helper =
      value.type === 'CallExpression' && value.arguments.every((a) => a.type !== 'SpreadElement' && isSideEffectFree(a))
        ? isPureHelper(sourceCode, value.callee)
        : undefined;
    if (!helper && !isSideEffectFree(value, true))
      return `the private field #${name} would be left unread, and the value assigned to it may have effects`;
    statements.push(statement);
    if (helper) helpers.push(helper);
  }
  return { statements, helpers };
}

/** A `const`/`let` temp declaration whose every use is in `removed`, with an initialiser safe to drop. */
function deadDeclaration(
  sourceCode: SourceCode,
  tmp: ESTree.Node,
  removal: Removal,
): ESTree.VariableDeclaration | undefined {
  if (tmp.type !== 'Identifier') return undefined;
  const variable = variableOf(sourceCode, tmp);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable' || def.parent.declarations.length !== 1)
    return undefined;
  if (def.node.id.type !== 'Identifier' || (def.node.init && !isSideEffectFree(def.node.init, true))) return undefined;
  if (
    !statementListOf(def.parent) ||
    !variable.references.filter((r) => !r.init).every((r) => isRemovedBy(r.identifier as ESTree.Node, removal))
  )
    return undefined;
  return def.parent;
}

/**
 * A dead declaration goes with the comment lines right above it (no blank line between): they
 * described it. When it stood between blank lines, one of them goes too.
 */
function removeDeclaration(sourceCode: SourceCode, node: ESTree.Node): TextEdit {
  const edit = removeStatement(sourceCode, node);
  const text = sourceCode.text;
  const lineStart = (at: number): number => text.lastIndexOf('\n', at - 1) + 1;
  if (edit.text !== '' || edit.range[0] !== lineStart(rangeOf(node)[0])) return edit;
  let start = edit.range[0];
  for (const comment of sourceCode.getCommentsBefore(node).reverse()) {
    const [from, to] = rangeOf(comment);
    if (!/^[ \t]*\r?\n$/.test(text.slice(to, start)) || !/^[ \t]*$/.test(text.slice(lineStart(from), from))) break;
    start = lineStart(from);
  }
  if (start === edit.range[0]) return edit;
  const blankBefore = /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, start - 200), start));
  const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(edit.range[1], edit.range[1] + 200))?.[0];
  return { range: [start, edit.range[1] + (blankBefore && blankAfter ? blankAfter.length : 0)], text: '' };
}

/** A local `const`/`let` whose every use was removed, with an initialiser safe to drop. */
function deadLocal(
  sourceCode: SourceCode,
  id: ESTree.Identifier,
  removal: Removal,
): ESTree.VariableDeclaration | undefined {
  const variable = variableOf(sourceCode, id);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (
    !variable ||
    def?.type !== 'Variable' ||
    def.parent.kind === 'var' ||
    def.parent.declarations.length !== 1 ||
    def.node.id.type !== 'Identifier'
  )
    return undefined;
  if (isRemovedBy(def.parent, removal) || !statementListOf(def.parent) || parentOf(def.parent)?.type === 'Program')
    return undefined;
  if (def.node.init && !pureValue(def.node.init)) return undefined;
  return variable.references.every((r) => r.init || isRemovedBy(r.identifier as ESTree.Node, removal))
    ? def.parent
    : undefined;
}

/** Identifiers a removed piece of code read, to offer the import plan. */
const rootsIn = (node: ESTree.Node): ESTree.Identifier[] =>
  [...descendants(node)].filter((n): n is ESTree.Identifier => n.type === 'Identifier');

/**
 * The code a rewrite (its `edits`, covering the write and the rename, and copying the `carried`
 * nodes into their replacement) leaves dead, as removal edits; a string says why a site must be
 * left for review instead. A binding counts as dead only when the scope manager finds every
 * reference to it in removed code.
 */
export function deadCodeAfter(
  sourceCode: SourceCode,
  temp: TempFile,
  tmp: ESTree.Node,
  write: ESTree.CallExpression,
  edits: readonly TextEdit[],
  carried: readonly ESTree.Node[],
): DeadCode | string {
  const removed: Range[] = edits.map((e) => e.range);
  const removal: Removal = { removed, carried: carried.map(rangeOf) };
  const out: TextEdit[] = [];
  const roots: ESTree.Identifier[] = [];
  const remove = (statement: ESTree.Node): void => {
    out.push(
      statement.type === 'ExpressionStatement' || statement.type === 'IfStatement' || statement.type === 'TryStatement'
        ? removeStatement(sourceCode, statement)
        : removeDeclaration(sourceCode, statement),
    );
    removed.push(rangeOf(statement));
    roots.push(...rootsIn(statement));
  };

  // Clean-up of the temp file in the function around the write.
  const uses = pathUsesIn(temp.keys, enclosingFunction(write));
  const cleanups = new Set<ESTree.Node>();
  for (const node of uses.get(temp.fileKey.id) ?? []) {
    if (isRemovedBy(node, removal) || !isRedundantCleanup(node)) continue;
    const statement = cleanupStatementOf(node);
    if (!statement) return 'the clean-up of the temp file would be left with nothing to remove, inside an expression';
    cleanups.add(statement);
  }
  const cleanupRanges = [...cleanups].map(rangeOf);
  const unwrapped = new Set<ESTree.TryStatement>();
  for (const statement of cleanups) {
    const handlerBlock = statementListOf(statement)?.owner;
    const handler = handlerBlock && parentOf(handlerBlock);
    const tryStatement = handler?.type === 'CatchClause' ? parentOf(handler) : undefined;
    if (
      tryStatement?.type === 'TryStatement' &&
      !unwrapped.has(tryStatement) &&
      rethrowOnly(tryStatement, { removed: [...removed, ...cleanupRanges], carried: removal.carried })
    ) {
      const unwrap = unwrapTry(sourceCode, tryStatement, [...edits, ...out]);
      if (!unwrap)
        return 'the try around the write would only rethrow once the clean-up goes, and cannot be unwrapped cleanly';
      unwrapped.add(tryStatement);
      out.push(...unwrap);
      removed.push(rangeOf(tryStatement.handler as ESTree.Node));
      roots.push(...rootsIn(tryStatement.handler as ESTree.Node));
    }
  }
  for (const statement of cleanups)
    if (![...unwrapped].some((t) => within(rangeOf(statement), rangeOf(t.handler as ESTree.Node)))) remove(statement);

  // What named the temp file.
  const declaration = deadDeclaration(sourceCode, tmp, removal);
  if (declaration) remove(declaration);
  const field = deadPrivateField(sourceCode, tmp, removal);
  if (typeof field === 'string') return field;
  if (field) {
    for (const statement of field.statements) remove(statement);
    for (const helper of new Set(field.helpers)) {
      const variable = variableOf(sourceCode, helper.id as ESTree.Identifier);
      const unused = variable?.references.every(
        (r) =>
          isRemovedBy(r.identifier as ESTree.Node, removal) ||
          within(rangeOf(r.identifier as ESTree.Node), rangeOf(helper)),
      );
      if (unused && !isFunctionNode(parentOf(helper))) remove(helper);
    }
  }
  // Locals that only fed what was removed (`const f = filename.toString()`), to a fixed point.
  for (let found = true; found;) {
    found = false;
    for (const id of roots) {
      const local = deadLocal(sourceCode, id, removal);
      if (!local) continue;
      remove(local);
      found = true;
      break;
    }
  }
  return { edits: out, removed, carried: removal.carried, roots };
}
