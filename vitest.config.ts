import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Test files that change nothing process-wide: no vi.mock, no patched fs or timers left behind, no
// environment variable set. Most only lint, transform or evaluate strings and scratch files in
// their own process; the fix-e2e, codemod and integration files among them also run the programs
// they write, as child processes. They run with `isolate: false`, so that a worker imports ESLint,
// typescript-eslint, TypeScript and the rule once for all of them instead of once per file (that
// import was most of the CPU time of the lint-only files). CI's shuffled order mixes them
// differently in every seed: a file that leans on another's leftovers fails there.
const inProcess = [
  'test/rules/no-unsynced-rename*.test.ts',
  'test/rules/fix-import-placement.test.ts',
  'test/rules/fix-write-flags.test.ts',
  'test/engine/*.test.ts',
  'test/stress/ast.test.ts',
  'test/trace/tracker.test.ts',
  'test/codemods/transform.test.ts',
  'test/codemods/scratch-copy.test.ts',
  'test/codemods/cli/fix-relint.test.ts',
  'test/integration/dependency-reads.test.ts',
  'test/integration/explain.test.ts',
  'test/integration/long-session.test.ts',
  'test/integration/module-resolution.test.ts',
  'test/integration/readme-config.test.ts',
  'test/evaluation/*.test.ts',
  'test/fix-e2e/dead-code-by-scope.test.ts',
  'test/fix-e2e/engines.test.ts',
  'test/fix-e2e/helper-options.test.ts',
  'test/fix-e2e/rename-before-close.test.ts',
  'test/fix-e2e/rename-before-write.test.ts',
  'test/fix-e2e/wrappers.test.ts',
  'test/fix-e2e/fix-e2e.test.ts',
  'test/fix-e2e/promise-callbacks.test.ts',
  'test/codemods/faithful.test.ts',
  'test/codemods/in-place.test.ts',
  'test/integration/plugin.test.ts',
  'test/integration/oxlint.test.ts',
  'test/rules/fix-typecheck.test.ts',
  'test/trace/flavours.test.ts',
  'test/durable/read.test.ts',
  'test/durable/write.test.ts',
  'test/durable/strace-log.test.ts',
];

/**
 * The longest files (60-170 s each on a 2-core machine, most of it in child processes: npm installs,
 * tsc, a hundred SIGKILLed writers). They start first, in the shuffled order among themselves: a file
 * of minutes that starts last keeps one core busy after the other has run out of work (a shuffle put
 * the two installed-product files in one worker's queue, one after the other, and the run took 851 s
 * of which 160 s on one core alone).
 */
const slowest = [
  'test/installed/',
  'test/durable/processes.test.ts',
  'test/codemods/cli/check.test.ts',
  'test/trace/loaders.test.ts',
  'test/codemods/cli/project-lint.test.ts',
];
const isSlow = (file: TestSpecification): boolean => slowest.some((prefix) => file.moduleId.includes(`/${prefix}`));

/**
 * vitest's `--sequence.shuffle` file order (the same shuffle of the same seed), the slowest files of
 * the isolated project first (`slowest`), and the files of the non-isolated project last. vitest keeps a non-isolated worker only while the next file in its
 * queue belongs to the same project: shuffled together, the two projects would take turns and every
 * worker would import everything anew. One queue (not two `sequence.groupOrder` groups, which vitest
 * runs one after the other) keeps both cores busy where the projects meet, and the short in-process
 * files at its end leave no core waiting long for the other's last file.
 */
class InProcessLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { seed } = this.ctx.config.sequence;
    const sorted = seed === undefined ? await super.sort(files) : shuffle([...files], seed);
    const isolated = sorted.filter((file) => file.project.name !== 'in-process');
    return [
      ...isolated.filter(isSlow),
      ...isolated.filter((file) => !isSlow(file)),
      ...sorted.filter((file) => file.project.name === 'in-process'),
    ];
  }
}

/** @vitest/utils' shuffle, which vitest's RandomSequencer uses. */
function shuffle<T>(array: T[], seed: number): T[] {
  for (let length = array.length; length > 0; seed += 1) {
    const x = Math.sin(seed) * 1e4;
    const index = Math.floor((x - Math.floor(x)) * length);
    length -= 1;
    [array[length], array[index]] = [array[index]!, array[length]!];
  }
  return array;
}

export default defineConfig({
  test: {
    // One test file per core. vitest's default (cores - 1) runs a 2-core CI machine one file at a
    // time, and these files spend most of their time in child processes (npm, node, tsc, eslint)
    // while their worker waits, not in vitest's own process.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { sequencer: InProcessLast },
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: inProcess,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...inProcess],
          globalSetup: ['test/installed/packed-folder.ts'],
        },
      },
    ],
  },
});
