// Node >= 20.10: `flush: true` fsyncs the file before closing it.
import { writeFile, rename } from 'node:fs/promises';

export async function saveLockfile(file, text) {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, text, { encoding: 'utf8', flush: true });
  await rename(tmp, file);
}
