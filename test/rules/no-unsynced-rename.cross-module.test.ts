/**
 * Cross-module detection: the linted code is placed in the fixture projects under
 * `fixtures/cross-module/`, and the rule resolves its imports on disk (relative modules, re-export
 * hubs, `./x.js` finding `./x.ts`, CommonJS `module.exports` shapes, packages in a fake `node_modules`
 * with `main` or `exports`), parses them with the linted file's own parser and summarises them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from './rule-tester.js';
import { cjs, esm, tested, type Invalid, type Valid } from './cases.js';

const ruleTester = new RuleTester();
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cross-module');

/** A case linted as the file `name` of fixture project `project`. */
function inProject(project: 'esm' | 'ts' | 'cjs', name: string, code: string): Valid {
  const languageOptions = project === 'ts' ? {} : { languageOptions: (project === 'esm' ? esm : cjs) as never };
  return { code, filename: path.join(fixtures, project, name), ...languageOptions };
}
const invalid = (
  project: 'esm' | 'ts' | 'cjs',
  name: string,
  code: string,
  errors: Array<[number, number]>,
): Invalid => ({
  ...inProject(project, name, code),
  errors: errors.map(([line, column]) => ({ messageId: 'unsyncedRename' as const, line, column })),
});
const crossModuleOff = { 'durable-write': { crossModule: false } };
/** A rewrite through promisified fs functions another module exports under names of its own (utils/fs-promised.js). */
const promisedRewrite = `
const fsp = require('./utils/fs-promised.js');
async function rewrite(file, text) {
  const tmp = file + '.' + process.pid;
  const fd = await fsp.$open(tmp, 'w');
  await fsp.$write(fd, text);
  await fsp.$close(fd);
  await fsp.$rename(tmp, file);
}
module.exports = rewrite;`;

