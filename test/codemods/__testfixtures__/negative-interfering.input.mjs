import fs from 'node:fs';

export function save(file, data, log) {
  fs.writeFileSync(file + '.tmp', data);
  log('written');
  fs.renameSync(file + '.tmp', file);
}
