/**
 * The one table of file-system API knowledge: which functions write, rename, sync, open or close a
 * file, and which argument is the path, the descriptor, the data, the options or the callback.
 * The detector, the fixes and the codemod all read this table; nothing else knows the fs API.
 */
import { ReferenceTracker, type TraceMap } from '@eslint-community/eslint-utils';

/** What an fs member does to the file named by its `path` argument. */
export type FsKind =
  /** Puts bytes into the file (they may sit in the page cache until an fsync). */
  | 'write'
  /** Publishes `path` under `destination`. */
  | 'rename'
  /** Makes the file's earlier data durable. */
  | 'sync'
  /** Returns a descriptor or FileHandle for the file. */
  | 'open'
  /** Releases a descriptor; does not make data durable. */
  | 'close'
  /** Returns a WriteStream into the file; its writes count as writes at the stream's creation. */
  | 'stream'
  /** `stream.pipeline()` / `finished()`: settles when the streams passed to it finished. */
  | 'pipeline';

/**
 * How the caller learns that the call finished:
 * `sync` on return, `callback` through the last (function) argument, `promise` when the returned
 * promise settles, `universal` callback if the last argument is a function, promise otherwise
 * (fs-extra's universalified API).
 */
export type FsStyle = 'sync' | 'callback' | 'promise' | 'universal';

/** One member of an fs-like module. Argument positions are 0-based. */
export interface FsMember {
  /** Name as exported, e.g. `writeFileSync`. */
  readonly name: string;
  readonly kind: FsKind;
  readonly style: FsStyle;
  /** The file the call acts on: a path, or a descriptor / FileHandle where the API accepts one. */
  readonly path?: number;
  /** `rename`/`move`: where the file is published. `copyFile`: the written copy is `destination`. */
  readonly destination?: number;
  readonly data?: number;
  readonly options?: number;
  /** `open`: the flags argument (string or `O_*` constants). */
  readonly flags?: number;
  /** Writes whose options can say `flush: true` (Node fsyncs before close). */
  readonly flushOption?: boolean;
  /** Adds to what the file holds instead of replacing it (`appendFile*`): how logs are written. */
  readonly appends?: boolean;
  /** True for a whole-file write (`writeFile*`), which the helper can replace one for one. */
  readonly wholeFile?: boolean;
  /**
   * Writes files inside the directory its `path` names, not that path itself (an archive extractor):
   * a rename of that directory, or of a file inside it, publishes what it wrote.
   */
  readonly inside?: boolean;
  /** Its `path` argument is a file descriptor, never a path (`write(fd, …)`, `ftruncate(fd)`). */
  readonly descriptor?: boolean;
  /**
   * The directory is a field of the `options` argument: the names it may have, the first present
   * wins; a dotted name is a field of a nested object (`build.outDir`).
   */
  readonly pathOption?: readonly string[];
  /**
   * A copy that takes directories too (`fs.cp`, fs-extra's `copy`): it writes `path`, and when the
   * source is a directory, every file inside it; a rename of a file inside it publishes a copied file.
   */
  readonly tree?: boolean;
  /**
   * Makes an object for the file its `path` names, which writes that file when one of these methods
   * is called on it (ts-morph's `project.createSourceFile(path, text)`, then `sourceFile.save()`).
   */
  readonly saves?: readonly FsMember[];
  /** A function of an object the module exports, not of the module (`compressing.tgz.uncompress`). */
  readonly of?: string;
}

/** Members of a FileHandle (from `fs.promises.open`). The handle itself is the file. */
export type FileHandleMember = Omit<FsMember, 'path'>;

const member = (name: string, kind: FsKind, style: FsStyle, rest: Partial<FsMember> = {}): FsMember => ({
  name,
  kind,
  style,
  ...rest,
});

/** Members shared by `fs`, `graceful-fs` and fs-extra, in their callback and Sync flavours. */
function callbackAndSyncMembers(callbackStyle: FsStyle): FsMember[] {
  const pairs: FsMember[] = [];
  const both = (name: string, kind: FsKind, rest: Partial<FsMember> = {}): void => {
    pairs.push(member(name, kind, callbackStyle, rest), member(`${name}Sync`, kind, 'sync', rest));
  };
  both('writeFile', 'write', { path: 0, data: 1, options: 2, flushOption: true, wholeFile: true });
  both('appendFile', 'write', { path: 0, data: 1, options: 2, flushOption: true, appends: true });
  both('write', 'write', { path: 0, data: 1, descriptor: true });
  both('writev', 'write', { path: 0, data: 1, descriptor: true });
  both('copyFile', 'write', { path: 1 });
  both('cp', 'write', { path: 1, tree: true });
  // A truncate changes the file's data like a write does, and is just as unsynced.
  both('truncate', 'write', { path: 0 });
  both('ftruncate', 'write', { path: 0, descriptor: true });
  both('rename', 'rename', { path: 0, destination: 1 });
  both('fsync', 'sync', { path: 0 });
  both('fdatasync', 'sync', { path: 0 });
  both('open', 'open', { path: 0, flags: 1 });
  both('close', 'close', { path: 0 });
  pairs.push(member('createWriteStream', 'stream', 'sync', { path: 0, options: 1, flushOption: true }));
  // `new fs.WriteStream(path)` and the old call form `fs.WriteStream(path)` create the same stream.
  pairs.push(member('WriteStream', 'stream', 'sync', { path: 0, options: 1, flushOption: true }));
  return pairs;
}

