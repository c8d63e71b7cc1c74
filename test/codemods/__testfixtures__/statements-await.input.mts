import { readFile, rename, writeFile } from 'node:fs/promises';

export async function bump(file: string): Promise<void> {
  const n = Number(await readFile(file, 'utf8')) + 1;
  await writeFile(file + '.tmp', String(n));
  await rename(file + '.tmp', file);
}
