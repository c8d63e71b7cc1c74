/** The `durable-write` subcommands by name. A new command is one module and one line here. */
import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { fixCommand } from './fix.js';
import { traceCommand } from './trace.js';

export const commands: Readonly<Record<string, Command>> = {
  check: checkCommand,
  fix: fixCommand,
  trace: traceCommand,
};
