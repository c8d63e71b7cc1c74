import fs from 'node:fs';
import type { Stats } from 'node:fs';
import type { WriterLayers } from './layers.js';
import type { NormalizedWriteOptions } from './options.js';
import { isRoot, isWindows } from './platform.js';
import { fchmod, fchown, tagged } from './steps.js';
import type { Steps } from './steps.js';
import type { Target } from './target.js';

/** What must change on a fresh temp file so that it replaces `target` without changing its access. */
export interface OwnershipFix {
  /** The owner to set, or `undefined` to keep it. */
  readonly owner: { readonly uid: number; readonly gid: number } | undefined;
  /** The permission bits to set, or `undefined` when they already match. */
  readonly mode: number | undefined;
}

/**
 * Compares the temp file's own stats with what it should get, so only what actually differs is
 * changed (umask and set-group-ID directories make the outcome of the create unpredictable
 * otherwise): an explicit `chown`, and with `copyTarget` the target's mode (unless `mode` is given)
 * and, as root, its owner (unless `chown` is given). `fstat` on a descriptor just opened is answered
 * from the in-memory inode; it runs on the calling thread because a thread-pool round trip costs
 * more than the call (measured: 3-5% of a 4 KiB durable write). `undefined`: nothing to change,
 * decided without a call in the common case.
 */
export function planOwnershipFix(
  fd: number,
  target: Stats | undefined,
  settings: NormalizedWriteOptions,
  copyTarget: boolean,
): OwnershipFix | undefined {
  const copyMode = copyTarget && target !== undefined && settings.mode === undefined;
  const copyOwner = copyTarget && target !== undefined && settings.chown === undefined && isRoot() && !isWindows();
  const wantedOwner = settings.chown || (copyOwner ? target : undefined);
  if (!wantedOwner && !copyMode) return undefined;
  const temp = fs.fstatSync(fd);
  const owner =
    wantedOwner && (temp.uid !== wantedOwner.uid || temp.gid !== wantedOwner.gid)
      ? { uid: wantedOwner.uid, gid: wantedOwner.gid }
      : undefined;
  const wantedMode = copyMode ? target.mode & 0o7777 : temp.mode & 0o7777;
  // chown clears the set-user-ID and set-group-ID bits, so after a chown the mode is always set.
  const mode = owner !== undefined || (temp.mode & 0o7777) !== wantedMode ? wantedMode : undefined;
  return owner === undefined && mode === undefined ? undefined : { owner, mode };
}

/** The calls that apply {@link planOwnershipFix}; undefined when nothing is to change (no thread-pool work). */
export function fixOwnership(
  fd: number,
  target: Target,
  settings: NormalizedWriteOptions,
  layers: WriterLayers,
): Steps<void> | undefined {
  let fix: OwnershipFix | undefined;
  try {
    fix = planOwnershipFix(fd, target.stats, settings, layers.keepsTargetOwnerAndMode);
  } catch (error) {
    throw layers.failed('set-mode', target.path)(error);
  }
  if (!fix) return undefined;
  const { owner, mode } = fix;
  return (function* () {
    // The owner goes first: chown clears the set-user-ID and set-group-ID bits.
    if (owner) yield* tagged(layers.failed('set-owner', target.path), fchown(fd, owner.uid, owner.gid));
    if (mode !== undefined) yield* tagged(layers.failed('set-mode', target.path), fchmod(fd, mode));
  })();
}
