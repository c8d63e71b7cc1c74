/**
 * `durable-write trace [options] -- <command…>`: runs the command with the tracer preloaded in
 * every Node process it starts (NODE_OPTIONS; worker threads get it from the tracer itself), each
 * process writing its report into a temporary directory at exit; then merges them and prints.
 * Exit code: the command's own when it failed, else 1 when there are findings (0 with --no-fail),
 * 2 on a usage error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileDurableSync } from 'durable-write-runtime';
import { version } from '../../src/meta.js';
import { formatText, mergeReports, toSarif, type TraceReport } from '../../src/trace/report.js';
import { ExitCode, parseOptions, UsageError, type Command } from './command.js';

const usage = `Usage: durable-write trace [options] -- <command…>

Runs <command> (npm test, vitest run, node app.js…) with the tracer in every Node process and
worker thread it starts, and reports each rename of a file whose data was not fsynced: the write
and rename lines, and the dependency in between. See docs/trace.md.

Options:
  --format <name>   text (default, on stderr), json or sarif (on stdout)
  --output <file>   write the report there instead
  --no-fail         exit 0 even with findings
  --directories     also report renames never followed by an fsync of the directory (warnings)
  -h, --help        this text

Exit codes: the command's own when it failed; else 0 no finding, 1 findings; 2 usage error.`;

const registerPath = fileURLToPath(new URL('../../src/trace/register.js', import.meta.url));

/**
 * NODE_OPTIONS for the traced command: the user's own, the tracer, and source-mapped stacks.
 * `--require`, never `--import`: on Node 20 any `--import` makes the main file load through the ESM
 * loader, which ignores CommonJS require hooks (ts-node, @babel/register, pirates), so the program
 * would fail where it ran untraced. The tracer is an ES module; `--require` loads it through
 * require(esm) (Node ≥ 20.19), before the main file of either module system, and ESM named imports
 * of fs see its patches through `syncBuiltinESMExports`. A path with spaces is quoted for NODE_OPTIONS.
 */
export function tracedNodeOptions(existing: string | undefined): string {
  return [existing, `--require=${JSON.stringify(registerPath)}`, '--enable-source-maps'].filter(Boolean).join(' ');
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

/** The command's own options before `--`, the command after it. */
function parseTraceArgs(argv: readonly string[]) {
  const split = argv.indexOf('--');
  if (split < 0) throw new UsageError('no command: put it after --, e.g. durable-write trace -- npm test');
  const command = argv.slice(split + 1);
  if (command.length === 0) throw new UsageError('no command after --');
  const { values, positionals } = parseOptions(argv.slice(0, split), {
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'no-fail': { type: 'boolean', default: false },
    directories: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`the command goes after --: durable-write trace [options] -- ${positionals.join(' ')}`);
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown --format ${format}: text, json or sarif`);
  return { command, format, output: values.output as string | undefined, fail: !values['no-fail'], directories: values.directories === true };
}

async function trace(argv: readonly string[], cwd: string): Promise<number> {
  const { command, format, output: outputFile, fail, directories } = parseTraceArgs(argv);
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-trace-'));
  try {
    const status = await run(command, {
      ...process.env,
      NODE_OPTIONS: tracedNodeOptions(process.env.NODE_OPTIONS),
      DURABLE_WRITE_TRACE_DIR: reportDir,
      DURABLE_WRITE_TRACE_DIRECTORIES: directories ? '1' : '0',
    });
    const findings = mergeReports(readReports(reportDir));
    const output =
      format === 'json'
        ? `${JSON.stringify({ findings }, null, 2)}\n`
        : format === 'sarif'
          ? `${JSON.stringify(toSarif(findings, version, cwd), null, 2)}\n`
          : formatText(findings, cwd);
    if (outputFile) {
      try {
        writeFileDurableSync(path.resolve(cwd, outputFile), output);
      } catch (error) {
        // The run is over and cannot be repeated for free: the report goes to stderr, not away.
        process.stderr.write(`durable-write trace: ${(error as Error).message}\n${output}`);
        return ExitCode.usage;
      }
    } else if (format === 'text') process.stderr.write(output);
    else process.stdout.write(output);
    if (status !== 0) return status;
    return findings.length > 0 && fail ? ExitCode.findings : ExitCode.clean;
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

export const traceCommand: Command = {
  summary: 'run a command (npm test, node app.js) and report each rename of data it did not fsync',
  usage,
  run: trace,
};
