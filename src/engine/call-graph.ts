/**
 * Who calls what: the file's calls, each resolved (when the file shows it) to the function it runs.
 * A callee is a function of this file (a declaration, a function bound to a name that is never
 * reassigned, a class or object-literal method reached through `this` or through a binding of a
 * `new C()` or of the literal, a function assigned to a property, `f.bind(x)`, `f.call(x, …)`), or
 * an export of another module (ESM imports, `require`, TypeScript's `import x = require()`).
 * Compiled callees `(0, x.f)(…)` are the same as `x.f(…)`.
 */
import { isBuiltin } from 'node:module';
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { getStringIfConstant } from '@eslint-community/eslint-utils';
import { importOf, neverReassigned, variableOf, wholeModule } from './scope.js';
import {
  isFunctionNode,
  thisFieldValue,
  thisOwnerOf,
  propertyKeyName,
  returnValues,
  walkByKeys,
  type FunctionNode,
} from '../ast.js';
import { calleeName, interopWrappers, isInteropCall, propertyName, type FileKeys } from './file-key.js';
import { FileKey, term } from './key.js';

export { importOf, wholeModule } from './scope.js';

/**
 * Names of imported helpers that may write or move a file (`moveFile`, `writeJson`, `renameOverwrite.sync`;
 * a copy is a write: `copyAllFiles(src, dest)`, `copyTemplateFile(dir)`).
 */
export const fileHelperName =
  /rename|move|write|output|copy|extract|unzip|untar|unpack|decompress|download|(?:replace|save|persist|commit|publish)(?:File|Json|Atomic)/i;

/** Node's `util.promisify` and the libraries that did it first (RSVP and Q `denodeify`, `pify`, Bluebird `promisify`). */
export const promisifiers = /^(?:promisify|denodeify|pify)$/;

/** Imported helpers named like a write, and like a rename or move. */
// Helpers that unpack or fetch into a path write it too (`unzipFile(zip, dir)`, `download(url, file)`).
const writerName = /write|output|copy|extract|unzip|untar|unpack|decompress|download|(?:save|persist)\w*(?:File|Json)/i;
// A copy helper may move too: scaffolders' `copyTemplateGitIgnoreFile(dir)` renames the `.gitignore.skeleton` it copied.
const moverName = /rename|move|copy[A-Z_]|(?:replace|commit|publish)\w*(?:File|Json|Atomic)?/i;

/** `importBindings` by source code: a linted file's are asked by the detector and by its call graph. */
const importBindingsOf = new WeakMap<SourceCode, readonly Scope.Variable[]>();

/**
 * The module-level bindings of imports and requires (`import x`, `const x = require('y')`, `const x = require('y').z`).
 * Read once per source code (its scopes do not change while it is linted; a new text is a new source code).
 */
export function importBindings(sourceCode: SourceCode): readonly Scope.Variable[] {
  const known = importBindingsOf.get(sourceCode);
  if (known) return known;
  const scope = sourceCode.scopeManager?.globalScope;
  const found: Scope.Variable[] = [];
  // ES modules and CommonJS (`globalReturn`) have their top-level bindings in a child scope of the program.
  for (const s of scope ? [scope, ...scope.childScopes.filter((c) => c.block === scope.block)] : []) {
    for (const variable of s.variables) {
      const def = variable.defs[0];
      const init =
        def?.type === 'Variable' && def.node.init ? calleeExpression(def.node.init as ESTree.Node) : undefined;
      const object = init?.type === 'MemberExpression' ? calleeExpression(init.object as ESTree.Node) : init;
      if (def?.type === 'ImportBinding' || (object !== undefined && requiredSource(object) !== undefined))
        found.push(variable);
    }
  }
  importBindingsOf.set(sourceCode, found);
  return found;
}

/**
 * Every module the file imports or requires by a constant name (`import … from 'x'`, TypeScript's
 * `import x = require('x')`, `require('x')` through any binding named `require`, or none) whose value
 * the file reads: the sources of all the imports a `CallGraph` callee can be (`importOf`,
 * `requiredSource`), read off the scopes' references to `require` without walking the file. An import
 * for its side effects (`import './setup.js'`, `require('./setup')` as a statement) or into bindings
 * that are never read can be no callee.
 */
