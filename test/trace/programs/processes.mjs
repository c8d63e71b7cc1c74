// A naive save in a worker thread (then terminated) and in a forked child; the main thread saves durably.
// argv: dir [role]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const naiveSave = (file) => {
  writeFileSync(`${file}.tmp`, 'data');
  renameSync(`${file}.tmp`, file);
};

if (!isMainThread) {
  naiveSave(join(workerData, 'from-worker'));
  // Stays alive until terminated, as test-runner workers are: no 'exit' event in here.
  parentPort.postMessage('saved');
  setInterval(() => {}, 1000);
} else if (process.argv[3] === 'child') {
  naiveSave(join(process.argv[2], 'from-child'));
} else {
  const dir = process.argv[2];
  const fd = openSync(join(dir, 'from-main.tmp'), 'w');
  writeSync(fd, 'data');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(join(dir, 'from-main.tmp'), join(dir, 'from-main'));
  const worker = new Worker(new URL(import.meta.url), { workerData: dir });
  worker.once('message', () => worker.terminate());
  const child = fork(new URL(import.meta.url), [dir, 'child']);
  await Promise.all([once(worker, 'exit'), once(child, 'exit')]);
}
