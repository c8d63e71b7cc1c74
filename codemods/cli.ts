#!/usr/bin/env node
/**
 * The `durable-write` command line: dispatches to the subcommands of `cli/commands.ts`. Exit codes
 * (`cli/command.ts`, docs/cli.md): 0 clean, 1 findings (or a failed file), 2 usage or environment.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { version } from '../src/meta.js';
import { ExitCode, UsageError, wantsHelp, type Command } from './cli/command.js';
import { installCommand, packageOf } from './cli/dependencies.js';
import { commands } from './cli/commands.js';

const width = Math.max(...Object.keys(commands).map((name) => name.length));
const usage = async (): Promise<string> => `Usage: durable-write <command> [options] [paths…]

Commands:
${(await Promise.all(Object.keys(commands).map(async (name) => `  ${name.padEnd(width)}  ${(await load(name)).summary}`))).join('\n')}

Options:
  -h, --help     this text (durable-write <command> --help: the command's options)
  -v, --version  the version

Exit codes: 0 clean, 1 findings, 2 usage or environment error. See docs/cli.md.`;

/** A command's module; a peer it imports at load time (ESLint for `check` and `fix`) missing is a usage error with the install command. */
async function load(name: string): Promise<Command> {
  try {
    return await commands[name]!();
  } catch (error) {
    const missing = /^Cannot find package '([^']+)'/.exec((error as Error).message)?.[1];
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !missing) throw error;
    throw new UsageError(`durable-write ${name} needs ${packageOf(missing)}: ${installCommand(missing)}`);
  }
}

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version}\n`);
    return ExitCode.clean;
  }
  try {
    if (first === undefined || first === '--help' || first === '-h') {
      (first === undefined ? process.stderr : process.stdout).write(`${await usage()}\n`);
      return first === undefined ? ExitCode.usage : ExitCode.clean;
    }
    const command = Object.hasOwn(commands, first) ? await load(first) : undefined;
    if (!command)
      throw new UsageError(
        `unknown command ${JSON.stringify(first)}; the commands are ${Object.keys(commands).join(', ')} (durable-write --help)`,
      );
    if (wantsHelp(rest)) {
      process.stdout.write(`${command.usage}\n`);
      return ExitCode.clean;
    }
    return await command.run(rest, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`durable-write: ${error.message}\n`);
    return ExitCode.usage;
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
