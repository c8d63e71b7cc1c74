/**
 * `durable-write fix [paths…]`: the codemod over a repository, as a pipeline of four phases with
 * data flowing one way (`fix/`): plan (the workers' rewrites and what they need around them),
 * verify (re-lint, `--typecheck`, `--verify-command`; nothing written), apply (with `--write`, when
 * no check refused), report. A dry run (diff + summary) unless `--write`.
 */
import path from 'node:path';
import { projectTypeScript } from '../typecheck.js';
import { ExitCode, parseOptions, reportingOptions, UsageError, type Command } from './command.js';
import { resolvePeer } from './dependencies.js';
import { git } from './files.js';
import { applyPlan } from './fix/apply.js';
import { planFix, type FixArgs } from './fix/plan.js';
import { reportFix } from './fix/report.js';
import { defaultVerifyTimeout, verifyPlan } from './fix/verify.js';
import { parseFormat } from './report.js';
import { parseRuleOptions } from './rule-options.js';

const usage = `Usage: durable-write fix [paths…] [options]

Rewrites unsynced write + rename sites to the durable helper. A dry run (diff on stdout, summary on
stderr) unless --write. Four phases: plan (the rewrites, the dependency or vendored copy they need),
verify (the rule re-run on each rewritten text, which drops a rewrite it still reports or that does
not parse; --typecheck; --verify-command), apply (--write, only when no check refused), report (one
line per check, "not run" with why).

Options:
  --write                 write the rewritten files (needs a clean git work tree)
  --force                 --write even outside git or with uncommitted changes
  --import-source <spec>  module the helper is imported from
  --vendor <file>         write one self-contained copy of the helper to <file> and import it from there
                          (no dependency added; without it, --write adds durable-write-runtime to
                          the nearest package.json dependencies)
  --typecheck             refuse a rewrite that adds TypeScript diagnostics (the project's own
                          TypeScript; ts-morph when it has none)
  --format-code           with --write: run the project's Prettier or Biome on the changed files
  --fix-lint              with --write: apply the fixes the project's ESLint, Prettier and Biome offer
                          for the problems the rewrite introduced (they are always reported)
  --tsconfig <file>       the project for --typecheck (default tsconfig.json)
  --verify-command <cmd>  run <cmd> (sh -c, e.g. "npm test") on the project as it is and on a scratch
                          copy with the rewrite applied; refuse the rewrite when it passes before and
                          fails after (the end of its output is shown)
  --verify-timeout <s>    seconds each run of --verify-command may take (default ${defaultVerifyTimeout / 1000}); its
                          process group is killed then, and the rewrite is refused
  --cpus <n>              jscodeshift worker processes
  --rule-options <json>   the rule's options (writeFunctions, renameFunctions, syncFunctions, …)
  --format <name>         stylish (default: the diff on stdout, a summary on stderr), json or sarif
                          (the sites on stdout instead of the diff)
  -h, --help              this text

Exit codes: 0 done (sites left for review included), 1 a file failed or --typecheck or
--verify-command refused the rewrite, 2 usage or environment error.`;

async function fix(args: FixArgs, cwd: string): Promise<number> {
  const err = (s: string): boolean => process.stderr.write(`durable-write: ${s}\n`);
  if (args.write && !args.force) {
    const status = git(cwd, ['status', '--porcelain']);
    if (status === undefined)
      throw new UsageError('not inside a git work tree: --write needs one to make the change reviewable (or --force)');
    if (status.trim())
      throw new UsageError('the git work tree has uncommitted changes: commit or stash them first (or --force)');
  }
  if (args.typecheck && !projectTypeScript(cwd)) resolvePeer('ts-morph', cwd);

  const plan = await planFix(args, cwd, err);
  if (plan.unmanaged.length) {
    const where = plan.unmanaged.map((f) => path.relative(cwd, f)).join(', ');
    const problem = `no package.json above ${where}: the rewrite imports ${plan.importSource}, which nothing would install there`;
    const remedy = `use --vendor <file> (one copy of the helper, no dependency), or create a package.json and add the runtime first (npm init -y && npm install ${plan.importSource})`;
    if (args.write) throw new UsageError(`${problem}; nothing written. ${remedy}`);
    err(`warning: ${problem}; --write will refuse: ${remedy}`);
  }
  const verification = await verifyPlan(plan, args, err);
  const applied =
    args.write && !verification.refused
      ? await applyPlan(verification.plan, verification.lintBaseline, {
          formatCode: Boolean(args.formatCode),
          fixLint: Boolean(args.fixLint),
        })
      : undefined;
  reportFix(
    { verification, applied, write: args.write, format: args.format },
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
  const failed = verification.plan.failed.length > 0 || (applied?.changedMeanwhile.length ?? 0) > 0;
  return failed || verification.refused ? ExitCode.findings : ExitCode.clean;
}

export const fixCommand: Command = {
  summary: 'rewrite unsynced write + rename sites to the durable helper (dry run unless --write)',
  usage,
  async run(argv, cwd) {
    const { values, positionals } = parseOptions(argv, {
      write: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'import-source': { type: 'string' },
      vendor: { type: 'string' },
      typecheck: { type: 'boolean', default: false },
      'format-code': { type: 'boolean', default: false },
      'fix-lint': { type: 'boolean', default: false },
      tsconfig: { type: 'string' },
      'verify-command': { type: 'string' },
      'verify-timeout': { type: 'string' },
      cpus: { type: 'string' },
      ...reportingOptions,
    });
    const format = parseFormat(values.format as string);
    const ruleOptions = parseRuleOptions(values['rule-options'] as string | undefined);
    const cpus = values.cpus === undefined ? undefined : Number(values.cpus);
    if (cpus !== undefined && !(Number.isInteger(cpus) && cpus > 0))
      throw new UsageError(`--cpus takes a positive integer, got ${JSON.stringify(values.cpus)}`);
    const verifyCommand = values['verify-command'] as string | undefined;
    if (verifyCommand !== undefined && !verifyCommand.trim())
      throw new UsageError('--verify-command takes a command, such as "npm test"');
    const timeout = values['verify-timeout'] === undefined ? undefined : Number(values['verify-timeout']);
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0))
      throw new UsageError(
        `--verify-timeout takes a number of seconds, got ${JSON.stringify(values['verify-timeout'])}`,
      );
    if (timeout !== undefined && verifyCommand === undefined)
      throw new UsageError('--verify-timeout applies to --verify-command, which is not given');
    return fix(
      {
        paths: positionals,
        format,
        write: values.write as boolean,
        force: values.force as boolean,
        typecheck: values.typecheck as boolean,
        formatCode: values['format-code'] as boolean,
        fixLint: values['fix-lint'] as boolean,
        ...(values['import-source'] ? { importSource: values['import-source'] as string } : {}),
        ...(values.vendor ? { vendor: values.vendor as string } : {}),
        ...(values.tsconfig ? { tsconfig: values.tsconfig as string } : {}),
        ...(verifyCommand ? { verifyCommand } : {}),
        ...(timeout ? { verifyTimeout: timeout * 1000 } : {}),
        ...(cpus ? { cpus } : {}),
        ...(ruleOptions ? { ruleOptions } : {}),
      },
      cwd,
    );
  },
};
