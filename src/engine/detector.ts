/**
 * The detection engine: turns a program into findings "this rename publishes a file written there,
 * and on some path no fsync of it happened in between". The rule reports findings; the codemod
 * rewrites them. Nothing here knows about messages or fixes.
 *
 * This file wires ESLint's listeners to the parts that decide:
 * - `file-systems.ts`: which calls reach the fs API (imports, aliases);
 * - `summaries.ts`: what calls of the file's own functions do;
 * - `bindings.ts`: which file a descriptor, FileHandle or stream refers to;
 * - `completion.ts`: when the caller knows a call finished;
 * - `flow.ts`: whether some path goes from a write to a rename without a sync;
 * - `findings.ts`: which recorded renames are findings, once the walk is over.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { getStringIfConstant } from '@eslint-community/eslint-utils';
import {
  fileHandleMembers,
  isFsSyncFunctionName,
  mayContainRename,
  runsProgramName,
  type CustomFunctions,
  type FsMember,
  type TrackedFunction,
} from '../fs-api.js';
import { FileKeys, calleeName, callResultKey, propertyName, type FileKey } from './file-key.js';
import { FileKey as FileKeyClass, isDirnameOf, printTerm, someTerm, term, type KeyTerm } from './key.js';
import { isFunctionNode, propertyKeyName, within, type FunctionNode } from '../ast.js';
import {
  Bindings,
  listedPathNodes,
  writtenPathNode,
  hasFlushTrue,
  hasAppendFlag,
  hasSyncOpenFlag,
  opensForAppend,
  opensForSyncWrites,
  unwrap,
  writesDurably,
  type Handle,
} from './bindings.js';
import { completion, promiseHandlers } from './completion.js';
import { FileSystems, mayUseInjectedFs } from './file-systems.js';
import { FlowGraph, type FlowEvent } from './flow.js';
import { CallGraph, importedSources, importsFileHelpers } from './call-graph.js';
import { Continuations, runsRepeatedly } from './continuations.js';
import {
  importedRenameReach,
  importedSummaries,
  moduleConstants,
  mayReachRename,
  parsingOf,
  resolveModule,
} from './module-summaries.js';
import { isPackageSpecifier, specifiersIn } from './module-resolution.js';
import { explainFlow, explainSkipped, explainSummaries, explaining } from './explain.js';
import { Summaries, anyFile, startsWithSource, type SummarisedCall } from './summaries.js';
import { Uploads } from './uploads.js';
import { stateMachineListeners, yieldedValue } from './state-machines.js';

import {
  reportFindings,
  type RecordedRename,
  type RecordedWrite,
  type UnsyncedDirectoryRename,
  type UnsyncedRename,
} from './findings.js';

export type { UnsyncedDirectoryRename, UnsyncedRename } from './findings.js';

export interface DetectorOptions extends CustomFunctions {
  /** Summarise imported modules (`settings['durable-write'].crossModule`, default true). */
  readonly crossModule?: boolean;
  /** How many modules away imported summaries may come from (default `MAX_HOPS`: the linted file's imports are hop 1). */
  readonly summaryHops?: number;
  /** Report calls of dependencies that publish without an fsync (the rule's `dependencies` option, off by default). */
  readonly dependencies?: boolean;
}

