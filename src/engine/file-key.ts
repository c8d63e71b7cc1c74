/**
 * Which file a path expression names: its `FileKey` (`key.ts`), built from the expression's
 * structure, so formatting and comments do not matter. Each key also lists the bindings and member
 * chains it depends on, so that an assignment to one of them between the write and the rename breaks
 * the link. One `FileKeys` per linted file (and per module summarised): the detector's is the one its
 * findings carry to the fixes.
 */
import type { Scope } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';
import {
  descendants,
  enclosingFunction,
  isFunctionExpression,
  parentOf,
  propertyKeyName,
  propertyName,
  returnValues,
  thisFieldValue,
  within,
  type FunctionNode,
} from '../ast.js';
import {
  argumentCount,
  FileKey,
  globBase,
  instantiate,
  instantiateAll,
  mapTerm,
  restIndex,
  term,
  type ArgumentShape,
  type KeyTerm,
  type PathTemplate,
} from './key.js';
import { importOf, neverReassigned, onlyAssignment, plainAssignment, wholeModule } from './scope.js';
import { yieldedValue } from './state-machines.js';

export { propertyName } from '../ast.js';
export { FileKey, type ArgumentShape, type PathTemplate } from './key.js';

/** fs's `realpath` and `realpathSync` (callback, Sync and promises flavours): the same file, spelled canonically. */
const realpathNames = /^realpath(?:Sync)?$/;

/**
 * Yeoman's generator API (yeoman-generator 0.x to 7): `this.destinationPath(...parts)` joins the parts to
 * `this.destinationRoot()`, `this.templatePath(...parts)` to `this.sourceRoot()`, in a class that extends
 * the module's generator. By method: the root it joins to.
 */
const generatorRoots: Readonly<Record<string, string>> = {
  destinationPath: 'destinationRoot()',
  destinationRoot: 'destinationRoot()',
  templatePath: 'sourceRoot()',
  sourceRoot: 'sourceRoot()',
};

/** Modules whose default export (or `Base`) is Yeoman's generator class. */
const generatorModules = new Set(['yeoman-generator']);

/**
 * `this.destinationPath('a')` in a method of a class extending Yeoman's generator: the receiver, the root
 * it joins to and the parts. A root read (`this.destinationRoot()`) has no parts; one set (an argument) is not a path.
 */
function generatorPathCall(
  call: ESTree.CallExpression,
  name: string,
  scope: Scope.Scope,
): { receiver: ESTree.Node; root: string; parts: ESTree.Node[] } | undefined {
  const root = Object.hasOwn(generatorRoots, name) ? generatorRoots[name] : undefined;
  const callee = call.callee;
  if (!root || callee.type !== 'MemberExpression' || callee.object.type !== 'ThisExpression') return undefined;
  if (name.endsWith('Root') && call.arguments.length > 0) return undefined;
  if (call.arguments.some((arg) => arg.type === 'SpreadElement')) return undefined;
  // The class of the method `this` belongs to (arrow functions keep the method's `this`).
  let fn: ESTree.Node | undefined = enclosingFunction(call);
  while (fn?.type === 'ArrowFunctionExpression') fn = enclosingFunction(fn);
  const method = fn && parentOf(fn);
  const body = method?.type === 'MethodDefinition' ? parentOf(method) : undefined;
  const cls = body && parentOf(body);
  if ((cls?.type !== 'ClassDeclaration' && cls?.type !== 'ClassExpression') || !cls.superClass) return undefined;
  const base = cls.superClass.type === 'MemberExpression' ? cls.superClass.object : cls.superClass;
  if (base.type !== 'Identifier') return undefined;
  const source = moduleOfBinding(findVariable(scope, base.name));
  if (!source || !generatorModules.has(source)) return undefined;
  return { receiver: callee.object, root, parts: call.arguments as ESTree.Node[] };
}

/**
 * The string constants of modules: `source` undefined asks for the linted module's own export `name`,
 * otherwise the export `name` of the module `source` resolves to (`default.X` for a default import's
 * member). Undefined when it is not a string constant.
 */
export type ModuleConstants = (source: string | undefined, name: string) => string | undefined;

/**
 * The export a binding or member names: `X` of `import { X } from 's'`, `s.X` of `const s =
 * require('s')` or `import * as s from 's'` (TypeScript's `s_1.X`), or this module's own `exports.X`
 * and `module.exports.X`, where `exports` and `module` are CommonJS's.
 */
function exportedName(
  node: ESTree.Identifier | ESTree.MemberExpression,
  scope: Scope.Scope,
): { source: string | undefined; name: string } | undefined {
  if (node.type === 'Identifier') {
    const variable = findVariable(scope, node.name);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    const imported = def && importOf(def);
    if (imported) return imported.name !== '*' && imported.name !== '=' ? imported : undefined;
    // `const { TMP } = require('./paths')`.
    if (def?.type !== 'Variable' || def.node.id.type !== 'ObjectPattern' || !neverReassigned(variable!))
      return undefined;
    const required = requiredModule(def.node.init as ESTree.Node | null | undefined);
    const field = required === undefined ? undefined : fieldOf(def.node.id, node.name);
    return field === undefined ? undefined : { source: required, name: field };
  }
  const name = propertyName(node);
  if (name === undefined || node.computed) return undefined;
  const object = node.object;
  if (isModuleExports(object, scope)) return { source: undefined, name };
  if (object.type !== 'Identifier') return undefined;
  const variable = findVariable(scope, object.name);
  if (!variable) return undefined;
  const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
  const imported = def && importOf(def);
  if (imported) {
    if (imported.name === '*' || imported.name === '=') return { source: imported.source, name };
    return { source: imported.source, name: `${imported.name}.${name}` };
  }
  if (def?.type !== 'Variable' || def.node.id.type !== 'Identifier' || !neverReassigned(variable)) return undefined;
  const required = requiredModule(def.node.init as ESTree.Node | null | undefined);
  return required === undefined ? undefined : { source: required, name };
}

/** `exports` or `module.exports`, not declared in the module (CommonJS's own). */
function isModuleExports(node: ESTree.Node, scope: Scope.Scope): boolean {
  if (node.type === 'Identifier') return node.name === 'exports' && !declared(scope, 'exports');
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'Identifier' &&
    node.object.name === 'module' &&
    propertyName(node) === 'exports' &&
    !declared(scope, 'module')
  );
}

/** Is `name` declared in the module (not a global, nor CommonJS's implicit one)? */
const declared = (scope: Scope.Scope, name: string): boolean => (findVariable(scope, name)?.defs.length ?? 0) > 0;

/** The module `require('m')` loads, through the interop wrappers compilers put around it. */
function requiredModule(init: ESTree.Node | null | undefined): string | undefined {
  while (
    init?.type === 'CallExpression' &&
    init.arguments.length === 1 &&
    interopWrappers.test(calleeName(init.callee) ?? '')
  )
    init = init.arguments[0] as ESTree.Node;
  if (
    init?.type === 'CallExpression' &&
    init.callee.type === 'Identifier' &&
    init.callee.name === 'require' &&
    init.arguments[0]?.type === 'Literal' &&
    typeof init.arguments[0].value === 'string'
  )
    return init.arguments[0].value;
  return undefined;
}

/**
 * The module a binding was imported or required from (`import G from 'm'`, `const G = require('m')`,
 * `const G = __importDefault(require('m'))`).
 */
function moduleOfBinding(variable: Scope.Variable | null): string | undefined {
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def) return undefined;
  if (def.type === 'ImportBinding') return importOf(def)?.source;
  if (def.type !== 'Variable' || def.node.id.type !== 'Identifier') return undefined;
  const init = def.node.init as ESTree.Node | null | undefined;
  return requiredModule(init?.type === 'MemberExpression' ? init.object : init);
}

/**
 * Calls of glob libraries that list the files a pattern matches: glob 7 to 11 (`glob`, `globSync`,
 * `glob.sync`), globby (`globby`, `globbySync`), fast-glob (`fg`, `fg.sync`, `fastGlob`), tinyglobby
 * (`glob`, `globSync`) and Node's `fs.globSync`.
 */
function isGlobCall(call: ESTree.CallExpression, name: string): boolean {
  if (/^(?:glob|globSync|globby|globbySync|fastGlob|fg)$/.test(name)) return true;
  const callee = call.callee;
  return (
    (name === 'sync' || name === 'globSync') &&
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    /^(?:glob|globby|fg|fastGlob|FastGlob|fs)$/.test(callee.object.name)
  );
}

/** A glob call's options that say where its results are: `cwd`, and `absolute: true`. */
function optionsOf(options: ESTree.ObjectExpression): { cwd?: ESTree.Node; absolute: boolean } {
  const cwd = literalField(options, 'cwd');
  const absolute = literalField(options, 'absolute');
  const isAbsolute = absolute?.type === 'Literal' && absolute.value === true;
  return cwd ? { cwd, absolute: isAbsolute } : { absolute: isAbsolute };
}

/**
 * A relative path's leading `./` steps, which name no folder: `'./dist/a.d.ts'` is `'dist/a.d.ts'`, in
 * one spelling whichever the program used (`.`, `./` and `../` alone stay as they are).
 */
const withoutDotSegments = (text: string, more = false): string =>
  text.replace(more ? /^(?:\.[/\\]+)+(?=[^/\\]|$)/ : /^(?:\.[/\\]+)+(?=[^/\\])/, '');

/** Path functions whose result depends only on their arguments. */
const pathFunctions = new Set([
  'join',
  'resolve',
  'normalize',
  'format',
  'toNamespacedPath',
  'relative',
  'basename',
  'dirname',
]);

/** Module-interop wrappers (tsc, Babel, esbuild, Parcel, Rollup) that return what they are given, or its namespace. */
export const interopWrappers =
  /^(?:_*(?:interopRequire(?:Default|Wildcard)|interop_require_(?:default|wildcard)|interop(?:Default|Namespace)(?:Legacy|Compat|Default)?|importDefault|importStar|toESM)|\$parcel\$interopDefault)$/;

/** Is `node` a compiled import's interop call wrapping `arg` (`__importDefault(arg)`, `_interopDefaultLegacy(arg)`)? */
export const isInteropCall = (node: ESTree.Node | null | undefined, arg: ESTree.Node): node is ESTree.CallExpression =>
  node?.type === 'CallExpression' && node.arguments[0] === arg && interopWrappers.test(calleeName(node.callee) ?? '');

/** The key of the value a call returns, when its callee returns a file of its own making. */
export const callResultKey = (call: ESTree.Node, prefix = ''): FileKey =>
  new FileKey(term.result(`${prefix}${call.range?.[0] ?? 0}`));

/**
 * A name this file cannot follow after a known directory and a separator (`${dir}/${name.replace(…)}`,
 * `dir + '/' + f(x)`): some file inside that directory, told apart from every other (as `join(dir,
 * entry.name)`'s), so that it is inside a directory copied or extracted there and equal to nothing else.
 */
