// Descriptor and FileHandle sequences with the close in a finally block.
import fs from 'node:fs';
import { open, rename } from 'node:fs/promises';

export function saveSync(file, data) {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    // the payload
    fs.writeSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export async function save(file, data) {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

export const exists = (file) => fs.existsSync(file);