/** `fs/promises`, `fs.promises`. */
const promiseMembers: FsMember[] = [
  member('writeFile', 'write', 'promise', { path: 0, data: 1, options: 2, flushOption: true, wholeFile: true }),
  member('appendFile', 'write', 'promise', { path: 0, data: 1, options: 2, flushOption: true, appends: true }),
  member('copyFile', 'write', 'promise', { path: 1 }),
  member('cp', 'write', 'promise', { path: 1, tree: true }),
  member('truncate', 'write', 'promise', { path: 0 }),
  member('rename', 'rename', 'promise', { path: 0, destination: 1 }),
  member('open', 'open', 'promise', { path: 0, flags: 1 }),
];

/** fs-extra additions (universalified: callback when given one, promise otherwise). */
const fsExtraMembers: FsMember[] = [
  member('move', 'rename', 'universal', { path: 0, destination: 1 }),
  member('moveSync', 'rename', 'sync', { path: 0, destination: 1 }),
  // These hand their options to fs.writeFile(Sync) (fs-extra 9 to 11, jsonfile 6), so `flush: true` reaches it.
  member('outputFile', 'write', 'universal', { path: 0, data: 1, options: 2, flushOption: true }),
  member('outputFileSync', 'write', 'sync', { path: 0, data: 1, options: 2, flushOption: true }),
  // A copy into the temp path is a write of it, and of every file in it (not fsynced either).
  member('copy', 'write', 'universal', { path: 1, tree: true }),
  member('copySync', 'write', 'sync', { path: 1, tree: true }),
  member('writeJson', 'write', 'universal', { path: 0, data: 1, options: 2, flushOption: true }),
  member('writeJsonSync', 'write', 'sync', { path: 0, data: 1, options: 2, flushOption: true }),
  member('outputJson', 'write', 'universal', { path: 0, data: 1, options: 2, flushOption: true }),
  member('outputJsonSync', 'write', 'sync', { path: 0, data: 1, options: 2, flushOption: true }),
];
// fs-extra exports each JSON writer under an upper-case alias too (`writeJSON`, `outputJSONSync`).
fsExtraMembers.push(
  ...fsExtraMembers.filter((m) => m.name.includes('Json')).map((m) => ({ ...m, name: m.name.replace('Json', 'JSON') })),
);

/**
 * Yarn's fslib (`xfs`, `NodeFS`, any `FakeFS`): Node's names for the Sync flavour, and a `Promise`
 * suffix for the promise flavour (`writeFilePromise`, `renamePromise`, `copyFilePromise`).
 */
const fslibMembers: FsMember[] = [
  ...callbackAndSyncMembers('callback').filter((m) => m.style === 'sync'),
  ...[
    member('writeFile', 'write', 'promise', { path: 0, data: 1, options: 2, flushOption: true, wholeFile: true }),
    member('appendFile', 'write', 'promise', { path: 0, data: 1, options: 2, flushOption: true, appends: true }),
    member('write', 'write', 'promise', { path: 0, data: 1 }),
    member('copyFile', 'write', 'promise', { path: 1 }),
    member('rename', 'rename', 'promise', { path: 0, destination: 1 }),
    member('fsync', 'sync', 'promise', { path: 0 }),
    member('fdatasync', 'sync', 'promise', { path: 0 }),
    member('open', 'open', 'promise', { path: 0, flags: 1 }),
    member('close', 'close', 'promise', { path: 0 }),
  ].map((m) => ({ ...m, name: `${m.name}Promise` })),
];

/**
 * Bluebird's `promisifyAll(fs)` (and `promisifyAll(require('fs'))`, fs-extra-promise): each callback member gets an
 * `Async` twin returning a promise (`writeFileAsync`, `renameAsync`, `fsyncAsync`); `openAsync`
 * resolves to a descriptor.
 */
const promisifiedAllMembers: FsMember[] = [
  ...callbackAndSyncMembers('callback').filter((m) => m.style === 'callback'),
  // Of fs-extra's too (`promisifyAll(require('fs-extra'))`, fs-extra-promise): `moveAsync`, `copyAsync`.
  ...fsExtraMembers.filter((m) => m.style === 'universal'),
].map((m) => ({ ...m, name: `${m.name}Async`, style: 'promise' as const }));

/**
 * The suffixes fs layers give a function's other flavours (`renameSync`, fslib's `renamePromise`,
 * Bluebird's `renameAsync`), as a regular expression's source: the rename tests below and the
 * injected-fs text test (`mayUseInjectedFs`) are built from it, so they agree.
 */
export const flavourSuffix = '(?:Sync|Promise|Async)?';

const plainRenameName = new RegExp(`^rename${flavourSuffix}$`);

/**
 * A rename(2) of one path over another: `rename`, `renameSync`, fslib's `renamePromise`, Bluebird's
 * `renameAsync`. Not fs-extra's `move`, which copies across devices, nor a project's own function that
 * renames.
 */
export const isPlainRename = (member: Pick<FsMember, 'kind' | 'name'>): boolean =>
  member.kind === 'rename' && plainRenameName.test(member.name);

