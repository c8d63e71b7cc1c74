/** Resolving an identifier to its variable without a scan that grows with the file. */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable, getStringIfConstant } from '@eslint-community/eslint-utils';

/**
 * The variable `id` refers to, or null for an undeclared global. ESLint's `getScope` gives the
 * innermost scope from the node's ancestors (cached), and the lookup goes up by name from there.
 * eslint-utils' `findVariable(scope, node)` would first look for the innermost scope among every
 * child scope of `scope`: at a bundle's top level that is thousands of function scopes, once per
 * reference, and linting turns quadratic.
 */
export function variableOf(sourceCode: SourceCode, id: ESTree.Identifier): Scope.Variable | null {
  return findVariable(sourceCode.getScope(id), id.name) as Scope.Variable | null;
}

/**
 * Is `variable` never assigned after its declaration? Writes that initialise it do not count: a
 * declarator's `= …`, a parameter's default, a `for (const x of …)` head, and every `var x = …`
 * redeclaration (callers that need one declaration also check `defs.length === 1`).
 */
export function neverReassigned(variable: Scope.Variable): boolean {
  return variable.references.every((ref) => ref.init || !ref.isWrite());
}

/**
 * What the binding `name` (looked up from `scope`) was initialised with, when it is declared once as
 * a plain `const x = …` / `let x = …` and never assigned again, or declared empty and assigned once
 * (`let h; try { h = await open(p, 'w'); … }`); else undefined.
 */
export function initialiserOf(scope: Scope.Scope, name: string): ESTree.Node | undefined {
  const variable = findVariable(scope, name);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || def.node.id.type !== 'Identifier') return undefined;
  if (!def.node.init) return onlyAssignment(variable!);
  return neverReassigned(variable!) ? (def.node.init as ESTree.Node) : undefined;
}

/** The value a write reference stores when it is a plain `x = value` (not `+=`, not a pattern, not a declarator). */
export function plainAssignment(ref: Scope.Reference): ESTree.Node | undefined {
  const assignment = (ref.identifier as ESTree.Node & { parent?: ESTree.Node }).parent;
  return assignment?.type === 'AssignmentExpression' &&
    assignment.operator === '=' &&
    assignment.left === ref.identifier &&
    assignment.right === ref.writeExpr
    ? (assignment.right as ESTree.Node)
    : undefined;
}

/** The value of the one `x = value` of a binding declared with no initialiser (`let x;`), if that is all. */
export function onlyAssignment(variable: Scope.Variable): ESTree.Node | undefined {
  const def = variable.defs[0];
  if (def?.type !== 'Variable' || def.node.init || def.node.id.type !== 'Identifier') return undefined;
  const writes = variable.references.filter((ref) => ref.isWrite());
  const [write] = writes;
  return writes.length === 1 && write ? plainAssignment(write) : undefined;
}

/** An import binding: ESM specifiers and TypeScript's `import x = require('y')`. */
export function importOf(def: Scope.Definition): { kind: 'import'; source: string; name: string } | undefined {
  if (def.type !== 'ImportBinding') return undefined;
  const node = def.node as ESTree.Node & { moduleReference?: { type: string; expression?: ESTree.Node } };
  if ((node.type as string) === 'TSImportEqualsDeclaration') {
    const ref = node.moduleReference;
    const value =
      ref?.type === 'TSExternalModuleReference' && ref.expression ? getStringIfConstant(ref.expression as never) : null;
    return typeof value === 'string' ? { kind: 'import', source: value, name: '=' } : undefined;
  }
  const declaration = def.parent as ESTree.ImportDeclaration | null;
  const source = declaration?.source.value;
  if (typeof source !== 'string') return undefined;
  if (node.type === 'ImportDefaultSpecifier') return { kind: 'import', source, name: 'default' };
  if (node.type === 'ImportNamespaceSpecifier') return { kind: 'import', source, name: '*' };
  if (node.type === 'ImportSpecifier') {
    const imported = node.imported.type === 'Identifier' ? node.imported.name : String(node.imported.value);
    return { kind: 'import', source, name: imported };
  }
  return undefined;
}

/** An import that is the module itself: `require('x')`, `import * as x`, a default import. */
export const wholeModule = (name: string): boolean => name === '=' || name === '*' || name === 'default';
