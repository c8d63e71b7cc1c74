import fs, { constants } from 'node:fs';
import type { FsPath } from './fs-path.js';
import { sleepSync } from './platform.js';

// The writers' algorithm is written once (publish.ts), as generators that yield the file-system
// calls they need; runSync performs each with fs's sync call, runAsync with its callback call on
// the thread pool. `fs.x` is looked up at call time, so tests can inject failures.

/** Flags that create a file that did not exist, so two writers can never share a temp file. */
export const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
/** O_DIRECTORY is absent on Windows, where directories are never opened anyway. */
export const OPEN_DIRECTORY = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0);

export function settle<T>(resolve: (value: T) => void, reject: (error: unknown) => void) {
  return (error: NodeJS.ErrnoException | null, value: T) => (error ? reject(error) : resolve(value));
}

/** One call, as each driver performs it. */
export interface Step {
  readonly sync: () => unknown;
  readonly async: () => unknown;
}

export type Steps<T> = Generator<Step, T, unknown>;

export function* perform<T>(step: Step): Steps<T> {
  return (yield step) as T;
}

type FsCalls = Record<string, (...args: unknown[]) => unknown>;

function call<T>(name: string, ...args: unknown[]): Steps<T> {
  return perform({
    sync: () => (fs as unknown as FsCalls)[`${name}Sync`]!(...args),
    async: () => new Promise((resolve, reject) => (fs as unknown as FsCalls)[name]!(...args, settle(resolve, reject))),
  });
}

export const open = (path: FsPath, flags: number, mode: number) => call<number>('open', path, flags, mode);
export const write = (fd: number, bytes: Uint8Array, offset: number, length: number) =>
  call<number>('write', fd, bytes, offset, length, null);
export const fsync = (fd: number) => call<void>('fsync', fd);
export const close = (fd: number) => call<void>('close', fd);
export const rename = (from: FsPath, to: FsPath) => call<void>('rename', from, to);
export const link = (from: FsPath, to: FsPath) => call<void>('link', from, to);
export const unlink = (path: FsPath) => call<void>('unlink', path);
export const fchmod = (fd: number, mode: number) => call<void>('fchmod', fd, mode);
export const fchown = (fd: number, uid: number, gid: number) => call<void>('fchown', fd, uid, gid);
/** Names as bytes: a name that is not UTF-8 would not survive a round trip through a string. */
export const readdir = (path: FsPath) => call<Buffer[]>('readdir', path, { encoding: 'buffer' });

export const sleep = (ms: number) =>
  perform<void>({ sync: () => sleepSync(ms), async: () => new Promise((resolve) => setTimeout(resolve, ms)) });

/** Steps whose outcome nothing waits for: the async driver does not wait for them either. */
export const detach = (steps: Steps<unknown>) =>
  perform<void>({ sync: () => runSync(steps), async: () => void runAsync(steps) });

/** The next chunk of the data (only the async writer takes chunks), or `return()` to stop reading early. */
export function pull(
  chunks: AsyncIterator<unknown>,
  method: 'next' | 'return' = 'next',
): Steps<IteratorResult<unknown>> {
  const pulling = () => chunks[method]?.();
  return perform({ sync: pulling, async: pulling });
}

/** Both sequences, concurrently where the driver can; their outcomes as `Promise.allSettled` gives them. */
export function settleBoth<A, B>(first: Steps<A>, second: Steps<B> | undefined) {
  return perform<[PromiseSettledResult<A>, PromiseSettledResult<B | undefined>]>({
    sync: () => [first, second].map(settledSync),
    async: () => Promise.allSettled([runAsync(first), second && runAsync(second)]),
  });
}

function settledSync(steps: Steps<unknown> | undefined): PromiseSettledResult<unknown> {
  try {
    return { status: 'fulfilled', value: steps && runSync(steps) };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

/** What a failure of `steps` throws instead (see WriterLayers.failed). */
export function* tagged<T>(failed: (error: unknown) => unknown, steps: Steps<T>): Steps<T> {
  try {
    return yield* steps;
  } catch (error) {
    throw failed(error);
  }
}

/** Best-effort cleanup, in order: the caller is already reporting the error that matters. */
export function* quietly(...cleanups: ReadonlyArray<Steps<void> | undefined>): Steps<void> {
  for (const cleanup of cleanups) {
    try {
      if (cleanup) yield* cleanup;
    } catch {
      // A temp file that cannot be removed is recognisable by name and swept later. A statement,
      // not an empty block: the vendored copy loses comments, and no-empty would report it there.
      continue;
    }
  }
}

export function runSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = next.value.sync();
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}

export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await next.value.async();
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}
