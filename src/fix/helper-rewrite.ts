/**
 * Rewrites a write → rename pair into one call of the durable helper:
 *   `writeFileSync(tmp, data, opts); renameSync(tmp, dest)` → `writeFileDurableSync(dest, data, opts)`
 *   `await writeFile(tmp, data, opts); await rename(tmp, dest)` → `await writeFileDurable(dest, data, opts)`
 * `analyzeHelperRewrite` says whether the rewrite is provably the same program apart from
 * durability (an autofix) or only a likely intent (a suggestion), and builds the edits.
 */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable, getStringIfConstant } from '@eslint-community/eslint-utils';
import { descendants, enclosingFunction, isFunctionExpression as isFunction } from '../ast.js';
import type { UnsyncedRename } from '../detector.js';
import { FileKeys } from '../file-key.js';
import { callsRealFs, completionOf, isRedundantCleanup, isTableMember, statementOf, type CallStatement } from './calls.js';
import { identifiersIn, isSideEffectFree, meansSameAt } from './expressions.js';
import type { ImportPlan } from './imports.js';
import { parentOf, rangeOf, removeStatement, statementListOf, type TextEdit } from './text.js';
import { variableOf } from '../scope.js';

/** The write → rename shapes the helper rewrite knows. */
export type HelperShape = 'statements' | 'then' | 'callback';

export interface HelperRewrite {
  readonly shape: HelperShape;
  /** True when the rewrite changes nothing but durability: safe for `--fix`. */
  readonly provablySafe: boolean;
  /**
   * Why a whole-repository rewrite must leave this site for review; undefined when the codemod may
   * apply it. Wider than `provablySafe` only for shapes an autofix never touches (callbacks, `.then`),
   * where the rewrite keeps the callback / promise behaviour but reorders nothing observable.
   */
  readonly blocker?: string;
  /** `writeFileDurable` or `writeFileDurableSync`. */
  readonly helper: string;
  /** The edits, with the helper's import (and removal of fs imports left unused) planned in `plan`. */
  build(plan: ImportPlan, importSource: string): TextEdit[] | undefined;
}

type Call = ESTree.CallExpression;

/** Statements that neither do anything nor throw where they stand. */
function isInert(statement: ESTree.Node): boolean {
  if (statement.type === 'EmptyStatement' || statement.type === 'FunctionDeclaration') return true;
  if (/^TS(TypeAlias|Interface)Declaration$/.test(statement.type)) return true;
  return (
    statement.type === 'VariableDeclaration' &&
    statement.kind !== 'var' &&
    statement.declarations.every(
      (d) => d.id.type === 'Identifier' && (!d.init || d.init.type === 'Literal' || (d.init.type === 'TemplateLiteral' && d.init.expressions.length === 0)),
    )
  );
}

/** Options the helper treats exactly as `fs` does: no flag other than `'w'`/`'w+'` (it cannot append). */
export function isSupportedOptions(node: ESTree.Node | undefined, scope: Scope.Scope, depth = 0): boolean {
  if (!node) return true;
  if (node.type === 'Literal') return node.value === null || typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0;
  if (node.type === 'ObjectExpression') {
    return node.properties.every((p) => {
      if (p.type !== 'Property' || p.computed) return false;
      const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
      if (key !== 'flag') return key !== undefined;
      const flag = getStringIfConstant(p.value as never, scope);
      return flag === 'w' || flag === 'w+';
    });
  }
  if (node.type === 'Identifier') {
    if (node.name === 'undefined') return true;
    const variable = findVariable(scope, node) as Scope.Variable | null;
    const def = variable?.defs[0];
    return (
      depth === 0 &&
      variable?.defs.length === 1 &&
      def?.type === 'Variable' &&
      def.parent.kind === 'const' &&
      !!def.node.init &&
      isSupportedOptions(def.node.init, scope, depth + 1)
    );
  }
  return false;
}


/**
 * Per file, one FileKeys and, per function that holds a finding, the expressions in it grouped by the
 * file they name. Built once per function: a bundle can hold thousands of findings in one function,
 * and a walk of the whole function per finding is quadratic.
 */
