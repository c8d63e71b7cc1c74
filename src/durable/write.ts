import type { PathLike } from 'node:fs';
import { fullLayers } from './full-layers.js';
import type { DurableWriteOptions } from './options.js';
import type { DurableData } from './payload.js';
import { publish } from './publish.js';

/**
 * Replaces `file` with `data` so that after a crash or power loss at any moment the file holds
 * either its previous contents or all of `data`, never a mix, a truncation or zeros; once the
 * promise resolves, `data` survives a power loss.
 *
 * Steps: create a unique temp file next to the target (`O_CREAT|O_EXCL`), write every byte, copy
 * the target's mode (and owner, as root), fsync, close, rename over the target, fsync the
 * directory. Calls for the same path in this thread run in call order (the last call's data wins).
 *
 * @param file - Path of the file to replace (a symlink is followed; see docs/durable.md).
 * @param data - What `fs.promises.writeFile` accepts: string, `ArrayBufferView`, (async) iterable
 *   of those, or a `Readable`.
 * @param options - What `fs.promises.writeFile` accepts, plus `directorySync`.
 * @throws {@link DurableWriteError} when a step before the rename fails (the target is untouched
 *   and the temp file removed); {@link DurabilityUnknownError} when the directory fsync after the
 *   rename fails; an `AbortError` when `options.signal` aborts before the rename.
 */
export function writeFileDurable(file: PathLike, data: DurableData, options?: DurableWriteOptions): Promise<void> {
  return publish(file, data, options, fullLayers);
}
