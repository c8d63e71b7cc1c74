/**
 * The `durable-write` subcommands by name, each loaded when it runs: `trace` lints nothing and must
 * work where ESLint (a peer of `check` and `fix` only in practice) is not installed. A new command is
 * one module and one line here.
 */
import type { Command } from './command.js';

export const commands: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import('./check.js')).checkCommand,
  fix: async () => (await import('./fix.js')).fixCommand,
  trace: async () => (await import('./trace.js')).traceCommand,
};
