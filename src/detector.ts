/**
 * The detection engine: turns a program into findings "this rename publishes a file written there,
 * and on some path no fsync of it happened in between". The rule reports findings; the codemod
 * rewrites them. Nothing here knows about messages or fixes.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { ReferenceTracker, getStringIfConstant } from '@eslint-community/eslint-utils';
import {
  buildTraceMap,
  fileHandleMembers,
  fsApiTable,
  isSyncOpenFlag,
  mayContainRename,
  syncOpenConstants,
  type CustomFunctions,
  type FsMember,
  type TrackedFunction,
} from './fs-api.js';
import { FileKeys, calleeName, propertyName, type FileKey } from './file-key.js';
import { isFunctionNode, type FunctionNode } from './ast.js';
import { FlowGraph, type FlowEvent } from './flow.js';
import { anyFile, summarizeLocalFunctions, type SummarisedCall } from './summaries.js';

/** One unsynced write → rename. */
export interface UnsyncedRename {
  /** The rename (or move) call that publishes the file. */
  readonly rename: ESTree.CallExpression;
  /** The function called for the rename, as the API names it (`renameSync`, `move`). */
  readonly renameName: string;
  /** The earliest write with a path to the rename that has no fsync on it. */
  readonly write: ESTree.Node;
  /** The function that wrote (`writeFile`, `write`, `createWriteStream`). */
  readonly writeName: string;
  /** The path expression of the rename's source, as written. */
  readonly file: ESTree.Node;
  /** How the rename's module member is described in the fs API table. */
  readonly renameMember: FsMember;
  /** How the write is described in the fs API table (FileHandle members included). */
  readonly writeMember: FsMember;
  /** Some other path from the write to the rename does fsync the file: the sync is missing on some paths only. */
  readonly syncedOnSomePath: boolean;
}

export type DetectorOptions = CustomFunctions;

/** What a variable or member chain holding a descriptor, FileHandle or WriteStream refers to. */
interface Handle {
  readonly file: FileKey;
  /** Opened with `O_SYNC`/`O_DSYNC`/`'rs+'`/`'as'`: every write is durable on return. */
  readonly syncWrites: boolean;
  readonly kind: 'descriptor' | 'stream';
  /** WriteStream created with `flush: true`: durable once closed. */
  readonly flushOnClose: boolean;
}

type Call = ESTree.CallExpression & Rule.NodeParentExtension;

/** Module-interop helpers that compilers wrap around `require()`. */
const interopHelpers = /^_*(?:interopRequire(?:Default|Wildcard)|interop_require_(?:default|wildcard)|importDefault|importStar)$/;

const unwrap = (node: ESTree.Node): ESTree.Node => {
  let n = node as ESTree.Node & { expression?: ESTree.Node };
  while (
    (n.type as string) === 'TSAsExpression' ||
    (n.type as string) === 'TSNonNullExpression' ||
    (n.type as string) === 'TSSatisfiesExpression' ||
    (n.type as string) === 'TSTypeAssertion' ||
    n.type === 'ChainExpression'
  ) {
    n = n.expression as ESTree.Node & { expression?: ESTree.Node };
  }
  return n;
};

