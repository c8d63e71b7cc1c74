/**
 * test/node18/runtime.test.mjs is the runtime's suite for Node.js 18, which `.ci/run` runs with the
 * Node.js 18 binaries from test/node18/package.json; here it runs on the suite's own Node.js, so a
 * change that breaks it fails wherever the tests run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the Node.js 18 suite of the runtime passes on this Node.js', () => {
  const suite = fileURLToPath(new URL('../node18/runtime.test.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [suite], { encoding: 'utf8' });
  const failed = run.stdout.split('\n').filter((line) => line.startsWith('not ok'));
  expect({ status: run.status, failed, stderr: run.stderr }).toEqual({ status: 0, failed: [], stderr: '' });
  expect(run.stdout).toMatch(/^# pass [1-9]\d*$/m);
});
