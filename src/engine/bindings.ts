/**
 * Descriptor, FileHandle and WriteStream bindings: which file a variable or member chain holding an
 * `open()` result or a stream refers to, whether its writes are synchronous (`O_SYNC`, `'rs+'`), and
 * whether the stream fsyncs on close (`flush: true`). Also answers "which file does this argument
 * name?" for paths and handles alike.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable, getStringIfConstant } from '@eslint-community/eslint-utils';
import { isSyncOpenFlag, syncOpenConstants, type FsMember } from '../fs-api.js';
import { propertyName, type FileKey, type FileKeys } from './file-key.js';
import { initialiserOf } from './scope.js';
import { propertyKeyName, type FunctionNode } from '../ast.js';
import type { FileSystems } from './file-systems.js';

/** What a variable or member chain holding a descriptor, FileHandle or WriteStream refers to. */
export interface Handle {
  readonly file: FileKey;
  /** Opened with `O_SYNC`/`O_DSYNC`/`'rs+'`/`'as'`: every write is durable on return. */
  readonly syncWrites: boolean;
  readonly kind: 'descriptor' | 'stream';
  /** WriteStream created with `flush: true`: durable once closed. */
  readonly flushOnClose: boolean;
  /** Opened to append (`'a'`, `O_APPEND`): its writes add to what the file held, as `appendFile`'s. */
  readonly appends?: true;
  /** The call that created a WriteStream of this file: its 'close' is where that write settles. */
  readonly opener?: ESTree.Node;
}

