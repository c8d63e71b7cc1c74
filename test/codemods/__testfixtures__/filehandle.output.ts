import { writeFileDurable } from 'eslint-plugin-durable-write/durable';

export async function save(file: string, data: Uint8Array): Promise<void> {
  await writeFileDurable(file, data);
}
