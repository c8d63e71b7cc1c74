/**
 * `npm run fuzz` at a fixed seed, as CI runs it: random programs of fs call sequences in random
 * syntax, linted with the built rule (dist/, built by `npm test`); the first of them, each program
 * with a fix, also run before and after every fix (execution as the oracle). Longer runs:
 * `npm run fuzz -- --count 5000 --execute 500`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PROGRAMS = 300;
/** Programs whose fixes are executed: each costs a Node process per fixed version. */
const EXECUTED_PROGRAMS = 60;
const SEED = 20261127;

interface FuzzSummary {
  exitCode: number | null;
  stdout: string;
  programs: number;
  findings: number;
  fixes: number;
  suggestions: number;
  fixedPrograms: number;
  failures: Record<
    'crash' | 'unparsable' | 'not-fixed-point' | 'generator' | 'unresolved' | 'behaviour' | 'traced-unsynced',
    number
  >;
  executed?: { before: number; after: number; nondeterministic: number; traced: number };
  /** Per shape of issue 17: sites generated, sites with a finding run before their fixes, fixed versions run over them. */
  shapes: Record<string, { sites: number; before: number; after: number }>;
}

/**
 * The shapes the generator must produce, and how many sites of each the executed run must run before
 * their fixes and fixed versions over them after (measured at this seed: callback 26/30, filehandle
 * 4/4, local destination in CJS 3/3, ESM 5/6, TS 4/4, shadowing 21/25, stream 18/16; the margin is
 * about one program skipped).
 */
const SHAPE_MINIMUMS: Record<string, { before: number; after: number }> = {
  'local-destination-cjs': { before: 2, after: 2 },
  'local-destination-esm': { before: 4, after: 5 },
  'local-destination-ts': { before: 3, after: 3 },
  'shadowing-name': { before: 17, after: 20 },
  callback: { before: 22, after: 25 },
  filehandle: { before: 3, after: 3 },
  stream: { before: 15, after: 13 },
};
const SHAPES = Object.keys(SHAPE_MINIMUMS);

