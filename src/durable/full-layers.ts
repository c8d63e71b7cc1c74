import { DurabilityUnknownError, stepError } from './errors.js';
import type { DurableWriteStep } from './errors.js';
import type { FsPath } from './fs-path.js';
import type { WriterLayers } from './layers.js';
import { RENAME_RETRY_DELAYS_MS, shouldRetryRename } from './platform.js';
import { rename, sleep } from './steps.js';
import type { Steps } from './steps.js';

function failed(step: DurableWriteStep, path: FsPath): (error: unknown) => unknown {
  // The directory fsync is the one step after the rename: the new contents are in place.
  return (error) =>
    step === 'fsync-directory' ? new DurabilityUnknownError(step, path, error) : stepError(step, path, error);
}

function* renameWithRetry(from: FsPath, to: FsPath): Steps<void> {
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
  keepsTargetOwnerAndMode: true,
  rename: renameWithRetry,
};
