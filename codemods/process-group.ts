/**
 * Commands that run a project's own tools (`fix --verify-command`, the real-project scripts) run in
 * a process group of their own. A test runner's workers outlive the `npm test` that started them:
 * spawnSync's timeout kills only its direct child, and a vitest worker of zigbee-herdsman's suite,
 * orphaned that way, spun for an hour. Killing the whole group (kill(-pgid)) reaches every
 * descendant that did not start a group of its own.
 */
import { spawn } from 'node:child_process';
import { onExitOrInterrupt } from './on-exit.js';

export interface GroupRun {
  /** null when killed by a signal or not started. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** The spawn failure (ENOENT…), if any. */
  readonly error: Error | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Process groups still running, killed if this process ends first. */
const groups = new Set<number>();

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (error) {
    // ESRCH: the group is already empty.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

let exitHooked = false;
function killGroupsOnExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  onExitOrInterrupt(() => groups.forEach(killGroup));
}

/**
 * Runs `command` to completion in a new process group. The group is killed (SIGKILL) when the
 * command exits (so no descendant outlives it), when `timeout` milliseconds pass, and when this
 * process exits or is interrupted. Resolves like spawnSync's result: `status` (null when killed by a
 * signal or not started), `signal`, `stdout`, `stderr`, `error` (spawn failure), and `timedOut`.
 */
export function runInGroup(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<GroupRun> {
  killGroupsOnExit();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    let timedOut = false;
    let spawnError: Error | undefined;
    if (child.pid !== undefined) groups.add(child.pid);
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            if (child.pid !== undefined) killGroup(child.pid);
          }, options.timeout);
    const settle = (): void => {
      clearTimeout(timer);
      if (child.pid === undefined || !groups.has(child.pid)) return;
      groups.delete(child.pid);
      // Descendants still holding stdout would otherwise keep 'close' from ever firing.
      killGroup(child.pid);
    };
    child.on('exit', settle);
    child.on('error', (error: Error) => {
      spawnError = error;
      settle();
    });
    child.on('close', (status, signal) =>
      resolve({
        status: spawnError ? null : status,
        signal,
        timedOut,
        error: spawnError,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}