ruleTester.run('no-unsynced-rename: cross-module', tested, {
  valid: [
    // Promisified fs functions of another module under its own names, the descriptor fsynced through them.
    inProject(
      'cjs',
      'app.js',
      promisedRewrite.replace('await fsp.$close(fd);', 'await fsp.$fsync(fd);\n  await fsp.$close(fd);'),
    ),
    // Constants of another module: a name with two values, or another constant, is not the file written.
    inProject(
      'cjs',
      'save-constants.js',
      `
const fs = require('fs');
const writer_1 = require('./utils/state-writer');
const names_1 = require('./utils/state-names');
exports.later = (data) => {
  (0, writer_1.writeLater)(data);
  fs.renameSync('later.tmp', 'later');
  fs.renameSync('other.tmp', 'other');
};
exports.other = (data) => {
  (0, writer_1.writeState)(data);
  fs.renameSync(names_1.STATE, 'state.bak');
};`,
    ),
    // An exported \`let\` the module reassigns names no constant file.
    inProject(
      'esm',
      'save-constants.js',
      `
import fs from 'node:fs';
import { writeOut, writeState } from './lib/state-writer.js';
export function save(data) {
  writeOut(data);
  fs.renameSync('out.tmp', 'out');
}
export function other(data) {
  writeState(data);
  fs.renameSync('other.tmp', 'state.json');
}`,
    ),
    // The subclass's own method of that name comes first: it fsyncs.
    inProject(
      'cjs',
      'atomic-accessor.js',
      `
const fs = require('fs');
const accessor_1 = require('./utils/file-accessor');
class AtomicAccessor extends accessor_1.FileAccessor {
  async writeDataFile(filePath, data) {
    const handle = await fs.promises.open(filePath, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
  }
  async writeDocument(dest, data) {
    const tmp = dest + '.tmp';
    await this.writeDataFile(tmp, data);
    await fs.promises.rename(tmp, dest);
  }
}
exports.AtomicAccessor = AtomicAccessor;`,
    ),
    // A template extracted by a helper of another module into one folder, a folder of another renamed.
    inProject(
      'cjs',
      'create.cjs',
      `
const fileUtil_1 = require('./utils/template-zip.js');
exports.download = async (url, name, sub) => {
  await (0, fileUtil_1.fetchTemplate)(url, 'template.zip', 'decompressedZip');
  (0, fileUtil_1.renameDirectory)(\`other/\${sub}\`, \`./\${name}\`);
};`,
    ),
    // The namespace object of a bundled inner module is not what an esbuild-built module exports.
    inProject(
      'cjs',
      'create.cjs',
      `
const path = require('node:path');
const fse = require('fs-extra');
const { stage } = require('./utils/clone-starter.cjs');
exports.create = async (starterDir, name) => {
  const projectPath = path.resolve(process.cwd(), name);
  await stage(starterDir, projectPath);
  await fse.move(path.join(projectPath, '.env.default'), path.join(projectPath, '.env'));
};`,
    ),
    // The same helper: the file renamed is in another folder than the one the call passes.
    inProject(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import path from 'node:path';
import fetchTemplate from './lib/fetch-template.js';
export async function create(cwd, other) {
  await fetchTemplate({ repository: 'https://example.com/t', cwd });
  fs.renameSync(path.join(other, '_gitignore'), path.join(other, '.gitignore'));
}`,
    ),
    // A scaffolder's copy helpers of another module: the dotfile renamed in another folder than the copy.
    inProject(
      'esm',
      'app.js',
      `
import skeleton from './lib/skeleton.js';
export async function create(appDir, destDir, otherDir) {
  await skeleton.copyAllFiles(appDir, destDir);
  await skeleton.copyTemplateGitIgnoreFile(otherDir);
}`,
    ),
    // A helper of another module that returns the path it was given (after making its folder): the
    // stream writes another file than the one renamed.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const ensureDir = require('./utils/ensure-dir.js');
function save(tmp, other, dest, data) {
  const out = fs.createWriteStream(ensureDir(tmp));
  out.end(data);
  out.on('finish', () => fs.renameSync(other, ensureDir(dest)));
}
module.exports = save;`,
    ),
    // Path helpers in another module's exported object: the template copied from is not the copy.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const { paths } = require('./utils/paths.js');
function init(dest) {
  fs.cpSync(paths.cli('template'), paths.app(dest), { recursive: true });
  fs.renameSync(paths.cli('template', '_gitignore'), paths.cli('template', '.gitignore'));
}
module.exports = init;`,
    ),
    // The same helpers: what is renamed is not inside the folder the zip went to.
    inProject(
      'cjs',
      'app.js',
      `
const path = require('path');
const fileUtils = require('./utils/archive.js');
async function updateBinary(zip, outDir, otherDir, name, version) {
  fileUtils.unzipFile(zip, outDir);
  return fileUtils.renameFileWithVersion(path.resolve(otherDir, name), '_' + version);
}
module.exports = { updateBinary };`,
    ),
    // The same extraction, and a rename in another folder.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const path = require('path');
const { extractZipArchive } = require('./utils/extract-archive');
async function install(zipfile, outputPath, otherPath) {
  await extractZipArchive(zipfile, outputPath);
  fs.renameSync(path.join(otherPath, 'chrome'), path.join(otherPath, 'chrome-headless-shell'));
}`,
    ),
    // A utility module's own object named `fs` is not a file system.
    inProject(
      'cjs',
      'app.js',
      `
const { fs } = require('./utils/fake-toolkit');
function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.moveSync(file + '.tmp', file);
}`,
    ),
    // fs-extra under another name, its write fsynced before the rename.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('./utils/shared-fs-extra');
function save(file, data) {
  const fd = fs.openSync(file + '.tmp', 'w');
  fs.writeSync(fd, data);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(file + '.tmp', file);
}`,
    ),
    // The package fsyncs before it renames.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const { durableMove } = require('durable-move');
fs.writeFileSync(tmp, data);
durableMove(tmp, dest);`,
    ),
    // The durable helper of a tsc-compiled package, re-exported through \`Object.defineProperty\`.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const lib = require('fake-tsc-lib');
fs.writeFileSync(tmp, data);
lib.publishFile(tmp, dest);`,
    ),
    // A project helper that fsyncs, two calls deep in its own module.
    inProject(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import { commit } from './lib/durable.js';
fs.writeFileSync(tmp, data);
commit(tmp, dest);`,
    ),
    // The same wrappers given different paths name different files.
    inProject(
      'ts',
      'src/app.ts',
      `
import * as fs from './cache-fs.js';
export async function move(a: string, b: string, dest: string): Promise<void> {
  fs.createCacheWriteStream(a).end('x');
  await fs.renameCacheFile(b, dest);
}`,
    ),
    // Cross-module analysis switched off in the settings.
    {
      ...inProject(
        'esm',
        'app.js',
        `
import fs from 'node:fs';
import { renameTmp } from './lib/rename.js';
fs.writeFileSync(tmp, data);
renameTmp(tmp, dest);`,
      ),
      settings: crossModuleOff,
    },
    // An adapter's member that is not an fs function name has no summary.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('./utils/dynamic-fs');
