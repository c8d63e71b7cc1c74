/**
 * `node --require eslint-plugin-durable-write/trace app.js`: traces this process (and the worker
 * threads it starts) for renames of unsynced data. `durable-write trace -- <command>` preloads it
 * in every Node process of a command through NODE_OPTIONS.
 * With `DURABLE_WRITE_TRACE_DIR`, each process leaves `<id>.started` there while it runs and
 * `<id>.json` when it exited (the report).
 *
 * Environment: `DURABLE_WRITE_TRACE=0` turns it off; `DURABLE_WRITE_TRACE_DIR` makes each process
 * write its report there at exit (the CLI merges them) instead of printing a summary on stderr;
 * `DURABLE_WRITE_TRACE_DIRECTORIES=1` also reports renames never followed by a directory fsync;
 * `DURABLE_WRITE_TRACE_IGNORE` (globs, see ignore.ts) relative to `DURABLE_WRITE_TRACE_CWD`;
 * `DURABLE_WRITE_TRACE_ASYNC_STACKS=1` follows promises back to where they were made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BroadcastChannel, isMainThread, receiveMessageOnPort, threadId } from 'node:worker_threads';
import { ignoreTest } from './ignore.js';
import { followPromises, install, original } from './install.js';
import { formatText, type TraceReport } from './report.js';
import { Tracker, type Occurrence } from './tracker.js';

const LOADED = Symbol.for('durable-write.trace.loaded');

/** `DURABLE_WRITE_TRACE_IGNORE`: a JSON array of globs (the CLI's `--ignore`), or one glob. */
function ignoreGlobs(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed)) return parsed.filter((glob): glob is string => typeof glob === 'string');
  } catch {
    // One glob, as a person would set it by hand.
  }
  return [value];
}
const globals = globalThis as { [LOADED]?: true };
const env = process.env;

if (env.DURABLE_WRITE_TRACE !== '0' && !globals[LOADED]) {
  globals[LOADED] = true;
  const directories = env.DURABLE_WRITE_TRACE_DIRECTORIES === '1';
  // Test runners terminate worker threads (worker.terminate() skips the worker's 'exit' event): a
  // worker sends each occurrence to the main thread as it happens, and the main thread reports.
  const channel = new BroadcastChannel('durable-write.trace.occurrences');
  const ignore = ignoreTest(ignoreGlobs(env.DURABLE_WRITE_TRACE_IGNORE), env.DURABLE_WRITE_TRACE_CWD ?? process.cwd());
  const tracker = isMainThread
    ? new Tracker({ directories, ignore })
    : new Tracker({ directories, ignore, onOccurrence: (occurrence) => channel.postMessage(occurrence) });
  const receiveFromWorkers = (): void => {
    for (
      let message = receiveMessageOnPort(channel as never);
      message;
      message = receiveMessageOnPort(channel as never)
    ) {
      tracker.add(message.message as Occurrence);
    }
  };
  if (isMainThread) channel.onmessage = (event) => tracker.add((event as MessageEvent).data as Occurrence);
  channel.unref();
  const reportDir = env.DURABLE_WRITE_TRACE_DIR;
  // Taken before patching: the tracer's own output must not show up in its own state.
  const writeFileSync = original(fs.writeFileSync);
  const writeSync = original(fs.writeSync);
  const unlinkSync = fs.unlinkSync;
  install(tracker, import.meta.url);
  if (env.DURABLE_WRITE_TRACE_ASYNC_STACKS === '1') followPromises();
  // A pid can come back within one long run: the report's name must not.
  const reportName = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  if (reportDir && isMainThread) {
    // Written now, replaced by the report at exit: a process that dies without reporting (SIGKILL,
    // abort, out of memory) leaves this behind, and the CLI names it instead of reassuring.
    try {
      writeFileSync(
        path.join(reportDir, `${reportName}.started`),
        JSON.stringify({ pid: process.pid, argv: [process.argv[0], ...process.execArgv, ...process.argv.slice(1)] }),
      );
    } catch {
      // No marker: the CLI will not know this process ran.
    }
  }
  const writeReport = (): void => {
    if (!isMainThread) {
      tracker.findings(); // sends the renames still waiting for a directory fsync
      return;
    }
    receiveFromWorkers();
    const report: TraceReport = {
      version: 1,
      pid: process.pid,
      threadId,
      argv: process.argv,
      findings: tracker.findings(),
    };
    try {
      if (reportDir) {
        writeFileSync(path.join(reportDir, `${reportName}.json`), JSON.stringify(report));
        unlinkSync(path.join(reportDir, `${reportName}.started`));
      } else if (report.findings.length > 0) {
        writeSync(2, formatText([report]));
      }
    } catch {
      // The report is lost; the program's own exit must not be.
    }
  };
  process.on('exit', writeReport);
  // Test runners stop their worker processes with SIGTERM (vitest, jest), which skips 'exit'. The
  // report is written then too; when nobody else listens, the signal is raised again so that the
  // process dies of it as it would have.
  if (isMainThread) {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const onSignal = (): void => {
        writeReport();
        if (process.listenerCount(signal) === 1) {
          process.off(signal, onSignal);
          process.kill(process.pid, signal);
        }
      };
      process.on(signal, onSignal);
    }
  }
}
