/** The engine's tree walk must not grow the call stack with nesting depth. */
import type * as ESTree from 'estree';
import { describe, expect, it } from 'vitest';
import { descendants } from '../../src/ast.js';

/** `!!!…!x` nested `depth` deep, built directly: no parser could read it at this depth. */
function deepUnary(depth: number): ESTree.Node {
  let node: ESTree.Expression = { type: 'Identifier', name: 'x' };
  for (let i = 0; i < depth; i++) node = { type: 'UnaryExpression', operator: '!', prefix: true, argument: node };
  return node;
}

describe('descendants', () => {
  it('walks a tree 200,000 levels deep without overflowing the stack', () => {
    let count = 0;
    for (const _ of descendants(deepUnary(200_000))) count++;
    expect(count).toBe(200_001);
  });

  it('yields in source order, root first, and skips the subtrees `enter` refuses', () => {
    const program = {
      type: 'Program',
      sourceType: 'module',
      body: [
        { type: 'ExpressionStatement', expression: { type: 'Identifier', name: 'a' } },
        { type: 'ExpressionStatement', expression: { type: 'Identifier', name: 'b' } },
      ],
      tokens: [{ type: 'Identifier', value: 'a' }],
    } as unknown as ESTree.Program;
    const names = (nodes: Iterable<ESTree.Node>): string[] =>
      [...nodes].map((n) => (n.type === 'Identifier' ? n.name : n.type));
    expect(names(descendants(program))).toEqual(['Program', 'ExpressionStatement', 'a', 'ExpressionStatement', 'b']);
    const skipFirst = (n: ESTree.Node): boolean => n !== program.body[0];
    expect(names(descendants(program, skipFirst))).toEqual([
      'Program',
      'ExpressionStatement',
      'ExpressionStatement',
      'b',
    ]);
  });

  it("yields a node's single children and array children in the order its properties are written", () => {
    const id = (name: string): ESTree.Identifier => ({ type: 'Identifier', name });
    // `f(a, b)(c)`: the outer call's callee (the inner call) before its arguments, each inner part in order.
    const call = {
      type: 'CallExpression',
      callee: { type: 'CallExpression', callee: id('f'), arguments: [id('a'), id('b')], optional: false },
      arguments: [id('c')],
      optional: false,
      range: [0, 10],
      loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 10 } },
    } as unknown as ESTree.Node;
    const names = [...descendants(call)].map((n) => (n.type === 'Identifier' ? n.name : n.type));
    expect(names).toEqual(['CallExpression', 'CallExpression', 'f', 'a', 'b', 'c']);
  });
});
