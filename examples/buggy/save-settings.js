// A settings store as many CLIs write it: atomic for readers, not durable.
import fs from 'node:fs';
import path from 'node:path';

export function saveSettings(dir, settings) {
  const file = path.join(dir, 'settings.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(settings, null, 2));
  fs.renameSync(tmp, file);
}
