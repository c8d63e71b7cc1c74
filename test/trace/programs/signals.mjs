// Saves naively, then waits to be stopped. argv: dir [handle] — with `handle`, the program has its
// own SIGTERM handler, which must still run (and decide) as without the tracer.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, handle] = process.argv.slice(2);
writeFileSync(join(dir, 'state.tmp'), 'data');
renameSync(join(dir, 'state.tmp'), join(dir, 'state'));
if (handle) {
  process.on('SIGTERM', () => {
    process.stdout.write('own handler\n');
    process.exit(3);
  });
}
setInterval(() => {}, 1000);
process.stdout.write('ready\n');
