// Run as an unprivileged user by peer-options.test.ts: what each copy of the helper does where such a
// user's fs.writeFile fails. argv: scratch dir, then the entry modules (ESM or CommonJS) to try.
// Prints one JSON line: { [entry]: { readOnly, chown } } with the error codes (or 'ok').
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [dir, ...entries] = process.argv.slice(2);
const code = (promise) => promise.then(() => 'ok', (error) => error.code);
const results = { fs: { readOnly: undefined } };
let counter = 0;
function readOnlyFile() {
  const file = join(dir, `read-only-${counter++}`);
  fs.writeFileSync(file, 'old');
  fs.chmodSync(file, 0o444);
  return file;
}
results.fs.readOnly = await code(fs.promises.writeFile(readOnlyFile(), 'new'));
for (const entry of entries) {
  const copy = entry.endsWith('.cjs') ? createRequire(import.meta.url)(entry) : await import(entry);
  const file = readOnlyFile();
  const readOnly = await code(copy.writeFileDurable(file, 'new'));
  const readOnlySync = await code(Promise.resolve().then(() => copy.writeFileDurableSync(file, 'new')));
  const chown = await code(copy.writeFileDurable(join(dir, `owned-${counter++}`), 'new', { chown: { uid: 0, gid: 0 } }));
  results[entry] = { readOnly, readOnlySync, chown, kept: fs.readFileSync(file, 'utf8') };
}
results.leftovers = fs.readdirSync(dir).filter((name) => name.endsWith('.durable-tmp'));
process.stdout.write(`${JSON.stringify(results)}\n`);