fs.writeFileSync(tmp, data);
fs.moveAside(tmp, dest);`,
    ),
    // Unresolvable and unparsable modules have no summary.
    inProject(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import { renameTmp } from './lib/missing.js';
import broken from './lib/broken.js';
import { moveFile } from 'no-such-package';
fs.writeFileSync(tmp, data);
renameTmp(tmp, dest);
broken(tmp, dest);
await moveFile(tmp, dest);`,
    ),
    // A write helper from another module, then a rename of a different file.
    inProject(
      'ts',
      'src/app.ts',
      `
import { renameSync } from 'node:fs';
import { writeTemp } from './store.js';
export function save(dest: string, data: string): void {
  writeTemp(dest, data);
  renameSync(dest + '.bak', dest);
}`,
    ),
    // The same class, its previous manifest moved aside (the rename is of the file it was given to keep).
    inProject(
      'esm',
      'app.js',
      `
import { renameSync } from 'node:fs';
import { Manifest } from './lib/manifest.js';
export async function run(previousPath, nextPath, entries) {
  const manifest = new Manifest({ previousPath, nextPath });
  for (const entry of entries) manifest.update(entry.id, entry.hash);
  await manifest.end();
  renameSync(previousPath, previousPath + '.old');
}`,
    ),
    // The adapter's open, write and fsync before the close.
    inProject(
      'esm',
      'app.js',
      `
import { open, write, fsync, close, rename } from './lib/fs-adapter.js';
export async function save(file, data) {
  const fd = await open(file + '.tmp', 'w');
  await write(fd, data);
  await fsync(fd);
  await close(fd);
  await rename(file + '.tmp', file);
}`,
    ),
    // The adapter writer, its fsync() called before the rename.
    inProject(
      'esm',
      'app.js',
      `
import { AdapterWriter } from './lib/adapter-writer.js';
import { rename } from './lib/fs-adapter.js';
export async function download(target, chunks) {
  const partial = target + '.partial';
  const writer = new AdapterWriter(partial);
  for (const chunk of chunks) await writer.write(chunk);
  await writer.fsync();
  await writer.dispose();
  await rename(partial, target);
}`,
    ),
    // The same writer, its \`fsync()\` called (without arguments) before the rename.
    inProject(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { FileWriter } from './lib/file-writer.js';
export async function download(target, chunks) {
  const partial = \`\${target}.partial\`;
  const writer = new FileWriter(partial);
  for (const chunk of chunks) await writer.write(chunk);
  await writer.fsync();
  await writer.dispose();
  await rename(partial, target);
}`,
    ),
    // The same helper's sibling only reads the folder it is handed.
    inProject(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const path = require('path');
const { listTemplates } = require('./utils/render-templates.js');
module.exports = () =>
  prompt().then((answers) => {
    const dest = path.resolve(process.cwd(), 'pages', answers.page);
    return listTemplates({ to: dest }).then(() => {
      fs.renameSync(path.join(dest, 'index_nodata.tsx'), path.join(dest, 'index.tsx'));
    });
  });`,
    ),
  ],
  invalid: [
    // A string constant another module exports names the same file in every module reading it:
    // TypeScript's CommonJS (\`exports.X = '…'\`, read as \`names_1.X\`), and the module's own \`exports.X\`.
    invalid(
      'cjs',
      'save-constants.js',
      `
const fs = require('fs');
const writer_1 = require('./utils/state-writer');
const names_1 = require('./utils/state-names');
exports.save = (data) => {
  (0, writer_1.writeState)(data);
  fs.renameSync(names_1.STATE_TMP, names_1.STATE);
};
exports.saveLiteral = (data) => {
  (0, writer_1.writeState)(data);
  fs.renameSync('state.json.tmp', 'state.json');
};
exports.publish = (data, name) => {
  (0, writer_1.unpackTo)(data);
  fs.renameSync('own/unpacked/a.txt', name);
};`,
      [
        [7, 3],
        [11, 3],
        [15, 3],
      ],
    ),
    // \`module.exports = { CACHE_TMP: '…', … }\`: the object's string fields, read by destructuring too.
    invalid(
      'cjs',
      'save-constants.js',
      `
const fs = require('fs');
const { writeCache } = require('./utils/cache-writer');
const { CACHE_TMP, CACHE } = require('./utils/cache-names');
exports.save = (data) => {
  writeCache(data);
  fs.renameSync(CACHE_TMP, CACHE);
};
exports.saveLiteral = (data) => {
  writeCache(data);
  fs.renameSync('.cache/index.json.tmp', '.cache/index.json');
};`,
      [
        [7, 3],
        [11, 3],
      ],
    ),
    // ES modules: \`export const\`, a \`const\` exported by name, a named import and a namespace's member.
    invalid(
      'esm',
      'save-constants.js',
      `
import fs from 'node:fs';
import { STATE_TMP, DRAFT } from './lib/state-names.js';
import { writeState, writeDraft } from './lib/state-writer.js';
export function save(data) {
  writeState(data);
  fs.renameSync(STATE_TMP, 'state.json');
}
export function saveDraft(data) {
  writeDraft(data);
  fs.renameSync(DRAFT, 'draft.json');
}`,
      [
        [7, 3],
        [11, 3],
      ],
    ),
    // A method inherited from a class of another module writes the temp this subclass renames.
    invalid(
      'cjs',
      'atomic-accessor.js',
      `
const fs = require('fs');
const accessor_1 = require('./utils/file-accessor');
class AtomicAccessor extends accessor_1.FileAccessor {
  async writeDocument(dest, data) {
    const tmp = dest + '.tmp';
    await this.writeDataFile(tmp, data);
    await fs.promises.rename(tmp, dest);
  }
}
exports.AtomicAccessor = AtomicAccessor;`,
      [[8, 11]],
    ),
    // Both helpers of another module, called through the namespace as TypeScript compiles it: a
    // template extracted into a folder, then a folder of it renamed into place.
    {
      name: 'no suggestion: a template extracted by a helper of another module, a folder of it renamed by another',
      ...invalid(
        'cjs',
        'create.cjs',
        `
const fileUtil_1 = require('./utils/template-zip.js');
exports.create = async (zip, name, sub) => {
  await (0, fileUtil_1.fetchZipAndDecompress)(zip, 'decompressedZip');
  (0, fileUtil_1.renameDirectory)(\`decompressedZip/\${sub}\`, \`./\${name}\`);
};
exports.download = async (url, name, sub) => {
  await (0, fileUtil_1.fetchTemplate)(url, 'template.zip', 'decompressedZip');
  (0, fileUtil_1.renameDirectory)(\`decompressedZip/\${sub}\`, \`./\${name}\`);
};`,
        [
          [5, 3],
          [9, 3],
        ],
      ),
    },
    // A helper exported by esbuild's CommonJS output (`__export(x_exports, { cloneStarter: () =>
    // cloneStarter })`, create-vxrn's helpers), copying a starter into the project folder.
    {
      name: 'no suggestion: a starter copied by an esbuild-built helper, a file of it moved',
      ...invalid(
        'cjs',
        'create.cjs',
        `
const path = require('node:path');
const fse = require('fs-extra');
const import_clone = require('./utils/clone-starter.cjs');
exports.create = async (starterDir, name) => {
  const projectPath = path.resolve(process.cwd(), name);
  await (0, import_clone.cloneStarter)(starterDir, projectPath);
  const envDefault = path.join(projectPath, '.env.default');
  await fse.move(envDefault, path.join(projectPath, '.env'));
};`,
        [[9, 9]],
      ),
    },
    // A helper of another module taking its options destructured with an empty default, whose first
    // write names a field this call leaves out: its copy into the folder the call passes is the write
    // (a tree copied by another module: no fix here makes it durable).
    {
      name: 'no suggestion: a tree copied by a helper of another module into the folder its options name',
      ...invalid(
        'esm',
        'app.js',
        `
import fs from 'node:fs';
import path from 'node:path';
import fetchTemplate from './lib/fetch-template.js';
export async function create(cwd, name) {
  const dir = path.join(cwd, name);
  await fetchTemplate({ repository: 'https://example.com/t', cwd: dir });
  fs.renameSync(path.join(dir, '_gitignore'), path.join(dir, '.gitignore'));
}`,
        [[8, 3]],
      ),
    },
    // ... and in the folder the template was copied into: a file name that says no rename, a rename inside.
    {
      name: 'no suggestion: a copy helper of another module renaming a file of a tree copied by another',
      ...invalid(
        'esm',
        'app.js',
        `
import skeleton from './lib/skeleton.js';
export async function create(appDir, destDir) {
  await skeleton.copyAllFiles(appDir, destDir);
  await skeleton.copyTemplateGitIgnoreFile(destDir);
}`,
        [[5, 9]],
      ),
    },
    // ... and the file it streamed to, renamed into place (@discoveryjs/cli's cache).
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const ensureDir = require('./utils/ensure-dir.js');
function save(tmp, dest, data) {
  const out = fs.createWriteStream(ensureDir(tmp));
  out.end(data);
  out.on('finish', () => fs.renameSync(tmp, ensureDir(dest)));
}
module.exports = save;`,
      [[7, 26]],
    ),
    // ... also when the temp's folder is a field of what another module's factory returned: the
    // factory's call, looked up, names the folder anew.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const path = require('path');
const ensureDir = require('./utils/ensure-dir.js');
const { createCacheDispatcher } = require('./utils/cache-dispatcher.js');
function save(options, slug, data) {
  const dispatcher = createCacheDispatcher(options);
  const tmp = path.join(dispatcher.tmpdir, dispatcher.tempName(slug));
  const out = fs.createWriteStream(ensureDir(tmp));
  out.end(data);
  out.on('finish', () => fs.renameSync(tmp, ensureDir(dispatcher.cacheName(slug))));
}
module.exports = save;`,
      [[11, 26]],
    ),
    // ... and the copy's dotfile renamed into place inside the folder the helper names.
    {
      name: 'no suggestion: a file of a tree copied through path helpers of another module, renamed',
      ...invalid(
        'cjs',
        'app.js',
        `
const fs = require('fs');
const { paths } = require('./utils/paths.js');
function init(dest) {
  fs.cpSync(paths.cli('template'), paths.app(dest), { recursive: true });
  fs.renameSync(paths.app(dest, '_gitignore'), paths.app(dest, '.gitignore'));
}
module.exports = init;`,
        [[6, 3]],
      ),
    },
    // A helper of another module handed the folder in an options object renders files into it; the
    // caller renames one of them. The folder comes from a value the file cannot name (an unknown
    // promise's answer), so only the folder of the renamed file links the two. What it wrote inside
    // the folder may be a directory of files: no fsync is offered, as for an archive's.
    {
      name: 'no suggestion: a helper of another module wrote files inside the folder',
      ...invalid(
        'cjs',
        'app.js',
        `
const fs = require('fs');
const path = require('path');
const { renderTemplates } = require('./utils/render-templates.js');
module.exports = () =>
  prompt().then((answers) => {
    const dest = path.resolve(process.cwd(), 'pages', answers.page);
    return renderTemplates({ from: path.join(__dirname, 'templates'), to: dest, locals: answers }).then(() => {
      fs.renameSync(path.join(dest, 'index_nodata.tsx'), path.join(dest, 'index.tsx'));
    });
  });`,
        [[9, 7]],
      ),
    },
    // A helper module's unzip (adm-zip, `require` undeclared in this config) into a folder, then
    // another of its helpers renames a file inside that folder. What an archive held may be a
    // directory of files: no fsync is offered (see the rule docs).
    {
      name: 'no suggestion: an archive extractor wrote what is renamed',
      ...invalid(
        'cjs',
        'app.js',
        `
const path = require('path');
const fileUtils = require('./utils/archive.js');
async function updateBinary(zip, outDir, name, version) {
  const fileItem = path.resolve(outDir, name);
  fileUtils.unzipFile(zip, outDir);
  return fileUtils.renameFileWithVersion(fileItem, '_' + version);
}
module.exports = { updateBinary };`,
        [[7, 10]],
      ),
    },
    // A relative rename helper.
    invalid(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import { renameTmp } from './lib/rename.js';
fs.writeFileSync(tmp, data);
renameTmp(tmp, dest);`,
      [[5, 1]],
    ),
    // Through a package entry that imports a chunk's function and exports it (unbuild, tsup, Rollup).
    invalid(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import { publish } from './lib/entry.js';
fs.writeFileSync(tmp, data);
publish(tmp, dest);`,
      [[5, 1]],
    ),
    // Through a re-export hub: \`export *\`, \`export { default as … }\`, a temp-path builder.
    invalid(
      'esm',
      'app.js',
      `
import { rename, writeFile, tempPathOf } from './lib/index.js';
export async function save(file, data) {
  await writeFile(tempPathOf(file), data);
  await rename(tempPathOf(file), file);
}`,
      [[5, 9]],
    ),
    // An ESM-only package (\`exports\` with an \`import\` condition only).
    invalid(
      'esm',
      'app.js',
      `
import { writeFile } from 'node:fs/promises';
import { moveFile } from 'esm-only-move';
await writeFile(tmp, data);
await moveFile(tmp, dest);`,
      [[5, 7]],
    ),
    // TypeScript: \`./rename.js\` is \`./rename.ts\`; \`import x = require()\` of an \`export =\`.
    invalid(
      'ts',
      'src/app.ts',
      `
import { writeFileSync } from 'node:fs';
import { replaceFile } from './rename.js';
import move = require('./move');
export function save(dest: string, data: string): void {
  writeFileSync(dest + '.tmp', data);
  replaceFile(dest + '.tmp', dest);
  writeFileSync(dest + '.new', data);
  move(dest + '.new', dest);
}`,
      [
        [7, 3],
        [9, 3],
      ],
    ),
    // Both halves are another module's helpers and nothing here calls fs (the rename helper named
    // \`replaceFile\`, not \`rename…\`).
    invalid(
      'ts',
      'src/app.ts',
      `
import { replaceFile, writeText } from './text-files.js';
export async function saveState(file: string, state: object): Promise<void> {
  const tmp = \`\${file}.tmp\`;
  await writeText(tmp, JSON.stringify(state));
  await replaceFile(tmp, file);
}`,
      [[6, 9]],
    ),
    // renovate: a module of fs wrappers that resolve every path against a configured directory; the
    // stream and the rename name the same file for the same argument. Nothing here names that file,
    // so there is nothing to fsync here: the fsync belongs in the wrappers' module.
    {
      name: 'no suggestion: both halves build the path inside another module',
      ...invalid(
        'ts',
        'src/app.ts',
        `
import { pipeline } from 'node:stream/promises';
import * as fs from './cache-fs.js';
export async function extract(source: NodeJS.ReadableStream, tmp: string, dest: string): Promise<void> {
  await pipeline(source, fs.createCacheWriteStream(tmp));
  await fs.renameCacheFile(tmp, dest);
}`,
        [[6, 9]],
      ),
    },
    // A write helper in another module, the rename here.
    invalid(
      'ts',
      'src/app.ts',
      `
import { renameSync } from 'node:fs';
import { writeTemp } from './store';
export function save(dest: string, data: string): void {
  writeTemp(dest, data);
  renameSync(\`\${dest}.tmp\`, dest);
}`,
      [[6, 3]],
    ),
    // CommonJS: \`module.exports = { … }\` of required helpers, callback style.
    invalid(
      'cjs',
      'app.js',
      `
const { moveInto, writeJson } = require('./lib');
function save(dest, value, cb) {
  writeJson(dest + '.tmp', value);
  moveInto(dest + '.tmp', dest, cb);
}`,
      [[5, 3]],
    ),
    // Packages: an @npmcli/fs-shaped index, a rename-overwrite-shaped \`module.exports.sync\`.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const { moveFile } = require('fake-npmcli-fs');
const renameOverwrite = require('fake-rename-overwrite');
async function save(dest, data) {
  await fs.promises.writeFile(dest + '.tmp', data);
  await moveFile(dest + '.tmp', dest);
}
function saveSync(dest, data) {
  fs.writeFileSync(dest + '.tmp', data);
  renameOverwrite.sync(dest + '.tmp', dest);
}`,
      [
        [7, 9],
        [11, 3],
      ],
    ),
    // A package compiled by tsc to CommonJS: \`export *\` becomes \`__exportStar(require(…), exports)\`,
    // \`export { f } from\` becomes \`Object.defineProperty(exports, 'f', { get })\`.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const { moveFile, replaceFile } = require('fake-tsc-lib');
function save(dest, data) {
  fs.writeFileSync(dest + '.tmp', data);
  moveFile(dest + '.tmp', dest);
}
function saveOther(dest, data) {
  fs.writeFileSync(dest + '.tmp', data);
  replaceFile(dest + '.tmp', dest);
}`,
      [
        [6, 3],
        [10, 3],
      ],
    ),
    // A module's own extraction: a helper writes each zip entry inside the folder it was given; the
    // binary among them is then renamed (an extractor's write, no suggestion).
    {
      name: 'no suggestion: files written inside a folder by an extraction of the package',
      ...invalid(
        'cjs',
        'app.js',
        `
const fs = require('fs');
const path = require('path');
const { extractZipArchive } = require('./utils/extract-archive');
async function install(zipfile, outputPath) {
  await extractZipArchive(zipfile, outputPath);
  fs.renameSync(path.join(outputPath, 'chrome'), path.join(outputPath, 'chrome-headless-shell'));
}`,
        [[7, 3]],
      ),
    },
    // An imported helper named for what it does (download, extract) unpacks into the folder it returns.
    {
      name: 'no suggestion: an archive extractor wrote the renamed file',
      ...invalid(
        'cjs',
        'app.js',
        `
const path = require('path');
const fs = require('fs');
const downloadAndExtractExample = require('./utils/download-example');
async function run(name) {
  const dir = await downloadAndExtractExample(name, process.cwd());
  await fs.promises.rename(path.join(dir, 'tsconfig.build.json'), path.join(dir, 'tsconfig.json'));
}`,
        [[7, 9]],
      ),
    },
    // Node's renameSync re-exported under another name (\`export { renameSync as move } from 'node:fs'\`).
    invalid(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import { move } from './lib/fs-utils.js';
export function save(f, d) {
  fs.writeFileSync(f + '.tmp', d);
  move(f + '.tmp', f);
}`,
      [[6, 3]],
    ),
    // fs's promises handed out by a module under another name (Babel's build of \`export { promises as
    // fsp } from 'node:fs'\`, and that re-export itself); the temp written by a closure that returns it.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const _async = require('./utils/async.js');
async function download(file, body) {
  const stage = async () => {
    const part = file + '.part';
    await new Promise((resolve) => fs.createWriteStream(part).end(body, resolve));
    return part;
  };
  const part = await stage();
  await _async.fsp.rename(part, file);
}`,
      [[11, 9]],
    ),
    invalid(
      'esm',
      'app.js',
      `
import { fsp } from './lib/fsp.js';
export async function save(file, data) {
  await fsp.writeFile(file + '.tmp', data);
  await fsp.rename(file + '.tmp', file);
}`,
      [[5, 9]],
    ),
    // fs-extra handed out as an export of a utility module: destructured, through the module, imported by name.
    invalid(
      'cjs',
      'app.js',
      `
const { fs } = require('./utils/toolkit');
function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.moveSync(file + '.tmp', file, { overwrite: true });
}`,
      [[5, 3]],
    ),
    invalid(
      'cjs',
      'app.js',
      `
const utils = require('./utils/toolkit');
async function save(file, data) {
  await utils.fs.outputFile(file + '.tmp', data);
  await utils.fs.move(file + '.tmp', file);
}`,
      [[5, 9]],
    ),
    invalid(
      'esm',
      'app.js',
      `
import { fs } from './lib/toolkit.js';
export async function save(file, data) {
  await fs.writeFile(file + '.tmp', data);
  await fs.move(file + '.tmp', file);
}`,
      [[5, 9]],
    ),
    // A module that is fs-extra, re-exported whole (Theia's \`@theia/core/shared/fs-extra\`).
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('./utils/shared-fs-extra');
function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.moveSync(file + '.tmp', file, { overwrite: true });
}`,
      [[5, 3]],
    ),
    invalid(
      'esm',
      'app.js',
      `
