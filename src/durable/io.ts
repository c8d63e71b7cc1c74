import fs from 'node:fs';
import type { FsPath } from './fs-path.js';
import { settle } from './steps.js';

// The readers' descriptor calls. The callback API is wrapped by hand instead of using fs.promises:
// FileHandle adds an object and a promise per call, and looking up `fs.x` at call time lets tests
// inject failures. (The writers' calls are steps: see steps.ts.)

export const open = (path: FsPath, flags: number, mode: number) =>
  new Promise<number>((resolve, reject) => fs.open(path, flags, mode, settle(resolve, reject)));
export const close = (fd: number) => new Promise<void>((resolve, reject) => fs.close(fd, settle(resolve, reject)));

/** Best-effort cleanup: the caller is already reporting the error that matters. */
export function closeQuietly(fd: number | undefined): Promise<void> {
  return fd === undefined ? Promise.resolve() : close(fd).catch(() => undefined);
}
export function closeQuietlySync(fd: number | undefined): void {
  try {
    if (fd !== undefined) fs.closeSync(fd);
  } catch {
    // Reporting the original failure matters more than a failed cleanup.
  }
}