/** `x.then(a, b)` / `x.catch(b)` / `x.finally(c)`: the promise `x` and the handlers. */
function promiseHandlers(node: ESTree.Node): { promise: ESTree.Node; handlers: ESTree.Node[] } | undefined {
  const call = unwrap(node);
  if (call.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return undefined;
  const name = propertyName(call.callee);
  if (name !== 'then' && name !== 'catch' && name !== 'finally') return undefined;
  return { promise: call.callee.object as ESTree.Node, handlers: call.arguments as ESTree.Node[] };
}

/** Is a literal `flush: true` in an options object? */
function hasFlushTrue(options: ESTree.Node | undefined): boolean {
  if (!options || options.type !== 'ObjectExpression') return false;
  return options.properties.some(
    (p) =>
      p.type === 'Property' &&
      !p.computed &&
      ((p.key.type === 'Identifier' && p.key.name === 'flush') || (p.key.type === 'Literal' && p.key.value === 'flush')) &&
      p.value.type === 'Literal' &&
      p.value.value === true,
  );
}

/** Does an open flags expression make writes synchronous? (`'rs+'`, `'as'`, `O_SYNC | …`) */
function opensForSyncWrites(flags: ESTree.Node | undefined, scope: Scope.Scope): boolean {
  if (!flags) return false;
  const value = getStringIfConstant(flags as never, scope);
  if (typeof value === 'string' && isSyncOpenFlag(value)) return true;
  let found = false;
  const visit = (n: ESTree.Node): void => {
    if (found) return;
    if (n.type === 'MemberExpression') {
      const name = propertyName(n);
      if (name && syncOpenConstants.has(name)) found = true;
      else visit(n.object as ESTree.Node);
    } else if (n.type === 'Identifier' && syncOpenConstants.has(n.name)) found = true;
    else if (n.type === 'BinaryExpression') {
      visit(n.left as ESTree.Node);
      visit(n.right);
    }
  };
  visit(flags);
  return found;
}

/**
 * Runs the engine over one file. Returns the listeners to merge into a rule; `onFinding` is called at
 * `Program:exit` once per unsynced rename, in source order. Files that never mention rename/move
 * get no listeners at all.
 */
export function findUnsyncedRenames(
  context: Rule.RuleContext,
  options: DetectorOptions,
  onFinding: (finding: UnsyncedRename) => void,
): Rule.RuleListener {
  const sourceCode: SourceCode = context.sourceCode;
  const customNames = [...(options.rename ?? [])].map((f) => f.name);
  if (!mayContainRename(sourceCode.text, customNames)) return {};

  const flow = new FlowGraph();
  const keys = new FileKeys((node) => sourceCode.getScope(node));
  const tracked = new Map<ESTree.Node, TrackedFunction>();
  const handles = new Map<string, Handle>();
  const writes: Array<{ event: Extract<FlowEvent, { type: 'write' }>; member: FsMember }> = [];
  const renames: Array<{ event: Extract<FlowEvent, { type: 'rename' }>; member: FsMember; fileNode: ESTree.Node }> = [];

  const scopeOf = (node: ESTree.Node): Scope.Scope => sourceCode.getScope(node);

  /** Member chains that hold an fs-like module: `this.fs = require('fs')`, then `self.fs.rename(…)`. */
  const moduleAliases = new Map<string, string>();

  /** `promisify(fs.rename)`: the promise-returning twin of a callback member. */
  const promisified = (info: TrackedFunction): TrackedFunction | undefined =>
    info.member.style === 'callback' || info.member.style === 'universal'
      ? { module: info.module, member: { ...info.member, style: 'promise' } }
      : undefined;

  const isPromisifyCall = (node: ESTree.Node | undefined, arg: ESTree.Node): node is ESTree.CallExpression =>
    node?.type === 'CallExpression' && node.arguments[0] === arg && calleeName(node.callee) === 'promisify';

  /** Follows `promisify(fs.x)(…)` and `const xAsync = promisify(fs.x); xAsync(…)`. */
  const trackPromisified = (read: Rule.Node, info: TrackedFunction): void => {
    const wrapper = read.parent ?? undefined;
    const twin = promisified(info);
    if (!twin || !isPromisifyCall(wrapper, read)) return;
    const parent = (wrapper as Rule.Node).parent;
    if (parent?.type === 'CallExpression' && parent.callee === wrapper) {
      tracked.set(parent, twin);
    } else if (parent?.type === 'VariableDeclarator' && parent.init === wrapper) {
      for (const variable of sourceCode.getDeclaredVariables(parent)) {
        for (const reference of variable.references) {
          const call = (reference.identifier as Rule.Node).parent;
          if (call?.type === 'CallExpression' && call.callee === reference.identifier) tracked.set(call, twin);
        }
      }
    }
  };

  const trackImports = (program: ESTree.Program): void => {
    const globalScope = sourceCode.getScope(program);
    const traceMap = buildTraceMap(options);
    const tracker = new ReferenceTracker(globalScope, { mode: 'legacy' });
    const add = (refs: Iterable<{ node: Rule.Node; info: TrackedFunction; type: symbol }>): void => {
      for (const { node, info, type } of refs) {
        if (type === ReferenceTracker.CALL || type === ReferenceTracker.CONSTRUCT) tracked.set(node, info);
        else if (type === ReferenceTracker.READ) trackPromisified(node, info);
      }
    };
    add(tracker.iterateEsmReferences(traceMap));
    add(tracker.iterateCjsReferences(traceMap));
    const requireVariable = globalScope.set.get('require');
    const requireRefs = requireVariable
      ? requireVariable.references
      : globalScope.through.filter((ref) => ref.identifier.name === 'require');
    for (const ref of requireRefs) {
      const call = (ref.identifier as Rule.Node).parent;
      if (call?.type !== 'CallExpression' || call.callee !== ref.identifier) continue;
      const source = call.arguments[0] ? getStringIfConstant(call.arguments[0] as never) : null;
      const subMap = source != null ? traceMap[source] : undefined;
      if (!subMap || source == null) continue;
      // ReferenceTracker only follows `require` when it is a declared global. In TypeScript files and
      // in configs without Node globals it is not, so follow unresolved `require('fs')` calls ourselves.
      if (!requireVariable) add(tracker.iteratePropertyReferences(call as ESTree.Expression, subMap));
      // Compiled CommonJS wraps the require: `__importDefault(require('fs')).default.x` (tsc, tslib),
      // `_interopRequireDefault(require('fs')).default.x` (Babel), `__importStar(require('fs')).x`.
      const wrapper = (call as Rule.Node).parent;
      if (wrapper?.type === 'CallExpression' && wrapper.arguments[0] === call && interopHelpers.test(calleeName(wrapper.callee) ?? '')) {
        add(tracker.iteratePropertyReferences(wrapper as ESTree.Expression, { ...subMap, default: subMap }));
      }
      const assignment = (call as Rule.Node).parent;
      if (assignment?.type === 'AssignmentExpression' && assignment.left.type === 'MemberExpression') {
        const key = keys.of(assignment.left, scopeOf(assignment));
        if (key) moduleAliases.set(key.key, source);
      }
    }
    // TypeScript's `import fs = require('fs')`.
    for (const statement of program.body as Array<ESTree.Node & { moduleReference?: { type: string; expression?: ESTree.Node } }>) {
      if ((statement.type as string) !== 'TSImportEqualsDeclaration') continue;
      const ref = statement.moduleReference;
      const source = ref?.type === 'TSExternalModuleReference' && ref.expression ? getStringIfConstant(ref.expression as never) : null;
      const subMap = source != null ? traceMap[source] : undefined;
      if (!subMap) continue;
      for (const variable of sourceCode.getDeclaredVariables(statement)) {
        for (const reference of variable.references) {
          if (reference.isRead()) add(tracker.iteratePropertyReferences(reference.identifier as ESTree.Expression, subMap));
        }
      }
    }
  };

  /** Calls of the file's own functions that write, rename or sync (see src/summaries.ts). */
  let summarised = new Map<ESTree.Node, SummarisedCall>();

  /** `self.fs.rename(…)` where `this.fs = require('fs')`. */
  const aliasedMember = (callee: ESTree.MemberExpression): TrackedFunction | undefined => {
    if (moduleAliases.size === 0) return undefined;
    const name = propertyName(callee);
    const object = keys.of(callee.object as ESTree.Node, scopeOf(callee));
    if (!name || !object) return undefined;
    let module = moduleAliases.get(object.key);
    if (module === undefined && object.key.endsWith('.promises')) {
      const base = moduleAliases.get(object.key.slice(0, -'.promises'.length));
      if (base !== undefined) module = `${base}.promises`;
    }
    const member = module === undefined ? undefined : fsApiTable[module]?.find((m) => m.name === name);
    return module !== undefined && member ? { module, member } : undefined;
  };

  /** The key of the file an argument names: a path, or the path a descriptor/handle/stream was opened with. */
  const fileOf = (arg: ESTree.Node | undefined, scope: Scope.Scope): FileKey | undefined => {
    if (!arg || arg.type === 'SpreadElement') return undefined;
    const node = unwrap(arg);
    const handle = handleOf(node, scope);
    if (handle) return handle.file;
    // `fs.fsyncSync(fs.openSync(tmp, 'r+'))`
    if (node.type === 'CallExpression') {
      const info = tracked.get(node);
      if (info?.member.kind === 'open' && info.member.path !== undefined) return fileOf(node.arguments[info.member.path], scope);
    }
    return keys.of(node, scope);
  };

  const handleOf = (node: ESTree.Node, scope: Scope.Scope): Handle | undefined => {
    const n = unwrap(node);
    if (n.type === 'MemberExpression' && propertyName(n) === 'fd') {
      const stream = handleOf(n.object as ESTree.Node, scope);
      if (stream?.kind === 'stream') return { ...stream, kind: 'descriptor' };
    }
    if (n.type !== 'Identifier' && n.type !== 'MemberExpression') return undefined;
    const key = keys.of(n, scope);
    return key ? handles.get(key.key) : undefined;
  };

  /** Where the value of `call` (maybe awaited) is stored, as a handle binding key. */
  const bindResult = (call: ESTree.Node, handle: Handle): void => {
    let node = (call as Rule.Node).parent;
    let child: ESTree.Node = call;
    while (node && (node.type === 'AwaitExpression' || (node.type as string).startsWith('TS') || node.type === 'ChainExpression')) {
      child = node;
      node = node.parent;
    }
    if (!node) return;
    if (node.type === 'VariableDeclarator' && node.init === child) {
      for (const variable of sourceCode.getDeclaredVariables(node)) handles.set(keys.idOf(variable), handle);
    } else if (node.type === 'AssignmentExpression' && node.right === child) {
      const key = keys.of(node.left, scopeOf(node));
      if (key) handles.set(key.key, handle);
    }
  };

  /** Binds parameter `index` of `fn` to a handle (`fs.open(p, f, (err, fd) => …)`). */
  const bindParameter = (fn: FunctionNode, index: number, handle: Handle): void => {
    const param = fn.params[index];
    if (param?.type !== 'Identifier') return;
    for (const variable of sourceCode.getDeclaredVariables(fn)) {
      if (variable.defs.some((d) => d.name === param)) handles.set(keys.idOf(variable), handle);
    }
  };

  /**
   * When does the caller know `call` finished? Returns `'now'` (sync API, awaited or returned promise),
   * the function that runs on completion (callback, `.then` handler), or `undefined` (never observed:
   * a promise nobody awaits, a callback we cannot follow).
   */
  const completion = (call: Call, member: Pick<FsMember, 'style'>): 'now' | FunctionNode | undefined => {
    const last = call.arguments[call.arguments.length - 1];
    const style = member.style === 'universal' ? (isFunctionNode(last) ? 'callback' : 'promise') : member.style;
    if (style === 'sync') return 'now';
    if (style === 'callback') return isFunctionNode(last) ? last : undefined;
    return promiseCompletion(call);
  };

  const promiseCompletion = (node: ESTree.Node): 'now' | FunctionNode | undefined => {
    let child: ESTree.Node = node;
    let parent = (node as Rule.Node).parent;
    while (parent && ((parent.type as string).startsWith('TS') || parent.type === 'ChainExpression')) {
      child = parent;
      parent = parent.parent;
    }
    if (!parent) return undefined;
    switch (parent.type) {
      case 'AwaitExpression':
      case 'ReturnStatement':
      case 'YieldExpression':
        return 'now';
      case 'ArrowFunctionExpression':
        return parent.body === child ? 'now' : undefined;
      case 'ArrayExpression': {
        // `await Promise.all([…])`
        const all = (parent as Rule.Node).parent;
        return all?.type === 'CallExpression' && all.callee.type === 'MemberExpression' && propertyName(all.callee)?.startsWith('all')
          ? promiseCompletion(all)
          : undefined;
      }
      case 'MemberExpression': {
        const call = (parent as Rule.Node).parent;
        if (parent.object === child && call?.type === 'CallExpression' && call.callee === parent) {
          const name = propertyName(parent);
          if (name === 'then' && isFunctionNode(call.arguments[0] as ESTree.Node)) return call.arguments[0] as FunctionNode;
          if (name === 'finally' && isFunctionNode(call.arguments[0] as ESTree.Node)) return call.arguments[0] as FunctionNode;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  };

  /** Events of calls that complete on return: recorded when the call exits, after its arguments ran. */
  const atExit = new Map<ESTree.Node, FlowEvent[]>();

  /** Records `event` when `call` completes. */
  const onCompletion = (call: Call, member: Pick<FsMember, 'style'>, event: FlowEvent): void => {
    const done = completion(call, member);
    if (done === 'now') {
      const list = atExit.get(call);
      if (list) list.push(event);
      else atExit.set(call, [event]);
    } else if (done) flow.atEntryOf(done, event);
  };

  /** The value `call` produces, delivered to a callback parameter or a `.then` parameter. */
  const deliverResult = (call: Call, member: FsMember, handle: Handle): void => {
    const done = completion(call, member);
    if (done === 'now') bindResult(call, handle);
    else if (done) bindParameter(done, member.style === 'promise' || done !== call.arguments[call.arguments.length - 1] ? 0 : 1, handle);
  };

  const recordWrite = (call: Call, file: FileKey, member: FsMember, name: string, options?: ESTree.Node): void => {
    const event = { type: 'write', file, node: call, name } as const;
    flow.record(event);
    writes.push({ event, member });
    if (member.flushOption && hasFlushTrue(options)) onCompletion(call, member, { type: 'sync', file: file.key });
  };

  const onTrackedCall = (call: Call, info: TrackedFunction): void => {
    const { member } = info;
    const scope = scopeOf(call);
    const summary = summarised.get(call);
    const arg = (i: number | undefined): ESTree.Node | undefined =>
      i === undefined ? undefined : (call.arguments[i] as ESTree.Node | undefined);
    switch (member.kind) {
      case 'write': {
        const target = arg(member.path);
        const handle = target ? handleOf(target, scope) : undefined;
        if (handle?.syncWrites) return;
        const file = summary?.file?.key ?? fileOf(target, scope);
        if (file) recordWrite(call, file, member, member.name, arg(member.options));
        return;
      }
      case 'rename': {
        const file = summary?.file?.key ?? fileOf(arg(member.path), scope);
        const fileNode = summary?.file?.node ?? arg(member.path);
        if (!file || !fileNode) return;
        const event = { type: 'rename', file, node: call, name: member.name } as const;
        flow.record(event);
        renames.push({ event, member, fileNode });
        return;
      }
      case 'sync': {
        const file = summary?.syncsAnything ? anyFile : fileOf(arg(member.path), scope)?.key;
        if (file) onCompletion(call, member, { type: 'sync', file });
        return;
      }
      case 'open': {
        const file = fileOf(arg(member.path), scope);
        if (file) {
          deliverResult(call, member, {
            file,
            kind: 'descriptor',
            syncWrites: opensForSyncWrites(arg(member.flags), scope),
            flushOnClose: false,
          });
        }
        return;
      }
      case 'stream': {
        const file = fileOf(arg(member.path), scope);
        if (file) openStream(call, file, member, arg(member.options));
        return;
      }
      case 'pipeline':
        // `once(ws, 'finish')` settles before a flush stream fsyncs (it does so on close).
        if (member.name === 'once' && getStringIfConstant(call.arguments[1] as never, scope) !== 'close') return;
        onStreamsSettled(call, member, call.arguments as ESTree.Node[]);
        return;
      case 'close':
        return;
    }
  };

  const openStream = (call: Call, file: FileKey, member: FsMember, options: ESTree.Node | undefined): void => {
    const flush = hasFlushTrue(options);
    // The stream's writes happen later, but all of them before 'finish': record them here.
    const event = { type: 'write', file, node: call, name: member.name } as const;
    flow.record(event);
    writes.push({ event, member });
    bindResult(call, { file, kind: 'stream', syncWrites: false, flushOnClose: flush });
  };

  /** A flush stream is durable once closed: `pipeline(…, ws, cb)`, `await finished(ws)`. */
  const onStreamsSettled = (call: Call, member: Pick<FsMember, 'style'>, streams: readonly ESTree.Node[]): void => {
    const scope = scopeOf(call);
    for (const s of streams) {
      const handle = streamOf(s, scope);
      if (handle?.flushOnClose) onCompletion(call, member, { type: 'sync', file: handle.file.key });
    }
  };

  /** A WriteStream expression: a bound stream, `createWriteStream(...)` itself, or `x.pipe(ws)`. */
  const streamOf = (node: ESTree.Node, scope: Scope.Scope): Handle | undefined => {
    const n = unwrap(node);
    if (n.type === 'CallExpression') {
      const info = tracked.get(n);
      if (info?.member.kind === 'stream' && info.member.path !== undefined) {
        const file = fileOf(n.arguments[info.member.path], scope);
        return file ? { file, kind: 'stream', syncWrites: false, flushOnClose: hasFlushTrue(n.arguments[info.member.options ?? 1] as ESTree.Node) } : undefined;
      }
      if (n.callee.type === 'MemberExpression' && propertyName(n.callee) === 'pipe' && n.arguments[0]) {
        return streamOf(n.arguments[0] as ESTree.Node, scope);
      }
      return undefined;
    }
    const handle = handleOf(n, scope);
    return handle?.kind === 'stream' ? handle : undefined;
  };

  /** Methods called on a descriptor-like value: FileHandle methods, stream events. */
  const onMethodCall = (call: Call, callee: ESTree.MemberExpression): void => {
    const name = propertyName(callee);
    if (!name) return;
    const scope = scopeOf(call);
    const object = callee.object as ESTree.Node;
    if ((name === 'on' || name === 'once' || name === 'addListener') && call.arguments.length >= 2) {
      const stream = streamOf(object, scope);
      const event = getStringIfConstant(call.arguments[0] as never, scope);
      const handler = call.arguments[1] as ESTree.Node;
      if (stream?.flushOnClose && event === 'close' && isFunctionNode(handler)) {
        flow.atEntryOf(handler, { type: 'sync', file: stream.file.key });
      }
      return;
    }
    if (name === 'close') {
      const stream = streamOf(object, scope);
      const cb = call.arguments[0] as ESTree.Node | undefined;
      if (stream?.flushOnClose && isFunctionNode(cb)) flow.atEntryOf(cb, { type: 'sync', file: stream.file.key });
      return;
    }
    const member = fileHandleMembers.get(name);
    if (!member) return;
    const handle = handleOf(object, scope);
    if (!handle || handle.kind !== 'descriptor') return;
    switch (member.kind) {
      case 'write':
        if (!handle.syncWrites) recordWrite(call, handle.file, member, name, call.arguments[member.options ?? -1] as ESTree.Node);
        return;
      case 'sync':
        onCompletion(call, member, { type: 'sync', file: handle.file.key });
        return;
      case 'stream':
        openStream(call, handle.file, { ...member }, call.arguments[member.options ?? 0] as ESTree.Node);
        return;
      default:
        return;
    }
  };

  const onPromiseChain = (call: Call): void => {
    const chain = promiseHandlers(call);
    if (!chain) return;
    const previous = promiseHandlers(chain.promise);
    if (!previous || previous.handlers.length === 0 || !previous.handlers.every(isFunctionNode)) return;
    for (const handler of chain.handlers) {
      if (isFunctionNode(handler)) flow.runsAfter(handler, previous.handlers);
    }
  };

  const kill = (target: ESTree.Node, scope: Scope.Scope): void => {
    if (target.type === 'Identifier' || target.type === 'MemberExpression') {
      const key = keys.of(target, scope);
      if (key) for (const dep of key.deps.slice(-1)) flow.record({ type: 'kill', dep });
    } else if (target.type === 'ObjectPattern' || target.type === 'ArrayPattern') {
      for (const variable of sourceCode.getDeclaredVariables(target)) flow.record({ type: 'kill', dep: keys.idOf(variable) });
    }
  };

  const report = (): void => {
    const writesByFile = new Map<string, typeof writes>();
    for (const w of writes) {
      const list = writesByFile.get(w.event.file.key);
      if (list) list.push(w);
      else writesByFile.set(w.event.file.key, [w]);
    }
    for (const { event: rename, member: renameMember, fileNode } of renames) {
      const candidates = writesByFile.get(rename.file.key) ?? [];
      const unsynced = candidates.find((w) => flow.hasUnsyncedPath(w.event, rename, rename.file));
      if (!unsynced) continue;
      onFinding({
        rename: rename.node,
        renameName: rename.name,
        write: unsynced.event.node,
        writeName: unsynced.event.name,
        file: fileNode,
        renameMember,
        writeMember: unsynced.member,
        syncedOnSomePath: flow.hasSyncedPath(unsynced.event, rename, rename.file),
      });
    }
  };

  // Set once imports are known: without a tracked rename in the file there is nothing to find, and
  // every listener below returns at once.
  let active = false;
  const whenActive =
    <Args extends unknown[]>(listener: (...args: Args) => void) =>
    (...args: Args): void => {
      if (active) listener(...args);
    };
  const flowListeners = flow.listeners();
  const activeFlowListeners = Object.fromEntries(
    Object.entries(flowListeners).map(([event, listener]) => [event, whenActive(listener as (...args: unknown[]) => void)]),
  );

  return {
    ...activeFlowListeners,
    // The program's code path starts before the `Program` listener runs: resolve imports here.
    onCodePathStart: (codePath, node) => {
      if (node.type === 'Program') {
        trackImports(node);
        summarised = summarizeLocalFunctions(sourceCode, tracked, keys);
        for (const [call, { info }] of summarised) tracked.set(call, info);
        active =
        moduleAliases.size > 0 || [...tracked.values()].some((info) => info.member.kind === 'rename');
      }
      if (active) flowListeners.onCodePathStart?.(codePath, node);
    },
    CallExpression: whenActive((node: ESTree.CallExpression) => {
      const call = node as Call;
      onPromiseChain(call);
      const info = tracked.get(call) ?? (call.callee.type === 'MemberExpression' ? aliasedMember(call.callee) : undefined);
      if (info) onTrackedCall(call, info);
      else if (call.callee.type === 'MemberExpression') onMethodCall(call, call.callee);
    }),
    NewExpression: whenActive((node: ESTree.NewExpression) => {
      const info = tracked.get(node);
      if (info) onTrackedCall(node as unknown as Call, info);
    }),
    'CallExpression:exit': whenActive((node: ESTree.CallExpression) => {
      const events = atExit.get(node);
      if (events) for (const event of events) flow.record(event);
    }),
    AssignmentExpression: whenActive((node: ESTree.AssignmentExpression) => kill(node.left, scopeOf(node))),
    UpdateExpression: whenActive((node: ESTree.UpdateExpression) => kill(node.argument, scopeOf(node))),
    'TryStatement > BlockStatement.block': whenActive((node: ESTree.Node) => {
      const parent = (node as Rule.Node).parent as ESTree.TryStatement;
      const handler = parent.handler ?? parent.finalizer;
      if (handler) flow.enterThrowRegion(handler, !!parent.handler);
    }),
    'TryStatement > BlockStatement.block:exit': whenActive((node: ESTree.Node) => {
      const parent = (node as Rule.Node).parent as ESTree.TryStatement;
      const handler = parent.handler ?? parent.finalizer;
      if (handler) flow.exitThrowRegion(handler);
    }),
    'CatchClause > BlockStatement.body': whenActive((node: ESTree.Node) => {
      const tryStatement = ((node as Rule.Node).parent as Rule.Node).parent as ESTree.TryStatement;
      if (tryStatement.finalizer) flow.enterThrowRegion(tryStatement.finalizer, false);
    }),
    'CatchClause > BlockStatement.body:exit': whenActive((node: ESTree.Node) => {
      const tryStatement = ((node as Rule.Node).parent as Rule.Node).parent as ESTree.TryStatement;
      if (tryStatement.finalizer) flow.exitThrowRegion(tryStatement.finalizer);
    }),
    'Program:exit': whenActive(() => report()),
  };
}
