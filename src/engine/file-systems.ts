/**
 * What is a file system: which calls of the file reach a member of the fs API table. Imports by
 * every route real code takes (ESM, `require`, TypeScript's `import x = require()`, compiled interop
 * wrappers, `promisify`), and member chains that hold a module (`this.fs = require('fs')`).
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { ReferenceTracker, findVariable, getStringIfConstant } from '@eslint-community/eslint-utils';
import {
  traceMapFor,
  fsApiTable,
  chainedInstanceModules,
  callbackInstanceModules,
  globalWriters,
  instanceTable,
  instanceTraceMap,
  uploadTraceMap,
  duckTypedFsMembers,
  flavourSuffix,
  type CustomFunctions,
  type FsMember,
  type TrackedFunction,
  type UploadParser,
} from '../fs-api.js';
import { calleeName, isInteropCall, propertyName, type FileKeys } from './file-key.js';
import { FileKey, isInside, term } from './key.js';
import type { UploadMade } from './uploads.js';
import { enclosingFunction, isCompiledAsyncBody, isFunctionNode, propertyKeyName, returnValues } from '../ast.js';
import { calleeExpression, promisifiers } from './call-graph.js';
import { completion, promiseCompletion } from './completion.js';
import { opensForWriting, unwrap } from './bindings.js';
import { neverReassigned } from './scope.js';

const fsMembers = duckTypedFsMembers;
const promiseMembers = new Map((fsApiTable['fs/promises'] ?? []).map((m) => [m.name, m]));

/** A rename member called on an object, in any flavour (`.rename(`, `.renameSync(`, `.moveAsync(`). */
const injectedRename = new RegExp(`\\.(?:rename${flavourSuffix}|moveAsync)\\s*\\(`);

/** The same names destructured from an object (`const { renameAsync, writeFileAsync } = sys.fs`). */
const destructuredRename = new RegExp(`[{,]\\s*(?:rename${flavourSuffix}|moveAsync)\\s*[,}:=]`);
const writeNames = '(?:writeFile|appendFile|copy|createWriteStream|write|output)\\w*';
const memberWrite = new RegExp(`\\.${writeNames}\\s*\\(`);
const destructuredWrite = new RegExp(`[{,]\\s*${writeNames}\\s*[,}:=]`);

/**
 * Cheap text test for an object used as a file system: a write-shaped and a rename member called on
 * it, or both destructured from it.
 */
export const mayUseInjectedFs = (text: string): boolean =>
  (injectedRename.test(text) && memberWrite.test(text)) ||
  (destructuredRename.test(text) && destructuredWrite.test(text));

/**
 * A text test for the modules a trace map starts from: `trackImports` finds nothing in a file that
 * spells none of them as a string (`'fs'`, `"node:fs/promises"`, `` `mv` ``), calls no `require`,
 * `import()` or `getBuiltinModule` with anything but a plain string (`require('f' + 's')`, a
 * bundler's `(m) => require(m)`), and names no global writer. One regular expression per trace map.
 */
const moduleNameTests = new WeakMap<object, RegExp>();

function namesTrackedModule(text: string, traceMap: object): boolean {
  let test = moduleNameTests.get(traceMap);
  if (!test) {
    const modules = new Set(
      [...Object.keys(traceMap), ...Object.keys(instanceTraceMap), ...Object.keys(uploadTraceMap)].map((m) =>
        m.replace(/^node:/, ''),
      ),
    );
    const names = [...modules].map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
    test = new RegExp(
      `(['"\`])(?:node:)?(?:${names})\\1|\\b(?:require|import|getBuiltinModule)\\s*\\((?!\\s*(['"])[^'"\\\\\\n]*\\2\\s*[),])|\\b(?:${Object.keys(globalWriters).join('|')})\\b`,
    );
    moduleNameTests.set(traceMap, test);
  }
  return test.test(text);
}

/** `import('m')` with a literal specifier, found in the text: the call starts at the match. */
const dynamicImport = /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g;

/**
 * The modules a file imports (`import`, `export … from`) or requires by a constant name: all that
 * ReferenceTracker's ESM and CommonJS traces can start from.
 */
function staticSources(program: ESTree.Program, requireRefs: readonly Scope.Reference[]): Set<string> {
  const sources = new Set<string>();
  for (const node of program.body) {
    if (
      (node.type === 'ImportDeclaration' ||
        node.type === 'ExportAllDeclaration' ||
        node.type === 'ExportNamedDeclaration') &&
      typeof node.source?.value === 'string'
    )
      sources.add(node.source.value);
  }
  for (const ref of requireRefs) {
    const call = (ref.identifier as Rule.Node).parent;
    if (call?.type !== 'CallExpression' || call.callee !== ref.identifier || !call.arguments[0]) continue;
    const source = getStringIfConstant(call.arguments[0] as never, ref.from as never);
    if (typeof source === 'string') sources.add(source);
  }
  return sources;
}

/** Is `call` a getter of a builtin module by its name: `process.getBuiltinModule(m)`, `x.getBuiltinModule(m)`? */
const getsBuiltin = (call: ESTree.Node | null | undefined): call is ESTree.CallExpression =>
  call?.type === 'CallExpression' &&
  call.arguments.length === 1 &&
  call.callee.type === 'MemberExpression' &&
  !call.callee.computed &&
  call.callee.property.type === 'Identifier' &&
  call.callee.property.name === 'getBuiltinModule';

/** The references to a global, declared in the configuration (`set`) or not (`through`). */
const globalReferences = (globalScope: Scope.Scope, name: string): Scope.Reference[] =>
  globalScope.set.get(name)?.references ?? globalScope.through.filter((ref) => ref.identifier.name === name);

/**
 * The calls that get a builtin module by a constant name `wanted` says yes to, with that name:
 * `process.getBuiltinModule('fs')` of the global `process`, and calls of a top-level function of one
 * parameter that returns `getBuiltinModule` of it or a `require` of it (a bundler's shim: `const
 * getBuiltin = (m) => process.getBuiltinModule?.(m) ?? require(m)`). Read off the scopes' references,
 * without walking the file; a function's returns are read only when it is called with such a name.
 */
