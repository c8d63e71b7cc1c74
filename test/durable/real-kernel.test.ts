import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loopDevicesUnavailableReason } from '../../scripts/lib/machine.js';
import { transpiledHelperEntry } from './support/transpiled-helper.js';

// A real kernel, a real file system: ext4 on a loop device, mounted so that ext4's own rescue of
// rename-over-existing (auto_da_alloc) is off and the journal commits every second. Copying the
// backing image while the file system is still mounted is the power cut.
const SUBJECT = resolve(import.meta.dirname, 'programs/power-cut-subject.mjs');
const reason = loopDevicesUnavailableReason();
if (reason) console.warn(`real-kernel power-cut check skipped: ${reason}`);

// The image lives in the repository's .scratch, on the real disk (os.tmpdir() may be tmpfs).
const scratch = resolve(import.meta.dirname, '../../.scratch');
mkdirSync(scratch, { recursive: true });
const root = mkdtempSync(join(scratch, 'power-cut-'));
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch {
      // Keep cleaning up the rest.
    }
  }
  rmSync(root, { recursive: true, force: true });
});

function mountImage(image: string, mountPoint: string, options: string): void {
  mkdirSync(mountPoint, { recursive: true });
  const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  cleanups.push(() => execFileSync('losetup', ['-d', device]));
  execFileSync('mount', ['-t', 'ext4', '-o', options, device, mountPoint]);
  cleanups.push(() => execFileSync('umount', [mountPoint]));
}

describe.skipIf(reason !== undefined)('real kernel: ext4 on a loop device, power cut by copying the image', () => {
  it('the naive target is lost or empty, the helper target is NEW', { timeout: 60_000 }, (context) => {
    const image = join(root, 'disk.img');
    const mountPoint = join(root, 'mnt');
    writeFileSync(image, '');
    execFileSync('truncate', ['-s', '64M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    try {
      mountImage(image, mountPoint, 'noauto_da_alloc,commit=1');
    } catch (error) {
      context.skip(`loop devices do not work here: ${(error as Error).message.split('\n')[0]}`);
      return;
    }
    const old = Buffer.alloc(64 * 1024, 'OLD contents. ');
    writeFileSync(join(mountPoint, 'naive'), old);
    writeFileSync(join(mountPoint, 'helper'), old);
    execFileSync('sync', ['-f', mountPoint]);

    execFileSync(process.execPath, [SUBJECT, transpiledHelperEntry(), mountPoint]);
    const cut = join(root, 'after-power-cut.img');
    copyFileSync(image, cut);

    const recovered = join(root, 'recovered');
    mountImage(cut, recovered, 'rw');
    const naive = existsSync(join(recovered, 'naive')) ? readFileSync(join(recovered, 'naive')) : undefined;
    const helper = readFileSync(join(recovered, 'helper'));
    expect(helper.equals(Buffer.alloc(64 * 1024, 'NEW contents. '))).toBe(true);
    const naiveState =
      naive === undefined
        ? 'missing'
        : naive.equals(old)
          ? 'OLD (write lost)'
          : naive.length === 0
            ? 'empty'
            : naive.every((b) => b === 0)
              ? 'zeroed'
              : 'other';
    console.info(`after the power cut: naive target ${naiveState}, helper target NEW`);
    expect(['missing', 'OLD (write lost)', 'empty', 'zeroed']).toContain(naiveState);
  });
});
