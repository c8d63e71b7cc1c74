/** Small ESTree helpers shared by the detector, the summaries and the fixes. */
import type * as ESTree from 'estree';

/** Is `inner` within `outer` in the source (or the same node)? False for nodes without ranges. */
export const within = (inner: ESTree.Node, outer: ESTree.Node): boolean =>
  !!inner.range && !!outer.range && inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];

export type FunctionNode = ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression;

export const isFunctionNode = (node: ESTree.Node | null | undefined): node is FunctionNode =>
  !!node &&
  (node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'FunctionDeclaration');

/** A function written as an expression (`function () {}`, `() => {}`): a callback, a handler. */
export const isFunctionExpression = (
  node: ESTree.Node | null | undefined,
): node is ESTree.FunctionExpression | ESTree.ArrowFunctionExpression =>
  node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression';

/** The node's parent in ESLint's tree (`undefined` at the program, whose `parent` is `null`). */
export const parentOf = (node: ESTree.Node): ESTree.Node | undefined =>
  (node as ESTree.Node & { parent?: ESTree.Node | null }).parent ?? undefined;

/**
 * Does `first` run before `second` whenever `second` runs, as far as their nesting shows: it ends
 * first, in the same function, and not in another branch (`if`/`else`, `?:`, `switch` cases,
 * `&&`/`||`, a `try` and its `catch`) than `second`.
 */
export function runsBefore(first: ESTree.Node, second: ESTree.Node): boolean {
  if (!first.range || !second.range || first.range[1] > second.range[0]) return false;
  const above = new Set<ESTree.Node>();
  for (let n: ESTree.Node | undefined = first; n; n = parentOf(n)) above.add(n);
  for (let n: ESTree.Node | undefined = second; n; n = parentOf(n)) {
    if (above.has(n))
      return !/^(?:IfStatement|ConditionalExpression|SwitchStatement|LogicalExpression|TryStatement)$/.test(n.type);
    if (isFunctionNode(n)) return false;
  }
  return false;
}

/** The nearest function around `node`, or the program when there is none. */
export function enclosingFunction(node: ESTree.Node): ESTree.Node {
  let n = node;
  for (let p = parentOf(n); p; n = p, p = parentOf(p)) if (isFunctionNode(p)) return p;
  return n;
}

const isNode = (value: unknown): value is ESTree.Node =>
  !!value && typeof value === 'object' && typeof (value as ESTree.Node).type === 'string';

/**
 * Every node of `root`, `root` first, in the order ESLint's traversal enters them: the children under
 * `childKeys` of each (its visitor keys), in source order, each visited with its parent. An explicit
 * stack: nesting depth must not grow the call stack.
 */
export function walkByKeys(
  root: ESTree.Node,
  childKeys: (node: ESTree.Node) => readonly string[],
  visit: (node: ESTree.Node, parent: ESTree.Node | null) => void,
): void {
  const stack: Array<[ESTree.Node, ESTree.Node | null]> = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [ESTree.Node, ESTree.Node | null];
    visit(node, parent);
    const keys = childKeys(node);
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keys[k] as string];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) stack.push([value[i], node]);
      } else if (isNode(value)) stack.push([value, node]);
    }
  }
}

/** Keys of a node that hold no child nodes: the program's tokens and comments have a `type` too. */
const notChildren = new Set(['parent', 'tokens', 'comments']);

/**
 * Every node of `root`, `root` first, depth first in source order (parent links are not followed);
 * the children of a node for which `enter` is false are skipped.
 * An explicit stack, not recursion: bundles nest thousands of functions deep, and a generator chain
 * that deep overflows the call stack.
 */
export function* descendants(
  root: ESTree.Node,
  enter: (node: ESTree.Node) => boolean = () => true,
): Generator<ESTree.Node> {
  const stack: ESTree.Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node;
    if (!enter(node)) continue;
    // Children are pushed in source order, then that stretch of the stack is reversed so that the
    // first child is popped first. `Object.keys` rather than `Object.entries`: no pair per property
    // (a node has a dozen, most of them positions), which made this walk a visible share of the rule.
    const first = stack.length;
    const record = node as unknown as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (!value || typeof value !== 'object' || notChildren.has(key)) continue;
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) stack.push(child);
      } else if (isNode(value)) {
        stack.push(value);
      }
    }
    for (let i = first, j = stack.length - 1; i < j; i++, j--) {
      const swap = stack[i] as ESTree.Node;
      stack[i] = stack[j] as ESTree.Node;
      stack[j] = swap;
    }
  }
}

