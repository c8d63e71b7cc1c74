/** Resolving an identifier to its variable without a scan that grows with the file. */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';

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