import * as fs from './lib/shared-fs.js';
export async function save(file, data) {
  await fs.writeFile(file + '.tmp', data);
  await fs.rename(file + '.tmp', file);
}`,
      [[5, 9]],
    ),
    // An fs adapter module re-exporting Node's functions.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('./utils/fs');
function writeAtomicSync(path, data) {
  fs.writeFileSync(path + '.__new__', data);
  fs.renameSync(path + '.__new__', path);
}`,
      [[5, 3]],
    ),
    // Promisified fs functions another module binds to consts and exports under its own names.
    invalid('cjs', 'app.js', promisedRewrite, [[8, 9]]),
    // pnpm-shaped: both helpers imported, the rename one wrapped in a local function.
    invalid(
      'cjs',
      'app.js',
      `
const renameOverwrite = require('fake-rename-overwrite');
const { writeJson } = require('./lib');
function optimisticRenameOverwrite(temp, fileDest) {
  try {
    renameOverwrite.sync(temp, fileDest);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
}
function writeFileAtomic(fileDest, value) {
  const temp = fileDest + '.' + process.pid;
  writeJson(temp, value);
  optimisticRenameOverwrite(temp, fileDest);
}`,
      [[14, 3]],
    ),
    // pnpm-shaped: a write helper over a retrying graceful-fs adapter, Node's rename here.
    invalid(
      'esm',
      'app.js',
      `
import fs from 'node:fs';
import { writeFile } from './lib/write-cafs.js';
export function writeFileAtomic(fileDest, buffer, mode) {
  const temp = fileDest + '.' + process.pid;
  writeFile(temp, buffer, mode);
  fs.renameSync(temp, fileDest);
}`,
      [[7, 3]],
    ),
    // fs-jetpack-shaped: an adapter that copies fs's methods in a loop.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('./utils/dynamic-fs');
