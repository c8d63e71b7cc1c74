/**
 * `durable-write trace [options] -- <command…>`: runs the command with the tracer preloaded in
 * every Node process it starts (NODE_OPTIONS; worker threads get it from the tracer itself), each
 * process writing its report into a temporary directory at exit; then merges them and prints.
 * Exit code: the command's own when it failed, else 1 when there are findings (0 with --no-fail)
 * or when a traced process ended without reporting (0 with --allow-unreported), 2 on a usage error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileDurableSync } from 'durable-write-runtime';
import { version } from '../../src/meta.js';
import { formatText, mergeReports, toSarif, type TraceReport } from '../../src/trace/report.js';
import { ExitCode, parseOptions, UsageError, type Command } from './command.js';

const usage = `Usage: durable-write trace [options] -- <command…>

Runs <command> (npm test, vitest run, node app.js…) with the tracer in every Node process and
worker thread it starts, and reports each rename of a file whose data was not fsynced: the write
and rename lines, and the dependency in between. See docs/trace.md.

Options:
  --format <name>      text (default), json or sarif: the format of --output
  --output <file>      write the report there (required for json and sarif); the text report
                       always goes to stderr, after the command's own output
  --no-fail            exit 0 even with findings
  --allow-unreported   exit 0 even when a traced process ended without reporting (SIGKILL, abort)
  --ignore <glob>      drop renames whose paths, or the code that made them (user or dependency
                       file), match: test/fixtures/**, test/**, node_modules/vitest/** (repeatable)
  --directories        also report renames never followed by an fsync of the directory (warnings)
  --async-stacks       follow promises back to the line that made them, for callback APIs that
                       await before their first fs call (slower: one stack capture per promise)
  -h, --help           this text

Exit codes: the command's own when it failed; else 1 on findings or on a traced process that
ended without reporting, 0 otherwise; 2 usage error; 127 the command could not be started.`;

const registerPath = fileURLToPath(new URL('../../src/trace/register.js', import.meta.url));

/**
 * NODE_OPTIONS for the traced command: the user's own, the tracer, and source-mapped stacks.
 * `--require` where it can load the tracer: on Node 20 any `--import` makes the main file load
 * through the ESM loader, which ignores CommonJS require hooks (ts-node, @babel/register, pirates),
 * so the program would fail where it ran untraced. The tracer is an ES module; `--require` loads it
 * through require(esm) (Node ≥ 20.19), before the main file of either module system, and ESM named
 * imports of fs see its patches through `syncBuiltinESMExports`. Where the user turned require(esm)
 * off (`--no-experimental-require-module`), `--require` would crash every process, and `--import`
 * is the form left. A path with spaces is quoted for NODE_OPTIONS.
 */
export function tracedNodeOptions(existing: string | undefined): string {
  const preload = requireOfEsmIsOff(existing)
    ? `--import=${JSON.stringify(pathToFileURL(registerPath).href)}`
    : `--require=${JSON.stringify(registerPath)}`;
  return [existing, preload, '--enable-source-maps'].filter(Boolean).join(' ');
}

/** The last of Node's require(esm) switches in NODE_OPTIONS wins, as Node reads them. */
function requireOfEsmIsOff(nodeOptions: string | undefined): boolean {
  const switches = nodeOptions?.match(/(?<=^|\s)--(?:no-)?experimental-require-module(?=\s|$)/g) ?? [];
  return switches.at(-1) === '--no-experimental-require-module';
}

const keeperPath = fileURLToPath(new URL('../../src/trace/keeper.js', import.meta.url));

/** How the command ended, as the keeper saw it; `error` when it could not be started. */
type Ending = { code: number | null; signal: NodeJS.Signals | null } | { error: string };

/**
 * Runs the command through the keeper (src/trace/keeper.ts), which stops it and removes the report
 * directory if this process dies first. Outside a terminal the command gets a process group of its
 * own, so that a signal to this process reaches every process of the command exactly once, and a
 * dead CLI takes the whole group down. On a terminal it stays in the terminal's foreground group:
 * a background group is stopped by the kernel (SIGTTIN/SIGTTOU) when it reads the terminal or sets
 * raw mode (vitest's watch mode), and Ctrl-C reaches it from the terminal directly.
 */
function run(command: string[], env: NodeJS.ProcessEnv, reportDir: string): Promise<Ending> {
  const group = !process.stdin.isTTY;
  return new Promise((resolve) => {
    const keeper = spawn(process.execPath, [keeperPath, JSON.stringify({ command, env, reportDir, group })], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      detached: group,
    });
    let commandPid: number | undefined;
    let ending: Ending | undefined;
    const forward = (signal: NodeJS.Signals) => {
      try {
        if (group) process.kill(-keeper.pid!, signal);
        else if (commandPid !== undefined) process.kill(commandPid, signal);
      } catch {
        // Already gone.
      }
    };
    // On a terminal Ctrl-C reaches the command itself: a second SIGINT could turn its graceful
    // shutdown into a forced one. This process only waits, to report.
    const onInterrupt = () => {
      if (group) forward('SIGINT');
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    let buffered = '';
    const channel = keeper.stdio[3] as NodeJS.ReadableStream;
    channel.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, newline)) as { pid?: number } & Partial<Ending>;
        buffered = buffered.slice(newline + 1);
        if (message.pid !== undefined) commandPid = message.pid;
        else ending = message as Ending;
      }
    });
    channel.on('error', () => {});
    keeper.on('close', (code, signal) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(
        ending ?? { error: `the keeper process ended without news of the command (${signal ?? `exit code ${code}`})` },
      );
    });
  });
}