/**
 * Node's `cp`/`cpSync` (fs-extra re-exports them): a directory is copied only when the options say
 * `recursive`, so a call with no options argument copies one file (`cp(src, dest)`, `cp(src, dest, cb)`).
 */
export const isNodeCopy = (member: Pick<FsMember, 'tree' | 'name'>): boolean =>
  member.tree === true && /^cp(?:Sync)?$/.test(member.name);

/**
 * Does the module `member` was called on open FileHandles (`fs.promises.open`)? fs-extra's promise
 * `open`, fslib's `openPromise` and Bluebird's `openAsync` resolve to a descriptor, which the sync
 * calls beside them take.
 */
export const opensFileHandles = (member: Pick<FsMember, 'style' | 'name'>): boolean =>
  member.style === 'promise' && !/(?:Promise|Async)$/.test(member.name);

/** FileHandle methods. */
export const fileHandleMembers: ReadonlyMap<string, FileHandleMember> = new Map(
  [
    member('write', 'write', 'promise', { data: 0 }),
    member('writev', 'write', 'promise', { data: 0 }),
    // No `flushOption`: `handle.writeFile(d, { flush: true })` and `handle.appendFile` do not fsync
    // (strace, Node 20.20: open, write, close), unlike `fs.promises.writeFile(path, d, { flush: true })`.
    member('writeFile', 'write', 'promise', { data: 0, options: 1, wholeFile: true }),
    member('appendFile', 'write', 'promise', { data: 0, options: 1, appends: true }),
    member('truncate', 'write', 'promise'),
    member('sync', 'sync', 'promise'),
    member('datasync', 'sync', 'promise'),
    member('close', 'close', 'promise'),
    member('createWriteStream', 'stream', 'sync', { options: 0, flushOption: true }),
  ].map((m) => [m.name, m]),
);

/** Stream helpers that settle when a WriteStream passed to them has finished. */
const streamMembers: FsMember[] = [
  member('pipeline', 'pipeline', 'callback'),
  member('finished', 'pipeline', 'callback'),
];
const streamPromiseMembers: FsMember[] = [
  member('pipeline', 'pipeline', 'promise'),
  member('finished', 'pipeline', 'promise'),
];

/** `await once(stream, 'close')` settles when the stream closed (and a flush stream fsynced). */
const eventsMembers: FsMember[] = [member('once', 'pipeline', 'promise')];

/** Where a tracked function comes from, as the user would write it in an import. */
export interface TrackedFunction {
  readonly module: string;
  readonly member: FsMember;
  /** The path it writes, when not one of its arguments (a source file's `save()`: where it was made). */
  readonly pathNode?: import('estree').Node;
}

/** A project wrapper named in the rule options. */
export interface CustomFunction {
  /** Import source as written in the import / require, e.g. `./fs-utils` or `@acme/fs`. */
  readonly source: string;
  /** Exported name; `default` for the default export. */
  readonly name: string;
  /** Argument holding the file (path, descriptor or handle). Default 0. */
  readonly pathArgument?: number;
  /** For renames: the destination argument. Default 1. */
  readonly destinationArgument?: number;
}

type Table = Record<string, FsMember[]>;

const fsLike = (): FsMember[] => callbackAndSyncMembers('callback');

/** Module specifier → members. `promises` sub-objects are expressed by the `.promises` suffix. */
export const fsApiTable: Readonly<Table> = {
  fs: fsLike(),
  'node:fs': fsLike(),
  'graceful-fs': fsLike(),
  'fs-extra': [...callbackAndSyncMembers('universal'), ...fsExtraMembers],
  'fs-extra/esm': [...callbackAndSyncMembers('universal'), ...fsExtraMembers],
  'fs/promises': promiseMembers,
  'node:fs/promises': promiseMembers,
  'fs.promises': promiseMembers,
  'node:fs.promises': promiseMembers,
  'graceful-fs.promises': promiseMembers,
  'fs-extra.promises': promiseMembers,
  stream: streamMembers,
  'node:stream': streamMembers,
  'stream/promises': streamPromiseMembers,
  'node:stream/promises': streamPromiseMembers,
  'stream.promises': streamPromiseMembers,
  'node:stream.promises': streamPromiseMembers,
  events: eventsMembers,
  'node:events': eventsMembers,
  '@yarnpkg/fslib.xfs': fslibMembers,
};

/** Node's own fsync and fdatasync, in each flavour (`fsync`, `fsyncSync`, `fs.promises.fdatasync`). */
const fsSyncFunctionNames: ReadonlySet<string> = new Set(
  [...(fsApiTable.fs ?? []), ...(fsApiTable['fs/promises'] ?? [])].filter((m) => m.kind === 'sync').map((m) => m.name),
);

/** Is `name` one of Node's fsync functions (handed over as a value: `helper(fd, fsyncSync)`)? */
export const isFsSyncFunctionName = (name: string): boolean => fsSyncFunctionNames.has(name);

/**
 * Archive extractors and bundlers, which write files inside a directory and fsync none of them (and
 * node-tar's `create`, which writes an archive)
 * (extract-zip 2, tar 2 to 7, decompress 4, unzipper 0.12, tar-fs 1 to 3, targz 1, asar 3, Vite 6, pacote 22,
 * nugget 2, download 8, download-git-repo 2, giget 3, compressing 2, isomorphic-git 1, as published): installers extract into a
 * staging directory, then rename it, or a binary inside it, into place. `default` is the module
 * itself (`require('extract-zip')(…)`).
 */
