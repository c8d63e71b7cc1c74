// Loads FIFOs (no writer) and /dev/zero with every loader, then checks that the thread pool is still
// free. Run by special-files.test.ts in a child process under a hard timeout: a loader that blocks
// in open() or reads /dev/zero until memory runs out would otherwise stall the test run.
// Usage: node special-files.mjs <helper index.js> <scratch dir>; prints one JSON line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [helperEntry, dir] = process.argv.slice(2);
const durable = await import(helperEntry);
const fifos = Array.from({ length: 8 }, (_, i) => join(dir, `fifo-${i}`));
execFileSync('mkfifo', fifos);

const loaders = {
  readFileValidated: (file) => durable.readFileValidated(file),
  'readFileValidated+signal': (file) => durable.readFileValidated(file, { signal: new AbortController().signal }),
  readFileValidatedSync: (file) => durable.readFileValidatedSync(file, { encoding: 'utf8' }),
  readJsonValidated: (file) => durable.readJsonValidated(file),
  'readJsonValidated+signal': (file) => durable.readJsonValidated(file, undefined, { signal: new AbortController().signal }),
  readJsonValidatedSync: (file) => durable.readJsonValidatedSync(file),
};
const outcome = (result) => (result.ok ? 'ok' : `${result.error.code}:${result.error.fileType}`);

const loads = {};
for (const [name, load] of Object.entries(loaders)) {
  loads[name] = { fifo: outcome(await load(fifos[0])), devZero: outcome(await load('/dev/zero')) };
}

// libuv has four thread-pool threads: eight loads started at once on FIFOs, then a durable write
// and a load of a regular file, must all settle.
const pending = fifos.map((fifo) => durable.readJsonValidated(fifo));
const target = join(dir, 'after.json');
const write = durable.writeJsonDurable(target, { written: true });
const concurrent = (await Promise.all(pending)).map(outcome);
await write;
const afterwards = outcome(await durable.readJsonValidated(target));

console.log(JSON.stringify({ loads, concurrent, afterwards, written: readFileSync(target, 'utf8') }));
