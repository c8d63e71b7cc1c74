import fs, { constants } from 'node:fs';
import type { FsPath } from './fs-path.js';
import { sleepSync } from './platform.js';

// The writers' algorithm is written once (publish.ts), as generators that yield the file-system
// calls they need; runSync performs each with fs's sync call, runAsync with its callback call on
// the thread pool. `fs.x` is looked up at call time, so tests can inject failures.

/** Flags that create a file that did not exist, so two writers can never share a temp file. */
export const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
/** O_DIRECTORY is absent on Windows, where directories are never opened anyway. */
export const OPEN_DIRECTORY = constants.O_RDONLY | ('O_DIRECTORY' in constants ? constants.O_DIRECTORY : 0);

/** An fs callback; `value` is absent for calls that have no result. */
export type Done<T> = (error: NodeJS.ErrnoException | null | undefined, value: T) => void;

export function settle<T>(resolve: (value: T) => void, reject: (error: unknown) => void): Done<T> {
  return (error, value) => {
    if (error) reject(error);
    else resolve(value);
  };
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

/** One fs call: `sync` makes its sync call, `start` its callback call (both look `fs.x` up when they run). */
function call<T>(sync: () => T, start: (done: Done<T>) => void): Steps<T> {
  return perform({
    sync,
    async: () =>
      new Promise<T>((resolve, reject) => {
        start(settle(resolve, reject));
      }),
  });
}

export const open = (path: FsPath, flags: number, mode: number) =>
  call(
    () => fs.openSync(path, flags, mode),
    (done) => {
      fs.open(path, flags, mode, done);
    },
  );
export const write = (fd: number, bytes: Uint8Array, offset: number, length: number) =>
  call(
    () => fs.writeSync(fd, bytes, offset, length, null),
    (done) => {
      fs.write(fd, bytes, offset, length, null, done);
    },
  );
export const fsync = (fd: number) =>
  call(
    () => {
      fs.fsyncSync(fd);
    },
    (done) => {
      fs.fsync(fd, done);
    },
  );
export const close = (fd: number) =>
  call(
    () => {
      fs.closeSync(fd);
    },
    (done) => {
      fs.close(fd, done);
    },
  );
export const rename = (from: FsPath, to: FsPath) =>
  call(
    () => {
      fs.renameSync(from, to);
    },
    (done) => {
      fs.rename(from, to, done);
    },
  );
export const link = (from: FsPath, to: FsPath) =>
  call(
    () => {
      fs.linkSync(from, to);
    },
    (done) => {
      fs.link(from, to, done);
    },
  );
export const unlink = (path: FsPath) =>
  call(
    () => {
      fs.unlinkSync(path);
    },
    (done) => {
      fs.unlink(path, done);
    },
  );
export const fchmod = (fd: number, mode: number) =>
  call(
    () => {
      fs.fchmodSync(fd, mode);
    },
    (done) => {
      fs.fchmod(fd, mode, done);
    },
  );
export const fchown = (fd: number, uid: number, gid: number) =>
  call(
    () => {
      fs.fchownSync(fd, uid, gid);
    },
    (done) => {
      fs.fchown(fd, uid, gid, done);
    },
  );
/** Names as bytes: a name that is not UTF-8 would not survive a round trip through a string. */
export const readdir = (path: FsPath) =>
  call(
    () => fs.readdirSync(path, { encoding: 'buffer' }),
    (done) => {
      fs.readdir(path, { encoding: 'buffer' }, done);
    },
  );

export const sleep = (ms: number): Steps<void> =>
  perform({
    sync: () => {
      sleepSync(ms);
    },
    async: () =>
      new Promise((resolve) => {
        setTimeout(resolve, ms);
      }),
  });

/** Steps whose outcome nothing waits for: the async driver does not wait for them either. */
export const detach = (steps: Steps<unknown>): Steps<void> =>
  perform({
    sync: () => runSync(steps),
    async: () => {
      void runAsync(steps);
    },
  });

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

/** The reason of the first of `results` that is a rejection. */
export function firstRejection(...results: readonly PromiseSettledResult<unknown>[]): unknown {
  return results.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason;
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
  for (const cleanup of cleanups) if (cleanup) yield* succeeded(cleanup);
}

/** Whether `steps` completed. A temp file that cannot be removed is recognisable by name and swept later. */
function* succeeded(steps: Steps<void>): Steps<boolean> {
  try {
    yield* steps;
    return true;
  } catch {
    return false;
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