const tarExtract = (name: string): FsMember =>
  member(name, 'write', 'universal', { options: 0, pathOption: ['cwd', 'C'], inside: true });
const tarCreate = (name: string): FsMember =>
  member(name, 'write', 'universal', { options: 0, pathOption: ['file', 'f'] });

export const extractorTable: Readonly<Table> = {
  'extract-zip': [member('default', 'write', 'promise', { options: 1, pathOption: ['dir'], inside: true })],
  decompress: [member('default', 'write', 'promise', { path: 1, inside: true })],
  tar: [
    ...['x', 'extract'].map(tarExtract),
    // `c`/`create` with `file` writes the archive through a plain write stream (tar 7.5: open, write,
    // close, no fsync).
    ...['c', 'create'].map(tarCreate),
    // tar 2's stream (`pipe(tar.Extract({ path }))`).
    member('Extract', 'stream', 'sync', { options: 0, pathOption: ['path'], inside: true }),
  ],
  // tar 7's subpath modules: `import { extract } from 'tar/extract'` (also `tar/x`), `create` from
  // `tar/create` (also `tar/c`), the same functions as the package's.
  ...Object.fromEntries(['tar/extract', 'tar/x'].map((module) => [module, [tarExtract('extract')]])),
  ...Object.fromEntries(['tar/create', 'tar/c'].map((module) => [module, [tarCreate('create')]])),
  unzipper: [member('Extract', 'stream', 'sync', { options: 0, pathOption: ['path'], inside: true })],
  // tar-fs 1 to 3: `pipeline(tarball, extract(dir))`.
  'tar-fs': [member('extract', 'stream', 'sync', { path: 0, inside: true })],
  // targz 1: `decompress({ src, dest }, cb)` through tar-fs.
  targz: [member('decompress', 'write', 'callback', { options: 0, pathOption: ['dest'], inside: true })],
  // Vite's `build(config)` (checked in 6.4.6) writes its bundle with Rollup (plain writeFile) inside
  // `build.outDir`; SvelteKit and Remix rename what it wrote.
  vite: [member('build', 'write', 'promise', { options: 0, pathOption: ['build.outDir'], inside: true })],
  // pacote 9 to 22: `extract(spec, dest)` unpacks a package with node-tar (no fsync) into dest.
  pacote: [member('extract', 'write', 'promise', { path: 1, inside: true })],
  // nugget 2 (electron-download's downloader): `nugget(url, { dir, target }, cb)` writes the file
  // inside `dir` through a plain write stream.
  nugget: [member('default', 'write', 'callback', { options: 1, pathOption: ['dir'], inside: true })],
  // Project scaffolders' template downloaders: `download(url, dest, { extract })` 6 to 8 writes the
  // file, or the archive's files through decompress, inside `dest`; download-git-repo 1 to 3's
  // `download(repo, dest, opts, cb)` extracts the repository's archive with it (`clone: true` runs git
  // instead, another process); giget 1 to 3's `downloadTemplate(input, { dir })` extracts the
  // template's tarball with node-tar inside `dir`. None fsyncs.
  download: [member('default', 'write', 'promise', { path: 1, inside: true })],
  'download-git-repo': [member('default', 'write', 'callback', { path: 1, inside: true })],
  giget: [member('downloadTemplate', 'write', 'promise', { options: 1, pathOption: ['dir'], inside: true })],
  // compressing 1 and 2: `tgz.uncompress(archive, dir)` (also `tar`, `zip`) writes each entry inside `dir`
  // through a plain write stream, `gzip.uncompress(archive, file)` and every format's `compressFile`/
  // `compressDir(source, archive)` write the one file; none fsyncs (read in 2.1.3's lib/utils.js).
  compressing: ['tar', 'tgz', 'zip', 'gzip'].flatMap((format) => [
    member('uncompress', 'write', 'promise', { path: 1, inside: format !== 'gzip', of: format }),
    member('compressFile', 'write', 'promise', { path: 1, of: format }),
    ...(format === 'gzip' ? [] : [member('compressDir', 'write', 'promise', { path: 1, of: format })]),
  ]),
  // isomorphic-git 1: `clone({ fs, dir, url })` (also `checkout`, `pull`, `fastForward`) writes the
  // working tree's files inside `dir` through the `fs` it is given (node's: writeFile, no fsync;
  // read in 1.35.1, which calls neither fsync nor fdatasync).
  'isomorphic-git': ['clone', 'checkout', 'pull', 'fastForward'].map((name) =>
    member(name, 'write', 'promise', { options: 0, pathOption: ['dir'], inside: true }),
  ),
  // Electron's asar archives: `extractAll(archive, dest)` writes the files with plain writeFileSync.
  ...Object.fromEntries(
    ['@electron/asar', 'asar'].map((module) => [
      module,
      [member('extractAll', 'write', 'sync', { path: 1, inside: true })],
    ]),
  ),
};

/** A copy's arguments (`copy(src, dest)`) and a move's (`move(src, dest)`). */
const copyTo = { path: 1 } as const;
const move = { path: 0, destination: 1 } as const;
/** An options object's `files` (`replaceInFile({ files, from, to })`). */
const rewrites = { options: 0, pathOption: ['files'] } as const;

