/**
 * Verify, first check: the rule itself (`codemods/engine.ts`, the detector the rule runs) on each
 * rewritten text in this process, on the text that will be written. A rewrite that does not parse,
 * that leaves a finding of its own inside a function it changed ("unresolved"), or that brings a
 * new finding elsewhere, is dropped from the plan; its sites are left for review with the reason.
 */
import path from 'node:path';
import { relintRewrite, useTypescriptParser } from '../../engine.js';
import type { Check } from './check.js';
import { dropRewrites, type FixPlan } from './plan.js';

const withoutBom = (text: string): string => (text.startsWith('\uFEFF') ? text.slice(1) : text);

export function relintPlan(plan: FixPlan): { plan: FixPlan; check: Check } {
  if (plan.typescriptParser) useTypescriptParser(plan.typescriptParser);
  const dropped = new Map<string, string>();
  let unresolved = 0;
  let introduced = 0;
  let unparsable = 0;
  for (const rewrite of plan.rewrites) {
    const verdict = relintRewrite(
      withoutBom(rewrite.source),
      withoutBom(rewrite.output),
      rewrite.path,
      rewrite.sites,
      plan.ruleOptions,
    );
    if (!verdict.problem) continue;
    dropped.set(rewrite.path, `dropped by the re-lint: ${verdict.problem}`);
    if (verdict.findings.length === 0) unparsable++;
    unresolved += verdict.findings.filter((f) => f.kind === 'unresolved').length;
    introduced += verdict.findings.filter((f) => f.kind === 'new').length;
  }
  const checked = plan.rewrites.length;
  const check: Check = dropped.size
    ? {
        name: 're-lint',
        outcome: 'dropped',
        summary: `re-lint: ${dropped.size} of ${checked} rewritten files dropped (${unparsable} do not parse, ${unresolved} unresolved finding(s), ${introduced} new finding(s)); their sites are left for review`,
        details: [...dropped].map(([file, why]) => `${path.relative(plan.cwd, file)}: ${why}`),
      }
    : {
        name: 're-lint',
        outcome: checked ? 'passed' : 'not run',
        summary: checked
          ? `re-lint: ${checked} rewritten files parse, no finding unresolved or new`
          : 're-lint: not run (nothing rewritten)',
        details: [],
      };
  return { plan: dropRewrites(plan, dropped), check };
}
