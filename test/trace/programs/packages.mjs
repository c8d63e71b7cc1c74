// Saves through popular packages, then (variants `helper-*`) the same data through the durable
// helper. argv: dir variant helperEntry
import { join } from 'node:path';

const [dir, variant, helperEntry] = process.argv.slice(2);
const helper = await import(helperEntry);
const file = join(dir, `${variant}.json`);
const data = { posts: [{ id: 1, title: 'hello' }] };

const variants = {
  steno: async () => {
    const { Writer } = await import('steno');
    await new Writer(file).write(JSON.stringify(data));
  },
  lowdb: async () => {
    // Not JSONFileSyncPreset: under NODE_ENV=test (vitest sets it) the presets keep data in memory.
    const { LowSync } = await import('lowdb');
    const { JSONFileSync } = await import('lowdb/node');
    const db = new LowSync(new JSONFileSync(file), { posts: [] });
    db.data.posts.push(...data.posts);
    db.write();
  },
  cacache: async () => {
    const { default: cacache } = await import('cacache');
    await cacache.put(join(dir, 'cache'), 'posts', JSON.stringify(data));
  },
  'write-file-atomic': async () => {
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(file, JSON.stringify(data), { fsync: false });
  },
  'helper-lowdb': async () => {
    const { LowSync } = await import('lowdb');
    const adapter = {
      read: () => null,
      write: (value) => helper.writeFileDurableSync(file, JSON.stringify(value)),
    };
    const db = new LowSync(adapter, { posts: [] });
    db.data.posts.push(...data.posts);
    db.write();
  },
  'helper-async': () => helper.writeFileDurable(file, JSON.stringify(data)),
};

await variants[variant]();
