// Read at call time, not load time, so the Windows paths can be exercised by tests on Linux.
export function isWindows(): boolean {
  return process.platform === 'win32';
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
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