function builtinModuleCalls(
  program: ESTree.Program,
  globalScope: Scope.Scope,
  wanted: (source: string) => boolean,
): Array<{ call: ESTree.CallExpression; source: string }> {
  const found: Array<{ call: ESTree.CallExpression; source: string }> = [];
  const named = (call: ESTree.CallExpression): string | undefined => {
    const source = call.arguments.length === 1 ? getStringIfConstant(call.arguments[0] as never) : null;
    return typeof source === 'string' && wanted(source) ? source : undefined;
  };
  for (const ref of globalReferences(globalScope, 'process')) {
    const call = (ref.identifier as Rule.Node).parent?.parent;
    const source = getsBuiltin(call) ? named(call) : undefined;
    if (call && source) found.push({ call: call as ESTree.CallExpression, source });
  }
  const scopes = [globalScope, ...globalScope.childScopes.filter((c) => c.block === program)];
  for (const scope of scopes) {
    for (const variable of scope.variables) {
      const def = variable.defs[0];
      if (variable.defs.length !== 1 || !def) continue;
      const fn =
        def.type === 'FunctionName'
          ? (def.node as ESTree.Node)
          : def.type === 'Variable' && def.parent.kind === 'const'
            ? (def.node.init as ESTree.Node | null)
            : null;
      if (!isFunctionNode(fn) || fn.params.length !== 1 || fn.params[0]?.type !== 'Identifier') continue;
      // A shim is small: this keeps the test to a few functions' bodies.
      if (!fn.range || fn.range[1] - fn.range[0] > 2000) continue;
      const calls: Array<{ call: ESTree.CallExpression; source: string }> = [];
      for (const ref of variable.references) {
        const call = (ref.identifier as Rule.Node).parent;
        const source = call?.type === 'CallExpression' && call.callee === ref.identifier ? named(call) : undefined;
        if (source) calls.push({ call: call as ESTree.CallExpression, source });
      }
      if (calls.length === 0) continue;
      const param = fn.params[0].name;
      const getsByName = (value: ESTree.Node): boolean => {
        let v = value;
        if (v.type === 'ChainExpression') v = v.expression as ESTree.Node;
        if (v.type === 'LogicalExpression') return getsByName(v.left) && getsByName(v.right);
        if (v.type !== 'CallExpression' || v.arguments.length !== 1) return false;
        const [arg] = v.arguments;
        if (arg?.type !== 'Identifier' || arg.name !== param) return false;
        const { callee } = v;
        return (callee.type === 'Identifier' && /require$/i.test(callee.name)) || getsBuiltin(v);
      };
      const values = returnValues(fn);
      if (values && values.length > 0 && values.every(getsByName)) found.push(...calls);
    }
  }
  return found;
}

/** `(0, fs.writeFileSync)(…)`: the call a read of a member is the callee of, through the comma. */
function callThroughSequence(read: Rule.Node): ESTree.CallExpression | undefined {
  const sequence = read.parent;
  if (sequence?.type !== 'SequenceExpression' || sequence.expressions[sequence.expressions.length - 1] !== read)
    return undefined;
  const call = (sequence as Rule.Node).parent;
  return call?.type === 'CallExpression' && call.callee === sequence ? call : undefined;
}

/** `promisify(fs.rename)`: the promise-returning twin of a callback member. */
const promisified = (info: TrackedFunction): TrackedFunction | undefined =>
  info.member.style === 'callback' || info.member.style === 'universal'
    ? { module: info.module, member: { ...info.member, style: 'promise' } }
    : undefined;

const isPromisifyCall = (node: ESTree.Node | undefined, arg: ESTree.Node): node is ESTree.CallExpression =>
  node?.type === 'CallExpression' && node.arguments[0] === arg && promisifiers.test(calleeName(node.callee) ?? '');

/** The binding `const x = value` declares with `value` as its initialiser, if it is one. */
function declaredAs(value: ESTree.Node, sourceCode: SourceCode): Scope.Variable | undefined {
  const holder = (value as Rule.Node).parent;
  return holder?.type === 'VariableDeclarator' && holder.init === value && holder.id.type === 'Identifier'
    ? sourceCode.getDeclaredVariables(holder)[0]
    : undefined;
}

/**
 * webpack's and rspack's default-import interop: `var fs_default = __webpack_require__.n(fs_ns)` of
 * `const fs_ns = require("fs/promises")` is a getter of the module, called at each use
 * (`fs_default().rename(…)`; webpack 4 read `fs_default.a`). The calls and reads of the getter.
 */
function bundlerDefaultGetters(required: ESTree.Node, sourceCode: SourceCode): ESTree.Expression[] {
  const declared = (value: ESTree.Node): Scope.Variable | undefined => {
    const variable = declaredAs(value, sourceCode);
    return variable && neverReassigned(variable) ? variable : undefined;
  };
  const found: ESTree.Expression[] = [];
  for (const reference of declared(required)?.references ?? []) {
    const call = (reference.identifier as Rule.Node).parent;
    if (
      call?.type !== 'CallExpression' ||
      call.arguments[0] !== reference.identifier ||
      call.callee.type !== 'MemberExpression' ||
      propertyName(call.callee) !== 'n' ||
      !/^__\w+_require__$/.test(calleeName(call.callee.object as ESTree.Node) ?? '')
    )
      continue;
    for (const use of declared(call)?.references ?? []) {
      const parent = (use.identifier as Rule.Node).parent;
      if (parent?.type === 'CallExpression' && parent.callee === use.identifier && parent.arguments.length === 0)
        found.push(parent);
      else if (parent?.type === 'MemberExpression' && parent.object === use.identifier && propertyName(parent) === 'a')
        found.push(parent);
    }
  }
  return found;
}

/**
 * Calls of a function that hands out the module `value` evaluates to: the lazy imports Babel and SWC
 * emit for CommonJS, `function _fs() { const data = require('fs'); _fs = function () { return data; };
 * return data; }` called as `_fs().writeFileSync(…)` or `(0, _fs().rename)(…)`. Each return of the
 * function, and of every function assigned over it, yields that one binding, so each call is the module.
 */
function moduleGetterCalls(value: ESTree.Node, sourceCode: SourceCode): ESTree.CallExpression[] {
  const holder = (value as Rule.Node).parent;
  const binding = declaredAs(value, sourceCode);
  if (binding && !neverReassigned(binding)) return [];
  if (!binding && holder?.type !== 'ReturnStatement') return [];
  const yieldsModule = (fn: ESTree.Node | null | undefined): boolean => {
    const values = isFunctionNode(fn) ? returnValues(fn) : undefined;
    return (
      !!values &&
      values.length > 0 &&
      values.every(
        (v) =>
          v === value || (!!binding && v.type === 'Identifier' && findVariable(sourceCode.getScope(v), v) === binding),
      )
    );
  };
  const getter = enclosingFunction(value);
  if (!yieldsModule(getter)) return [];
  const variable =
    getter.type === 'FunctionDeclaration'
      ? sourceCode.getDeclaredVariables(getter).find((v) => v.defs[0]?.type === 'FunctionName')
      : declaredAs(getter, sourceCode);
  if (!variable) return [];
  const calls: ESTree.CallExpression[] = [];
  for (const reference of variable.references) {
    if (reference.isWrite()) {
      if (!yieldsModule(reference.writeExpr)) return [];
      continue;
    }
    const call = (reference.identifier as Rule.Node).parent;
    if (call?.type === 'CallExpression' && call.callee === reference.identifier && call.arguments.length === 0)
      calls.push(call);
  }
  return calls;
}

