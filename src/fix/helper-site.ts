/**
 * The shape of a write → rename site that the durable helper can replace, decided once and kept as
 * plain data: which statements hold the two calls, and what links them (two statements of one
 * block or a `try` entered between them, a `.then` link, the write's callback, a retry closure).
 * `helper-rewrite.ts` has one planner per shape; a new shape is a new entry here and a planner there.
 */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { variableOf } from '../engine/scope.js';
import { findVariable, getStaticValue, getStringIfConstant } from '@eslint-community/eslint-utils';
import { WRITE_FLAGS, WRITE_OPTION_NAMES } from 'durable-write-runtime';
import { descendants, enclosingFunction, isFunctionExpression as isFunction, propertyKeyName, within } from '../ast.js';
import type { UnsyncedRename } from '../engine/detector.js';
import { isPlainRename } from '../fs-api.js';
import type { PathKeys } from '../engine/file-key.js';
import {
  callsRealFs,
  completionOf,
  isRedundantCleanup,
  isTableMember,
  statementOf,
  type CallStatement,
} from './calls.js';
import { isSideEffectFree, meansSameAt } from './expressions.js';
import { parentOf, rangeOf, statementListOf } from './text.js';

export type HelperShape = HelperSite['shape'];

type Fn = ESTree.FunctionExpression | ESTree.ArrowFunctionExpression;

/** What every shape knows about the two calls. */
export interface HelperPair {
  readonly write: Call;
  readonly rename: Call;
  readonly tmp: ESTree.Node;
  /** The temp file as the detector matched the write and the rename on it. */
  readonly temp: TempFile;
  readonly data: ESTree.Expression;
  /** The write's options, not its callback. */
  readonly options: ESTree.Expression | undefined;
  readonly dest: ESTree.Expression;
  readonly helper: 'writeFileDurable' | 'writeFileDurableSync';
  /** Does the destination mean the same where the file is written? Then the write call is edited in place. */
  readonly destFitsAtWrite: boolean;
}

export type HelperSite = HelperPair &
  (
    | {
        /** Two statements, both sync or both awaited; the rename may sit in a `try` entered after the write. */
        readonly shape: 'statements';
        readonly writeAt: CallStatement;
        readonly renameAt: CallStatement;
        /** Statements run between them; undefined when they are not in one block (or one `try` away). */
        readonly between: ESTree.Node[] | undefined;
        readonly intoTry: ESTree.TryStatement | undefined;
      }
    | { readonly shape: 'then'; readonly link: Call }
    | { readonly shape: 'callback'; readonly callback: Fn; readonly renameAt: CallStatement | undefined }
    | {
        /** `await write(tmp); await retry(async () => { await rename(tmp, dest); })`. */
        readonly shape: 'retry';
        readonly writeAt: CallStatement;
        readonly renameAt: CallStatement;
        readonly retryAt: CallStatement;
      }
  );

type Call = ESTree.CallExpression;

/** Statements that neither do anything nor throw where they stand. */
export function isInert(statement: ESTree.Node): boolean {
  if (statement.type === 'EmptyStatement' || statement.type === 'FunctionDeclaration') return true;
  if (/^TS(TypeAlias|Interface)Declaration$/.test(statement.type)) return true;
  return (
    statement.type === 'VariableDeclaration' &&
    statement.kind !== 'var' &&
    statement.declarations.every(
      (d) =>
        d.id.type === 'Identifier' &&
        (!d.init ||
          d.init.type === 'Literal' ||
          (d.init.type === 'TemplateLiteral' && d.init.expressions.length === 0)),
    )
  );
}

/**
 * The options of `fs.writeFile` that move into the helper call: those the helper honours too (its own
 * table says which). A key `fs` ignores (`chown`, `fsync`, a typo) is not one: the helper would act on
 * it or refuse it with a TypeError, where the program wrote the file.
 */
const FS_WRITE_OPTIONS_THE_HELPER_TAKES: ReadonlySet<string> = new Set(
  ['encoding', 'mode', 'flag', 'flush', 'signal'].filter((name) => WRITE_OPTION_NAMES.has(name)),
);

