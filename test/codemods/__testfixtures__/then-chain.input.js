import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.' + process.pid;
  return fs.promises.writeFile(tmp, data).then(() => fs.promises.rename(tmp, file));
}

export const exists = (file) => fs.existsSync(file);
