/**
 * The traced command's keeper: a small untraced Node process between `durable-write trace` and the
 * command, so that the command and the report directory never outlive the CLI, however the CLI
 * ends. The CLI starts it with a pipe on descriptor 3 and it starts the command; when that pipe
 * reaches end-of-file while the command still runs, the CLI is gone (SIGKILL, OOM killer, a CI
 * timeout): the keeper stops the command's process group, removes the report directory, and exits.
 * A pipe's end-of-file comes from the kernel when the last holder dies, with no polling and no pid
 * that could be reused; the command never sees the pipe (it gets descriptors 0–2 only).
 *
 * Messages to the CLI, one JSON line each: `{ pid }` once the command runs, then `{ code, signal }`
 * when it exited or `{ error }` when it could not be started.
 *
 * argv: JSON `{ command, env, reportDir, group }`; `group`: this process leads its own process
 * group (the CLI started it detached) and the command is in it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

interface KeeperArgs {
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly reportDir: string;
  readonly group: boolean;
}

/** Time the command gets to write its reports and exit after SIGTERM, before SIGKILL. */
const GRACE_MS = 3000;

const { command, env, reportDir, group } = JSON.parse(process.argv[2]!) as KeeperArgs;
// Node makes a `pipe` stdio entry a socket pair: one descriptor, both directions.
const cli = new net.Socket({ fd: 3, readable: true, writable: true });
cli.on('error', () => {});
const send = (message: object): void => {
  cli.write(`${JSON.stringify(message)}\n`);
};

// Signals meant for the command reach it from the CLI (to the whole group, or to its pid): the
// keeper waits for it to exit, as the CLI does.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});

const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
let exited = false;
child.on('error', (error) => {
  exited = true;
  send({ error: error.message });
  cli.end(() => process.exit(0));
});
child.on('spawn', () => send({ pid: child.pid }));
child.on('exit', (code, signal) => {
  exited = true;
  send({ code, signal });
  cli.end(() => process.exit(0));
});

const stopCommand = (signal: NodeJS.Signals): void => {
  try {
    if (group) process.kill(-process.pid, signal);
    else if (!exited) child.kill(signal);
  } catch {
    // Already gone.
  }
};

cli.resume();
cli.on('close', () => {
  if (exited) return;
  stopCommand('SIGTERM');
  const timer = setTimeout(() => {
    fs.rmSync(reportDir, { recursive: true, force: true });
    stopCommand('SIGKILL');
    process.exit(1);
  }, GRACE_MS);
  child.on('exit', () => {
    clearTimeout(timer);
    fs.rmSync(reportDir, { recursive: true, force: true });
    // What the command started in its group and left behind goes with it.
    stopCommand('SIGKILL');
    process.exit(1);
  });
});
