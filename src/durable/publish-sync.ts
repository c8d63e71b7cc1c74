import fs from 'node:fs';
import type { PathLike } from 'node:fs';
import { join } from 'node:path';
import { DurabilityUnknownError, taggedSync } from './errors.js';
import { CREATE_EXCLUSIVE, OPEN_DIRECTORY, closeQuietlySync, unlinkQuietlySync } from './io.js';
import type { WriterLayers } from './layers.js';
import { normalizeWriteOptions } from './options.js';
import type { DurableWriteOptions } from './options.js';
import { toPayload } from './payload.js';
import type { DurableSyncData } from './payload.js';
import { isDirectoryFsyncUnsupported, isWindows, toAbsolutePath } from './platform.js';
import { hasLeftoversToSweep, sweepLeftoversSync } from './leftovers.js';
import { createTempName } from './temp-name.js';

function createTempSync(dir: string, base: string, mode: number): { fd: number; tempPath: string } {
  if (hasLeftoversToSweep(dir)) sweepLeftoversSync(dir);
  for (;;) {
    const tempPath = join(dir, createTempName(base));
    try {
      return { fd: fs.openSync(tempPath, CREATE_EXCLUSIVE, mode), tempPath };
    } catch (error) {
      // Only a leftover from a dead process with a recycled pid can collide; pick another name.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The durable write of {@link writeFileDurableSync}, with what `layers` add to it (see publish.ts). */
export function publishSync(file: PathLike, data: DurableSyncData, options: DurableWriteOptions, layers: WriterLayers): void {
  const settings = normalizeWriteOptions(options);
  const path = toAbsolutePath(file);
  const payload = toPayload(data, settings.encoding, false);
  if (payload.kind !== 'bytes') return; // unreachable: toPayload refuses chunks here
  const target = taggedSync('resolve-target', path, () => layers.resolveTarget(path, settings));
  const { fd, tempPath } = taggedSync('open-temp', target.path, () =>
    createTempSync(target.dir, target.base, settings.mode ?? 0o666),
  );
  let dirFd: number | undefined;
  try {
    if (settings.directorySync && !isWindows()) {
      // Opened before the rename so that failing to open it cannot follow a commit.
      dirFd = taggedSync('open-directory', target.path, () => fs.openSync(target.dir, OPEN_DIRECTORY));
    }
    const { bytes } = payload;
    taggedSync('write', target.path, () => {
      let offset = 0;
      while (offset < bytes.byteLength) {
        const written = fs.writeSync(fd, bytes, offset, bytes.byteLength - offset, null);
        if (written === 0) throw Object.assign(new Error('EIO: write made no progress'), { code: 'EIO', syscall: 'write' });
        offset += written;
      }
    });
    layers.copyOwnerAndModeSync(fd, target, settings.mode);
    taggedSync('fsync', target.path, () => fs.fsyncSync(fd));
  } catch (error) {
    closeQuietlySync(fd);
    unlinkQuietlySync(tempPath);
    closeQuietlySync(dirFd);
    throw error;
  }
  try {
    taggedSync('close', target.path, () => fs.closeSync(fd));
    if (settings.exclusive) {
      // link() fails with EEXIST atomically, which rename() cannot do.
      taggedSync('link', target.path, () => fs.linkSync(tempPath, target.path));
      unlinkQuietlySync(tempPath);
    } else {
      taggedSync('rename', target.path, () => layers.renameSync(tempPath, target.path));
    }
  } catch (error) {
    unlinkQuietlySync(tempPath);
    closeQuietlySync(dirFd);
    throw error;
  }
  if (dirFd === undefined) return;
  try {
    fs.fsyncSync(dirFd);
  } catch (error) {
    if (!isDirectoryFsyncUnsupported(error)) throw new DurabilityUnknownError('fsync-directory', target.path, error);
  } finally {
    closeQuietlySync(dirFd);
  }
}