export class FileSystems {
  /** Calls (and `new` expressions) of fs API members. */
  readonly tracked = new Map<ESTree.Node, TrackedFunction>();
  /** Where the file makes an upload parser (`multer({ dest })`, `new multiparty.Form()`): see uploads.ts. */
  readonly uploadsMade: UploadMade[] = [];
  /** Member chains that hold an fs-like module: `this.fs = require('fs')`, then `self.fs.rename(…)`. */
  readonly #moduleAliases = new Map<string, string>();
  readonly #sourceCode: SourceCode;
  readonly #keys: FileKeys;

  constructor(sourceCode: SourceCode, keys: FileKeys) {
    this.#sourceCode = sourceCode;
    this.#keys = keys;
  }

  /**
   * True when the file's tracked calls include a rename and something that puts bytes in a file (a
   * write, a stream, or an open whose descriptor or FileHandle is written): only then can a rename
   * publish an unsynced write. A module held in a member chain can be any of them.
   */
  get canPublish(): boolean {
    if (!this.renames) return false;
    for (const { member } of this.tracked.values())
      if (member.kind === 'write' || member.kind === 'stream' || member.kind === 'open') return true;
    // Writes through a module held in a member chain are not looked for: any alias may write.
    return this.#moduleAliases.size > 0 || this.uploadsMade.length > 0;
  }

  /** Does the file rename through a file system of its own (a tracked call, or a module held in a member chain)? */
  get renames(): boolean {
    for (const { member } of this.tracked.values()) if (member.kind === 'rename') return true;
    return this.#callsAliasedRename();
  }

  /** Members of the modules held in member chains (and of their `.promises`), by name. */
  #aliasedNames: Map<string, FsMember['kind'][]> | undefined;

  #aliasedMemberNames(): Map<string, FsMember['kind'][]> {
    if (this.#aliasedNames) return this.#aliasedNames;
    this.#aliasedNames = new Map();
    for (const module of this.#moduleAliases.values()) {
      for (const m of [...(fsApiTable[module] ?? []), ...(fsApiTable[`${module}.promises`] ?? [])]) {
        this.#aliasedNames.set(m.name, [...(this.#aliasedNames.get(m.name) ?? []), m.kind]);
      }
    }
    return this.#aliasedNames;
  }

  /**
   * Does the file call a rename member of a module held in a member chain? Bundles assign modules to
   * properties (`e.exports = require("fs")`) and name `rename` elsewhere; an aliased call spells the
   * member's name in the text, so only the places that do are looked at, not every call of the file.
   */
  #callsAliasedRename(): boolean {
    const names = [...this.#aliasedMemberNames()].filter(([, kinds]) => kinds.includes('rename')).map(([name]) => name);
    if (names.length === 0) return false;
    for (const match of this.#sourceCode.text.matchAll(new RegExp(`\\b(?:${names.join('|')})\\b`, 'g'))) {
      const property = this.#sourceCode.getNodeByRangeIndex(match.index) as Rule.Node | null;
      const member = property?.parent;
      const call = member?.parent;
      if (
        member?.type === 'MemberExpression' &&
        member.property === property &&
        (call?.type === 'CallExpression' || call?.type === 'NewExpression') &&
        call.callee === member &&
        this.#aliasedMember(member)?.member.kind === 'rename'
      ) {
        return true;
      }
    }
    return false;
  }

