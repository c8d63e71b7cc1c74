import { writeFileDurableSync } from 'eslint-plugin-durable-write/durable';

export function persist(file: string, text: string) {
  writeFileDurableSync(file, text);
  return <span>{text}</span>;
}
