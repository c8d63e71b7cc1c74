/**
 * vitest globalSetup: one folder per test run for the packed plugin and runtime, which every test
 * file that installs them shares (`packBoth` in consumer.ts packs into it once). Emptied before a
 * rerun in watch mode (the build may have changed), removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    packedFolder: string;
  }
}

export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'durable-write-packed-'));
  project.provide('packedFolder', folder);
  project.onTestsRerun(() => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
  });
  return () => rmSync(folder, { recursive: true, force: true });
}