function writeAtomic(path, data) {
  return fs.writeFile(path + '.__new__', data).then(() => fs.rename(path + '.__new__', path));
}`,
      [[4, 59]],
    ),
    // A module that imports fs and exports nothing a summary reads (SWC's getters) is still read as an fs adapter.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const lib = require('./utils/swc-fs');
fs.writeFileSync(tmp, data);
lib.renameSync(tmp, dest);`,
      [[5, 1]],
    ),
    // echogarden-shaped: a writer class of another module opens its file on the first write; its
    // \`fsync()\` is never called, so the partial download is published unsynced.
    invalid(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { FileWriter } from './lib/file-writer.js';
export async function download(target, chunks) {
  const partial = \`\${target}.partial\`;
  const writer = new FileWriter(partial);
  for (const chunk of chunks) await writer.write(chunk);
  await writer.dispose();
  await rename(partial, target);
}`,
      [[9, 9]],
    ),
    // lazyrepo-shaped: a class of another module given its paths in an options object writes the
    // next manifest through a stream it opens on first use; the caller renames it over the previous one.
    invalid(
      'esm',
      'app.js',
      `
import { existsSync, renameSync } from 'node:fs';
import { Manifest } from './lib/manifest.js';
export async function run(previousPath, nextPath, entries) {
  const manifest = new Manifest({ previousPath, nextPath });
  for (const entry of entries) manifest.update(entry.id, entry.hash);
  await manifest.end();
  if (existsSync(nextPath)) renameSync(nextPath, previousPath);
}`,
      [[8, 29]],
    ),
    // A project's fs adapter (\`export const open = promisify(fs.open)\`): its open hands out a
    // descriptor on the path, which its write then writes.
    invalid(
      'esm',
      'app.js',
      `
import { open, write, close, rename } from './lib/fs-adapter.js';
export async function save(file, data) {
  const fd = await open(file + '.tmp', 'w');
  await write(fd, data);
  await close(fd);
  await rename(file + '.tmp', file);
}`,
      [[7, 9]],
    ),
    // A writer class of another module opening its field through that adapter.
    invalid(
      'esm',
      'app.js',
      `
import { AdapterWriter } from './lib/adapter-writer.js';
import { rename } from './lib/fs-adapter.js';
export async function download(target, chunks) {
  const partial = target + '.partial';
  const writer = new AdapterWriter(partial);
  for (const chunk of chunks) await writer.write(chunk);
  await writer.dispose();
  await rename(partial, target);
}`,
      [[9, 9]],
    ),
    // cacache-shaped: a package's own WriteStream class (fs-minipass) into the temp path.
    invalid(
      'cjs',
      'app.js',
      `
const fs = require('fs');
const fsm = require('fake-fs-minipass');
function save(tmp, dest, data, cb) {
  const out = new fsm.WriteStream(tmp, { flags: 'wx' });
  out.end(data);
  out.on('close', () => fs.rename(tmp, dest, cb));
}`,
      [[7, 25]],
    ),
  ],
});

