import * as fs from 'node:fs';

// Saves the settings.
export function saveSettings(file: string, settings: object): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(settings), 'utf8'); // pretty later
  fs.renameSync(tmp, file);
}
