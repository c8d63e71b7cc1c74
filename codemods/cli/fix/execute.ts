/**
 * Verify, `--verify-command "<cmd>"`: execution is the oracle of a fix. The user's command (their
 * tests) runs once on the project as it is and once on a scratch copy with the whole plan applied
 * (rewrites, vendored copy, package.json), each through `sh -c` in a process group of its own that
 * is killed on timeout. A command that passes before and fails after refuses the write, and the
 * report shows the end of its output. The copy is the git work tree's root (`scratch-copy.ts`), so
 * that in a monorepo a package's tests see the workspace's other packages, rewritten too, through
 * the same links; the command runs in the copy's counterpart of the current directory.
 */
import path from 'node:path';
import { runInGroup, type GroupRun } from '../../process-group.js';
import { scratchCopy } from '../../scratch-copy.js';
import type { Check } from './check.js';

export interface VerifyCommand {
  readonly command: string;
  /** Milliseconds each run may take. */
  readonly timeout: number;
}

/** Lines of a failing run's output the report shows. */
const tailLines = 20;

/** Runs `command` in `cwd` with stderr merged into stdout, as a terminal would show it. */
const runCommand = (command: string, cwd: string, timeout: number): Promise<GroupRun> =>
  runInGroup('sh', ['-c', `exec 2>&1\n${command}`], { cwd, timeout });

function describe(run: GroupRun, timeout: number): string {
  if (run.timedOut) return `timed out after ${timeout / 1000} s (its process group killed)`;
  if (run.error) return `could not start: ${run.error.message}`;
  return run.status === null ? `killed by ${run.signal}` : `exit ${run.status}`;
}

function tail(run: GroupRun): string[] {
  const lines = run.stdout.replace(/\s+$/, '').split(/\r?\n/);
  const shown = lines.slice(-tailLines);
  return [
    ...(lines.length > shown.length ? [`… (last ${shown.length} of ${lines.length} lines)`] : []),
    ...shown.map((line) => `| ${line}`),
  ];
}

/**
 * `changes` (absolute path → new text) applied in a scratch copy of `root` (the project, or the
 * git work tree it is in); `cwd` is where the command runs, inside `root`.
 */
export async function executeCheck(
  verify: VerifyCommand,
  root: string,
  cwd: string,
  changes: ReadonlyMap<string, string>,
  progress: (line: string) => void,
): Promise<Check> {
  const name = '--verify-command';
  const { command, timeout } = verify;
  progress(`--verify-command: running ${JSON.stringify(command)} on the project as it is`);
  const before = await runCommand(command, cwd, timeout);
  if (before.timedOut || before.error) {
    return {
      name,
      outcome: 'refused',
      summary: `--verify-command: ${describe(before, timeout)} on the project as it is, so it cannot judge the rewrite; nothing written`,
      details: tail(before),
    };
  }
  const copy = scratchCopy(root, changes, 'run --verify-command with the rewrite applied');
  let after: GroupRun;
  try {
    progress(`--verify-command: running it on a copy with the rewrite applied (${copy.dir})`);
    after = await runCommand(command, copy.at(path.resolve(cwd)), timeout);
  } finally {
    copy.remove();
  }
  const was = describe(before, timeout);
  const is = describe(after, timeout);
  if (after.timedOut)
    return {
      name,
      outcome: 'refused',
      summary: `--verify-command: ${was} before the rewrite, ${is} after it; nothing written`,
      details: tail(after),
    };
  if (before.status === 0 && after.status !== 0)
    return {
      name,
      outcome: 'refused',
      summary: `--verify-command: passes before the rewrite and fails after it (${is}); nothing written:`,
      details: tail(after),
    };
  if (before.status !== 0 && after.status !== 0)
    return {
      name,
      outcome: 'inconclusive',
      summary: `--verify-command: fails before the rewrite (${was}) and after it (${is}), so it cannot judge the rewrite`,
      details: tail(after),
    };
  return {
    name,
    outcome: 'passed',
    summary:
      before.status === 0
        ? '--verify-command: passes before and after the rewrite (exit 0)'
        : `--verify-command: fails before the rewrite (${was}), passes after it`,
    details: [],
  };
}
