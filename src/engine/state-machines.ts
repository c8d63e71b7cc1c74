/**
 * Async functions as compilers emit them for older targets: a state machine whose cases run one after
 * the other, each entered when the promise the previous one yielded settles.
 *
 * - tsc's `__generator`: `switch (_a.label) { case 0: … return [4 (yield), writeFile(tmp)]; case 1:
 *   _a.sent(); return [4 (yield), rename(tmp, dest)]; … }`: a `[4, x]` (or `[5, x]`, `yield*`) resumes
 *   at the next case, a `[3 (break), n]` goes to case `n`.
 * - regenerator (Babel): `switch (_context.prev = _context.next) { case 0: _context.next = 3; return
 *   writeFile(tmp); case 3: … }`: a `return` resumes at the case its last `_context.next = n` names.
 *
 * ESLint's code paths end such a case at its `return`, so a write in one case never reaches a rename in
 * the next: each yielding `return` jumps to the case it resumes at (a `resume` event the direct path
 * also goes through, as a case can be entered by falling through).
 */
import type { Rule } from 'eslint';
import type * as ESTree from 'estree';
import { descendants, isFunctionNode, parentOf, tscInstruction } from '../ast.js';
import type { FlowGraph } from './flow.js';

type Machine = 'tsc' | 'regenerator';

/** The kind of state machine `node` dispatches on, if it is one. */
function machineOf(node: ESTree.SwitchStatement): Machine | undefined {
  const d = node.discriminant;
  const member = (n: ESTree.Node, name: string): n is ESTree.MemberExpression =>
    n.type === 'MemberExpression' &&
    !n.computed &&
    n.object.type === 'Identifier' &&
    n.property.type === 'Identifier' &&
    n.property.name === name;
  if (member(d, 'label')) return 'tsc';
  if (d.type === 'AssignmentExpression' && member(d.left, 'prev') && member(d.right, 'next')) return 'regenerator';
  return undefined;
}

/** The number a case is labelled with (`case 3:`). */
function labelOf(node: ESTree.SwitchCase): number | undefined {
  return node.test?.type === 'Literal' && typeof node.test.value === 'number' ? node.test.value : undefined;
}

/** The case of a state machine that `node` runs in, in the same function. */
function enclosingCase(node: ESTree.Node): { switchCase: ESTree.SwitchCase; machine: Machine } | undefined {
  for (let n = parentOf(node); n && !isFunctionNode(n); n = parentOf(n)) {
    if (n.type !== 'SwitchCase') continue;
    const statement = parentOf(n);
    const machine = statement?.type === 'SwitchStatement' ? machineOf(statement) : undefined;
    return machine ? { switchCase: n, machine } : undefined;
  }
  return undefined;
}

/** `_context.next = 3`: the case regenerator's machine goes on at. */
function isNextAssignment(
  n: ESTree.Node,
  context: string,
): n is ESTree.AssignmentExpression & { right: ESTree.Literal & { value: number } } {
  return (
    n.type === 'AssignmentExpression' &&
    n.operator === '=' &&
    n.left.type === 'MemberExpression' &&
    !n.left.computed &&
    n.left.object.type === 'Identifier' &&
    n.left.object.name === context &&
    n.left.property.type === 'Identifier' &&
    n.left.property.name === 'next' &&
    n.right.type === 'Literal' &&
    typeof n.right.value === 'number'
  );
}

/** The case a yielding `return` resumes at, if it yields. */
function resumeCaseOf(node: ESTree.ReturnStatement): ESTree.SwitchCase | undefined {
  const around = enclosingCase(node);
  if (!around) return undefined;
  const statement = parentOf(around.switchCase) as ESTree.SwitchStatement;
  const cases = statement.cases;
  const labelled = (label: number | undefined): ESTree.SwitchCase | undefined =>
    label === undefined ? undefined : cases.find((c) => labelOf(c) === label);
  if (around.machine === 'tsc') {
    const instruction = tscInstruction(node.argument);
    if (instruction?.op === 4 || instruction?.op === 5) return cases[cases.indexOf(around.switchCase) + 1];
    const target = instruction?.op === 3 ? instruction.operand : undefined;
    return target?.type === 'Literal' && typeof target.value === 'number' ? labelled(target.value) : undefined;
  }
  // regenerator: the last `_context.next = n` of this case before the `return`.
  const discriminant = statement.discriminant as ESTree.AssignmentExpression;
  const context = ((discriminant.right as ESTree.MemberExpression).object as ESTree.Identifier).name;
  let next: number | undefined;
  const before = node.range?.[0] ?? 0;
  for (const statement of around.switchCase.consequent) {
    if ((statement.range?.[0] ?? Infinity) >= before) break;
    const inside = descendants(statement, (n) => !isFunctionNode(n) && (n.range?.[0] ?? Infinity) < before);
    for (const n of inside)
      if ((n.range?.[1] ?? Infinity) <= before && isNextAssignment(n, context)) next = n.right.value;
  }
  return labelled(next);
}

/** Listeners that join the cases of compiled async functions in `flow`. */
export function stateMachineListeners(flow: FlowGraph): Rule.RuleListener {
  return {
    SwitchCase: (node: ESTree.SwitchCase) => {
      const statement = parentOf(node);
      if (statement?.type === 'SwitchStatement' && machineOf(statement) && labelOf(node) !== undefined)
        flow.goesOnAt(node);
    },
    'ReturnStatement:exit': (node: ESTree.ReturnStatement) => {
      const to = resumeCaseOf(node);
      if (to) flow.record({ type: 'jump', to });
    },
  };
}

/**
 * The value a state machine's `_a.sent()` (tsc) or `_context.sent` (regenerator) reads: what the
 * `return` that resumed at its case yielded (`return [4, stage(f)]` … `tmp = _a.sent()`), when one
 * `return` does.
 */
export function yieldedValue(node: ESTree.Node): ESTree.Node | undefined {
  const read = node.type === 'CallExpression' && node.arguments.length === 0 ? node.callee : node;
  if (read.type !== 'MemberExpression' || read.computed || read.property.type !== 'Identifier') return undefined;
  if (read.property.name !== 'sent') return undefined;
  const around = enclosingCase(node);
  if (!around) return undefined;
  const statement = parentOf(around.switchCase) as ESTree.SwitchStatement;
  let values = yielded.get(statement);
  if (!values) yielded.set(statement, (values = yieldedByCase(statement, around.machine)));
  return values.get(around.switchCase) ?? undefined;
}

/** What each case of one machine is resumed with, once per machine (`null`: more than one `return` yields to it). */
const yielded = new WeakMap<ESTree.SwitchStatement, Map<ESTree.SwitchCase, ESTree.Node | null>>();

function yieldedByCase(
  statement: ESTree.SwitchStatement,
  machine: Machine,
): Map<ESTree.SwitchCase, ESTree.Node | null> {
  const values = new Map<ESTree.SwitchCase, ESTree.Node | null>();
  for (const candidate of descendants(statement, (n) => !isFunctionNode(n))) {
    if (candidate.type !== 'ReturnStatement') continue;
    const to = resumeCaseOf(candidate);
    if (!to) continue;
    const value = machine === 'tsc' ? tscInstruction(candidate.argument)?.operand : candidate.argument;
    values.set(to, values.has(to) || !value ? null : value);
  }
  return values;
}
