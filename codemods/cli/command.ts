/**
 * What every `durable-write` subcommand is, and the exit codes they share. A command parses its own
 * arguments (so `trace -- <cmd>` can pass the rest through untouched) and returns its exit code.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes, the same for every command (docs/cli.md). */
export const ExitCode = {
  /** Nothing to report: no finding (`check`), every file done (`fix`). */
  clean: 0,
  /** Findings (`check`), or a file that failed or a refused rewrite (`fix`). */
  findings: 1,
  /** Usage or environment: bad option, path that matches nothing, missing dependency, dirty tree. */
  usage: 2,
} as const;

/** A refusal to run: printed as one line on stderr, exit code 2, never a stack. */
export class UsageError extends Error {}

export interface Command {
  /** One line for `durable-write --help`. */
  readonly summary: string;
  /** The command's own `--help` text (printed by the dispatcher: `run` never sees `--help`). */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to an exit code. */
  run(args: readonly string[], cwd: string): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command that reports sites takes: `--format` (report.ts), `--rule-options` (rule-options.ts). */
export const reportingOptions = {
  format: { type: 'string', default: 'stylish' },
  'rule-options': { type: 'string' },
} as const satisfies Options;

/** `-h`/`--help` among a command's own arguments (before a `--` that passes the rest on). */
export function wantsHelp(args: readonly string[]): boolean {
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  return own.includes('--help') || own.includes('-h');
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | Array<string | boolean> | undefined>>;
  readonly positionals: string[];
}

/** `node:util` parseArgs whose errors are usage errors. */
export function parseOptions(args: readonly string[], options: Options): ParsedArgs {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
