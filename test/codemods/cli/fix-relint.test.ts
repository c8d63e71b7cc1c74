/**
 * The verify phase's re-lint (`codemods/cli/fix/relint.ts`) on plans whose rewrites the workers
 * never produce (their own check drops them first): a rewrite that leaves its site reported, one
 * that brings a finding into another function, one that does not parse. Each is dropped from the
 * plan, its sites left for review with the reason, and what it alone needed (the dependency) goes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingRuntimeDependencies } from '../../../codemods/dependency.js';
import { rewriteSource } from '../../../codemods/engine.js';
import type { FixPlan } from '../../../codemods/cli/fix/plan.js';
import { relintPlan } from '../../../codemods/cli/fix/relint.js';

const source = `const fs = require('fs');
function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
function load(file) {
  return fs.readFileSync(file, 'utf8');
}
module.exports = { save, load };
`;

let dir: string;
let file: string;
let good: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'durable-write-relint-'));
  file = join(dir, 'store.js');
  writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
  writeFileSync(file, source);
  const result = rewriteSource(source, file);
  expect(result.status).toBe('rewritten');
  good = result.output as string;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The plan the workers would hand over for `store.js`, with `output` as its rewrite. */
function planWith(output: string): FixPlan {
  const { sites } = rewriteSource(source, file);
  return {
    cwd: dir,
    selected: 1,
    parsed: 1,
    results: [{ path: file, status: 'rewritten', sites, output }],
    rewrites: [{ path: file, source, output, sites }],
    failed: [],
    typescriptParser: undefined,
    parserWarning: undefined,
    ruleOptions: {},
    importSource: 'durable-write-runtime',
    vendor: undefined,
    importing: [file],
    dependencies: missingRuntimeDependencies([file], 'durable-write-runtime'),
    unmanaged: [],
    flushPolicies: [],
  };
}

describe('fix, verify phase: the re-lint', () => {
  it('keeps a rewrite the rule agrees with', () => {
    const { plan, check } = relintPlan(planWith(good));
    expect(check).toMatchObject({ outcome: 'passed', summary: expect.stringContaining('1 rewritten files parse') });
    expect(plan.rewrites.map((r) => r.output)).toEqual([good]);
    expect(plan.dependencies).toHaveLength(1);
  });

  it('drops a rewrite that leaves its own site reported (unresolved), and the dependency only it needed', () => {
    // Only the import added: the write and rename are still there, in the function the fix changed.
    const importOnly = good.split('\n').find((line) => line.includes('durable-write-runtime'));
    expect(importOnly).toBeDefined();
    const unresolved = `${importOnly}\n${source}`;
    const { plan, check } = relintPlan(planWith(unresolved));
    expect(check.outcome).toBe('dropped');
    expect(check.summary).toContain('1 of 1 rewritten files dropped (0 do not parse, 1 unresolved finding(s), 0 new');
    expect(check.details).toEqual([
      'store.js: dropped by the re-lint: the rule still reports a rewritten site (line 5 of the rewrite)',
    ]);
    expect(plan.rewrites).toEqual([]);
    expect(plan.importing).toEqual([]);
    expect(plan.dependencies).toEqual([]);
    expect(plan.results[0]).toMatchObject({ status: 'unchanged' });
    expect(plan.results[0]?.output).toBeUndefined();
    expect(plan.results[0]?.sites.map((s) => [s.status, s.reason])).toEqual([
      ['review', expect.stringContaining('the rule still reports a rewritten site')],
    ]);
  });

  it('drops a rewrite that brings a finding into a function it did not fix (new)', () => {
    const introduced = good.replace(
      "return fs.readFileSync(file, 'utf8');",
      "fs.writeFileSync(file + '.bak', '');\n  fs.renameSync(file + '.bak', file);\n  return fs.readFileSync(file, 'utf8');",
    );
    expect(introduced).not.toBe(good);
    const { plan, check } = relintPlan(planWith(introduced));
    expect(check.summary).toContain('(0 do not parse, 0 unresolved finding(s), 1 new finding(s))');
    expect(check.details[0]).toContain('the rewrite introduces a finding of the rule');
    expect(plan.rewrites).toEqual([]);
  });

  it('drops a rewrite that does not parse', () => {
    const { plan, check } = relintPlan(planWith(good.replace('module.exports', 'module.exports = {')));
    expect(check.summary).toContain('(1 do not parse, 0 unresolved');
    expect(check.details[0]).toMatch(/^store\.js: dropped by the re-lint: the rewrite does not parse: /);
    expect(plan.rewrites).toEqual([]);
  });
});
