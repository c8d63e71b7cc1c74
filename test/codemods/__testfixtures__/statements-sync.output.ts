import { writeFileDurableSync } from 'durable-write-runtime';

// Saves the settings.
export function saveSettings(file: string, settings: object): void {
  writeFileDurableSync(file, JSON.stringify(settings), 'utf8'); // pretty later
}
