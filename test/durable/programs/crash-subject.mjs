// The programs whose crash states crash-states.test.ts enumerates. Each replaces `target` (and
// for the group commit also creates `second`) with NEW; `.marker-*` opens (which fail) tell the
// checker where the call under test starts and returns.
// argv: helperEntry, dir, variant, newContentsPath
import fs from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const [helperEntry, dir, variant, newContentsPath] = process.argv.slice(2);
const helper = await import(helperEntry);
const target = join(dir, 'target');
const next = fs.readFileSync(newContentsPath);
const marker = (name) => {
  try {
    fs.openSync(join(dir, `.marker-${name}`), 'r');
  } catch {
    // The failed open is the marker.
  }
};

const variants = {
  naive: async () => {
    await writeFile(`${target}.tmp`, next);
    await rename(`${target}.tmp`, target);
  },
  'write-file-atomic': async () => {
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(target, next);
  },
  'helper-async': () => helper.writeFileDurable(target, next),
  'helper-sync': () => helper.writeFileDurableSync(target, next),
  'helper-group': () =>
    helper.writeFilesDurable([
      { file: target, data: next },
      { file: join(dir, 'second'), data: next },
    ]),
};

marker('start');
await variants[variant]();
marker('returned');