ruleTester.run('no-unsynced-rename: temps made by another module and renamed here', tested, {
  valid: [
    // The same shapes, where the other module writes with `flush: true`.
    inProject(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { stageDurably } from './lib/artifacts.js';
export async function save(file, data) {
  const tmp = await stageDurably(data);
  await rename(tmp, file);
}`,
    ),
    inProject(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { Registry } from './lib/artifacts.js';
export async function fetchOne(dir, name, data, dest) {
  const registry = new Registry(dir);
  const part = await registry.requestArtifactDurably(name, data);
  await rename(part, dest);
}`,
    ),
    // A field given two values: which class's method runs is not known, nothing is guessed.
    inProject(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { Registry } from './lib/artifacts.js';
import { Mirror } from './lib/mirror.js';
export class Builder {
  constructor(dir, mirrored) {
    this.registry = new Registry(dir);
    if (mirrored) this.registry = new Mirror(dir);
  }
  async build(name, data, dest) {
    const part = await this.registry.requestArtifact(name, data);
    await rename(part, dest);
  }
}`,
    ),
  ],
  invalid: [
    // A function that returns a temp of its own making (its directory is the module's state).
    invalid(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { stage } from './lib/artifacts.js';
export async function save(file, data) {
  const tmp = await stage(data);
  await rename(tmp, file);
}`,
      [[6, 9]],
    ),
    // A static method of the module's default export, returning [temp, target].
    invalid(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import File from './lib/artifacts.js';
export async function save(file, data) {
  const [tmp, target] = await File.replace(file, data);
  await rename(tmp, target);
}`,
      [[6, 9]],
    ),
    // The same, the class read off the module object (\`new artifacts_1.Registry(dir)\` of compiled CommonJS,
    // a namespace import).
    invalid(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import * as artifacts from './lib/artifacts.js';
export async function fetchOne(dir, name, data, dest) {
  const registry = new artifacts.Registry(dir);
  const part = await registry.requestArtifact(name, data);
  await rename(part, dest);
}
export class Builder {
  constructor(dir) {
    this.registry = new artifacts.Registry(dir);
  }
  async build(name, data, dest) {
    const part = await this.registry.requestArtifact(name, data);
    await rename(part, dest);
  }
}`,
      [
        [7, 9],
        [15, 11],
      ],
    ),
    // An instance method of an imported class, on a variable and on a field set in the constructor.
    invalid(
      'esm',
      'app.js',
      `
import { rename } from 'node:fs/promises';
import { Registry } from './lib/artifacts.js';
export async function fetchOne(dir, name, data, dest) {
  const registry = new Registry(dir);
  const part = await registry.requestArtifact(name, data);
  await rename(part, dest);
}
export class Builder {
  registry;
  constructor(dir) {
    this.registry = new Registry(dir);
  }
  async build(name, data, dest) {
    const part = await this.registry.requestArtifact(name, data);
    await rename(part, dest);
  }
}`,
      [
        [7, 9],
        [16, 11],
      ],
    ),
  ],
});

