/**
 * Wraps the public fs surface so that every write, sync, rename, open and close reaches the
 * tracker, without changing what the program sees: the original function runs with the same
 * `this` and arguments, its return value and errors pass through untouched, a callback is called
 * exactly when it would have been (wrapped only to learn success), and a promise is replaced by
 * one `then` of it only where the outcome matters (syncs, renames, opens) — a single microtask on
 * a promise that settles from the I/O thread pool, with the same value or the same error.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promiseHooks } from 'node:v8';
import workerThreads from 'node:worker_threads';
import { fileHandleMembers, fsApiTable, type FsMember, type FsStyle } from '../fs-api.js';
import { captureStack, enterOrigin, originNow, runFromOrigin, takeLastCapture, type StackHolder } from './sites.js';
import type { FileArgument, Tracker } from './tracker.js';

type Flavour = 'sync' | 'callback' | 'promise';
type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
/** Runs before the call; returns what to do with the call's result once it succeeded. */
type Hook = (args: unknown[], self: unknown, below: AnyFunction) => ((result: unknown) => void) | undefined;

const ORIGINAL = Symbol.for('durable-write.trace.original');

/** Tracer bugs must never reach the program: a failure to record is a missed finding, nothing more. */
function quietly(after: (result: unknown) => void, result: unknown): void {
  try {
    after(result);
  } catch {
    // Missed.
  }
}

/** Node's own fs functions call each other (`writeFile` → `open`): the outer call says it all. */
let depth = 0;

function wrap(original: AnyFunction, flavour: Flavour, hook: Hook): AnyFunction {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (depth > 0) return Reflect.apply(original, this, args);
    let done: ((result: unknown) => void) | undefined;
    takeLastCapture();
    try {
      done = hook(args, this, wrapped);
    } catch {
      done = undefined;
    }
    depth += 1;
    try {
      if (flavour === 'callback') return callWithCallback(original, this, args, done, wrapped);
      if (!done) return Reflect.apply(original, this, args);
      const after = done;
      if (flavour === 'sync') {
        const result = Reflect.apply(original, this, args);
        quietly(after, result);
        return result;
      }
      const promise = Reflect.apply(original, this, args);
      if (!(promise instanceof Promise)) return promise;
      return promise.then((value: unknown) => {
        quietly(after, value);
        return value;
      });
    } finally {
      depth -= 1;
    }
  };
  Object.defineProperties(wrapped, {
    name: { value: original.name },
    length: { value: original.length },
    [ORIGINAL]: { value: original },
  });
  return wrapped;
}

/**
 * A callback-style call. What its callback does was led there by this call: a dependency's callback
 * chain (open → write → close → rename, each in the last one's callback) has no user frame on its
 * later stacks, so the stack of this call is the origin of everything the callback runs, and a
 * later fs call without a user frame of its own names the user line found there. The stack is one
 * the call's hook captured anyway (a write that dirtied a file, an open for writing); failing that,
 * a call made inside a traced callback passes its origin on, and only a chain's first call captures.
 */
function callWithCallback(
  original: AnyFunction,
  self: unknown,
  args: unknown[],
  after: ((result: unknown) => void) | undefined,
  below: AnyFunction,
): unknown {
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback !== 'function') return Reflect.apply(original, self, args);
  let origin = takeLastCapture() ?? originNow();
  if (!origin) {
    try {
      origin = captureStack(below);
    } catch {
      origin = undefined;
    }
  }
  args[last] = function (this: unknown, ...results: unknown[]): unknown {
    if (after && (results[0] === null || results[0] === undefined)) quietly(after, results[1]);
    return runFromOrigin(origin, () => Reflect.apply(callback, this, results));
  };
  return Reflect.apply(original, self, args);
}

/**
 * `--async-stacks`: the origin of a promise reaction is where its promise was made. V8's async stack
 * traces follow `await` chains only, so a callback API that awaits before its first fs call
 * (write-file-atomic's `writeFileAtomic(file, data, cb)`) loses the caller's line without this. It
 * costs one stack capture per promise made without a parent, so it is asked for, not on by default.
 */
export function followPromises(): void {
  const origins = new WeakMap<Promise<unknown>, StackHolder>();
  const init = (promise: Promise<unknown>, parent?: Promise<unknown>): void => {
    try {
      const origin = parent === undefined ? captureStack(init) : origins.get(parent);
      if (origin) origins.set(promise, origin);
    } catch {
      // No origin: that promise's reactions name what their own stacks show.
    }
  };
  promiseHooks.createHook({
    init,
    before: (promise) => enterOrigin(origins.get(promise)),
    after: () => enterOrigin(undefined),
  });
}

/** `O_SYNC`/`O_DSYNC` in numeric flags, `s` in string flags (`rs+`, `as`, `as+`): writes are durable on return. */
export function isDurableFlag(flags: unknown): boolean {
  if (typeof flags === 'string') return flags.includes('s');
  if (typeof flags === 'number') return (flags & (fs.constants.O_SYNC | fs.constants.O_DSYNC)) !== 0;
  return false;
}

