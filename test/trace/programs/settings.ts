// A TypeScript module whose compiled output has fewer lines: the interface disappears.
import { renameSync, writeFileSync } from 'node:fs';

export interface Settings {
  readonly theme: string;
  readonly fontSize: number;
}

export function saveSettings(file: string, settings: Settings): void {
  const text: string = JSON.stringify(settings, null, 2);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