/** The object literal a write's options are, directly or through one `const`; undefined otherwise. */
function optionsLiteral(node: ESTree.Node | undefined, scope: Scope.Scope): ESTree.ObjectExpression | undefined {
  if (node?.type === 'ObjectExpression') return node;
  if (node?.type !== 'Identifier') return undefined;
  const variable = findVariable(scope, node.name) as Scope.Variable | null;
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  return def?.type === 'Variable' && def.parent.kind === 'const' && def.node.init?.type === 'ObjectExpression'
    ? def.node.init
    : undefined;
}

/**
 * The option, as written, that the helper would refuse with a TypeError (`flush: false`, an append
 * or in-place `flag`, a name it does not know) or act on where `fs` ignored it (`chown`, `tmpfileCreated`): a rewrite into the
 * helper would change what the program does, so none is offered, not even for review.
 */
export function optionTheHelperCannotTake(node: ESTree.Node | undefined, scope: Scope.Scope): string | undefined {
  for (const p of optionsLiteral(node, scope)?.properties ?? []) {
    const key = p.type === 'Property' ? propertyKeyName(p) : undefined;
    if (key === undefined) continue;
    if (!FS_WRITE_OPTIONS_THE_HELPER_TAKES.has(key)) return key;
    const flag = key === 'flag' ? getStringIfConstant((p as ESTree.Property).value as never, scope) : undefined;
    if (typeof flag === 'string' && !WRITE_FLAGS.has(flag)) return `flag: '${flag}'`;
    const flush = key === 'flush' ? getStaticValue((p as ESTree.Property).value as never, scope) : undefined;
    if (flush && flush.value !== true && flush.value !== undefined) return `flush: ${String(flush.value)}`;
  }
  return undefined;
}

/**
 * Options the helper treats exactly as `fs` does: only a flag that replaces the target (it cannot
 * append; an exclusive one would guard the target, not the temp), `flush` only when it is `true`
 * (the helper refuses an unsynced write).
 */
