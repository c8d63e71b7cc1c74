import fs from 'node:fs';

export function persist(file: string, text: string) {
  fs.writeFileSync(file + '.tmp', text);
  fs.renameSync(file + '.tmp', file);
  return <span>{text}</span>;
}