/** The literal name of a non-computed property (`{ flush: … }`, `{ 'mode': … }`), or undefined. */
export const propertyKeyName = (p: ESTree.Property | ESTree.PropertyDefinition): string | undefined =>
  p.computed
    ? undefined
    : p.key.type === 'Identifier'
      ? p.key.name
      : p.key.type === 'Literal'
        ? String(p.key.value)
        : undefined;

/** Helpers that compilers turn an async function into: tsc's `__awaiter`, esbuild's `__async`, Babel's `_asyncToGenerator`. */
const asyncHelpers = /^_*(?:awaiter|async|asyncToGenerator)\d*$/;

/**
 * The generator a compiled async function runs (`return __awaiter(this, void 0, void 0, function* () {…})`,
 * `return _asyncToGenerator(function* () {…})()`): what it returns is what the function's promise resolves with.
 */
function compiledAsyncBody(value: ESTree.Node): FunctionNode | undefined {
  if (value.type !== 'CallExpression') return undefined;
  const callee = value.callee.type === 'CallExpression' && value.arguments.length === 0 ? value.callee : value;
  const name = callee.callee.type === 'Identifier' ? callee.callee.name : undefined;
  const generator = callee.arguments[callee.arguments.length - 1] as ESTree.Node | undefined;
  return name && asyncHelpers.test(name) && generator?.type === 'FunctionExpression' && generator.generator
    ? generator
    : undefined;
}

/** Is `fn` the generator of a compiled async function (its `this` and arguments are the function's)? */
export function isCompiledAsyncBody(fn: ESTree.Node): boolean {
  const call = (fn as ESTree.Node & { parent?: ESTree.Node }).parent;
  return !!call && compiledAsyncBody(call) === fn;
}

/**
 * An instruction of tsc's ES5 state machines, `return [op, operand]`: 2 returns `operand`, 3 breaks
 * to the case labelled `operand`, 4 and 5 yield `operand` (an `await`, a `yield*`). Undefined for any
 * other value.
 */
export function tscInstruction(
  node: ESTree.Node | null | undefined,
): { op: number; operand: ESTree.Node | undefined } | undefined {
  if (node?.type !== 'ArrayExpression') return undefined;
  const [op, operand] = node.elements;
  if (op?.type !== 'Literal' || typeof op.value !== 'number') return undefined;
  return { op: op.value, operand: operand && operand.type !== 'SpreadElement' ? operand : undefined };
}

/**
 * The state machine of an async function tsc compiled to ES5 (`return __awaiter(this, void 0, void 0,
 * function () { return __generator(this, function (_a) { switch (_a.label) { … } }); })`).
 */
function compiledStateMachine(value: ESTree.Node): FunctionNode | undefined {
  if (value.type !== 'CallExpression' || value.callee.type !== 'Identifier') return undefined;
  if (!asyncHelpers.test(value.callee.name)) return undefined;
  const outer = value.arguments[value.arguments.length - 1] as ESTree.Node | undefined;
  if (outer?.type !== 'FunctionExpression' || outer.generator) return undefined;
  // `var tmp;` declarations hoisted out of the machine, then its `return __generator(…)`.
  const statements = outer.body.body;
  const last = statements[statements.length - 1];
  if (!statements.slice(0, -1).every((statement) => statement.type === 'VariableDeclaration')) return undefined;
  const call = last?.type === 'ReturnStatement' ? last.argument : undefined;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier') return undefined;
  if (!/^_*generator\d*$/.test(call.callee.name)) return undefined;
  const machine = call.arguments[call.arguments.length - 1] as ESTree.Node | undefined;
  return machine?.type === 'FunctionExpression' ? machine : undefined;
}

/** The values `fn` returns, or undefined when some path returns nothing. */
export function returnValues(fn: FunctionNode): ESTree.Node[] | undefined {
  const values = ownReturnValues(fn);
  if (!values) return undefined;
  const out: ESTree.Node[] = [];
  for (const value of values) {
    const machine = compiledStateMachine(value);
    if (machine) {
      // Its `return [2 /*return*/, v]` return `v`; its other instructions (`[4, p]` yields) go on.
      for (const value of ownReturnValues(machine) ?? []) {
        const instruction = tscInstruction(value);
        if (!instruction) return undefined;
        if (instruction.op !== 2) continue;
        if (!instruction.operand) return undefined;
        out.push(instruction.operand);
      }
      continue;
    }
    const body = compiledAsyncBody(value);
    const inner = body ? ownReturnValues(body) : [value];
    if (!inner) return undefined;
    out.push(...inner);
  }
  return out;
}

