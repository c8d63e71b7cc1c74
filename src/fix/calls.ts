/**
 * Shapes of fs calls as the fixes see them: the statement a call is, the module its callee comes
 * from (to call a sibling such as `fsyncSync` the same way), and clean-up calls that ignore errors.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { isFunctionExpression as isFunction } from '../ast.js';
import { fsApiTable, type FsMember } from '../fs-api.js';
import { calleeName } from '../engine/file-key.js';
import { fsSources, requireSource, type ImportPlan, type ModulePath } from './imports.js';
import { parentOf, statementListOf } from './text.js';
import { neverReassigned, variableOf } from '../engine/scope.js';

export const fsModules: readonly ModulePath[] = [
  { source: 'node:fs', path: [], hasDefault: true },
  { source: 'fs', path: [], hasDefault: true },
];
/** Where a FileHandle `open` comes from: `fs/promises`, or `fs.promises`. */
export const fsPromiseModules: readonly ModulePath[] = [
  { source: 'node:fs/promises', path: [], hasDefault: true },
  { source: 'fs/promises', path: [], hasDefault: true },
  { source: 'node:fs', path: ['promises'], hasDefault: true },
  { source: 'fs', path: ['promises'], hasDefault: true },
];
export const pathModules: readonly ModulePath[] = [
  { source: 'node:path', path: [], hasDefault: true },
  { source: 'path', path: [], hasDefault: true },
];

/** Yarn's fslib: its paths are `PortablePath`s, joined and split by its own `ppath`. */
export const fslibModules: readonly ModulePath[] = [{ source: '@yarnpkg/fslib', path: [] }];

/**
 * Which of Yarn's fslib objects `callee` is called on: `xfs` (its `NodeFS`, whose descriptors are
 * the OS's), `other` (a `ZipFS`, a `FakeFS` parameter: its own descriptors), or undefined for
 * anything else. fslib has no `fsync` of its own, and its options take no `flush`.
 */
export function fslibObjectOf(sourceCode: SourceCode, callee: ESTree.Node): 'xfs' | 'other' | undefined {
  if (callee.type !== 'MemberExpression') return undefined;
  let root: ESTree.Node = callee.object as ESTree.Node;
  while (root.type === 'MemberExpression') root = root.object as ESTree.Node;
  const def = root.type === 'Identifier' ? variableOf(sourceCode, root)?.defs[0] : undefined;
  if (
    def?.type === 'ImportBinding' &&
    (def.parent as ESTree.Node | null | undefined)?.type === 'ImportDeclaration' &&
    (def.parent as ESTree.ImportDeclaration).source.value === '@yarnpkg/fslib'
  )
    return def.node.type === 'ImportSpecifier' &&
      def.node.imported.type === 'Identifier' &&
      def.node.imported.name === 'xfs' &&
      callee.object === root
      ? 'xfs'
      : 'other';
  const name = !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : '';
  // fslib names its promise flavour `renamePromise`, `writeFilePromise`: no other fs layer does.
  return /^[a-z]+Promise$/i.test(name) ? 'other' : undefined;
}

/** Is this member one of the table's own (not a project wrapper from the options)? */
export const isTableMember = (member: FsMember): boolean =>
  Object.values(fsApiTable).some((members) => members.includes(member));

/** A call that is a whole statement: `f();` or `await f();`, in a statement list. */
export interface CallStatement {
  readonly statement: ESTree.ExpressionStatement;
  readonly awaited: boolean;
}

/** `call`, or `await call` when it is awaited: the expression whose value the code around it sees. */
export function awaitedValue(call: ESTree.Node): {
  node: ESTree.Node;
  parent: ESTree.Node | undefined;
  awaited: boolean;
} {
  const parent = parentOf(call);
  if (parent?.type !== 'AwaitExpression') return { node: call, parent, awaited: false };
  return { node: parent, parent: parentOf(parent), awaited: true };
}

export function statementOf(call: ESTree.Node): CallStatement | undefined {
  const { node, parent, awaited } = awaitedValue(call);
  if (parent?.type !== 'ExpressionStatement' || parent.expression !== node || !statementListOf(parent))
    return undefined;
  return { statement: parent, awaited };
}

/** How a call learns completion when used as a statement: `sync`, `promise` (awaited) or neither. */
export function completionOf(
  call: ESTree.CallExpression,
  member: Pick<FsMember, 'style'>,
): 'sync' | 'promise' | 'callback' {
  const last = call.arguments[call.arguments.length - 1];
  const isFn = last?.type === 'FunctionExpression' || last?.type === 'ArrowFunctionExpression';
  if (member.style === 'sync') return 'sync';
  if (member.style === 'callback' || (member.style === 'universal' && isFn)) return 'callback';
  return 'promise';
}

/** The module an imported or required function comes from: `renameSync` → `{ source: 'fs' }`. */
function moduleOf(sourceCode: SourceCode, id: ESTree.Identifier): ModulePath | undefined {
  const variable = variableOf(sourceCode, id);
  const def = variable?.defs[0];
  if (!def) return undefined;
  if (def.type === 'ImportBinding' && def.node.type === 'ImportSpecifier') {
    return { source: String((def.parent as ESTree.ImportDeclaration).source.value), path: [] };
  }
  if (def.type === 'Variable' && def.node.id.type === 'ObjectPattern') return requireSource(def.node.init);
  return undefined;
}

/**
 * Text calling `name` from the module `callee` comes from: `fs.renameSync` → `fs.fsyncSync`;
 * an imported `renameSync` → `fsyncSync`, imported alongside it.
 */