export function importedSources(sourceCode: SourceCode): Set<string> {
  const sources = new Set<string>();
  const read = (declaration: ESTree.Node): boolean =>
    sourceCode.getDeclaredVariables(declaration).some((v) => v.references.some((r) => r.isRead()));
  for (const node of sourceCode.ast.body as Array<ESTree.Node & { moduleReference?: { expression?: ESTree.Node } }>) {
    if (node.type === 'ImportDeclaration' && typeof node.source.value === 'string') {
      if (read(node)) sources.add(node.source.value);
    } else if ((node.type as string) === 'TSImportEqualsDeclaration' && node.moduleReference?.expression) {
      const value = getStringIfConstant(node.moduleReference.expression as never);
      if (typeof value === 'string') sources.add(value);
    }
  }
  const manager = sourceCode.scopeManager;
  const references = [...(manager?.globalScope?.through.filter((ref) => ref.identifier.name === 'require') ?? [])];
  for (const scope of manager?.scopes ?? []) references.push(...(scope.set.get('require')?.references ?? []));
  for (const reference of references) {
    const call = (reference.identifier as Rule.Node).parent;
    const source =
      call?.type === 'CallExpression' && call.callee === reference.identifier ? requiredSource(call) : undefined;
    if (source === undefined) continue;
    // The value as it is used: through interop wrappers (`__importDefault(require('x'))`) and members (`require('x').y`).
    let value: Rule.Node = call as Rule.Node;
    for (;;) {
      const up: Rule.Node | null = value.parent;
      if (!up || !(isInteropCall(up, value) || (up.type === 'MemberExpression' && up.object === value))) break;
      value = up;
    }
    const holder = value.parent;
    if (holder?.type === 'ExpressionStatement') continue;
    if (holder?.type === 'VariableDeclarator' && holder.init === value && !read(holder)) continue;
    sources.add(source);
  }
  return sources;
}

/**
 * Does a file without fs calls of its own import both halves of a publication: something named like a
 * write helper and something named like a rename or move helper (as bindings, or called through a
 * module object: `fs.renameCacheFile(…)`)? Reads only the module scope's bindings and references.
 */
export function importsFileHelpers(sourceCode: SourceCode): boolean {
  let writer = false;
  let mover = false;
  const note = (name: string): void => {
    writer ||= writerName.test(name);
    mover ||= moverName.test(name);
  };
  for (const variable of importBindings(sourceCode)) {
    note(variable.name);
    for (const reference of variable.references) {
      // Each name down a member chain (`utils.fs.move`).
      let n: ESTree.Node = reference.identifier as ESTree.Node;
      for (
        let parent = (n as Rule.Node).parent;
        parent?.type === 'MemberExpression' && parent.object === n;
        n = parent, parent = (n as Rule.Node).parent
      )
        note(propertyName(parent) ?? '');
    }
    if (writer && mover) return true;
  }
  return false;
}

/** What a call runs, with the argument that lands in the callee's first parameter. */
export type Callee =
  | {
      readonly kind: 'local';
      readonly fn: FunctionNode;
      readonly receiver?: ESTree.Node;
      readonly argOffset: number;
      /** A method of the object a local function returned (`jsonlFile(tmp).add(…)`): that call. */
      readonly madeBy?: Made;
    }
  | {
      readonly kind: 'import';
      /** The import specifier as written. */
      readonly source: string;
      /** The export: a name, `default`, or `=` for the module value itself (`module.exports = f`). */
      readonly name: string;
      readonly argOffset: number;
      /** An instance method of an exported class (`name` holds `prototype`): the instance it is called on. */
      readonly receiver?: ESTree.Node;
    };

type Call = ESTree.CallExpression | ESTree.NewExpression;

/** What an object whose methods are called (`x.m()`) is: a module or its export, or a local container. */
type Holder =
  | { kind: 'import'; source: string; name: string }
  | { kind: 'container'; node: ESTree.Node; madeBy?: Made; statics?: true };

/** The call of a local function that returned the object literal whose method runs: its closures see the call's arguments. */
export interface Made {
  readonly factory: FunctionNode;
  readonly call: ESTree.CallExpression;
}

/** `(0, x.f)` and TypeScript wrappers around a callee. */
export function calleeExpression(node: ESTree.Node): ESTree.Node {
  let n = node;
  for (;;) {
    if (n.type === 'SequenceExpression' && n.expressions.length === 2 && n.expressions[0]?.type === 'Literal') {
      n = n.expressions[1] as ESTree.Node;
    } else if (
      n.type === 'ChainExpression' ||
      /^TS(?:As|NonNull|Satisfies|TypeAssertion)Expression$/.test(n.type as string)
    ) {
      n = (n as unknown as { expression: ESTree.Node }).expression;
    } else {
      return n;
    }
  }
}

