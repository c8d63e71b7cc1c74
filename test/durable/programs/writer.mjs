// Writes numbered versions of one JSON document to a target, alternating the async and sync
// helpers. Run as a child process or a worker thread by processes.test.ts.
// argv / workerData: helperEntry, target, writerId, count (0 = until killed)
import { dirname, join } from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';

const [helperEntry, target, writerId, count] = isMainThread ? process.argv.slice(2) : workerData;
// helperEntry is the runtime's index.js or the vendored copy's entry next to it, which has no loaders.
const { writeFileDurable, writeFileDurableSync } = await import(helperEntry);
const { readJsonValidatedSync } = await import(join(dirname(helperEntry), 'index.js'));

/** A document whose every byte depends on its version, so any torn or mixed write is visible. */
export function documentFor(writer, version) {
  return `${JSON.stringify({ writer, version, pad: `${writer}:${version};`.repeat(900) })}\n`;
}

// Numbering continues from the version on disk, so versions only ever go up across restarts.
const previous = readJsonValidatedSync(target);
const first = previous.ok ? previous.value.version + 1 : 0;
const limit = first + (Number(count) || Infinity);
for (let version = first; version < limit; version += 1) {
  const text = documentFor(writerId, version);
  if (version % 2 === 0) await writeFileDurable(target, text);
  else writeFileDurableSync(target, text);
  if (version === first && isMainThread) process.stdout.write('ready\n');
}
