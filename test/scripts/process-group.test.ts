import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInGroup } from '../../codemods/process-group.js';

// The interrupted script is plain Node: it imports the build.
const processGroupModule = resolve(import.meta.dirname, '../../dist/codemods/process-group.js');

/** Gone, or killed and waiting to be reaped by init (a zombie runs nothing). */
function isDead(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** SIGKILL is delivered when the process next runs: allow it a bounded number of turns. */
async function diesSoon(pid: number): Promise<boolean> {
  for (let turn = 0; turn < 200; turn++) {
    if (isDead(pid)) return true;
    await sleep(25);
  }
  return false;
}

async function readPid(file: string): Promise<number> {
  for (let turn = 0; turn < 400; turn++) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text.endsWith('\n')) return Number(text);
    }
    await sleep(25);
  }
  throw new Error(`${file} was never written`);
}

describe('runInGroup', () => {
  let dir: string;
  let grandchild: number | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'process-group-'));
    grandchild = undefined;
  });
  afterEach(() => {
    if (grandchild !== undefined && !isDead(grandchild)) process.kill(grandchild, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns status and output like spawnSync', async () => {
    const result = await runInGroup('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toMatchObject({ status: 3, signal: null, timedOut: false, stdout: 'out\n', stderr: 'err\n' });
    const missing = await runInGroup(join(dir, 'no-such-command'), []);
    expect(missing.status).toBeNull();
    expect(missing.error).toMatchObject({ code: 'ENOENT' });
  });

  it('on timeout kills the grandchildren too', async () => {
    const result = await runInGroup('sh', ['-c', 'sleep 1000 & echo $!; wait'], { timeout: 300 });
    expect(result).toMatchObject({ timedOut: true, status: null, signal: 'SIGKILL' });
    grandchild = Number(result.stdout);
    expect(grandchild).toBeGreaterThan(0);
    expect(await diesSoon(grandchild)).toBe(true);
  });

  it('leaves no descendant behind a command that exits', async () => {
    // The background sleep closes its stdout, so nothing but the group kill would end it.
    const result = await runInGroup('sh', ['-c', 'sleep 1000 >/dev/null 2>&1 & echo $!']);
    expect(result.status).toBe(0);
    grandchild = Number(result.stdout);
    expect(await diesSoon(grandchild)).toBe(true);
  });

  it('kills running groups when the script itself is interrupted', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const script = join(dir, 'script.mjs');
    writeFileSync(
      script,
      `import { runInGroup } from ${JSON.stringify(processGroupModule)};
await runInGroup('sh', ['-c', 'sleep 1000 & echo $! > ${pidFile}; wait']);
`,
    );
    const parent = spawn(process.execPath, [script], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) => parent.on('exit', (_code, signal) => done(signal)));
    grandchild = await readPid(pidFile);
    expect(isDead(grandchild)).toBe(false);
    parent.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(await diesSoon(grandchild)).toBe(true);
  });
});
