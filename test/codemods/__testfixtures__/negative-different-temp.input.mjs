import fs from 'node:fs';

export function swap(file) {
  fs.writeFileSync(file + '.new', 'x');
  fs.renameSync(file + '.old', file);
}
