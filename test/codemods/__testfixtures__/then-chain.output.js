import fs from 'node:fs';
import { writeFileDurable } from 'eslint-plugin-durable-write/durable';

export function save(file, data) {
  return writeFileDurable(file, data);
}

export const exists = (file) => fs.existsSync(file);
