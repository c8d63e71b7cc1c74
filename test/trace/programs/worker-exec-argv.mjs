// Naive saves in worker threads started with their own execArgv (so not inheriting the parent's
// `--import`) and with the parent's. argv: dir
import { once } from 'node:events';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

if (!isMainThread) {
  const file = join(workerData.dir, workerData.name);
  writeFileSync(`${file}.tmp`, 'data');
  renameSync(`${file}.tmp`, file);
} else {
  const dir = process.argv[2];
  const start = (name, options) => once(new Worker(new URL(import.meta.url), { ...options, workerData: { dir, name } }), 'exit');
  await start('own-exec-argv', { execArgv: ['--no-warnings'] });
  await start('empty-exec-argv', { execArgv: [] });
  await start('inherited-exec-argv', {});
}
