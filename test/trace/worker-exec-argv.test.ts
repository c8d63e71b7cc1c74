import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceReport } from '../../src/trace/report.js';
import { programs, register, renamedTargets, scratchDir } from './support.js';

const scratch = scratchDir('worker-exec-argv');
afterAll(scratch.remove);

describe('trace: node --import …/trace, the ES module form docs/trace.md shows', () => {
  // A worker takes command-line flags such as `--import` only from its execArgv (NODE_OPTIONS
  // preloads it runs anyway): the CLI's NODE_OPTIONS path cannot show whether workers with their
  // own execArgv are followed.
  it('follows worker threads started with their own execArgv', () => {
    const saves = scratch.fresh();
    const reports = scratch.fresh();
    const run = spawnSync(process.execPath, ['--import', register, join(programs, 'worker-exec-argv.mjs'), saves], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', DURABLE_WRITE_TRACE_DIR: reports },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const findings = readdirSync(reports).flatMap(
      (name) => (JSON.parse(readFileSync(join(reports, name), 'utf8')) as TraceReport).findings,
    );
    expect(renamedTargets(findings)).toEqual(['empty-exec-argv', 'inherited-exec-argv', 'own-exec-argv']);
  });
});
