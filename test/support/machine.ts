/**
 * What this machine lets a test do: a test that needs a capability skips without it, and
 * `scripts/check-skips.js` fails CI when a durability test skipped on a machine that has it.
 */
import { readFileSync } from 'node:fs';

export const isRoot = process.getuid?.() === 0;

/** Linux capability numbers (linux/capability.h) of the ones the tests need. */
const CAPABILITIES = { mknod: 27, sysAdmin: 21 } as const;

/** Whether this process has a capability in its effective set (false off Linux). */
export function hasCapability(name: keyof typeof CAPABILITIES): boolean {
  try {
    const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return line !== undefined && ((BigInt(`0x${line}`) >> BigInt(CAPABILITIES[name])) & 1n) === 1n;
  } catch {
    return false;
  }
}
