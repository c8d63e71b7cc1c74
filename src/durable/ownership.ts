import fs from 'node:fs';
import type { Stats } from 'node:fs';
import { isRoot, isWindows } from './platform.js';

/** What must change on a fresh temp file so that it replaces `target` without changing its access. */
export interface OwnershipFix {
  /** The owner to set (only as root, where chown is allowed), or `undefined` to keep it. */
  readonly owner: { readonly uid: number; readonly gid: number } | undefined;
  /** The permission bits to set, or `undefined` when they already match. */
  readonly mode: number | undefined;
}

/**
 * Compares the temp file's own stats with the target's, so only what actually differs is changed
 * (umask and set-group-ID directories make the outcome of the create unpredictable otherwise).
 * `fstat` on a descriptor just opened is answered from the in-memory inode; it runs on the calling
 * thread because a thread-pool round trip costs more than the call (measured: 3-5% of a 4 KiB
 * durable write). Returns `undefined` when nothing is to be copied: no target, or an explicit mode.
 */
export function planOwnershipFix(fd: number, target: Stats | undefined, explicitMode: number | undefined): OwnershipFix | undefined {
  if (target === undefined || explicitMode !== undefined) return undefined;
  const temp = fs.fstatSync(fd);
  const wantedMode = target.mode & 0o7777;
  const owner = isRoot() && !isWindows() && (temp.uid !== target.uid || temp.gid !== target.gid) ? { uid: target.uid, gid: target.gid } : undefined;
  // chown clears the set-user-ID and set-group-ID bits, so after a chown the mode is always set.
  const mode = owner !== undefined || (temp.mode & 0o7777) !== wantedMode ? wantedMode : undefined;
  return owner === undefined && mode === undefined ? undefined : { owner, mode };
}
