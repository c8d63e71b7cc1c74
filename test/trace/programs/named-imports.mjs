// ESM named imports of node:fs and fs/promises, bound before the program runs.
import { renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'fs/promises';
import { join } from 'node:path';

const dir = process.argv[2];
writeFileSync(join(dir, 'named-sync.tmp'), 'data');
renameSync(join(dir, 'named-sync.tmp'), join(dir, 'named-sync'));
await writeFile(join(dir, 'named-promises.tmp'), 'data');
await rename(join(dir, 'named-promises.tmp'), join(dir, 'named-promises'));
