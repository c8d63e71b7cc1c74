import type { DurableWriteStep } from './errors.js';
import type { NormalizedWriteOptions } from './options.js';
import { rename } from './steps.js';
import type { Steps } from './steps.js';
import { plainTarget } from './target.js';
import type { Target } from './target.js';

/**
 * What a writer adds to the durable core of publish.ts (temp file, write,
 * fsync, rename, directory fsync). The runtime package's writers have all of it (full-layers.ts).
 * The copy that `durable-write fix --vendor` writes into a project has none of it ({@link plainLayers}):
 * there it behaves like the `writeFile(tmp)` + `rename` a fix replaced, and the fix summary lists
 * only the differences that remain (src/fix/helper-rewrite.ts).
 */
export interface WriterLayers {
  /**
   * What a failed step throws. Full: a DurableWriteError naming the step and the target, with the
   * fs error as cause (a DurabilityUnknownError after the rename). Plain: the fs error itself.
   */
  readonly failed: (step: DurableWriteStep, path: string) => (error: unknown) => unknown;
  /** Where the new file goes. Full: a symlink is followed, and a FIFO, device or directory refused. */
  readonly resolveTarget: (path: string, settings: NormalizedWriteOptions) => Target;
  /** Full: the temp gets the target's mode (and, as root, owner). Undefined when nothing is to change. */
  readonly copyOwnerAndMode: (fd: number, target: Target, explicitMode: number | undefined) => Steps<void> | undefined;
  /** Full: retried while Windows reports the target held open by another process. */
  readonly rename: (from: string, to: string) => Steps<void>;
  /** Full: async writes to the same path run in call order. */
  readonly inOrder: ((path: string, write: () => Promise<void>) => Promise<void>) | undefined;
}

/** fs's own errors, the path as given, the default mode of a new file, one rename attempt, no ordering. */
export const plainLayers: WriterLayers = {
  failed: () => (error) => error,
  resolveTarget: (path) => plainTarget(path),
  copyOwnerAndMode: () => undefined,
  rename,
  inOrder: undefined,
};
