// Fails CI when a test skipped on a machine that could have run it. The durability tests skip
// without root, ptrace, loop devices or the capabilities they need, and a skip looks like a pass:
// on a machine with all of them (CI runs as root in a VM), no test may skip.
// Usage: node scripts/check-skips.js <vitest json report>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hasCapability, isRoot, loopDevicesUnavailableReason, straceUnavailableReason } from './lib/machine.js';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.scratch/vitest-report.json', 'utf8'));
const skipped = report.testResults.flatMap((file) =>
  file.assertionResults
    .filter((test) => test.status === 'skipped' || test.status === 'pending' || test.status === 'todo')
    .map((test) => `${path.relative(process.cwd(), file.name)} > ${test.fullName}`),
);
const missing = [
  isRoot ? undefined : 'not root',
  hasCapability('mknod') ? undefined : 'no CAP_MKNOD',
  hasCapability('sysAdmin') ? undefined : 'no CAP_SYS_ADMIN',
  straceUnavailableReason(),
  loopDevicesUnavailableReason(),
].filter(Boolean);

for (const test of skipped) console.log(`skipped  ${test}`);
if (missing.length > 0) {
  console.log(`${skipped.length} tests skipped; this machine cannot run them all (${missing.join('; ')})`);
} else if (skipped.length > 0) {
  console.error(
    `${skipped.length} tests skipped on a machine that can run every test (root, CAP_MKNOD, CAP_SYS_ADMIN, strace, loop devices)`,
  );
  process.exit(1);
} else {
  console.log('no test skipped');
}
