// The child process of cli-session.ts: imports the built CLI once, then runs its `main` for each
// request the test writes into the session folder (request-<n>.json: { cwd, args }), in order, and
// answers each with response-<n>.json: { status, stdout, stderr }, what `node cli.js …args` in cwd
// would have exited with and printed. Ends at a request of null.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [cli, folder] = process.argv.slice(2);
const { main } = await import(cli);

let captured;
for (const [name, stream] of [
  ['stdout', process.stdout],
  ['stderr', process.stderr],
]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => {
    if (!captured) return write(chunk, encoding, callback);
    captured[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    (typeof encoding === 'function' ? encoding : callback)?.();
    return true;
  };
}

const parent = process.ppid;
const pause = () => {
  // Orphaned (the test's process ended without ending this one): nothing more will come.
  if (process.ppid !== parent || !existsSync(folder)) process.exit(0);
  return new Promise((resume) => setTimeout(resume, 2));
};
for (let n = 0; ; n += 1) {
  const request = join(folder, `request-${n}.json`);
  while (!existsSync(request)) await pause();
  const job = JSON.parse(readFileSync(request, 'utf8'));
  if (job === null) break;
  captured = { stdout: '', stderr: '' };
  let status;
  process.chdir(job.cwd);
  try {
    status = await main(job.args, job.cwd);
  } catch (error) {
    // What Node prints for the rejected top-level await of cli.js, and its exit code.
    captured.stderr += `${error?.stack ?? String(error)}\n`;
    status = 1;
  }
  // Writes the run left queued (a stream's last chunk) land before the answer, as before an exit.
  await new Promise((resume) => setImmediate(resume));
  const answer = { status, ...captured };
  captured = undefined;
  writeFileSync(join(folder, `response-${n}.tmp`), JSON.stringify(answer));
  renameSync(join(folder, `response-${n}.tmp`), join(folder, `response-${n}.json`));
}
