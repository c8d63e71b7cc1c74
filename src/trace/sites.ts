/**
 * Where a traced fs call came from. A stack is captured as a V8 holder object, which costs a walk
 * of the frames but no formatting: V8 formats `holder.stack` on first read, with whatever
 * `Error.prepareStackTrace` is installed then (Node's `--enable-source-maps` handler, vitest's),
 * so TypeScript sources come out mapped and only stacks that end up in a finding are ever printed.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fsApiTable } from '../fs-api.js';

/**
 * An object carrying a captured, not yet formatted stack, and the stack of the call that led to it
 * across an asynchronous hop (`origin`): the fs call whose callback ran this code, or with
 * `--async-stacks` the creation of the promise whose reaction ran it.
 */
export interface StackHolder {
  readonly stack?: string;
  origin?: StackHolder;
  /** Hops from `root`, the first call of the chain: kept short, so a long chain holds little. */
  hops?: number;
  root?: StackHolder;
}

/** A source position, as printed in a stack frame (1-based line and column). */
export interface TraceSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly function?: string;
}

/** The dependency a call was made from: its package name and the frame inside it. */
export interface PackageFrame {
  readonly name: string;
  readonly site: TraceSite;
}

/**
 * A resolved call site: the first frame in the user's own code, the dependency that made the call
 * (the innermost package frame that is not a mere fs layer), and the packages between the two.
 */
export interface CallSite {
  readonly site?: TraceSite;
  readonly package?: PackageFrame;
  /** Outer packages on the way from the user's frame to `package`, innermost first (a few). */
  readonly via?: readonly PackageFrame[];
}

/**
 * Packages whose job is to pass calls on to fs (the fs API table's fs-like modules, and the
 * stream and fs plumbing that npm's and others' code goes through): they make the call but do not
 * decide to skip the fsync, so the culprit is the package that called them.
 */
const fsLayers: ReadonlySet<string> = new Set([
  ...Object.keys(fsApiTable)
    .map((module) => module.split('.')[0]!)
    .filter((module) => !isBuiltin(module)),
  '@npmcli/fs',
  'fs-minipass',
  'minipass',
  'minipass-pipeline',
  'minipass-flush',
  'universalify',
  'readable-stream',
]);
const MAX_VIA = 3;

const tracerDir = path.dirname(fileURLToPath(import.meta.url)) + path.sep;
/**
 * Deep enough to get from a dependency's fs call back out to the user's code (cacache needs 14
 * frames); capture cost grows with it (V8: ~2 µs at 1 frame, ~5 µs at 10, ~16 µs at 48).
 */
const CAPTURE_DEPTH = 24;

/**
 * Origins kept per chain: the nearest hops and the chain's first call. A callback loop that runs for
 * hours (a stream of writes, each in the last one's callback) must not keep every stack it passed.
 */
const MAX_HOPS = 8;

/** The origin of the code running now, while a traced callback or promise reaction runs; else none. */
let currentOrigin: StackHolder | undefined;

/** Runs `fn` with `origin` as the stack that led to it (a callback of an fs call made there). */
export function runFromOrigin<T>(origin: StackHolder | undefined, fn: () => T): T {
  const saved = currentOrigin;
  currentOrigin = origin;
  try {
    return fn();
  } finally {
    currentOrigin = saved;
  }
}

/** The origin of the code running now, if a traced callback or promise reaction runs. */
export const originNow = (): StackHolder | undefined => currentOrigin;

/** The latest stack captured, taken once: a call reuses what its own hook captured. */
let lastCapture: StackHolder | undefined;
export function takeLastCapture(): StackHolder | undefined {
  const capture = lastCapture;
  lastCapture = undefined;
  return capture;
}

/** Sets the origin of the code about to run (a promise reaction, with `--async-stacks`). */
export function enterOrigin(origin: StackHolder | undefined): void {
  currentOrigin = origin;
}

