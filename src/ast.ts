/** Small ESTree helpers shared by the detector, the summaries and the fixes. */
import type * as ESTree from 'estree';

export type FunctionNode = ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression;

export const isFunctionNode = (node: ESTree.Node | null | undefined): node is FunctionNode =>
  !!node &&
  (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'FunctionDeclaration');

/** A function written as an expression (`function () {}`, `() => {}`): a callback, a handler. */
export const isFunctionExpression = (
  node: ESTree.Node | null | undefined,
): node is ESTree.FunctionExpression | ESTree.ArrowFunctionExpression =>
  node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression';

const parentOf = (node: ESTree.Node): ESTree.Node | undefined => (node as ESTree.Node & { parent?: ESTree.Node }).parent;

/** The nearest function around `node`, or the program when there is none. */
export function enclosingFunction(node: ESTree.Node): ESTree.Node {
  let n = node;
  for (let p = parentOf(n); p; n = p, p = parentOf(p)) if (isFunctionNode(p)) return p;
  return n;
}

/** Every node of `root`, `root` first, depth first (parent links are not followed). */
export function* descendants(root: ESTree.Node): Generator<ESTree.Node> {
  yield root;
  for (const [key, value] of Object.entries(root)) {
    if (key === 'parent') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof (child as ESTree.Node).type === 'string') yield* descendants(child as ESTree.Node);
    }
  }
}
