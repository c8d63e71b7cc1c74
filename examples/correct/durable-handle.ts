// FileHandle flow with an awaited sync before the rename.
import { open, rename } from 'node:fs/promises';

export async function persistState(file: string, state: unknown): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