/** The expression under TypeScript wrappers and optional chains: `(x as T)!` is `x`. */
export const unwrap = (node: ESTree.Node): ESTree.Node => {
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

/**
 * Does some property of an options object satisfy `test`? Also through a `const` binding, spreads
 * and `Object.freeze` (`const DURABLE = { flush: true }`, `{ ...DURABLE, encoding }`).
 */
function someOption(
  node: ESTree.Node | undefined,
  scope: Scope.Scope | undefined,
  test: (key: string, value: ESTree.Node, scope: Scope.Scope | undefined) => boolean,
  depth = 0,
): boolean {
  if (!node || depth > 3) return false;
  const options = unwrap(node);
  if (options.type === 'Identifier' && scope) {
    const variable = findVariable(scope, options.name);
    const def = variable?.defs[0];
    if (
      !variable ||
      variable.defs.length !== 1 ||
      def?.type !== 'Variable' ||
      def.parent.kind !== 'const' ||
      !def.node.init
    )
      return false;
    return someOption(def.node.init as ESTree.Node, variable.scope, test, depth + 1);
  }
  // `Object.freeze({ flush: true })` is its argument.
  if (
    options.type === 'CallExpression' &&
    options.arguments.length === 1 &&
    options.callee.type === 'MemberExpression' &&
    propertyName(options.callee) === 'freeze'
  ) {
    return someOption(options.arguments[0] as ESTree.Node, scope, test, depth + 1);
  }
  if (options.type !== 'ObjectExpression') return false;
  return options.properties.some((p) => {
    if (p.type === 'SpreadElement') return someOption(p.argument as ESTree.Node, scope, test, depth + 1);
    const key = p.computed
      ? undefined
      : p.key.type === 'Identifier'
        ? p.key.name
        : p.key.type === 'Literal'
          ? p.key.value
          : undefined;
    return typeof key === 'string' && test(key, p.value as ESTree.Node, scope);
  });
}

/** Is there a `flush: true` in an options object (also through a `const`, spreads, `Object.freeze`)? */
export const hasFlushTrue = (node: ESTree.Node | undefined, scope?: Scope.Scope): boolean =>
  someOption(node, scope, (key, value) => key === 'flush' && value.type === 'Literal' && value.value === true);

/**
 * Do the options open the file for synchronous writes (`writeFile(p, d, { flag: 'rs+' })`,
 * `createWriteStream(p, { flags: 'as' })`, `O_SYNC`)? Then each write is durable when it returns.
 */
export const hasSyncOpenFlag = (node: ESTree.Node | undefined, scope?: Scope.Scope): boolean =>
  openFlagSays(node, scope, opensForSyncWrites);

/** Does the `flag`/`flags` option (`writeFile`'s, `createWriteStream`'s) say what `test` asks of open flags? */
const openFlagSays = (
  node: ESTree.Node | undefined,
  scope: Scope.Scope | undefined,
  test: (flags: ESTree.Node, scope: Scope.Scope) => boolean,
): boolean =>
  someOption(node, scope, (key, value, at) => (key === 'flag' || key === 'flags') && !!at && test(value, at));

/**
 * Do the options open the file for appending (`createWriteStream(log, { flags: 'a' })`, `writeFile(p, d,
 * { flag: 'a+' })`, `O_APPEND`)? Then each write adds to what the file held, as `appendFile` does.
 */
export const hasAppendFlag = (node: ESTree.Node | undefined, scope?: Scope.Scope): boolean =>
  openFlagSays(node, scope, opensForAppend);

const appendConstants = new Set(['O_APPEND']);

/** Does an open flags expression open the file to append? (`'a'`, `'a+'`, `O_WRONLY | O_APPEND`) */
export const opensForAppend = (flags: ESTree.Node | undefined, scope: Scope.Scope): boolean =>
  flagsSay(flags, scope, (value) => value.startsWith('a'), appendConstants);

/** A write with these options is durable once it settles: `flush: true`, or a synchronous open flag. */
export const writesDurably = (node: ESTree.Node | undefined, scope?: Scope.Scope): boolean =>
  hasFlushTrue(node, scope) || hasSyncOpenFlag(node, scope);

/**
 * Does an open flags expression say something: its string (`'rs+'`), or one of `constants` in an
 * `O_*` expression (`O_WRONLY | fs.constants.O_SYNC`)?
 */
function flagsSay(
  flags: ESTree.Node | undefined,
  scope: Scope.Scope,
  text: (flags: string) => boolean,
  constants: ReadonlySet<string>,
): boolean {
  if (!flags) return false;
  const value = getStringIfConstant(flags as never, scope);
  if (typeof value === 'string') return text(value);
  const stack: ESTree.Node[] = [flags];
  while (stack.length > 0) {
    const n = stack.pop() as ESTree.Node;
    if (n.type === 'MemberExpression') {
      const name = propertyName(n);
      if (name && constants.has(name)) return true;
      stack.push(n.object as ESTree.Node);
    } else if (n.type === 'Identifier' && constants.has(n.name)) return true;
    else if (n.type === 'BinaryExpression') stack.push(n.left as ESTree.Node, n.right);
  }
  return false;
}

/** Does an open flags expression make writes synchronous? (`'rs+'`, `'as'`, `O_SYNC | …`) */
export const opensForSyncWrites = (flags: ESTree.Node | undefined, scope: Scope.Scope): boolean =>
  flagsSay(flags, scope, isSyncOpenFlag, syncOpenConstants);

const writeOpenConstants = new Set(['O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_APPEND', 'O_TRUNC']);

/** Does an open flags expression open the file for writing? (`'w'`, `'a+'`, `'r+'`, `O_WRONLY | O_CREAT`) */
export const opensForWriting = (flags: ESTree.Node | undefined, scope: Scope.Scope): boolean =>
  flagsSay(flags, scope, (value) => /[wa+]/.test(value), writeOpenConstants);

export class Bindings {
  readonly #handles = new Map<string, Handle>();
  /** Files of FileHandles that created a `flush: true` stream: closing the handle waits for its sync. */
  readonly #flushingHandles = new Set<string>();
  readonly #sourceCode: SourceCode;
  readonly #keys: FileKeys;
  readonly #fileSystems: FileSystems;

  constructor(sourceCode: SourceCode, keys: FileKeys, fileSystems: FileSystems) {
    this.#sourceCode = sourceCode;
    this.#keys = keys;
    this.#fileSystems = fileSystems;
  }

  /** The key of the file an argument names: a path, or the path a descriptor/handle/stream was opened with. */
  fileOf(arg: ESTree.Node | undefined, scope: Scope.Scope): FileKey | undefined {
    if (!arg || arg.type === 'SpreadElement') return undefined;
    const node = unwrap(arg);
    const handle = this.handleOf(node, scope);
    if (handle) return handle.file;
    // `fs.fsyncSync(fs.openSync(tmp, 'r+'))`
    if (node.type === 'CallExpression') {
      const info = this.#fileSystems.tracked.get(node);
      if (info?.member.kind === 'open' && info.member.path !== undefined)
        return this.fileOf(node.arguments[info.member.path], scope);
    }
    return this.#keys.of(node, scope);
  }

  handleOf(node: ESTree.Node, scope: Scope.Scope): Handle | undefined {
    const n = unwrap(node);
    if (n.type === 'MemberExpression' && propertyName(n) === 'fd') {
      const stream = this.handleOf(n.object as ESTree.Node, scope);
      if (stream?.kind === 'stream') return { ...stream, kind: 'descriptor' };
    }
    if (n.type !== 'Identifier' && n.type !== 'MemberExpression') return undefined;
    const key = this.#keys.of(n, scope);
    if (key) return this.#handles.get(key.id);
    // `open(tmp, 'w').then((h) => h.writeFile(d))`: the handler's parameter names no file of its own (a
    // promise of a handle is no path), but it is bound to the handle, by its binding.
    const variable = n.type === 'Identifier' ? findVariable(scope, n.name) : undefined;
    return variable ? this.#handles.get(this.#keys.idOf(variable)) : undefined;
  }

  /**
   * The file a `createWriteStream(path, options)` call writes: its path, or the descriptor its options
   * give it (`createWriteStream(null, { fd })`).
   */
  streamFileOf(
    call: ESTree.CallExpression | ESTree.NewExpression,
    member: FsMember,
    scope: Scope.Scope,
  ): FileKey | undefined {
    const path = member.path === undefined ? undefined : (call.arguments[member.path] as ESTree.Node | undefined);
    const none = !path || (path.type === 'Literal' && (path.value === null || path.value === ''));
    if (!none) return this.fileOf(path, scope);
    const fd = optionNode(call.arguments[member.options ?? 1] as ESTree.Node | undefined, ['fd'], scope);
    return fd ? this.handleOf(fd, scope)?.file : undefined;
  }

  /** A WriteStream expression: a bound stream, `createWriteStream(...)` itself, or `x.pipe(ws)`. */
  streamOf(node: ESTree.Node, scope: Scope.Scope): Handle | undefined {
    const n = unwrap(node);
    if (n.type === 'CallExpression' || n.type === 'NewExpression') {
      const info = this.#fileSystems.tracked.get(n);
      if (info?.member.kind === 'stream' && info.member.path !== undefined) {
        const file = this.streamFileOf(n, info.member, scope);
        return file
          ? {
              file,
              kind: 'stream',
              syncWrites: false,
              flushOnClose: hasFlushTrue(n.arguments[info.member.options ?? 1] as ESTree.Node, scope),
              opener: n,
            }
          : undefined;
      }
      if (n.callee.type === 'MemberExpression' && propertyName(n.callee) === 'pipe' && n.arguments[0]) {
        return this.streamOf(n.arguments[0] as ESTree.Node, scope);
      }
      return undefined;
    }
    const handle = this.handleOf(n, scope);
    return handle?.kind === 'stream' ? handle : undefined;
  }

  /** Where the value of `call` (maybe awaited) is stored, as a handle binding key. */
  bindResult(call: ESTree.Node, handle: Handle): void {
    const { node, child } = holderOf(call);
    if (!node) return;
    if (node.type === 'VariableDeclarator' && node.init === child) {
      for (const variable of this.#sourceCode.getDeclaredVariables(node))
        this.#handles.set(this.#keys.idOf(variable), handle);
    } else if (node.type === 'AssignmentExpression' && node.right === child) {
      const key = this.#keys.of(node.left, this.#sourceCode.getScope(node));
      if (key) this.#handles.set(key.id, handle);
    }
  }

  /** `handle.createWriteStream({ flush: true })`: the stream fsyncs through the FileHandle. */
  flushesThrough(handle: Handle): void {
    this.#flushingHandles.add(handle.file.id);
  }

  /**
   * Does closing this FileHandle make its file durable? `FileHandle.close()` settles after the
   * handle's flush stream ran `handle.sync()` (checked on Node 20.20).
   */
  closeSyncs(handle: Handle): boolean {
    return handle.kind === 'descriptor' && this.#flushingHandles.has(handle.file.id);
  }

  /** Binds the value with this key (a field of what a call returned: `ret@12.fd`) to a handle. */
  bindKey(key: string, handle: Handle): void {
    this.#handles.set(key, handle);
  }

  /** The handle bound to the value with this key, if any. */
  handleOfKey(key: string): Handle | undefined {
    return this.#handles.get(key);
  }

  /** Binds parameter `index` of `fn` to a handle (`fs.open(p, f, (err, fd) => …)`). */
  bindParameter(fn: FunctionNode, index: number, handle: Handle): void {
    const param = fn.params[index];
    if (param?.type !== 'Identifier') return;
    for (const variable of this.#sourceCode.getDeclaredVariables(fn)) {
      if (variable.defs.some((d) => d.name === param)) this.#handles.set(this.#keys.idOf(variable), handle);
    }
  }
}

/**
 * The value of the first of `names` an options object sets (`{ dir: tmp }`), in a literal or in a
 * never-reassigned `const` holding one.
 */
export function optionNode(
  options: ESTree.Node | undefined,
  names: readonly string[],
  scope: Scope.Scope,
): ESTree.Node | undefined {
  const field = (value: ESTree.Node | undefined, name: string): ESTree.Node | undefined => {
    const object = value?.type === 'Identifier' ? initialiserOf(scope, value.name) : value;
    if (object?.type !== 'ObjectExpression') return undefined;
    const property = object.properties.findLast(
      (p): p is ESTree.Property => p.type === 'Property' && !p.computed && propertyKeyName(p) === name,
    );
    return property?.value as ESTree.Node | undefined;
  };
  for (const name of names) {
    // `build.outDir`: a field of a nested object (Vite's `{ build: { outDir } }`).
    const found = name.split('.').reduce<ESTree.Node | undefined>((value, part) => field(value, part), options);
    if (found) return found;
  }
  return undefined;
}

/**
 * The path a write names: its path argument, or the option naming it (`tar.c({ file })`, the one
 * element of a list there); for an archive extractor, the directory it writes inside.
 */
export function writtenPathNode(
  call: ESTree.CallExpression | ESTree.NewExpression,
  member: FsMember,
  scope: Scope.Scope,
): ESTree.Node | undefined {
  const arg = (i: number | undefined): ESTree.Node | undefined =>
    i === undefined ? undefined : (call.arguments[i] as ESTree.Node | undefined);
  if (!member.pathOption) return arg(member.path);
  const option = optionNode(arg(member.options), member.pathOption, scope);
  // `files: [file]` (replace-in-file's list of files): its one file.
  const only = option?.type === 'ArrayExpression' && option.elements.length === 1 ? option.elements[0] : undefined;
  return only && only.type !== 'SpreadElement' ? only : option;
}

/**
 * The files a list in a write's path option names, when it holds more than one (`files: [a, b]` of
 * replace-in-file, or of a `const` options object holding it): the write writes each. `path` is what
 * `writtenPathNode` gave for the call (the list itself, then).
 */
export function listedPathNodes(member: FsMember, path: ESTree.Node | undefined): ESTree.Node[] {
  if (!member.pathOption || path?.type !== 'ArrayExpression' || path.elements.length < 2) return [];
  return path.elements.filter((e): e is ESTree.Expression => !!e && e.type !== 'SpreadElement');
}

/**
 * The node that receives the value of `call`, maybe awaited (`const h = await open(p)`, `this.fh =
 * await open(p)`), and its child holding the value: past `await`, `yield` (tsc's `__awaiter`
 * compiles `await` to it), TypeScript wrappers and optional chains.
 */
export function holderOf(call: ESTree.Node): { node: Rule.Node | null; child: ESTree.Node } {
  let node = (call as Rule.Node).parent;
  let child: ESTree.Node = call;
  while (
    node &&
    (node.type === 'AwaitExpression' ||
      node.type === 'YieldExpression' ||
      (node.type as string).startsWith('TS') ||
      node.type === 'ChainExpression')
  ) {
    child = node;
    node = node.parent;
  }
  return { node, child };
}