export function isSupportedOptions(node: ESTree.Node | undefined, scope: Scope.Scope, depth = 0): boolean {
  if (!node) return true;
  if (node.type === 'Literal') return node.value === null || typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0;
  if (node.type === 'ObjectExpression') {
    return node.properties.every((p) => {
      const key = p.type === 'Property' ? propertyKeyName(p) : undefined;
      if (key === undefined || !FS_WRITE_OPTIONS_THE_HELPER_TAKES.has(key)) return false;
      if (key === 'flush') return getStaticValue((p as ESTree.Property).value as never, scope)?.value === true;
      if (key !== 'flag') return true;
      const flag = getStringIfConstant((p as ESTree.Property).value as never, scope);
      // `wx` in the options as written: the rewrite drops it (see exclusiveTempFlag).
      return (
        (typeof flag === 'string' && WRITE_FLAGS.get(flag) === 'replace') ||
        (depth === 0 && exclusiveTempFlag(node, scope) === p)
      );
    });
  }
  if (node.type === 'Identifier') {
    if (node.name === 'undefined') return true;
    const variable = findVariable(scope, node.name) as Scope.Variable | null;
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
 * `{ flag: 'wx' }` on the write of the temp file: the property, when the options literal has one.
 * It made creating the temp fail if it existed (a second writer, or a leftover from a crash that
 * then blocked every later write). The helper creates each temp exclusively under a unique name,
 * which is that guard already; passed on, `wx` would mean "fail if the target exists" instead.
 */
export function exclusiveTempFlag(options: ESTree.Node | undefined, scope: Scope.Scope): ESTree.Property | undefined {
  if (options?.type !== 'ObjectExpression') return undefined;
  return options.properties.find((p): p is ESTree.Property => {
    if (p.type !== 'Property') return false;
    const flag = propertyKeyName(p) === 'flag' ? getStringIfConstant(p.value as never, scope) : undefined;
    return typeof flag === 'string' && WRITE_FLAGS.get(flag) === 'exclusive';
  });
}

/** The temp file of a finding: its key, and the detector's keys to compare other expressions with it. */
export type TempFile = Pick<UnsyncedRename, 'fileKey' | 'keys'>;

/**
 * Per lint run (one detector's keys) and per function that holds a finding, the expressions in it
 * grouped by the file they name. Built once per function: a bundle can hold thousands of findings
 * in one function, and a walk of the whole function per finding is quadratic.
 */
const pathUsesByRun = new WeakMap<PathKeys, WeakMap<ESTree.Node, ReadonlyMap<string, readonly ESTree.Node[]>>>();

/** The expressions of `root` that name a file, by file key id. */
export function pathUsesIn(keys: PathKeys, root: ESTree.Node): ReadonlyMap<string, readonly ESTree.Node[]> {
  let byFunction = pathUsesByRun.get(keys);
  if (!byFunction) {
    byFunction = new WeakMap();
    pathUsesByRun.set(keys, byFunction);
  }
  let uses = byFunction.get(root);
  if (!uses) {
    const found = new Map<string, ESTree.Node[]>();
    for (const node of descendants(root)) {
      if (!/Identifier|Expression|Literal/.test(node.type)) continue;
      if (node.type === 'Identifier' && !isReference(node)) continue;
      if (parentOf(node)?.type === 'VariableDeclarator') continue;
      const key = keys.keyOf(node)?.id;
      if (key === undefined) continue;
      const list = found.get(key);
      if (list) list.push(node);
      else found.set(key, [node]);
    }
    uses = found;
    byFunction.set(root, uses);
  }
  return uses;
}

/**
 * Does the program use the temp file anywhere but in the write, the rename and clean-up that the
 * helper makes redundant? (The helper never creates `tmp`, so any other use would now see nothing.)
 */
export function tempUsedElsewhere(
  sourceCode: SourceCode,
  temp: TempFile,
  tmp: ESTree.Node,
  write: Call,
  rename: Call,
): boolean {
  const uses = pathUsesIn(temp.keys, enclosingFunction(write));
  const ours = new Set<ESTree.Node>([write.arguments[0] as ESTree.Node, rename.arguments[0] as ESTree.Node]);
  if ((uses.get(temp.fileKey.id) ?? []).some((node) => !ours.has(node) && !isRedundantCleanup(node))) return true;
  if (tmp.type === 'Identifier') {
    const variable = variableOf(sourceCode, tmp);
    for (const ref of variable?.references ?? []) {
      if (!ref.init && !ours.has(ref.identifier as ESTree.Node) && !isRedundantCleanup(ref.identifier as ESTree.Node))
        return true;
    }
  }
  return false;
}

const isReference = (id: ESTree.Identifier): boolean => {
  const parent = parentOf(id);
  if (parent?.type === 'MemberExpression' && parent.property === id && !parent.computed) return false;
  if (parent?.type === 'Property' && parent.key === id && !parent.computed) return false;
  if (parent && (parent.type === 'FunctionDeclaration' || isFunction(parent)) && parent.params.includes(id))
    return false;
  return !(parent?.type === 'VariableDeclarator' && parent.id === id);
};

/** `const tmp = …` used only by the write and the rename, with an initialiser safe to drop. */
export function droppableDeclaration(
  sourceCode: SourceCode,
  tmp: ESTree.Node,
  write: Call,
  rename: Call,
): ESTree.VariableDeclaration | undefined {
  if (tmp.type !== 'Identifier') return undefined;
  const variable = variableOf(sourceCode, tmp);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable' || def.parent.declarations.length !== 1)
    return undefined;
  if (def.node.id.type !== 'Identifier' || (def.node.init && !isSideEffectFree(def.node.init, true))) return undefined;
  const uses = variable.references.filter((r) => !r.init);
  const ours = [write.arguments[0], rename.arguments[0]];
  if (!statementListOf(def.parent) || !uses.every((r) => ours.includes(r.identifier as ESTree.Identifier)))
    return undefined;
  return def.parent;
}

/** Calls in the shape the helper replaces: `(path, data[, options])`, `(from, to)`, no spread. */
export function plainArguments(write: Call, rename: Call, writeStyle: string): boolean {
  const noSpread = (c: Call): boolean => c.arguments.every((a) => a.type !== 'SpreadElement');
  const writeArgs = writeStyle === 'callback' ? write.arguments.length - 1 : write.arguments.length;
  return noSpread(write) && noSpread(rename) && writeArgs >= 2 && writeArgs <= 3 && rename.arguments.length >= 2;
}

/** The site's shape, or undefined when the two calls are not a pair the helper replaces. */
export function helperSiteOf(finding: UnsyncedRename, sourceCode: SourceCode): HelperSite | undefined {
  const write = finding.write as Call;
  const rename = finding.rename;
  const { writeMember, renameMember } = finding;
  if (
    write.type !== 'CallExpression' ||
    !writeMember.wholeFile ||
    writeMember.path !== 0 ||
    !isTableMember(writeMember)
  )
    return undefined;
  if (!isTableMember(renameMember) || !isPlainRename(renameMember)) return undefined;
  // An injected file system stays the one the code writes through: the in-place edits keep it.
  if (!callsRealFs(sourceCode, write) || !callsRealFs(sourceCode, rename)) return undefined;
  const writeStyle = completionOf(write, writeMember);
  const renameStyle = completionOf(rename, renameMember);
  if (!plainArguments(write, rename, writeStyle)) return undefined;
  const [tmp, data, options] = write.arguments as ESTree.Expression[];
  if (optionTheHelperCannotTake(options, sourceCode.getScope(write))) return undefined;
  const pair: HelperPair = {
    write,
    rename,
    tmp: tmp as ESTree.Node,
    temp: finding,
    data: data as ESTree.Expression,
    options: writeStyle === 'callback' && isFunction(options) ? undefined : options,
    dest: rename.arguments[1] as ESTree.Expression,
    helper: writeStyle === 'sync' ? 'writeFileDurableSync' : 'writeFileDurable',
    destFitsAtWrite: meansSameAt(sourceCode, rename.arguments[1] as ESTree.Node, rangeOf(write)[0]),
  };
  const writeAt = statementOf(write);
  const renameAt = statementOf(rename);
  const statementPair =
    writeAt &&
    renameAt &&
    writeStyle === renameStyle &&
    writeStyle !== 'callback' &&
    writeAt.awaited === (writeStyle === 'promise') &&
    renameAt.awaited === writeAt.awaited;
  if (statementPair) {
    // A rename above its write (an earlier round of a loop wrote the file) fails on the first round,
    // where the helper would write the file.
    if (rangeOf(renameAt.statement)[0] < rangeOf(writeAt.statement)[0]) return undefined;
    const retryAt = retryAround(renameAt);
    if (retryAt && nextStatement(writeAt.statement) === retryAt.statement && retryAt.awaited === writeAt.awaited)
      return { ...pair, shape: 'retry', writeAt, renameAt, retryAt };
    const path = pathBetween(writeAt, renameAt);
    return { ...pair, shape: 'statements', writeAt, renameAt, between: path?.between, intoTry: path?.intoTry };
  }
  const link = thenLink(write, rename);
  if (link && writeStyle === 'promise' && renameStyle === 'promise') return { ...pair, shape: 'then', link };
  const callback = write.arguments[write.arguments.length - 1] as ESTree.Node;
  if (writeStyle === 'callback' && renameStyle === 'callback' && isFunction(callback) && within(rename, callback))
    return { ...pair, shape: 'callback', callback, renameAt };
  return undefined;
}

/** The statement after `statement` in its list. */
function nextStatement(statement: ESTree.Node): ESTree.Node | undefined {
  const list = statementListOf(statement);
  return list?.list[list.list.indexOf(statement) + 1];
}

/**
 * `retry(async () => { await rename(…); }, …)` or `retry(() => rename(…))`: a call statement whose
 * function argument does nothing but the rename (steno's `retryAsyncOperation`, `p-retry`).
 */
function retryAround(renameAt: CallStatement): CallStatement | undefined {
  const block = statementListOf(renameAt.statement)?.owner;
  const closure = block && parentOf(block);
  if (!isFunction(closure) || closure.body !== block || block.type !== 'BlockStatement' || block.body.length !== 1)
    return undefined;
  const call = parentOf(closure);
  if (call?.type !== 'CallExpression' || !call.arguments.includes(closure)) return undefined;
  return statementOf(call);
}

/**
 * The statements run between the write and the rename: of one block, or of the write's block up to a
 * `try` and then of the `try` block up to the rename.
 */
function pathBetween(
  a: CallStatement,
  b: CallStatement,
): { between: ESTree.Node[]; intoTry: ESTree.TryStatement | undefined } | undefined {
  const listA = statementListOf(a.statement);
  const listB = statementListOf(b.statement);
  if (!listA || !listB) return undefined;
  const from = listA.list.indexOf(a.statement);
  if (listA.owner === listB.owner) {
    const to = listA.list.indexOf(b.statement);
    return from < to ? { between: listA.list.slice(from + 1, to), intoTry: undefined } : undefined;
  }
  const tryStatement = parentOf(listB.owner);
  if (tryStatement?.type !== 'TryStatement' || tryStatement.block !== listB.owner) return undefined;
  const to = listA.list.indexOf(tryStatement);
  if (to <= from) return undefined;
  return {
    between: [...listA.list.slice(from + 1, to), ...listB.list.slice(0, listB.list.indexOf(b.statement))],
    intoTry: tryStatement,
  };
}

/**
 * Is the rename reached only when the write succeeded? Its statement, and each `if` around it, is
 * preceded only by inert statements and `if (err) …` guards that leave the callback, and sits in
 * the callback's body or in the `else` of an `if (err)` (LokiJS).
 */
export function reachedOnlyOnSuccess(callback: Fn, renameStatement: ESTree.Node): boolean {
  const error = callback.params[0];
  if (callback.body.type !== 'BlockStatement')
    return callback.body === (renameStatement as ESTree.ExpressionStatement).expression;
  const testsError = (test: ESTree.Node): boolean =>
    error?.type === 'Identifier' && test.type === 'Identifier' && test.name === error.name;
  const leaves = (s: ESTree.Statement): boolean =>
    s.type === 'ReturnStatement' ||
    s.type === 'ThrowStatement' ||
    (s.type === 'BlockStatement' && s.body.length > 0 && leaves(s.body[s.body.length - 1] as ESTree.Statement));
  const isGuard = (s: ESTree.Node): boolean =>
    s.type === 'IfStatement' && !s.alternate && testsError(s.test) && leaves(s.consequent);
  for (let statement = renameStatement; ;) {
    const list = statementListOf(statement);
    if (!list) return false;
    if (!list.list.slice(0, list.list.indexOf(statement)).every((s) => isGuard(s) || isInert(s))) return false;
    if (list.owner === callback.body) return true;
    const around = parentOf(list.owner);
    if (around?.type !== 'IfStatement' || around.alternate !== list.owner || !testsError(around.test)) return false;
    statement = around;
  }
}

/** `write(...).then(() => rename(...))` (or `{ return rename(...) }`): the `.then(...)` call. */
function thenLink(write: Call, rename: Call): Call | undefined {
  const member = parentOf(write);
  const call = member && parentOf(member);
  if (
    member?.type !== 'MemberExpression' ||
    member.object !== write ||
    call?.type !== 'CallExpression' ||
    call.callee !== member
  )
    return undefined;
  if (
    member.computed ||
    member.property.type !== 'Identifier' ||
    member.property.name !== 'then' ||
    call.arguments.length !== 1
  )
    return undefined;
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
  return calls
    .map((call) => call.callee)
    .flatMap((callee) => {
      let n: ESTree.Node = callee;
      while (n.type === 'MemberExpression') n = n.object as ESTree.Node;
      return n.type === 'Identifier' ? [n] : [];
    });
}
