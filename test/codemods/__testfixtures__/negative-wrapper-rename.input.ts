import fs from 'node:fs';
import { rename } from './storage';

export async function save(file: string, data: string) {
  fs.writeFileSync(file + '.tmp', data);
  await rename(file + '.tmp', file);
}