  /** The fs member `call` reaches, if any. */
  infoOf(call: ESTree.CallExpression | ESTree.NewExpression): TrackedFunction | undefined {
    return (
      this.tracked.get(call) ?? (call.callee.type === 'MemberExpression' ? this.#aliasedMember(call.callee) : undefined)
    );
  }

  /** Finds every call of a table member (and of the project's own functions from the options). */
  trackImports(program: ESTree.Program, options: CustomFunctions): void {
    const sourceCode = this.#sourceCode;
    const globalScope = sourceCode.getScope(program);
    const traceMap = traceMapFor(options);
    if (!namesTrackedModule(sourceCode.text, traceMap)) return;
    const tracker = new ReferenceTracker(globalScope, { mode: 'legacy' });
    const add = (refs: Iterable<{ node: Rule.Node; info: TrackedFunction; type: symbol }>): void => {
      for (const { node, info, type } of refs) {
        if (type === ReferenceTracker.CALL || type === ReferenceTracker.CONSTRUCT) this.tracked.set(node, info);
        else if (type === ReferenceTracker.READ) {
          const call = callThroughSequence(node);
          if (call) this.tracked.set(call, info);
          else this.#trackPromisified(node, info);
        }
      }
    };
    add(tracker.iterateEsmReferences(traceMap));
    add(tracker.iterateCjsReferences(traceMap));
    // `this.fs = fs`, `this.fs = options.fs || fs`: a field holding a file system module (a default an
    // option may replace), whose members the methods then call (`this.fs.promises.rename(…)`).
    for (const statement of program.body) {
      if (statement.type !== 'ImportDeclaration' || typeof statement.source.value !== 'string') continue;
      const module = statement.source.value;
      if (!Object.hasOwn(fsApiTable, module)) continue;
      for (const specifier of statement.specifiers)
        if (specifier.type !== 'ImportSpecifier') this.#noteFieldsHoldingBindingsOf(specifier, module);
    }
    // `Bun.write(tmp, data)`: a global of another runtime, declared in the config or not.
    for (const [name, members] of Object.entries(globalWriters)) {
      if (!sourceCode.text.includes(name)) continue;
      for (const ref of globalReferences(globalScope, name)) {
        const { found, call } = memberOn(ref.identifier as ESTree.Node, members) ?? {};
        if (found && call) this.tracked.set(call, { module: name, member: found });
      }
    }
    const requireVariable = globalScope.set.get('require');
    const requireRefs = globalReferences(globalScope, 'require');
    // ReferenceTracker follows only what an import or `require` of a constant name brings in: the
    // modules of the tables below are looked for only when the file imports one (not by its text).
    const sources = staticSources(program, requireRefs);
    if (Object.keys(instanceTraceMap).some((module) => sources.has(module))) {
      for (const found of [
        ...tracker.iterateEsmReferences(instanceTraceMap),
        ...tracker.iterateCjsReferences(instanceTraceMap),
      ])
        this.#trackInstance(found.node as ESTree.Node, found.info);
    }
    const uploads = Object.keys(uploadTraceMap).some((module) => sources.has(module));
    const addUploads = (refs: Iterable<{ node: Rule.Node; info: UploadParser; type: symbol }>): void => {
      for (const { node, info, type } of refs)
        if (type === ReferenceTracker.CALL || type === ReferenceTracker.CONSTRUCT)
          this.uploadsMade.push({ node: node as ESTree.CallExpression | ESTree.NewExpression, parser: info });
    };
    if (uploads) {
      addUploads(tracker.iterateEsmReferences(uploadTraceMap));
      addUploads(tracker.iterateCjsReferences(uploadTraceMap));
    }
    for (const ref of requireRefs) {
      const call = (ref.identifier as Rule.Node).parent;
      if (call?.type !== 'CallExpression' || call.callee !== ref.identifier) continue;
      const source = call.arguments[0] ? getStringIfConstant(call.arguments[0] as never) : null;
      // `const fs = require('fs'); … this.fs = opts.fs || fs`.
      const declarator = (call as Rule.Node).parent;
      if (source != null && Object.hasOwn(fsApiTable, source) && declarator?.type === 'VariableDeclarator')
        this.#noteFieldsHoldingBindingsOf(declarator, source);
      // `new (require('adm-zip'))(f)`, `const AdmZip = require('adm-zip')` where `require` is undeclared.
      const made = source != null ? instanceTraceMap[source] : undefined;
      if (made && !requireVariable) {
        for (const found of tracker.iteratePropertyReferences(call as ESTree.Expression, made))
          this.#trackInstance(found.node as ESTree.Node, found.info);
      }
      // Compiled CommonJS wraps the require: `__importDefault(require('fs')).default.x` (tsc, tslib),
      // `_interopRequireDefault(require('fs')).default.x` (Babel), `__importStar(require('fs')).x`.
      const wrapper = (call as Rule.Node).parent;
      const interop = isInteropCall(wrapper, call) ? wrapper : undefined;
      // `const fsExtra = __importStar(require('fs-extra'))` (a namespace: the module's own members).
      const namespaceOf =
        interop && /importStar|[Ww]ildcard|interopNamespace/.test(calleeName(interop.callee) ?? '')
          ? (interop as Rule.Node).parent
          : undefined;
      if (source != null && Object.hasOwn(fsApiTable, source) && namespaceOf?.type === 'VariableDeclarator')
        this.#noteFieldsHoldingBindingsOf(namespaceOf, source);
      // Rollup wraps the binding instead: `var fs = require('fs'); var fs__default =
      // _interopDefaultLegacy(fs)`, then `fs__default["default"].x` (also `_interopNamespace(fs)`).
      const interops = interop ? [interop] : this.#interopsOfBinding(declarator, call);
      // `new adm_zip_1.default(f)` of `adm_zip_1 = __importDefault(require('adm-zip'))`.
      const madeOrDefault = made && { ...made, default: made };
      if (madeOrDefault)
        for (const wrapped of interops)
          for (const found of tracker.iteratePropertyReferences(wrapped as ESTree.Expression, madeOrDefault))
            this.#trackInstance(found.node as ESTree.Node, found.info);
      const uploadMap = uploads && source != null ? uploadTraceMap[source] : undefined;
      if (uploadMap && !requireVariable)
        addUploads(tracker.iteratePropertyReferences(call as ESTree.Expression, uploadMap));
      const uploadOrDefault = uploadMap && { ...uploadMap, default: uploadMap };
      if (uploadOrDefault)
        for (const wrapped of interops)
          addUploads(tracker.iteratePropertyReferences(wrapped as ESTree.Expression, uploadOrDefault));
      const subMap = source != null ? traceMap[source] : undefined;
      if (!subMap || source == null) continue;
      // ReferenceTracker only follows `require` when it is a declared global. In TypeScript files and
      // in configs without Node globals it is not, so follow unresolved `require('fs')` calls ourselves.
      if (!requireVariable) add(tracker.iteratePropertyReferences(call as ESTree.Expression, subMap));
      const subOrDefault = { ...subMap, default: subMap };
      const wrappedMap = interop ? subOrDefault : subMap;
      for (const wrapped of interops)
        add(tracker.iteratePropertyReferences(wrapped as ESTree.Expression, subOrDefault));
      for (const getterCall of moduleGetterCalls(interop ?? call, sourceCode))
        add(tracker.iteratePropertyReferences(getterCall, wrappedMap));
      for (const getterCall of bundlerDefaultGetters(call, sourceCode))
        add(tracker.iteratePropertyReferences(getterCall, wrappedMap));
      // tsc's and Babel's CommonJS form of `await import('fs')`:
      // `await Promise.resolve().then(() => __importStar(require('fs')))`.
      const lazy = compiledImportPromise(interop ?? call);
      const awaited = lazy && (lazy as Rule.Node).parent;
      if (awaited?.type === 'AwaitExpression' || isCompiledAwait(awaited))
        add(tracker.iteratePropertyReferences(awaited as ESTree.Expression, { ...subMap, default: subMap }));
      // `this.fs = require('fs')`.
      this.#noteFieldHolding(call as ESTree.Node, source);
    }
    // `const { rename } = await import('node:fs/promises')`, `const fs = await import('fs')`: a module
    // imported where it is used (ESM's lazy imports, bundlers' code splitting).
    for (const match of sourceCode.text.matchAll(dynamicImport)) {
      const source = match[2] ?? '';
      const subMap = traceMap[source];
      const node = subMap && sourceCode.getNodeByRangeIndex(match.index ?? 0);
      const awaited = node?.type === 'ImportExpression' ? (node as Rule.Node).parent : undefined;
      // Compiled `await` (Babel's and tsc's `yield` in an async-to-generator body) too.
      if (subMap && (awaited?.type === 'AwaitExpression' || isCompiledAwait(awaited)))
        add(tracker.iteratePropertyReferences(awaited as ESTree.Expression, { ...subMap, default: subMap }));
    }
    // `process.getBuiltinModule('node:fs')` (Node 20.16+, 22.3+), also through a module's own getter of
    // builtins (`const { rename } = getBuiltin('node:fs/promises')`, as packem's CommonJS shims write it).
    for (const { call, source } of builtinModuleCalls(program, globalScope, (m) => Object.hasOwn(traceMap, m))) {
      const subMap = traceMap[source];
      if (subMap) add(tracker.iteratePropertyReferences(call, { ...subMap, default: subMap }));
    }
    // TypeScript's `import fs = require('fs')`.
    for (const statement of program.body as Array<
      ESTree.Node & { moduleReference?: { type: string; expression?: ESTree.Node } }
    >) {
      if ((statement.type as string) !== 'TSImportEqualsDeclaration') continue;
      const ref = statement.moduleReference;
      const source =
        ref?.type === 'TSExternalModuleReference' && ref.expression
          ? getStringIfConstant(ref.expression as never)
          : null;
      const subMap = source != null ? traceMap[source] : undefined;
      if (!subMap) continue;
      for (const variable of sourceCode.getDeclaredVariables(statement)) {
        for (const reference of variable.references) {
          if (reference.isRead())
            add(tracker.iteratePropertyReferences(reference.identifier as ESTree.Expression, subMap));
        }
      }
    }
  }

  /**
   * The interop calls wrapping the binding a `require` call initialises (`var fs = require('fs'); var
   * fs__default = _interopDefaultLegacy(fs)`, Rollup's CommonJS output): each is the module, or an
   * object whose `default` is.
   */
  #interopsOfBinding(declarator: Rule.Node | null | undefined, call: ESTree.CallExpression): ESTree.CallExpression[] {
    if (declarator?.type !== 'VariableDeclarator' || declarator.init !== call || declarator.id.type !== 'Identifier')
      return [];
    const calls: ESTree.CallExpression[] = [];
    for (const variable of this.#sourceCode.getDeclaredVariables(declarator))
      for (const reference of variable.references) {
        const parent = (reference.identifier as Rule.Node).parent;
        if (reference.isRead() && isInteropCall(parent, reference.identifier as ESTree.Node)) calls.push(parent);
      }
    return calls;
  }

  /**
   * Calls of an `instanceTable` module's members on an object it made: `new AdmZip(f).extractAllTo(d)`,
   * or through a never-reassigned binding of it (`const zip = new AdmZip(f); zip.extractAllTo(d)`),
   * maybe bound and promisified.
   */
  #trackInstance(created: ESTree.Node, module: string): void {
    const members = instanceTable[module] ?? [];
    const chained = chainedInstanceModules.has(module);
    const track = (object: ESTree.Node, depth: number): void => {
      const { found, access, call } = memberOn(object, members) ?? {};
      if (found?.saves && call) {
        const path = call.arguments[found.path ?? 0];
        if (path && path.type !== 'SpreadElement') this.#trackSaves(call, found.saves, module, path as ESTree.Node);
      } else if (found && call) this.tracked.set(call, { module, member: found });
      // `sharp(x).resize(9).toFile(p)`: another method returns the object.
      else if (chained && depth < 32) {
        const link = (object as Rule.Node).parent;
        const next = link?.type === 'MemberExpression' && link.object === object ? link.parent : undefined;
        if (next?.type === 'CallExpression' && next.callee === link) track(next, depth + 1);
      }
      // `util.promisify(zip.extractAllToAsync.bind(zip))(dir, …)`: the method bound, then promisified.
      const bind = access && (access as Rule.Node).parent;
      const bound = bind?.parent;
      if (
        found &&
        bind?.type === 'MemberExpression' &&
        bind.object === access &&
        propertyName(bind) === 'bind' &&
        bound?.type === 'CallExpression' &&
        bound.callee === bind
      )
        this.#trackPromisified(bound, { module, member: found });
      // Through a never-reassigned binding of it (`const zip = new AdmZip(f)`, `const img = sharp(f).rotate()`),
      // or for a chained module's object, one reassigned too (`pipeline = pipeline.rotate()`, or
      // `pipeline = await apply(pipeline, op)`): `toFile` of a binding that held a sharp object is sharp's.
      if (depth < 32) for (const read of this.#readsOfHolder(object, chained)) track(read, depth + 1);
    };
    track(created, 0);
    for (const read of this.#readsOfResolved(created, module)) track(read, 1);
  }

  /**
   * The reads of the object a making call hands to the function that runs when it completes: its
   * `.then` handler's first parameter (`rollup(o).then((bundle) => bundle.write(…))`), or, for a module
   * whose makers take a node-style callback, that callback's second (`Jimp.read(src, (err, image) =>
   * image.write(out))`).
   */
  #readsOfResolved(made: ESTree.Node, module: string): ESTree.Node[] {
    if (made.type !== 'CallExpression') return [];
    const handler = completion(made, { style: callbackInstanceModules.has(module) ? 'universal' : 'promise' });
    if (!handler || handler === 'now') return [];
    const callback = handler === made.arguments[made.arguments.length - 1];
    const parameter = handler.params[callback ? 1 : 0];
    if (parameter?.type !== 'Identifier') return [];
    return this.#readsOf(findVariable(this.#sourceCode.getScope(handler), parameter), false);
  }

  /**
   * `project.createSourceFile(path, text).save()`, or through a never-reassigned binding of the made
   * object (`const sf = project.createSourceFile(path, …); await sf.save()`): a write of `path`.
   */
  #trackSaves(made: ESTree.CallExpression, saves: readonly FsMember[], module: string, path: ESTree.Node): void {
    const track = (object: ESTree.Node): void => {
      const { found, call } = memberOn(object, saves) ?? {};
      if (found && call) this.tracked.set(call, { module, member: found, pathNode: path });
    };
    track(made);
    for (const read of this.#readsOfHolder(made, false)) track(read);
  }

  /**
   * The reads of the binding declared with `value` as its initialiser (`const zip = new AdmZip(f)`),
   * never reassigned unless `reassigned` allows it; none when `value` initialises no plain binding.
   */
  #readsOfHolder(value: ESTree.Node, reassigned: boolean): ESTree.Node[] {
    // `const bundle = await rollup(options)`: the promise's value is held.
    const parent = (value as Rule.Node).parent;
    const held = parent?.type === 'AwaitExpression' ? parent : value;
    const holder = (held as Rule.Node).parent;
    if (holder?.type !== 'VariableDeclarator' || holder.init !== held || holder.id.type !== 'Identifier') return [];
    return this.#readsOf(this.#sourceCode.getDeclaredVariables(holder)[0], reassigned);
  }

