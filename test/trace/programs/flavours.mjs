// One temp-file-then-rename per fs flavour, each publishing a target named after the variant in
// the directory given as argv[2]. Variants named `bad-*` rename unsynced data; `ok-*` make the data
// durable first. argv[3] (optional): the durable helper's entry, for the `ok-helper` variant.
import fs from 'node:fs';
import { writeFile, rename, open, appendFile, copyFile, truncate } from 'node:fs/promises';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { join } from 'node:path';

const [dir, helperEntry] = process.argv.slice(2);
const at = (name) => join(dir, name);
const data = 'payload\n'.repeat(64);
const cb = (fn) => promisify(fn);

const variants = {
  'bad-sync': () => {
    fs.writeFileSync(at('bad-sync.tmp'), data);
    fs.renameSync(at('bad-sync.tmp'), at('bad-sync'));
  },
  'bad-callback': async () => {
    await new Promise((resolve, reject) =>
      fs.writeFile(at('bad-callback.tmp'), data, (error) =>
        error ? reject(error) : fs.rename(at('bad-callback.tmp'), at('bad-callback'), (e) => (e ? reject(e) : resolve())),
      ),
    );
  },
  'bad-promises': async () => {
    await writeFile(at('bad-promises.tmp'), data);
    await rename(at('bad-promises.tmp'), at('bad-promises'));
  },
  'bad-filehandle': async () => {
    const handle = await open(at('bad-filehandle.tmp'), 'w');
    await handle.write(data);
    await handle.close();
    await rename(at('bad-filehandle.tmp'), at('bad-filehandle'));
  },
  // A FileHandle's writeFile ignores flush: true (Node 20.20 fsyncs only for a path's writeFile).
  'bad-filehandle-flush': async () => {
    const handle = await open(at('bad-filehandle-flush.tmp'), 'w');
    await handle.writeFile(data, { flush: true });
    await handle.close();
    await rename(at('bad-filehandle-flush.tmp'), at('bad-filehandle-flush'));
  },
  'bad-stream': async () => {
    const stream = fs.createWriteStream(at('bad-stream.tmp'));
    stream.end(data);
    await once(stream, 'close');
    fs.renameSync(at('bad-stream.tmp'), at('bad-stream'));
  },
  'bad-fd': () => {
    const fd = fs.openSync(at('bad-fd.tmp'), 'w');
    fs.writeSync(fd, data);
    fs.closeSync(fd);
    fs.renameSync(at('bad-fd.tmp'), at('bad-fd'));
  },
  'bad-append': async () => {
    await appendFile(at('bad-append.tmp'), data);
    await rename(at('bad-append.tmp'), at('bad-append'));
  },
  'bad-copy': async () => {
    fs.writeFileSync(at('source'), data, { flush: true });
    await copyFile(at('source'), at('bad-copy.tmp'));
    await rename(at('bad-copy.tmp'), at('bad-copy'));
  },
  // A truncate after the fsync changes the file again: its new size is not durable either.
  'bad-truncate-fd': () => {
    const fd = fs.openSync(at('bad-truncate-fd.tmp'), 'w');
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.ftruncateSync(fd, 16);
    fs.closeSync(fd);
    fs.renameSync(at('bad-truncate-fd.tmp'), at('bad-truncate-fd'));
  },
  'bad-truncate-path': async () => {
    await writeFile(at('bad-truncate-path.tmp'), data, { flush: true });
    await truncate(at('bad-truncate-path.tmp'), 16);
    await rename(at('bad-truncate-path.tmp'), at('bad-truncate-path'));
  },
  'bad-truncate-filehandle': async () => {
    const handle = await open(at('bad-truncate-filehandle.tmp'), 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.truncate(16);
    await handle.close();
    await rename(at('bad-truncate-filehandle.tmp'), at('bad-truncate-filehandle'));
  },
  'ok-truncate': () => {
    const fd = fs.openSync(at('ok-truncate.tmp'), 'w');
    fs.writeSync(fd, data);
    fs.ftruncateSync(fd, 16);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(at('ok-truncate.tmp'), at('ok-truncate'));
  },
  'bad-directory': () => {
    fs.mkdirSync(at('bad-directory.tmp'));
    fs.writeFileSync(at('bad-directory.tmp/package.json'), data);
    fs.renameSync(at('bad-directory.tmp'), at('bad-directory'));
  },
  'ok-directory': () => {
    fs.mkdirSync(at('ok-directory.tmp'));
    fs.writeFileSync(at('ok-directory.tmp/package.json'), data, { flush: true });
    fs.renameSync(at('ok-directory.tmp'), at('ok-directory'));
  },
  'ok-sync': () => {
    const fd = fs.openSync(at('ok-sync.tmp'), 'w');
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(at('ok-sync.tmp'), at('ok-sync'));
  },
  'ok-callback': async () => {
    const fd = await cb(fs.open)(at('ok-callback.tmp'), 'w');
    await cb(fs.write)(fd, data);
    await cb(fs.fdatasync)(fd);
    await cb(fs.close)(fd);
    await cb(fs.rename)(at('ok-callback.tmp'), at('ok-callback'));
  },
  'ok-flush-sync': () => {
    fs.writeFileSync(at('ok-flush-sync.tmp'), data, { flush: true });
    fs.renameSync(at('ok-flush-sync.tmp'), at('ok-flush-sync'));
  },
  'ok-flush-promises': async () => {
    await writeFile(at('ok-flush-promises.tmp'), data, { flush: true });
    await rename(at('ok-flush-promises.tmp'), at('ok-flush-promises'));
  },
  'ok-filehandle': async () => {
    const handle = await open(at('ok-filehandle.tmp'), 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(at('ok-filehandle.tmp'), at('ok-filehandle'));
  },
  'ok-stream-flush': async () => {
    const stream = fs.createWriteStream(at('ok-stream-flush.tmp'), { flush: true });
    stream.end(data);
    await once(stream, 'close');
    fs.renameSync(at('ok-stream-flush.tmp'), at('ok-stream-flush'));
  },
  'ok-o-sync': () => {
    const { O_WRONLY, O_CREAT, O_TRUNC, O_SYNC } = fs.constants;
    const fd = fs.openSync(at('ok-o-sync.tmp'), O_WRONLY | O_CREAT | O_TRUNC | O_SYNC);
    fs.writeSync(fd, data);
    fs.closeSync(fd);
    fs.renameSync(at('ok-o-sync.tmp'), at('ok-o-sync'));
  },
  'ok-helper': async () => {
    const helper = await import(helperEntry);
    await helper.writeFileDurable(at('ok-helper'), data);
    helper.writeFileDurableSync(at('ok-helper-sync'), data);
  },
};

const only = process.env.FLAVOURS?.split(',');
for (const [name, run] of Object.entries(variants)) {
  if (only && !only.includes(name)) continue;
  if (name === 'ok-helper' && !helperEntry) continue;
  await run();
}
