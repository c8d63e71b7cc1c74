import type { PathLike } from 'node:fs';
import { throwIfAborted } from './errors.js';
import { joinPath, pathKey, toFsPath } from './fs-path.js';
import type { FsPath } from './fs-path.js';
import type { WriterLayers } from './layers.js';
import { hasLeftoversToSweep, sweepLeftovers } from './leftovers.js';
import { normalizeWriteOptions } from './options.js';
import type { DurableWriteOptions, NormalizedWriteOptions } from './options.js';
import { toBytes, toPayload } from './payload.js';
import type { DurableData, DurableSyncData, Payload } from './payload.js';
import { fixOwnership } from './ownership.js';
import { writeQueue } from './path-queue.js';
import { isDirectoryFsyncUnsupported, isWindows } from './platform.js';
import {
  CREATE_EXCLUSIVE,
  OPEN_DIRECTORY,
  close,
  detach,
  firstRejection,
  fsync,
  link,
  open,
  perform,
  pull,
  quietly,
  runAsync,
  runSync,
  settleBoth,
  tagged,
  unlink,
  write,
} from './steps.js';
import type { Steps } from './steps.js';
import { inspectTargetSync } from './target.js';
import type { Target } from './target.js';
import { createTempName } from './temp-name.js';

/**
 * The durable write of `writeFileDurable`, with what `layers` add to it: a temp file next to the
 * target, every byte written, fsync, close, rename over the target, fsync of the directory. Async
 * writes to one path in this thread run in call order, so the last call's data wins.
 */
export async function publish(
  file: PathLike,
  data: DurableData,
  options: DurableWriteOptions,
  layers: WriterLayers,
): Promise<void> {
  const settings = normalizeWriteOptions(options);
  const path = toFsPath(file);
  const payload = toPayload(data, settings.encoding, true);
  await writeQueue.run([pathKey(path)], () => runAsync(publishSteps(path, payload, settings, layers)));
}

/** The same steps, for `writeFileDurableSync`; `options.signal` is ignored, as `fs.writeFileSync` ignores it. */
export function publishSync(
  file: PathLike,
  data: DurableSyncData,
  options: DurableWriteOptions,
  layers: WriterLayers,
): void {
  const settings = { ...normalizeWriteOptions(options, 'writeFileDurableSync'), signal: undefined };
  const path = toFsPath(file);
  runSync(publishSteps(path, toPayload(data, settings.encoding, false), settings, layers));
}

function* publishSteps(
  path: FsPath,
  payload: Payload,
  settings: NormalizedWriteOptions,
  layers: WriterLayers,
): Steps<void> {
  const prepared = yield* prepareTemp(path, payload, settings, settings.directorySync && !isWindows(), layers);
  yield* commitTemp(prepared, settings, layers);
  if (prepared.dirFd !== undefined) yield* syncDirectory(prepared.dirFd, prepared.target.path, layers);
}

/** A temp file holding the complete, fsynced new contents, closed and ready to be renamed. */
export interface PreparedTemp {
  readonly target: Target;
  readonly tempPath: FsPath;
  /** The target directory, opened before the rename so that failing to open it cannot follow a commit. */
  readonly dirFd: number | undefined;
}

const closeDirectory = (dirFd: number | undefined) => (dirFd === undefined ? undefined : close(dirFd));

