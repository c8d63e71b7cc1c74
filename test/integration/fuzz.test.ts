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
  executed?: { racy: number; before: number; after: number; nondeterministic: number; traced: number };
  /** Per shape of issue 17: sites generated, sites with a finding run before their fixes, fixed versions run over them. */
  shapes: Record<string, { sites: number; before: number; after: number }>;
}

/** The shapes the generator must produce and the executed run must run before and after their fixes. */
const SHAPES = [
  'local-destination-cjs',
  'local-destination-esm',
  'local-destination-ts',
  'shadowing-name',
  'callback',
  'filehandle',
  'stream',
];

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
    /^executed, of the first \d+ programs: (\d+) not run \(racy by construction\); (\d+) runs of programs before their fixes, (\d+) fixed versions after \(\d+ timed out before, (\d+) skipped: their own runs differ\); \d+ differed only as their fix summary lists; (\d+) clean versions traced$/m.exec(
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
            racy: Number(executed[1]),
            before: Number(executed[2]),
            after: Number(executed[3]),
            nondeterministic: Number(executed[4]),
            traced: Number(executed[5]),
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

  // The counts when last reviewed (26 programs run before their fixes, 55 fixed versions after, 14
  // traced; 7 of 60 programs racy): coverage that drops (more racy programs, fewer findings with a
  // fix, programs skipped as nondeterministic) fails here instead of passing on less.
  it('runs most programs before and after their fixes', () => {
    expect(run.executed?.racy).toBeLessThanOrEqual(10);
    expect(run.executed?.before).toBeGreaterThanOrEqual(22);
    expect(run.executed?.after).toBeGreaterThanOrEqual(45);
    expect(run.executed?.traced).toBeGreaterThanOrEqual(10);
  });

  it.each(SHAPES)('runs a site shaped %s before and after a fix of it', (shape) => {
    expect(run.shapes[shape]?.before).toBeGreaterThanOrEqual(1);
    expect(run.shapes[shape]?.after).toBeGreaterThanOrEqual(1);
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
