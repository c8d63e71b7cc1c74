// What this machine lets a test do. Tests that need a capability skip without it;
// scripts/check-skips.js fails CI when a test skipped on a machine that has them all.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const isRoot = process.getuid?.() === 0;

/** Linux capability numbers (linux/capability.h) of the ones the tests need. */
const CAPABILITIES = { mknod: 27, sysAdmin: 21 };

/** Whether this process has a capability in its effective set (false off Linux). */
export function hasCapability(name) {
  try {
    const mask = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return mask !== undefined && ((BigInt(`0x${mask}`) >> BigInt(CAPABILITIES[name])) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** Why strace cannot trace a child here, or undefined when it can: installed is not enough (ptrace may be refused). */
export function straceUnavailableReason() {
  const probe = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.error) return `strace is not installed (${probe.error.message}); apt-get install -y strace`;
  if (probe.status !== 0) return `strace cannot trace here: ${probe.stderr.trim()}`;
  return undefined;
}

/** Why the loop-device power-cut test cannot run here, or undefined when it can. */
export function loopDevicesUnavailableReason() {
  const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (process.platform !== 'linux') return 'not Linux';
  if (!isRoot) return 'needs root for losetup and mount';
  if (!has('losetup') || !has('mkfs.ext4') || !has('mount'))
    return 'needs losetup, mount (util-linux) and mkfs.ext4 (e2fsprogs)';
  if (!existsSync('/dev/loop-control')) return 'no /dev/loop-control';
  return undefined;
}