interface PathUses {
  readonly keys: FileKeys;
  readonly byFunction: WeakMap<ESTree.Node, ReadonlyMap<string, readonly ESTree.Node[]>>;
}

const pathUsesByFile = new WeakMap<SourceCode, PathUses>();

function pathUsesIn(sourceCode: SourceCode, root: ESTree.Node): { keys: FileKeys; uses: ReadonlyMap<string, readonly ESTree.Node[]> } {
  let file = pathUsesByFile.get(sourceCode);
  if (!file) {
    file = { keys: new FileKeys((node) => sourceCode.getScope(node)), byFunction: new WeakMap() };
    pathUsesByFile.set(sourceCode, file);
  }
  let uses = file.byFunction.get(root);
  if (!uses) {
    const found = new Map<string, ESTree.Node[]>();
    for (const node of descendants(root)) {
      if (!/Identifier|Expression|Literal/.test(node.type)) continue;
      if (node.type === 'Identifier' && !isReference(node)) continue;
      if (parentOf(node)?.type === 'VariableDeclarator') continue;
      const key = file.keys.of(node, sourceCode.getScope(node))?.key;
      if (key === undefined) continue;
      const list = found.get(key);
      if (list) list.push(node);
      else found.set(key, [node]);
    }
    uses = found;
    file.byFunction.set(root, uses);
  }
  return { keys: file.keys, uses };
}

/**
 * Does the program use the temp file anywhere but in the write, the rename and clean-up that the
 * helper makes redundant? (The helper never creates `tmp`, so any other use would now see nothing.)
 */
export function tempUsedElsewhere(sourceCode: SourceCode, tmp: ESTree.Node, write: Call, rename: Call): boolean {
  const { keys, uses } = pathUsesIn(sourceCode, enclosingFunction(write));
  const key = keys.of(tmp, sourceCode.getScope(tmp))?.key;
  if (key === undefined) return true;
  const ours = new Set<ESTree.Node>([write.arguments[0] as ESTree.Node, rename.arguments[0] as ESTree.Node]);
  if ((uses.get(key) ?? []).some((node) => !ours.has(node) && !isRedundantCleanup(node))) return true;
  if (tmp.type === 'Identifier') {
    const variable = variableOf(sourceCode, tmp);
    for (const ref of variable?.references ?? []) {
      if (!ref.init && !ours.has(ref.identifier as ESTree.Node) && !isRedundantCleanup(ref.identifier as ESTree.Node)) return true;
    }
  }
  return false;
}

const isReference = (id: ESTree.Identifier): boolean => {
  const parent = parentOf(id);
  if (parent?.type === 'MemberExpression' && parent.property === id && !parent.computed) return false;
  if (parent?.type === 'Property' && parent.key === id && !parent.computed) return false;
  if (parent && (parent.type === 'FunctionDeclaration' || isFunction(parent)) && parent.params.includes(id)) return false;
  return !(parent?.type === 'VariableDeclarator' && parent.id === id);
};

/** `const tmp = …` used only by the write and the rename, with an initialiser safe to drop. */
export function droppableDeclaration(sourceCode: SourceCode, tmp: ESTree.Node, write: Call, rename: Call): ESTree.VariableDeclaration | undefined {
  if (tmp.type !== 'Identifier') return undefined;
  const variable = variableOf(sourceCode, tmp);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable' || def.parent.declarations.length !== 1) return undefined;
  if (def.node.id.type !== 'Identifier' || (def.node.init && !isSideEffectFree(def.node.init, true))) return undefined;
  const uses = variable.references.filter((r) => !r.init);
  const ours = [write.arguments[0], rename.arguments[0]];
  if (!statementListOf(def.parent) || !uses.every((r) => ours.includes(r.identifier as ESTree.Identifier))) return undefined;
  return def.parent;
}

/** Calls in the shape the helper replaces: `(path, data[, options])`, `(from, to)`, no spread. */
function plainArguments(write: Call, rename: Call, writeStyle: string): boolean {
  const noSpread = (c: Call): boolean => c.arguments.every((a) => a.type !== 'SpreadElement');
  const writeArgs = writeStyle === 'callback' ? write.arguments.length - 1 : write.arguments.length;
  return noSpread(write) && noSpread(rename) && writeArgs >= 2 && writeArgs <= 3 && rename.arguments.length >= 2;
}

