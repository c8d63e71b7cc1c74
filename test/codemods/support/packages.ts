/**
 * Throwaway packages for tests that run the codemod on a file and then run the result: one temp
 * directory per test file (removed afterwards) whose node_modules is this repository's.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Registers the temp directory's setup and removal; returns a function creating one package in it. */
export function throwawayPackages(
  prefix: string,
): (name: string, manifest: Record<string, unknown>, file: string, text: string) => string {
  let work = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), `durable-write-${prefix}-`));
    symlinkSync(join(repositoryRoot, 'node_modules'), join(work, 'node_modules'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  /** A package with `manifest` and one file; returns the file's path. */
  return (name, manifest, file, text) => {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...manifest }));
    writeFileSync(join(dir, file), text);
    return join(dir, file);
  };
}
