/**
 * Clean-up that must happen however this process ends: on `exit`, and on SIGINT, SIGTERM and SIGHUP,
 * whose default action ends a process without `exit`. Used for the process groups of commands the
 * CLI runs and the scratch copies they run in.
 */
const cleanups: Array<() => void> = [];

function runAll(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** Runs `cleanup` once when this process exits or is interrupted. */
export function onExitOrInterrupt(cleanup: () => void): void {
  if (!hooked) hook();
  cleanups.push(cleanup);
}

let hooked = false;
function hook(): void {
  hooked = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      // The listener is gone (once): the signal's default action ends this process as it would have.
      process.kill(process.pid, signal);
    });
  }
}