/** `require('x')`, maybe wrapped by an interop helper: the specifier. */
export function requiredSource(node: ESTree.Node | null | undefined): string | undefined {
  if (node?.type !== 'CallExpression') return undefined;
  if (interopWrappers.test(calleeName(node.callee) ?? '') && node.arguments[0])
    return requiredSource(node.arguments[0] as ESTree.Node);
  if (node.callee.type !== 'Identifier' || node.callee.name !== 'require' || !node.arguments[0]) return undefined;
  const value = getStringIfConstant(node.arguments[0] as never);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Every node of the file, in source order (each before its children). ESLint's `SourceCode#traverse()`
 * (its language API) lists them once per file, before any rule runs, and keeps the list: reading it
 * costs no walk. A source code without it (a hand-made one) is walked here.
 */
function forEachNode(sourceCode: SourceCode, visit: (node: ESTree.Node) => void): void {
  const traverse = (sourceCode as Partial<Pick<SourceCode, 'traverse'>>).traverse;
  if (typeof traverse === 'function') {
    // A node's entry is the only step with phase 1 (its exit has 2, a code path event none).
    for (const step of traverse.call(sourceCode))
      if ((step as { phase?: number }).phase === 1) visit(step.target as ESTree.Node);
    return;
  }
  const keysOf = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  walkByKeys(sourceCode.ast as ESTree.Node, (node) => keysOf[node.type] ?? [], visit);
}

const MAX_RESOLVE_DEPTH = 4;

export class CallGraph {
  /** Every call and `new` in the file, in source order. */
  readonly calls: Call[] = [];
  readonly #sourceCode: SourceCode;
  readonly #keys: FileKeys;
  /** `a.b.m = function () {}`: member chain key → function. */
  readonly #assigned = new Map<string, FunctionNode>();
  /** The property names of `#assigned`'s chains: a member by another name needs no key to know it is none. */
  readonly #assignedNames = new Set<string>();
  /** `X.prototype.m = function () {}`: method name → functions (a `this.m()` in any of them). */
  readonly #prototypeMethods = new Map<string, FunctionNode[]>();
  /** `factoryOf` by call, and by function: the `new` it returns and which parameter goes where (null: none). */
  readonly #factoryCalls = new Map<
    ESTree.CallExpression,
    { made: ESTree.NewExpression; args: ESTree.Node[] } | undefined
  >();
  readonly #factories = new Map<FunctionNode, { made: ESTree.NewExpression; indexes: number[] } | null>();
  readonly #callees = new Map<Call, Callee | undefined>();
  readonly #sites = new Map<FunctionNode, Call[]>();
  readonly #byName = new Map<string, Call[]>();
  readonly #aliases = new Map<string, Set<string>>();
  /** Names bound to functions of the file (declarations, `const f = () => …`): what a callback passed by name can be. */
  readonly functionNames = new Set<string>();

  constructor(sourceCode: SourceCode, keys: FileKeys) {
    this.#sourceCode = sourceCode;
    this.#keys = keys;
    // `exports.stage = stage` (TypeScript's CommonJS output of `export const stage = …`, called back as
    // `(0, exports.stage)(…)`): known to name a function once every binding of the file has been seen.
    const aliased: [ESTree.MemberExpression, ESTree.Identifier][] = [];
    // One read of each node's type: nodes of many shapes make each read a slow (megamorphic) one.
    forEachNode(sourceCode, (node) => {
      switch (node.type) {
        case 'CallExpression':
        case 'NewExpression':
          this.#noteCall(node);
          break;
        case 'AssignmentExpression':
          if (node.left.type !== 'MemberExpression') break;
          if (isFunctionNode(node.right)) this.#noteAssignment(node.left, node.right);
          else if (node.right.type === 'Identifier') aliased.push([node.left, node.right]);
          break;
        case 'FunctionDeclaration':
          if (node.id) this.functionNames.add(node.id.name);
          break;
        case 'VariableDeclarator':
          if (node.id.type === 'Identifier' && node.init) this.#noteBinding(node.id.name, node.init as ESTree.Node);
          break;
        default:
          break;
      }
    });
    this.calls.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
    for (const [left, right] of aliased) {
      if (!this.functionNames.has(right.name)) continue;
      const value = this.#resolveBinding(right, 0);
      if (value?.kind === 'local' && !value.receiver) this.#noteAssignment(left, value.fn);
    }
  }

  /** Calls by the name they call (`f(…)`, `x.f(…)`, `f.call(…)`), so a function's calls are found without resolving every call. */
  #noteCall(call: Call): void {
    this.calls.push(call);
    const callee = calleeExpression(call.callee as ESTree.Node);
    const names = [nameOfExpression(callee)];
    if (callee.type === 'MemberExpression' && /^(?:call|apply)$/.test(propertyName(callee) ?? ''))
      names.push(nameOfExpression(callee.object as ESTree.Node));
    for (const name of names) {
      if (!name) continue;
      const list = this.#byName.get(name);
      if (list) list.push(call);
      else this.#byName.set(name, [call]);
    }
  }

  /** `const f = function …`, and aliases `const g = this.f.bind(this)` / `const g = f`. */
  #noteBinding(name: string, init: ESTree.Node): void {
    const value = calleeExpression(init);
    if (isFunctionNode(value)) {
      this.functionNames.add(name);
      return;
    }
    const bound =
      value.type === 'CallExpression' &&
      value.callee.type === 'MemberExpression' &&
      propertyName(value.callee) === 'bind'
        ? (value.callee.object as ESTree.Node)
        : (promisifiedFunction(value) ?? value);
    const original = nameOfExpression(calleeExpression(bound));
    if (!original || original === name) return;
    const aliases = this.#aliases.get(original) ?? new Set<string>();
    aliases.add(name);
    this.#aliases.set(original, aliases);
  }

  #noteAssignment(left: ESTree.MemberExpression, fn: FunctionNode): void {
    const name = propertyName(left);
    if (!name) return;
    const object = left.object;
    if (object.type === 'MemberExpression' && propertyName(object) === 'prototype') {
      const list = this.#prototypeMethods.get(name) ?? [];
      list.push(fn);
      this.#prototypeMethods.set(name, list);
    }
    const key = this.#keys.of(left, this.#sourceCode.getScope(left));
    if (!key) return;
    this.#assigned.set(key.id, fn);
    this.#assignedNames.add(name);
  }

  /** The function `call` runs, if the file shows it. */
  calleeOf(call: Call): Callee | undefined {
    if (this.#callees.has(call)) return this.#callees.get(call);
    let callee: Callee | undefined;
    try {
      callee = this.#resolveCall(call);
    } catch {
      callee = undefined;
    }
    this.#callees.set(call, callee);
    return callee;
  }

  /** Might `call` go to another module? Its callee's root binding is a module-level import or require. */
  mayCallImport(call: Call): boolean {
    let root = calleeExpression(call.callee as ESTree.Node);
    while (root.type === 'MemberExpression') root = calleeExpression(root.object as ESTree.Node);
    if (root.type === 'CallExpression') return requiredSource(root) !== undefined;
    if (root.type === 'ThisExpression') {
      // `this.registry.fetch()`: a field some class of this file sets to an instance of an imported class.
      const field = (root as Rule.Node).parent;
      const name = field?.type === 'MemberExpression' ? propertyName(field) : undefined;
      if (name === undefined) return false;
      if (this.#importedNames().has(`this.${name}`)) return true;
      // `this.writeDataFile(tmp, d)` of a method inherited from a class of another module.
      return field === calleeExpression(call.callee as ESTree.Node) && !!this.#inheritedImport(call, name);
    }
    return root.type === 'Identifier' && this.#importedNames().has(root.name);
  }

  #imports: Set<string> | undefined;

  /**
   * Names of the imports, and of what holds an instance of an imported class (`const r = new
   * Registry(dir)`, `this.registry = new Registry(dir)` as `this.registry`): a method call on it runs
   * that module's code.
   */
  #importedNames(): Set<string> {
    if (this.#imports) return this.#imports;
    const names = new Set<string>();
    for (const variable of importBindings(this.#sourceCode)) {
      names.add(variable.name);
      for (const ref of variable.references) {
        // `new Registry(dir)`, and `new registry_1.Registry(dir)` of a module object (compiled CommonJS).
        const parent = (ref.identifier as Rule.Node).parent;
        const callee =
          parent?.type === 'MemberExpression' && parent.object === ref.identifier ? parent : ref.identifier;
        const made = callee === parent ? parent.parent : parent;
        const holder = made?.type === 'NewExpression' && made.callee === callee ? made.parent : undefined;
        if (holder?.type === 'VariableDeclarator' && holder.init === made && holder.id.type === 'Identifier')
          names.add(holder.id.name);
        const field =
          holder?.type === 'AssignmentExpression' && holder.right === made && holder.left.type === 'MemberExpression'
            ? propertyName(holder.left)
            : holder?.type === 'PropertyDefinition' && holder.value === made
              ? propertyKeyName(holder)
              : undefined;
        if (field !== undefined) names.add(`this.${field}`);
      }
    }
    this.#imports = names;
    return names;
  }

  /** Calls of a local function: the calls by any name it goes by, resolved. */
  sitesOf(fn: FunctionNode): readonly Call[] {
    let sites = this.#sites.get(fn);
    if (sites) return sites;
    const names = new Set(namesOf(fn));
    for (const name of [...names]) for (const alias of this.#aliases.get(name) ?? []) names.add(alias);
    sites = [];
    for (const name of names) {
      for (const call of this.#byName.get(name) ?? []) {
        const callee = this.calleeOf(call);
        if (callee?.kind === 'local' && callee.fn === fn) sites.push(call);
      }
    }
    this.#sites.set(fn, sites);
    return sites;
  }

  /** The local function an expression evaluates to (`f`, `obj.m`, `f.bind(this)`, a function expression). */
  functionOf(node: ESTree.Node): FunctionNode | undefined {
    const found = this.valueOf(node);
    return found?.kind === 'local' ? found.fn : undefined;
  }

  #resolveCall(call: Call): Callee | undefined {
    const callee = calleeExpression(call.callee as ESTree.Node);
    // `f.call(thisArg, a, b)`
    if (callee.type === 'MemberExpression' && propertyName(callee) === 'call' && call.type === 'CallExpression') {
      const target = this.valueOf(callee.object as ESTree.Node, 0);
      if (target?.kind === 'local')
        return {
          kind: 'local',
          fn: target.fn,
          argOffset: 1,
          ...(call.arguments[0] ? { receiver: call.arguments[0] as ESTree.Node } : {}),
        };
      return undefined;
    }
    if (call.callee.type === 'Super') return undefined;
    const value = this.valueOf(callee, 0);
    if (!value) return undefined;
    if (value.kind === 'import')
      return isInstanceMethod(value.name) && callee.type === 'MemberExpression'
        ? { ...value, argOffset: 0, receiver: callee.object as ESTree.Node }
        : { ...value, argOffset: 0 };
    const receiver =
      value.receiver ?? (callee.type === 'MemberExpression' ? (callee.object as ESTree.Node) : undefined);
    return {
      kind: 'local',
      fn: value.fn,
      argOffset: 0,
      ...(receiver ? { receiver } : {}),
      ...(value.madeBy ? { madeBy: value.madeBy } : {}),
    };
  }

  /** What an expression evaluates to: a local function (maybe bound), or another module's export. */
  valueOf(
    node: ESTree.Node,
    depth = 0,
  ):
    | { kind: 'local'; fn: FunctionNode; receiver?: ESTree.Node; madeBy?: Made }
    | { kind: 'import'; source: string; name: string }
    | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const n = calleeExpression(node);
    if (isFunctionNode(n)) return { kind: 'local', fn: n };
    if (n.type === 'Identifier') return this.#resolveBinding(n, depth);
    const required = requiredSource(n);
    if (required !== undefined) return { kind: 'import', source: required, name: '=' };
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propertyName(n.callee) === 'bind') {
      const target = this.valueOf(n.callee.object as ESTree.Node, depth + 1);
      if (target?.kind !== 'local') return undefined;
      return { kind: 'local', fn: target.fn, ...(n.arguments[0] ? { receiver: n.arguments[0] as ESTree.Node } : {}) };
    }
    // `Object.assign(getFs, { FSPath })`: the function, with properties added.
    const [target] = n.type === 'CallExpression' ? n.arguments : [];
    const assigner =
      n.type === 'CallExpression' && n.callee.type === 'MemberExpression'
        ? calleeExpression(n.callee.object as ESTree.Node)
        : undefined;
    if (
      n.type === 'CallExpression' &&
      n.callee.type === 'MemberExpression' &&
      assigner?.type === 'Identifier' &&
      assigner.name === 'Object' &&
      propertyName(n.callee) === 'assign' &&
      target &&
      target.type !== 'SpreadElement'
    )
      return this.valueOf(target as ESTree.Node, depth + 1);
    // `promisify(f)`: the same function, its callback supplied by the promise.
    const promisified = promisifiedFunction(n);
    if (promisified) {
      const target = this.valueOf(promisified, depth + 1);
      return target?.kind === 'local' ? target : undefined;
    }
    if (n.type !== 'MemberExpression') return undefined;
    const name = propertyName(n);
    if (!name) return undefined;
    const object = calleeExpression(n.object as ESTree.Node);
    // `require('x').f`
    const module = requiredSource(object);
    if (module !== undefined) return { kind: 'import', source: module, name };
    // `var self = this; … function () { self.save() }`: `self` is the `this` where it was declared.
    const that = object.type === 'Identifier' ? thisAlias(this.#sourceCode, object) : undefined;
    if (object.type === 'ThisExpression' || that) {
      const fn = this.#methodOfThis(that ?? n, name);
      if (fn) return { kind: 'local', fn };
      const inherited = this.#inheritedImport(that ?? n, name);
      if (inherited) return inherited;
    } else if (object.type === 'MemberExpression') {
      // `this.registry.fetch()` of a class that sets `this.registry = new Registry(dir)` once.
      const field = this.#fieldHolder(object, depth);
      if (field) return this.#memberOfHolder(field, name);
      // A package's namespaced API (`cacache.put.stream`, `cacache.index.compact`): its export `put.stream`.
      const outer = this.valueOf(object, depth + 1);
      if (outer?.kind === 'import' && !isBuiltin(outer.source) && outer.name !== '=')
        return { kind: 'import', source: outer.source, name: `${outer.name}.${name}` };
    } else if (object.type === 'NewExpression' || object.type === 'CallExpression') {
      // `new FSPath(p).write(d)`, `FS(p).write(d)` where `FS` returns `new FSPath(p)`.
      const made = object.type === 'NewExpression' ? object : this.factoryOf(object, depth)?.made;
      const cls = made && this.#madeBy(made);
      const fn = cls && (isFunctionNode(cls) ? this.#prototypeMethod(cls, name) : memberOf(cls, name));
      if (fn) return { kind: 'local', fn };
    } else if (object.type === 'Identifier') {
      const holder = this.#resolveHolder(object, depth);
      const member = holder && this.#memberOfHolder(holder, name);
      if (member) return member;
    }
    if (!this.#assignedNames.has(name)) return undefined;
    const key = this.#keys.of(n, this.#sourceCode.getScope(n));
    const assigned = key ? this.#assigned.get(key.id) : undefined;
    return assigned ? { kind: 'local', fn: assigned } : undefined;
  }

  /** A never-reassigned binding's function, or the import it is bound to. */
  #resolveBinding(id: ESTree.Identifier, depth: number): ReturnType<CallGraph['valueOf']> {
    const variable = variableOf(this.#sourceCode, id);
    const def = variable?.defs[0];
    if (!variable || !def || variable.defs.length !== 1) return undefined;
    if (!neverReassigned(variable)) return undefined;
    if (def.type === 'FunctionName') return { kind: 'local', fn: def.node as FunctionNode };
    const imported = importOf(def as Scope.Definition);
    if (imported) return imported;
    if (def.type === 'Variable' && def.node.init) {
      if (def.node.id.type === 'Identifier') return this.valueOf(def.node.init as ESTree.Node, depth + 1);
      // `const { f } = require('x')`
      const source = requiredSource(calleeExpression(def.node.init as ESTree.Node));
      const property = def.node.id.type === 'ObjectPattern' ? propertyBinding(def.node.id, id.name) : undefined;
      if (source !== undefined && property) return { kind: 'import', source, name: property };
    }
    return undefined;
  }

  /**
   * A call of a local function that only returns `new C(…)` of its own parameters (`function
   * getFs(path) { return new FSPath(path) }`): that `new`, and the call's arguments in its places.
   */
  factoryOf(call: ESTree.CallExpression, depth = 0): { made: ESTree.NewExpression; args: ESTree.Node[] } | undefined {
    // Cached by call and by function: calls chained on calls (`a(x).b().c()`) ask again at each link,
    // and a bundle's module loader is called thousands of times.
    if (this.#factoryCalls.has(call)) return this.#factoryCalls.get(call);
    this.#factoryCalls.set(call, undefined);
    const callee = this.valueOf(call.callee as ESTree.Node, depth + 1);
    if (callee?.kind !== 'local' || callee.receiver) return undefined;
    let factory = this.#factories.get(callee.fn);
    if (factory === undefined) {
      factory = null;
      const values = returnValues(callee.fn);
      const made = values?.length === 1 ? calleeExpression(values[0] as ESTree.Node) : undefined;
      if (made?.type === 'NewExpression' && this.#madeBy(made)) {
        const indexes = made.arguments.map((arg) =>
          arg.type === 'Identifier'
            ? callee.fn.params.findIndex((p) => p.type === 'Identifier' && p.name === arg.name)
            : -1,
        );
        if (indexes.every((index) => index >= 0)) factory = { made, indexes };
      }
      this.#factories.set(callee.fn, factory);
    }
    if (!factory) return undefined;
    const args: ESTree.Node[] = [];
    for (const index of factory.indexes) {
      const given = call.arguments[index];
      if (!given || given.type === 'SpreadElement') return undefined;
      args.push(given as ESTree.Node);
    }
    const found = { made: factory.made, args };
    this.#factoryCalls.set(call, found);
    return found;
  }

  /**
   * The function `new C(…)` runs, when `C` is a never-reassigned class of this file (its
   * constructor) or a function declared here (an ES5 constructor).
   */
  constructorOf(call: ESTree.NewExpression): FunctionNode | undefined {
    const made = this.#madeBy(call);
    if (!made) return undefined;
    if (isFunctionNode(made)) return made;
    for (const element of made.body.body)
      if (element.type === 'MethodDefinition' && element.kind === 'constructor' && isFunctionNode(element.value))
        return element.value;
    return undefined;
  }

  /** `C.prototype.name = function () {…}` of an ES5 constructor `C`. */
  #prototypeMethod(constructor: FunctionNode, name: string): FunctionNode | undefined {
    const id = constructor.type === 'ArrowFunctionExpression' ? undefined : constructor.id;
    if (!this.#assignedNames.has(name)) return undefined;
    const key = id ? this.#keys.of(id, this.#sourceCode.getScope(constructor)) : undefined;
    return key && this.#assigned.get(new FileKey(term.member(term.member(key.term, 'prototype'), name)).id);
  }

  /** The class, or the constructor function, a `new` of this file instantiates. */
  #madeBy(call: ESTree.NewExpression): ESTree.ClassDeclaration | ESTree.ClassExpression | FunctionNode | undefined {
    const callee = calleeExpression(call.callee as ESTree.Node);
    if (callee.type === 'ClassExpression') return callee;
    if (callee.type !== 'Identifier') return undefined;
    const variable = variableOf(this.#sourceCode, callee);
    const def = variable?.defs[0];
    if (!variable || !def || variable.defs.length !== 1 || !neverReassigned(variable)) return undefined;
    if (def.type === 'ClassName') return def.node as ESTree.ClassDeclaration;
    if (def.type === 'FunctionName' && isFunctionNode(def.node as ESTree.Node)) return def.node as FunctionNode;
    const init = def.type === 'Variable' && def.node.id.type === 'Identifier' ? def.node.init : undefined;
    return init?.type === 'ClassExpression' ? init : undefined;
  }

  /** What a binding used as `x.m()` holds: a module, a class instance or an object literal. */
  #resolveHolder(id: ESTree.Identifier, depth: number): Holder | undefined {
    const variable = variableOf(this.#sourceCode, id);
    const def = variable?.defs[0];
    if (!variable || !def || variable.defs.length !== 1 || !neverReassigned(variable)) return undefined;
    const imported = importOf(def as Scope.Definition);
    if (imported) return imported;
    // The class itself: `Unpack.unpack(…)` calls a static method.
    if (def.type === 'ClassName') return { kind: 'container', node: def.node as ESTree.Node, statics: true };
    if (def.type !== 'Variable' || !def.node.init) return undefined;
    if (def.node.id.type === 'ObjectPattern') {
      // `const { fs } = require('x')`: the export it names.
      const source = requiredSource(calleeExpression(def.node.init as ESTree.Node));
      const property = propertyBinding(def.node.id, id.name);
      return source !== undefined && property ? { kind: 'import', source, name: property } : undefined;
    }
    if (def.node.id.type !== 'Identifier') return undefined;
    return this.#holderOf(def.node.init as ESTree.Node, depth);
  }

  /** A member of a holder: of the module itself (`fse.move`), of one of its exports (`fs.move` of `{ fs }`), of a container. */
  #memberOfHolder(holder: Holder, name: string): ReturnType<CallGraph['valueOf']> {
    if (holder.kind === 'import')
      return {
        kind: 'import',
        source: holder.source,
        name: wholeModule(holder.name) ? name : `${holder.name}.${name}`,
      };
    const fn = isFunctionNode(holder.node)
      ? this.#prototypeMethod(holder.node, name)
      : memberOf(holder.node, name, holder.statics);
    return fn ? { kind: 'local', fn, ...(holder.madeBy ? { madeBy: holder.madeBy } : {}) } : undefined;
  }

  /** What a value used as `x.m()` holds (a binding's initialiser, a field's only value). */
  #holderOf(value: ESTree.Node, depth: number): Holder | undefined {
    const init = calleeExpression(value);
    const source = requiredSource(init);
    if (source !== undefined) return { kind: 'import', source, name: '=' };
    if (init.type === 'ObjectExpression') return { kind: 'container', node: init };
    if (init.type === 'NewExpression' && depth < MAX_RESOLVE_DEPTH) {
      const made = this.#madeBy(init);
      if (made) return { kind: 'container', node: made };
      // An instance of another module's class (`new Registry(dir)`): its methods are that export's.
      const cls = this.valueOf(init.callee as ESTree.Node, depth + 1);
      if (cls?.kind === 'import') return { kind: 'import', source: cls.source, name: instancesOf(cls.name) };
    }
    if (init.type === 'ClassExpression') return { kind: 'container', node: init, statics: true };
    // `const f = jsonlFile(tmp)` where `jsonlFile` returns an object literal of methods.
    if (init.type === 'CallExpression' && depth < MAX_RESOLVE_DEPTH) {
      const factory = this.valueOf(init.callee as ESTree.Node, depth + 1);
      const literal = factory?.kind === 'local' ? returnedLiteral(factory.fn) : undefined;
      if (factory?.kind === 'local' && literal)
        return { kind: 'container', node: literal, madeBy: { factory: factory.fn, call: init } };
      // `const f = FS(p)` where `FS` returns `new FSPath(p)`: the class's methods.
      const made = this.factoryOf(init, depth);
      const cls = made && this.#madeBy(made.made);
      if (cls) return { kind: 'container', node: cls };
    }
    return undefined;
  }

  /**
   * What `this.name` holds in a method of a class that gives the field one value only (a field
   * initialiser, or one assignment `this.name = …` in its methods): that value's holder.
   */
  #fieldHolder(member: ESTree.MemberExpression, depth: number): Holder | undefined {
    if (depth >= MAX_RESOLVE_DEPTH) return undefined;
    const value = thisFieldValue(member);
    return value ? this.#holderOf(value, depth + 1) : undefined;
  }

  /**
   * `this.m` in an instance method of a class that extends a class of another module and has no
   * member `m` of its own: that class's instance method (`Base.prototype.m` of its module).
   */
  #inheritedImport(at: ESTree.Node, name: string): { kind: 'import'; source: string; name: string } | undefined {
    const owner = thisOwnerOf(at);
    if (owner?.type !== 'MethodDefinition' || owner.static) return undefined;
    const cls = (owner as Rule.Node).parent?.parent as ESTree.Node | undefined;
    if ((cls?.type !== 'ClassDeclaration' && cls?.type !== 'ClassExpression') || !cls.superClass) return undefined;
    if (memberOf(cls, name, false)) return undefined;
    const base = this.valueOf(cls.superClass as ESTree.Node, 1);
    if (base?.kind !== 'import' || isBuiltin(base.source)) return undefined;
    return { kind: 'import', source: base.source, name: `${instancesOf(base.name)}.${name}` };
  }

  /** `this.m` inside a class, an object literal, or a function assigned to `X.prototype.*`. */
  #methodOfThis(at: ESTree.Node, name: string): FunctionNode | undefined {
    const owner = thisOwnerOf(at);
    if (owner?.type === 'MethodDefinition') {
      const cls = (owner as Rule.Node).parent?.parent;
      // In a static method `this` is the class.
      return cls ? memberOf(cls as ESTree.Node, name, owner.static) : undefined;
    }
    if (owner?.type === 'Property') {
      const literal = (owner as Rule.Node).parent;
      return literal ? memberOf(literal as ESTree.Node, name) : undefined;
    }
    if (owner?.type === 'PropertyDefinition') {
      const cls = (owner as Rule.Node).parent?.parent;
      // In a static field's initialiser too.
      return cls ? memberOf(cls as ESTree.Node, name, owner.static) : undefined;
    }
    const candidates = this.#prototypeMethods.get(name);
    return candidates?.length === 1 ? candidates[0] : undefined;
  }
}