function* createTemp(dir: FsPath, base: FsPath, mode: number): Steps<{ fd: number; tempPath: FsPath }> {
  for (;;) {
    const tempPath = joinPath(dir, createTempName(base));
    try {
      return { fd: yield* open(tempPath, CREATE_EXCLUSIVE, mode), tempPath };
    } catch (error) {
      // Only a leftover from a dead process with a recycled pid can collide; pick another name.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Steps 1–4 up to the close: everything that can fail without touching the target. The target is
 * inspected first, on this thread (lstat answers from the dentry cache, and a thread-pool round
 * trip would cost more than the call; see planOwnershipFix), so that a refused target leaves no
 * trace and the temp goes straight next to the file a symlink points to. Then the temp creation
 * and the directory open go to the thread pool together.
 */
export function* prepareTemp(
  path: FsPath,
  payload: Payload,
  settings: NormalizedWriteOptions,
  openDirectory: boolean,
  layers: WriterLayers,
): Steps<PreparedTemp> {
  throwIfAborted(settings.signal);
  let target: Target;
  try {
    target = inspectTargetSync(path, !settings.exclusive, settings.replaceSpecialFile);
  } catch (error) {
    throw layers.failed('resolve-target', path)(error);
  }
  if (hasLeftoversToSweep(target.dir)) yield* sweepLeftovers(target.dir);
  const [created, opened] = yield* settleBoth(
    tagged(
      layers.failed('open-temp', target.path),
      createTemp(target.dir, target.base, typeof settings.mode === 'number' ? settings.mode : 0o666),
    ),
    openDirectory
      ? tagged(layers.failed('open-directory', target.path), open(target.dir, OPEN_DIRECTORY, 0))
      : undefined,
  );
  // Both descriptors must be known before anything may be cleaned up.
  const temp = created.status === 'fulfilled' ? created.value : undefined;
  const dirFd = opened.status === 'fulfilled' ? opened.value : undefined;
  if (temp === undefined || opened.status === 'rejected') {
    yield* quietly(temp && close(temp.fd), temp && unlink(temp.tempPath), closeDirectory(dirFd));
    throw firstRejection(created, opened);
  }
  const { fd, tempPath } = temp;
  try {
    for (const callback of settings.tempCreated) yield* tempCreated(callback, tempPath);
    throwIfAborted(settings.signal);
    // Writing and setting the owner/mode touch different parts of the inode and overlap safely;
    // both must settle before the descriptor may be closed.
    const fixing = fixOwnership(fd, target, settings, layers);
    const results = yield* settleBoth(
      tagged(layers.failed('write', target.path), writePayload(fd, payload, settings.signal)),
      fixing,
    );
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    throwIfAborted(settings.signal);
    yield* tagged(layers.failed('fsync', target.path), fsync(fd));
  } catch (error) {
    yield* quietly(close(fd), unlink(tempPath), closeDirectory(dirFd));
    throw error;
  }
  try {
    yield* tagged(layers.failed('close', target.path), close(fd));
  } catch (error) {
    yield* quietly(unlink(tempPath), closeDirectory(dirFd));
    throw error;
  }
  return { target, tempPath, dirFd };
}

/** The caller's `tmpfileCreated`: the async writers await what it returns, the sync ones cannot. */
function tempCreated(callback: (tempPath: FsPath) => unknown, tempPath: FsPath): Steps<unknown> {
  return perform({
    sync: () => callback(tempPath),
    // A callback that throws rejects, as it would in an async function.
    async: () =>
      new Promise((resolve) => {
        resolve(callback(tempPath));
      }),
  });
}

function* writeAll(fd: number, bytes: Uint8Array): Steps<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const written = yield* write(fd, bytes, offset, bytes.byteLength - offset);
    if (written === 0) throw Object.assign(new Error('EIO: write made no progress'), { code: 'EIO', syscall: 'write' });
    offset += written;
  }
}

/** Every byte of the data; chunks are pulled as `for await` pulls them (only the async writer takes chunks). */
function* writePayload(fd: number, payload: Payload, signal: AbortSignal | undefined): Steps<void> {
  if (payload.kind === 'bytes') return yield* writeAll(fd, payload.bytes);
  const { chunks, encoding } = payload;
  // A sync iterable's values are awaited, as `for await` and fs.promises.writeFile await them.
  const iterator =
    Symbol.asyncIterator in chunks
      ? chunks[Symbol.asyncIterator]()
      : (async function* () {
          for (const chunk of chunks) yield await chunk;
        })();
  for (;;) {
    const next = yield* pull(iterator);
    if (next.done) return;
    try {
      throwIfAborted(signal);
      yield* writeAll(fd, toBytes(next.value, encoding));
    } catch (error) {
      // Stop the source (a Readable is destroyed), as leaving a `for await` loop does.
      yield* pull(iterator, 'return');
      throw error;
    }
  }
}

/** Step 4: puts the prepared temp file in place. On failure the temp file is removed. */
export function* commitTemp(
  prepared: PreparedTemp,
  settings: NormalizedWriteOptions,
  layers: WriterLayers,
): Steps<void> {
  const { target, tempPath } = prepared;
  try {
    throwIfAborted(settings.signal);
    if (settings.exclusive) {
      // link() fails with EEXIST atomically, which rename() cannot do.
      yield* tagged(layers.failed('link', target.path), link(tempPath, target.path));
      yield* quietly(unlink(tempPath));
    } else {
      yield* tagged(layers.failed('rename', target.path), layers.rename(tempPath, target.path));
    }
  } catch (error) {
    yield* quietly(unlink(tempPath), closeDirectory(prepared.dirFd));
    throw error;
  }
}

/** Makes the directory entry change durable; closes `dirFd` whatever happens. */
export function* syncDirectory(dirFd: number, reportedPath: FsPath, layers: WriterLayers): Steps<void> {
  try {
    yield* fsync(dirFd);
  } catch (error) {
    if (!isDirectoryFsyncUnsupported(error)) throw layers.failed('fsync-directory', reportedPath)(error);
  } finally {
    // Closing a read-only directory descriptor has no outcome worth waiting for, and the wait
    // is a full thread-pool round trip (about 5% of a 4 KiB durable write on a local SSD).
    yield* detach(quietly(close(dirFd)));
  }
}
