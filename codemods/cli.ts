#!/usr/bin/env node
/**
 * The `durable-write` command line: dispatches to the subcommands of `cli/commands.ts`. Exit codes
 * (`cli/command.ts`, docs/cli.md): 0 clean, 1 findings (or a failed file), 2 usage or environment.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { version } from '../src/meta.js';
import { ExitCode, UsageError, wantsHelp } from './cli/command.js';
import { commands } from './cli/commands.js';

const width = Math.max(...Object.keys(commands).map((name) => name.length));
const usage = `Usage: durable-write <command> [options] [paths…]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  .join('\n')}

Options:
  -h, --help     this text (durable-write <command> --help: the command's options)
  -v, --version  the version

Exit codes: 0 clean, 1 findings, 2 usage or environment error. See docs/cli.md.`;

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version}\n`);
    return ExitCode.clean;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    (first === undefined ? process.stderr : process.stdout).write(`${usage}\n`);
    return first === undefined ? ExitCode.usage : ExitCode.clean;
  }
  const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(first)}; the commands are ${Object.keys(commands).join(', ')} (durable-write --help)`);
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
