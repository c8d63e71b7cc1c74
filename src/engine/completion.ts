/**
 * When does the caller know that a call finished? On return (a sync API, an awaited or returned
 * promise), when a callback or `.then` handler runs, or never as far as this file shows (a promise
 * nobody awaits, a callback we cannot follow).
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import type { FsMember } from '../fs-api.js';
import { propertyName } from './file-key.js';
import { isFunctionExpression, isFunctionNode, tscInstruction, type FunctionNode } from '../ast.js';
import { unwrap } from './bindings.js';

export type Completion = 'now' | FunctionNode | undefined;

/** `x.then(a, b)` / `x.catch(b)` / `x.finally(c)`: the promise `x` and the handlers. */
export function promiseHandlers(node: ESTree.Node): { promise: ESTree.Node; handlers: ESTree.Node[] } | undefined {
  const call = unwrap(node);
  if (call.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return undefined;
  const name = propertyName(call.callee);
  if (name !== 'then' && name !== 'catch' && name !== 'finally') return undefined;
  return { promise: call.callee.object as ESTree.Node, handlers: call.arguments as ESTree.Node[] };
}

/**
 * `'now'` when the caller sees `call` finished as soon as it returns, the function that runs on
 * completion (callback, `.then` handler), or `undefined`.
 */
export function completion(call: ESTree.CallExpression, member: Pick<FsMember, 'style'>): Completion {
  const last = call.arguments[call.arguments.length - 1];
  const style = member.style === 'universal' ? (isFunctionNode(last) ? 'callback' : 'promise') : member.style;
  if (style === 'sync') return 'now';
  if (style === 'callback') return isFunctionNode(last) ? last : undefined;
  return promiseCompletion(call);
}

/** Completion of a promise-valued expression. */
export function promiseCompletion(node: ESTree.Node): Completion {
  let child: ESTree.Node = node;
  let parent = (node as Rule.Node).parent;
  while (parent && ((parent.type as string).startsWith('TS') || parent.type === 'ChainExpression')) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  switch (parent.type) {
    case 'AwaitExpression':
    case 'ReturnStatement':
    case 'YieldExpression':
      return 'now';
    case 'ArrowFunctionExpression':
      return parent.body === child ? 'now' : undefined;
    case 'ArrayExpression': {
      // `return [4 /*yield*/, p]` of tsc's ES5 state machines: `p` is awaited, the next case resumes.
      const instruction = tscInstruction(parent);
      if (
        instruction?.operand === child &&
        (instruction.op === 4 || instruction.op === 5) &&
        (parent as Rule.Node).parent?.type === 'ReturnStatement'
      )
        return 'now';
      // `await Promise.all([…])`
      const all = (parent as Rule.Node).parent;
      return all?.type === 'CallExpression' &&
        all.callee.type === 'MemberExpression' &&
        propertyName(all.callee)?.startsWith('all')
        ? promiseCompletion(all)
        : undefined;
    }
    case 'MemberExpression': {
      const call = (parent as Rule.Node).parent;
      if (parent.object === child && call?.type === 'CallExpression' && call.callee === parent) {
        const name = propertyName(parent);
        if (name === 'then' && isFunctionNode(call.arguments[0] as ESTree.Node))
          return call.arguments[0] as FunctionNode;
        // `await x.finally(cb)` settles after `x` (`await handle.sync().finally(() => handle.close())`,
        // the fix's own shape in `.then` callbacks): `x` is done when the await returns.
        if (name === 'finally' && isFunctionNode(call.arguments[0] as ESTree.Node))
          return promiseCompletion(call) === 'now' ? 'now' : (call.arguments[0] as FunctionNode);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `new Promise((resolve, reject) => …)`: its executor and the binding of its `resolve`. */
export function promiseResolver(
  node: ESTree.Node,
  sourceCode: SourceCode,
): { executor: FunctionNode; resolve: Scope.Variable } | undefined {
  const executor = node.type === 'NewExpression' ? (node.arguments[0] as ESTree.Node | undefined) : undefined;
  if (
    node.type !== 'NewExpression' ||
    node.callee.type !== 'Identifier' ||
    node.callee.name !== 'Promise' ||
    !isFunctionExpression(executor)
  )
    return undefined;
  const param = executor.params[0];
  if (param?.type !== 'Identifier') return undefined;
  const resolve = sourceCode.getDeclaredVariables(executor).find((v) => v.defs.some((d) => d.name === param));
  return resolve ? { executor, resolve } : undefined;
}
