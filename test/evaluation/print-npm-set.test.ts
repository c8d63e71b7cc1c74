/**
 * `scripts/evaluate.js --half held-out` prints counts only (`printNpmSet` without `details`): a held-out
 * half's baseline must not list the sites one could then tune on before its last run.
 */
import { describe, expect, it } from 'vitest';
import { printNpmSet } from '../../scripts/lib/evaluate-npm-set.js';

const row = { name: 'total', bugs: 2, found: 1, recall: 0.5, correct: 1, FP: 1, precision: 0.5 };
const result = {
  set: 99,
  half: 'held-out',
  packages: 2,
  lintedFiles: 2,
  labelledSites: 3,
  fetchMs: 1,
  lintMs: 1,
  labelsSha256: 'x',
  perShape: [{ ...row, name: 'same-function' }],
  overall: row,
  foundThroughHelperCall: [{ project: 'helper-pkg', file: 'h.js', line: 3 }],
  misses: [{ shape: 'cross-module', project: 'missed-pkg', file: 'a.js', line: 1, why: 'the reason it is a bug' }],
  falsePositives: [{ shape: 'other', project: 'fp-pkg', file: 'b.js', line: 2, messages: ['reported here'] }],
  unlabelledFindings: [{ project: 'extra-pkg', file: 'c.js', line: 4, column: 1, message: 'unlabelled report' }],
  staleLabels: [],
  fatal: [],
};

const printed = (details?: boolean): string => {
  const lines: string[] = [];
  printNpmSet(result, (line: string) => lines.push(line), details === undefined ? undefined : { details });
  return lines.join('\n');
};

describe('printNpmSet', () => {
  it('lists every miss, false positive and unlabelled report by default', () => {
    const text = printed();
    for (const name of ['missed-pkg', 'the reason it is a bug', 'fp-pkg', 'reported here', 'extra-pkg', 'helper-pkg'])
      expect(text).toContain(name);
  });

  it('without details, counts them and names no site', () => {
    const text = printed(false);
    expect(text).toContain('Misses (1)');
    expect(text).toContain('False positives on labelled correct sites (1)');
    expect(text).toContain('Reports on unlabelled lines (1, counted as false positives)');
    expect(text).toContain("found only through a helper's call naming the labelled rename line: 1");
    for (const name of ['missed-pkg', 'the reason it is a bug', 'fp-pkg', 'reported here', 'extra-pkg', 'helper-pkg'])
      expect(text).not.toContain(name);
  });
});
