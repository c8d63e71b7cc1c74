import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/installed/packed-folder.ts'],
    // One test file per core. vitest's default (cores - 1) runs a 2-core CI machine one file at a
    // time, and these files spend most of their time in child processes (npm, node, tsc, eslint)
    // while their worker waits, not in vitest's own process.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
