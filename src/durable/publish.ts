import type { PathLike } from 'node:fs';
import { join } from 'node:path';
import { DurabilityUnknownError, tagged, taggedSync, throwIfAborted } from './errors.js';
import * as io from './io.js';
import type { WriterLayers } from './layers.js';
import { normalizeWriteOptions } from './options.js';
import type { DurableWriteOptions, NormalizedWriteOptions } from './options.js';
import { toBytes, toPayload } from './payload.js';
import type { DurableData, Payload } from './payload.js';
import { isDirectoryFsyncUnsupported, isWindows, toAbsolutePath } from './platform.js';
import type { Target } from './target.js';
import { hasLeftoversToSweep, sweepLeftovers } from './leftovers.js';
import { createTempName } from './temp-name.js';

/**
 * The durable write of {@link writeFileDurable}, with what `layers` add to it: temp file, write,
 * fsync, close, rename over the target, directory fsync.
 */
export async function publish(file: PathLike, data: DurableData, options: DurableWriteOptions, layers: WriterLayers): Promise<void> {
  const settings = normalizeWriteOptions(options);
  const path = toAbsolutePath(file);
  const payload = toPayload(data, settings.encoding, true);
  const write = async () => {
    const prepared = await prepareTemp(path, payload, settings, settings.directorySync && !isWindows(), layers);
    await commitTemp(prepared, settings, layers);
    if (prepared.dirFd !== undefined) await syncDirectory(prepared.dirFd, prepared.target.path);
  };
  await (layers.inOrder ? layers.inOrder(path, write) : write());
}

/** A temp file holding the complete, fsynced new contents, closed and ready to be renamed. */
export interface PreparedTemp {
  readonly target: Target;
  readonly tempPath: string;
  /** The target directory, opened before the rename so that failing to open it cannot follow a commit. */
  readonly dirFd: number | undefined;
}

function createTemp(dir: string, base: string, mode: number): Promise<{ fd: number; tempPath: string }> {
  const tempPath = join(dir, createTempName(base));
  return io.open(tempPath, io.CREATE_EXCLUSIVE, mode).then(
    (fd) => ({ fd, tempPath }),
    (error: unknown) => {
      // Only a leftover from a dead process with a recycled pid can collide; pick another name.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return createTemp(dir, base, mode);
      throw error;
    },
  );
}

/**
 * Waits for every promise to settle (handlers are attached to all of them at once, so a late one
 * can never be an unhandled rejection); rethrows the first failure in argument order.
 */
async function allSettledOrThrow(...operations: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
  const results = await Promise.allSettled(operations);
  // A type guard, not inference: TypeScript before 5.5 does not narrow through `find`, and the
  // vendored copy of this file must compile there.
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Steps 1–4 up to the close: everything that can fail without touching the target. The target is
 * inspected first, on this thread (lstat answers from the dentry cache, and a thread-pool round
 * trip would cost more than the call; see planOwnershipFix), so that a refused target leaves no
 * trace and the temp goes straight next to the file a symlink points to. Then the temp creation
 * and the directory open go to the thread pool together.
 */
export async function prepareTemp(
  path: string,
  payload: Payload,
  settings: NormalizedWriteOptions,
  openDirectory: boolean,
  layers: WriterLayers,
): Promise<PreparedTemp> {
  throwIfAborted(settings.signal);
  const target = taggedSync('resolve-target', path, () => layers.resolveTarget(path, settings));
  if (hasLeftoversToSweep(target.dir)) await sweepLeftovers(target.dir);
  const createMode = settings.mode ?? 0o666;
  const creating = tagged('open-temp', target.path, createTemp(target.dir, target.base, createMode));
  const openingDirectory = openDirectory ? tagged('open-directory', target.path, io.open(target.dir, io.OPEN_DIRECTORY, 0)) : undefined;
  // Both descriptors must be known before anything may be cleaned up.
  const [created, opened] = await Promise.allSettled([creating, openingDirectory]);
  const temp = created.status === 'fulfilled' ? created.value : undefined;
  const dirFd = opened.status === 'fulfilled' ? opened.value : undefined;
  const discard = async () => {
    if (temp) await io.closeQuietly(temp.fd).then(() => io.unlinkQuietly(temp.tempPath));
    await io.closeQuietly(dirFd);
  };
  if (!temp || opened.status === 'rejected') {
    await discard();
    throw created.status === 'rejected' ? created.reason : (opened as PromiseRejectedResult).reason;
  }
  try {
    throwIfAborted(settings.signal);
    const { fd } = temp;
    // Writing and copying the owner/mode touch different parts of the inode and overlap safely;
    // both must settle before the descriptor may be closed.
    const writing = tagged('write', target.path, payload.kind === 'bytes' ? writeAll(fd, payload.bytes) : writeChunks(fd, payload, settings.signal));
    let fixing: Promise<void> | undefined;
    try {
      fixing = layers.copyOwnerAndMode(fd, target, settings.mode);
    } catch (error) {
      fixing = Promise.reject(error);
    }
    await allSettledOrThrow(writing, fixing);
    throwIfAborted(settings.signal);
    await tagged('fsync', target.path, io.fsync(fd));
  } catch (error) {
    await discard();
    throw error;
  }
  try {
    await tagged('close', target.path, io.close(temp.fd));
  } catch (error) {
    await io.unlinkQuietly(temp.tempPath);
    await io.closeQuietly(dirFd);
    throw error;
  }
  return { target, tempPath: temp.tempPath, dirFd };
}

async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const written = await io.write(fd, bytes, offset, bytes.byteLength - offset);
    if (written === 0) throw Object.assign(new Error('EIO: write made no progress'), { code: 'EIO', syscall: 'write' });
    offset += written;
  }
}

async function writeChunks(fd: number, payload: Extract<Payload, { kind: 'chunks' }>, signal: AbortSignal | undefined): Promise<void> {
  for await (const chunk of payload.chunks) {
    throwIfAborted(signal);
    await writeAll(fd, toBytes(chunk, payload.encoding));
  }
}

/** Step 4: puts the prepared temp file in place. On failure the temp file is removed. */
export async function commitTemp(prepared: PreparedTemp, settings: NormalizedWriteOptions, layers: WriterLayers): Promise<void> {
  const { target, tempPath } = prepared;
  try {
    throwIfAborted(settings.signal);
    if (settings.exclusive) {
      // link() fails with EEXIST atomically, which rename() cannot do.
      await tagged('link', target.path, io.link(tempPath, target.path));
      await io.unlinkQuietly(tempPath);
    } else {
      await tagged('rename', target.path, layers.rename(tempPath, target.path));
    }
  } catch (error) {
    await io.unlinkQuietly(tempPath);
    await io.closeQuietly(prepared.dirFd);
    throw error;
  }
}

/** Makes the directory entry change durable; closes `dirFd` whatever happens. */
export async function syncDirectory(dirFd: number, reportedPath: string): Promise<void> {
  try {
    await io.fsync(dirFd);
  } catch (error) {
    if (!isDirectoryFsyncUnsupported(error)) throw new DurabilityUnknownError('fsync-directory', reportedPath, error);
  } finally {
    // Closing a read-only directory descriptor has no outcome worth waiting for, and the wait
    // is a full thread-pool round trip (about 5% of a 4 KiB durable write on a local SSD).
    void io.closeQuietly(dirFd);
  }
}
