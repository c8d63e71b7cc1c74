/**
 * Publications a module makes for its callers: a function, or a class's method, that writes a file
 * and renames it into place with no fsync on some path (steno's `Writer#write`, lowdb's file
 * adapters, write-file-atomic called with `fsync: false`). `node_modules` is never linted, so a
 * rename inside a dependency is reported nowhere; the call in the user's code, where another writer
 * can be chosen, is where it belongs.
 *
 * A module's own publications are the renames the detector reports in it (the function around such
 * a rename publishes). They travel up its calls, its classes' methods and fields, and its imports,
 * the way function summaries do. Plain data, kept in module summaries.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { descendants, isFunctionExpression, isFunctionNode, type FunctionNode } from '../ast.js';
import { unwrap } from './bindings.js';
import { calleeExpression, type CallGraph } from './call-graph.js';
import { propertyName } from './file-key.js';
import { initialiserOf, variableOf } from './scope.js';

/** The fsync happens only when the caller's options say so (`if (options.fsync !== false)`). */
export interface DurableWith {
  /** The parameter holding the options. */
  readonly parameter: number;
  /** The option the fsync depends on. */
  readonly option: string;
  /** `notFalse`: fsyncs unless the option is `false` (so also when it is left out); `truthy`: only when set. */
  readonly when: 'notFalse' | 'truthy';
}

/** A function or class of a module that publishes a file without an fsync (on some path). */
export interface Publication {
  /** The package whose code renames the file (`steno` for lowdb's adapters). */
  readonly by: string;
  /** A class: the methods that publish. Calling one of them on an instance publishes. */
  readonly methods?: readonly string[];
  /** It does fsync, but only for the options given here. */
  readonly durableWith?: DurableWith;
}

/** The publication of another module's export (`=` is the module value itself). */
export type PublicationLookup = (source: string, name: string) => Publication | undefined;

type Call = ESTree.CallExpression | ESTree.NewExpression;
type ClassNode = ESTree.ClassDeclaration | ESTree.ClassExpression;

/** What the value of an option is where a call passes its options: a literal, absent, or unknown. */
type OptionValue = { readonly known: true; readonly value: unknown } | { readonly known: false };

const absent: OptionValue = { known: true, value: undefined };
const unknown: OptionValue = { known: false };

/**
 * The value of `name` in an options argument: object literals (the last property or spread that sets
 * it wins), `const` bindings, `Object.freeze(…)`. A string argument is an encoding: no options.
 */
export function optionValue(node: ESTree.Node | undefined, name: string, scope?: Scope.Scope, depth = 0): OptionValue {
  if (!node) return absent;
  if (depth > 3) return unknown;
  const options = unwrap(node);
  if (options.type === 'Literal' && typeof options.value === 'string') return absent;
  if (options.type === 'Identifier' && scope) {
    const variable = scope.set.get(options.name) ?? findInUpper(scope, options.name);
    const def = variable?.defs[0];
    if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable' || def.parent.kind !== 'const')
      return unknown;
    return def.node.init ? optionValue(def.node.init as ESTree.Node, name, variable.scope, depth + 1) : unknown;
  }
  if (
    options.type === 'CallExpression' &&
    options.arguments.length === 1 &&
    options.callee.type === 'MemberExpression' &&
    propertyName(options.callee) === 'freeze'
  )
    return optionValue(options.arguments[0] as ESTree.Node, name, scope, depth + 1);
  if (options.type !== 'ObjectExpression') return unknown;
  let found: OptionValue = absent;
  for (const p of options.properties) {
    if (p.type === 'SpreadElement') {
      const spread = optionValue(p.argument as ESTree.Node, name, scope, depth + 1);
      if (!spread.known || spread.value !== undefined) found = spread;
      continue;
    }
    const key = p.computed ? undefined : p.key.type === 'Identifier' ? p.key.name : (p.key as ESTree.Literal).value;
    if (key !== name) continue;
    found = p.value.type === 'Literal' ? { known: true, value: p.value.value } : unknown;
  }
  return found;
}

function findInUpper(scope: Scope.Scope, name: string): Scope.Variable | undefined {
  for (let s: Scope.Scope | null = scope.upper; s; s = s.upper) {
    const variable = s.set.get(name);
    if (variable) return variable;
  }
  return undefined;
}

/** Is the publication durable for the options this call passes? Unknown options count as durable. */
export function durableAt(call: Call, durableWith: DurableWith, scope: Scope.Scope, argOffset = 0): boolean {
  const value = optionValue(
    call.arguments[durableWith.parameter + argOffset] as ESTree.Node | undefined,
    durableWith.option,
    scope,
  );
  if (!value.known) return true;
  return durableWith.when === 'notFalse' ? value.value !== false : !!value.value;
}

