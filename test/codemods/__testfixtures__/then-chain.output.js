import fs from 'node:fs';

import { writeFileDurable } from 'durable-write-runtime';

export function save(file, data) {
  return writeFileDurable(file, data);
}

export const exists = (file) => fs.existsSync(file);
