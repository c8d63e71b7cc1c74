import { readdirSync } from 'node:fs';

/** Temp files a write left behind in `dir` (there must never be any after a call settles). */
export function leftoverTemps(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.durable-tmp'));
}