/** A package's promise function and its sync twin (`moveFile(a, b)`, `moveFile.sync(a, b)`). */
const promiseAndSync = (
  promise: string,
  sync: string,
  kind: 'write' | 'rename',
  args: typeof copyTo | typeof move,
): FsMember[] => [member(promise, kind, 'promise', args), member(sync, kind, 'sync', args)];

/**
 * File-system layers and file sinks of their own whose writes do not fsync, by module and subpath
 * module (`default` is the module itself). fs2 0.3 (serverless's): `writeFile`, `appendFile` and `copy` open, write and
 * close (strace, fs2 0.3.16 on Node 20.20: no fsync), `rename` is rename(2); each returns a promise and
 * takes an optional callback last.
 */
export const dependencyWriterTable: Readonly<Table> = {
  fs2: [
    member('writeFile', 'write', 'universal', { path: 0, data: 1, options: 2 }),
    member('appendFile', 'write', 'universal', { path: 0, data: 1, options: 2, appends: true }),
    member('copy', 'write', 'universal', { path: 1 }),
    member('rename', 'rename', 'universal', { path: 0, destination: 1 }),
  ],
  'fs2/write-file': [member('default', 'write', 'universal', { path: 0, data: 1, options: 2 })],
  'fs2/append-file': [member('default', 'write', 'universal', { path: 0, data: 1, options: 2, appends: true })],
  'fs2/copy': [member('default', 'write', 'universal', { path: 1 })],
  'fs2/rename': [member('default', 'rename', 'universal', { path: 0, destination: 1 })],
  // jsonfile 6 (fs-extra's JSON writer, also used alone): `writeFile(file, obj, options, cb?)` and
  // `writeFileSync` hand their options to fs.writeFile(Sync): no fsync unless they say `flush: true`.
  // This entry and the five below: strace on Node 20.20 (jsonfile 6.2.1, cp-file 10.0.0, move-file
  // 3.1.0, mv 2.1.1, ncp 2.0.0, fs-jetpack 5.1.0): open O_TRUNC, write, rename, no fsync.
  jsonfile: [
    member('writeFile', 'write', 'universal', { path: 0, data: 1, options: 2, flushOption: true }),
    member('writeFileSync', 'write', 'sync', { path: 0, data: 1, options: 2, flushOption: true }),
  ],
  // cp-file 7 to 10 (`cpFile(src, dest)`, `cpFile.sync`; `copyFile`, `copyFileSync`): a stream or
  // fs.copyFile copy, no fsync. move-file 1 to 3 and mv 2: a rename, or a
  // copy across devices, like fs-extra's `move`. ncp 2 (`ncp(src, dest, cb)`): a tree copy through
  // plain write streams, no fsync.
  'cp-file': [
    ...promiseAndSync('default', 'sync', 'write', copyTo),
    ...promiseAndSync('copyFile', 'copyFileSync', 'write', copyTo),
  ],
  'move-file': [
    ...promiseAndSync('default', 'sync', 'rename', move),
    ...promiseAndSync('moveFile', 'moveFileSync', 'rename', move),
  ],
  mv: [member('default', 'rename', 'callback', move)],
  // cpx 1 (`copy(glob, outDir, options?, cb)`, `copySync`): each file the glob matches copied inside
  // `outDir` through a plain write stream or writeSync, no fsync (read in 1.5.0).
  cpx: [
    member('copy', 'write', 'callback', { path: 1, inside: true }),
    member('copySync', 'write', 'sync', { path: 1, inside: true }),
  ],
  // replace-in-file 6 to 8: `replaceInFile({ files, from, to })` (the module itself in 6 and 7, with a
  // callback or as a promise; `.sync`; named `replaceInFile`/`replaceInFileSync`, and 8's
  // `processFile(Sync)`) rewrites each file `files` names with fs.writeFile(Sync), no fsync (read in
  // 6.3.5, 7.2.0 and 8.3.0). Scaffolders rewrite a template's file, then rename it.
  'replace-in-file': [
    ...['default', 'replaceInFile'].map((name) => member(name, 'write', 'universal', rewrites)),
    ...['sync', 'replaceInFileSync', 'processFileSync'].map((name) => member(name, 'write', 'sync', rewrites)),
    member('processFile', 'write', 'promise', rewrites),
  ],
  // npm's own: @npmcli/move-file 1 to 2 (`moveFile(src, dest)`, `.sync`) and @npmcli/fs's `moveFile`.
  '@npmcli/move-file': promiseAndSync('default', 'sync', 'rename', move),
  '@npmcli/fs': [member('moveFile', 'rename', 'promise', move)],
  ncp: [
    member('default', 'write', 'callback', { path: 1, tree: true }),
    member('ncp', 'write', 'callback', { path: 1, tree: true }),
  ],
  // fs-jetpack 5 (gluegun's filesystem): `write`/`writeAsync` (fs.writeFile(Sync), or a temp renamed
  // into place with `atomic: true`, no fsync either way), `append*`, `copy*` (a file or a tree) and
  // `move*` (a rename). Relative paths are the jetpack's cwd's, which
  // `jetpack.cwd(dir)` changes: only the module's own object is tracked.
  'fs-jetpack': [
    member('write', 'write', 'sync', { path: 0, data: 1 }),
    member('writeAsync', 'write', 'promise', { path: 0, data: 1 }),
    member('append', 'write', 'sync', { path: 0, data: 1, appends: true }),
    member('appendAsync', 'write', 'promise', { path: 0, data: 1, appends: true }),
    member('copy', 'write', 'sync', { path: 1, tree: true }),
    member('copyAsync', 'write', 'promise', { path: 1, tree: true }),
    member('move', 'rename', 'sync', { path: 0, destination: 1 }),
    member('moveAsync', 'rename', 'promise', { path: 0, destination: 1 }),
  ],
  // pull-write-file 0.2 (the pull-stream ecosystem's file sink: ssb's blob stores): `pull(source,
  // Write(path, opts?, cb))` opens, writes, closes (strace, 0.2.4: no fsync), then calls `cb`.
  'pull-write-file': [member('default', 'write', 'callback', { path: 0 })],
};

