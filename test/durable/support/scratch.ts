import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Temp files a write left behind in `dir` (there must never be any after a call settles). */
export function leftoverTemps(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.durable-tmp'));
}

/**
 * A temp directory for one test file (removed after it) and a fresh, empty directory in it per
 * call. Call at module level: it registers the cleanup with `afterAll`.
 */
export function scratchRoot(prefix: string): { readonly root: string; readonly freshDir: () => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  const freshDir = () => {
    const dir = join(root, `case-${counter++}`);
    mkdirSync(dir);
    return dir;
  };
  return { root, freshDir };
}
