import type { DurableWriteStep } from './errors.js';
import type { FsPath } from './fs-path.js';
import { rename } from './steps.js';
import type { Steps } from './steps.js';

/**
 * What a writer adds to the durable core of publish.ts (the target found as `fs.writeFile` finds it,
 * temp file, write, fsync, rename, directory fsync, per-path call order). The runtime package's
 * writers have all of it (full-layers.ts). The copy that `durable-write fix --vendor` writes into a
 * project has none of it ({@link plainLayers}): there it behaves like the `writeFile(tmp)` + `rename`
 * a fix replaced, and the fix summary lists only the differences that remain (src/fix/helper-rewrite.ts).
 */
export interface WriterLayers {
  /**
   * What a failed step throws. Full: a DurableWriteError naming the step and the target, with the
   * fs error as cause (a DurabilityUnknownError after the rename). Plain: the fs error itself.
   */
  readonly failed: (step: DurableWriteStep, path: FsPath) => (error: unknown) => unknown;
  /** Full: the temp gets the target's mode (and, as root, owner) unless `mode`/`chown` say otherwise. */
  readonly keepsTargetOwnerAndMode: boolean;
  /** Full: retried while Windows reports the target held open by another process. */
  readonly rename: (from: FsPath, to: FsPath) => Steps<void>;
}

/** fs's own errors, the default mode of a new file, one rename attempt. */
export const plainLayers: WriterLayers = {
  failed: () => (error) => error,
  keepsTargetOwnerAndMode: false,
  rename,
};