/** Open flags that allow writing: `w`, `a`, `r+`… or `O_WRONLY`/`O_RDWR`; the default `r` does not. */
function opensForWriting(flags: unknown): boolean {
  if (typeof flags === 'string') return flags !== 'r' && flags !== 'rs' && flags !== 'sr';
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;
  return false;
}

/** `w`, `w+`, `wx`… or `O_TRUNC`: the file's earlier data is gone. */
function opensTruncating(flags: unknown): boolean {
  if (typeof flags === 'string') return flags.includes('w');
  if (typeof flags === 'number') return (flags & fs.constants.O_TRUNC) !== 0;
  return false;
}

/** `writeFile(…, { flush: true })` / `{ flag: 'as' }`: Node fsyncs before closing, or writes synchronously. */
function writeIsDurable(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return false;
  const { flush, flag } = options as { flush?: unknown; flag?: unknown };
  return flush === true || isDurableFlag(flag);
}

function hooksOf(tracker: Tracker) {
  const write =
    (file: number, options?: number, replaces = false): Hook =>
    (args, _self, below) => {
      tracker.wrote(args[file], () => captureStack(below), replaces);
      return options !== undefined && writeIsDurable(args[options]) ? () => tracker.synced(args[file]) : undefined;
    };
  const sync: Hook = (args) => {
    const file = args[0];
    return () => tracker.synced(file);
  };
  const rename: Hook = (args, _self, below) => tracker.renaming(args[0], args[1], () => captureStack(below));
  const open =
    (describe: (result: unknown) => unknown = (fd) => fd): Hook =>
    (args, _self, below) => {
      const durable = isDurableFlag(args[1]);
      // Where a descriptor for writing was opened: the write site of data that reaches it from
      // code with no user frame (a stream's queued chunks flushed from the open callback).
      const site = !durable && opensForWriting(args[1]) ? captureStack(below) : undefined;
      const truncates = opensTruncating(args[1]);
      return (result) => tracker.opened(describe(result), args[0], { durable, site, truncates });
    };
  // At call time: once it completes, another open may already have been given the same number.
  const close: Hook = (args) => {
    tracker.closed(args[0]);
    return undefined;
  };
  const stream: Hook = (args, _self, below) => {
    const options = args[1];
    const fd = typeof options === 'object' && options !== null ? (options as { fd?: unknown }).fd : undefined;
    if (fd === undefined || fd === null) tracker.streamCreated(args[0], captureStack(below));
    return undefined;
  };
  const handleWrite =
    (options?: number, replaces = false): Hook =>
    (args, handle, below) => {
      tracker.wrote(handle, () => captureStack(below), replaces);
      const fd = (handle as { fd: number }).fd;
      return options !== undefined && writeIsDurable(args[options]) ? () => tracker.synced(fd) : undefined;
    };
  const handleSync: Hook = (_args, handle) => {
    const fd = (handle as { fd: number }).fd;
    return () => tracker.synced(fd);
  };
  const handleClose: Hook = (_args, handle) => {
    tracker.closed((handle as { fd: number }).fd);
    return undefined;
  };
  return { write, sync, rename, open, close, stream, handleWrite, handleSync, handleClose };
}

function replace(target: object, name: string, flavour: Flavour, hook: Hook): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  if (!descriptor || typeof descriptor.value !== 'function' || ORIGINAL in descriptor.value) return;
  try {
    Object.defineProperty(target, name, { ...descriptor, value: wrap(descriptor.value as AnyFunction, flavour, hook) });
  } catch {
    // A frozen fs (a hardened realm): that function goes untraced, the program runs as before.
  }
}

const flavourOf: Partial<Record<FsStyle, Flavour>> = { sync: 'sync', callback: 'callback', promise: 'promise' };

/**
 * The hook for one member of the fs API table (src/fs-api.ts), by what it does: the tracer wraps
 * exactly what the rule knows as a write, sync, rename, open, close or stream, at the same argument
 * positions. `file` stands for the file a call acts on, for members that take none (FileHandle
 * methods, whose handle is `this`).
 */
function hookFor(
  member: Omit<FsMember, 'path'> & { path?: number },
  hooks: ReturnType<typeof hooksOf>,
): Hook | undefined {
  const options = member.flushOption ? member.options : undefined;
  switch (member.kind) {
    case 'write': {
      // A whole-file write replaces the data: the write whose data gets renamed is the last one.
      const replaces = member.wholeFile === true;
      return member.path === undefined
        ? hooks.handleWrite(options, replaces)
        : hooks.write(member.path, options, replaces);
    }
    case 'sync':
      return member.path === undefined ? hooks.handleSync : hooks.sync;
    case 'rename':
      return hooks.rename;
    case 'open':
      return hooks.open();
    case 'close':
      return member.path === undefined ? hooks.handleClose : hooks.close;
    case 'stream':
      // `createWriteStream` only: `fs.WriteStream` is a lazy getter for the class the former builds.
      return member.name === 'createWriteStream' && member.path !== undefined ? hooks.stream : undefined;
    default:
      return undefined;
  }
}

