/**
 * The built CLI's runs of one test in one child process (`cli-session-child.mjs`): a fresh child per
 * test imports the CLI once, then runs `main(args, cwd)` for each of the test's runs in order, with
 * stdout and stderr captured and the exit code it returns. `node dist/codemods/cli.js` starts by
 * importing ESLint and the rule (0.4-0.5 CPU-s of a run on a small project); a test that runs the CLI
 * five times on its project pays that once. What the CLI caches for a project (its TypeScript
 * parser, module summaries stamped by mtime) is shared only by the runs of one test, on that test's
 * projects, in the order the test runs them. A run that reads stdin runs in a process of its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const child = fileURLToPath(new URL('./cli-session-child.mjs', import.meta.url));

interface Session {
  readonly folder: string;
  readonly process: ChildProcess;
  next: number;
}

/**
 * A `run(cwd, args, input?)` for the CLI at `cli`, whose runs within one test share a child process
 * (ended after each test).
 */
export function cliSessions(cli: string): (cwd: string, args: readonly string[], input?: string) => CliRun {
  let session: Session | undefined;
  afterEach(() => {
    if (!session) return;
    session.process.kill();
    rmSync(session.folder, { recursive: true, force: true });
    session = undefined;
  });
  return (cwd, args, input) => {
    if (input !== undefined) return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', input });
    if (!session) {
      const folder = mkdtempSync(join(tmpdir(), 'durable-write-cli-session-'));
      // The child's own stderr (the CLI's is captured) goes to a file: a pipe that nobody reads while
      // this thread waits could fill, and a terminal would change what the CLI prints.
      const log = openSync(join(folder, 'child.log'), 'w');
      const running = spawn(process.execPath, [child, cli, folder], { stdio: ['ignore', 'ignore', log] });
      closeSync(log);
      session = { folder, process: running, next: 0 };
    }
    const n = session.next++;
    const request = join(session.folder, `request-${n}.json`);
    writeFileSync(`${request}.tmp`, JSON.stringify({ cwd, args }));
    renameSync(`${request}.tmp`, request);
    return awaitResponse(session, n);
  };
}

/** Blocks (the tests are synchronous) until the child answers run `n`; fails if it died or took two minutes. */
function awaitResponse({ folder, process: running }: Session, n: number): CliRun {
  const response = join(folder, `response-${n}.json`);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 120_000;
  for (let waits = 0; !existsSync(response); waits += 1) {
    if ((waits % 50 === 49 && !alive(running.pid)) || Date.now() > deadline)
      throw new Error(
        `the CLI session's process did not answer run ${n}:\n${readFileSync(join(folder, 'child.log'), 'utf8')}`,
      );
    Atomics.wait(sleeper, 0, 0, 2);
  }
  return JSON.parse(readFileSync(response, 'utf8')) as CliRun;
}

/** Whether the process runs (this thread cannot reap a child that ended: a zombie has ended). */
function alive(pid: number | undefined): boolean {
  try {
    return pid !== undefined && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
