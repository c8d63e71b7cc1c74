/**
 * Phase 2 of `durable-write fix`: the plan checked, never written to the project. In order: the
 * re-lint (drops rewrites the rule disagrees with), `--typecheck`, `--verify-command`; each is
 * recorded, with what it found, or why it did not run. A check that refuses the plan stops the
 * ones after it. The project's own linters compare the written files with the originals: Biome and
 * `--fix-lint` work on files on disk, so their baseline is taken here and the comparison runs after
 * writing (`apply.ts`).
 */
import { lintBeforeWriting, type PendingProjectLint } from '../../project-lint.js';
import { rootOf } from '../files.js';
import { notRun, type Check } from './check.js';
import { executeCheck } from './execute.js';
import { plannedChanges, type FixArgs, type FixPlan } from './plan.js';
import { relintPlan } from './relint.js';
import { typecheckChanges } from './typecheck.js';

export interface Verification {
  /** The plan without the rewrites a check dropped. */
  readonly plan: FixPlan;
  /** re-lint, --typecheck, --verify-command, in that order. */
  readonly checks: readonly Check[];
  /** A check refused the plan: nothing is written, exit 1. */
  readonly refused: boolean;
  /** With `--write`: the project's linters and what they say about the files before the fix. */
  readonly lintBaseline: PendingProjectLint | string | undefined;
}

export async function verifyPlan(
  planned: FixPlan,
  args: FixArgs,
  progress: (line: string) => void,
): Promise<Verification> {
  const { plan, check: relint } = relintPlan(planned);
  const checks: Check[] = [relint];
  const changes = plannedChanges(plan, { manifests: false });
  /** Why a requested check does not run: nothing to check, or an earlier check refused the plan. */
  const moot = (): string | undefined => {
    if (plan.rewrites.length === 0) return 'nothing rewritten';
    const refusal = checks.find((c) => c.outcome === 'refused');
    return refusal && `${refusal.name} refused the rewrite`;
  };

  const typecheckMoot = moot();
  checks.push(
    !args.typecheck
      ? notRun('--typecheck', 'pass --typecheck')
      : typecheckMoot
        ? notRun('--typecheck', typecheckMoot)
        : await typecheckChanges(plan.cwd, args.tsconfig, changes, progress),
  );

  const executeMoot = moot();
  checks.push(
    !args.verifyCommand
      ? notRun('--verify-command', 'pass --verify-command "<your tests>" to run them before and after the rewrite')
      : executeMoot
        ? notRun('--verify-command', executeMoot)
        : await executeCheck(
            { command: args.verifyCommand, timeout: args.verifyTimeout ?? defaultVerifyTimeout },
            rootOf(plan.cwd),
            plan.cwd,
            plannedChanges(plan, { manifests: true }),
            progress,
          ),
  );

  const refused = checks.some((c) => c.outcome === 'refused');
  const lintBaseline =
    args.write && !refused && plan.rewrites.length ? await lintBeforeWriting(plan.cwd, changes) : undefined;
  return { plan, checks, refused, lintBaseline };
}

/** Ten minutes: a test suite, not a hung one. */
export const defaultVerifyTimeout = 600_000;