/** The `this` a never-reassigned binding was initialised with (`var self = this`), if it was. */
function thisAlias(sourceCode: SourceCode, id: ESTree.Identifier): ESTree.ThisExpression | undefined {
  const variable = variableOf(sourceCode, id);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!variable || def?.type !== 'Variable' || def.node.id.type !== 'Identifier' || !neverReassigned(variable))
    return undefined;
  return def.node.init?.type === 'ThisExpression' ? def.node.init : undefined;
}

/** `promisify(f)`: `f`, a function called with its callback supplied by the promise. */
export function promisifiedFunction(node: ESTree.Node): ESTree.Node | undefined {
  return node.type === 'CallExpression' && promisifiers.test(calleeName(node.callee) ?? '')
    ? (node.arguments[0] as ESTree.Node | undefined)
    : undefined;
}

function nameOfExpression(node: ESTree.Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression') return propertyName(node);
  return undefined;
}

/** The names a function is called by: its own, its binding's, its method or property key's. */
function namesOf(fn: FunctionNode): string[] {
  const names: string[] = [];
  if (fn.type !== 'ArrowFunctionExpression' && fn.id) names.push(fn.id.name);
  let parent = (fn as Rule.Node).parent;
  if (parent && promisifiedFunction(parent) === fn) parent = parent.parent;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') names.push(parent.id.name);
  if (
    (parent?.type === 'MethodDefinition' || parent?.type === 'Property' || parent?.type === 'PropertyDefinition') &&
    !parent.computed
  ) {
    const key =
      parent.key.type === 'Identifier'
        ? parent.key.name
        : parent.key.type === 'PrivateIdentifier'
          ? `#${parent.key.name}`
          : parent.key.type === 'Literal'
            ? String(parent.key.value)
            : undefined;
    if (key) names.push(key);
  }
  if (parent?.type === 'AssignmentExpression' && parent.left.type === 'MemberExpression') {
    const key = propertyName(parent.left);
    if (key) names.push(key);
  }
  return names;
}