export function analyzeHelperRewrite(finding: UnsyncedRename, sourceCode: SourceCode): HelperRewrite | undefined {
  const write = finding.write as Call;
  const rename = finding.rename;
  const { writeMember, renameMember } = finding;
  if (write.type !== 'CallExpression' || !writeMember.wholeFile || writeMember.path !== 0 || !isTableMember(writeMember)) return undefined;
  if (!isTableMember(renameMember) || !/^rename(Sync)?$/.test(renameMember.name)) return undefined;
  // An injected file system stays the one the code writes through: the in-place edits keep it.
  if (!callsRealFs(sourceCode, write) || !callsRealFs(sourceCode, finding.rename)) return undefined;
  const writeStyle = completionOf(write, writeMember);
  const renameStyle = completionOf(rename, renameMember);
  if (!plainArguments(write, rename, writeStyle)) return undefined;
  const [tmp, data, options] = write.arguments as ESTree.Expression[];
  const dest = rename.arguments[1] as ESTree.Expression;
  const helper = writeStyle === 'sync' ? 'writeFileDurableSync' : 'writeFileDurable';
  const writeAt = statementOf(write);
  const renameAt = statementOf(rename);
  const destFitsAtWrite = meansSameAt(sourceCode, dest, rangeOf(write)[0]);

  const base = { helper };
  const callText = (ref: string): string =>
    `${ref}(${[dest, data, writeStyle === 'callback' && options && isFunction(options) ? undefined : options]
      .filter((n): n is ESTree.Expression => !!n)
      .map((n) => sourceCode.getText(n))
      .join(', ')})`;

  // The shape of the issue: two statements, both sync or both awaited.
  if (writeAt && renameAt && writeStyle === renameStyle && writeStyle !== 'callback' && writeAt.awaited === (writeStyle === 'promise') && renameAt.awaited === writeAt.awaited) {
    const between = betweenStatements(writeAt, renameAt);
    const blocker =
      between === undefined
        ? 'the write and the rename are not statements of one block'
        : !between.every(isInert)
          ? 'statements between the write and the rename would run after the file is published'
          : firstBlocker(sourceCode, { tmp: tmp as ESTree.Node, dest, options, write, rename, destFitsAtWrite });
    const provablySafe = blocker === undefined;
    const moved = [data, ...(options ? [options] : [])] as ESTree.Node[];
    if (!destFitsAtWrite && !moved.every((n) => meansSameAt(sourceCode, n, rangeOf(rename)[0]))) return undefined;
    return {
      ...base,
      shape: 'statements',
      provablySafe,
      ...(blocker ? { blocker } : {}),
      build(plan, importSource) {
        const ref = plan.ref([{ source: importSource, path: [] }], helper, write);
        if (!ref) return undefined;
        const edits: TextEdit[] = [];
        let removed: Array<readonly [number, number]>;
        if (destFitsAtWrite) {
          // Minimal edits keep every comment inside the write call.
          edits.push({ range: rangeOf(write.callee), text: ref }, { range: rangeOf(tmp as ESTree.Node), text: sourceCode.getText(dest) });
          edits.push(removeStatement(sourceCode, renameAt.statement, [dest]));
          removed = [rangeOf(write.callee), rangeOf(renameAt.statement)];
        } else {
          edits.push(removeStatement(sourceCode, writeAt.statement, [data as ESTree.Node, ...(options ? [options] : [])]));
          edits.push({ range: rangeOf(rename), text: callText(ref) });
          removed = [rangeOf(writeAt.statement), rangeOf(rename)];
        }
        const declaration = droppableDeclaration(sourceCode, tmp as ESTree.Node, write, rename);
        if (declaration) {
          edits.push(removeStatement(sourceCode, declaration));
          removed.push(rangeOf(declaration));
        }
        plan.dropUnused(calleeRoots(write, rename), removed);
        return edits;
      },
    };
  }

  // `writeFile(tmp, data).then(() => rename(tmp, dest))`: the helper's promise replaces the chain link.
  const then = thenLink(write, rename);
  if (then && writeStyle === 'promise' && renameStyle === 'promise' && destFitsAtWrite) {
    const blocker = firstBlocker(sourceCode, { tmp: tmp as ESTree.Node, dest, options, write, rename, destFitsAtWrite });
    return {
      ...base,
      shape: 'then',
      provablySafe: false,
      ...(blocker ? { blocker } : {}),
      build(plan, importSource) {
        const ref = plan.ref([{ source: importSource, path: [] }], helper, write);
        if (!ref) return undefined;
        plan.dropUnused(calleeRoots(write, rename), [rangeOf(write.callee), rangeOf(then)]);
        return [
          { range: rangeOf(write.callee), text: ref },
          { range: rangeOf(tmp as ESTree.Node), text: sourceCode.getText(dest) },
          { range: [rangeOf(write)[1], rangeOf(then)[1]], text: '' },
        ];
      },
    };
  }

  // `writeFile(tmp, data, (err) => { …; rename(tmp, dest, cb); })`: the helper's promise settles the
  // write callback; the rename's callback is called as the rename would have called it.
  const callback = write.arguments[write.arguments.length - 1] as ESTree.Node;
  if (writeStyle === 'callback' && renameStyle === 'callback' && isFunction(callback) && renameAt && !renameAt.awaited && destFitsAtWrite) {
    if (!within(rename, callback)) return undefined;
    const renameCallback = rename.arguments[2] as ESTree.Node;
    const blocker =
      rename.arguments.length !== 3 || renameCallback.type === 'SpreadElement'
        ? 'the rename is not called as rename(from, to, callback)'
        : (callbackBlocker(callback, renameAt.statement) ??
          firstBlocker(sourceCode, { tmp: tmp as ESTree.Node, dest, options: isFunction(options) ? undefined : options, write, rename, destFitsAtWrite }));
    return {
      ...base,
      shape: 'callback',
      provablySafe: false,
      ...(blocker ? { blocker } : {}),
      build(plan, importSource) {
        const ref = plan.ref([{ source: importSource, path: [] }], helper, write);
        if (!ref) return undefined;
        plan.dropUnused(calleeRoots(write, rename), [[rangeOf(write)[0], rangeOf(callback)[0]], rangeOf(rename)]);
        // The callback runs in its own tick, outside the promise chain: a throw in it stays an
        // uncaught exception. It gets fs's own error (`cause`: code, syscall, message), not the wrapper.
        const taken = new Set(identifiersIn(callback).map((id) => id.name));
        const error = ['error', 'writeError', 'durableError'].find((name) => !taken.has(name));
        if (!error) return undefined;
        return [
          { range: [rangeOf(write)[0], rangeOf(callback)[0]], text: `${callText(ref)}.then(() => null, (${error}) => ${error}.cause ?? ${error}).then((${error}) => process.nextTick(` },
          { range: [rangeOf(callback)[1], rangeOf(write)[1]], text: `, ${error}))` },
          { range: rangeOf(rename), text: `process.nextTick(${sourceCode.getText(renameCallback)}, null)` },
        ];
      },
    };
  }
  return undefined;
}

