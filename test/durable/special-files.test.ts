import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transpiledHelperEntry } from './support/transpiled-helper.js';

const PROGRAM = resolve(import.meta.dirname, 'programs/special-files.mjs');
const dir = mkdtempSync(join(tmpdir(), 'durable-special-'));
let helperEntry: string;
beforeAll(() => {
  helperEntry = transpiledHelperEntry();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loaders on FIFOs and /dev/zero (child process, hard timeout)', () => {
  it('refuse them at once, and eight concurrent FIFO loads leave the thread pool free for a write', () => {
    // A regression blocks in open() or reads /dev/zero forever: SIGKILL after 20 s fails the test
    // instead of stalling the run (the whole program takes well under a second when it works).
    const child = spawnSync(process.execPath, [PROGRAM, helperEntry, dir], {
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, UV_THREADPOOL_SIZE: '4' },
    });
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    const report = JSON.parse(child.stdout) as {
      loads: Record<string, { fifo: string; devZero: string }>;
      concurrent: string[];
      afterwards: string;
      written: string;
    };
    expect(Object.keys(report.loads)).toHaveLength(6);
    for (const outcome of Object.values(report.loads)) {
      expect(outcome).toEqual({ fifo: 'NOT_REGULAR_FILE:fifo', devZero: 'NOT_REGULAR_FILE:character-device' });
    }
    expect(report.concurrent).toEqual(Array(8).fill('NOT_REGULAR_FILE:fifo'));
    expect(report.afterwards).toBe('ok');
    expect(report.written).toBe('{"written":true}\n');
  });

  it('a sync load of a FIFO with no writer returns at once: NOT_REGULAR_FILE (fifo)', () => {
    const fifo = join(dir, 'no-writer');
    execFileSync('mkfifo', [fifo]);
    // A blocking open() of a FIFO waits for a writer that never comes: the hard timeout ends it.
    const program = `
      const { readFileValidatedSync } = await import(process.argv[1]);
      const result = readFileValidatedSync(process.argv[2]);
      console.log(result.ok ? 'ok' : result.error.code + ':' + result.error.fileType);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', program, helperEntry, fifo], {
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect({ signal: child.signal, stdout: child.stdout.trim() }).toEqual({
      signal: null,
      stdout: 'NOT_REGULAR_FILE:fifo',
    });
  });
});
