import { writeFileDurableSync } from 'durable-write-runtime';

export function persist(file: string, text: string) {
  writeFileDurableSync(file, text);
  return <span>{text}</span>;
}
