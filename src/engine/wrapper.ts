/**
 * Which function around a rename is the project's own write/rename wrapper: it renames a path built
 * from its parameters (`renameTmp(src, dst, cb)`, `writeAtomicSync(path, data)`, a stream's
 * `handleClose(writeStream)`), so its callers choose the file, and the data was written outside it
 * (by a caller, or through another project function). A fix inside its body makes every caller's
 * publication durable; a fix at one caller would leave the others as they were.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';
import { descendants, isFunctionNode, parentOf, within, type FunctionNode } from '../ast.js';
import type { FsMember } from '../fs-api.js';

export interface Wrapper {
  /** The function as its callers name it (`renameTmp`, `writeAtomicSync`); undefined when anonymous. */
  readonly name?: string;
  readonly node: FunctionNode;
  /** Its parameters that the renamed path is built from. */
  readonly parameters: readonly string[];
  /** The fs call inside it that renames, with the member and the path it names there. */
  readonly rename: ESTree.CallExpression;
  readonly member: FsMember;
  readonly file: ESTree.Node;
}

export interface FsRename {
  readonly call: ESTree.CallExpression;
  readonly member: FsMember;
  readonly file: ESTree.Node;
}

/** `function save() {}`, `const save = () => {}`, `{ save() {} }`, `exports.save = function () {}`. */
function nameOf(fn: FunctionNode): string | undefined {
  if (fn.type !== 'ArrowFunctionExpression' && fn.id) return fn.id.name;
  const parent = parentOf(fn);
  const key = (node: ESTree.Node): string | undefined =>
    node.type === 'Identifier' ? node.name : node.type === 'Literal' ? String(node.value) : undefined;
  if (parent?.type === 'VariableDeclarator' && parent.init === fn) return key(parent.id);
  if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition') && parent.value === fn && !parent.computed)
    return key(parent.key);
  if (parent?.type === 'AssignmentExpression' && parent.right === fn) {
    const left = parent.left;
    if (left.type === 'Identifier') return left.name;
    if (left.type === 'MemberExpression' && !left.computed) return key(left.property);
  }
  return undefined;
}

/**
 * The wrapper around `rename` (the fs call that renames), when the renamed path comes from the
 * parameters of a function around it and `write` is not an fs call of that same function:
 * `isProjectCall` says whether a call is one of the project's own functions (a write wrapper).
 */
export function wrapperOf(
  sourceCode: SourceCode,
  rename: FsRename,
  write: ESTree.Node,
  isProjectCall: (node: ESTree.Node) => boolean,
): Wrapper | undefined {
  const parameters = new Map<FunctionNode, Set<string>>();
  for (const node of descendants(rename.file)) {
    if (node.type !== 'Identifier') continue;
    const parent = parentOf(node);
    if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) continue;
    const variable = findVariable(sourceCode.getScope(node), node);
    const def = variable?.defs[0];
    if (def?.type !== 'Parameter' || !isFunctionNode(def.node)) continue;
    const names = parameters.get(def.node) ?? new Set<string>();
    parameters.set(def.node, names.add(node.name));
  }
  // The innermost such function: its callers are the ones that pass the path.
  const [fn] = [...parameters.keys()].sort((a, b) => (b.range?.[0] ?? 0) - (a.range?.[0] ?? 0));
  if (!fn || (within(write, fn) && !isProjectCall(write))) return undefined;
  const name = nameOf(fn);
  return {
    ...(name ? { name } : {}),
    node: fn,
    parameters: [...(parameters.get(fn) ?? [])],
    rename: rename.call,
    member: rename.member,
    file: rename.file,
  };
}