/**
 * Writers that are globals of another runtime, not modules: Bun's `Bun.write(path, data)` (Bun 1.4.5
 * under strace: openat O_WRONLY|O_CREAT, write, close; no fsync). Code shipped for Bun and Node alike
 * writes its temp with it and renames it with `node:fs`.
 */
export const globalWriters: Readonly<Record<string, readonly FsMember[]>> = {
  Bun: [member('write', 'write', 'promise', { path: 0 })],
};

/**
 * Modules whose instances write (`new AdmZip(zip).extractAllTo(dir)`): members of the objects
 * `new <module>(…)` creates, by the module. adm-zip 0.4 to 0.5 extract with plain writes.
 */
export const instanceTable: Readonly<Table> = {
  'adm-zip': [
    member('extractAllTo', 'write', 'sync', { path: 0, inside: true }),
    member('extractAllToAsync', 'write', 'callback', { path: 0, inside: true }),
    member('extractEntryTo', 'write', 'sync', { path: 1, inside: true }),
  ],
  // sharp 0.x: `await sharp(input).resize(w).toFile(out)` writes `out` from libvips (native code, in
  // this process): open, write, close, no fsync.
  sharp: [member('toFile', 'write', 'universal', { path: 0 })],
  // Rollup 4 and rolldown 1: `const bundle = await rollup(options); await bundle.write({ dir })` writes
  // its chunks inside `dir` (strace, rollup 4 and rolldown 1.3.4 on Node 20.20: open O_TRUNC, write,
  // no fsync; rolldown from native code).
  ...Object.fromEntries(
    ['rollup', 'rolldown'].map((module) => [
      module,
      [member('write', 'write', 'promise', { options: 0, pathOption: ['dir'], inside: true })],
    ]),
  ),
  // Jimp 0.x and 1.x: `const image = await Jimp.read(src)` (or `new Jimp(…)`), then
  // `image.resize(w, h).write(out)`: 0.x writes through a plain write stream (`write(path, cb?)`,
  // `writeAsync(path)`), 1.x through fs.promises.writeFile (`await image.write(path)`); strace on Node
  // 20.20 (jimp 0.22.12, 1.6.0): open O_TRUNC, write, close, no fsync.
  jimp: [member('write', 'write', 'universal', { path: 0 }), member('writeAsync', 'write', 'promise', { path: 0 })],
  // ts-morph 26: a Project's `createSourceFile(path, text)` is in memory until the source file's
  // `save()`/`saveSync()` writes it (open O_TRUNC, write, close; no fsync).
  'ts-morph': [
    member('createSourceFile', 'write', 'sync', {
      path: 0,
      saves: [member('save', 'write', 'promise'), member('saveSync', 'write', 'sync')],
    }),
  ],
};

/** The export of an `instanceTable` module that makes its objects, when not the module itself. */
const instanceConstructors: Readonly<Record<string, string>> = {
  'ts-morph': 'Project',
  rollup: 'rollup',
  rolldown: 'rolldown',
};

/** Modules of `instanceTable` whose objects a call of that export makes (and resolves to: `await rollup(o)`), not `new`. */
const calledInstanceModules: ReadonlySet<string> = new Set(['rollup', 'rolldown']);

/**
 * Modules of `instanceTable` whose objects' other methods return the object, so a chain of them ends
 * on it (`sharp(x).rotate().resize(9).toFile(p)`, `image.resize(w, h).write(p)`); sharp's objects are
 * made by calling the module too (`sharp(input)`, not only `new`).
 */
export const chainedInstanceModules: ReadonlySet<string> = new Set(['sharp', 'jimp']);

/** Modules of `instanceTable` whose making calls also take a node-style callback given the object (`Jimp.read(src, (err, image) => …)`). */
export const callbackInstanceModules: ReadonlySet<string> = new Set(['jimp']);

/**
 * Jimp's images are made by its class, as the module (0.x, `require('jimp')`, a default import) or its
 * `Jimp` export (1.x): `new Jimp(…)`, or its static `read`/`create`, which resolve to the image.
 */
const jimpClass = {
  [ReferenceTracker.CONSTRUCT]: 'jimp',
  read: { [ReferenceTracker.CALL]: 'jimp' },
  create: { [ReferenceTracker.CALL]: 'jimp' },
};

