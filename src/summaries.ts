/**
 * Summaries of the file's own functions, so that a write, a rename or an fsync one call away is seen
 * at the call site:
 *
 * - `function writeJson(file, v) { fs.writeFileSync(file, …) }`: a write of the argument;
 * - `function publish() { fs.renameSync(TMP, FILE) }`, `commit() { rename(this.tmp, this.path) }`:
 *   a rename of a file named the same way at every call (module bindings, `this.` chains);
 * - a function that fsyncs anything: a sync that may cover every file, so that it never causes a report.
 *
 * A function showing any sign of durability (an fsync by any route, `FileHandle.sync()`, `flush: true`)
 * is never summarised as an unsynced write: a missed report beats a false one. One level deep; called
 * by name (declarations, never-reassigned bindings) or as `this.method()` inside the same class.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import type { FsMember, TrackedFunction } from './fs-api.js';
import { propertyName, type FileKeys, type FileKey } from './file-key.js';
import { descendants, isFunctionNode, type FunctionNode } from './ast.js';
import { variableOf } from './scope.js';

/** What a call to a summarised function does, in the terms of the fs API table. */
export interface SummarisedCall {
  readonly info: TrackedFunction;
  /** The file, when it is named the same way at every call rather than passed as an argument. */
  readonly file?: { readonly key: FileKey; readonly node: ESTree.Node };
  /** The function syncs some file: treat as a sync of any file. */
  readonly syncsAnything?: boolean;
}

/** The file key that stands for "any file" in a sync event. */
export const anyFile = '*';

interface Summary {
  write?: { param?: number; file?: { key: FileKey; node: ESTree.Node } };
  rename?: { param?: number; destination?: number; file?: { key: FileKey; node: ESTree.Node } };
  durable: boolean;
}

const durabilityText = /\b(?:f(?:data)?sync(?:Sync)?|datasync|sync)\s*\(|\bflush\s*:\s*true|\bO_D?SYNC\b/;

const within = (node: ESTree.Node, outer: ESTree.Node): boolean =>
  !!node.range && !!outer.range && node.range[0] >= outer.range[0] && node.range[1] <= outer.range[1];

export function summarizeLocalFunctions(
  sourceCode: SourceCode,
  tracked: ReadonlyMap<ESTree.Node, TrackedFunction>,
  keys: FileKeys,
): Map<ESTree.Node, SummarisedCall> {
  const scopeOf = (node: ESTree.Node): Scope.Scope => sourceCode.getScope(node);
  const summaries = new Map<FunctionNode, Summary>();

  const parameterIndex = (fn: FunctionNode, arg: ESTree.Node | undefined): number => {
    if (arg?.type !== 'Identifier') return -1;
    const def = variableOf(sourceCode, arg)?.defs[0];
    return def?.type === 'Parameter' && def.node === fn ? fn.params.indexOf(def.name as ESTree.Pattern) : -1;
  };

  /** The key of a path that means the same file wherever `fn` is called: no binding of its own. */
  const sameAtEveryCall = (fn: FunctionNode, arg: ESTree.Node | undefined): { key: FileKey; node: ESTree.Node } | undefined => {
    if (!arg) return undefined;
    for (const node of descendants(arg)) {
      if (node.type !== 'Identifier') continue;
      const variable = variableOf(sourceCode, node);
      // Unresolved names are globals; anything declared in `fn` differs from call to call.
      if (variable && within(variable.scope.block as ESTree.Node, fn)) return undefined;
    }
    const key = keys.of(arg, scopeOf(arg));
    return key ? { key, node: arg } : undefined;
  };

  for (const [node, { member }] of tracked) {
    let fn: ESTree.Node | null | undefined = (node as Rule.Node).parent;
    while (fn && !isFunctionNode(fn)) fn = (fn as Rule.Node).parent;
    if (!isFunctionNode(fn)) continue;
    let summary = summaries.get(fn);
    if (!summary) summaries.set(fn, (summary = { durable: durabilityText.test(sourceCode.getText(fn)) }));
    if (member.kind !== 'write' && member.kind !== 'rename') continue;
    const call = node as ESTree.CallExpression;
    const arg = (i: number | undefined): ESTree.Node | undefined => (i === undefined ? undefined : (call.arguments[i] as ESTree.Node));
    const param = parameterIndex(fn, arg(member.path));
    const target = param >= 0 ? { param } : sameAtEveryCall(fn, arg(member.path));
    if (!target) continue;
    const where = 'param' in target ? target : { file: target };
    if (member.kind === 'write') summary.write ??= where;
    else {
      const destination = parameterIndex(fn, arg(member.destination));
      summary.rename ??= { ...where, ...(destination >= 0 ? { destination } : {}) };
    }
  }

  const calls = new Map<ESTree.Node, SummarisedCall>();
  for (const [fn, summary] of summaries) {
    const name = nameOf(fn);
    if (!name) continue;
    const style = fn.async ? 'promise' : 'sync';
    let call: Omit<SummarisedCall, 'info'> & { member: FsMember };
    if (summary.rename) {
      const { param, destination, file } = summary.rename;
      call = {
        member: { name, kind: 'rename', style, ...(param !== undefined ? { path: param } : {}), ...(destination !== undefined ? { destination } : {}) },
        ...(file ? { file } : {}),
      };
    } else if (summary.write && !summary.durable) {
      const { param, file } = summary.write;
      call = { member: { name, kind: 'write', style, ...(param !== undefined ? { path: param } : {}) }, ...(file ? { file } : {}) };
    } else if (summary.durable && !summary.write) {
      call = { member: { name, kind: 'sync', style }, syncsAnything: true };
    } else {
      continue;
    }
    const { member, ...rest } = call;
    for (const site of callSitesOf(fn)) {
      if (!tracked.has(site)) calls.set(site, { info: { module: '.', member }, ...rest });
    }
  }
  return calls;

  function nameOf(fn: FunctionNode): string | undefined {
    if (fn.type === 'FunctionDeclaration') return fn.id?.name;
    const parent = (fn as Rule.Node).parent;
    if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
    if (parent?.type === 'MethodDefinition' && parent.kind === 'method' && !parent.computed && parent.key.type === 'Identifier') {
      return parent.key.name;
    }
    return undefined;
  }

  function* callSitesOf(fn: FunctionNode): Generator<ESTree.CallExpression> {
    const parent = (fn as Rule.Node).parent;
    if (parent?.type === 'MethodDefinition') {
      // `this.name(…)` anywhere in the same class.
      const name = parent.key.type === 'Identifier' ? parent.key.name : undefined;
      const classBody = (parent as Rule.Node).parent;
      if (!name || parent.static || !classBody) return;
      for (const node of descendants(classBody)) {
        if (
          node.type === 'CallExpression' &&
          node.callee.type === 'MemberExpression' &&
          node.callee.object.type === 'ThisExpression' &&
          propertyName(node.callee) === name
        ) {
          yield node;
        }
      }
      return;
    }
    const id = fn.type === 'FunctionDeclaration' ? fn.id : parent?.type === 'VariableDeclarator' ? parent.id : null;
    if (id?.type !== 'Identifier') return;
    const variable = variableOf(sourceCode, id);
    if (!variable || variable.references.some((ref) => ref.isWrite() && !ref.init)) return;
    for (const reference of variable.references) {
      const call = (reference.identifier as Rule.Node).parent;
      if (call?.type === 'CallExpression' && call.callee === reference.identifier) yield call;
    }
  }
}