const unknownName = (node: ESTree.Node, prefix: string): FileKey =>
  new FileKey(term.result(`${prefix}${node.range?.[0] ?? 0}?`));

/** Do the parts so far (a directory, then text) end with a path separator? */
const endsWithSeparator = (parts: readonly KeyTerm[]): boolean => {
  const last = parts[parts.length - 1];
  return last?.kind === 'value' && typeof last.value === 'string' && /[/\\]$/.test(last.value);
};

/** The bindings a key is built from, to be replaced by placeholders or to be declared opaque. */
export interface KeyEnvironment {
  /** Keys standing for bindings: a function's parameters while it is summarised. */
  readonly bindings: ReadonlyMap<Scope.Variable, FileKey>;
  /** Key standing for `this`. */
  readonly thisKey?: FileKey;
  /** Bindings declared inside this node (other than `bindings`) differ from call to call: no key. */
  readonly opaqueWithin: ESTree.Node;
}

/**
 * Compiled private fields: `__classPrivateFieldGet(this, _Store_tmp, "f")` (tsc, tslib),
 * `_classPrivateFieldGet(this, _tmp)` (Babel 7), `_classPrivateFieldGet2(_tmp, this)` (Babel 7.24+),
 * `_class_private_field_get(this, _tmp)` (SWC) all read `this.#tmp`.
 */
const privateFieldGetters = /^_*class_?[Pp]rivate_?[Ff]ield_?[Gg]et(\d*)$/;

/** The receiver and the private-name binding of a compiled private field read. */
export function privateFieldRead(node: ESTree.CallExpression): { receiver: ESTree.Node; name: string } | undefined {
  const match = privateFieldGetters.exec(calleeName(node.callee) ?? '');
  const [a, b] = node.arguments as ESTree.Node[];
  if (!match || !a || !b) return undefined;
  const reversed = b.type === 'ThisExpression' || (a.type !== 'ThisExpression' && match[1] === '2');
  const [receiver, map] = reversed ? [b, a] : [a, b];
  return map.type === 'Identifier' ? { receiver, name: `#${map.name}` } : undefined;
}

const MAX_DEPTH = 6;

/**
 * Which file an expression names, as the detector decides it: findings carry the detector's keys to
 * the fixes, so that a fix compares expressions with the finding's file the way detection did.
 */
export interface PathKeys {
  keyOf(node: ESTree.Node): FileKey | undefined;
}

/** Gives every Variable a stable id for the lifetime of one lint run. */
export class FileKeys implements PathKeys {
  readonly #ids = new WeakMap<Scope.Variable, string>();
  /** The other way round, for the debug dump's legend. */
  readonly #variables = new Map<string, Scope.Variable>();
  #next = 0;
  readonly #scopeOf: (node: ESTree.Node) => Scope.Scope;
  readonly #prefix: string;
  /**
   * Calls of functions that build a path from their arguments (set by the summaries), and the
   * fields of what they return that name files (`return { fd, path: tmp }`: `.path`).
   */
  pathCall:
    | ((
        call: ESTree.CallExpression | ESTree.NewExpression,
        /**
         * What the call returns (or resolves with), what it hands its callback (`cb(err, tmp)`), or
         * what it hands the function passed as its argument `callback`, as that function's parameter
         * `parameter` (`walk(dir, (file) => …)` of `function walk(dir, cb) { … cb(join(dir, f)) }`).
         */
        value: 'returned' | 'delivered' | { readonly callback: number; readonly parameter: number },
      ) =>
        | {
            template: PathTemplate;
            args: readonly ESTree.Node[];
            receiver?: ESTree.Node;
            fields?: ReadonlyMap<string, PathTemplate>;
          }
        | undefined)
    | undefined;
  /** Member chains of returned objects and arrays that name the file a field holds (`ret@12.path`). */
  readonly #fields = new Map<string, FileKey>();

  /**
   * `scopeOf` gives the innermost scope around a node (ESLint's `sourceCode.getScope`); `prefix` keeps
   * the ids of another module's bindings apart from the linted file's.
   */
  constructor(scopeOf: (node: ESTree.Node) => Scope.Scope, prefix = '', constants?: ModuleConstants) {
    this.#scopeOf = scopeOf;
    this.#prefix = prefix;
    this.#constants = constants;
  }

  readonly #constants: ModuleConstants | undefined;

