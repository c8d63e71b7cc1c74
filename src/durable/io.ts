import fs, { constants } from 'node:fs';

// The callback API is wrapped by hand instead of using fs.promises: FileHandle adds an object and a
// promise per call on the hot path, and looking up `fs.x` at call time lets tests inject failures.

export function settle<T>(resolve: (value: T) => void, reject: (error: unknown) => void) {
  return (error: NodeJS.ErrnoException | null, value: T) => (error ? reject(error) : resolve(value));
}

/** Flags that create a file that did not exist, so two writers can never share a temp file. */
export const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
/** O_DIRECTORY is absent on Windows, where directories are never opened anyway. */
export const OPEN_DIRECTORY = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0);

export const open = (path: string, flags: number, mode: number) =>
  new Promise<number>((resolve, reject) => fs.open(path, flags, mode, settle(resolve, reject)));
export const write = (fd: number, bytes: Uint8Array, offset: number, length: number) =>
  new Promise<number>((resolve, reject) => fs.write(fd, bytes, offset, length, null, settle(resolve, reject)));
export const fsync = (fd: number) => new Promise<void>((resolve, reject) => fs.fsync(fd, settle(resolve, reject)));
export const close = (fd: number) => new Promise<void>((resolve, reject) => fs.close(fd, settle(resolve, reject)));
export const fchmod = (fd: number, mode: number) =>
  new Promise<void>((resolve, reject) => fs.fchmod(fd, mode, settle(resolve, reject)));
export const fchown = (fd: number, uid: number, gid: number) =>
  new Promise<void>((resolve, reject) => fs.fchown(fd, uid, gid, settle(resolve, reject)));
export const rename = (from: string, to: string) =>
  new Promise<void>((resolve, reject) => fs.rename(from, to, settle(resolve, reject)));
export const link = (from: string, to: string) =>
  new Promise<void>((resolve, reject) => fs.link(from, to, settle(resolve, reject)));
export const unlink = (path: string) => new Promise<void>((resolve, reject) => fs.unlink(path, settle(resolve, reject)));

/** Best-effort cleanup: the caller is already reporting the error that matters. */
export function closeQuietly(fd: number | undefined): Promise<void> {
  return fd === undefined ? Promise.resolve() : close(fd).catch(() => undefined);
}
export function unlinkQuietly(path: string): Promise<void> {
  return unlink(path).catch(() => undefined);
}
export function closeQuietlySync(fd: number | undefined): void {
  try {
    if (fd !== undefined) fs.closeSync(fd);
  } catch {
    // Reporting the original failure matters more than a failed cleanup.
  }
}
export function unlinkQuietlySync(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // A temp file that cannot be removed is recognisable by name and swept later.
  }
}
