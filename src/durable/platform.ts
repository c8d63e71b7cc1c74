import type { PathLike } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from './errors.js';

// Read at call time, not load time, so the Windows paths can be exercised by tests on Linux.
export function isWindows(): boolean {
  return process.platform === 'win32';
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The absolute path a `PathLike` names. Every entry point (readers, writers, sweep) checks its path
 * here, so a caller's mistake gets the same `TypeError` from all of them: file descriptors are
 * refused (a rename needs a name), and so are an empty path (`resolve('')` would name the working
 * directory) and a NUL byte (no system call can take it; `fs` throws `ERR_INVALID_ARG_VALUE` too).
 */
export function toAbsolutePath(file: PathLike): string {
  let path: string;
  if (typeof file === 'string') path = file;
  else if (Buffer.isBuffer(file)) path = file.toString();
  else if (file instanceof URL) path = fileURLToPath(file);
  else throw invalidArgument('ERR_INVALID_ARG_TYPE', `file must be a path (string, Buffer or file: URL), got ${file === null ? 'null' : typeof file}`);
  if (path === '') throw invalidArgument('ERR_INVALID_ARG_VALUE', 'file must not be an empty path');
  if (path.includes('\0')) {
    throw invalidArgument('ERR_INVALID_ARG_VALUE', `file must not contain a NUL byte, got ${JSON.stringify(path)}`);
  }
  return resolve(path);
}

// Windows reports a rename over a file that another process (an indexer, an antivirus, a reader
// without FILE_SHARE_DELETE) holds open with these codes; they clear within milliseconds.
export const RENAME_RETRY_CODES: ReadonlySet<string> = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** Bounded backoff for those retries: 8 retries, about one second in total. */
export const RENAME_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 160, 220, 220, 250];

export function shouldRetryRename(error: unknown, attempt: number): boolean {
  return (
    isWindows() &&
    attempt < RENAME_RETRY_DELAYS_MS.length &&
    RENAME_RETRY_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '')
  );
}

// Directory fsync is refused with these by file systems that have nothing to flush for a
// directory (some FUSE and network file systems); SQLite ignores such failures the same way.
const DIRECTORY_FSYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);

export function isDirectoryFsyncUnsupported(error: unknown): boolean {
  return DIRECTORY_FSYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