/** Signs of durability in a branch: an fsync or fdatasync by any route, a FileHandle `sync()`. */
const syncText = /\bf(?:data)?sync(?:Sync)?\b|\.(?:data)?sync\s*\(\s*\)/;

/** The parameter a name refers to in `fn`'s list (`options`, `options = {}`). */
function parameterIndex(fn: FunctionNode, name: string): number {
  return fn.params.findIndex(
    (p) =>
      (p.type === 'Identifier' && p.name === name) ||
      (p.type === 'AssignmentPattern' && p.left.type === 'Identifier' && p.left.name === name),
  );
}

/**
 * The option the fsyncs in `fn` depend on, when every one of them sits in a branch taken on an option
 * of one of its parameters (`if (options.fsync !== false) fsync(fd)`, `opts.fsync && fsync(fd)`).
 */
export function durableWithOf(fn: FunctionNode, sourceCode: SourceCode): DurableWith | undefined {
  let found: DurableWith | undefined;
  for (const node of descendants(fn.body as ESTree.Node, (n) => n === fn.body || !isFunctionNode(n))) {
    const test =
      node.type === 'IfStatement' || node.type === 'ConditionalExpression'
        ? node.test
        : node.type === 'LogicalExpression' && node.operator === '&&'
          ? node.left
          : undefined;
    const branch =
      node.type === 'IfStatement' || node.type === 'ConditionalExpression'
        ? node.consequent
        : node.type === 'LogicalExpression'
          ? node.right
          : undefined;
    if (!test || !branch || !syncText.test(sourceCode.getText(branch))) continue;
    const guard = optionTest(test);
    if (!guard) continue;
    const parameter = parameterIndex(fn, guard.object);
    if (parameter < 0) continue;
    found ??= { parameter, option: guard.option, when: guard.when };
  }
  return found;
}

/** `o.x !== false`, `o.x != false`, `o.x`, `!!o.x`, `o.x === true`. */
function optionTest(test: ESTree.Node): { object: string; option: string; when: DurableWith['when'] } | undefined {
  const read = (node: ESTree.Node): { object: string; option: string } | undefined => {
    const n = unwrap(node);
    if (n.type !== 'MemberExpression' || n.object.type !== 'Identifier') return undefined;
    const option = propertyName(n);
    return option ? { object: n.object.name, option } : undefined;
  };
  if (test.type === 'BinaryExpression' && test.right.type === 'Literal') {
    const member = read(test.left as ESTree.Node);
    if (!member) return undefined;
    if ((test.operator === '!==' || test.operator === '!=') && test.right.value === false)
      return { ...member, when: 'notFalse' };
    if ((test.operator === '===' || test.operator === '==') && test.right.value === true)
      return { ...member, when: 'truthy' };
    return undefined;
  }
  if (test.type === 'UnaryExpression' && test.operator === '!' && test.argument.type === 'UnaryExpression')
    return test.argument.operator === '!' ? optionTest(test.argument.argument) : undefined;
  const member = read(test);
  return member && { ...member, when: 'truthy' };
}

