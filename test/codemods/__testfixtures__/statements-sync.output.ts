import { writeFileDurableSync } from 'eslint-plugin-durable-write/durable';

// Saves the settings.
export function saveSettings(file: string, settings: object): void {
  writeFileDurableSync(file, JSON.stringify(settings), 'utf8'); // pretty later
}
