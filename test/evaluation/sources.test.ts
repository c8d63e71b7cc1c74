import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreFile, scoreFiles } from '../../scripts/lib/evaluate-sources.js';
import type { SourceLabel } from '../../scripts/lib/evaluate-sources.js';

interface Manifest {
  shapes: Record<string, string>;
  projects: Array<{
    project: string;
    repo: string;
    commit?: string;
    source?: { npm: string; version: string };
    files: string[];
    context?: string[];
    packages?: Array<{ name: string; version: string }>;
    labels: Array<SourceLabel & { write: { line: number; file?: string } | null; alsoNeeds?: string[]; why: string; labelledAfterRule?: boolean; labelledAfterRuleReason?: string }>;
  }>;
  reviewedFindings: Array<{ project: string; file: string; line: number; verdict: string; why: string }>;
}

const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, 'sources.json'), 'utf8')) as Manifest;

describe('test/evaluation/sources.json', () => {
  const labels = manifest.projects.flatMap((p) => p.labels.map((l) => ({ p, l })));

  it('pins every project to a commit or an exact npm version', () => {
    for (const p of manifest.projects) {
      if (p.source) expect(p.source.version, p.project).toMatch(/^\d+\.\d+\.\d+$/);
      else expect(p.commit, p.project).toMatch(/^[0-9a-f]{40}$/);
      for (const pkg of p.packages ?? []) expect(pkg.version, `${p.project} ${pkg.name}`).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('labels only linted files, with a known kind and shape and positive lines', () => {
    for (const { p, l } of labels) {
      const where = `${p.project} ${l.file}:${l.line}`;
      expect(p.files, where).toContain(l.file);
      expect(['bug', 'correct'], where).toContain(l.kind);
      expect(Object.keys(manifest.shapes), where).toContain(l.shape);
      for (const line of [l.line, ...(l.reportAt ?? []), ...(l.write ? [l.write.line] : [])]) expect(line, where).toBeGreaterThan(0);
      if (l.write?.file) expect(p.context ?? [], where).toContain(l.write.file);
      expect(l.why.length, where).toBeGreaterThan(20);
    }
  });

  it('gives a reason for every label changed after seeing the rule output', () => {
    for (const { p, l } of labels.filter(({ l }) => l.labelledAfterRule)) {
      expect(l.labelledAfterRuleReason, `${p.project} ${l.file}:${l.line}`).toBeTruthy();
    }
  });

  it('covers at least 15 projects and has one label per site', () => {
    expect(manifest.projects.length).toBeGreaterThanOrEqual(15);
    const keys = labels.map(({ p, l }) => `${p.project}:${l.file}:${l.line}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('scoreFile', () => {
  const msg = (line: number) => ({ line, column: 1, message: `finding at ${line}` });
  const bug = (line: number, reportAt?: number[]): SourceLabel => ({ file: 'a.ts', line, kind: 'bug', shape: 'direct', ...(reportAt ? { reportAt } : {}) });
  const correct = (line: number): SourceLabel => ({ file: 'a.ts', line, kind: 'correct', shape: 'direct' });

  it('finds a bug reported on its rename line and misses one not reported', () => {
    const { outcomes } = scoreFile({ project: 'x', file: 'a.ts', labels: [bug(10), bug(20)], result: { reports: [msg(10)], sites: [] } });
    expect(outcomes.map((o) => o.outcome)).toEqual(['TP', 'FN']);
  });

  it('counts a report at any reportAt line once, and not as unlabelled', () => {
    const { outcomes, unlabelled } = scoreFile({
      project: 'x',
      file: 'a.ts',
      labels: [bug(88, [82, 88])],
      result: { reports: [msg(82), msg(88)], sites: [] },
    });
    expect(outcomes.map((o) => o.outcome)).toEqual(['TP']);
    expect(unlabelled).toEqual([]);
  });

  it("finds a bug through a helper's call that names its line as the rename inside the helper", () => {
    const helperCall = (line: number, renamedAt: number) => ({
      line,
      column: 3,
      message: `\`publish()\` publishes \`tmp\` (renamed by \`renameSync()\` at line ${renamedAt}), written by \`writeFileSync()\` at line 6, without an fsync.`,
    });
    const { outcomes, unlabelled } = scoreFile({
      project: 'x',
      file: 'a.ts',
      labels: [bug(3), correct(9), bug(12), bug(30), correct(33)],
      // The report at 30 is that label's own; it names the correct site at 33 as the rename.
      result: { reports: [helperCall(7, 3), helperCall(20, 9), helperCall(21, 40), helperCall(30, 33)], sites: [] },
    });
    expect(outcomes.map((o) => [o.line, o.outcome, o.foundThrough])).toEqual([
      [3, 'TP', 'helper call'],
      [9, 'FP', 'helper call'],
      [12, 'FN', undefined],
      [30, 'TP', undefined],
      [33, 'TN', undefined],
    ]);
    expect(unlabelled.map((u) => u.line)).toEqual([21]);
  });

  it('makes a report on a correct site a false positive', () => {
    const { outcomes } = scoreFile({ project: 'x', file: 'a.ts', labels: [correct(5)], result: { reports: [msg(5)], sites: [] } });
    expect(outcomes.map((o) => o.outcome)).toEqual(['FP']);
  });

  it('returns unlabelled findings with their review, unreviewed otherwise', () => {
    const { unlabelled } = scoreFile({
      project: 'x',
      file: 'a.ts',
      labels: [bug(10)],
      result: { reports: [msg(30), msg(40)], sites: [] },
      reviewed: [{ project: 'x', file: 'a.ts', line: 30, verdict: 'true-positive', why: 'a real unsynced rename the labels missed' }],
    });
    expect(unlabelled.map((u) => [u.line, u.verdict])).toEqual([
      [30, 'true-positive'],
      [40, 'unreviewed'],
    ]);
  });

  it('lists inventory sites on no label line as label gaps', () => {
    const { unlabelledSites } = scoreFile({ project: 'x', file: 'a.ts', labels: [bug(10, [7, 10])], result: { reports: [], sites: [msg(7), msg(10), msg(12)] } });
    expect(unlabelledSites.map((s) => s.line)).toEqual([12]);
  });
});

// A scaffolder's rename helper in one module, called from another after that module's copy (set 22 on): the label
// sits on the rename inside the helper, and `reportAt` may name the call's line in the caller's file.
describe('scoreFiles', () => {
  const msg = (line: number) => ({ line, column: 1, message: `finding at ${line}` });
  const helper = { file: 'lib/rename.js', line: 12, kind: 'bug' as const, shape: 'cross-module', reportAt: [12, { file: 'lib/create.js', line: 40 }] };
  const score = (helperReports: number[], createReports: number[], labels: SourceLabel[] = [helper]) =>
    scoreFiles({
      project: 'x',
      labels,
      results: [
        { file: 'lib/rename.js', result: { reports: helperReports.map(msg), sites: [] } },
        { file: 'lib/create.js', result: { reports: createReports.map(msg), sites: [msg(40)] } },
      ],
    });

  it("finds the bug by a report on the call's line in the other file, which is then no unlabelled report", () => {
    const { outcomes, unlabelled, unlabelledSites } = score([], [40]);
    expect(outcomes.map((o) => [o.line, o.outcome, o.messages])).toEqual([[12, 'TP', ['lib/create.js:40:1 finding at 40']]]);
    expect(unlabelled).toEqual([]);
    expect(unlabelledSites).toEqual([]);
  });

  it('counts reports in both files once, for the one label', () => {
    const { outcomes, unlabelled } = score([12], [40]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['TP']);
    expect(unlabelled).toEqual([]);
  });

  it('makes a report elsewhere in the other file a false positive, and misses the bug', () => {
    const { outcomes, unlabelled } = score([], [41]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['FN']);
    expect(unlabelled.map((u) => [u.file, u.line])).toEqual([['lib/create.js', 41]]);
  });

  it("keeps a number entry to the label's own file: line 40 of the other file is not claimed by it", () => {
    const own = { ...helper, reportAt: [12, 40] };
    const { outcomes, unlabelled } = score([], [40], [own]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['FN']);
    expect(unlabelled.map((u) => [u.file, u.line])).toEqual([['lib/create.js', 40]]);
  });

  it('makes a report on the other file\'s line a false positive when the label there is a correct site', () => {
    const correct = { ...helper, kind: 'correct' as const, shape: 'other' };
    const { outcomes, unlabelled } = score([], [40], [correct]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['FP']);
    expect(unlabelled).toEqual([]);
  });
});
