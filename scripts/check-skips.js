// Fails CI when a test skipped on a machine that could have run it. The durability tests skip
// without root, ptrace, loop devices or the capabilities they need, and a skip looks like a pass:
// on a machine with all of them (CI runs as root in a VM), no test may skip.
// Usage: node scripts/check-skips.js <vitest json report>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hasCapability, isRoot, loopDevicesUnavailableReason, straceUnavailableReason } from './lib/machine.js';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.scratch/vitest-report.json', 'utf8'));
// Skips that no machine of ours can avoid, each with why; anything else that skips fails the run.
const expectedSkips = [
  {
    test: /^test\/integration\/check-parity\.test\.ts > .*evaluation set 2/,
    why: "set 2's sources are git mirrors fetched by hand; CI reaches the npm registry only",
  },
  {
    test: /^test\/durable\/peer-(options|suites)\.test\.ts > .*(may not give|0444 file in a writable directory is refused|as a non-root user)/,
    why: 'the non-root side of a root/non-root pair; as root, the test run as uid 65534 covers it',
  },
];
const allSkipped = report.testResults.flatMap((file) =>
  file.assertionResults
    .filter((test) => test.status === 'skipped' || test.status === 'pending' || test.status === 'todo')
    .map((test) => `${path.relative(process.cwd(), file.name)} > ${test.fullName}`),
);
const expected = (test) => expectedSkips.find((e) => e.test.test(test));
for (const test of allSkipped.filter(expected)) console.log(`expected skip  ${test} (${expected(test).why})`);
const skipped = allSkipped.filter((test) => !expected(test));
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