/** Modules of `instanceTable` whose objects are made in more ways than the rules below spell: their own trace maps. */
const instanceMakers: Readonly<Record<string, TraceMap<string>[string]>> = {
  jimp: { ...jimpClass, default: jimpClass, Jimp: jimpClass },
};

/** The ReferenceTracker trace map of the constructors in `instanceTable`: `new M(…)` for each module (and `M(…)`). */
export const instanceTraceMap: TraceMap<string> = Object.fromEntries(
  Object.keys(instanceTable).map((module) => {
    const maker = instanceMakers[module];
    if (maker) return [module, maker];
    const made = calledInstanceModules.has(module)
      ? { [ReferenceTracker.CALL]: module }
      : chainedInstanceModules.has(module)
        ? { [ReferenceTracker.CONSTRUCT]: module, [ReferenceTracker.CALL]: module }
        : { [ReferenceTracker.CONSTRUCT]: module };
    const exported = instanceConstructors[module];
    return [module, exported ? { [exported]: made } : made];
  }),
) as TraceMap<string>;

/**
 * Upload parsers that write each uploaded file to a temp name on disk, in this process, with no fsync
 * (multiparty 4, formidable 1 to 3, koa-body 4 to 6 through formidable, multer 1 and 2's disk storage
 * unless given `flush: true`), then hand its path to the application, which often renames it into place.
 * - `form`: an object whose `parse(req, (err, fields, files) => …)` callback receives the files
 *   (`files.upload[0].path`) and whose `'file'` events receive each file;
 * - `middleware`: sets fields of the request (`req.file.path`, `ctx.request.files`) before the next
 *   handler runs, and writes to disk only when one of `diskOptions` is set (multer's `dest`/`storage`,
 *   koa-body's `multipart`); `storage` is the disk storage it may be handed (`multer.diskStorage(…)`).
 */
export interface UploadParser {
  readonly made: 'form' | 'middleware' | 'storage';
  /** The field of an uploaded file naming its path on disk (formidable 2+: `filepath`, before: `path`). */
  readonly pathFields: readonly string[];
  /** A middleware's: the chains of request fields that hold the files (`file`, `request.files`). */
  readonly requestFields?: ReadonlyArray<readonly string[]>;
  readonly diskOptions?: readonly string[];
  /** The option that makes it fsync each file (multer 2's disk storage: `flush: true`). */
  readonly flushOption?: string;
}

const formidableForm: UploadParser = { made: 'form', pathFields: ['filepath', 'path'] };
const multerMiddleware: UploadParser = {
  made: 'middleware',
  pathFields: ['path'],
  requestFields: [['file'], ['files'], ['request', 'file'], ['request', 'files']],
  diskOptions: ['dest', 'storage'],
  flushOption: 'flush',
};
const koaBodyMiddleware: UploadParser = {
  made: 'middleware',
  pathFields: ['filepath', 'path'],
  requestFields: [['request', 'files']],
  diskOptions: ['multipart'],
};

/** The upload parsers' entry points, by module: what calling (or `new`) each export makes. */
export const uploadTable: Readonly<Record<string, Readonly<Record<string, UploadParser>>>> = {
  multiparty: { Form: { made: 'form', pathFields: ['path'] } },
  formidable: {
    default: formidableForm,
    IncomingForm: formidableForm,
    Formidable: formidableForm,
    formidable: formidableForm,
  },
  multer: { default: multerMiddleware, diskStorage: { ...multerMiddleware, made: 'storage' } },
  '@koa/multer': { default: multerMiddleware, diskStorage: { ...multerMiddleware, made: 'storage' } },
  'koa-body': { default: koaBodyMiddleware, koaBody: koaBodyMiddleware },
};

/** The ReferenceTracker trace map of `uploadTable`: calls and `new` of each entry point. */
export const uploadTraceMap: TraceMap<UploadParser> = Object.fromEntries(
  Object.entries(uploadTable).map(([module, entries]) => {
    const node = (parser: UploadParser): Record<symbol, UploadParser> => ({
      [ReferenceTracker.CALL]: parser,
      [ReferenceTracker.CONSTRUCT]: parser,
    });
    const { default: root, ...named } = entries;
    const members = Object.fromEntries(Object.entries(named).map(([name, parser]) => [name, node(parser)]));
    return [module, { ...(root ? { ...node(root), default: node(root) } : {}), ...members }];
  }),
) as TraceMap<UploadParser>;

/**
 * Calls that run another program, by name: Node's `exec`/`execFile`/`spawn`/`fork` (and their `Sync`
 * forms), execa, cross-spawn, and a project's own wrappers named like them (`exec(bin, args, opts)`,
 * `runCommand`, `sh`). Only a call that also says where the program runs (a `cwd` option) is taken
 * for one: a program run in a folder may write there (see the `process` flow event).
 */
export const runsProgramName = /exec|spawn|^fork(?:Sync)?$|^run|^sh(?:ell)?$|command$|cmd$/i;

/**
 * Effect's `FileSystem` service (`const fs = yield* FileSystem.FileSystem`, @effect/platform 0.x and
 * Effect 4): Node's names, and `writeFileString`. Each call makes an effect that `yield*` runs in
 * order. Its Node implementation (@effect/platform-node-shared 0.57 and 4.1, read in the source)
 * writes with `fs.writeFile`, no fsync; `File#sync` is an fsync.
 */
