import { open, rename } from 'node:fs/promises';

export async function save(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  await handle.writeFile(data);
  await handle.close();
  await rename(tmp, file);
}
