import fs from 'node:fs';
import { tagged, taggedSync } from './errors.js';
import * as io from './io.js';
import type { WriterLayers } from './layers.js';
import { planOwnershipFix } from './ownership.js';
import { writeQueue } from './path-queue.js';
import { RENAME_RETRY_DELAYS_MS, shouldRetryRename, sleepSync } from './platform.js';
import { inspectTargetSync } from './target.js';
import type { Target } from './target.js';

/** Undefined when nothing is to change (the common case: no thread-pool work, no promise). */
function copyOwnerAndMode(fd: number, target: Target, explicitMode: number | undefined): Promise<void> | undefined {
  const fix = taggedSync('set-mode', target.path, () => planOwnershipFix(fd, target.stats, explicitMode));
  if (!fix) return undefined;
  const { owner, mode } = fix;
  // The owner goes first: chown clears the set-user-ID and set-group-ID bits.
  const owned = owner ? tagged('set-owner', target.path, io.fchown(fd, owner.uid, owner.gid)) : Promise.resolve();
  return mode === undefined ? owned : owned.then(() => tagged('set-mode', target.path, io.fchmod(fd, mode)));
}

function copyOwnerAndModeSync(fd: number, target: Target, explicitMode: number | undefined): void {
  const fix = taggedSync('set-mode', target.path, () => planOwnershipFix(fd, target.stats, explicitMode));
  // The owner goes first: chown clears the set-user-ID and set-group-ID bits.
  if (fix?.owner) taggedSync('set-owner', target.path, () => fs.fchownSync(fd, fix.owner!.uid, fix.owner!.gid));
  if (fix?.mode !== undefined) taggedSync('set-mode', target.path, () => fs.fchmodSync(fd, fix.mode!));
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await io.rename(from, to);
      return;
    } catch (error) {
      if (!shouldRetryRename(error, attempt)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_DELAYS_MS[attempt]));
    }
  }
}

function renameWithRetrySync(from: string, to: string): void {
  for (let attempt = 0; ; attempt += 1) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      if (!shouldRetryRename(error, attempt)) throw error;
      sleepSync(RENAME_RETRY_DELAYS_MS[attempt] ?? 0);
    }
  }
}

/** The runtime package's writers: every layer of {@link WriterLayers}. */
export const fullLayers: WriterLayers = {
  resolveTarget: (path, settings) => inspectTargetSync(path, !settings.exclusive, settings.replaceSpecialFile),
  copyOwnerAndMode,
  copyOwnerAndModeSync,
  rename: renameWithRetry,
  renameSync: renameWithRetrySync,
  inOrder: (path, write) => writeQueue.run([path], write),
};