const exitStatus = (ending: { code: number | null; signal: NodeJS.Signals | null }): number =>
  ending.code ?? 128 + (ending.signal ? (os.constants.signals[ending.signal] ?? 0) : 0);

/** A process that started traced and never wrote its report. */
interface Unreported {
  readonly pid: number;
  readonly argv: readonly string[];
}

function readReports(dir: string): { reports: TraceReport[]; unreported: Unreported[] } {
  const reports: TraceReport[] = [];
  const unreported: Unreported[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    try {
      if (name.endsWith('.json'))
        reports.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as TraceReport);
      else if (name.endsWith('.started'))
        unreported.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Unreported);
    } catch (error) {
      process.stderr.write(`durable-write trace: skipped an unreadable report ${name}: ${(error as Error).message}\n`);
    }
  }
  return { reports, unreported };
}

const REPORT_DIR_PREFIX = 'durable-write-trace-';

/**
 * Report directories of runs whose CLI and keeper both died (a whole process tree killed, a
 * machine reset) stay in the temp directory: each names the CLI's pid in `owner`, and one whose
 * owner is no longer alive is removed when the next trace starts. A reused pid only delays that.
 */
function sweepStaleReportDirs(): void {
  const tmp = os.tmpdir();
  let names: string[];
  try {
    names = fs.readdirSync(tmp).filter((name) => name.startsWith(REPORT_DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(tmp, name);
    try {
      const owner = Number(fs.readFileSync(path.join(dir, 'owner'), 'utf8'));
      if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Not ours to judge (no owner file, or not readable): left alone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const unreportedText = (unreported: readonly Unreported[]): string => {
  if (unreported.length === 0) return '';
  const lines = [
    `durable-write trace: ${unreported.length} traced process${unreported.length === 1 ? '' : 'es'} ended without reporting (killed by a signal such as SIGKILL, aborted, or out of memory): what ${unreported.length === 1 ? 'it' : 'they'} renamed is unknown.`,
  ];
  for (const { pid, argv } of unreported) lines.push(`  pid ${pid}: ${argv.join(' ')}`);
  return `${lines.join('\n')}\n`;
};

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
    'allow-unreported': { type: 'boolean', default: false },
    ignore: { type: 'string', multiple: true, default: [] },
    directories: { type: 'boolean', default: false },
    'async-stacks': { type: 'boolean', default: false },
  });
  if (positionals.length > 0)
    throw new UsageError(`the command goes after --: durable-write trace [options] -- ${positionals.join(' ')}`);
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format))
    throw new UsageError(`unknown --format ${format}: text, json or sarif`);
  const output = values.output as string | undefined;
  if (format !== 'text' && output === undefined) {
    throw new UsageError(
      `--format ${format} needs --output <file>: stdout belongs to the command, and a report there would be mixed with its output`,
    );
  }
  return {
    command,
    format,
    output,
    fail: !values['no-fail'],
    failOnUnreported: !values['allow-unreported'],
    ignore: values.ignore as string[],
    directories: values.directories === true,
    asyncStacks: values['async-stacks'] === true,
  };
}

async function trace(argv: readonly string[], cwd: string): Promise<number> {
  const {
    command,
    format,
    output: outputFile,
    fail,
    failOnUnreported,
    ignore,
    directories,
    asyncStacks,
  } = parseTraceArgs(argv);
  sweepStaleReportDirs();
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), REPORT_DIR_PREFIX));
  try {
    fs.writeFileSync(path.join(reportDir, 'owner'), String(process.pid));
    const ending = await run(
      command,
      {
        ...process.env,
        NODE_OPTIONS: tracedNodeOptions(process.env.NODE_OPTIONS),
        DURABLE_WRITE_TRACE_DIR: reportDir,
        DURABLE_WRITE_TRACE_DIRECTORIES: directories ? '1' : '0',
        DURABLE_WRITE_TRACE_ASYNC_STACKS: asyncStacks ? '1' : '0',
        DURABLE_WRITE_TRACE_IGNORE: JSON.stringify(ignore),
        DURABLE_WRITE_TRACE_CWD: cwd,
      },
      reportDir,
    );
    if ('error' in ending) {
      // Nothing ran, so nothing was traced: no report at all, rather than a clean one.
      process.stderr.write(`durable-write trace: cannot run ${command[0]}: ${ending.error}\n`);
      return 127;
    }
    const status = exitStatus(ending);
    const { reports, unreported } = readReports(reportDir);
    const findings = mergeReports(reports);
    const text =
      formatText(findings, cwd, { traced: reports.length + unreported.length, unreported: unreported.length }) +
      unreportedText(unreported);
    if (outputFile) {
      const output =
        format === 'json'
          ? `${JSON.stringify({ findings, unreported }, null, 2)}\n`
          : format === 'sarif'
            ? `${JSON.stringify(toSarif(findings, version, cwd), null, 2)}\n`
            : text;
      try {
        writeFileDurableSync(path.resolve(cwd, outputFile), output);
      } catch (error) {
        // The run is over and cannot be repeated for free: the report goes to stderr, not away.
        process.stderr.write(`durable-write trace: ${(error as Error).message}\n${output}`);
        return ExitCode.usage;
      }
    }
    // The terminal gets the text report, after everything the command printed, on stderr: never
    // on stdout, which the command's own output may be redirected from.
    process.stderr.write(text);
    if (status !== 0) return status;
    if (findings.length > 0 && fail) return ExitCode.findings;
    return unreported.length > 0 && failOnUnreported ? ExitCode.findings : ExitCode.clean;
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

export const traceCommand: Command = {
  summary: 'run a command (npm test, node app.js) and report each rename of data it did not fsync',
  usage,
  run: trace,
};