const effectFileSystemMembers: FsMember[] = [
  member('writeFileString', 'write', 'sync', { path: 0, data: 1, options: 2 }),
];

/**
 * Members an object passed around as a file system is recognised by, by name: Node's callback and
 * Sync flavours, and the fs layers that name theirs differently (fslib's `*Promise`, Bluebird's
 * `*Async`, Effect's `writeFileString`).
 */
export const duckTypedFsMembers: ReadonlyMap<string, FsMember> = new Map(
  [...callbackAndSyncMembers('callback'), ...fslibMembers, ...promisifiedAllMembers, ...effectFileSystemMembers].map(
    (m) => [m.name, m],
  ),
);

/**
 * Cheap text test: a file that never names a rename function cannot publish a temp file. Whole
 * identifiers only: `remove` and `mousemove` are everywhere and must not wake the engine up.
 */
export function mayContainRename(text: string, extraNames: readonly string[] = []): boolean {
  if (renameName.test(text)) return true;
  return extraNames.some((name) => text.includes(name));
}

const renameName = new RegExp(`\\b(?:rename|move)${flavourSuffix}\\b`);
/** A rename's name as code: not followed by a word, as in prose (`rename this back`, `move the host`), bar `as`. */
const renameInCode = new RegExp(`\\b(?:rename|move)${flavourSuffix}\\b(?![ \\t]+(?!as\\b)[A-Za-z])`);

/**
 * `mayContainRename` for code nobody lints (a dependency's), where a false yes costs parsing the
 * module and everything that imports it: a rename named only in comments' prose does not count.
 */
export const mayCallRename = (text: string): boolean => renameInCode.test(text);

function customMember(fn: CustomFunction, kind: FsKind): FsMember {
  return {
    name: fn.name,
    kind,
    style: 'sync',
    path: fn.pathArgument ?? 0,
    ...(kind === 'rename' ? { destination: fn.destinationArgument ?? 1 } : {}),
  };
}

/** Extra project functions by kind, from the rule options. */
export interface CustomFunctions {
  readonly write?: readonly CustomFunction[];
  readonly rename?: readonly CustomFunction[];
  readonly sync?: readonly CustomFunction[];
}

/** Trace maps by the project's own wrappers (JSON): every file of a lint run asks for the same one. */
const traceMaps = new Map<string, TraceMap<TrackedFunction>>();

/** The ReferenceTracker trace map for the table plus the project's own wrappers (shared: do not mutate). */
export function traceMapFor(custom: CustomFunctions = {}): TraceMap<TrackedFunction> {
  const key = JSON.stringify([custom.write ?? [], custom.rename ?? [], custom.sync ?? []]);
  let map = traceMaps.get(key);
  if (!map) traceMaps.set(key, (map = buildTraceMap(custom)));
  return map;
}

function buildTraceMap(custom: CustomFunctions): TraceMap<TrackedFunction> {
  const map: Record<string, Record<string, unknown>> = {};
  const add = (module: string, path: string[], m: FsMember): void => {
    let node = (map[module] ??= {}) as Record<string, unknown>;
    for (const key of [...path, m.name === 'default' && path.length === 0 ? 'default' : m.name]) {
      node = (node[key] ??= {}) as Record<string, unknown>;
    }
    const info: TrackedFunction = { module, member: m };
    node[ReferenceTracker.CALL as unknown as string] = info;
    node[ReferenceTracker.READ as unknown as string] = info;
    if (m.kind === 'stream') node[ReferenceTracker.CONSTRUCT as unknown as string] = info;
  };
  const addRoot = (module: string, m: FsMember): void => {
    const node = (map[module] ??= {}) as Record<string, unknown>;
    const info: TrackedFunction = { module, member: m };
    node[ReferenceTracker.CALL as unknown as string] = info;
    node[ReferenceTracker.READ as unknown as string] = info;
  };
  for (const [module, members] of Object.entries(fsApiTable)) {
    const [base, sub] = module.split('.') as [string, string | undefined];
    for (const m of members) add(base, sub ? [sub] : [], m);
  }
  for (const [module, members] of [...Object.entries(extractorTable), ...Object.entries(dependencyWriterTable)]) {
    for (const m of members) {
      add(module, m.of ? [m.of] : [], m);
      // A CommonJS module that is the function itself: `require(m)(…)`, and `import m from 'm'`.
      if (m.name === 'default') addRoot(module, m);
    }
  }
  for (const kind of ['write', 'rename', 'sync'] as const) {
    for (const fn of custom[kind] ?? []) {
      const m = customMember(fn, kind);
      if (fn.name === 'default') {
        addRoot(fn.source, m);
      } else {
        add(fn.source, [], m);
      }
    }
  }
  return map as TraceMap<TrackedFunction>;
}

/** Flags that make every write through the descriptor synchronous (durable on return). */
export function isSyncOpenFlag(flag: string): boolean {
  return flag === 'rs+' || flag === 'sr+' || flag === 'as' || flag === 'sa' || flag === 'as+' || flag === 'sa+';
}

/** `O_*` constant names whose presence in numeric flags makes writes synchronous. */
export const syncOpenConstants: ReadonlySet<string> = new Set(['O_SYNC', 'O_DSYNC']);