function fuzz(...args: string[]): FuzzSummary {
  const child = spawnSync(process.execPath, ['scripts/fuzz.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 700_000,
  });
  const summary =
    /(\d+) programs \(seed \d+\) in [\d.]+ s: (\d+) findings, (\d+) fixes checked, (\d+) suggestions checked, (\d+) programs fixed to a fixed point; (\d+) crash, (\d+) unparsable, (\d+) not-fixed-point, (\d+) generator, (\d+) unresolved, (\d+) behaviour, (\d+) traced-unsynced$/m.exec(
      child.stdout,
    );
  if (!summary)
    throw new Error(`no summary from scripts/fuzz.js (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
  const [
    programs,
    findings,
    fixes,
    suggestions,
    fixedPrograms,
    crash,
    unparsable,
    notFixedPoint,
    generator,
    unresolved,
    behaviour,
    tracedUnsynced,
  ] = summary.slice(1).map(Number) as number[];
  const executed =
    /^executed, of the first \d+ programs: (\d+) runs of programs before their fixes, (\d+) fixed versions after \(\d+ timed out before, (\d+) skipped: their own runs differ\); \d+ differed only as their fix summary lists; (\d+) clean versions traced$/m.exec(
      child.stdout,
    );
  const shapes = Object.fromEntries(
    [...child.stdout.matchAll(/^shape ([\w-]+): (\d+) sites, (\d+) run before, (\d+) fixed versions run after$/gm)].map(
      (m) => [m[1]!, { sites: Number(m[2]), before: Number(m[3]), after: Number(m[4]) }],
    ),
  );
  return {
    exitCode: child.status,
    shapes,
    stdout: child.stdout,
    programs: programs!,
    findings: findings!,
    fixes: fixes!,
    suggestions: suggestions!,
    fixedPrograms: fixedPrograms!,
    failures: {
      crash: crash!,
      unparsable: unparsable!,
      'not-fixed-point': notFixedPoint!,
      generator: generator!,
      unresolved: unresolved!,
      behaviour: behaviour!,
      'traced-unsynced': tracedUnsynced!,
    },
    ...(executed
      ? {
          executed: {
            before: Number(executed[1]),
            after: Number(executed[2]),
            nondeterministic: Number(executed[3]),
            traced: Number(executed[4]),
          },
        }
      : {}),
  };
}

// One run: the first EXECUTED_PROGRAMS programs are also executed (the others would lint the same
// programs again in a second run).
let run: FuzzSummary;
beforeAll(() => {
  run = fuzz(
    '--count',
    String(PROGRAMS),
    '--execute',
    String(EXECUTED_PROGRAMS),
    '--seed',
    String(SEED),
    '--no-shrink',
    '--strict',
  );
}, 720_000);

describe(`fuzz: ${PROGRAMS} generated programs, seed ${SEED}`, () => {
  it('the rule never throws, and every generated program parses', () => {
    expect(run.programs).toBe(PROGRAMS);
    expect({ crash: run.failures.crash, generator: run.failures.generator }).toEqual({ crash: 0, generator: 0 });
    // The programs exercise the rule: findings, autofixes and suggestions in numbers.
    expect(run.findings).toBeGreaterThan(PROGRAMS / 2);
    expect(run.fixes).toBeGreaterThan(10);
    expect(run.suggestions).toBeGreaterThan(100);
  });

  it.each(SHAPES)('generates sites shaped %s', (shape) => {
    expect(run.shapes[shape]?.sites).toBeGreaterThan(0);
  });

  it('every autofix and suggestion output parses and is a fixed point', () => {
    expect({ unparsable: run.failures.unparsable, notFixedPoint: run.failures['not-fixed-point'] }).toEqual({
      unparsable: 0,
      notFixedPoint: 0,
    });
  });

  // A fix or suggestion is offered only where it resolves its own report: a flush fix only where the
  // write settles before the rename on every path (not a rename that races an unawaited write).
  it('every autofix and suggestion resolves its own finding, and the fuzzer exits 0', () => {
    expect(run.failures.unresolved).toBe(0);
    expect(run.exitCode).toBe(0);
  });
});

describe(`fuzz, execution as the oracle: the first ${EXECUTED_PROGRAMS} programs`, () => {
  it('every fixed version behaves as the original but for what its summary lists, and clean ones trace clean', () => {
    expect({
      behaviour: run.failures.behaviour,
      tracedUnsynced: run.failures['traced-unsynced'],
      unresolved: run.failures.unresolved,
    }).toEqual({ behaviour: 0, tracedUnsynced: 0, unresolved: 0 });
    expect(run.exitCode).toBe(0);
  });

  // The counts when last reviewed (31 runs of programs before their fixes, 64 fixed versions after,
  // 14 traced; every one of the 60 programs executed, none skipped): coverage that drops (programs
  // whose own runs differ, fewer findings with a fix) fails here instead of passing on less. The
  // generator makes no racy program (lib/fuzz-programs.js): a skipped one is a race it let through.
  it('runs every program before and after its fixes', () => {
    expect(run.executed?.nondeterministic).toBeLessThanOrEqual(1);
    expect(run.executed?.before).toBeGreaterThanOrEqual(28);
    expect(run.executed?.after).toBeGreaterThanOrEqual(56);
    expect(run.executed?.traced).toBeGreaterThanOrEqual(12);
  });

  it.each(SHAPES)('runs sites shaped %s before and after fixes of them', (shape) => {
    expect(run.shapes[shape]?.before).toBeGreaterThanOrEqual(SHAPE_MINIMUMS[shape]!.before);
    expect(run.shapes[shape]?.after).toBeGreaterThanOrEqual(SHAPE_MINIMUMS[shape]!.after);
  });
});

describe('fuzz can fail', () => {
  it('a plugin whose autofix breaks the program is reported, with the shrunk program, and exits 1', () => {
    const broken = fuzz(
      '--count',
      '40',
      '--seed',
      String(SEED),
      '--no-execute',
      '--plugin',
      'test/integration/fixtures/broken-fix-plugin.js',
    );
    expect(broken.exitCode).toBe(1);
    expect(broken.failures.unparsable).toBeGreaterThan(0);
    expect(broken.stdout).toMatch(
      /=== \d+ × a fix or suggestion output does not parse\nfirst, shrunk \d+ times: the autofix for line \d+:\d+ does not parse/,
    );
  });
});
