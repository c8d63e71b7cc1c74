// The write-heavy loop of `npm run bench:trace`: N small durable replaces (open, write, fsync,
// close, rename), the sequence the tracer must follow call by call. Prints the loop's wall-clock
// milliseconds and the CPU microseconds (user + system) it took per iteration.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [dir, count = '10000'] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const data = Buffer.alloc(256, 'x');
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
for (let i = 0; i < Number(count); i += 1) {
  const file = join(dir, `file-${i % 16}`);
  const fd = openSync(`${file}.tmp`, 'w');
  writeSync(fd, data);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${file}.tmp`, file);
}
const wall = Number(process.hrtime.bigint() - start) / 1e6;
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ wall, cpuPerIteration: (user + system) / Number(count) })}\n`);
