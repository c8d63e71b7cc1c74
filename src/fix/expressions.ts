/**
 * Questions a rewrite asks about an expression before it moves or duplicates it: does evaluating it
 * do anything, and does it mean the same thing at another position?
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { calleeName } from '../engine/file-key.js';
import { rangeOf } from './text.js';
import { variableOf } from '../engine/scope.js';

/** `path` functions: their result depends only on their arguments. */
const pathCalls = new Set(['join', 'resolve', 'normalize', 'dirname', 'basename', 'extname', 'format', 'relative']);
/** Calls whose only effect is their result: dropping one changes nothing but that result. */
const valueCalls = new Set([
  ...pathCalls,
  'now',
  'random',
  'randomUUID',
  'randomBytes',
  'toString',
  'getTime',
  'String',
  'fileURLToPath',
  'pathToFileURL',
]);

const typeWrapper = /^TS(As|NonNull|TypeAssertion|Satisfies|Instantiation)Expression$/;

/**
 * True when evaluating `node` has no effect and gives the same value twice: bindings, literals,
 * member reads, templates, arithmetic and `path` calls over those. With `dropOnly`, also calls whose
 * result differs each time (`Date.now()`, `randomUUID()`): safe to drop, not to repeat.
 */
export function isSideEffectFree(node: ESTree.Node, dropOnly = false): boolean {
  const free = (n: ESTree.Node | null | undefined): boolean => !n || isSideEffectFree(n, dropOnly);
  switch (node.type) {
    case 'Identifier':
    case 'Literal':
    case 'ThisExpression':
      return true;
    case 'TemplateLiteral':
      return node.expressions.every(free);
    case 'BinaryExpression':
      return node.left.type !== 'PrivateIdentifier' && free(node.left) && free(node.right);
    case 'MemberExpression':
      return node.object.type !== 'Super' && free(node.object) && (!node.computed || free(node.property));
    case 'ChainExpression':
      return free(node.expression);
    case 'CallExpression': {
      const name = calleeName(node.callee);
      const calls = dropOnly ? valueCalls : pathCalls;
      if (!name || !calls.has(name) || node.callee.type === 'Super') return false;
      if (node.callee.type === 'MemberExpression' && !free(node.callee.object as ESTree.Node)) return false;
      return node.arguments.every((a) => a.type !== 'SpreadElement' && free(a));
    }
    default: {
      const wrapped = node as unknown as { type: string; expression?: ESTree.Node };
      return typeWrapper.test(wrapped.type) && !!wrapped.expression && free(wrapped.expression);
    }
  }
}

/** Identifiers read by an expression (not property names). */
export function identifiersIn(node: ESTree.Node): ESTree.Identifier[] {
  const found: ESTree.Identifier[] = [];
  const visit = (n: ESTree.Node): void => {
    if (n.type === 'Identifier') {
      found.push(n);
      return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'parent' || key === 'typeAnnotation' || key === 'typeArguments') continue;
      if (n.type === 'MemberExpression' && key === 'property' && !n.computed) continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as ESTree.Node).type === 'string')
          visit(child as ESTree.Node);
      }
    }
  };
  visit(node);
  return found;
}

/**
 * Would `node` have the same value if evaluated at offset `at` (elsewhere in the same function)?
 * Its bindings must be declared before `at` and not assigned between `at` and `node`.
 */
export function meansSameAt(sourceCode: SourceCode, node: ESTree.Node, at: number): boolean {
  const [start, end] = rangeOf(node);
  const [from, to] = at <= start ? [at, start] : [end, at];
  return identifiersIn(node).every((id) => {
    const variable = variableOf(sourceCode, id);
    if (!variable) return true;
    if (variable.defs.some((d) => rangeOf(d.name)[1] > Math.min(at, start))) return false;
    // Not neverReassigned: only a write between the two offsets changes the value from one to the other.
    return !variable.references.some(
      (r) => r.isWrite() && !r.init && between(rangeOf(r.identifier as ESTree.Identifier), from, to),
    );
  });
}

const between = (range: [number, number], from: number, to: number): boolean => range[0] >= from && range[1] <= to;
