// Descriptor and FileHandle sequences with the close in a finally block.
import fs from 'node:fs';

import { writeFileDurable, writeFileDurableSync } from 'durable-write-runtime';

export function saveSync(file, data) {
  // the payload
  writeFileDurableSync(file, data);
}

export async function save(file, data) {
  await writeFileDurable(file, data);
}

export const exists = (file) => fs.existsSync(file);