  /**
   * The string constant an import or the module's own export is (`import { TMP } from './paths'`,
   * `paths_1.TMP`, `exports.TMP` in the module that sets it): the same file in every module naming it.
   */
  #constant(node: ESTree.Identifier | ESTree.MemberExpression, scope: Scope.Scope): FileKey | undefined {
    const constants = this.#constants;
    if (!constants) return undefined;
    const exported = exportedName(node, scope);
    const value = exported && constants(exported.source, exported.name);
    return value === undefined ? undefined : new FileKey(term.value(withoutDotSegments(value)));
  }

  /** What keeps this file's ids apart from other modules' (empty for the linted file). */
  get prefix(): string {
    return this.#prefix;
  }

  idOf(variable: Scope.Variable): string {
    let id = this.#ids.get(variable);
    if (id === undefined) {
      id = `${this.#prefix}v${this.#next++}`;
      this.#ids.set(variable, id);
      this.#variables.set(id, variable);
    }
    return id;
  }

  /** The key of `node`, in the innermost scope around it. */
  keyOf(node: ESTree.Node): FileKey | undefined {
    return this.of(node, this.#scopeOf(node));
  }

  /** The variable an id in a key stands for (`v3`). */
  variableById(id: string): Scope.Variable | undefined {
    return this.#variables.get(id);
  }

  /**
   * `key` with each field of a local object literal read through its binding (`v32.destDir`, where
   * `const updateConfig = { destDir, … }` is handed to a helper that reads `config.destDir`) replaced
   * by the key of that field's value. Only a `const` whose fields this file never assigns.
   */
  throughLiterals(key: FileKey): FileKey {
    let deps: readonly KeyTerm[] = key.deps;
    const t = mapTerm(key.term, (s) => {
      if (s.kind !== 'member' || s.object.kind !== 'binding') return undefined;
      const id = s.object.id;
      const variable = this.#variables.get(id);
      const literal = variable && objectLiteralOf(variable);
      const value = literal && literalField(literal, s.property);
      const valueKey = value && this.keyOf(value);
      if (!valueKey) return undefined;
      deps = [...deps.filter((d) => !(d.kind === 'binding' && d.id === id)), ...valueKey.deps];
      return valueKey.term;
    });
    return t === key.term ? key : new FileKey(t, deps);
  }

  /**
   * `key` as seen at `site`, with the bindings a closure's summary kept by name (`v29`, its
   * `newIndexFile`) replaced by the value they were initialised with, where `site` runs inside their
   * scope: `const tmp = this.file + '.tmp'; const move = async () => rename(tmp, …); … await move()`
   * renames the `this.file + '.tmp'` a write of the same function names.
   */
  seenAt(key: FileKey, site: ESTree.Node): FileKey {
    let deps = key.deps;
    const t = mapTerm(key.term, (sub) => {
      if (sub.kind !== 'binding') return undefined;
      const variable = this.#variables.get(sub.id);
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      const block = variable?.scope.block as ESTree.Node | undefined;
      if (def?.type !== 'Variable' || !def.node.init || !block || !within(site, block)) return undefined;
      const value = this.keyOf(def.name as ESTree.Node);
      if (!value || value.term.kind === 'binding') return undefined;
      deps = [...deps, ...value.deps];
      return value.term;
    });
    return t === key.term ? key : new FileKey(t, deps);
  }

  /** An argument's key, or the parts of an array or object literal (`[{ tempPath: t, outputPath: o }]`). */
  shapeOf(node: ESTree.Node, scope: Scope.Scope, depth = 0, env?: KeyEnvironment): ArgumentShape | undefined {
    if (depth > 3) return undefined;
    if (node.type === 'ArrayExpression') {
      const elements: ArgumentShape[] = [];
      for (const element of node.elements) {
        const shape =
          element && element.type !== 'SpreadElement' ? this.shapeOf(element, scope, depth + 1, env) : undefined;
        if (!shape) return undefined;
        elements.push(shape);
      }
      return { elements };
    }
    if (node.type === 'ObjectExpression') {
      const fields = new Map<string, ArgumentShape>();
      for (const property of node.properties) {
        if (property.type !== 'Property' || property.computed || property.kind !== 'init') return undefined;
        const name = propertyKeyName(property);
        const shape =
          name === undefined ? undefined : this.shapeOf(property.value as ESTree.Node, scope, depth + 1, env);
        if (name !== undefined && shape) fields.set(name, shape);
      }
      return { fields };
    }
    const key = this.of(node, scope, env);
    return key && { key };
  }

  /**
   * Key of a path expression, or undefined when its value cannot be compared statically. `scope` is
   * the innermost scope around `node`; a path expression holds no function, so it is also the
   * innermost scope of every identifier the key reads. `env` replaces bindings by placeholders
   * (a function's parameters while it is summarised).
   */
  of(node: ESTree.Node, scope: Scope.Scope, env?: KeyEnvironment): FileKey | undefined {
    return this.#of(node, scope, 0, env);
  }

  #of(node: ESTree.Node, scope: Scope.Scope, depth: number, env: KeyEnvironment | undefined): FileKey | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const next = (n: ESTree.Node): FileKey | undefined => this.#of(n, scope, depth + 1, env);
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'string'
          ? new FileKey(term.value(withoutDotSegments(node.value)))
          : typeof node.value === 'number'
            ? new FileKey(term.value(node.value))
            : undefined;
      case 'TemplateLiteral': {
        const parts: KeyTerm[] = [];
        const deps: KeyTerm[] = [];
        for (const [i, quasi] of node.quasis.entries()) {
          const text = quasi.value.cooked ?? quasi.value.raw;
          // `./${name}/views/x.js` is `${name}/views/x.js`: the leading `./` before a substitution too.
          parts.push(term.value(i === 0 ? withoutDotSegments(text, node.expressions.length > 0) : text));
          const expr = node.expressions[i];
          if (expr) {
            const k = next(expr) ?? (i > 0 && endsWithSeparator(parts) ? this.#unknownName(expr, env) : undefined);
            if (!k) return undefined;
            parts.push(k.term);
            deps.push(...k.deps);
          }
        }
        // A template with no substitutions is the same file as the equal string literal.
        if (node.expressions.length === 0) return new FileKey(parts[0] ?? term.value(''), deps);
        return new FileKey(term.template(parts), deps);
      }
      case 'BinaryExpression': {
        if (node.operator !== '+' || node.left.type === 'PrivateIdentifier') return undefined;
        const left = next(node.left);
        const right =
          next(node.right) ??
          (left && left.term.kind === 'concat' && endsWithSeparator([left.term.right])
            ? this.#unknownName(node.right, env)
            : undefined);
        if (!left || !right) return undefined;
        return new FileKey(term.concat(left.term, right.term), [...left.deps, ...right.deps]);
      }
      case 'Identifier':
        return this.#identifier(node, scope, depth, env);
      case 'ThisExpression':
        return env ? env.thisKey : new FileKey(term.this);
      case 'MemberExpression': {
        // `tmp = _context.sent` of regenerator's state machines: what the return resuming here yielded.
        const yielded = propertyName(node) === 'sent' ? yieldedValue(node) : undefined;
        if (yielded) return next(yielded);
        const bound = node.object.type === 'ThisExpression' && !env ? boundField(node) : undefined;
        if (bound) return this.#of(bound, this.#scopeOf(bound), depth + 1, env);
        // `this.stream` of a class that sets it once to `new AppMapStream(this.partPath)`: that object, whose
        // fields keep the paths it was made with (`this.stream.path` is `this.partPath`).
        const made = node.object.type === 'ThisExpression' && !env ? thisFieldValue(node) : undefined;
        const madeKey =
          made?.type === 'NewExpression' ? this.#of(made, this.#scopeOf(made), depth + 1, env) : undefined;
        if (madeKey) return madeKey;
        // `config.destDir` of `const config = { destDir, … }`: the field's value (as `throughLiterals` reads it).
        if (node.object.type === 'Identifier' && !node.computed) {
          const variable = findVariable(scope, node.object.name);
          const literal = variable && objectLiteralOf(variable);
          const value = literal && literalField(literal, propertyName(node) ?? '');
          const valueKey = value && this.#of(value, this.#scopeOf(value), depth + 1, env);
          if (valueKey) return valueKey;
        }
        const constant = !node.computed ? this.#constant(node, scope) : undefined;
        if (constant) return constant;
        const object = node.object.type === 'Super' ? undefined : next(node.object);
        const property =
          propertyName(node) ??
          (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'number'
            ? String(node.property.value)
            : undefined);
        if (property !== undefined && node.object.type === 'Identifier') {
          const pushed = this.#fieldAdded(node.object, property, depth, env);
          if (pushed) return pushed;
        }
        // `staged[i]`: some element of `staged`, as a loop's element is (written in one loop, renamed in another).
        if (property === undefined && node.computed && node.property.type === 'Identifier')
          return this.#elementOf(node.object as ESTree.Node, depth, env);
        if (!object || property === undefined) return undefined;
        return this.#field(object, property);
      }
      // What a promise settles with names the same file as the promise's value.
      case 'AwaitExpression':
        return next(node.argument);
      // `yield` in a generator compiled from an async function (tsc's `__awaiter`) is an `await`.
      case 'YieldExpression':
        return !node.delegate && node.argument ? next(node.argument) : undefined;
      case 'CallExpression': {
        // The working directory is one directory for the whole run (short of a `process.chdir`).
        if (isProcessCwd(node, scope) && !this.#changesDirectory(scope))
          return new FileKey(term.global('process.cwd()'));
        const field = privateFieldRead(node);
        if (field) {
          const object = next(field.receiver);
          return object && FileKey.tracked(term.member(object.term, field.name), object.deps);
        }
        // `"".concat(dir, "/").concat(name)`: a template literal compiled to ES5 (Babel's and SWC's loose mode).
        const pieces = compiledTemplate(node);
        if (pieces) {
          const parts: KeyTerm[] = [];
          const deps: KeyTerm[] = [];
          for (const piece of pieces) {
            const k = next(piece);
            if (!k) return undefined;
            parts.push(k.term);
            deps.push(...k.deps);
          }
          return new FileKey(term.template(parts), deps);
        }
        const name = calleeName(node.callee);
        // `tmp = _a.sent()` of tsc's ES5 state machines: what the previous case yielded.
        if (name === 'sent' && node.arguments.length === 0) {
          const yielded = yieldedValue(node);
          if (yielded) return next(yielded);
        }
        // Interop wrappers of compilers and bundlers return the module they wrap.
        if (name && interopWrappers.test(name) && node.arguments.length === 1)
          return next(node.arguments[0] as ESTree.Node);
        // `target.toString()` of a path is the path (and of a `URL` or `Buffer` naming one, that file).
        if (name === 'toString' && node.arguments.length === 0 && node.callee.type === 'MemberExpression')
          return next(node.callee.object as ESTree.Node);
        // `mkdtemp(prefix)` in a summarised function: a directory named by the prefix and a suffix of its
        // own making, another at each call of the function (in this function's own code, its binding).
        if (
          name &&
          /^mkdtemp(?:Sync)?$/.test(name) &&
          env &&
          within(node, env.opaqueWithin) &&
          node.arguments[0] &&
          node.arguments[0].type !== 'SpreadElement'
        ) {
          const prefix = next(node.arguments[0] as ESTree.Node);
          return prefix && new FileKey(term.concat(prefix.term, term.slot('call')), prefix.deps);
        }
        // A Yeoman generator's `this.destinationPath('a', 'b')`: the join of its destination root and the parts.
        const generatorPath = name ? generatorPathCall(node, name, scope) : undefined;
        if (generatorPath) {
          const root = next(generatorPath.receiver);
          const parts = generatorPath.parts.map(next);
          if (!root || parts.some((part) => !part)) return undefined;
          const base = FileKey.tracked(term.member(root.term, generatorPath.root), root.deps);
          if (parts.length === 0) return base;
          const known = parts as FileKey[];
          return new FileKey(term.path('join', [base.term, ...known.map((part) => part.term)]), [
            ...base.deps,
            ...known.flatMap((part) => part.deps),
          ]);
        }
        // `globSync(`${dir}/**/*.ejs`)`: a list of files inside the folder the pattern spells.
        if (name && isGlobCall(node, name)) return this.#globbed(node, next);
        // `await realpath(dir)` names the directory `dir` names (its canonical spelling).
        if (
          name &&
          realpathNames.test(name) &&
          node.arguments.length >= 1 &&
          node.arguments[0]?.type !== 'SpreadElement'
        )
          return next(node.arguments[0] as ESTree.Node);
        const resolved = name === 'then' ? thenValue(node) : undefined;
        if (resolved) return this.#of(resolved, this.#scopeOf(resolved), depth + 1, env);
        const builder = name && pathFunctions.has(name) ? undefined : this.pathCall?.(node, 'returned');
        if (builder) return this.#built(node, builder, next);
        // `stash.get(file)` of a Map or a settings object: the same entry wherever the same object is
        // asked for the same key (a copy into the stash by one helper, renamed back by another).
        if (name === 'get' && node.callee.type === 'MemberExpression' && node.arguments.length === 1) {
          const [arg] = node.arguments;
          const object = node.callee.object.type === 'Super' ? undefined : next(node.callee.object);
          const entry = object && arg && arg.type !== 'SpreadElement' ? next(arg) : undefined;
          if (object && entry)
            return new FileKey(term.path('get', [object.term, entry.term]), [...object.deps, ...entry.deps]);
        }
        // `[dir, name].join('/')` is Array#join: the elements with the separator between them, as a
        // template literal would spell them; an array filled elsewhere (tsc's rest parameters,
        // `segments[i] = arguments[i]`) names no file this can spell. Not `path.join`.
        if (name === 'join' && node.callee.type === 'MemberExpression' && isArrayValue(node.callee.object, scope))
          return arrayJoined(node.callee.object as ESTree.Node, node.arguments[0] as ESTree.Node | undefined, next);
        if (!name || !pathFunctions.has(name)) return undefined;
        const args: FileKey[] = [];
        // A name this file cannot follow below a known directory (`join(dir, entry.name)`,
        // `join(dir, ...file.split('/'))`): some file inside it, another at each call (in a summary: at
        // each call of the function). Outside the function summarised (a module's `const ROOT =
        // resolve(__dirname, …)`) it is the same file at each of its calls.
        const someName = (i: number): FileKey | undefined =>
          i > 0 && (name === 'join' || name === 'resolve') && args[0]
            ? env && within(node, env.opaqueWithin)
              ? new FileKey(term.slot('call'))
              : callResultKey(node, this.#prefix)
            : undefined;
        for (const [i, arg] of node.arguments.entries()) {
          if (arg.type === 'SpreadElement') {
            // A rest parameter spread last into a path, in a summary (`join(root, ...parts)`).
            const rest = i === node.arguments.length - 1 && i > 0 ? next(arg.argument) : undefined;
            const k = rest?.term.kind === 'slot' && restIndex(rest.term.slot) !== undefined ? rest : someName(i);
            if (!k) return undefined;
            args.push(k);
            continue;
          }
          const k = next(arg) ?? someName(i);
          if (!k) return undefined;
          args.push(k);
        }
        // `resolve(to, f)` and `join(to, f)` name one file (the working directory does not change
        // between them), and `resolve(p)` is `p`'s: one spelling, so a write with one and a rename
        // with the other pair. So are `normalize(p)` and `toNamespacedPath(p)` (the same file, spelled
        // tidily: a helper that normalizes the path it was given writes its caller's file).
        if ((name === 'resolve' || name === 'normalize' || name === 'toNamespacedPath') && args.length === 1)
          return args[0];
        return new FileKey(
          term.path(
            name === 'resolve' && args.length > 1 ? 'join' : name,
            args.map((a) => a.term),
          ),
          args.flatMap((a) => a.deps),
        );
      }
      // An object of a class of this file, whose constructor keeps paths it was given (`this.file = file`).
      case 'NewExpression': {
        const resolved = this.#resolvedWith(node, depth, env);
        if (resolved) return resolved;
        const builder = this.pathCall?.(node, 'returned');
        return builder && this.#built(node, builder, next);
      }
      case 'ChainExpression':
        return next(node.expression);
      // `(0, x)` is `x` (compiled callees and objects: `(0, $parcel$interopDefault(m)).promises`).
      case 'SequenceExpression':
        return node.expressions.length === 2 && node.expressions[0]?.type === 'Literal'
          ? next(node.expressions[1] as ESTree.Node)
          : undefined;
      default: {
        // TypeScript wrappers (`x as string`, `x!`, `<string>x`, `x satisfies T`) do not change the value.
        const wrapped = node as unknown as { type: string; expression?: ESTree.Node };
        if (
          wrapped.expression &&
          /^TS(As|NonNull|TypeAssertion|Satisfies|Instantiation)Expression$/.test(wrapped.type)
        ) {
          return next(wrapped.expression);
        }
        return undefined;
      }
    }
  }

  /**
   * `new Promise((resolve) => parse(req, (err, fields, files) => resolve(files.f.path)))`: the file
   * every call of its `resolve` names, when they all name one and `resolve` is not handed on.
   */
  #resolvedWith(node: ESTree.NewExpression, depth: number, env: KeyEnvironment | undefined): FileKey | undefined {
    let key: FileKey | undefined;
    const values = promiseResolutions(node, this.#scopeOf);
    if (!values) return undefined;
    for (const value of values) {
      const k = this.#of(value, this.#scopeOf(value), depth + 1, env);
      if (!k || (key && !key.equals(k))) return undefined;
      key = k;
    }
    return key;
  }

  /**
   * A name that cannot be followed (`unknownName`). Inside a summarised function it is one name at
   * every call unless its value comes from the function's parameters (`let name = 'errors'; if (retry)
   * name += '-' + retry`): then it is equal for equal arguments only, so that `resultsFilePath()` and
   * `resultsFilePath(n)` name two files.
   */
  #unknownName(node: ESTree.Node, env: KeyEnvironment | undefined): FileKey {
    const slots = env ? this.#parametersBehind(node, env) : [];
    if (slots.length === 0) return unknownName(node, this.#prefix);
    return new FileKey(term.built(`${this.#prefix}${node.range?.[0] ?? 0}?`, slots), slots);
  }

  /**
   * The parameters (as `env` keys them, in order) the value of `node` is computed from: read in it, or
   * through the function's own locals, by what is assigned to them or by the test of a branch that
   * assigns them (`if (retry) name = …`).
   */
  #parametersBehind(node: ESTree.Node, env: KeyEnvironment): KeyTerm[] {
    const slots = new Map<number, KeyTerm>();
    const seen = new Set<Scope.Variable>();
    const pending: ESTree.Node[] = [node];
    for (let n = pending.pop(), budget = 256; n && budget > 0; n = pending.pop()) {
      for (const id of descendants(n)) {
        if (--budget <= 0) break;
        if (id.type !== 'Identifier' || !isRead(id)) continue;
        const variable = findVariable(this.#scopeOf(id), id.name);
        if (!variable || seen.has(variable)) continue;
        seen.add(variable);
        const bound = env.bindings.get(variable)?.term;
        if (bound?.kind === 'slot' && typeof bound.slot === 'number') slots.set(bound.slot, bound);
        if (bound || !within(variable.scope.block as ESTree.Node, env.opaqueWithin)) continue;
        for (const def of variable.defs) if (def.type === 'Variable' && def.node.init) pending.push(def.node.init);
        for (const ref of variable.references) {
          if (!ref.isWrite()) continue;
          if (ref.writeExpr) pending.push(ref.writeExpr as ESTree.Node);
          pending.push(...branchTests(ref.identifier as ESTree.Node, env.opaqueWithin));
        }
      }
    }
    return [...slots.entries()].sort(([a], [b]) => a - b).map(([, slot]) => slot);
  }

  /** The key of what a summarised call returns or hands its callback, from its arguments. */
  #built(
    call: ESTree.CallExpression | ESTree.NewExpression,
    builder: NonNullable<ReturnType<NonNullable<FileKeys['pathCall']>>>,
    next: (n: ESTree.Node) => FileKey | undefined,
  ): FileKey | undefined {
    const args = builder.args.map((arg) => (arg.type === 'SpreadElement' ? undefined : next(arg)));
    const receiver = builder.receiver ? next(builder.receiver) : undefined;
    const result = callResultKey(call, this.#prefix);
    const values = { args, argumentCount: argumentCount(builder.args), receiver, result };
    // An options object spelled out at the call (`new Manifest({ nextManifestPath })`): its fields.
    let shapes: Array<ArgumentShape | undefined> | undefined;
    const shaped = (template: PathTemplate): FileKey | undefined => {
      shapes ??= builder.args.map((arg) =>
        arg.type === 'ObjectExpression' || arg.type === 'ArrayExpression'
          ? this.shapeOf(arg, this.#scopeOf(arg))
          : undefined,
      );
      return shapes.some(Boolean) ? instantiateAll(template, shapes, { receiver, result })[0] : undefined;
    };
    for (const [field, template] of builder.fields ?? []) {
      const file = instantiate(template, values) ?? shaped(template);
      if (file) this.#fields.set(new FileKey(term.field(result.term, field)).id, file);
    }
    return instantiate(builder.template, values);
  }

  /**
   * What a glob call returns: a list whose elements are files inside the folder its pattern spells before
   * its first wildcard, or inside its `cwd` option when it returns absolute paths (`absolute: true`);
   * each listed file is told apart from every other, as `join(dir, entry.name)`'s are.
   */
  #globbed(call: ESTree.CallExpression, next: (n: ESTree.Node) => FileKey | undefined): FileKey {
    const result = callResultKey(call, this.#prefix);
    const [patterns, options] = call.arguments;
    // A list of patterns (`['**/gitignore', '!node_modules']`): its one positive pattern.
    const positive =
      patterns?.type === 'ArrayExpression'
        ? patterns.elements.filter((p) => !(p?.type === 'Literal' && String(p.value).startsWith('!')))
        : [patterns];
    const pattern = positive.length === 1 ? positive[0] : undefined;
    const spelled = pattern && pattern.type !== 'SpreadElement' ? next(pattern) : undefined;
    const cwd = options?.type === 'ObjectExpression' ? optionsOf(options) : undefined;
    let folder = spelled && !cwd?.cwd ? globBase(spelled.term) : undefined;
    let deps = spelled?.deps ?? [];
    // Absolute paths of files matched in `cwd` by a pattern spelled relative to it (`'**/*.tpl'`).
    if (cwd?.cwd && cwd.absolute && spelled?.term.kind === 'value') {
      const root = next(cwd.cwd);
      const base = globBase(spelled.term);
      folder = root && (base ? term.path('join', [root.term, base]) : root.term);
      deps = root?.deps ?? [];
    }
    if (folder) {
      const listed = new FileKey(term.path('join', [folder, result.term]), deps);
      this.#fields.set(new FileKey(term.element(result.term)).id, listed);
    }
    return result;
  }

  /** Field `name` of `object`: the file a summarised call's result holds there, or the member chain. */
  #field(object: FileKey, name: string): FileKey {
    return this.heldIn(FileKey.tracked(term.member(object.term, name), object.deps));
  }

  #chdir: boolean | undefined;
  /** The module constants being read (`#identifier`): each is read once on a chain. */
  readonly #resolving = new Set<Scope.Variable>();

  /** Does the file call `process.chdir`? Then two `process.cwd()` may differ. */
  #changesDirectory(scope: Scope.Scope): boolean {
    if (this.#chdir !== undefined) return this.#chdir;
    let global = scope;
    while (global.upper) global = global.upper;
    // `process` is a declared global in Node configurations, an unresolved name elsewhere.
    const references = [...(global.set.get('process')?.references ?? []), ...global.through];
    this.#chdir = references.some((ref) => {
      const member = (ref.identifier as ESTree.Node & { parent?: ESTree.Node }).parent;
      return (
        ref.identifier.name === 'process' && member?.type === 'MemberExpression' && propertyName(member) === 'chdir'
      );
    });
    return this.#chdir;
  }

  /** The file a field of a summarised call's result holds (`ret@12.path`), or `key` itself. */
  heldIn(key: FileKey): FileKey {
    return this.#fields.get(key.id) ?? key;
  }

  #identifier(
    node: ESTree.Identifier,
    scope: Scope.Scope,
    depth: number,
    env: KeyEnvironment | undefined,
  ): FileKey | undefined {
    // By name from the innermost scope: `findVariable(scope, node)` scans every child scope first.
    const variable = findVariable(scope, node.name);
    if (!variable) return FileKey.tracked(term.global(node.name));
    const bound = env?.bindings.get(variable);
    if (bound) return bound;
    const def = variable.defs[0];
    // An imported string constant (`import { TMP } from './paths'`, `const { TMP } = require('./paths')`).
    if (def?.type === 'ImportBinding' || (def?.type === 'Variable' && def.node.id.type === 'ObjectPattern')) {
      const constant = this.#constant(node, scope);
      if (constant) return constant;
    }
    // A binding that is never reassigned and is initialised with a comparable expression is that
    // expression: `const t = dst + '.tmp'` names the same file as a later `dst + '.tmp'`, and
    // `var self = this` makes `self.tmp` the same as `this.tmp`. So is a field destructured from one
    // (`const { tmp } = job` is `job.tmp`) and a loop's element (`for (const { tmp } of jobs)`).
    if (variable.defs.length === 1 && def?.type === 'Variable' && neverReassigned(variable)) {
      // A module's constant (`const ROOT = resolve(__dirname, '..')`, `const DIR = join(ROOT, 'w')`) is
      // read with a budget of its own: however deep the expression naming it, one file has one key.
      const moduleConstant = variable.scope.block.type === 'Program' && !this.#resolving.has(variable);
      if (moduleConstant) this.#resolving.add(variable);
      try {
        const declared = this.#declared(def, variable, moduleConstant ? 0 : depth, env);
        if (declared) return declared;
      } finally {
        if (moduleConstant) this.#resolving.delete(variable);
      }
    }
    // `let backup; try { backup = copyAside(dir); … } catch { restore(backup) }`: declared without a
    // value and assigned once, it names what it was assigned (before that it names no file).
    const assigned = variable.defs.length === 1 && def?.type === 'Variable' ? onlyAssignment(variable) : undefined;
    if (assigned) {
      const key = this.#of(assigned, this.#scopeOf(assigned), depth + 1, env);
      if (key) return key;
    }
    // `Array.from(c, (x) => …)`, `c.forEach(({ tmp }) => …)`: an element of `c`, or its field.
    const callback = callbackElementOf(variable);
    const element = callback && this.#elementOf(callback.collection, depth, env);
    if (element && callback.field === undefined) return element;
    if (element && callback.field !== undefined) {
      return FileKey.tracked(term.member(element.term, callback.field), element.deps);
    }
    const argument = (env ? undefined : boundArgument(variable)) ?? settledPromiseOf(variable);
    if (argument) return this.#of(argument, this.#scopeOf(argument), depth + 1, env);
    // `stage(file, data, (err, tmp) => …)`: the value the callee hands its callback.
    const delivering = deliveringCall(variable);
    const delivered = delivering && this.pathCall?.(delivering, 'delivered');
    if (delivering && delivered) {
      const scope = this.#scopeOf(delivering);
      const key = this.#built(delivering, delivered, (n) => this.#of(n, scope, depth + 1, env));
      if (key) return key;
    }
    // `stage(data, (err, { path }) => …)`: a field of the object the callee hands its callback.
    const destructured = delivering ? undefined : deliveredField(variable);
    const deliveredObject = destructured && this.pathCall?.(destructured.call, 'delivered');
    if (destructured && deliveredObject) {
      const scope = this.#scopeOf(destructured.call);
      const base = this.#built(destructured.call, deliveredObject, (n) => this.#of(n, scope, depth + 1, env));
      if (base) return this.#field(base, destructured.field);
    }
    // `traverse(root, (file) => rename(file, …))`: what the local `traverse` calls its callback with.
    const handing = handingCall(variable);
    const handed = handing && this.pathCall?.(handing.call, handing);
    if (handing && handed) {
      const scope = this.#scopeOf(handing.call);
      const key = this.#built(handing.call, handed, (n) => this.#of(n, scope, depth + 1, env));
      if (key) return key;
    }
    if (env && within(variable.scope.block as ESTree.Node, env.opaqueWithin)) return undefined;
    return FileKey.tracked(term.binding(this.idOf(variable)));
  }

  /**
   * `entry.temporary` of `for (const entry of prepared)` or `prepared.forEach((entry) => …)`, where
   * this file filled `prepared` with `push({ temporary, … })` literals: the field as pushed.
   */
  #fieldAdded(
    object: ESTree.Identifier,
    field: string,
    depth: number,
    env: KeyEnvironment | undefined,
  ): FileKey | undefined {
    const variable = findVariable(this.#scopeOf(object), object.name);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!variable || !def || !neverReassigned(variable)) return undefined;
    let collection: ESTree.Node | undefined;
    if (def.type === 'Variable' && def.node.id.type === 'Identifier' && !def.node.init) {
      const loop = parentOf(def.parent as ESTree.Node);
      if (loop?.type === 'ForOfStatement' && loop.left === def.parent) collection = loop.right;
    } else {
      const callback = callbackElementOf(variable);
      if (callback?.field === undefined) collection = callback?.collection;
    }
    return collection?.type === 'Identifier' ? this.#addedTo(collection, depth, env, field) : undefined;
  }

  /** The value of a declared binding: its initialiser, a field of it, or an element of a for-of loop's collection. */
  #declared(
    def: Scope.Definition,
    variable: Scope.Variable,
    depth: number,
    env: KeyEnvironment | undefined,
  ): FileKey | undefined {
    if (def.type !== 'Variable') return undefined;
    const id = def.node.id;
    const field =
      id.type === 'ObjectPattern'
        ? fieldOf(id, variable.name)
        : id.type === 'ArrayPattern'
          ? elementIndexOf(id, variable.name)
          : undefined;
    if (id.type !== 'Identifier' && field === undefined) return undefined;
    let base: FileKey | undefined;
    if (def.node.init) base = this.#of(def.node.init, this.#scopeOf(def.node.init), depth + 1, env);
    else {
      const declaration = def.parent as ESTree.Node;
      const loop = parentOf(declaration);
      if (loop?.type === 'ForOfStatement' && loop.left === declaration) {
        // `for (const { file } of changed)` where `changed.push({ file, … })`: the field as pushed.
        const pushed =
          field !== undefined && loop.right.type === 'Identifier'
            ? this.#addedTo(loop.right, depth, env, field)
            : undefined;
        if (pushed) return pushed;
        base = this.#elementOf(loop.right as ESTree.Node, depth, env);
      }
    }
    if (!base || field === undefined) return base;
    return this.#field(base, field);
  }

  /**
   * An element of `collection`. Of a never-reassigned local `Set` or array that only this file
   * fills, with `add(x)` / `push(x)` of values that all have the same key: that key (webpack's pack
   * writer collects the temps it wrote in a `Set` and renames each of them later). Of anything else
   * with a key `c`: `c[]`, some element of `c` (two loops over the same list see the same elements).
   */
  #elementOf(collection: ESTree.Node, depth: number, env: KeyEnvironment | undefined): FileKey | undefined {
    collection = sameElementsAs(collection);
    const added = collection.type === 'Identifier' ? this.#addedTo(collection, depth, env) : undefined;
    if (added) return added;
    const built = this.#builtElement(collection, depth, env);
    if (built) return built;
    const base = this.#of(collection, this.#scopeOf(collection), depth + 1, env);
    // Of a summarised call's result, the file its elements name (`for (const f of walkFiles(dir))`).
    return base && this.heldIn(new FileKey(term.element(base.term), base.deps));
  }

  /**
   * The file every element of a collection this code builds names, when they all name one: the
   * elements of an array literal, what a `map` callback returns (`names.map((n) => join(dir, n))`: a
   * file inside `dir`), through a never-reassigned local, an `await` and a promise's `resolve`.
   */
  #builtElement(collection: ESTree.Node, depth: number, env: KeyEnvironment | undefined): FileKey | undefined {
    if (depth > 8) return undefined;
    const values = this.#builtElementValues(collection);
    if (!values || values.length === 0) return undefined;
    let key: FileKey | undefined;
    for (const value of values) {
      const k =
        value.kind === 'element'
          ? this.#of(value.node, this.#scopeOf(value.node), depth + 1, env)
          : this.#builtElement(value.node, depth + 1, env);
      if (!k || (key && !key.equals(k))) return undefined;
      key = k;
    }
    return key;
  }

  /** The element values (or, through a promise, the collections) `collection` is built from. */
  #builtElementValues(
    collection: ESTree.Node,
  ): Array<{ kind: 'element' | 'collection'; node: ESTree.Node }> | undefined {
    for (let hops = 0; hops < 4; hops++) {
      if (collection.type === 'AwaitExpression') collection = collection.argument as ESTree.Node;
      else if (collection.type === 'Identifier') {
        const variable = findVariable(this.#scopeOf(collection), collection.name);
        const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
        if (
          !variable ||
          def?.type !== 'Variable' ||
          def.node.id.type !== 'Identifier' ||
          !def.node.init ||
          !neverReassigned(variable) ||
          variable.references.some((ref) => mayChangeElements(ref.identifier as ESTree.Node))
        )
          return undefined;
        collection = def.node.init as ESTree.Node;
      } else break;
      collection = sameElementsAs(collection);
    }
    if (collection.type === 'ArrayExpression') {
      if (collection.elements.some((e) => !e || e.type === 'SpreadElement')) return undefined;
      return collection.elements.map((node) => ({ kind: 'element', node: node as ESTree.Node }));
    }
    if (
      collection.type === 'CallExpression' &&
      collection.callee.type === 'MemberExpression' &&
      propertyName(collection.callee) === 'map' &&
      isFunctionExpression(collection.arguments[0] as ESTree.Node)
    ) {
      const returned = returnValues(collection.arguments[0] as FunctionNode);
      return returned?.map((node) => ({ kind: 'element', node }));
    }
    const resolved = collection.type === 'NewExpression' ? promiseResolutions(collection, this.#scopeOf) : undefined;
    return resolved?.map((node) => ({ kind: 'collection', node }));
  }

  /** With `field`, the key of that field of object literals added (`c.push({ file, content })`). */
  #addedTo(
    collection: ESTree.Identifier,
    depth: number,
    env: KeyEnvironment | undefined,
    field?: string,
  ): FileKey | undefined {
    const owner = findVariable(this.#scopeOf(collection), collection.name);
    const values = owner && valuesAdded(owner);
    if (!values) return undefined;
    let key: FileKey | undefined;
    for (const value of values) {
      const added = field === undefined ? value : literalField(value, field);
      if (!added) return undefined;
      const addedKey = this.#of(added, this.#scopeOf(added), depth + 1, env);
      if (!addedKey || (key && !key.equals(addedKey))) return undefined;
      key = addedKey;
    }
    return key;
  }

  /**
   * Other keys the file at `node` may have, when its value depends on a never-reassigned binding
   * initialised with a choice (`const file = name ? join(dir, name) : filename`): the key with each
   * choice in its place. A write records them all, so that a rename of either path sees it.
   */
  alternativesOf(node: ESTree.Node, scope: Scope.Scope, of: 'choices' | 'reassignments' = 'choices'): FileKey[] {
    // A choice spelled at the call (`rename(sub ? join(tmp, sub) : tmp, dest)`): each branch's keys.
    const branches =
      of !== 'choices'
        ? undefined
        : node.type === 'ConditionalExpression'
          ? [node.consequent, node.alternate]
          : node.type === 'LogicalExpression' && node.operator !== '&&'
            ? [node.left, node.right]
            : undefined;
    if (branches) {
      const out = new Map<string, FileKey>();
      for (const branch of branches)
        for (const key of [this.of(branch, scope), ...this.alternativesOf(branch, scope)])
          if (key) out.set(key.id, key);
      return [...out.values()];
    }
    const stack: ESTree.Node[] = [node];
    for (let seen = 0; stack.length > 0 && seen < 64; seen++) {
      const n = stack.pop() as ESTree.Node & { parent?: ESTree.Node };
      if (n.type === 'Identifier') {
        const parent = n.parent;
        if (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) continue;
        const variable = findVariable(this.#scopeOf(n), n.name);
        const def = variable?.defs[0];
        if (!variable || !def || variable.defs.length !== 1) continue;
        const reassigned = !neverReassigned(variable);
        // `let dir = tmp; if (files.length === 1) dir = join(tmp, files[0])`: each value it may hold here.
        const values = reassigned && of === 'reassignments' ? valuesReaching(variable, def, n) : undefined;
        if (reassigned && !values) continue;
        const init = def.type === 'Variable' && def.node.id.type === 'Identifier' ? def.node.init : undefined;
        const choices: Array<ReadonlyArray<readonly [string, ESTree.Node]>> | undefined = values
          ? values.map((value) => [[n.name, value]])
          : of === 'reassignments'
            ? undefined
            : init?.type === 'ConditionalExpression'
              ? [[[n.name, init.consequent]], [[n.name, init.alternate]]]
              : init?.type === 'LogicalExpression' && init.operator !== '&&'
                ? [[[n.name, init.left]], [[n.name, init.right]]]
                : loopRowsOf(def, (node) => this.#scopeOf(node));
        // `const filepath = join(parentDir, file)`: the choice may sit in what the binding was built from.
        if (!choices) {
          if (init) stack.push(init as ESTree.Node);
          continue;
        }
        const out = new Map<string, FileKey>();
        for (const choice of choices) {
          const bindings = new Map<Scope.Variable, FileKey>();
          for (const [name, value] of choice) {
            const bound = this.of(value, this.#scopeOf(value));
            const target = findVariable(this.#scopeOf(n), name);
            if (bound && target) bindings.set(target, bound);
          }
          // A row binds its names together; the others still name the same values by their own
          // bindings (`files[]` as a callback met it), so the row with only this name bound counts too.
          const own = bindings.get(variable);
          const alone = own && bindings.size > 1 ? [new Map([[variable, own]])] : [];
          for (const bound of bindings.size > 0 ? [bindings, ...alone] : []) {
            const key = this.of(node, scope, {
              bindings: bound,
              thisKey: new FileKey(term.this),
              opaqueWithin: node,
            });
            if (key) out.set(key.id, key);
          }
        }
        return [...out.values()];
      }
      for (const child of pathChildren(n)) stack.push(child);
    }
    return [];
  }
}

/**
 * The values a `let` declared in the same function may hold at `reference`: its initialiser (if any)
 * and each plain `x = value` before it in that function. Undefined when another function assigns it,
 * an assignment is compound, or nothing reassigned it before.
 */
function valuesReaching(
  variable: Scope.Variable,
  def: Scope.Definition,
  reference: ESTree.Node,
): ESTree.Node[] | undefined {
  if (def.type !== 'Variable' || def.node.id.type !== 'Identifier') return undefined;
  const fn = enclosingFunction(reference);
  if (enclosingFunction(def.node) !== fn) return undefined;
  // `let out; if (gz) out = await gunzip(p); else out = await unzip(p, dir)`: declared empty, each
  // assignment is a value it may hold.
  const values: ESTree.Node[] = def.node.init ? [def.node.init] : [];
  for (const ref of variable.references) {
    if (!ref.isWrite() || ref.init) continue;
    const value = plainAssignment(ref);
    if (!value || enclosingFunction(value) !== fn) return undefined;
    if ((value.range?.[1] ?? Infinity) <= (reference.range?.[0] ?? 0)) values.push(value);
  }
  // An assignment that is a statement of a block around the reference always ran last before it
  // (`saved = other; move(saved, dir)`): the values before it no longer reach.
  const last = values.findLast((value) => dominates(value, reference));
  const reaching = last ? values.filter((value) => (value.range?.[0] ?? 0) >= (last.range?.[0] ?? 0)) : values;
  return reaching.length > 0 ? reaching : undefined;
}

/** Is the assignment or declaration holding `value` a statement of a block (or program) around `reference`? */
function dominates(value: ESTree.Node, reference: ESTree.Node): boolean {
  let statement = parentOf(value);
  if (statement?.type === 'AssignmentExpression' || statement?.type === 'VariableDeclarator')
    statement = parentOf(statement);
  const block = statement && parentOf(statement);
  return (
    (statement?.type === 'ExpressionStatement' || statement?.type === 'VariableDeclaration') &&
    (block?.type === 'BlockStatement' || block?.type === 'Program') &&
    within(reference, block)
  );
}

/** Node's `process` module, as imported. */
const processModules = new Set(['process', 'node:process']);

/**
 * The import of `process` an identifier is bound to: the module (`import process from 'node:process'`,
 * `import * as p from 'process'`), or one export of it by name (`import { cwd } from 'node:process'`).
 */
function processImport(id: ESTree.Identifier, scope: Scope.Scope): { name?: string } | undefined {
  const variable = findVariable(scope, id.name);
  const imported = variable?.defs.length === 1 ? importOf(variable.defs[0] as Scope.Definition) : undefined;
  if (!imported || !processModules.has(imported.source)) return undefined;
  return wholeModule(imported.name) ? {} : { name: imported.name };
}

/** `process.cwd()` of Node's global `process`, or of the `process` module imported (`cwd()` of `import { cwd }`). */
function isProcessCwd(call: ESTree.CallExpression, scope: Scope.Scope): boolean {
  const callee = call.callee;
  if (call.arguments.length !== 0) return false;
  if (callee.type === 'Identifier') return processImport(callee, scope)?.name === 'cwd';
  if (
    callee.type !== 'MemberExpression' ||
    callee.computed ||
    callee.property.type !== 'Identifier' ||
    callee.property.name !== 'cwd' ||
    callee.object.type !== 'Identifier'
  )
    return false;
  const object = callee.object;
  const imported = processImport(object, scope);
  if (imported) return imported.name === undefined;
  return object.name === 'process' && !findVariable(scope, 'process')?.defs.length;
}

/** Is `id` read as a binding (not a property name, a key or a label)? */
function isRead(id: ESTree.Identifier): boolean {
  const parent = parentOf(id);
  if (parent?.type === 'MemberExpression') return parent.object === id || parent.computed;
  if (parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition')
    return parent.value === id || parent.computed;
  return !(
    parent?.type === 'LabeledStatement' ||
    parent?.type === 'BreakStatement' ||
    parent?.type === 'ContinueStatement'
  );
}

/** The tests of the branches and loops inside `fn` that decide whether `node` runs. */
function branchTests(node: ESTree.Node, fn: ESTree.Node): ESTree.Node[] {
  const tests: ESTree.Node[] = [];
  for (let child = node, parent = parentOf(node); parent && child !== fn; child = parent, parent = parentOf(parent)) {
    if ((parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') && parent.test !== child)
      tests.push(parent.test);
    else if (parent.type === 'LogicalExpression' && parent.right === child) tests.push(parent.left);
    else if ((parent.type === 'WhileStatement' || parent.type === 'DoWhileStatement') && parent.body === child)
      tests.push(parent.test);
    else if (parent.type === 'ForStatement' && parent.test && parent.test !== child) tests.push(parent.test);
    else if (parent.type === 'SwitchCase') {
      const discriminant = parentOf(parent);
      if (parent.test) tests.push(parent.test);
      if (discriminant?.type === 'SwitchStatement') tests.push(discriminant.discriminant);
    }
  }
  return tests;
}

/** The parts of a path expression that may hold a binding. */
function pathChildren(node: ESTree.Node): ESTree.Node[] {
  switch (node.type) {
    case 'TemplateLiteral':
      return node.expressions;
    case 'BinaryExpression':
      return node.left.type === 'PrivateIdentifier' ? [node.right] : [node.left, node.right];
    case 'MemberExpression':
      return [node.object as ESTree.Node];
    case 'CallExpression':
      return node.arguments as ESTree.Node[];
    default:
      return [];
  }
}

/** Array methods that return an array. */
const arrayReturning = /^(?:map|filter|slice|concat|flat|flatMap|reverse|sort|toSorted|toReversed|split|from|of)$/;

/**
 * Is `node` an array (a literal, a binding of one, `new Array`, `arguments`, or what an array method,
 * `split` or `Array.from` returns), so that its `join(sep)` is Array#join rather than a path module's?
 */
function isArrayValue(node: ESTree.Node, scope: Scope.Scope): boolean {
  if (node.type === 'ArrayExpression') return true;
  if (node.type === 'NewExpression') return node.callee.type === 'Identifier' && node.callee.name === 'Array';
  if (node.type === 'CallExpression') {
    const name = calleeName(node.callee);
    return !!name && arrayReturning.test(name) && node.callee.type === 'MemberExpression';
  }
  if (node.type !== 'Identifier') return false;
  if (node.name === 'arguments') return true;
  const variable = findVariable(scope, node.name);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type === 'Parameter')
    return (def.name as ESTree.Node & { parent?: ESTree.Node }).parent?.type === 'RestElement';
  const init = def?.type === 'Variable' ? (def.node.init as ESTree.Node | null) : null;
  return !!init && init.type !== 'Identifier' && isArrayValue(init, scope);
}

/**
 * The key of `array.join(separator)`: an array literal whose elements all have keys, never written
 * to afterwards, joined by a literal separator (`,` by default) is the template of its parts.
 */
function arrayJoined(
  array: ESTree.Node,
  separator: ESTree.Node | undefined,
  next: (n: ESTree.Node) => FileKey | undefined,
): FileKey | undefined {
  // `file.split(path.sep).join('/')`, `p.split('\\').join('/')`: the same path with its separators
  // spelled another way (a Windows path made portable), the same file.
  if (
    array.type === 'CallExpression' &&
    array.callee.type === 'MemberExpression' &&
    propertyName(array.callee) === 'split' &&
    array.arguments.length === 1 &&
    isSeparator(array.arguments[0] as ESTree.Node) &&
    separator &&
    isSeparator(separator)
  )
    return next(array.callee.object as ESTree.Node);
  if (array.type !== 'ArrayExpression') return undefined;
  const sep = separator === undefined ? ',' : separator.type === 'Literal' ? separator.value : undefined;
  if (typeof sep !== 'string') return undefined;
  const parts: KeyTerm[] = [];
  const deps: KeyTerm[] = [];
  for (const [i, element] of array.elements.entries()) {
    if (!element || element.type === 'SpreadElement') return undefined;
    const key = next(element);
    if (!key) return undefined;
    if (i > 0 && sep !== '') parts.push(term.value(sep));
    parts.push(key.term);
    deps.push(...key.deps);
  }
  return new FileKey(term.template(parts), deps);
}

/** A path separator: `'/'`, `'\\'`, `path.sep`, `path.posix.sep`, `path.win32.sep`. */
function isSeparator(node: ESTree.Node): boolean {
  if (node.type === 'Literal') return node.value === '/' || node.value === '\\';
  return node.type === 'MemberExpression' && propertyName(node) === 'sep';
}

/**
 * `new Promise((resolve) => …)`: the values every call of its `resolve` passes, when `resolve` is
 * only ever called (not handed on) and with one plain argument.
 */
function promiseResolutions(
  node: ESTree.NewExpression,
  scopeOf: (node: ESTree.Node) => Scope.Scope,
): ESTree.Node[] | undefined {
  const executor = node.arguments[0];
  if (node.callee.type !== 'Identifier' || node.callee.name !== 'Promise') return undefined;
  if (executor?.type !== 'ArrowFunctionExpression' && executor?.type !== 'FunctionExpression') return undefined;
  const param = executor.params[0];
  if (param?.type !== 'Identifier') return undefined;
  const variable = findVariable(scopeOf(executor.body as ESTree.Node), param.name);
  const values: ESTree.Node[] = [];
  for (const reference of variable?.references ?? []) {
    const call = parentOf(reference.identifier as ESTree.Node);
    if (call?.type !== 'CallExpression' || call.callee !== reference.identifier) return undefined;
    const value = call.arguments[0];
    if (!value || value.type === 'SpreadElement') return undefined;
    values.push(value as ESTree.Node);
  }
  return values;
}

/** Array and set methods that add, remove or replace elements in place. */
const mutatingMethods = /^(?:push|unshift|splice|fill|copyWithin|add|set|delete|clear)$/;

/** Does this reference to a collection let its elements change (`c.push(x)`, `c[i] = x`, `fill(c)`)? */
function mayChangeElements(id: ESTree.Node): boolean {
  const parent = parentOf(id);
  if (parent?.type === 'MemberExpression' && parent.object === id) {
    const grand = parentOf(parent);
    if (grand?.type === 'AssignmentExpression' && grand.left === parent) return true;
    if (grand?.type === 'UpdateExpression') return true;
    return (
      grand?.type === 'CallExpression' && grand.callee === parent && mutatingMethods.test(propertyName(parent) ?? '')
    );
  }
  return (
    (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.arguments.includes(id as never)
  );
}

/** `objectLiteralOf`'s answers, by variable: its reference scan would run at every field read otherwise. */
const objectLiterals = new WeakMap<Scope.Variable, ESTree.ObjectExpression | null>();

/** The object literal a `const` is bound to (`const paths = { … }`), if it is one. */
export function constObjectLiteral(variable: Scope.Variable): ESTree.ObjectExpression | undefined {
  const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || def.parent.kind !== 'const' || def.node.id.type !== 'Identifier') return undefined;
  return def.node.init?.type === 'ObjectExpression' ? def.node.init : undefined;
}

/** The object literal a `const` holds, when this file never assigns or deletes a field of it. */
function objectLiteralOf(variable: Scope.Variable): ESTree.ObjectExpression | undefined {
  const init = constObjectLiteral(variable);
  if (!init) return undefined;
  const known = objectLiterals.get(variable);
  if (known !== undefined) return known ?? undefined;
  const written = variable.references.some((ref) => {
    const member = parentOf(ref.identifier as ESTree.Node);
    if (member?.type !== 'MemberExpression' || member.object !== ref.identifier) return false;
    const use = parentOf(member);
    return (
      (use?.type === 'AssignmentExpression' && use.left === member) ||
      use?.type === 'UpdateExpression' ||
      (use?.type === 'UnaryExpression' && use.operator === 'delete')
    );
  });
  objectLiterals.set(variable, written ? null : init);
  return written ? undefined : init;
}

/** `new Set()`, `new Set([])`, `[]`. */
function isEmptyCollection(init: ESTree.Expression | null | undefined): boolean {
  if (init?.type === 'ArrayExpression') return init.elements.length === 0;
  return (
    init?.type === 'NewExpression' &&
    init.callee.type === 'Identifier' &&
    init.callee.name === 'Set' &&
    (init.arguments.length === 0 ||
      (init.arguments.length === 1 &&
        init.arguments[0]?.type === 'ArrayExpression' &&
        init.arguments[0].elements.length === 0))
  );
}

/** A parameter never reassigned: its function and its position (-1 inside a pattern). */
function fixedParameter(
  variable: Scope.Variable,
): { fn: ESTree.Node & { params?: ESTree.Pattern[]; id?: ESTree.Identifier | null }; index: number } | undefined {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || def?.type !== 'Parameter') return undefined;
  if (!neverReassigned(variable)) return undefined;
  const fn = def.node as ESTree.Node & { params?: ESTree.Pattern[]; id?: ESTree.Identifier | null };
  return { fn, index: fn.params?.indexOf(def.name as ESTree.Pattern) ?? -1 };
}

/** Array methods whose callback's first parameter is an element of the array. */
const elementCallbackMethods: ReadonlySet<string> = new Set(['forEach', 'map', 'flatMap', 'filter']);

/** Array methods whose result holds elements of the array they are called on, and only those. */
const subsetMethods: ReadonlySet<string> = new Set(['filter', 'slice', 'sort', 'toSorted', 'reverse', 'toReversed']);

/**
 * The collection whose elements `collection` holds: `c` of `c.filter(…)`, `c.slice(1)`, `[...c]` and
 * `Array.from(c)` (an element of one is an element of `c`: written in one loop over `c`, renamed in
 * another over its `.filter(…)`).
 */
function sameElementsAs(collection: ESTree.Node): ESTree.Node {
  for (;;) {
    if (
      collection.type === 'CallExpression' &&
      collection.callee.type === 'MemberExpression' &&
      !collection.callee.computed
    ) {
      const method = propertyName(collection.callee);
      const object = collection.callee.object as ESTree.Node;
      if (subsetMethods.has(method ?? '')) {
        collection = object;
        continue;
      }
      if (
        method === 'from' &&
        object.type === 'Identifier' &&
        object.name === 'Array' &&
        collection.arguments.length === 1 &&
        collection.arguments[0]!.type !== 'SpreadElement'
      ) {
        collection = collection.arguments[0] as ESTree.Node;
        continue;
      }
    }
    if (
      collection.type === 'ArrayExpression' &&
      collection.elements.length === 1 &&
      collection.elements[0]?.type === 'SpreadElement'
    ) {
      collection = collection.elements[0].argument as ESTree.Node;
      continue;
    }
    return collection;
  }
}

/**
 * The collection whose elements a callback's first parameter takes (`Array.from(c, (x) => …)`,
 * `c.forEach((x) => …)`, `c.map(…)`), and the field of the element when the parameter destructures it.
 */
function callbackElementOf(variable: Scope.Variable): { collection: ESTree.Node; field?: string } | undefined {
  const parameter = fixedParameter(variable);
  if (!parameter) return undefined;
  const { fn } = parameter;
  const first = fn.params?.[0];
  const field = first?.type === 'ObjectPattern' ? fieldOf(first, variable.name) : undefined;
  if (!first || (parameter.index !== 0 && field === undefined)) return undefined;
  const call = parentOf(fn);
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(call.callee);
  let collection: ESTree.Node | undefined;
  if (
    method === 'from' &&
    call.callee.object.type === 'Identifier' &&
    call.callee.object.name === 'Array' &&
    call.arguments[1] === fn
  )
    collection = call.arguments[0] as ESTree.Node;
  else if (elementCallbackMethods.has(method ?? '') && call.arguments[0] === fn)
    collection = call.callee.object as ESTree.Node;
  return collection && (field === undefined ? { collection } : { collection, field });
}

/**
 * The parts of `"".concat(a, ".tmp").concat(b)` (a template literal compiled to ES5), in order: the
 * chain must start from a string literal, so that `list.concat(x)` of an array is not one.
 */
export function compiledTemplate(node: ESTree.CallExpression): ESTree.Node[] | undefined {
  const calls: ESTree.CallExpression[] = [];
  let n: ESTree.Node = node;
  while (
    n.type === 'CallExpression' &&
    n.callee.type === 'MemberExpression' &&
    !n.callee.computed &&
    propertyName(n.callee) === 'concat'
  ) {
    calls.unshift(n);
    n = n.callee.object as ESTree.Node;
  }
  if (calls.length === 0 || n.type !== 'Literal' || typeof n.value !== 'string') return undefined;
  const pieces: ESTree.Node[] = [n];
  for (const call of calls) {
    if (call.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
    pieces.push(...(call.arguments as ESTree.Node[]));
  }
  return pieces;
}

/**
 * `this.tmp` inside `function () {…}.bind({ tmp, dest })`: the field's value in the bound literal.
 * Undefined when the literal does not say (the field may be set later).
 */
function boundField(member: ESTree.MemberExpression): ESTree.Node | undefined {
  let fn = parentOf(member);
  while (fn && (fn.type === 'ArrowFunctionExpression' || !/Function/.test(fn.type))) fn = parentOf(fn);
  const bind = fn && parentOf(fn);
  const call = bind && parentOf(bind);
  if (
    bind?.type !== 'MemberExpression' ||
    bind.object !== fn ||
    propertyName(bind) !== 'bind' ||
    call?.type !== 'CallExpression' ||
    call.callee !== bind
  )
    return undefined;
  const literal = call.arguments[0];
  const name = propertyName(member);
  if (literal?.type !== 'ObjectExpression' || name === undefined) return undefined;
  for (const property of literal.properties) {
    if (property.type === 'SpreadElement') return undefined;
    if (
      !property.computed &&
      property.key.type === 'Identifier' &&
      property.key.name === name &&
      property.kind === 'init'
    )
      return property.value as ESTree.Node;
  }
  return undefined;
}

/**
 * The argument a parameter is bound to when its function is only ever used bound with it
 * (`emitter.on('end', place.bind(null, tmp, dest))`): every run of the function sees that value.
 */
function boundArgument(variable: Scope.Variable): ESTree.Node | undefined {
  const parameter = fixedParameter(variable);
  if (!parameter || parameter.index < 0) return undefined;
  const { fn, index } = parameter;
  let uses: ESTree.Node[] = [fn];
  if (fn.type === 'FunctionDeclaration' && fn.id) {
    const declared = variable.scope.upper?.set.get(fn.id.name);
    if (!declared || declared.defs.length !== 1) return undefined;
    uses = declared.references.map((ref) => ref.identifier as ESTree.Node);
  }
  if (uses.length !== 1) return undefined;
  const member = parentOf(uses[0] as ESTree.Node);
  const call = member && parentOf(member);
  if (
    member?.type !== 'MemberExpression' ||
    member.object !== uses[0] ||
    propertyName(member) !== 'bind' ||
    call?.type !== 'CallExpression' ||
    call.callee !== member
  )
    return undefined;
  const argument = call.arguments[index + 1];
  return argument && argument.type !== 'SpreadElement' ? (argument as ESTree.Node) : undefined;
}

/**
 * The promise whose value a `.then` handler's first parameter receives (`stage(f).then((tmp) => …)`):
 * it names the same file, as `await stage(f)` does.
 */
function settledPromiseOf(variable: Scope.Variable): ESTree.Node | undefined {
  const parameter = fixedParameter(variable);
  if (parameter?.index !== 0) return undefined;
  const call = parentOf(parameter.fn);
  return call?.type === 'CallExpression' &&
    call.arguments[0] === parameter.fn &&
    call.callee.type === 'MemberExpression' &&
    propertyName(call.callee) === 'then'
    ? (call.callee.object as ESTree.Node)
    : undefined;
}

/** The call a callback's second parameter gets its value from (`stage(file, (err, tmp) => …)`: `stage(…)`). */
function deliveringCall(variable: Scope.Variable): ESTree.CallExpression | undefined {
  const parameter = fixedParameter(variable);
  if (parameter?.index !== 1) return undefined;
  const call = parentOf(parameter.fn);
  return call?.type === 'CallExpression' && call.arguments[call.arguments.length - 1] === parameter.fn
    ? call
    : undefined;
}

/**
 * `field` of `(err, { field }) => …` passed as a call's last argument: a field of the value the callee
 * hands its callback (see `deliveringCall`).
 */
function deliveredField(variable: Scope.Variable): { call: ESTree.CallExpression; field: string } | undefined {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || def?.type !== 'Parameter' || !neverReassigned(variable)) return undefined;
  const property = parentOf(def.name as ESTree.Node);
  const pattern = property && parentOf(property);
  const fn = def.node as ESTree.Node & { params?: ESTree.Pattern[] };
  if (pattern?.type !== 'ObjectPattern' || fn.params?.[1] !== pattern) return undefined;
  const field = fieldOf(pattern, variable.name);
  const call = parentOf(fn);
  return field !== undefined && call?.type === 'CallExpression' && call.arguments.at(-1) === fn
    ? { call, field }
    : undefined;
}

/**
 * The call a function expression's parameter gets its value from, when the function is passed to it
 * as an argument (`traverse(dir, noop, (file) => …)`): the call, the argument's index, the parameter's.
 */
function handingCall(
  variable: Scope.Variable,
): { call: ESTree.CallExpression; callback: number; parameter: number } | undefined {
  const parameter = fixedParameter(variable);
  if (!parameter || !isFunctionExpression(parameter.fn)) return undefined;
  const call = parentOf(parameter.fn);
  if (call?.type !== 'CallExpression') return undefined;
  const callback = call.arguments.indexOf(parameter.fn as ESTree.Expression);
  return callback >= 0 ? { call, callback, parameter: parameter.index } : undefined;
}

/** The index `name` is bound to in an array pattern, when directly and without a default (`[tmp, h]`). */
function elementIndexOf(pattern: ESTree.ArrayPattern, name: string): string | undefined {
  const at = pattern.elements.findIndex((element) => element?.type === 'Identifier' && element.name === name);
  return at >= 0 ? String(at) : undefined;
}

/**
 * The value a `.then` handler resolves its promise with, when it returns one expression
 * (`writeFile(tmp, d).then(() => tmp)`).
 */
export function thenValue(call: ESTree.CallExpression): ESTree.Node | undefined {
  const handler = call.arguments[0] as ESTree.Node | undefined;
  if (
    call.callee.type !== 'MemberExpression' ||
    call.arguments.length > 2 ||
    !handler ||
    (handler.type !== 'ArrowFunctionExpression' && handler.type !== 'FunctionExpression')
  )
    return undefined;
  if (handler.body.type !== 'BlockStatement') return handler.body;
  const returns = handler.body.body.filter((s): s is ESTree.ReturnStatement => s.type === 'ReturnStatement');
  return returns.length === 1 && handler.body.body.at(-1) === returns[0]
    ? (returns[0]?.argument ?? undefined)
    : undefined;
}

/** Most rows of a literal table a loop's binding is read from as alternatives. */
const MAX_LOOP_ROWS = 16;

/**
 * The rows of a literal table a loop's bindings take, one name-to-value list per row:
 * `for (const [dir, files] of [[serverDir, a], [clientDir, b]])` binds `dir` and `files` to
 * `serverDir` and `a`, then to `clientDir` and `b`; `for (const dir of [a, b])` binds `dir` to each.
 * Also a `const` table no code fills (`const files = [{ source: 'a.md', target: 'a.md' }, …]`), gone over
 * by a for-of loop or a `forEach`/`map` callback, destructuring its rows (`({ source, target }) => …`).
 */
function loopRowsOf(
  def: Scope.Definition,
  scopeOf: (node: ESTree.Node) => Scope.Scope,
): Array<Array<readonly [string, ESTree.Node]>> | undefined {
  if (def.type === 'Variable' && !def.node.init) {
    const declaration = def.parent as ESTree.Node;
    const loop = parentOf(declaration);
    if (loop?.type !== 'ForOfStatement' || loop.left !== declaration) return undefined;
    return rowsBound(def.node.id, literalTableOf(loop.right, scopeOf));
  }
  if (def.type !== 'Parameter') return undefined;
  const fn = def.node as ESTree.Node & { params?: ESTree.Pattern[] };
  const first = fn.params?.[0];
  if (!first || (first !== def.name && (first.type !== 'ObjectPattern' || !within(def.name as ESTree.Node, first))))
    return undefined;
  const call = parentOf(fn);
  if (
    call?.type !== 'CallExpression' ||
    call.callee.type !== 'MemberExpression' ||
    call.arguments[0] !== fn ||
    !elementCallbackMethods.has(propertyName(call.callee) ?? '')
  )
    return undefined;
  return rowsBound(first, literalTableOf(call.callee.object as ESTree.Node, scopeOf));
}

/** Each row's values for the names `id` binds (an identifier, an array or an object pattern). */
function rowsBound(
  id: ESTree.Pattern,
  rows: ReadonlyArray<ESTree.Node | ESTree.SpreadElement | null> | undefined,
): Array<Array<readonly [string, ESTree.Node]>> | undefined {
  if (!rows || rows.length === 0 || rows.length > MAX_LOOP_ROWS) return undefined;
  const out: Array<Array<readonly [string, ESTree.Node]>> = [];
  for (const row of rows) {
    if (!row || row.type === 'SpreadElement') return undefined;
    if (id.type === 'Identifier') {
      out.push([[id.name, row]]);
      continue;
    }
    const bound: Array<readonly [string, ESTree.Node]> = [];
    if (id.type === 'ArrayPattern' && row.type === 'ArrayExpression') {
      id.elements.forEach((element, i) => {
        const value = row.elements[i];
        if (element?.type === 'Identifier' && value && value.type !== 'SpreadElement')
          bound.push([element.name, value]);
      });
    } else if (id.type === 'ObjectPattern' && row.type === 'ObjectExpression') {
      for (const property of id.properties) {
        if (property.type !== 'Property' || property.computed || property.value.type !== 'Identifier') continue;
        const key = propertyKeyName(property);
        const value = key === undefined ? undefined : literalField(row, key);
        if (value) bound.push([property.value.name, value]);
      }
    } else return undefined;
    out.push(bound);
  }
  return out;
}

/**
 * The rows of a literal table: an array literal, or a `const` bound to one whose every other use reads it
 * (a for-of loop, `forEach`/`map`/`filter`/`flatMap`, `length`), its rows string literals or object literals.
 */
function literalTableOf(
  node: ESTree.Node,
  scopeOf: (node: ESTree.Node) => Scope.Scope,
): ReadonlyArray<ESTree.Node | ESTree.SpreadElement | null> | undefined {
  if (node.type === 'ArrayExpression') return node.elements;
  if (node.type !== 'Identifier') return undefined;
  const variable = findVariable(scopeOf(node), node.name);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (
    !variable ||
    def?.type !== 'Variable' ||
    def.parent.kind !== 'const' ||
    def.node.id.type !== 'Identifier' ||
    def.node.init?.type !== 'ArrayExpression'
  )
    return undefined;
  const rows = def.node.init.elements;
  const literal = (row: ESTree.Node | ESTree.SpreadElement | null): boolean =>
    !!row &&
    ((row.type === 'Literal' && typeof row.value === 'string') ||
      (row.type === 'ObjectExpression' && row.properties.every((p) => p.type === 'Property' && !p.computed)));
  if (!rows.every(literal)) return undefined;
  const onlyRead = variable.references.every((reference) => {
    if (reference.init) return true;
    const identifier = reference.identifier as ESTree.Node;
    const parent = parentOf(identifier);
    if (parent?.type === 'ForOfStatement') return parent.right === identifier;
    if (parent?.type !== 'MemberExpression' || parent.object !== identifier) return false;
    const name = propertyName(parent);
    return name === 'length' || elementCallbackMethods.has(name ?? '');
  });
  return onlyRead ? rows : undefined;
}

/** The value of property `name` in an object literal (`{ file }`, `{ file: f }`), when it is one. */
function literalField(node: ESTree.Node, name: string): ESTree.Node | undefined {
  if (node.type !== 'ObjectExpression') return undefined;
  const property = node.properties.find(
    (p): p is ESTree.Property => p.type === 'Property' && !p.computed && propertyKeyName(p) === name,
  );
  return property?.value as ESTree.Node | undefined;
}

/** The field `name` is bound to in a destructuring pattern, when directly and without a default (`{ tmp }`, `{ path: tmp }`). */
export function fieldOf(pattern: ESTree.ObjectPattern, name: string): string | undefined {
  for (const property of pattern.properties) {
    if (property.type !== 'Property' || property.value.type !== 'Identifier' || property.value.name !== name) continue;
    if (!property.computed && property.key.type === 'Identifier') return property.key.name;
    if (property.key.type === 'Literal' && typeof property.key.value === 'string') return property.key.value;
    return undefined;
  }
  return undefined;
}

/**
 * The values added to a local collection (`const c = []` or `new Set()`, never reassigned) that
 * only this function fills: each `c.push(x)` / `c.add(x)`. Undefined when it may be filled elsewhere
 * (handed to other code). With `returned`, the values the function's caller gets (`return staged`).
 */
export function valuesAdded(variable: Scope.Variable, returned = false): ESTree.Node[] | undefined {
  const def = variable.defs[0];
  if (
    variable.defs.length !== 1 ||
    def?.type !== 'Variable' ||
    def.node.id.type !== 'Identifier' ||
    !isEmptyCollection(def.node.init)
  )
    return undefined;
  const values: ESTree.Node[] = [];
  for (const reference of variable.references) {
    if (reference.init) continue;
    if (reference.isWrite()) return undefined;
    const identifier = reference.identifier as ESTree.Node;
    // What the caller gets is what this function added: a `return c`, or `c` handed to a call on
    // the way (`cleanup(c)` when a step failed), does not change that.
    const parent = parentOf(identifier);
    if (
      returned &&
      (parent?.type === 'ReturnStatement' ||
        (parent?.type === 'CallExpression' && parent.arguments.includes(identifier as ESTree.Expression)))
    )
      continue;
    const use = elementUse(identifier);
    if (use === 'escapes') return undefined;
    if (use === 'reads') continue;
    // A returned list that also holds what the function's own recursive call returns (a directory
    // walk's `results.push(...walk(sub))`): those elements are made the same way, from other arguments.
    if (returned && use.length === 1 && use[0]?.type === 'SpreadElement' && callsItself(use[0].argument)) continue;
    if (use.length !== 1 || use[0]?.type === 'SpreadElement') return undefined;
    values.push(use[0] as ESTree.Node);
  }
  return values;
}

/** A call of the function it is in, by that function's own name (`function walk(d) { … walk(sub) … }`). */
function callsItself(node: ESTree.Node): boolean {
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier') return false;
  const fn = enclosingFunction(node);
  const name =
    fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression'
      ? fn.id?.name
      : parentOf(fn)?.type === 'VariableDeclarator'
        ? ((parentOf(fn) as ESTree.VariableDeclarator).id as ESTree.Identifier).name
        : undefined;
  return name !== undefined && node.callee.name === name;
}

/**
 * How a collection is used at one reference: filled with the given values (`c.add(x)`, `c.push(x)`),
 * read (iterated, tested, counted), or handed to code that may fill it.
 */
function elementUse(reference: ESTree.Node): readonly (ESTree.Node | ESTree.SpreadElement)[] | 'reads' | 'escapes' {
  const parent = parentOf(reference);
  if (parent?.type === 'MemberExpression' && parent.object === reference) {
    const name = propertyName(parent);
    const call = parentOf(parent);
    if ((name === 'add' || name === 'push') && call?.type === 'CallExpression' && call.callee === parent)
      return call.arguments as ESTree.Node[];
    return name !== undefined &&
      /^(?:has|size|length|forEach|map|values|keys|entries|includes|delete|clear)$/.test(name)
      ? 'reads'
      : 'escapes';
  }
  if (parent?.type === 'ForOfStatement' && parent.right === reference) return 'reads';
  if (parent?.type === 'SpreadElement') return 'reads';
  if (
    parent?.type === 'CallExpression' &&
    parent.arguments[0] === reference &&
    parent.callee.type === 'MemberExpression' &&
    propertyName(parent.callee) === 'from'
  )
    return 'reads';
  return 'escapes';
}

/** `join` for `join(...)`, `path.join(...)` and compiled CommonJS's `(0, path_1.join)(...)`. */
export function calleeName(callee: ESTree.Node): string | undefined {
  const [first, last] = callee.type === 'SequenceExpression' ? callee.expressions : [];
  const c =
    first?.type === 'Literal' && last && callee.type === 'SequenceExpression' && callee.expressions.length === 2
      ? last
      : callee;
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression') return propertyName(c);
  return undefined;
}