/** The conditions every shape shares; the first one that fails, as a reason for review. */
function firstBlocker(
  sourceCode: SourceCode,
  site: { tmp: ESTree.Node; dest: ESTree.Node; options: ESTree.Node | undefined; write: Call; rename: Call; destFitsAtWrite: boolean },
): string | undefined {
  if (!isSideEffectFree(site.dest)) return 'the destination expression has side effects and would be evaluated earlier';
  if (!site.destFitsAtWrite) return 'the destination is not known yet where the file is written';
  if (!isSupportedOptions(site.options, sourceCode.getScope(site.write))) return 'the write options are not ones the helper treats like fs (flag, computed keys, a variable)';
  if (tempUsedElsewhere(sourceCode, site.tmp, site.write, site.rename)) return 'the temp file is used elsewhere, and the helper never creates it';
  return undefined;
}

/**
 * Statements of a write callback before the rename: only `if (err) …` guards that leave the
 * callback, and inert ones. With the helper those run after the rename instead of before it.
 */
/** Why the write callback cannot become the helper's `.then` handler; undefined when it can. */
function callbackBlocker(callback: ESTree.FunctionExpression | ESTree.ArrowFunctionExpression, renameStatement: ESTree.Node): string | undefined {
  if (callback.body.type !== 'BlockStatement') {
    return callback.body === (renameStatement as ESTree.ExpressionStatement).expression ? undefined : 'the rename is part of a larger expression in the write callback';
  }
  const body = callback.body.body;
  if (!body.includes(renameStatement as ESTree.Statement)) {
    const outer = body.find((s) => within(renameStatement, s));
    return outer?.type === 'IfStatement'
      ? 'the rename is in a branch of an if/else in the write callback; the codemod rewrites only `if (err) return …;` guards followed by the rename'
      : `the rename is nested in ${outer ? `a ${outer.type.replace(/Statement$/, '').toLowerCase()} statement` : 'a block'} of the write callback, not a statement of its own`;
  }
  return runsOnlyErrorGuardsBefore(body, callback.params[0], renameStatement)
    ? undefined
    : 'statements in the write callback before the rename would run after the file is published';
}