/** Wraps every member of `members` that `target` has, with its hook. */
function patchMembers(
  target: object,
  members: Iterable<Omit<FsMember, 'path'> & { path?: number }>,
  hooks: ReturnType<typeof hooksOf>,
): void {
  for (const member of members) {
    const flavour = flavourOf[member.style];
    const hook = flavour && hookFor(member, hooks);
    if (hook) replace(target, member.name, flavour, hook);
  }
}

/**
 * Streams made by calling Node's `WriteStream` directly, not through `fs.createWriteStream`: graceful-fs
 * (`fs.WriteStream(path)`, what fs-write-stream-atomic and npm's code use) and `new fs.WriteStream()`.
 * Node opens the file a tick later, from no frame of the program's, so the stream's writes would have
 * no user line: the constructor records where the stream was made, as `createWriteStream` does. The
 * wrapper keeps Node's prototype (so `instanceof` and every method are as before) and its statics, and
 * is installed through `fs.WriteStream`'s own setter, which `createWriteStream` reads too.
 */
function patchWriteStream(hook: Hook): void {
  let Original: AnyFunction & { prototype: object };
  try {
    Original = fs.WriteStream as unknown as AnyFunction & { prototype: object };
  } catch {
    return;
  }
  if (typeof Original !== 'function' || ORIGINAL in Original) return;
  const WriteStream = function (this: unknown, ...args: unknown[]): unknown {
    // Inside createWriteStream (depth > 0) its own hook already recorded the site.
    if (depth === 0) {
      try {
        hook(args, this, WriteStream);
      } catch {
        // Missed: the stream's writes show where its descriptor was opened.
      }
    }
    return new.target ? Reflect.construct(Original, args, new.target) : Reflect.apply(Original, this, args);
  };
  Object.defineProperties(WriteStream, {
    name: { value: Original.name },
    length: { value: Original.length },
    prototype: { value: Original.prototype },
    [ORIGINAL]: { value: Original },
  });
  Object.setPrototypeOf(WriteStream, Original);
  try {
    (fs as { WriteStream: unknown }).WriteStream = WriteStream;
  } catch {
    // Frozen: such streams keep the site where their descriptor was opened.
  }
}

/**
 * A worker thread runs NODE_OPTIONS' preloads, but takes command-line flags such as `--require` only
 * from its `execArgv`, which defaults to the parent's: under `node --require …/trace app.js`, a worker
 * started with its own `execArgv` would go untraced, so the tracer is added to it. `--require`, not
 * `--import`, for the reason given in `tracedNodeOptions`, unless require(esm) is off in this process.
 */
function patchWorker(registerUrl: string): void {
  const Original = workerThreads.Worker;
  if (ORIGINAL in Original) return;
  const flag =
    (process.features as { require_module?: boolean }).require_module === false
      ? `--import=${registerUrl}`
      : `--require=${fileURLToPath(registerUrl)}`;
  const Worker = class Worker extends Original {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      const execArgv = options?.execArgv ?? process.execArgv;
      super(
        filename,
        options?.eval || execArgv.includes(flag) ? options : { ...options, execArgv: [...execArgv, flag] },
      );
    }
  };
  Object.defineProperty(Worker, ORIGINAL, { value: Original });
  try {
    Object.defineProperty(workerThreads, 'Worker', {
      value: Worker,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } catch {
    // Frozen: workers go untraced.
  }
}

export function install(tracker: Tracker, registerUrl: string): void {
  const hooks = hooksOf(tracker);
  patchMembers(fs, fsApiTable['node:fs']!, hooks);
  const promiseMembers = fsApiTable['node:fs/promises']!;
  const openPromise = promiseMembers.find((member) => member.kind === 'open');
  patchMembers(
    fs.promises,
    promiseMembers.filter((member) => member !== openPromise),
    hooks,
  );
  // FileHandle has no public constructor: its prototype is patched when the first handle is opened.
  let handlePrototype: object | undefined;
  if (openPromise) {
    replace(
      fs.promises,
      openPromise.name,
      'promise',
      hooks.open((handle) => {
        if (typeof handle !== 'object' || handle === null) return undefined;
        if (!handlePrototype) {
          handlePrototype = Object.getPrototypeOf(handle) as object;
          patchMembers(handlePrototype, fileHandleMembers.values(), hooks);
        }
        // Node defines `close` on each FileHandle (a class field), not on the prototype.
        replace(handle, 'close', 'promise', hooks.handleClose);
        return (handle as { fd?: unknown }).fd;
      }),
    );
  }
  patchWriteStream(hooks.stream);
  patchWorker(registerUrl);
  syncBuiltinESMExports();
}

/** The unpatched fs functions, for the tracer's own report at exit. */
export function original<T>(fn: T): T {
  return ((fn as { [ORIGINAL]?: T })[ORIGINAL] ?? fn) as T;
}

export type { FileArgument };
