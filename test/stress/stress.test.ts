/**
 * The rule on inputs that grow with file size or nesting depth (bundles, generated code). The rule
 * must survive everything ESLint survives: where ESLint itself gives up (espree's parser and
 * eslint-scope recurse), linting with the rule must end exactly as linting without it.
 * Each input is linted in a child process with a hard timeout, so a hang fails instead of stalling CI.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runner = fileURLToPath(new URL('./lint-input.mjs', import.meta.url));

interface Outcome {
  threw?: string;
  fatal?: string[];
  findings?: number;
  fixes?: number;
  expected: number;
  lines: number;
  bytes: number;
  /** Set when the process died (abort, out of memory) instead of printing a result. */
  died?: string;
}

function lint(shape: string, size: number, every: number, rule: 'on' | 'off', timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [runner, shape, String(size), String(every), rule],
      { timeout, maxBuffer: 1 << 20 },
      (error, stdout) => {
        const line = stdout.trim().split('\n').at(-1);
        if (line?.startsWith('{')) resolve(JSON.parse(line) as Outcome);
        else
          resolve({
            died: error?.killed ? 'timeout' : `exit ${String(error?.code ?? error?.signal)}`,
            expected: 0,
            lines: 0,
            bytes: 0,
          });
      },
    );
  });
}

/** Lints with and without the rule: the rule adds its findings and nothing else. */
async function sameAsEslint(shape: string, size: number, every = 1): Promise<{ on: Outcome; off: Outcome }> {
  const [on, off] = await Promise.all([
    lint(shape, size, every, 'on', 240_000),
    lint(shape, size, every, 'off', 240_000),
  ]);
  expect(on.died, 'a hang or a crash of the process').not.toBe('timeout');
  expect(on.threw, 'the rule threw').toBeUndefined();
  if (off.died) expect(on.died).toBe(off.died);
  else expect(on.fatal).toEqual(off.fatal);
  if (!on.died && on.fatal?.length === 0) {
    expect(on.findings).toBe(on.expected);
    expect(on.fixes).toBe(on.expected);
  }
  return { on, off };
}

describe('stress: the rule never crashes where ESLint does not', { timeout: 300_000 }, () => {
  // Sized to end well inside its timeout on a loaded 2-core runner; the largest real bundles
  // (pnpm's 300,000 lines among them) are linted whole by \`npm run check:corpus\`.
  it('a 100,000-line generated bundle with 500 findings', async () => {
    const on = await lint('bundle', 100_000, 30, 'on', 280_000);
    expect(on.died).toBeUndefined();
    expect(on.threw).toBeUndefined();
    expect(on.lines).toBeGreaterThanOrEqual(100_000);
    expect(on.fatal).toEqual([]);
    expect(on.findings).toBe(on.expected);
    expect(on.expected).toBeGreaterThan(500);
  });

  it('a single 2 MB line with findings', async () => {
    const on = await lint('singleLine', 2_000_000, 50, 'on', 280_000);
    expect(on.died).toBeUndefined();
    expect(on.threw).toBeUndefined();
    expect(on.bytes).toBeGreaterThanOrEqual(2_000_000);
    expect(on.lines).toBe(1);
    expect(on.findings).toBe(on.expected);
    expect(on.fixes).toBe(on.expected);
  });

  // Past ESLint's own limits (FACTS: espree ~600 nested callbacks, eslint-scope ~4,000 terms) the
  // outcome must be ESLint's; just inside them, the rule must still report.
  it.each([
    ['concatenation', 20_000],
    ['concatenation', 3_000],
    ['nestedCallbacks', 5_000],
    ['nestedCallbacks', 400],
    ['ifChain', 5_000],
    ['ifChain', 400],
  ])('%s of %i', async (shape, size) => {
    await sameAsEslint(shape, size);
  });
});