function ownReturnValues(fn: FunctionNode): ESTree.Node[] | undefined {
  if (fn.body.type !== 'BlockStatement') return [fn.body];
  const values: ESTree.Node[] = [];
  const stack: ESTree.Node[] = [...fn.body.body];
  while (stack.length > 0) {
    const node = stack.pop() as ESTree.Node;
    if (isFunctionNode(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') continue;
    if (node.type === 'ReturnStatement') {
      if (!node.argument) return undefined;
      values.push(node.argument);
      continue;
    }
    for (const child of statementChildren(node)) stack.push(child);
  }
  return values;
}

/** Statements and the statement-level parts under `node` that may hold a `return` of the same function. */
function statementChildren(node: ESTree.Node): ESTree.Node[] {
  switch (node.type) {
    case 'BlockStatement':
      return node.body;
    case 'IfStatement':
      return node.alternate ? [node.consequent, node.alternate] : [node.consequent];
    case 'TryStatement':
      return [node.block, ...(node.handler ? [node.handler.body] : []), ...(node.finalizer ? [node.finalizer] : [])];
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
      return [node.body];
    case 'SwitchStatement':
      return node.cases.flatMap((c) => c.consequent);
    default:
      return [];
  }
}

/**
 * What gives `this` its value at `at`: the class method or object-literal method whose function holds
 * it, or the class field whose initialiser does (arrow functions and tsc's compiled async bodies keep
 * the `this` around them). None in a plain function or at the top level.
 */
export function thisOwnerOf(
  at: ESTree.Node,
): ESTree.MethodDefinition | ESTree.Property | ESTree.PropertyDefinition | undefined {
  for (let n: ESTree.Node | null | undefined = parentOf(at); n; n = parentOf(n)) {
    if (n.type === 'PropertyDefinition') return n;
    if (!isFunctionNode(n) || n.type === 'ArrowFunctionExpression' || isCompiledAsyncBody(n)) continue;
    const parent = parentOf(n);
    if (parent?.type === 'MethodDefinition') return parent;
    if (parent?.type === 'Property' && parentOf(parent)?.type === 'ObjectExpression') return parent;
    return undefined;
  }
  return undefined;
}

/** The class whose instance `this` is at `at`: in one of its methods (not a static one) or field initialisers. */
export function instanceClassOf(at: ESTree.Node): ESTree.ClassDeclaration | ESTree.ClassExpression | undefined {
  const owner = thisOwnerOf(at);
  if ((owner?.type !== 'MethodDefinition' && owner?.type !== 'PropertyDefinition') || owner.static) return undefined;
  const body = parentOf(owner);
  return body && (parentOf(body) as ESTree.ClassDeclaration | ESTree.ClassExpression | undefined);
}

/** The name a member expression reads: `x.a` and `x['a']` are `a`, `this.#a` is `#a`. */
export function propertyName(node: ESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value;
  if (node.property.type === 'PrivateIdentifier') return `#${node.property.name}`;
  return undefined;
}

/** Each class's fields by name: the one value its body gives each, or null for a field given two or a compound one. */
const fieldValues = new WeakMap<ESTree.Node, Map<string, ESTree.Node | null>>();

/**
 * The one value the class gives `this.<field>` of `member` (in one of its methods or field
 * initialisers): `this.registry = new Registry(dir)` set once, in a field's initialiser or a plain `=`
 * in a method. Undefined when it is given two, a compound one (`this.n += 1`), or none.
 */
export function thisFieldValue(member: ESTree.MemberExpression): ESTree.Node | undefined {
  const name = member.object.type === 'ThisExpression' ? propertyName(member) : undefined;
  const cls = name ? instanceClassOf(member) : undefined;
  if (!cls || !name) return undefined;
  let values = fieldValues.get(cls);
  if (!values) {
    values = new Map();
    const set = (field: string | undefined, value: ESTree.Node | undefined): void => {
      if (field !== undefined) values?.set(field, values.has(field) || !value ? null : value);
    };
    for (const element of cls.body.body) {
      if (element.type === 'PropertyDefinition' && !element.static && !element.computed && element.value)
        set(element.key.type === 'Identifier' ? element.key.name : undefined, element.value as ESTree.Node);
      if (element.type !== 'MethodDefinition' || !element.value.body) continue;
      for (const n of descendants(element.value.body)) {
        if (
          n.type === 'AssignmentExpression' &&
          n.left.type === 'MemberExpression' &&
          n.left.object.type === 'ThisExpression'
        )
          set(propertyName(n.left), n.operator === '=' ? (n.right as ESTree.Node) : undefined);
      }
    }
    fieldValues.set(cls, values);
  }
  return values.get(name) ?? undefined;
}