/** A write (a copy is one: `copyFile`, `copyAllFiles`) that a helper in another module may publish: worth a look even without a rename named here. */
const writeText = /\b(?:write|copy[A-Z]|output(?:File|Json))|[a-z]Write(?:[A-Z]|\b)/;
const importText = /\bimport\b|\brequire\s*\(/;
/**
 * An imported rename helper may be named like one (`renameTmp`, `moveFile`, `moveInto`, `replaceFile`,
 * `commitJson`), or like a copy helper: scaffolders' `copyTemplateFiles(dir)` often rename the dotfiles they copy.
 */
const helperText =
  /[Rr]ename|\b[Mm]ove(?:[A-Z_]|\b)|(?:[Rr]eplace|[Cc]ommit|[Pp]ublish)\w*(?:File|Json|Atomic)|\bcopy[A-Z]\w*\s*\(/;

/** The source codes `findUnsyncedRenames` looked past its text gate (`mayPairWriteWithRename`). */
const passedTextGate = new WeakSet<SourceCode>();

/**
 * Did `findUnsyncedRenames`, already run on this source code, find that its text names a rename or
 * imports and writes? A caller's question that needs one of those asks it without reading the text again.
 */
export const namesRenameOrWrite = (sourceCode: SourceCode): boolean => passedTextGate.has(sourceCode);

/**
 * The one answer to "can this file have a finding", from its text (and, given its absolute path,
 * the texts of the packages it imports): the rule's first test, and the CLI's before it parses a
 * file. A file that names no rename can still publish through an imported helper (`publish(tmp,
 * dest)` from `./publish.js`), but then it writes the file itself.
 */
export function mayFindUnsyncedRenames(text: string, options: DetectorOptions = {}, file?: string): boolean {
  return mayPairWriteWithRename(text, options) || mayCallPublishingDependency(text, options, file);
}

const mayPairWriteWithRename = (text: string, options: DetectorOptions): boolean =>
  mayContainRename(
    text,
    [...(options.rename ?? [])].map((f) => f.name),
  ) || mayPublishThroughImports(text, options);

/**
 * An imported helper that unpacks or fetches into a path (`unzipFile(zip, dir)`, `download(url, file)`,
 * `(0, util.fetchZipAndDecompress)(url)`): the word first or a camelCase part.
 */
const unpackText =
  /\b(?:[eE]xtract|[uU]nzip|[uU]ntar|[uU]npack|[dD]ownload|[dD]ecompress)\w*\)?\s*\(|[a-z\d](?:Extract|Unzip|Untar|Unpack|Download|Decompress)\w*\)?\s*\(/;

const mayPublishThroughImports = (text: string, options: DetectorOptions): boolean =>
  options.crossModule !== false &&
  importText.test(text) &&
  // `unpackText` first: it fails on most texts in about half the time `helperText` takes.
  (writeText.test(text) || (unpackText.test(text) && helperText.test(text)));

/**
 * A dependency's publication is read from its code, so any file that imports a package may call one;
 * given the file, only a package whose import graph calls a rename (the publication lookup's own
 * first question).
 */
const mayCallPublishingDependency = (text: string, options: DetectorOptions, file: string | undefined): boolean => {
  if (options.crossModule === false || options.dependencies !== true) return false;
  const packages = specifiersIn(text).filter(isPackageSpecifier);
  return packages.length > 0 && (file === undefined || mayReachRename(file, packages));
};

/**
 * Does `destination` derive from `source` (`rename(log, log + '.1')`)? Then the rename rotates a file
 * rather than publishing a temp file over its target.
 */
function isDerivedFrom(destination: FileKey | undefined, source: FileKey): boolean {
  return (
    !!destination &&
    !destination.equals(source) &&
    destination.mentions(source) &&
    !movedUnderItsName(destination, source)
  );
}

/**
 * `join(outDir, basename(src))`: the source's name in another folder, which publishes it there (an
 * extracted binary moved into place), not a rotation beside it (`join(dirname(src), …)` is one).
 */
function movedUnderItsName(destination: FileKey, source: FileKey): boolean {
  const t = destination.term;
  if (t.kind !== 'path' || (t.name !== 'join' && t.name !== 'resolve') || t.args.length < 2) return false;
  const [folder, ...names] = t.args;
  const mentionsSource = (part: KeyTerm): boolean => new FileKeyClass(part).mentions(source);
  return (
    !!folder &&
    !mentionsSource(folder) &&
    !isDirnameOf(folder, source) &&
    names.every(
      (name) =>
        !mentionsSource(name) ||
        (name.kind === 'path' && name.name === 'basename' && printTerm(name.args[0] as KeyTerm) === source.id),
    )
  );
}

type Call = ESTree.CallExpression & Rule.NodeParentExtension;

/** Is `node` fs's fsync handed over as a value (also as a default: `options.fsync ?? fsyncSync`)? */
function handsSyncFunction(node: ESTree.Node): boolean {
  switch (node.type) {
    case 'Identifier':
      return isFsSyncFunctionName(node.name);
    case 'MemberExpression':
      return isFsSyncFunctionName(propertyName(node) ?? '');
    case 'LogicalExpression':
      return handsSyncFunction(node.left) || handsSyncFunction(node.right);
    case 'ConditionalExpression':
      return handsSyncFunction(node.consequent) || handsSyncFunction(node.alternate);
    default:
      return false;
  }
}

/** How the findings describe an upload parser's write of a file: not a call the fixes can change. */
const uploadWrite: FsMember = { name: 'upload', kind: 'write', style: 'callback' };

/** The value of property `name` of an object literal (`{ cwd: dir }`), if `object` is one that spells it. */
const propertyOf = (object: ESTree.Node | undefined, name: string): ESTree.Node | undefined =>
  object?.type === 'ObjectExpression'
    ? object.properties.find((p): p is ESTree.Property => p.type === 'Property' && propertyKeyName(p) === name)?.value
    : undefined;

/** `{ fs: { close(fd, cb) {…} } }`: the `close` a stream's options give it. */
function customClose(options: ESTree.Node | undefined): FunctionNode | undefined {
  const close = propertyOf(propertyOf(options, 'fs'), 'close');
  return isFunctionNode(close) ? close : undefined;
}

/**
 * Runs the engine over one file. Returns the listeners to merge into a rule; `onFinding` is called at
 * `Program:exit` once per unsynced rename, in source order. Files that cannot pair a write with a
 * rename (see `FileSystems.canPublish`) get no listeners at all.
 */
export function findUnsyncedRenames(
  context: Rule.RuleContext,
  options: DetectorOptions,
  onFinding: (finding: UnsyncedRename) => void,
  onDirectory?: (finding: UnsyncedDirectoryRename) => void,
): Rule.RuleListener {
  const sourceCode: SourceCode = context.sourceCode;
  const customNames = [...(options.rename ?? [])].map((f) => f.name);
  const crossModule = options.crossModule !== false;
  // `mayPairWriteWithRename`, with the rename test's answer kept: each test reads the whole text.
  const namesRename = mayContainRename(sourceCode.text, customNames);
  if (!namesRename && !mayPublishThroughImports(sourceCode.text, options)) {
    explainSkipped(context.filename, 'names no rename or move, and imports no helper that could publish a write');
    return {};
  }
  passedTextGate.add(sourceCode);

  const flow: FlowGraph = new FlowGraph((fn) => continuations.entersAtCreation(fn));
  const keys = new FileKeys(
    (node) => sourceCode.getScope(node),
    '',
    moduleConstants(
      sourceCode,
      context.physicalFilename,
      crossModule ? parsingOf(context) : undefined,
      options.summaryHops,
    ),
  );
  const fileSystems = new FileSystems(sourceCode, keys);
  const bindings = new Bindings(sourceCode, keys, fileSystems);
  const fileOf = bindings.fileOf.bind(bindings);
  const handleOf = bindings.handleOf.bind(bindings);
  const streamOf = bindings.streamOf.bind(bindings);
  const writes: RecordedWrite[] = [];
  const renames: RecordedRename[] = [];

  const scopeOf = (node: ESTree.Node): Scope.Scope => sourceCode.getScope(node);

  /** Calls of the file's own functions that write, rename or sync (see src/engine/summaries.ts). */
  let summarised = new Map<ESTree.Node, SummarisedCall>();

  /** Events of calls that complete on return: recorded when the call exits, after its arguments ran. */
  const atExit = new Map<ESTree.Node, FlowEvent[]>();

  /** Records `event` when `call` completes. */
  const onCompletion = (call: Call, member: Pick<FsMember, 'style'>, event: FlowEvent): void => {
    const done = completionOf(call, member);
    if (done === 'now') recordAtExit(call, event);
    else if (done) flow.atEntryOf(done, event);
  };

  const recordAtExit = (call: ESTree.Node, event: FlowEvent): void => {
    const list = atExit.get(call);
    if (list) list.push(event);
    else atExit.set(call, [event]);
  };

  /** Once a call's arguments ran: its events kept for then, and what continues after it. */
  const onCallExit = (node: Call | ESTree.NewExpression): void => {
    const events = atExit.get(node);
    // A helper that calls the function it is handed before it renames: that function's returns
    // resume before the rename (`atomicCreate(dest, async (tmp) => write(tmp))`).
    const handedFirst = !!events && !!summarised.get(node)?.handedFirst;
    if (handedFirst && node.type === 'CallExpression') continuations.handsFirst(node);
    if (handedFirst) continuations.onExit(node);
    if (events) for (const event of events) flow.record(event);
    if (!handedFirst) continuations.onExit(node);
  };

  /** `completion`, plus callbacks passed by name and a promise's `resolve` handed over as the callback. */
  const completionOf = (call: Call, member: Pick<FsMember, 'style'>): ReturnType<typeof completion> => {
    const done = completion(call, member);
    if (done !== undefined || member.style === 'promise' || member.style === 'sync') return done;
    const last = call.arguments[call.arguments.length - 1] as ESTree.Node | undefined;
    // A callback handed on to the caller (`next`, `cb`): whatever the caller does next waits for it.
    if (continuations.isResolver(last) || continuations.isHandedOn(last)) return 'now';
    return continuations.namedCallback(last) ?? continuations.wrappedCallback(last);
  };

  /** The value `call` produces, delivered to a callback parameter or a `.then` parameter. */
  const deliverResult = (call: Call, member: FsMember, handle: Handle): void => {
    const done = completionOf(call, member);
    if (done === 'now') bindings.bindResult(call, handle);
    else if (done) {
      const last = call.arguments[call.arguments.length - 1];
      bindings.bindParameter(
        done,
        member.style === 'promise' ? 0 : done === last ? 1 : continuations.resultParameter(done),
        handle,
      );
    }
  };

  /**
   * Records the write events of `call` and returns the keys written. A path that is one of several
   * (`const file = name ? join(dir, name) : filename`) is written under each of them.
   */
  const recordWriteEvents = (
    call: Call,
    file: FileKey,
    member: FsMember,
    name: string,
    path?: ESTree.Node,
    appends = false,
  ): FileKey[] => {
    const alternatives = path ? keys.alternativesOf(path, scopeOf(call)).filter((k) => !k.equals(file)) : [];
    for (const other of alternatives) flow.sameFile(file.id, other.id);
    const written = [file, ...alternatives];
    // The rows of a literal table spell each element (`files.forEach(({ target }) => copy(…, join(dir,
    // target)))`): the files written are theirs, not every file inside the folder.
    const spelled =
      alternatives.length > 0 && alternatives.every((k) => !someTerm(k.term, (t) => t.kind === 'element'));
    for (const key of written) {
      const event = { type: 'write', file: key, node: call, name } as const;
      flow.record(event);
      const inside = spelled ? undefined : eachInside(key, call);
      writes.push({ event, member, ...(inside ? { inside } : {}), ...(appends ? { appends: true as const } : {}) });
    }
    return written;
  };

  /**
   * A write of `join(dir, name)` where the name comes from each element of a collection or each
   * event of a listener (`for (const e of entries) writeFileSync(join(dir, e.name), …)`, `zip.on('entry',
   * (e) => …join(dir, e.fileName))`) writes every file it names inside `dir`, as an extractor does.
   * An element written once (`join(dir, NAMES[platform])`, no loop or callback around the write) is
   * one file of the directory, not each.
   */
  const eachInside = (key: FileKey, call: Call): FileKey | undefined => {
    const t = key.term;
    if (t.kind !== 'path' || t.name !== 'join' || t.args.length < 2) return undefined;
    const [dir, ...names] = t.args;
    if (!dir) return undefined;
    // `join(binary.folder, binary.file)` for each binary: the folder changes with the element too, so
    // each turn writes one file of its own folder, not every file of one.
    const elementsOfDir = new Set<string>();
    someTerm(dir, (n) => {
      if (n.kind === 'element') elementsOfDir.add(printTerm(n));
      return false;
    });
    let repeats: boolean | undefined;
    const first = names.findIndex((name) =>
      someTerm(
        name,
        (n) =>
          (n.kind === 'element' && !elementsOfDir.has(printTerm(n)) && (repeats ??= runsRepeatedly(call))) ||
          (n.kind === 'binding' && continuations.isListenerParameter(n.id, keys)),
      ),
    );
    if (first < 0) return undefined;
    // `join(root, 'customtypes', e.id, 'mocks.json')`: the files are inside `join(root, 'customtypes')`,
    // the part before the first name that changes with the element, not anywhere in `root`.
    const folder = first === 0 ? dir : term.path('join', [dir, ...names.slice(0, first)]);
    return new FileKeyClass(folder, key.deps);
  };

  const recordWrite = (
    call: Call,
    file: FileKey,
    member: FsMember,
    name: string,
    options?: ESTree.Node,
    path?: ESTree.Node,
    appends = false,
  ): void => {
    // Opened for appending by its options (`{ flag: 'a' }`): an append, as `appendFile`'s.
    const written = recordWriteEvents(call, file, member, name, path, appends || hasAppendFlag(options, scopeOf(call)));
    if (!member.flushOption) return;
    onCompletion(call, member, { type: 'settled', write: call });
    // `flush: true` fsyncs before the write settles; a synchronous open flag (`flag: 'rs+'`) at each write.
    if (!writesDurably(options, scopeOf(call))) return;
    for (const key of written) onCompletion(call, member, { type: 'sync', file: key.id });
  };

  /**
   * Some file inside `dir` that `call` wrote (another at each call): `join(dir, <its result>)`. Not
   * `term.path`, which takes a file inside a directory of a made-up name (`join(cache, \`tmp-${random}\`)`)
   * for the directory itself when the name inside is made up too (for a recursive copy's summary).
   */
  const someFileInside = (dir: FileKey, call: Call): FileKey =>
    new FileKeyClass({ kind: 'path', name: 'join', args: [dir.term, callResultKey(call, keys.prefix).term] }, dir.deps);

  /**
   * An archive extractor's call: it writes files inside the directory, none of them known by name.
   * The write is of some file inside it (another at each call), and stands for every file in it.
   */
  const recordWriteInside = (call: Call, member: FsMember, inside: FileKey | undefined): void => {
    if (!inside) return;
    const file = someFileInside(inside, call);
    const name = calledName(call, member);
    const event = { type: 'write', file, node: call, name } as const;
    flow.record(event);
    writes.push({ event, member: member.inside ? member : { ...member, inside: true }, inside });
  };

  /**
   * Each turn of a loop names other files by what changes at each turn: its own element
   * (`for (const name of entries)`, `entries[i]` in a counting loop) and what a call inside it made
   * up. A write in one turn does not reach a rename of the next turn's file.
   */
  const onLoopBody = (body: ESTree.Node): void => {
    const loop = (body as Rule.Node).parent as ESTree.Node;
    const [start, end] = loop.range ?? [0, 0];
    const collection =
      loop.type === 'ForOfStatement' || loop.type === 'ForInStatement'
        ? keys.of(loop.right as ESTree.Node, scopeOf(loop))?.id
        : undefined;
    // A counting loop (`for (let i = 0; …; i++)`, `while`) reads another element at each turn (`entries[i]`).
    const indexed = loop.type === 'ForStatement' || loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement';
    const madeInside = (site: string): boolean => {
      const at = Number(site);
      return Number.isInteger(at) && at >= start && at < end;
    };
    // A binding declared inside the loop (`var name = entries[i]`) takes a new value at each turn.
    const declaredInside = (id: string): boolean => {
      const def = keys.variableById(id)?.defs[0];
      return def?.type === 'Variable' && within(def.name as ESTree.Node, loop);
    };
    flow.record({
      type: 'turn',
      loop,
      fresh: (file) =>
        someTerm(
          file.term,
          (t) =>
            (t.kind === 'result' && madeInside(t.site)) ||
            (t.kind === 'binding' && declaredInside(t.id)) ||
            (t.kind === 'element' && ((collection !== undefined && printTerm(t.collection) === collection) || indexed)),
        ),
    });
  };

  /** Is the binding `id` a parameter or local of `fn` (or of a function inside it)? */
  const declaredIn = (id: string, fn: FunctionNode): boolean => {
    const block = keys.variableById(id)?.scope.block as ESTree.Node | undefined;
    return !!block && within(block, fn);
  };

  /** An upload parser wrote the file `key` names before the function holding it started (see uploads.ts). */
  const uploadsRecorded = new Set<string>();
  const recordUpload = (key: FileKey): void => {
    const upload = uploads?.writeOf(key);
    const id = upload && `${upload.fn.range?.[0]}:${key.id}`;
    if (!upload || !id || uploadsRecorded.has(id)) return;
    uploadsRecorded.add(id);
    const event = { type: 'write', file: key, node: upload.node, name: upload.name } as const;
    flow.atEntryOf(upload.fn, event);
    writes.push({ event, member: uploadWrite });
  };

  const onTrackedCall = (call: Call, info: TrackedFunction): void => {
    const { member } = info;
    const scope = scopeOf(call);
    const summary = summarised.get(call);
    const arg = (i: number | undefined): ESTree.Node | undefined =>
      i === undefined ? undefined : (call.arguments[i] as ESTree.Node | undefined);
    if (member.inside) {
      const directory = summary?.file?.key ?? fileOf(writtenPathNode(call, member, scope), scope);
      recordWriteInside(call, member, directory);
      return;
    }
    switch (member.kind) {
      case 'write': {
        // Or the path option it was given (`tar.c({ file: tmp }, files)`).
        const target = info.pathNode ?? writtenPathNode(call, member, scope);
        const handle = target ? handleOf(target, scope) : undefined;
        if (handle?.syncWrites) return;
        // A helper handed a descriptor or FileHandle writes the file it was opened on; a method
        // writing its object's handle (`w.write(d)` writing `this.fh`) writes the file of `w.fh`.
        const file =
          handle?.file ??
          (summary?.file && bindings.handleOfKey(summary.file.key.id)?.file) ??
          summary?.file?.key ??
          fileOf(target, scope) ??
          (target && !summary ? keys.alternativesOf(target, scope)[0] : undefined);
        // Through a descriptor opened to append (`openSync(log, 'a')`): an append.
        if (file)
          recordWrite(
            call,
            file,
            member,
            calledName(call, member),
            arg(member.options),
            summary ? undefined : target,
            !!handle?.appends,
          );
        // `replaceInFile({ files: [a, b], … })`: each file of the list.
        for (const listed of summary ? [] : listedPathNodes(member, target)) {
          const key = fileOf(listed, scope);
          if (key) recordWrite(call, key, member, calledName(call, member));
        }
        // A copy of a directory wrote every file inside its destination too.
        if (member.tree) recordWriteInside(call, member, file);
        for (const other of summary?.otherFiles ?? []) recordWrite(call, other, member, calledName(call, member));
        for (const folder of summary?.foldersFilled ?? []) recordWriteInside(call, member, folder);
        return;
      }
      case 'rename': {
        const path = arg(member.path);
        const known = summary?.file?.key ?? fileOf(path, scope);
        // `const dist = process.env.DIST || join(__dirname, 'dist')`: the source may be any of the
        // choices it was made from (as a write records them all).
        const choices = summary || !path ? [] : keys.alternativesOf(path, scope);
        const file = known ?? choices[0];
        const fileNode = summary?.file?.node ?? path;
        if (!file || !fileNode) return;
        const destination = summary ? summary.destination : keys.of(arg(member.destination) ?? call, scope);
        if (isDerivedFrom(destination, file)) return;
        if (!summary && startsWithSource(arg(member.destination), file, keys, scope)) return;
        if (!summary && summaries?.movesAside(arg(member.destination), file)) return;
        continuations.mayRunAfterOtherMethods(call, (method) =>
          [file, summary ? undefined : destination].some(
            (key) => !!key && someTerm(key.term, (t) => t.kind === 'binding' && declaredIn(t.id, method)),
          ),
        );
        // A helper that fsyncs before it renames; after the function it was handed returned, when it
        // calls that first (\`await write(tmp); await sync(tmp); await rename(tmp, dest)\`).
        if (summary?.syncsAnything && summary.handedFirst) recordAtExit(call, { type: 'sync', file: anyFile });
        else if (summary?.syncsAnything) flow.record({ type: 'sync', file: anyFile });
        // A `let` reassigned before the rename may name any of its values (`let dir = tmp; if (…) dir = sub`).
        const reassigned = keys.alternativesOf(fileNode, scope, 'reassignments');
        const named = new Map([file, ...(summary?.otherFiles ?? []), ...reassigned, ...choices].map((k) => [k.id, k]));
        for (const key of named.values()) {
          recordUpload(key);
          const event = { type: 'rename', file: key, node: call, name: calledName(call, member) } as const;
          // After its arguments ran: `rename(await stage(d), dest)` renames what `stage` wrote.
          recordAtExit(call, event);
          renames.push({
            event,
            member,
            fileNode,
            ...(summary?.file?.label ? { fileLabel: summary.file.label } : {}),
            ...(summary?.file?.labelAs ? { fileLabelAs: summary.file.labelAs } : {}),
            ...(destination ? { destination } : {}),
          });
        }
        // What the helper also wrote, and left where it wrote it: written when the call returns,
        // after its own rename (a write and a rename in one helper pair up inside it, not here).
        const also = summary?.alsoWrites;
        if (also) {
          const written = also.inside ? someFileInside(also.key, call) : also.key;
          const event = { type: 'write', file: written, node: call, name: member.name } as const;
          recordAtExit(call, event);
          const writer: FsMember = { ...member, kind: 'write', ...(also.inside ? { inside: true } : {}) };
          writes.push({ event, member: writer, ...(also.inside ? { inside: also.key } : {}) });
        }
        return;
      }
      case 'sync': {
        const file = summary?.syncsAnything ? anyFile : fileOf(arg(member.path), scope)?.id;
        if (file) onCompletion(call, member, { type: 'sync', file });
        return;
      }
      case 'open': {
        const file = fileOf(arg(member.path), scope);
        if (file) {
          deliverResult(call, member, {
            file,
            kind: 'descriptor',
            syncWrites: opensForSyncWrites(arg(member.flags), scope),
            flushOnClose: false,
            ...(opensForAppend(arg(member.flags), scope) ? { appends: true as const } : {}),
          });
        }
        return;
      }
      case 'stream': {
        const file = bindings.streamFileOf(call, member, scope);
        if (file) openStream(call, file, member, arg(member.options), arg(member.path));
        return;
      }
      case 'pipeline':
        // `once(ws, 'finish')` settles before a flush stream fsyncs (it does so on close).
        if (member.name === 'once' && getStringIfConstant(call.arguments[1] as never, scope) !== 'close') return;
        onStreamsSettled(call, member, call.arguments as ESTree.Node[]);
        return;
      case 'close':
        return;
    }
  };

  const openStream = (
    call: Call,
    file: FileKey,
    member: FsMember,
    options: ESTree.Node | undefined,
    path?: ESTree.Node,
  ): void => {
    // Opened for synchronous writes (`flags: 'as'`), each write is durable on return: by 'close' too.
    const syncWrites = hasSyncOpenFlag(options, scopeOf(call));
    const flush = syncWrites || hasFlushTrue(options, scopeOf(call));
    // The stream's writes happen later, but all of them before 'finish': record them here (appends when
    // it was opened to append, `flags: 'a'`: a log's stream).
    recordWriteEvents(call, file, member, calledName(call, member), path, hasAppendFlag(options, scopeOf(call)));
    const stream: Handle = { file, kind: 'stream', syncWrites, flushOnClose: flush, opener: call };
    bindings.bindResult(call, stream);
    // A WriteStream closes its descriptor through `options.fs.close`, after the flush's fsync (Node 20.20).
    const close = customClose(options);
    if (close) for (const e of closeEvents(stream)) flow.atEntryOf(close, e);
  };

  /** What happens when a stream closes: it settles, and a flush stream is durable. */
  const closeEvents = (stream: Handle): FlowEvent[] => [
    ...(stream.opener ? [{ type: 'settled', write: stream.opener } as const] : []),
    ...(stream.flushOnClose ? [{ type: 'sync', file: stream.file.id } as const] : []),
  ];

  /** Streams closed by `pipeline(…, ws, cb)`, `await finished(ws)`. */
  const onStreamsSettled = (call: Call, member: Pick<FsMember, 'style'>, streams: readonly ESTree.Node[]): void => {
    const scope = scopeOf(call);
    for (const s of streams) {
      const handle = streamOf(s, scope);
      for (const event of handle ? closeEvents(handle) : []) onCompletion(call, member, event);
    }
  };

  /**
   * `tolerantFsync(fd, options.fsyncSync ?? fsyncSync)`: a call handed fs's fsync (or fdatasync) as a
   * function, with a descriptor or path, syncs that file when it returns (any file, when no argument
   * names one).
   */
  const onSyncHandedOver = (call: Call): void => {
    if (!call.arguments.some((a) => handsSyncFunction(a as ESTree.Node))) return;
    const scope = scopeOf(call);
    const files = call.arguments.flatMap((a) => {
      const file = a.type === 'SpreadElement' ? undefined : fileOf(a as ESTree.Node, scope);
      return file ? [file.id] : [];
    });
    for (const file of files.length > 0 ? files : [anyFile]) recordAtExit(call, { type: 'sync', file });
  };

  /**
   * `spawn(cmd, args, { cwd: dir })`, `await exec(bin, ['--out'], { cwd: work })`: another program runs
   * in `dir` from here on, and may write any file inside it (see the `process` flow event).
   */
  const onProgramRun = (call: Call): void => {
    const name = calleeName(call.callee);
    if (!name || !runsProgramName.test(name)) return;
    const scope = scopeOf(call);
    const folders = call.arguments.flatMap((argument) => {
      const cwd = propertyOf(argument as ESTree.Node, 'cwd');
      const folder = cwd && fileOf(cwd, scope);
      return folder ? [folder] : [];
    });
    if (folders.length > 0) flow.record({ type: 'process', folders, node: call });
  };

  /** Methods called on a descriptor-like value: FileHandle methods, stream events. */
  const onMethodCall = (call: Call, callee: ESTree.MemberExpression): void => {
    const name = propertyName(callee);
    if (!name) return;
    const scope = scopeOf(call);
    const object = callee.object as ESTree.Node;
    if ((name === 'on' || name === 'once' || name === 'addListener') && call.arguments.length >= 2) {
      const stream = streamOf(object, scope);
      const event = getStringIfConstant(call.arguments[0] as never, scope);
      const handler = call.arguments[1] as ESTree.Node;
      // `stream.on('open', (fd) => …)`: the handler gets the stream's descriptor.
      if (stream && event === 'open' && isFunctionNode(handler)) {
        bindings.bindParameter(handler, 0, {
          file: stream.file,
          kind: 'descriptor',
          syncWrites: false,
          flushOnClose: false,
        });
      }
      const closed = stream && event === 'close' ? closeEvents(stream) : [];
      const named = isFunctionNode(handler) ? undefined : continuations.namedCallback(handler);
      for (const e of closed) {
        if (isFunctionNode(handler)) flow.atEntryOf(handler, e);
        else if (named) flow.atEntryOf(named, e);
        else if (continuations.isResolver(handler)) recordAtExit(call, e);
      }
      return;
    }
    if (name === 'close') {
      const stream = streamOf(object, scope);
      const cb = call.arguments[0] as ESTree.Node | undefined;
      if (stream && isFunctionNode(cb)) for (const e of closeEvents(stream)) flow.atEntryOf(cb, e);
      const handle = stream ? undefined : handleOf(object, scope);
      if (handle && bindings.closeSyncs(handle))
        onCompletion(call, { style: 'promise' }, { type: 'sync', file: handle.file.id });
      return;
    }
    const member = fileHandleMembers.get(name);
    if (!member) return;
    const handle = handleOf(object, scope);
    if (!handle || handle.kind !== 'descriptor') return;
    switch (member.kind) {
      case 'write':
        if (!handle.syncWrites)
          recordWrite(call, handle.file, member, name, call.arguments[member.options ?? -1] as ESTree.Node);
        return;
      case 'sync':
        onCompletion(call, member, { type: 'sync', file: handle.file.id });
        return;
      case 'stream': {
        const options = call.arguments[member.options ?? 0] as ESTree.Node | undefined;
        openStream(call, handle.file, { ...member }, options);
        if (hasFlushTrue(options, scope)) bindings.flushesThrough(handle);
        return;
      }
      default:
        return;
    }
  };

  const onPromiseChain = (call: Call): void => {
    const chain = promiseHandlers(call);
    if (!chain) return;
    const previous = promiseHandlers(chain.promise);
    if (!previous) {
      // `serialize(data, writeFile).then(h)`: functions handed to the call may run before its promise
      // settles, so `h` may run after any of them returned (as well as without them).
      const promise = chain.promise.type === 'AwaitExpression' ? undefined : chain.promise;
      if (promise?.type !== 'CallExpression') return;
      const passed = promise.arguments.flatMap((arg) => {
        const fn = isFunctionNode(arg as ESTree.Node)
          ? (arg as ESTree.Node)
          : continuations.namedCallback(arg as ESTree.Node);
        return fn ? [fn] : [];
      });
      if (passed.length === 0) return;
      for (const handler of chain.handlers) if (isFunctionNode(handler)) flow.mayRunAfter(handler, passed);
      return;
    }
    if (previous.handlers.length === 0 || !previous.handlers.every(isFunctionNode)) return;
    for (const handler of chain.handlers) {
      if (isFunctionNode(handler)) flow.runsAfter(handler, previous.handlers);
    }
  };

  const kill = (target: ESTree.Node, scope: Scope.Scope): void => {
    if (target.type === 'Identifier' || target.type === 'MemberExpression') {
      // Keys are built only for the assignments a search from a write meets: most never matter.
      let dep: string | undefined | null = null;
      flow.record({ type: 'kill', dep: () => (dep === null ? (dep = keys.of(target, scope)?.depIds.at(-1)) : dep) });
    } else if (target.type === 'ArrayPattern') {
      for (const element of target.elements) if (element) kill(element, scope);
    } else if (target.type === 'ObjectPattern') {
      for (const property of target.properties)
        kill(property.type === 'RestElement' ? property.argument : property.value, scope);
    } else if (target.type === 'RestElement') {
      kill(target.argument, scope);
    } else if (target.type === 'AssignmentPattern') {
      kill(target.left, scope);
    }
  };

  // ESLint parses the program and analyses its scopes before it creates the rule: what the file can
  // publish is known now. A file that cannot pair a write with a rename gets no listeners at all, so
  // it costs nothing while ESLint walks it.
  fileSystems.trackImports(sourceCode.ast, options);
  const uploads =
    fileSystems.uploadsMade.length > 0 ? new Uploads(sourceCode, keys, fileSystems.uploadsMade) : undefined;
  const imported = crossModule
    ? importedSummaries(context.physicalFilename, parsingOf(context), options.summaryHops)
    : undefined;
  // With typed linting, an object's type says whether it is a file system, however its calls pair up.
  const typed = !!(sourceCode.parserServices as { program?: unknown } | undefined)?.program;
  const injected = namesRename && (typed || mayUseInjectedFs(sourceCode.text));
  // Helpers matter next to a file system call of this file, or as imported helpers named here.
  // Without imported summaries, helpers only pass on what the file's own fs calls do: unless those
  // rename and write, there is nothing to find.
  // The imports first: they are a few names, `helperText` reads the whole text (and `.replace(` is in
  // most texts, where its `(?:[Rr]eplace|…)\w*` backtracks).
  const helpersMatter = imported
    ? fileSystems.tracked.size > 0 ||
      ((!!uploads?.any || importsFileHelpers(sourceCode)) && helperText.test(sourceCode.text))
    : fileSystems.tracked.size > 0 && fileSystems.canPublish;
  const importMayRename = importedRenameReach(context.physicalFilename, options.summaryHops);
  // A file that names no rename (each rename the fs API's table and the summaries know has the word
  // in its name; an injected fs needs one too) and renames nothing through its fs calls can rename
  // only through an imported helper. When no module it imports or requires may rename, by the texts
  // `importMayRename` reads, the summaries would stop at their first question
  // (`Summaries#someImportMayRename`): the call graph is not built to ask it.
  if (
    helpersMatter &&
    imported &&
    importMayRename &&
    !namesRename &&
    !fileSystems.renames &&
    // An export named for no rename: only the module's reach counts.
    ![...importedSources(sourceCode)].some((source) => importMayRename(source, ''))
  ) {
    explainSkipped(context.filename, 'nothing here renames (fs calls or imported helpers handed a file)');
    return {};
  }
  const graph = helpersMatter || injected ? new CallGraph(sourceCode, keys) : undefined;
  let summaries: Summaries | undefined;
  const continuations = new Continuations(sourceCode, flow, graph);
  if (graph) {
    if (injected) fileSystems.trackInjected(graph.calls);
    // Without imported summaries, a summary renames only where one of this file's fs calls does (an
    // injected fs's among them, tracked now): when none does, nothing can publish, as below.
    if (!imported && !fileSystems.renames) {
      explainSkipped(context.filename, 'nothing here both renames and writes (fs calls or summarised helpers)');
      return {};
    }
    summaries = new Summaries(sourceCode, fileSystems, keys, graph, imported, {
      publishingOnly: true,
      importMayRename,
    });
    summaries.compute();
    if (summaries.nothingRenames) {
      explainSkipped(context.filename, 'nothing here renames (fs calls or imported helpers handed a file)');
      return {};
    }
    summarised = summaries.calls();
    if (explaining()) {
      const from = context.physicalFilename;
      explainSummaries(context.filename, summarised, graph, summaries, imported, (s) => resolveModule(s, from), keys);
    }
    for (const { key, handle } of summaries.handlesFromCalls()) bindings.bindKey(key, handle);
    for (const [call, { info }] of summarised) fileSystems.tracked.set(call, info);
  }
  if (!fileSystems.canPublish) {
    explainSkipped(context.filename, 'nothing here both renames and writes (fs calls or summarised helpers)');
    return {};
  }

  const machines = stateMachineListeners(flow);
  return {
    ...flow.listeners(),
    ...machines,
    CallExpression: (node: ESTree.CallExpression) => {
      const call = node as Call;
      onPromiseChain(call);
      continuations.onCall(call);
      const info = fileSystems.infoOf(call);
      if (info) onTrackedCall(call, info);
      else {
        onSyncHandedOver(call);
        onProgramRun(call);
        if (call.callee.type === 'MemberExpression') onMethodCall(call, call.callee);
      }
    },
    NewExpression: (node: ESTree.NewExpression) => {
      continuations.onNew(node);
      const info = fileSystems.tracked.get(node);
      if (info) onTrackedCall(node as unknown as Call, info);
    },
    'CallExpression:exit': onCallExit,
    'NewExpression:exit': onCallExit,
    // State machines listen to returns too: both run.
    'ReturnStatement:exit': (node: ESTree.ReturnStatement) => {
      for (const fn of continuations.returnedDeclarations(node)) flow.record({ type: 'function', fn });
      machines['ReturnStatement:exit']?.(node as never);
    },
    AssignmentExpression: (node: ESTree.AssignmentExpression) => {
      // `tmp = _a.sent()` of a compiled `tmp = await stage(d)`: the binding took its value before
      // the awaited call ran (in the case before this one), as `tmp = await …` does.
      if (yieldedValue(unwrap(node.right))) return;
      kill(node.left, scopeOf(node));
    },
    UpdateExpression: (node: ESTree.UpdateExpression) => kill(node.argument, scopeOf(node)),
    'TryStatement > BlockStatement.block': (node: ESTree.Node) => {
      const parent = (node as Rule.Node).parent as ESTree.TryStatement;
      const handler = parent.handler ?? parent.finalizer;
      if (handler) flow.enterThrowRegion(handler, !!parent.handler);
    },
    'TryStatement > BlockStatement.block:exit': (node: ESTree.Node) => {
      const parent = (node as Rule.Node).parent as ESTree.TryStatement;
      const handler = parent.handler ?? parent.finalizer;
      if (handler) flow.exitThrowRegion(handler);
    },
    'CatchClause > BlockStatement.body': (node: ESTree.Node) => {
      const tryStatement = ((node as Rule.Node).parent as Rule.Node).parent as ESTree.TryStatement;
      if (tryStatement.finalizer) flow.enterThrowRegion(tryStatement.finalizer, false);
    },
    'CatchClause > BlockStatement.body:exit': (node: ESTree.Node) => {
      const tryStatement = ((node as Rule.Node).parent as Rule.Node).parent as ESTree.TryStatement;
      if (tryStatement.finalizer) flow.exitThrowRegion(tryStatement.finalizer);
    },
    ':matches(ForStatement, ForInStatement, ForOfStatement, WhileStatement, DoWhileStatement) > BlockStatement.body':
      onLoopBody,
    'Program:exit': () => {
      reportFindings({ sourceCode, writes, renames, flow, summarised, fileSystems, keys }, onFinding, onDirectory);
      if (explaining()) explainFlow(context.filename, flow, writes, renames, keys);
    },
  };
}

/** A member's name as the call spells it: a module called as a function (`default`) by its binding (`writeFile(…)`). */
function calledName(call: Call, member: FsMember): string {
  return member.name === 'default' ? (calleeName(call.callee) ?? member.name) : member.name;
}