/** The function whose call runs `node`: the nearest one, climbing callbacks passed to calls. */
function ownerOf(node: ESTree.Node): FunctionNode | undefined {
  for (let n = (node as Rule.Node).parent as ESTree.Node | null | undefined; n; n = (n as Rule.Node).parent) {
    if (!isFunctionNode(n)) continue;
    const parent = (n as Rule.Node).parent;
    const isCallback =
      isFunctionExpression(n) &&
      (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
      (parent.arguments.includes(n as never) || parent.callee === n);
    if (!isCallback) return n;
  }
  return undefined;
}

const isConstructor = (fn: FunctionNode): boolean => {
  const parent = (fn as Rule.Node).parent;
  return parent?.type === 'MethodDefinition' && parent.kind === 'constructor';
};

/** What a call does, as a publication, and how it was reached. */
export interface PublishingCall {
  readonly publication: Publication;
  /** The import it goes to, when it goes to another module. */
  readonly source?: string;
  readonly name: string;
  /** The option this call turns off, when the callee fsyncs unless it is off. */
  readonly option?: string;
}

/**
 * The publications of one module's functions and classes. `direct` holds the functions around the
 * renames the detector reported, with the option their fsync depends on when it depends on one.
 */
export class Publications {
  readonly #sourceCode: SourceCode;
  readonly #graph: CallGraph;
  readonly #lookup: PublicationLookup | undefined;
  readonly #ownPackage: string;
  readonly #direct: ReadonlyMap<FunctionNode, DurableWith | undefined>;
  readonly #functions = new Map<FunctionNode, Publication | undefined>();
  readonly #classes = new Map<ClassNode, Publication | undefined>();
  #callsByOwner: Map<FunctionNode, Call[]> | undefined;

  constructor(
    sourceCode: SourceCode,
    graph: CallGraph,
    lookup: PublicationLookup | undefined,
    ownPackage: string,
    direct: ReadonlyMap<FunctionNode, DurableWith | undefined> = new Map(),
  ) {
    this.#sourceCode = sourceCode;
    this.#graph = graph;
    this.#lookup = lookup;
    this.#ownPackage = ownPackage;
    this.#direct = direct;
  }

  /** What calling `fn` publishes (constructors excepted: what they build publishes through its methods). */
  ofFunction(fn: FunctionNode): Publication | undefined {
    if (this.#functions.has(fn)) return this.#functions.get(fn);
    // A recursive function publishes what its other calls publish.
    this.#functions.set(fn, undefined);
    let found: Publication | undefined;
    if (this.#direct.has(fn)) {
      const durableWith = this.#direct.get(fn);
      found = { by: this.#ownPackage, ...(durableWith ? { durableWith } : {}) };
    } else if (!isConstructor(fn)) {
      for (const call of this.#callsOf(fn)) {
        const publication = this.atCall(call, fn)?.publication;
        if (!publication) continue;
        // It builds a publisher (`new JSONFile(file)`) and hands it back or on: calling it publishes.
        found = publication.methods ? { by: publication.by } : publication;
        break;
      }
    }
    this.#functions.set(fn, found);
    return found;
  }

  /** What an instance of `cls` publishes, by method (its own and its superclass's). */
  ofClass(cls: ClassNode): Publication | undefined {
    if (this.#classes.has(cls)) return this.#classes.get(cls);
    this.#classes.set(cls, undefined);
    const methods: string[] = [];
    let by: string | undefined;
    for (const element of cls.body.body) {
      if (element.type !== 'MethodDefinition' || element.kind !== 'method' || element.static || element.computed)
        continue;
      const name = element.key.type === 'Identifier' ? element.key.name : undefined;
      const publication = name ? this.ofFunction(element.value) : undefined;
      // A method that fsyncs for some options of its own is left to its callers' review.
      if (!name || !publication || publication.durableWith) continue;
      methods.push(name);
      by ??= publication.by;
    }
    const inherited = cls.superClass ? this.#classPublication(cls.superClass as ESTree.Node)?.publication : undefined;
    for (const name of inherited?.methods ?? []) if (!methods.includes(name)) methods.push(name);
    by ??= inherited?.by;
    const found = by && methods.length > 0 ? { by, methods } : undefined;
    this.#classes.set(cls, found);
    return found;
  }

  /**
   * What `call` publishes: a function or method that publishes, or a `new` of a class whose methods
   * do. Inside `inside`, options passed on from its own parameter stay a condition of its callers.
   */
  atCall(call: Call, inside?: FunctionNode): PublishingCall | undefined {
    const scope = this.#sourceCode.getScope(call);
    if (call.type === 'NewExpression') {
      const found = this.#classPublication(call.callee as ESTree.Node);
      return found && { ...found, name: `new ${calleeLabel(call)}` };
    }
    const callee = calleeExpression(call.callee as ESTree.Node);
    if (callee.type === 'MemberExpression') {
      const method = propertyName(callee);
      const cls = method ? this.#instanceClass(callee.object as ESTree.Node) : undefined;
      const found = cls && this.#classPublication(cls);
      if (found && method && found.publication.methods?.includes(method)) {
        const { methods: _, ...publication } = found.publication;
        return { ...found, publication, name: calleeLabel(call) };
      }
    }
    const target = this.#graph.calleeOf(call);
    let publication: Publication | undefined;
    let source: string | undefined;
    if (target?.kind === 'local') publication = this.ofFunction(target.fn);
    else if (target?.kind === 'import') {
      publication = this.#lookup?.(target.source, target.name);
      source = target.source;
    }
    if (!publication || publication.methods || !target) return undefined;
    const name = calleeLabel(call);
    const { durableWith } = publication;
    if (!durableWith) return { publication, name, ...(source !== undefined ? { source } : {}) };
    const passed = call.arguments[durableWith.parameter + target.argOffset] as ESTree.Node | undefined;
    const own = inside && passed?.type === 'Identifier' ? parameterIndex(inside, passed.name) : -1;
    if (own >= 0) {
      const carried = { ...publication, durableWith: { ...durableWith, parameter: own } };
      return { publication: carried, name, ...(source !== undefined ? { source } : {}) };
    }
    if (durableAt(call, durableWith, scope, target.argOffset)) return undefined;
    const { durableWith: _, ...unconditional } = publication;
    return {
      publication: unconditional,
      name,
      option: durableWith.option,
      ...(source !== undefined ? { source } : {}),
    };
  }

  /** The class an expression names (`Writer`, `steno.Writer`, a class expression), with its publication. */
  #classPublication(node: ESTree.Node): { publication: Publication; source?: string } | undefined {
    const n = calleeExpression(node);
    if (n.type === 'ClassExpression') {
      const publication = this.ofClass(n);
      return publication && { publication };
    }
    if (n.type === 'Identifier') {
      const def = variableOf(this.#sourceCode, n)?.defs[0];
      if (def?.type === 'ClassName') {
        const publication = this.ofClass(def.node as ClassNode);
        return publication && { publication };
      }
    }
    const value = this.#graph.valueOf(n);
    if (value?.kind !== 'import') return undefined;
    const publication = this.#lookup?.(value.source, value.name);
    return publication?.methods ? { publication, source: value.source } : undefined;
  }

  /**
   * The class expression an instance was made from: `const w = new Writer(f)`, or a field of the
   * class around (`this.#writer = new Writer(f)` in its constructor, `#writer = new Writer(f)`).
   */
  #instanceClass(node: ESTree.Node): ESTree.Node | undefined {
    const n = unwrap(node);
    if (n.type === 'NewExpression') return n.callee as ESTree.Node;
    if (n.type === 'Identifier') {
      const held = initialiserOf(this.#sourceCode.getScope(n), n.name);
      const init = held && unwrap(held);
      return init?.type === 'NewExpression' ? (init.callee as ESTree.Node) : undefined;
    }
    if (n.type !== 'MemberExpression' || n.object.type !== 'ThisExpression') return undefined;
    const field = n.property.type === 'PrivateIdentifier' ? `#${n.property.name}` : propertyName(n);
    let cls: ESTree.Node | null | undefined = (n as Rule.Node).parent;
    while (cls && cls.type !== 'ClassBody') cls = (cls as Rule.Node).parent;
    if (!cls || !field) return undefined;
    const made: ESTree.Node[] = [];
    let other = false;
    for (const member of descendants(cls)) {
      let target: ESTree.Node | undefined;
      let value: ESTree.Node | null | undefined;
      if (member.type === 'PropertyDefinition' && !member.static && !member.computed) {
        const key = member.key.type === 'PrivateIdentifier' ? `#${member.key.name}` : propertyKeyOf(member.key);
        if (key === field) value = member.value;
        target = key === field ? member : undefined;
      } else if (member.type === 'AssignmentExpression' && member.left.type === 'MemberExpression') {
        const left = member.left;
        const key = left.property.type === 'PrivateIdentifier' ? `#${left.property.name}` : propertyName(left);
        if (left.object.type === 'ThisExpression' && key === field) {
          target = member;
          value = member.right;
        }
      }
      if (!target || !value) continue;
      const assigned = unwrap(value);
      if (assigned.type === 'NewExpression') made.push(assigned.callee as ESTree.Node);
      else other = true;
    }
    // One class for every assignment of the field, or none known.
    const [first] = made;
    if (other || !first) return undefined;
    const text = this.#sourceCode.getText(first);
    return made.every((c) => this.#sourceCode.getText(c) === text) ? first : undefined;
  }

  #callsOf(fn: FunctionNode): readonly Call[] {
    if (!this.#callsByOwner) {
      this.#callsByOwner = new Map();
      for (const call of this.#graph.calls) {
        const owner = ownerOf(call);
        if (!owner) continue;
        const list = this.#callsByOwner.get(owner) ?? [];
        list.push(call);
        this.#callsByOwner.set(owner, list);
      }
    }
    return this.#callsByOwner.get(fn) ?? [];
  }
}

const propertyKeyOf = (key: ESTree.Node): string | undefined =>
  key.type === 'Identifier' ? key.name : key.type === 'Literal' ? String(key.value) : undefined;

/** How a call names its callee in messages: `write`, `JSONFile`, `writeFileAtomic.sync`. */
export function calleeLabel(call: Call): string {
  const callee = calleeExpression(call.callee as ESTree.Node);
  // As written when every part is a plain name (`cacache.put.stream`), else the member's own name.
  return memberLabel(callee) ?? (callee.type === 'MemberExpression' ? propertyName(callee) : undefined) ?? 'call';
}

/** `a.b.c` when every part is a plain name. */
function memberLabel(node: ESTree.Node): string | undefined {
  const n = calleeExpression(node);
  if (n.type === 'Identifier') return n.name;
  if (n.type !== 'MemberExpression') return undefined;
  const name = propertyName(n);
  const object = memberLabel(n.object as ESTree.Node);
  return name && object ? `${object}.${name}` : undefined;
}

/** The function a node runs in, for the module's direct publications (climbing callbacks). */
export const publishingFunctionOf = ownerOf;
