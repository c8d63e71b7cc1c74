// Replaces two targets on the loop-mounted ext4: one the naive way, one with the helper.
// argv: helperEntry, mountPoint
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const [helperEntry, mountPoint] = process.argv.slice(2);
const { writeFileDurable } = await import(helperEntry);
const next = Buffer.alloc(64 * 1024, 'NEW contents. ');
await writeFile(join(mountPoint, 'naive.tmp'), next);
await rename(join(mountPoint, 'naive.tmp'), join(mountPoint, 'naive'));
await writeFileDurable(join(mountPoint, 'helper'), next);