function runsOnlyErrorGuardsBefore(body: ESTree.Statement[], error: ESTree.Pattern | undefined, renameStatement: ESTree.Node): boolean {
  const index = body.indexOf(renameStatement as ESTree.Statement);
  const leaves = (s: ESTree.Statement): boolean =>
    s.type === 'ReturnStatement' ||
    s.type === 'ThrowStatement' ||
    (s.type === 'BlockStatement' && s.body.length > 0 && leaves(s.body[s.body.length - 1] as ESTree.Statement));
  const isGuard = (s: ESTree.Statement): boolean =>
    s.type === 'IfStatement' && !s.alternate && error?.type === 'Identifier' && s.test.type === 'Identifier' && s.test.name === error.name && leaves(s.consequent);
  return body.slice(0, index).every((s) => isGuard(s) || isInert(s));
}

const within = (inner: ESTree.Node, outer: ESTree.Node): boolean =>
  rangeOf(inner)[0] >= rangeOf(outer)[0] && rangeOf(inner)[1] <= rangeOf(outer)[1];

/** Statements strictly between two statements of the same list; undefined when in different lists. */
function betweenStatements(a: CallStatement, b: CallStatement): ESTree.Node[] | undefined {
  const listA = statementListOf(a.statement);
  const listB = statementListOf(b.statement);
  if (!listA || !listB || listA.owner !== listB.owner) return undefined;
  const from = listA.list.indexOf(a.statement);
  const to = listA.list.indexOf(b.statement);
  return from < to ? listA.list.slice(from + 1, to) : undefined;
}

/** `write(...).then(() => rename(...))` (or `{ return rename(...) }`): the `.then(...)` call. */
function thenLink(write: Call, rename: Call): Call | undefined {
  const member = parentOf(write);
  const call = member && parentOf(member);
  if (member?.type !== 'MemberExpression' || member.object !== write || call?.type !== 'CallExpression' || call.callee !== member) return undefined;
  if (member.computed || member.property.type !== 'Identifier' || member.property.name !== 'then' || call.arguments.length !== 1) return undefined;
  const handler = call.arguments[0] as ESTree.Node;
  if (!isFunction(handler)) return undefined;
  const body = handler.body;
  const returned =
    body.type === 'BlockStatement'
      ? body.body.length === 1 && body.body[0]?.type === 'ReturnStatement'
        ? body.body[0].argument
        : undefined
      : body;
  return returned === rename ? call : undefined;
}

/** The identifiers the write and the rename are called through: candidates for an unused import. */
export function calleeRoots(...calls: Call[]): ESTree.Identifier[] {
  return calls.map((call) => call.callee).flatMap((callee) => {
    let n: ESTree.Node = callee;
    while (n.type === 'MemberExpression') n = n.object as ESTree.Node;
    return n.type === 'Identifier' ? [n] : [];
  });
}
