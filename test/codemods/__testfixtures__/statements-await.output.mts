import { readFile } from 'node:fs/promises';

import { writeFileDurable } from 'durable-write-runtime';

export async function bump(file: string): Promise<void> {
  const n = Number(await readFile(file, 'utf8')) + 1;
  await writeFileDurable(file, String(n));
}
