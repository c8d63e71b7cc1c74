import { writeFileDurable } from 'durable-write-runtime';

export async function save(file: string, data: Uint8Array): Promise<void> {
  await writeFileDurable(file, data);
}