ruleTester.run("no-unsynced-rename: another module's helper that hands its temp to a function", tested, {
  valid: [
    // It fsyncs the temp after the function returned, before its rename.
    inProject(
      'esm',
      'app.js',
      `
import fs from 'node:fs/promises';
import { writeAtomicDurably } from './lib/atomic.js';
export async function save(dest, data) {
  await writeAtomicDurably(dest, (tmp) => fs.writeFile(tmp, data));
}`,
    ),
  ],
  invalid: [
    {
      name: 'the temp is written in a function handed to an imported helper',
      ...invalid(
        'esm',
        'app.js',
        `
import fs from 'node:fs/promises';
import { writeAtomic } from './lib/atomic.js';
export async function save(dest, data) {
  await writeAtomic(dest, (tmp) => fs.writeFile(tmp, data));
}`,
        [[5, 9]],
      ),
    },
    {
      name: "no suggestion: an imported helper's mkdtemp directory, filled by the function it is handed",
      ...inProject(
        'esm',
        'app.js',
        `
import fs from 'node:fs/promises';
import path from 'node:path';
import { atomicCreate } from './lib/atomic.js';
export async function saveDir(dest, data) {
  await atomicCreate(dest, async (scratch) => {
    await fs.writeFile(path.join(scratch, 'index.json'), data);
  });
}`,
      ),
      errors: [{ messageId: 'unsyncedDirectoryRename', line: 6, column: 9 }],
    },
  ],
});