  /** The reads of `variable`, never reassigned unless `reassigned` allows it. */
  #readsOf(variable: Scope.Variable | null | undefined, reassigned: boolean): ESTree.Node[] {
    if (!variable || (!reassigned && !neverReassigned(variable))) return [];
    return variable.references.filter((ref) => ref.isRead()).map((ref) => ref.identifier as ESTree.Node);
  }

  /**
   * Injected file systems: an object (a parameter, `this.fs`, a variable) on which the file calls a
   * write-shaped member and `rename` of the same file is a file system for those calls, its
   * `fsync`/`fdatasync` calls included (webpack's `this.fs`, `compiler.intermediateFileSystem`).
   */
  trackInjected(calls: ReadonlyArray<ESTree.CallExpression | ESTree.NewExpression>): void {
    const groups = new Map<
      string,
      {
        calls: Array<[ESTree.CallExpression, string]>;
        written: Map<string, FileKey>;
        opened: Set<string>;
        renamed: Map<string, FileKey>;
      }
    >();
    for (const call of calls) {
      if (call.type !== 'CallExpression' || this.tracked.has(call)) continue;
      // `fs.retry.rename(options)(a, b)` (stubborn-fs): the curried wrapper's second call is the fs call.
      const parent = (call as Rule.Node).parent;
      if (parent?.type === 'CallExpression' && parent.callee === call) continue;
      const inner = calleeExpression(call.callee as ESTree.Node);
      const callee = inner.type === 'CallExpression' ? calleeExpression(inner.callee as ESTree.Node) : inner;
      const held =
        callee.type === 'MemberExpression'
          ? { holder: callee.object as ESTree.Node, name: propertyName(callee) }
          : callee.type === 'Identifier'
            ? this.#destructured(callee)
            : undefined;
      const name = held?.name;
      const member = name ? fsMembers.get(name) : undefined;
      if (!held || !name || !member || this.infoOf(call)) continue;
      const typed = held.holder && this.#typedMember(held.holder, name);
      if (typed === 'other') continue;
      if (typed === 'fs') {
        this.tracked.set(call, { module: 'fs', member: injectedMember(call, name) });
        continue;
      }
      const scope = this.#sourceCode.getScope(call);
      const localClass = held.holder && localClassOf(held.holder, scope);
      if (localClass && !this.#reachesFs(localClass)) continue;
      const object = 'object' in held ? held.object : this.#keys.of(held.holder as ESTree.Node, scope);
      if (!object) continue;
      // `x.promises` is the same file system as `x`.
      const system = (object.objectOf('promises') ?? object).id;
      let group = groups.get(system);
      if (!group)
        groups.set(system, (group = { calls: [], written: new Map(), opened: new Set(), renamed: new Map() }));
      group.calls.push([call, name]);
      const path = member.path !== undefined ? (call.arguments[member.path] as ESTree.Node | undefined) : undefined;
      const file: FileKey | undefined = path && path.type !== 'SpreadElement' ? this.#keys.of(path, scope) : undefined;
      // `x.write(id, entry)` names no file by path (fs's `write` takes a descriptor): only a
      // descriptor the same object opened makes it a write (a log store's `write`/`rename` by id is not fs).
      if (file && (member.kind === 'write' || member.kind === 'stream') && !member.descriptor) {
        group.written.set(file.id, file);
        for (const other of this.#keys.alternativesOf(path as ESTree.Node, scope)) group.written.set(other.id, other);
      }
      if (file && member.kind === 'open') {
        group.opened.add(file.id);
        // Opened for writing by path (`x.promises.open(tmp, 'w')`, `O_WRONLY | O_CREAT`): its handle's
        // writes are made through another object (`handle.writeFile(d)`), the file is this one's.
        const flags =
          member.flags !== undefined ? (call.arguments[member.flags] as ESTree.Node | undefined) : undefined;
        if (flags && flags.type !== 'SpreadElement' && opensForWriting(flags, scope)) group.written.set(file.id, file);
      }
      if (file && member.kind === 'rename') group.renamed.set(file.id, file);
    }
    for (const group of groups.values()) {
      // A file written by path, or opened and written through a descriptor of the same object, or a
      // directory renamed after files were written inside it (`x.copyFile(a, join(dir, n)); x.rename(dir, to)`).
      const written = (key: FileKey): boolean =>
        group.written.has(key.id) ||
        (group.opened.has(key.id) && group.calls.some(([, n]) => fsMembers.get(n)?.kind === 'write')) ||
        [...group.written.values()].some((w) => isInside(w, key));
      if (![...group.renamed.values()].some(written)) continue;
      for (const [call, name] of group.calls)
        this.tracked.set(call, { module: 'fs', member: injectedMember(call, name) });
    }
  }

  /**
   * A member destructured from an object, `const { fs: { renameAsync } } = sys` or a parameter's
   * pattern (`({ fs: { writeFileSync } }) => …`): its name, the object's key (`sys.fs`) and, when the
   * member is a field of the declaration's value itself, that value (whose type or class is asked).
   */
  #destructured(
    id: ESTree.Identifier,
  ): { holder: ESTree.Node | undefined; name: string; object: FileKey | undefined } | undefined {
    const variable = findVariable(this.#sourceCode.getScope(id), id);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!def || (def.type !== 'Variable' && def.type !== 'Parameter') || !neverReassigned(variable as Scope.Variable))
      return undefined;
    const fields: string[] = [];
    let node = def.name as Rule.Node;
    for (;;) {
      if (node.parent?.type === 'AssignmentPattern' && node.parent.left === node) node = node.parent;
      const property = node.parent;
      if (property?.type !== 'Property' || property.value !== node || property.parent.type !== 'ObjectPattern') break;
      const field = propertyKeyName(property);
      if (field === undefined) return undefined;
      fields.unshift(field);
      node = property.parent as Rule.Node;
    }
    const name = fields.pop();
    if (name === undefined) return undefined;
    if (def.type === 'Variable') {
      const init = def.node.init as ESTree.Node | null | undefined;
      if (def.node.id !== node || !init) return undefined;
      const base = this.#keys.of(init, this.#sourceCode.getScope(init));
      return { holder: fields.length === 0 ? init : undefined, name, object: base && memberKey(base, fields) };
    }
    const fn = def.node as ESTree.Function;
    const index = fn.params.indexOf(node as ESTree.Pattern);
    if (index < 0) return undefined;
    // The parameter has no name of its own: the function and position name it.
    return {
      holder: undefined,
      name,
      object: memberKey(new FileKey(term.binding(`param@${fn.range?.[0]}:${index}`)), fields),
    };
  }

  /**
   * What typed linting says `object.name` is: a member of Node's fs (`typeof fs`, `Pick<typeof fs, …>`)
   * or of an fs layer mirroring it, declared by a library that is something else (nx's `Tree`, a
   * MongoDB `Collection`), or nothing known (no types, `any`, the project's own code, which the
   * local-class test decides). FileHandle methods take no path: the descriptor model handles them.
   */
  #typedMember(object: ESTree.Node, name: string): 'fs' | 'other' | undefined {
    const services = this.#sourceCode.parserServices as Partial<TypedServices> | undefined;
    const checker = services?.program?.getTypeChecker();
    const tsNode = checker && services?.esTreeNodeToTSNodeMap?.get(object);
    if (!checker || !tsNode) return undefined;
    const type = checker.getTypeAtLocation(tsNode);
    const declarations = checker.getPropertyOfType(type.getNonNullableType(), name)?.declarations ?? [];
    if (declarations.length === 0) return undefined;
    const fromFs = declarations.filter((d) => fsDeclarations.test(d.getSourceFile().fileName.replaceAll('\\', '/')));
    if (fromFs.length > 0) return fromFs.some((d) => fileHandleTypes.has(d.parent?.name?.text ?? '')) ? 'other' : 'fs';
    return declarations.every((d) => d.getSourceFile().isDeclarationFile) ? 'other' : undefined;
  }

  /** Does code inside `node` call the fs API (a local class whose methods write through `fs`)? */
  #reachesFs(node: ESTree.Node): boolean {
    const [start, end] = node.range ?? [0, 0];
    for (const call of this.tracked.keys()) {
      const at = call.range?.[0] ?? -1;
      if (at >= start && at < end) return true;
    }
    return false;
  }

  /** Follows `promisify(fs.x)(…)` and `const xAsync = promisify(fs.x); xAsync(…)`. */
  #trackPromisified(read: Rule.Node, info: TrackedFunction): void {
    // A member bound by name (`const { writeFile } = require('fs')`, `import { writeFile } from 'fs'`):
    // ReferenceTracker reads it once, at the pattern; `promisify(writeFile)` reads its binding.
    const bound =
      read.type === 'Property' && read.value.type === 'Identifier'
        ? read.value
        : read.type === 'ImportSpecifier'
          ? read.local
          : undefined;
    if (bound) {
      const variable = findVariable(this.#sourceCode.getScope(read), bound);
      for (const reference of variable?.references ?? [])
        if (reference.isRead()) this.#trackPromisified(reference.identifier as Rule.Node, info);
      return;
    }
    if (this.#trackHeldInObject(read, info)) return;
    const wrapper = read.parent ?? undefined;
    const twin = promisified(info);
    if (!twin || !isPromisifyCall(wrapper, read)) return;
    const parent = (wrapper as Rule.Node).parent;
    if (parent?.type === 'CallExpression' && parent.callee === wrapper) {
      this.tracked.set(parent, twin);
    } else if (parent?.type === 'VariableDeclarator' && parent.init === wrapper) {
      for (const variable of this.#sourceCode.getDeclaredVariables(parent)) {
        for (const reference of variable.references) {
          const call = (reference.identifier as Rule.Node).parent;
          if (call?.type === 'CallExpression' && call.callee === reference.identifier) this.tracked.set(call, twin);
        }
      }
    }
  }

  /**
   * `const ops = { write: fs.writeFileSync, move: fs.renameSync }` (also a member bound by name, `{ writeFile }`):
   * a call `ops.write(…)` of a local object that is never reassigned calls the member its property holds.
   */
  #trackHeldInObject(read: Rule.Node, info: TrackedFunction): boolean {
    const property = read.parent;
    const object = property?.parent;
    const declarator = object?.parent;
    if (
      property?.type !== 'Property' ||
      property.value !== read ||
      property.kind !== 'init' ||
      object?.type !== 'ObjectExpression' ||
      declarator?.type !== 'VariableDeclarator' ||
      declarator.init !== object ||
      declarator.id.type !== 'Identifier'
    )
      return false;
    const name = propertyKeyName(property);
    if (name === undefined) return false;
    for (const variable of this.#sourceCode.getDeclaredVariables(declarator)) {
      if (!neverReassigned(variable)) continue;
      for (const reference of variable.references) {
        const member = (reference.identifier as Rule.Node).parent;
        const call = member?.parent;
        if (
          member?.type === 'MemberExpression' &&
          member.object === reference.identifier &&
          propertyName(member) === name &&
          call?.type === 'CallExpression' &&
          call.callee === member
        )
          this.tracked.set(call, info);
      }
    }
    return true;
  }

  /** Each use of the bindings `declaration` declares (an import's, a `const fs = require('fs')`'s) that a field is set to. */
  #noteFieldsHoldingBindingsOf(declaration: ESTree.Node, module: string): void {
    for (const variable of this.#sourceCode.getDeclaredVariables(declaration))
      for (const ref of variable.references) this.#noteFieldHolding(ref.identifier as ESTree.Node, module);
  }

  /**
   * `this.fs = require('fs')`, `this.fs = fs` or `this.fs = options.fs ?? fs` for `node`, a reference to
   * file system `module` or its `require` call: the field is an alias of the module.
   */
  #noteFieldHolding(node: ESTree.Node, module: string): void {
    let value = node;
    let parent = (node as Rule.Node).parent as ESTree.Node | undefined;
    if (parent?.type === 'LogicalExpression' && parent.right === value && parent.operator !== '&&') {
      value = parent;
      parent = (parent as Rule.Node).parent as ESTree.Node | undefined;
    }
    // `constructor(fs = fsExtra) { this.fs = fs }`: a parameter whose default is the module.
    if (parent?.type === 'AssignmentPattern' && parent.right === value && parent.left.type === 'Identifier') {
      const variable = findVariable(this.#sourceCode.getScope(parent.left), parent.left);
      for (const reference of this.#readsOf(variable, false)) this.#noteFieldHolding(reference, module);
      return;
    }
    if (parent?.type !== 'AssignmentExpression' || parent.right !== value || parent.left.type !== 'MemberExpression')
      return;
    const key = this.#keys.of(parent.left, this.#sourceCode.getScope(parent));
    if (key) this.#moduleAliases.set(key.id, module);
  }

  /** `self.fs.rename(…)` where `this.fs = require('fs')`. */
  #aliasedMember(callee: ESTree.MemberExpression): TrackedFunction | undefined {
    if (this.#moduleAliases.size === 0) return undefined;
    const name = propertyName(callee);
    if (!name || !this.#aliasedMemberNames().has(name)) return undefined;
    const object = this.#keys.of(callee.object as ESTree.Node, this.#sourceCode.getScope(callee));
    if (!object) return undefined;
    let module = this.#moduleAliases.get(object.id);
    const promisesOf = object.objectOf('promises');
    if (module === undefined && promisesOf) {
      const base = this.#moduleAliases.get(promisesOf.id);
      if (base !== undefined) module = `${base}.promises`;
    }
    const member = module === undefined ? undefined : fsApiTable[module]?.find((m) => m.name === name);
    return module !== undefined && member ? { module, member } : undefined;
  }
}

/** The part of typescript-eslint's parser services and TypeScript's checker that types are read through. */
interface TypedServices {
  readonly program: { getTypeChecker(): TypeChecker };
  readonly esTreeNodeToTSNodeMap: { get(node: ESTree.Node): unknown };
}
interface TsType {
  getNonNullableType(): TsType;
}
interface TsDeclaration {
  getSourceFile(): { readonly fileName: string; readonly isDeclarationFile: boolean };
  readonly parent?: { readonly name?: { readonly text?: string } };
}
interface TypeChecker {
  getTypeAtLocation(node: unknown): TsType;
  getPropertyOfType(type: TsType, name: string): { readonly declarations?: readonly TsDeclaration[] } | undefined;
}

/**
 * Declaration files of Node's fs API and of the fs layers that mirror it (fs-extra, graceful-fs, memfs,
 * Yarn's fslib with its `FakeFS`): a member declared there is the fs API, whatever the variable is called.
 */
const fsDeclarations =
  /\/node_modules\/(?:@types\/node\/fs(?:\/promises)?\.d\.ts$|@types\/(?:fs-extra|graceful-fs)\/|(?:fs-extra|graceful-fs|memfs|@yarnpkg\/fslib)\/)/;

/** Descriptor-like types of those modules: their methods act on the file they were opened on. */
const fileHandleTypes = new Set(['FileHandle', 'WriteStream']);

type Annotated = ESTree.Node & { typeAnnotation?: { typeAnnotation?: { type: string; typeName?: ESTree.Node } } };

/** The class a TypeScript type annotation names, when it is declared in this file. */
function annotatedClass(node: Annotated | undefined | null, scope: Scope.Scope): ESTree.Node | undefined {
  const type = node?.typeAnnotation?.typeAnnotation;
  return type?.type === 'TSTypeReference' && type.typeName?.type === 'Identifier'
    ? declaredClass(type.typeName.name, scope)
    : undefined;
}

function declaredClass(name: string, scope: Scope.Scope): ESTree.Node | undefined {
  const def = findVariable(scope, name)?.defs[0];
  if (def?.type === 'ClassName') return def.node as ESTree.Node;
  const init = def?.type === 'Variable' ? def.node.init : undefined;
  return init?.type === 'ClassExpression' ? init : undefined;
}

/**
 * The class declared in this file that an object is an instance of, by its annotation or its
 * `new` (`store: MemoryStore`, `const store = new MemoryStore()`, `this` inside it, a field of
 * `this` declared with one). Its methods are the file's own code: they are a file system only if
 * they reach one.
 */
function localClassOf(object: ESTree.Node, scope: Scope.Scope): ESTree.Node | undefined {
  const node = unwrap(object);
  if (node.type === 'ThisExpression' || (node.type === 'MemberExpression' && node.object.type === 'ThisExpression')) {
    let around: ESTree.Node | null | undefined = node;
    while (around && around.type !== 'ClassBody') around = (around as Rule.Node).parent;
    if (!around) return undefined;
    if (node.type === 'ThisExpression') return (around as Rule.Node).parent ?? undefined;
    const name = propertyName(node);
    for (const element of around.body as Annotated[]) {
      const field = element as Annotated & { key?: ESTree.Node; value?: ESTree.Node | null };
      if (field.type === 'PropertyDefinition' && field.key?.type === 'Identifier' && field.key.name === name) {
        return annotatedClass(field, scope) ?? newedClass(field.value, scope);
      }
      // `constructor(private store: MemoryStore)`
      if (field.type === 'MethodDefinition' && (field as ESTree.MethodDefinition).kind === 'constructor') {
        for (const param of (field as ESTree.MethodDefinition).value.params as Array<
          Annotated & { parameter?: Annotated & { name?: string } }
        >) {
          if ((param.type as string) === 'TSParameterProperty' && param.parameter?.name === name)
            return annotatedClass(param.parameter, scope);
        }
      }
    }
    return undefined;
  }
  if (node.type !== 'Identifier') return undefined;
  const variable = findVariable(scope, node.name);
  const def = variable?.defs[0];
  if (!def || variable.defs.length !== 1) return undefined;
  if (def.type === 'Parameter') return annotatedClass(def.name as Annotated, scope);
  if (def.type === 'Variable')
    return annotatedClass(def.node.id as Annotated, scope) ?? newedClass(def.node.init, scope);
  return undefined;
}

const newedClass = (init: ESTree.Node | null | undefined, scope: Scope.Scope): ESTree.Node | undefined =>
  init?.type === 'NewExpression' && init.callee.type === 'Identifier'
    ? declaredClass(init.callee.name, scope)
    : undefined;

/** The key of `object.a.b` for `fields` `['a', 'b']`. */
const memberKey = (object: FileKey, fields: readonly string[]): FileKey =>
  fields.reduce((key, field) => new FileKey(term.member(key.term, field)), object);

/**
 * The member an injected file system's call stands for: Sync by name, callback when given one, else
 * a promise. A copy, never the table's own object: fixes must not treat the object as Node's `fs`.
 */
function injectedMember(call: ESTree.CallExpression, name: string): FsMember {
  const member = fsMembers.get(name) as FsMember;
  if (member.style === 'sync' || isFunctionNode(call.arguments[call.arguments.length - 1] as ESTree.Node))
    return { ...member };
  const promised = promiseMembers.get(name);
  if (promised) return { ...promised };
  return { ...member, style: promiseCompletion(call) === 'now' ? 'promise' : member.style };
}

/**
 * The promise of a compiled dynamic import whose module `value` is (`Promise.resolve().then(() =>
 * __importStar(require('fs')))`, also with a `function () { return … }` handler): the `.then` call.
 */
function compiledImportPromise(value: ESTree.Node): ESTree.Node | undefined {
  let fn = (value as Rule.Node).parent as ESTree.Node | undefined;
  if (fn?.type === 'ReturnStatement') {
    const block = (fn as Rule.Node).parent;
    fn =
      block?.type === 'BlockStatement' && block.body.length === 1
        ? ((block as Rule.Node).parent ?? undefined)
        : undefined;
  } else if (fn?.type !== 'ArrowFunctionExpression' || fn.body !== value) return undefined;
  if (!fn || !isFunctionNode(fn) || fn.params.length > 0) return undefined;
  const then = (fn as Rule.Node).parent;
  if (then?.type !== 'CallExpression' || then.arguments[0] !== fn || then.callee.type !== 'MemberExpression')
    return undefined;
  const resolved = then.callee.object;
  return propertyName(then.callee) === 'then' &&
    resolved.type === 'CallExpression' &&
    resolved.arguments.length === 0 &&
    resolved.callee.type === 'MemberExpression' &&
    resolved.callee.object.type === 'Identifier' &&
    resolved.callee.object.name === 'Promise' &&
    propertyName(resolved.callee) === 'resolve'
    ? then
    : undefined;
}

/** A `yield` that is an `await` compiled to a generator (`_asyncToGenerator(function* () { … })`). */
const isCompiledAwait = (node: ESTree.Node | null | undefined): boolean =>
  node?.type === 'YieldExpression' && !node.delegate && isCompiledAsyncBody(enclosingFunction(node));

/**
 * `object.m` with `m` among `members`: the member, the access, and its call when it is called there
 * (`object.m(…)`; not when bound first, `object.m.bind(object)`).
 */
function memberOn(
  object: ESTree.Node,
  members: readonly FsMember[],
): { found: FsMember; access: ESTree.MemberExpression; call?: ESTree.CallExpression } | undefined {
  const access = (object as Rule.Node).parent;
  if (access?.type !== 'MemberExpression' || access.object !== object) return undefined;
  const found = members.find((m) => m.name === propertyName(access));
  if (!found) return undefined;
  const call = access.parent;
  return call?.type === 'CallExpression' && call.callee === access ? { found, access, call } : { found, access };
}