/** Captures the current stack above `below` (the outermost tracer frame), linked to its origin. */
export function captureStack(below: (...args: never[]) => unknown): StackHolder {
  const holder: StackHolder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURE_DEPTH;
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = limit;
  const parent = currentOrigin;
  if (parent) {
    const root = parent.root ?? parent;
    const hops = (parent.hops ?? 0) + 1;
    holder.origin = hops < MAX_HOPS ? parent : root;
    holder.hops = hops < MAX_HOPS ? hops : 1;
    holder.root = root;
  }
  lastCapture = holder;
  return holder;
}

const FRAME = /^\s+at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

function parseFrame(line: string): TraceSite | undefined {
  const match = FRAME.exec(line);
  if (!match) return undefined;
  let file = match[2]!;
  // `eval at f (file:1:2), <anonymous>` frames point into generated code: not a place to fix.
  if (file.includes('<anonymous>') || file.startsWith('eval at')) return undefined;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  const fn = match[1];
  return { file, line: Number(match[3]), column: Number(match[4]), ...(fn ? { function: fn } : {}) };
}

const isNodeInternal = (file: string): boolean => file.startsWith('node:') || !path.isAbsolute(file);

/** `/a/node_modules/@scope/pkg/lib/x.js` → `@scope/pkg` (the innermost node_modules wins). */
export function packageNameOf(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const [first, second] = file.slice(at + marker.length).split(path.sep);
  if (!first) return undefined;
  return first.startsWith('@') && second ? `${first}/${second}` : first;
}

/**
 * The first frame outside the tracer, Node's internals and node_modules (the user's line that led
 * to the call), and the innermost package frame that is not an fs layer (the dependency that made
 * the call: write-file-atomic called by @jest/transform is write-file-atomic, with @jest/transform
 * in `via`; cacache writing through fs-minipass is cacache). With only fs layers on the stack, the
 * innermost of them.
 */
export function resolveSite(holder: StackHolder | undefined): CallSite {
  let culprit: PackageFrame | undefined;
  let layer: PackageFrame | undefined;
  const via: PackageFrame[] = [];
  const result = (site?: TraceSite): CallSite => {
    const dependency = culprit ?? layer;
    return {
      ...(site ? { site } : {}),
      ...(dependency ? { package: dependency } : {}),
      ...(via.length > 0 ? { via } : {}),
    };
  };
  // The call's own stack first, then the stacks of the calls that led to it across asynchronous
  // hops, innermost first: the first user frame on the way is the line that led to the call.
  for (let at = holder, hops = 0; at && hops <= MAX_HOPS; at = at.origin, hops += 1) {
    for (const line of stackLines(at)) {
      const site = parseFrame(line);
      if (!site || site.file.startsWith(tracerDir) || isNodeInternal(site.file)) continue;
      const name = packageNameOf(site.file);
      if (name === undefined) return result(site);
      if (!culprit) {
        if (fsLayers.has(name)) layer ??= { name, site };
        else culprit = { name, site };
      } else if (name !== culprit.name && via.length < MAX_VIA && !via.some((frame) => frame.name === name)) {
        via.push({ name, site });
      }
    }
  }
  return result();
}

function stackLines(holder: StackHolder): string[] {
  try {
    const stack = holder.stack;
    return typeof stack === 'string' ? stack.split('\n') : [];
  } catch {
    return [];
  }
}

/**
 * One finding per distinct (write site, rename site): the place to fix, which is the dependency's
 * frame when a dependency made the call (one steno bug reached from five lines of a program is one
 * finding counted five times), else the user's line.
 */
export function findingKey(rule: string, write: CallSite | undefined, rename: CallSite): string {
  const place = (call: CallSite | undefined) => call?.package?.site ?? call?.site;
  return JSON.stringify([rule, place(write), place(rename)]);
}

/** A path relative to `cwd` when it is inside it, else absolute. */
export function shortPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || relative === '' || path.isAbsolute(relative) ? file : relative;
}

export const siteText = (site: TraceSite | undefined, cwd = process.cwd()): string =>
  site ? `${shortPath(site.file, cwd)}:${site.line}:${site.column}` : '(no frame outside node_modules)';
