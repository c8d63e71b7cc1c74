/**
 * Phase 4 of `durable-write fix`: what the plan was, what each check found and what was written.
 * Stylish: the plan's unified diff on stdout; JSON or SARIF: the sites there instead. The summary
 * goes to stderr in every format, with one line per check, `not run` with why when it was skipped.
 */
import path from 'node:path';
import { structuredPatch } from 'diff';
import { rootOf } from '../files.js';
import { toJson, toSarif, type Format, type Report } from '../report.js';
import type { Applied } from './apply.js';
import { notRun, type Check } from './check.js';
import type { FixPlan } from './plan.js';
import type { Verification } from './verify.js';

export interface FixOutcome {
  readonly verification: Verification;
  /** Undefined when nothing was written (a dry run, or a refused plan). */
  readonly applied: Applied | undefined;
  readonly write: boolean;
  readonly format: Format;
}

export function reportFix(outcome: FixOutcome, out: (text: string) => void, err: (text: string) => void): void {
  const { verification, applied } = outcome;
  const { plan } = verification;
  if (outcome.format === 'stylish')
    for (const r of plan.rewrites) out(unifiedDiff(path.relative(plan.cwd, r.path), r.source, r.output));
  else {
    const report = machineReport(plan, [...verification.checks, projectLintCheck(outcome)], applied !== undefined);
    out(outcome.format === 'json' ? toJson(report) : toSarif(report));
  }
  for (const file of applied?.changedMeanwhile ?? [])
    err(`durable-write: ${file} changed during the run; not written\n`);
  err(`${summary(outcome).join('\n')}\n`);
}

/** Project lint runs on the written files (apply phase): its lines, or why it did not run. */
function projectLintCheck({ verification, applied, write }: FixOutcome): Check {
  const name = 'project lint';
  const [first, ...details] = applied?.projectLint ?? [];
  if (first !== undefined) {
    const outcome = / not run| could not run/.test(first)
      ? 'not run'
      : first.includes('no problem the rewrite introduced')
        ? 'passed'
        : 'reported';
    return { name, outcome, summary: first, details };
  }
  if (applied) return notRun(name, 'the project configures no ESLint, Prettier or Biome');
  if (verification.plan.rewrites.length === 0) return notRun(name, 'nothing rewritten');
  if (verification.refused) return notRun(name, 'a check refused the rewrite');
  return notRun(
    name,
    write ? 'nothing written' : "dry run: with --write the project's linters check the written files",
  );
}

function summary(outcome: FixOutcome): string[] {
  const { verification, applied } = outcome;
  const { plan } = verification;
  const rel = (f: string): string => path.relative(plan.cwd, f);
  const sites = plan.results.flatMap((r) => r.sites.map((s) => ({ ...s, file: rel(r.path) })));
  const review = sites.filter((s) => s.status === 'review');
  const differences = [...new Set(sites.flatMap((s) => (s.status === 'rewritten' ? (s.differences ?? []) : [])))];
  const unparsable = plan.results.filter((r) => r.status === 'unparsable');
  const written = applied !== undefined;
  const checks = [...verification.checks, projectLintCheck(outcome)];
  const vendored = plan.vendor && plan.importing.length ? plan.vendor.target : undefined;
  return [
    `files scanned: ${plan.selected} (${plan.parsed} parsed)`,
    `sites found: ${sites.length}`,
    `rewritten: ${sites.length - review.length} in ${plan.rewrites.length} files${written ? '' : ' (dry run: nothing written; --write applies)'}`,
    `checks: ${checks.map((c) => `${c.name} ${c.outcome}`).join(', ')}`,
    ...checks.flatMap((c) => [c.summary, ...c.details.map((d) => `  ${d}`)]),
    ...(differences.length ? ['behaviour that differs after the rewrite:', ...differences.map((d) => `  - ${d}`)] : []),
    ...plan.flushPolicies,
    ...(applied?.formatted ? [applied.formatted] : []),
    `left for review: ${review.length}`,
    ...review.map((s) => `  ${s.file}:${s.line}:${s.column} ${s.rename}(): ${s.reason}`),
    ...plan.dependencies.map(
      (d) =>
        `dependency ${written ? 'added' : 'to add'}: ${d.name}@${d.range} in ${rel(d.manifest)} (the rewritten files import it in production)` +
        (d.nodeFloor ? `\n  Node.js floor raised: ${d.name} requires ${d.nodeFloor}` : ''),
    ),
    ...(vendored ? [`vendored helper: ${rel(vendored)} (one file, no dependency added)`] : []),
    ...(applied?.packaging ? [applied.packaging] : []),
    ...(unparsable.length
      ? [`unparsable, skipped: ${unparsable.length}`, ...unparsable.map((r) => `  ${rel(r.path)}: ${r.reason}`)]
      : []),
    ...(plan.failed.length ? [`failed: ${plan.failed.length}`, ...plan.failed.map((f) => `  ${rel(f)}`)] : []),
  ];
}

function machineReport(plan: FixPlan, checks: readonly Check[], applied: boolean): Report {
  return {
    command: 'fix',
    cwd: plan.cwd,
    root: rootOf(plan.cwd),
    files: plan.selected,
    parsed: plan.parsed,
    findings: plan.results.flatMap((r) =>
      r.sites.map((s) => ({
        file: r.path,
        line: s.line,
        column: s.column,
        level: s.status === 'review' ? ('warning' as const) : ('note' as const),
        message:
          s.status === 'review'
            ? `${s.rename}() after ${s.write}() left for review: ${s.reason}`
            : `${s.rename}() after ${s.write}() ${applied ? 'rewritten' : 'can be rewritten'} to the durable helper (${s.shape})`,
        fixable: s.status === 'rewritten',
      })),
    ),
    skipped: plan.results
      .filter((r) => r.status === 'unparsable')
      .map((r) => ({ file: r.path, reason: `cannot parse: ${r.reason ?? 'unknown error'}` })),
    warnings: [
      ...(plan.parserWarning ? [plan.parserWarning] : []),
      ...plan.failed.map((f) => `failed: ${path.relative(plan.cwd, f)}`),
    ],
    checks: checks.map(({ name, outcome, summary }) => ({ name, outcome, summary })),
  };
}

/**
 * The dry run's `git diff`-style text of one file, from jsdiff's hunks with three lines of context;
 * empty when nothing changed. `\r` stays visible at line ends; an empty side counts from line 0, as
 * in `diff -u`.
 */
function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const { hunks } = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  const range = (start: number, lines: number): string => `${lines === 0 ? start - 1 : start},${lines}`;
  const body = hunks.flatMap((h) => [
    `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`,
    ...h.lines,
  ]);
  return `${[`--- a/${file}`, `+++ b/${file}`, ...body].join('\n')}\n`;
}
