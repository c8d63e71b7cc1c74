import { DurabilityUnknownError, stepError, taggedSync } from './errors.js';
import type { DurableWriteStep } from './errors.js';
import type { WriterLayers } from './layers.js';
import { planOwnershipFix } from './ownership.js';
import { writeQueue } from './path-queue.js';
import { RENAME_RETRY_DELAYS_MS, shouldRetryRename } from './platform.js';
import { fchmod, fchown, rename, sleep, tagged } from './steps.js';
import type { Steps } from './steps.js';
import { inspectTargetSync } from './target.js';
import type { Target } from './target.js';

function failed(step: DurableWriteStep, path: string): (error: unknown) => unknown {
  // The directory fsync is the one step after the rename: the new contents are in place.
  return (error) => (step === 'fsync-directory' ? new DurabilityUnknownError(step, path, error) : stepError(step, path, error));
}

/** Undefined when nothing is to change (the common case: no thread-pool work). */
function copyOwnerAndMode(fd: number, target: Target, explicitMode: number | undefined): Steps<void> | undefined {
  const fix = taggedSync('set-mode', target.path, () => planOwnershipFix(fd, target.stats, explicitMode));
  if (!fix) return undefined;
  const { owner, mode } = fix;
  return (function* () {
    // The owner goes first: chown clears the set-user-ID and set-group-ID bits.
    if (owner) yield* tagged(failed('set-owner', target.path), fchown(fd, owner.uid, owner.gid));
    if (mode !== undefined) yield* tagged(failed('set-mode', target.path), fchmod(fd, mode));
  })();
}

function* renameWithRetry(from: string, to: string): Steps<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return yield* rename(from, to);
    } catch (error) {
      if (!shouldRetryRename(error, attempt)) throw error;
      yield* sleep(RENAME_RETRY_DELAYS_MS[attempt] ?? 0);
    }
  }
}

/** The runtime package's writers: every layer of {@link WriterLayers}. */
export const fullLayers: WriterLayers = {
  failed,
  resolveTarget: (path, settings) => taggedSync('resolve-target', path, () => inspectTargetSync(path, !settings.exclusive, settings.replaceSpecialFile)),
  copyOwnerAndMode,
  rename: renameWithRetry,
  inOrder: (path, write) => writeQueue.run([path], write),
};