/** The one object literal `fn` returns on every path (`return { add() {…} }`), if it does. */
function returnedLiteral(fn: FunctionNode): ESTree.ObjectExpression | undefined {
  const values = returnValues(fn);
  const [first] = values ?? [];
  const literal = first && calleeExpression(first);
  return literal?.type === 'ObjectExpression' && values?.length === 1 ? literal : undefined;
}

/**
 * The function stored under `name` in a class (instance methods and arrow properties, or with
 * `statics` the class's own) or an object literal.
 */
function memberOf(container: ESTree.Node, name: string, statics = false): FunctionNode | undefined {
  if (container.type === 'ClassDeclaration' || container.type === 'ClassExpression') {
    for (const element of container.body.body) {
      if (element.type !== 'MethodDefinition' && element.type !== 'PropertyDefinition') continue;
      // `#tmpFor() {}` is called as `this.#tmpFor()`.
      const key =
        element.key.type === 'Identifier'
          ? element.key.name
          : element.key.type === 'PrivateIdentifier'
            ? `#${element.key.name}`
            : undefined;
      if (element.static !== statics || element.computed || key !== name) continue;
      // An overload signature (`save(a: string): void;`) has no body: the implementation follows it.
      if (element.type === 'MethodDefinition' && element.kind === 'method' && isFunctionNode(element.value))
        return element.value;
      if (element.type === 'PropertyDefinition' && isFunctionNode(element.value)) return element.value;
    }
    return undefined;
  }
  if (container.type === 'ObjectExpression') {
    for (const property of container.properties) {
      if (property.type !== 'Property' || property.computed || property.kind !== 'init') continue;
      const key = propertyKeyName(property);
      if (key === name && isFunctionNode(property.value as ESTree.Node)) return property.value as FunctionNode;
    }
  }
  return undefined;
}

/** `const { a: b } = …`: the property bound to `name`. */
function propertyBinding(pattern: ESTree.ObjectPattern, name: string): string | undefined {
  for (const property of pattern.properties) {
    if (property.type !== 'Property' || property.computed) continue;
    const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
    if (value.type === 'Identifier' && value.name === name && property.key.type === 'Identifier')
      return property.key.name;
  }
  return undefined;
}

/**
 * The export name that the instances of an exported class go by (`Registry.prototype`, `prototype` for a
 * module that is the class): their methods are its exports `Registry.prototype.save`, `prototype.save`.
 */
export const instancesOf = (name: string): string => (wholeModule(name) ? 'prototype' : `${name}.prototype`);

/** Is the export an instance method of a class (see `instancesOf`)? */
export const isInstanceMethod = (name: string): boolean => /(?:^|\.)prototype\.[^.]+$/.test(name);
