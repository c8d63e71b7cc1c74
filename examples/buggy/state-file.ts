// A state file written through a FileHandle: the sync is started but never awaited.
import { open, rename } from 'node:fs/promises';

export async function persistState(file: string, state: unknown): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(state));
    handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