export function siblingRef(
  sourceCode: SourceCode,
  plan: ImportPlan,
  callee: ESTree.Node,
  name: string,
  at: ESTree.Node,
): string | undefined {
  if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type !== 'Super') {
    const fslib = /^f(?:data)?sync/.test(name) ? fslibObjectOf(sourceCode, callee) : undefined;
    // `xfs.openSync` gives the OS's descriptor, which Node's `fsyncSync` takes; other fslib objects
    // have descriptors of their own, and nothing to fsync them with.
    if (fslib) return fslib === 'xfs' && name.endsWith('Sync') ? plan.ref(fsModules, name, at) : undefined;
    return `${sourceCode.getText(callee.object)}.${name}`;
  }
  if (callee.type !== 'Identifier') return undefined;
  const module = moduleOf(sourceCode, callee);
  // Only a file system's own module is known to export its siblings: a project's fs adapter
  // (`export const write = promisify(fs.write)`) may have no `fsyncSync`, and importing one would fail.
  return module && Object.hasOwn(fsApiTable, module.source) ? plan.ref([module], name, at) : undefined;
}

/**
 * Is `call` made on the real file system: a callee reached from an import or top-level `require`
 * of fs itself? `this.fs.rename`, `self.fs.rename`, a parameter or a property can be a test double,
 * a memory fs or a remote one (LokiJS, webpack's `outputFileSystem`): the helper would bypass it.
 */
export function callsRealFs(sourceCode: SourceCode, call: ESTree.CallExpression): boolean {
  let root: ESTree.Node = call.callee;
  while (root.type === 'MemberExpression') root = root.object as ESTree.Node;
  if (root.type === 'CallExpression') return fsSources.has(requireSource(root)?.source ?? '');
  if (root.type !== 'Identifier') return false;
  const variable = variableOf(sourceCode, root);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if ((def?.node.type as string) === 'TSImportEqualsDeclaration') {
    const reference = (def?.node as unknown as { moduleReference: { expression?: ESTree.Node } }).moduleReference
      .expression;
    return reference?.type === 'Literal' && fsSources.has(String(reference.value));
  }
  if (def?.type === 'ImportBinding')
    return fsSources.has(String((def.parent as ESTree.ImportDeclaration).source.value));
  // `var fs = require('fs')` counts while nothing assigns to it later.
  if (variable && def?.type === 'Variable' && neverReassigned(variable))
    return fsSources.has(requireSource(def.node.init)?.source ?? '');
  return false;
}

const isEmptyFunction = (n: ESTree.Node | undefined): boolean =>
  isFunction(n) && (n.params.length === 0 || (n.body.type === 'BlockStatement' && n.body.body.length === 0));

/** `{ force: true }` as written. */
function hasForce(options: ESTree.Node | undefined): boolean {
  return (
    options?.type === 'ObjectExpression' &&
    options.properties.some(
      (p) =>
        p.type === 'Property' &&
        !p.computed &&
        p.key.type === 'Identifier' &&
        p.key.name === 'force' &&
        p.value.type === 'Literal' &&
        p.value.value === true,
    )
  );
}

/** Inside a `try` whose `catch` is empty, in the same function? */
function insideSwallowingTry(node: ESTree.Node): boolean {
  for (let n = node, p = parentOf(n); p; n = p, p = parentOf(p)) {
    if (p.type === 'TryStatement' && p.block === n) return !!p.handler && p.handler.body.body.length === 0;
    if (isFunction(p) || p.type === 'FunctionDeclaration') return false;
  }
  return false;
}

/**
 * Is `use` (an expression naming the temp file) part of a clean-up that cannot fail: `rm(tmp,
 * { force: true })`, an unlink whose error is ignored, or the `existsSync(tmp)` guarding one? Once
 * the helper owns the temp file, such code finds nothing to remove and does nothing.
 */
export function isRedundantCleanup(use: ESTree.Node): boolean {
  const call = parentOf(use);
  if (call?.type !== 'CallExpression' || call.arguments[0] !== use) return false;
  const name = calleeName(call.callee);
  if (name === 'existsSync') {
    const test = parentOf(call);
    if (test?.type !== 'IfStatement' || test.test !== call || test.alternate) return false;
    const body = test.consequent.type === 'BlockStatement' ? test.consequent.body : [test.consequent];
    const only = body.length === 1 ? body[0] : undefined;
    const inner = only?.type === 'ExpressionStatement' ? only.expression : undefined;
    const cleanup = inner?.type === 'AwaitExpression' ? inner.argument : inner;
    return (
      cleanup?.type === 'CallExpression' &&
      !!cleanup.arguments[0] &&
      isRedundantCleanup(cleanup.arguments[0] as ESTree.Node)
    );
  }
  if (name !== 'unlink' && name !== 'unlinkSync' && name !== 'rm' && name !== 'rmSync') return false;
  if ((name === 'rm' || name === 'rmSync') && hasForce(call.arguments[1] as ESTree.Node)) return true;
  const last = call.arguments[call.arguments.length - 1] as ESTree.Node;
  if (call.arguments.length > 1 && isFunction(last)) return isEmptyFunction(last);
  const then = parentOf(call);
  if (then?.type === 'MemberExpression' && then.object === call && calleeName(then) === 'catch') {
    const catchCall = parentOf(then);
    return catchCall?.type === 'CallExpression' && isEmptyFunction(catchCall.arguments[0] as ESTree.Node);
  }
  return insideSwallowingTry(call);
}
