import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory under os.tmpdir(), removed after the current test. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'durable-test-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Temp files a write left behind in `dir` (there must never be any after a call settles). */
export function leftoverTemps(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.durable-tmp'));
}
