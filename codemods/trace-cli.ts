/**
 * `durable-write trace [options] -- <command…>`: runs the command with the tracer preloaded in
 * every Node process it starts (NODE_OPTIONS; worker threads get it from the tracer itself), each
 * thread writing its report into a temporary directory at exit; then merges them and prints.
 * Exit code: the command's own when it failed, else 1 when there are findings (0 with --no-fail),
 * 2 on a usage error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileDurableSync } from '../src/durable/index.js';
import { version } from '../src/meta.js';
import { formatText, mergeReports, toSarif, type TraceReport } from '../src/trace/report.js';
import type { Command } from './cli/command.js';

export const traceUsage = `Usage:
  durable-write trace [--format text|json|sarif] [--output <file>] [--no-fail] [--directories] -- <command…>
Runs <command> with the tracer in every Node process it starts and reports each rename of a file
whose data was not fsynced. --directories also reports renames never followed by a directory fsync.`;

const registerUrl = new URL('../src/trace/register.js', import.meta.url).href;

/** NODE_OPTIONS for the traced command: the user's own, the tracer, and source-mapped stacks. */
export function tracedNodeOptions(existing: string | undefined): string {
  return [existing, `--import=${registerUrl}`, '--enable-source-maps'].filter(Boolean).join(' ');
}

function run(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
    // Ctrl-C reaches the command from the terminal (same process group): sending it a second one
    // could turn its graceful shutdown into a forced one. This process only waits, to report.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const wait = () => {};
    process.on('SIGINT', wait);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    const settle = (code: number) => {
      process.off('SIGINT', wait);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`durable-write trace: cannot run ${command[0]}: ${error.message}\n`);
      settle(127);
    });
    child.on('exit', (code, signal) => settle(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
  });
}

function readReports(dir: string): TraceReport[] {
  const reports: TraceReport[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      reports.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as TraceReport);
    } catch (error) {
      process.stderr.write(`durable-write trace: skipped an unreadable report ${name}: ${(error as Error).message}\n`);
    }
  }
  return reports;
}

export async function traceMain(argv: string[], cwd: string): Promise<number> {
  const split = argv.indexOf('--');
  const command = split < 0 ? [] : argv.slice(split + 1);
  if (split < 0 && !argv.includes('--help') && !argv.includes('-h')) {
    process.stderr.write(`durable-write trace: no command: put it after --\n${traceUsage}\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: split < 0 ? argv : argv.slice(0, split),
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        'no-fail': { type: 'boolean', default: false },
        directories: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`durable-write trace: ${(error as Error).message}\n${traceUsage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${traceUsage}\n`);
    return 0;
  }
  const problem =
    command.length === 0
      ? 'no command after --'
      : !['text', 'json', 'sarif'].includes(values.format)
        ? `unknown --format ${values.format}`
        : undefined;
  if (problem) {
    process.stderr.write(`durable-write trace: ${problem}\n${traceUsage}\n`);
    return 2;
  }
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-trace-'));
  try {
    const status = await run(command, {
      ...process.env,
      NODE_OPTIONS: tracedNodeOptions(process.env.NODE_OPTIONS),
      DURABLE_WRITE_TRACE_DIR: reportDir,
      DURABLE_WRITE_TRACE_DIRECTORIES: values.directories ? '1' : '0',
    });
    const findings = mergeReports(readReports(reportDir));
    const output =
      values.format === 'json'
        ? `${JSON.stringify({ findings }, null, 2)}\n`
        : values.format === 'sarif'
          ? `${JSON.stringify(toSarif(findings, version, cwd), null, 2)}\n`
          : formatText(findings, cwd);
    if (values.output) {
      try {
        writeFileDurableSync(path.resolve(cwd, values.output), output);
      } catch (error) {
        process.stderr.write(`durable-write trace: ${(error as Error).message}\n${output}`);
        return 2;
      }
    } else if (values.format === 'text') process.stderr.write(output);
    else process.stdout.write(output);
    if (status !== 0) return status;
    return findings.length > 0 && !values['no-fail'] ? 1 : 0;
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

export const traceCommand: Command = {
  summary: 'run a command (npm test, node app.js) and report each rename of data it did not fsync',
  usage: traceUsage,
  run: (args, cwd) => traceMain([...args], cwd),
};
