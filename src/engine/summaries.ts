/**
 * Function summaries, so that a write, a rename or an fsync any number of calls away is seen at the
 * call site. A summary says, in terms of the function's parameters and its `this`:
 *
 * - which file it writes (`writeJson(file, v)`, `writeTemp() { write(this.tmp) }`),
 * - which file it renames and where to (`renameTmp(src, dst)`, `commit() { rename(TMP, FILE) }`),
 * - whether it syncs anything (then it counts as a sync of any file: a missed report beats a false one),
 * - which path it returns (`getTempFile(file)`: two calls with equal arguments name the same file).
 *
 * Summaries are computed to a fixpoint over the file's call graph, so a helper calling a helper is
 * summarised like one calling fs directly. They are plain data (keys with parameter placeholders),
 * which is what module summaries store for other files.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import { findVariable } from '@eslint-community/eslint-utils';
import type * as ESTree from 'estree';
import { fileHandleMembers, type FsMember, type FsStyle, type TrackedFunction } from '../fs-api.js';
import {
  callResultKey,
  calleeName,
  compiledTemplate,
  fieldOf,
  propertyName,
  thenValue,
  valuesAdded,
  type FileKeys,
  type KeyEnvironment,
} from './file-key.js';
import {
  argumentCount,
  elementField,
  FileKey,
  instantiate,
  instantiateAll,
  isDirnameOf,
  isInside,
  parameterOf,
  rebind,
  rootOf,
  slotsOf,
  term,
  withBindings,
  type ArgumentShape,
  type KeyTerm,
  type PathTemplate,
  restSlot,
  someTerm,
  textParts,
  type Slot,
} from './key.js';
import {
  descendants,
  isFunctionExpression,
  isFunctionNode,
  parentOf,
  returnValues,
  runsBefore,
  within,
  type FunctionNode,
} from '../ast.js';
import {
  writtenPathNode,
  hasAppendFlag,
  hasFlushTrue,
  holderOf,
  unwrap,
  writesDurably,
  type Handle,
} from './bindings.js';
import {
  fileHelperName,
  isInstanceMethod,
  promisifiedFunction,
  type CallGraph,
  type Callee,
  type Made,
} from './call-graph.js';
import type { FileSystems } from './file-systems.js';
import { promiseResolver } from './completion.js';
import { isIterationCallback, runsRepeatedly } from './continuations.js';
import { initialiserOf, variableOf } from './scope.js';

/** What calling a function does to files. Plain data: module summaries keep these across files. */
export interface FunctionSummary {
  /** How the caller learns it finished (`callback`: through its last argument). */
  readonly style: Exclude<FsStyle, 'universal'>;
  readonly write?: PathTemplate;
  /**
   * `write` is a directory whose files it writes: `only` those (an archive extractor), or `also`
   * (a copy, of a file or of a directory).
   */
  readonly writeInside?: 'only' | 'also';
  /**
   * `write` is where it published a temp it wrote, unsynced (`download(url, dest)` writing
   * `dest + '.part'` and renaming it to `dest`): weaker than a write of its own when a caller chooses.
   */
  readonly writeOnward?: true;
  /** The write passes this parameter as its options: it is durable when the caller's says `flush: true`. */
  readonly writeFlushedBy?: number;
  /** Every write it does appends (`appendFileSync(log, line)`): see `FsMember.appends`. */
  readonly writeAppends?: true;
  /**
   * The other files it writes whole, unsynced, when it renames nothing (\`writeBoth(a, b)\`, a stage
   * writing a temp and its metadata): a caller may rename any of them.
   */
  readonly writesAlso?: readonly PathTemplate[];
  /**
   * Its other unsynced writes, when it renames nothing, for a call at which `write` names nothing:
   * `download({ cwd })` extracting into `opts.tmp` (a field the call leaves out, so the default
   * folder) and copying the tree into `opts.cwd`.
   */
  readonly writesInstead?: ReadonlyArray<{ readonly file: PathTemplate; readonly inside?: 'only' | 'also' }>;
  readonly rename?: { readonly from: PathTemplate; readonly to?: PathTemplate };
  /** Fsyncs some file (or writes with `flush: true`): counts as a sync of any file. */
  readonly syncs: boolean;
  /**
   * The path it returns, built from its parameters only, or `§call§` when it returns a file (or an
   * object or array holding one) of its own making: then each call returns another.
   */
  readonly returns?: PathTemplate;
  /** Fields of the returned object or array that name files (`.path`, `.0`), by their accessor. */
  readonly returnsFields?: Readonly<Record<string, PathTemplate>>;
  /** Fields of the returned value holding a descriptor or FileHandle, with the file it was opened on. */
  readonly returnsHandles?: Readonly<Record<string, PathTemplate>>;
  /**
   * Fields of `this` it sets to a descriptor or FileHandle, with the file each was opened on: a
   * method `open(p) { this.fh = await open(p, 'w') }` whose sibling `write(d)` writes `this.fh`.
   */
  readonly handleFields?: Readonly<Record<string, PathTemplate>>;
  /**
   * The paths it calls a function parameter with (`write(tmp)` of `writeAtomic(dest, write)`), by
   * `parameter:argument` (`'1:0'`), the same at each of its calls of it.
   */
  readonly hands?: Readonly<Record<string, PathTemplate>>;
  /** The parameters it calls as functions before its rename: what they do comes first. */
  readonly handsFirst?: readonly number[];
  /**
   * What the function it returns does when it runs, in terms of this function's parameters: a handler
   * factory (`stream.once('close', handleClose(this))`), whose handler renames `writeStream.tmp`.
   */
  readonly handler?: HandlerSummary;
}

/** Does `key` name a file of `files` (see `#filesInUse`: a key with bindings, by any of them)? */
const inUse = (key: FileKey | undefined, files: ReadonlySet<string>): boolean =>
  !!key && (key.deps.length === 0 ? files.has(key.id) : key.depIds.some((dep) => files.has(dep)));

/** The key of `FunctionSummary.hands`: the function parameter called, and the argument of that call. */
const handedKey = (parameter: number, argument: number): string => `${parameter}:${argument}`;

/** The parameter and argument a `handedKey` stands for. */
const handedKeyParts = (key: string): [parameter: number, argument: number] =>
  key.split(':').map(Number) as [number, number];

/** `null`, `undefined`, `void 0`: a value that is no path. */
const namesNothing = (node: ESTree.Node): boolean =>
  (node.type === 'Literal' && node.value === null && !('regex' in node)) ||
  (node.type === 'Identifier' && node.name === 'undefined') ||
  (node.type === 'UnaryExpression' && node.operator === 'void');

/**
 * The nearest directory every key is inside, spelled out from the first one's `join`s (`dir` of
 * `join(dir, name)` and `` `${join(dir, name)}.exe` ``); none when a key is unknown or made up by a call.
 */
function commonDirectory(keys: ReadonlyArray<FileKey | undefined>): FileKey | undefined {
  const [first] = keys;
  if (!first || keys.some((key) => !key || someTerm(key.term, (t) => t.kind === 'slot' && t.slot === 'call')))
    return undefined;
  for (let t: KeyTerm | undefined = textParts(first.term)[0]; t?.kind === 'path' && t.name === 'join';) {
    const directory = t.args[0];
    if (!directory) return undefined;
    const candidate = new FileKey(directory);
    if (keys.every((key) => key && isInside(key, candidate))) return candidate;
    t = directory;
  }
  return undefined;
}

/**
 * The folder a function returns on some paths when it returns a path inside that folder on the others
 * (`resolveArchivePackageRoot(dir)`: `dir`, or `join(dir, entries[0].name)` when the archive had one root
 * folder): that folder, what a caller renames being the folder or a part of it all the same.
 */
function folderOrInside(keys: ReadonlyArray<FileKey | undefined>): FileKey | undefined {
  if (keys.some((key) => !key)) return undefined;
  const defined = keys as readonly FileKey[];
  return defined.find(
    (folder) =>
      parameterOf(folder) !== undefined && defined.every((key) => key.equals(folder) || isInside(key, folder)),
  );
}

/** The values an expression may have, a choice's branches each (`n === 1 ? join(dir, name) : dir`). */
function branchesOf(value: ESTree.Node): ESTree.Node[] {
  const n = value.type === 'AwaitExpression' ? value.argument : value;
  return n.type === 'ConditionalExpression' ? [...branchesOf(n.consequent), ...branchesOf(n.alternate)] : [value];
}

/** The summary of a returned handler: what it writes, renames or syncs. */
export type HandlerSummary = Omit<
  FunctionSummary,
  'returns' | 'returnsFields' | 'returnsHandles' | 'handleFields' | 'handler' | 'hands' | 'handsFirst'
>;

/** What one call of a summarised function does, for the detector. */
export interface SummarisedCall {
  /** The callee as an fs-like member (`kind` is its rename, or else its write, or else its sync). */
  readonly info: TrackedFunction;
  readonly file?: {
    readonly key: FileKey;
    readonly node: ESTree.Node;
    readonly label?: ESTree.Node;
    /**
     * How the label stands for the renamed file: a folder the callee renames a file `inside`
     * (`renameFiles(projectDir)`), or what it names the file `from` (`commit(file)` renaming `file + '.part'`).
     */
    readonly labelAs?: LabelAs;
  };
  readonly destination?: FileKey;
  /** The callee syncs before anything else it does. */
  readonly syncsAnything: boolean;
  /** The call inside a local callee that does its rename (reported there instead, when it is). */
  readonly renamedBy?: ESTree.Node;
  /** The callee calls a function this call hands it before it renames (see `FunctionSummary.handsFirst`). */
  readonly handedFirst?: true;
  /** Other files it may rename (or write), when the paths come in array or object literals (`[{ tempPath }, …]`). */
  readonly otherFiles?: readonly FileKey[];
  /**
   * Folders it also fills, unsynced, besides the file it writes (`fetchAndExtract(url)` downloading
   * `archive.zip` and extracting it into `template/`): every file inside each is written.
   */
  readonly foldersFilled?: readonly FileKey[];
  /**
   * A callee that renames and also writes, unsynced (`extract(archive, dir)` in one branch, a rename in
   * another): what it leaves written when it returns (`inside`: every file inside that directory).
   */
  readonly alsoWrites?: { readonly key: FileKey; readonly inside: boolean };
}

/** The file key that stands for "any file" in a sync event. */
export const anyFile = '*';

/** Looks up the summary of an export of another module (`=` is the module value itself). */
export type ImportedSummary = (source: string, name: string, purpose?: 'builder') => FunctionSummary | undefined;

type Call = ESTree.CallExpression | ESTree.NewExpression;

/**
 * Signs of durability in a function's text: fsync/fdatasync by any route, FileHandle `sync()` /
 * `datasync()` (no arguments: `renameOverwrite.sync(a, b)` is not one), `flush: true`, `O_SYNC`.
 */
const durabilityText = /\bf(?:data)?sync(?:Sync)?\s*\(|\.(?:data)?sync\s*\(\s*\)|\bflush\s*:\s*true|\bO_D?SYNC\b/;

const builderName = /te?mp|path|file|name|dest|target/i;

/** Signs that a function's value differs from call to call: randomness, a clock, a counter, a fresh temp. */
const differsPerCall =
  /random|uuid|nanoid|cuid|Date\.now|new Date|hrtime|performance\.now|\+\+|--|\+=|mkdtemp|tmpName|tempy|unique/i;

/**
 * What a local function hands its callback as the value, in terms of its parameters: a path, or an
 * object of its own (`§call§`) whose fields name files (`cb(null, { path: tmp })`).
 */
interface Delivered {
  readonly template: PathTemplate;
  readonly fields?: ReadonlyMap<string, PathTemplate>;
}

/** Rounds of the fixpoint: each lets a summary travel one more call up. */
const MAX_ROUNDS = 8;
/** How many other whole writes a summary keeps (`FunctionSummary.writesAlso`). */
const MAX_WRITES_ALSO = 8;

const sameSummary = (a: FunctionSummary | undefined, b: FunctionSummary | undefined): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

interface Effect {
  readonly kind: 'write' | 'rename' | 'sync';
  readonly file?: FileKey;
  readonly destination?: FileKey;
  /** The expression naming the file, when it is one (for messages). */
  readonly node?: ESTree.Node;
  /** A write whose options are this parameter of the summarised function. */
  readonly flushedBy?: number;
  /** A write of files inside `file`: see `FunctionSummary.writeInside`. */
  readonly inside?: 'only' | 'also';
  /** See `FunctionSummary.writeOnward`. */
  readonly onward?: true;
  /** See `FsMember.appends`. */
  readonly appends?: true;
}

export class Summaries {
  readonly #sourceCode: SourceCode;
  readonly #fileSystems: FileSystems;
  readonly #keys: FileKeys;
  readonly #graph: CallGraph;
  readonly #imported: ImportedSummary | undefined;
  readonly #summaries = new Map<FunctionNode, FunctionSummary>();
  /** Where a local summary's files are named, for messages. */
  readonly #nodes = new Map<FunctionNode, { write?: ESTree.Node; rename?: ESTree.Node; renameCall?: Call }>();
  readonly #returns = new Map<FunctionNode, PathTemplate | undefined>();
  /** What each function hands its callback as the value (`cb(err, tmp)`, `cb(null, { path: tmp })`). */
  readonly #delivered = new Map<FunctionNode, Delivered | undefined>();
  readonly #handed = new Map<FunctionNode, Map<string, PathTemplate | undefined>>();
  /** The files and handles in what a function returns, by accessor (see `FunctionSummary.returnsFields`). */
  readonly #returnedParts = new Map<FunctionNode, Pick<FunctionSummary, 'returnsFields' | 'returnsHandles'>>();
  readonly #owners = new Map<ESTree.Node, FunctionNode | undefined>();
  readonly #durableText = new Map<FunctionNode, boolean>();
  readonly #constructorFields = new Map<FunctionNode, Map<string, PathTemplate>>();
  readonly #handleFieldsOfClass = new Map<ESTree.Node, Set<string>>();
  #callsByOwner: Map<FunctionNode, Call[]> | undefined;
  /** Calls of other modules' exports whose summaries are looked up. */
  readonly #importedCalls = new Set<Call>();
  readonly #relevantImportsOnly: boolean;
  readonly #publishingOnly: boolean;
  /** False when an import's summary could not rename (read off module texts, see `importedRenameReach`). */
  readonly #importMayRename: ((source: string, name: string) => boolean) | undefined;

  /**
   * Other modules are looked up only for calls passing a file that this file's own fs calls or
   * helpers touch, or named like file helpers; `relevantImportsOnly: false` looks up every one.
   * `publishingOnly`: the summaries matter only if something renames (a linted file's, not a module's,
   * whose writes its importers may pair with their renames): `compute` stops early when nothing can,
   * before any summary when `importMayRename` says no imported function it calls may rename, and
   * does not read an imported helper's module when it says that one cannot.
   */
  constructor(
    sourceCode: SourceCode,
    fileSystems: FileSystems,
    keys: FileKeys,
    graph: CallGraph,
    imported?: ImportedSummary,
    {
      relevantImportsOnly = true,
      publishingOnly = false,
      importMayRename,
    }: {
      relevantImportsOnly?: boolean;
      publishingOnly?: boolean;
      importMayRename?: (source: string, name: string) => boolean;
    } = {},
  ) {
    this.#relevantImportsOnly = relevantImportsOnly;
    this.#publishingOnly = publishingOnly;
    this.#importMayRename = importMayRename;
    this.#sourceCode = sourceCode;
    this.#fileSystems = fileSystems;
    this.#keys = keys;
    this.#graph = graph;
    this.#imported = imported;
    keys.pathCall = (call, value) =>
      value === 'delivered'
        ? this.#deliveredCall(call)
        : value === 'returned'
          ? this.#pathCall(call)
          : call.type === 'CallExpression'
            ? this.#handedCall(call, value.callback, value.parameter)
            : undefined;
  }

  /** Computes every summary to a fixpoint. */
  compute(): void {
    // Nothing renames here, and no imported function this file calls may (by its modules' texts).
    if (this.#publishingOnly && this.#imported && !this.#fileSystems.renames && !this.#someImportMayRename()) {
      this.#nothingRenames = true;
      return;
    }
    const dirty = new Set<FunctionNode>();
    for (const call of this.#graph.calls) {
      const owner = this.#fileSystems.infoOf(call) || isHandleMethodCall(call) ? this.ownerOf(call) : undefined;
      if (owner) dirty.add(owner);
    }
    this.#iterate(dirty);
    if (!this.#imported) return;
    // Other modules are read only for calls that pass a file this one writes, renames or syncs.
    // A looked-up call's value is then known (`const d = createDispatcher(o)` names `ret@…`, no longer
    // `d`), so the files in use are spelled anew: a second pass meets the calls that pass them that way
    // (`ensureDir(join(d.tmpdir, name))` beside a rename of it).
    let files = this.#filesInUse();
    for (let pass = 0; pass < 2; pass++) {
      let added = false;
      for (const call of this.#graph.calls) {
        if (this.#importedCalls.has(call)) continue;
        // A call without arguments names no file; a constructor is looked up only when it is passed one.
        const imported = this.#importedCallee(call);
        if (!imported) continue;
        // The name first: it is a regular expression over the callee's text, the file test computes keys.
        const callee = this.#sourceCode.getText(call.callee);
        // An adapter's open or fsync is the project's own module (a package's `open(url)` opens a browser).
        const adapterCall = adapterByName.test(callee) && /^\.{1,2}\//.test(imported.source);
        if (
          files &&
          (call.type === 'NewExpression' || (!fileHelperName.test(callee) && !adapterCall)) &&
          (files.size === 0 || (!this.#passesFileIn(call, files) && !this.#givesFileIn(call, files)))
        )
          continue;
        this.#importedCalls.add(call);
        added = true;
        const owner = this.ownerOf(call);
        if (owner) dirty.add(owner);
      }
      if (!files || !added) break;
      files = new Set([...files, ...(this.#filesInUse() ?? [])]);
    }
    // Methods called without arguments on an object already in play (`w.write(chunk)`, then `w.fsync()`).
    for (const call of this.#methodsOfObjectsInPlay()) {
      this.#importedCalls.add(call);
      const owner = this.ownerOf(call);
      if (owner) dirty.add(owner);
    }
    // Summaries only pass on what fs calls and imported helpers do: when neither renames, nothing can.
    if (
      this.#publishingOnly &&
      !this.#fileSystems.renames &&
      ![...this.#importedCalls].some((call) => this.#importedRenames(call))
    ) {
      this.#nothingRenames = true;
      return;
    }
    // Looked-up calls may open handle fields (an adapter's `open`): what the first pass saw is stale.
    if ([...this.#importedCalls].some((call) => adapterByName.test(calleeName(call.callee) ?? '')))
      this.#handleFieldsOfClass.clear();
    this.#iterate(dirty);
  }

  #nothingRenames = false;

  /**
   * Nothing this file calls renames a file: neither its own fs calls nor the imported helpers it hands
   * a file to. It can publish nothing (known once `compute` ran).
   */
  get nothingRenames(): boolean {
    return this.#nothingRenames;
  }

  /** May an imported function this file calls with arguments rename a file (by `importMayRename`)? */
  #someImportMayRename(): boolean {
    const mayRename = this.#importMayRename;
    if (!mayRename) return true;
    return this.#graph.calls.some((call) => {
      const callee = this.#importedCallee(call);
      return !!callee && mayRename(callee.source, callee.name);
    });
  }

  /**
   * The other module's export `call` calls, when it is one whose summary may matter: a call with
   * arguments (none names no file), not of the fs API itself.
   */
  #importedCallee(call: Call): Extract<Callee, { kind: 'import' }> | undefined {
    if (call.arguments.length === 0 || !this.#graph.mayCallImport(call) || this.#fileSystems.infoOf(call))
      return undefined;
    const callee = this.#graph.calleeOf(call);
    return callee?.kind === 'import' ? callee : undefined;
  }

  /**
   * Calls of another module's instance methods on an object already in play: one made by a looked-up
   * `new` (`new Manifest({ file })`, then `manifest.update(line)`), or the receiver of another looked-up
   * call (`w.write(chunk)`, then `w.fsync()`): what one method writes, another may write or sync.
   */
  #methodsOfObjectsInPlay(): Call[] {
    const receivers = new Set<string>();
    for (const call of this.#importedCalls) {
      const receiver = call.type === 'NewExpression' ? call : this.#graph.calleeOf(call)?.receiver;
      const key = receiver && this.#keys.of(receiver, this.#sourceCode.getScope(call));
      if (key) receivers.add(key.id);
    }
    if (receivers.size === 0) return [];
    return this.#graph.calls.filter((call) => {
      if (this.#importedCalls.has(call) || !this.#graph.mayCallImport(call) || this.#fileSystems.infoOf(call))
        return false;
      const callee = this.#graph.calleeOf(call);
      const key =
        callee?.kind === 'import' && callee.receiver
          ? this.#keys.of(callee.receiver, this.#sourceCode.getScope(call))
          : undefined;
      return !!key && receivers.has(key.id);
    });
  }

  /** Does the imported helper `call` runs rename a file (itself, or in the handler it returns)? */
  #importedRenames(call: Call): boolean {
    const callee = this.#graph.calleeOf(call);
    if (callee?.kind !== 'import' || this.#importMayRename?.(callee.source, callee.name) === false) return false;
    const summary = this.#imported?.(callee.source, callee.name);
    return !!(summary?.rename || summary?.handler?.rename);
  }

  /** Bindings and constant paths of the files the fs calls and local helpers of this file act on. */
  #filesInUse(): Set<string> | undefined {
    if (!this.#relevantImportsOnly) return undefined;
    const files = new Set<string>();
    const add = (key: FileKey | undefined): void => {
      if (!key) return;
      if (key.deps.length === 0) {
        files.add(key.id);
        // A helper handed one of its folders may write it (`render({ to: dir })`, then a rename of
        // `join(dir, 'index.tmp')`); a key with bindings is matched by them already.
        for (let t = key.term; t.kind === 'path' && t.name === 'join' && t.args.length > 1;) {
          t = t.args.length === 2 ? t.args[0]! : term.path('join', t.args.slice(0, -1));
          files.add(new FileKey(t).id);
        }
      }
      for (const dep of key.depIds) files.add(dep);
    };
    const addArguments = (call: Call): void => {
      const scope = this.#sourceCode.getScope(call);
      for (const arg of call.arguments) if (arg.type !== 'SpreadElement') add(this.#keys.of(arg as ESTree.Node, scope));
    };
    for (const call of this.#graph.calls) {
      const info = this.#fileSystems.infoOf(call);
      if (info?.member.path !== undefined) {
        const arg = call.arguments[info.member.path] as ESTree.Node | undefined;
        if (arg && arg.type !== 'SpreadElement') add(this.#keys.of(arg, this.#sourceCode.getScope(call)));
      } else if (
        // Both the write and the rename may be helpers of other modules (`writeJson(tmp); moveFile(tmp, dest)`).
        !info &&
        this.#graph.mayCallImport(call) &&
        fileHelperName.test(this.#sourceCode.getText(call.callee)) &&
        this.#graph.calleeOf(call)?.kind === 'import'
      ) {
        addArguments(call);
      }
    }
    for (const fn of this.#summaries.keys()) for (const call of this.#graph.sitesOf(fn)) addArguments(call);
    return files;
  }

  #passesFileIn(call: Call, files: ReadonlySet<string>): boolean {
    const scope = this.#sourceCode.getScope(call);
    return (call.arguments as ESTree.Node[]).some((arg) =>
      // An options object or array spelled out at the call (`new Manifest({ nextManifestPath })`): its parts.
      arg.type === 'ObjectExpression' || arg.type === 'ArrayExpression'
        ? shapeKeys(this.#keys.shapeOf(arg, scope)).some((key) => inUse(key, files))
        : inUse(arg.type === 'SpreadElement' ? undefined : this.#keys.of(arg, scope), files),
    );
  }

  /**
   * Does the call's value become a file in use (`const tmp = await stage(data)`, `const [tmp, dest] =
   * prepare(file)`, then a rename of `tmp`)? Its callee may have made and written that file.
   */
  #givesFileIn(call: Call, files: ReadonlySet<string>): boolean {
    let value: ESTree.Node = call;
    let parent = (call as Rule.Node).parent as ESTree.Node | null;
    while (parent?.type === 'AwaitExpression' || parent?.type === 'ChainExpression') {
      value = parent;
      parent = (parent as Rule.Node).parent as ESTree.Node | null;
    }
    const declared = [
      ...(parent?.type === 'VariableDeclarator' && parent.init === value
        ? this.#sourceCode.getDeclaredVariables(parent)
        : []),
      // A function it is handed, whose parameter is a file in use (\`writeAtomic(dest, (tmp) => writeFile(tmp, d))\`).
      ...(call.arguments as ESTree.Node[]).flatMap((arg) =>
        isFunctionExpression(arg)
          ? this.#sourceCode.getDeclaredVariables(arg).filter((v) => v.defs[0]?.type === 'Parameter')
          : [],
      ),
    ];
    return declared.some((variable) => {
      const id = variable.identifiers[0];
      return inUse(id && this.#keys.of(id, this.#sourceCode.getScope(id)), files);
    });
  }

  #iterate(start: ReadonlySet<FunctionNode>): void {
    let dirty = new Set(start);
    for (let round = 0; round < MAX_ROUNDS && dirty.size > 0; round++) {
      const next = new Set<FunctionNode>();
      for (const fn of dirty) {
        const summary = this.#summarise(fn);
        if (sameSummary(summary, this.#summaries.get(fn))) continue;
        if (summary) this.#summaries.set(fn, summary);
        else this.#summaries.delete(fn);
        for (const site of this.#graph.sitesOf(fn)) {
          const owner = this.ownerOf(site);
          if (owner) next.add(owner);
        }
        const factory = this.#factoryOf(fn);
        if (factory) next.add(factory);
      }
      dirty = next;
    }
  }

  summaryOf(fn: FunctionNode): FunctionSummary | undefined {
    return this.#summaries.get(fn) ?? this.#returnsOnly(fn);
  }

  /** Calls of summarised functions, as the detector sees them. */
  calls(): Map<Call, SummarisedCall> {
    const out = new Map<Call, SummarisedCall>();
    const consider = (call: Call): void => {
      if (out.has(call) || this.#fileSystems.infoOf(call)) return;
      const found = this.#summaryOfCall(call);
      const site = found && this.#siteOf(call, found.callee, found.summary, found.name);
      if (site) out.set(call, site);
    };
    for (const fn of this.#summaries.keys()) for (const call of this.#graph.sitesOf(fn)) consider(call);
    for (const call of this.#importedCalls) consider(call);
    return out;
  }

  /**
   * The function whose call runs `node`: the nearest function, or the one around it when that is a
   * callback or an IIFE (its parameters are still the outer function's business).
   */
  ownerOf(node: ESTree.Node): FunctionNode | undefined {
    // Climbs callbacks with a loop: nesting depth must not grow the call stack.
    const climbed: FunctionNode[] = [];
    let owner: FunctionNode | undefined;
    for (let n: ESTree.Node | null | undefined = (node as Rule.Node).parent; ;) {
      while (n && !isFunctionNode(n)) n = (n as Rule.Node).parent;
      if (!n) break;
      if (this.#owners.has(n)) {
        owner = this.#owners.get(n);
        break;
      }
      climbed.push(n);
      const parent: ESTree.Node | null | undefined = (n as Rule.Node).parent;
      const isCallback =
        isFunctionExpression(n) &&
        (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
        (parent.arguments.includes(n as never) || parent.callee === n) &&
        promisifiedFunction(parent) !== n;
      if (!isCallback) {
        owner = n;
        break;
      }
      n = parent;
    }
    for (const fn of climbed) this.#owners.set(fn, owner);
    return owner;
  }

  #summaryOfCall(call: Call): { summary: FunctionSummary; callee: Callee; name: string } | undefined {
    const callee = this.#graph.calleeOf(call);
    if (!callee) return undefined;
    if (callee.kind === 'local') {
      const summary = this.#summaries.get(callee.fn);
      return summary && { summary: asCalled(call, summary), callee, name: nameOf(callee.fn) ?? calleeText(call) };
    }
    const summary = this.#importedCalls.has(call) ? this.#imported?.(callee.source, callee.name) : undefined;
    return (
      summary && {
        summary: asCalled(call, summary),
        callee,
        // An instance method by its own name (`registry.fetch()`, not `Registry.prototype.fetch()`).
        name:
          callee.name === '=' || callee.name === 'default'
            ? calleeText(call)
            : isInstanceMethod(callee.name)
              ? callee.name.slice(callee.name.lastIndexOf('.') + 1)
              : callee.name,
      }
    );
  }

  /** Argument keys and the receiver key of a call, as a summary's parameters see them. */
  #argumentsOf(
    call: Call,
    callee: Callee,
    env: KeyEnvironment | undefined,
  ): {
    args: Array<FileKey | undefined>;
    argumentCount: number | undefined;
    receiver?: FileKey;
    closure: ReadonlyMap<string, FileKey>;
  } {
    const scope = this.#sourceCode.getScope(call);
    const passed = (call.arguments as ESTree.Node[]).slice(callee.argOffset);
    const args = passed.map((arg) => (arg.type === 'SpreadElement' ? undefined : this.#keys.of(arg, scope, env)));
    const receiverNode = callee.receiver;
    const receiver = receiverNode ? this.#keys.of(receiverNode, scope, env) : undefined;
    const closure = callee.kind === 'local' && callee.madeBy ? this.#closureOf(callee.madeBy, env) : new Map();
    const count = argumentCount(passed);
    return { args, argumentCount: count, closure, ...(receiver ? { receiver } : {}) };
  }

  /** The keys the parameters of a factory had at the call that made an object of methods. */
  #closureOf({ factory, call }: Made, env: KeyEnvironment | undefined): Map<string, FileKey> {
    const closure = new Map<string, FileKey>();
    const scope = this.#sourceCode.getScope(call);
    for (const variable of this.#sourceCode.getDeclaredVariables(factory)) {
      const def = variable.defs[0];
      const index = def?.type === 'Parameter' ? factory.params.indexOf(def.name as ESTree.Pattern) : -1;
      const arg = index >= 0 ? (call.arguments[index] as ESTree.Node | undefined) : undefined;
      const key = arg && arg.type !== 'SpreadElement' ? this.#keys.of(arg, scope, env) : undefined;
      if (key) closure.set(this.#keys.idOf(variable), key);
    }
    return closure;
  }

  #siteOf(call: Call, callee: Callee, summary: FunctionSummary, name: string): SummarisedCall | undefined {
    const { args, argumentCount, receiver, closure } = this.#argumentsOf(call, callee, undefined);
    const result = callResultKey(call, this.#keys.prefix);
    const at = (template: PathTemplate | undefined): FileKey | undefined => {
      // The callee's free variables, as the call sees them; then its parameters, as the call gives them.
      const key = template && instantiate(this.#keys.seenAt(template, call), { args, argumentCount, receiver, result });
      return key && this.#keys.heldIn(this.#keys.throughLiterals(withBindings(key, closure)));
    };
    const bare = (template: PathTemplate | undefined): number | undefined => {
      const index = parameterOf(template);
      return index === undefined ? undefined : index + callee.argOffset;
    };
    // The parameter of a function handed to the call that receives the path (\`async (scratch) => …\`).
    const handedParameter = (template: PathTemplate | undefined): ESTree.Node | undefined => {
      for (const [at, handed] of Object.entries(template ? (summary.hands ?? {}) : {})) {
        const [fnAt, paramAt] = handedKeyParts(at);
        const fn = call.arguments[fnAt + callee.argOffset] as ESTree.Node | undefined;
        const param = fn && isFunctionExpression(fn) ? fn.params[paramAt] : undefined;
        if (param?.type === 'Identifier' && handed.equals(template!)) return param;
      }
      return undefined;
    };
    const nodeOf = (template: PathTemplate | undefined, local: ESTree.Node | undefined): ESTree.Node => {
      const index = bare(template);
      return (index !== undefined ? (call.arguments[index] as ESTree.Node | undefined) : undefined) ?? local ?? call;
    };
    const nodes = callee.kind === 'local' ? this.#nodes.get(callee.fn) : undefined;
    // A path the callee builds from one argument (`ensureCachePath(tmp)` inside it): that argument,
    // for messages only (it is not the renamed path, so no fix may use it).
    const labelOf = (template: PathTemplate): { label?: ESTree.Node; labelAs?: LabelAs } => {
      const slots = slotsOf(template.term);
      const indexes = [...slots].filter((slot): slot is number => typeof slot === 'number');
      const only = indexes.length === 1 && !slots.has('this') ? indexes[0] : undefined;
      const arg =
        only === undefined || bare(template) !== undefined
          ? undefined
          : (call.arguments[only + callee.argOffset] as ESTree.Node | undefined);
      if (arg && arg.type !== 'SpreadElement') {
        // `join(dir, name)` with `dir` the argument: a file inside it (`renameFiles(projectDir)`).
        const t = template.term;
        const inside =
          t.kind === 'path' &&
          (t.name === 'join' || t.name === 'resolve') &&
          t.args.length >= 2 &&
          t.args[0]?.kind === 'slot' &&
          t.args[0].slot === only &&
          t.args.slice(1).every((part) => !slotsOf(part).has(only));
        return { label: arg, labelAs: inside ? 'inside' : 'from' };
      }
      // For messages only: a fix cannot name the handed function's parameter at the call.
      const handed = nodes ? undefined : handedParameter(template);
      return handed ? { label: handed } : {};
    };
    const member = (kind: FsMember['kind'], path?: PathTemplate, destination?: PathTemplate): FsMember => {
      const p = bare(path);
      const d = bare(destination);
      return {
        name,
        kind,
        style: summary.style,
        ...(p !== undefined ? { path: p } : {}),
        ...(d !== undefined ? { destination: d } : {}),
      };
    };
    const info = (m: FsMember): TrackedFunction => ({
      module: callee.kind === 'import' ? callee.source : '.',
      member: m,
    });
    // Paths handed over in array or object literals: each path they hold is a file it may act on.
    const literals = passesLiterals(call);
    const allOf = (template: PathTemplate): FileKey[] =>
      literals
        ? instantiateAll(template, this.#shapesOf(call, callee), { receiver, result }).map((key) =>
            withBindings(key, closure),
          )
        : [];
    if (summary.rename) {
      const all = allOf(summary.rename.from);
      const key = at(summary.rename.from) ?? all[0];
      if (!key) return summary.syncs ? { info: info(member('sync')), syncsAnything: true } : undefined;
      const otherFiles = all.filter((k) => !k.equals(key));
      const destination = at(summary.rename.to);
      const written = summary.write && !summary.syncs ? at(summary.write) : undefined;
      return {
        ...(otherFiles.length > 0 ? { otherFiles } : {}),
        ...(written && !written.equals(key)
          ? { alsoWrites: { key: written, inside: summary.writeInside === 'only' } }
          : {}),
        info: info(member('rename', summary.rename.from, summary.rename.to)),
        file: { key, node: nodeOf(summary.rename.from, nodes?.rename), ...labelOf(summary.rename.from) },
        ...(destination ? { destination } : {}),
        syncsAnything: summary.syncs,
        ...(nodes?.renameCall ? { renamedBy: nodes.renameCall } : {}),
        ...(summary.handsFirst?.some((i) => isFunctionExpression(call.arguments[i + callee.argOffset] as ESTree.Node))
          ? { handedFirst: true as const }
          : {}),
      };
    }
    const options =
      summary.writeFlushedBy === undefined
        ? undefined
        : (call.arguments[summary.writeFlushedBy + callee.argOffset] as ESTree.Node | undefined);
    if (summary.write && !summary.rename && options && hasFlushTrue(options, this.#sourceCode.getScope(call)))
      return { info: info(member('sync')), syncsAnything: true };
    if (summary.write && !summary.syncs) {
      const all = [...allOf(summary.write), ...(summary.writesAlso ?? []).flatMap((t) => at(t) ?? allOf(t))];
      let template = summary.write;
      let inside = summary.writeInside;
      let key = at(summary.write) ?? all[0];
      // The write names nothing here (a field this call leaves out): the first of its others that does.
      for (const other of key ? [] : (summary.writesInstead ?? [])) {
        key = at(other.file) ?? allOf(other.file)[0];
        if (!key) continue;
        template = other.file;
        inside = other.inside;
        break;
      }
      const otherFiles = key ? all.filter((k, i) => !k.equals(key) && all.findIndex((o) => o.equals(k)) === i) : [];
      const foldersFilled: FileKey[] = [];
      for (const other of summary.writesInstead ?? []) {
        const folder = other.inside && other.file !== template ? at(other.file) : undefined;
        if (folder && !folder.equals(key!) && !foldersFilled.some((k) => k.equals(folder))) foldersFilled.push(folder);
      }
      return key
        ? {
            ...(foldersFilled.length > 0 ? { foldersFilled } : {}),
            info: info({
              ...member('write', template),
              ...(inside === 'only' ? { inside: true } : inside ? { tree: true } : {}),
              ...(summary.writeAppends ? { appends: true } : {}),
            }),
            file: { key, node: nodeOf(template, template === summary.write ? nodes?.write : undefined) },
            syncsAnything: false,
            ...(otherFiles.length > 0 ? { otherFiles } : {}),
          }
        : undefined;
    }
    return summary.syncs ? { info: info(member('sync')), syncsAnything: true } : undefined;
  }

  #shapesOf(call: Call, callee: Callee, env?: KeyEnvironment): Array<ArgumentShape | undefined> {
    const scope = this.#sourceCode.getScope(call);
    return (call.arguments as ESTree.Node[])
      .slice(callee.argOffset)
      .map((arg) => (arg.type === 'SpreadElement' ? undefined : this.#keys.shapeOf(arg, scope, 0, env)));
  }

  #environmentOf(fn: FunctionNode): KeyEnvironment {
    const bindings = new Map();
    // Options destructured with an empty default (`{ cwd } = {}`): a field the call leaves out is
    // as undefined as that of an argument it leaves out.
    const params = fn.params.map((p) =>
      p.type === 'AssignmentPattern' &&
      p.left.type === 'ObjectPattern' &&
      p.right.type === 'ObjectExpression' &&
      p.right.properties.length === 0
        ? p.left
        : p,
    );
    for (const variable of this.#sourceCode.getDeclaredVariables(fn)) {
      const def = variable.defs[0];
      if (def?.type !== 'Parameter') continue;
      const index = params.indexOf(def.name as ESTree.Pattern);
      if (index >= 0 && def.name.type === 'Identifier') {
        bindings.set(variable, FileKey.tracked(term.slot(index)));
      }
      // `(...parts) => join(root, ...parts)`: the arguments from its index on, when it is only ever
      // spread at the end of a path's parts.
      const rest = fn.params.findIndex((p) => p.type === 'RestElement' && p.argument === def.name);
      if (rest >= 0 && variable.references.every(spreadLastIntoPath)) {
        bindings.set(variable, FileKey.tracked(term.slot(restSlot(rest))));
      }
      // `({ tmp, dest }) => …`: a field of the argument.
      const pattern = params.find((p): p is ESTree.ObjectPattern => p.type === 'ObjectPattern' && within(def.name, p));
      const field = pattern && fieldOf(pattern, variable.name);
      if (pattern && field !== undefined) {
        const argument = term.slot(params.indexOf(pattern));
        bindings.set(variable, FileKey.tracked(term.member(argument, field), [argument]));
      }
    }
    const thisKey = fn.type === 'ArrowFunctionExpression' ? undefined : new FileKey(term.slot('this'));
    const env = { bindings, opaqueWithin: fn, ...(thisKey ? { thisKey } : {}) };
    // A local the function returns, or hands its callback (`cb(null, tmp)`), whose value cannot be
    // spelled out (`tmp + Math.random()`) is known to the caller by the call that returned it.
    const handedOver = [...this.#partsReturned(fn), ...this.#valuesDelivered(fn).map((node) => ({ node }))];
    for (const { node, field } of handedOver as Array<{ node: ESTree.Node; field?: string }>) {
      if (node.type !== 'Identifier' || this.#openOf(node)) continue;
      const variable = findVariable(this.#sourceCode.getScope(node), node.name);
      if (
        !variable ||
        bindings.has(variable) ||
        !within(variable.scope.block as ESTree.Node, fn) ||
        variable.defs[0]?.type !== 'Variable'
      )
        continue;
      if (this.#keys.of(node, this.#sourceCode.getScope(node), env)) continue;
      const part = term.field(term.slot('call'), field);
      bindings.set(variable, new FileKey(part, [part]));
    }
    return env;
  }

  #callsOf(fn: FunctionNode): readonly Call[] {
    if (!this.#callsByOwner) {
      this.#callsByOwner = new Map();
      for (const call of this.#graph.calls) {
        const owner = this.ownerOf(call);
        if (!owner) continue;
        const list = this.#callsByOwner.get(owner) ?? [];
        list.push(call);
        this.#callsByOwner.set(owner, list);
      }
    }
    return this.#callsByOwner.get(fn) ?? [];
  }

  /** What a call inside a summarised function does, in terms of that function's parameters. */
  #effectOf(call: Call, env: KeyEnvironment): Effect | undefined {
    const info = this.#fileSystems.infoOf(call);
    const scope = this.#sourceCode.getScope(call);
    if (info) {
      const { member } = info;
      const arg = (i: number | undefined): ESTree.Node | undefined =>
        i === undefined ? undefined : (call.arguments[i] as ESTree.Node | undefined);
      const path = info.pathNode ?? writtenPathNode(call, member, scope);
      const file = path && path.type !== 'SpreadElement' ? this.#fileOf(path, scope, env) : undefined;
      switch (member.kind) {
        case 'write':
        case 'stream': {
          const options = arg(member.options);
          if (member.flushOption && writesDurably(options, scope)) return { kind: 'sync' };
          const flushedBy = member.flushOption && options ? parameterOf(this.#keys.of(options, scope, env)) : undefined;
          const inside = member.inside ? 'only' : member.tree ? 'also' : undefined;
          return {
            kind: 'write',
            ...(file ? { file, node: path } : {}),
            ...(flushedBy !== undefined ? { flushedBy } : {}),
            ...(inside ? { inside } : {}),
            ...(member.appends || hasAppendFlag(options, scope) ? { appends: true as const } : {}),
          };
        }
        case 'rename': {
          const to = arg(member.destination);
          // A rotation or a move-aside inside the helper (`rename(log, \`${log}.${stamp}\`)`) publishes nothing.
          if (file && (this.movesAside(to, file, env) || startsWithSource(to, file, this.#keys, scope, env)))
            return undefined;
          const destination = to ? this.#keys.of(to, scope, env) : undefined;
          return { kind: 'rename', ...(file ? { file, node: path } : {}), ...(destination ? { destination } : {}) };
        }
        case 'sync':
          return { kind: 'sync' };
        default:
          return undefined;
      }
    }
    const handleEffect = this.#handleMethodEffect(call, env);
    if (handleEffect) return handleEffect;
    const found = this.#summaryOfCall(call);
    if (!found) return undefined;
    const { summary, callee } = found;
    const { args, argumentCount, receiver, closure } = this.#argumentsOf(call, callee, env);
    const result = callResultKey(call, this.#keys.prefix);
    // Paths handed over in array or object literals (`extractEntry({ entry, dir })`): their parts.
    const literals = passesLiterals(call);
    const at = (template: PathTemplate | undefined): FileKey | undefined => {
      // A handle field handed to an fs adapter's `write(this.fh, …)`: the file the class opened it on.
      const index = template && parameterOf(template);
      const handed = index === undefined ? undefined : call.arguments[index + callee.argOffset];
      const opened = handed && handed.type !== 'SpreadElement' ? this.#handleFieldFile(handed, env) : undefined;
      if (opened) return opened;
      const key =
        template &&
        (instantiate(template, { args, argumentCount, receiver, result }) ??
          (literals
            ? instantiateAll(template, this.#shapesOf(call, callee, env), { receiver, result })[0]
            : undefined));
      return key && this.#keys.heldIn(this.#keys.throughLiterals(this.#parametersIn(withBindings(key, closure), env)));
    };
    if (summary.syncs) return { kind: 'sync' };
    // The argument naming the file, for messages, when the callee takes it as it is.
    // Else the path as the local callee names it.
    const nodeOf = (
      template: PathTemplate,
      kind: 'write' | 'rename',
    ): { node: ESTree.Node } | Record<string, never> => {
      const index = parameterOf(template);
      const arg =
        index === undefined ? undefined : (call.arguments[index + callee.argOffset] as ESTree.Node | undefined);
      const node = arg ?? (callee.kind === 'local' ? this.#nodes.get(callee.fn)?.[kind] : undefined);
      return node ? { node } : {};
    };
    if (summary.rename) {
      const file = at(summary.rename.from);
      const destination = at(summary.rename.to);
      return {
        kind: 'rename',
        ...(file ? { file, ...nodeOf(summary.rename.from, 'rename') } : {}),
        ...(destination ? { destination } : {}),
      };
    }
    if (summary.write) {
      const options =
        summary.writeFlushedBy === undefined
          ? undefined
          : (call.arguments[summary.writeFlushedBy + callee.argOffset] as ESTree.Node | undefined);
      if (options && writesDurably(options, scope)) return { kind: 'sync' };
      const flushedBy = options ? parameterOf(this.#keys.of(options, scope, env)) : undefined;
      const file = at(summary.write);
      return {
        kind: 'write',
        ...(file ? { file, ...nodeOf(summary.write, 'write') } : {}),
        ...(flushedBy !== undefined ? { flushedBy } : {}),
        ...(summary.writeInside ? { inside: summary.writeInside } : {}),
        ...(summary.writeOnward ? { onward: true as const } : {}),
        ...(summary.writeAppends ? { appends: true as const } : {}),
      };
    }
    return undefined;
  }

  /**
   * A nested function's effect on a free variable that is a parameter of the function summarised
   * (`function retry(src, dest) { function doit() { rename(src, dest, …) } doit(); }`): that
   * parameter's slot, so the summary is in terms of its own arguments.
   */
  #parametersIn(key: FileKey, env: KeyEnvironment): FileKey {
    if (env.bindings.size === 0) return key;
    const values = new Map<string, FileKey>();
    for (const [variable, value] of env.bindings) values.set(this.#keys.idOf(variable), value);
    return withBindings(key, values);
  }

  /** The file a path, or a descriptor or FileHandle opened in the function, names. */
  #fileOf(node: ESTree.Node, scope: Scope.Scope, env: KeyEnvironment): FileKey | undefined {
    return this.#openedFile(node, env) ?? this.#handleFieldFile(node, env) ?? this.#keys.of(node, scope, env);
  }

  /** The open call a binding holds the result of (`const h = await open(p, 'w')`, `const fd = openSync(p)`). */
  #openOf(node: ESTree.Node): Call | undefined {
    const n = unwrap(node);
    // The open call itself (`return { tmp, handle: await open(tmp, 'w') }`), or a binding of it.
    const held =
      n.type === 'Identifier'
        ? initialiserOf(this.#sourceCode.getScope(n), n.name)
        : n.type === 'AwaitExpression' || n.type === 'CallExpression'
          ? n
          : undefined;
    if (!held) return undefined;
    let init = unwrap(held);
    if (init.type === 'AwaitExpression') init = unwrap(init.argument);
    if (init.type !== 'CallExpression') return undefined;
    return this.#openedPathOf(init) ? init : undefined;
  }

  #openedFile(node: ESTree.Node, env: KeyEnvironment): FileKey | undefined {
    const open = this.#openOf(node);
    const path = open && this.#openedPathOf(open);
    return path ? this.#keys.of(path, this.#sourceCode.getScope(path), env) : undefined;
  }

  /**
   * The path an open call opens: an fs open's, or that of another module's `open` whose summary
   * returns a descriptor on one of its arguments (an fs adapter's `promisify(fs.open)`).
   */
  #openedPathOf(call: Call): ESTree.Node | undefined {
    const info = this.#fileSystems.infoOf(call);
    const at = (index: number | undefined): ESTree.Node | undefined => {
      const arg = index === undefined ? undefined : call.arguments[index];
      return arg && arg.type !== 'SpreadElement' ? (arg as ESTree.Node) : undefined;
    };
    if (info) return info.member.kind === 'open' ? at(info.member.path) : undefined;
    if (!this.#importedCalls.has(call)) return undefined;
    const found = this.#summaryOfCall(call);
    const opened = found?.summary.returnsHandles?.[''];
    const index = opened && parameterOf(opened);
    return index === undefined ? undefined : at(index + found!.callee.argOffset);
  }

  /**
   * `h.writeFile(d)`, `h.sync()` on a FileHandle the function opened, or on one it is given: then it
   * writes whatever file the caller's handle was opened on (`writeAll(handle, chunks)`).
   */
  #handleMethodEffect(call: Call, env: KeyEnvironment): Effect | undefined {
    const callee = call.callee;
    if (callee.type !== 'MemberExpression') return undefined;
    const name = propertyName(callee);
    const member = name === undefined ? undefined : fileHandleMembers.get(name);
    // `handle.createWriteStream()`: what the stream is given is written to the handle's file.
    if (!member || (member.kind !== 'write' && member.kind !== 'sync' && member.kind !== 'stream')) return undefined;
    const object = callee.object as ESTree.Node;
    const given = this.#keys.of(object, this.#sourceCode.getScope(object), env);
    const file =
      this.#openedFile(object, env) ??
      (object.type === 'Identifier' && parameterOf(given) !== undefined ? given : undefined) ??
      (this.#isHandleField(object) ? (this.#handleFieldFile(object, env) ?? given) : undefined);
    if (!file) return undefined;
    if (member.kind === 'sync') return { kind: 'sync' };
    const options =
      member.options === undefined ? undefined : (call.arguments[member.options] as ESTree.Node | undefined);
    if (member.flushOption && writesDurably(options, this.#sourceCode.getScope(call))) return { kind: 'sync' };
    return { kind: 'write', file };
  }

  /**
   * The parts of what `fn` returns, by field: the value itself (no field), the elements of an array
   * (`0`) and the fields of an object (`path`) it returns, also as a promise's value (`.then(() => tmp)`).
   */
  #partsReturned(fn: FunctionNode): Array<{ node: ESTree.Node; field?: string }> {
    const parts: Array<{ node: ESTree.Node; field?: string }> = [];
    const settled = (returned: ESTree.Node): ESTree.Node => {
      let value = unwrap(returned);
      for (let hops = 0; hops < 4; hops++) {
        const next =
          value.type === 'AwaitExpression'
            ? value.argument
            : value.type === 'CallExpression'
              ? thenValue(value)
              : undefined;
        if (!next) break;
        value = unwrap(next);
      }
      return value;
    };
    // `return new Promise((resolve) => … resolve(tmp))`: what it resolves with.
    const values = (returnValues(fn) ?? []).flatMap((returned) => {
      const value = settled(returned);
      const resolved = this.#resolvedWith(value);
      return resolved ? resolved.map(settled) : [value];
    });
    for (const value of values) {
      if (value.type === 'ArrayExpression') {
        for (const [i, element] of value.elements.entries())
          if (element && element.type !== 'SpreadElement') parts.push({ node: element, field: String(i) });
      } else if (value.type === 'ObjectExpression') {
        for (const property of value.properties) {
          if (property.type === 'Property' && !property.computed && property.key.type === 'Identifier')
            parts.push({ node: property.value as ESTree.Node, field: property.key.name });
        }
      } else {
        parts.push({ node: value });
        // `return staged`, a local list this function filled: its elements, or their fields.
        const variable = value.type === 'Identifier' ? variableOf(this.#sourceCode, value) : undefined;
        for (const added of (variable && valuesAdded(variable, true)) ?? []) {
          if (added.type !== 'ObjectExpression') parts.push({ node: added, field: elementField });
          else
            for (const property of added.properties)
              if (property.type === 'Property' && !property.computed && property.key.type === 'Identifier')
                parts.push({ node: property.value as ESTree.Node, field: `${elementField}.${property.key.name}` });
        }
      }
    }
    return parts;
  }

  /**
   * The values `new Promise((resolve, reject) => …)` is resolved with: the arguments of the calls of
   * `resolve`. Undefined when it is not such a promise, or `resolve` is handed on (its value unknown).
   */
  #resolvedWith(node: ESTree.Node): ESTree.Node[] | undefined {
    const variable = promiseResolver(node, this.#sourceCode)?.resolve;
    if (!variable) return undefined;
    const values: ESTree.Node[] = [];
    for (const reference of variable.references) {
      const call = (reference.identifier as Rule.Node).parent;
      if (call?.type !== 'CallExpression' || call.callee !== reference.identifier) return undefined;
      const [value] = call.arguments;
      if (value && value.type !== 'SpreadElement') values.push(value as ESTree.Node);
    }
    return values.length > 0 ? values : undefined;
  }

  /**
   * A write of `join(dir, name)` under a name this function cannot spell (`entry.fileName` of a zip's
   * `'entry'` events), done for each event of a listener or each turn of a loop inside `fn`, writes
   * every such file inside `dir`: the summary says so (`writeInside: 'only'`), as an extractor's does.
   */
  #eachInside(effect: Effect | undefined, call: Call, fn: FunctionNode): Effect | undefined {
    const t = effect?.kind === 'write' ? effect.file?.term : undefined;
    if (t?.kind !== 'path' || t.name !== 'join' || t.args.length < 2) return effect;
    const [dir, ...names] = t.args as [KeyTerm, ...KeyTerm[]];
    const madeUp = names.some((n) => n.kind === 'result' || (n.kind === 'slot' && n.slot === 'call'));
    // `for (const f of readdirSync(from)) copy(join(from, f), join(to, f))`: one call for each entry
    // of a folder's listing writes every file inside `to`, whether the helper writes its destination
    // or files inside it (a recursive copy's two functions). Only a listing: a loop over names the
    // code chose (a list of config files to write) writes those files, not the folder's.
    const listing = this.#eachEntryOfListing(call, fn);
    const perTurn = (n: KeyTerm): boolean =>
      someTerm(n, (x) => {
        const name = x.kind === 'binding' ? this.#nameOf(x.id) : undefined;
        return x.kind === 'element' || (!!name && !!listing && within(name, listing));
      });
    const outer = (term: KeyTerm): KeyTerm => {
      let inside = term;
      while (inside.kind === 'path' && inside.name === 'join' && inside.args.length === 2 && perTurn(inside.args[1]!))
        inside = inside.args[0]!;
      return inside;
    };
    if (!madeUp) {
      if (!listing || !names.some(perTurn)) return effect;
      return { ...effect!, file: new FileKey(outer(t), effect!.file!.deps), inside: 'only' };
    }
    if (effect!.inside) {
      // A recursive copy's own call for a subfolder it cannot name (`copyTree(src, join(to, f))`),
      // or its helper's, for each entry of the listing: every file inside that folder is a file inside `to`.
      const callee = this.#graph.calleeOf(call);
      const recursive = callee?.kind === 'local' && callee.fn === fn && names.length === 1;
      return recursive || (listing && names.length === 1)
        ? { ...effect!, file: new FileKey(listing ? outer(dir) : dir, effect!.file!.deps) }
        : effect;
    }
    // `files.map(async (f) => copyFile(…, join(to, f)))`: the callback's write, once per element.
    const callback = call.arguments[0] as ESTree.Node | undefined;
    if (callback && isFunctionNode(callback) && isIterationCallback(callback))
      return { ...effect!, file: new FileKey(dir, effect!.file!.deps), inside: 'only' };
    if (runsRepeatedly(call, fn))
      return { ...effect!, file: new FileKey(listing ? outer(dir) : dir, effect!.file!.deps), inside: 'only' };
    return effect;
  }

  /** The declared name of the binding `id`. */
  #nameOf(id: string): ESTree.Node | undefined {
    return this.#keys.variableById(id)?.defs[0]?.name as ESTree.Node | undefined;
  }

  /**
   * The loop or iteration callback around `call`, inside `fn`, that runs once for each entry of a
   * folder's listing (`for (const f of readdirSync(dir))`, `(await readdir(dir)).map((f) => …)`,
   * `entries.forEach(…)` with `const entries = readdirSync(dir)`).
   */
  #eachEntryOfListing(call: Call, fn: FunctionNode): ESTree.Node | undefined {
    const isListing = (node: ESTree.Node | undefined, depth = 0): boolean => {
      while (node?.type === 'AwaitExpression') node = node.argument as ESTree.Node;
      if (node?.type === 'Identifier' && depth < 2)
        return isListing(initialiserOf(this.#sourceCode.getScope(node), node.name), depth + 1);
      if (node?.type !== 'CallExpression') return false;
      return /^readdir(?:Sync|Promise)?$/.test(calleeName(node.callee) ?? '');
    };
    for (let n = (call as Rule.Node).parent as ESTree.Node | null; n && n !== fn; n = (n as Rule.Node).parent) {
      if ((n.type === 'ForOfStatement' || n.type === 'ForInStatement') && isListing(n.right as ESTree.Node)) return n;
      if (isFunctionNode(n) && isIterationCallback(n)) {
        const member = ((n as Rule.Node).parent as ESTree.CallExpression).callee as ESTree.MemberExpression;
        if (isListing(member.object as ESTree.Node)) return n;
      }
    }
    return undefined;
  }

  /**
   * Is `call`, writing `file`, a move's fallback: in the `catch` of a `try` whose rename put the same
   * destination in place (`try { renameSync(src, dest) } catch (e) { if (e.code === 'EXDEV')
   * cpSync(src, dest) }`)? The function moves a file, as fs-extra's `move` does (whose own copy
   * across devices is not a write either): its callers see a rename.
   */
  #isMoveFallback(call: Call, file: FileKey, rename: Effect | undefined, renameCall: Call | undefined): boolean {
    if (!rename?.destination || !renameCall || !file.equals(rename.destination)) return false;
    for (let n = (call as Rule.Node).parent as Rule.Node | null; n; n = n.parent) {
      if (isFunctionNode(n)) return false;
      if (n.type === 'CatchClause') {
        const attempt = n.parent;
        if (attempt?.type === 'TryStatement' && within(renameCall, attempt.block)) return true;
      }
    }
    return false;
  }

  #summarise(fn: FunctionNode): FunctionSummary | undefined {
    const env = this.#environmentOf(fn);
    let write: Effect | undefined;
    // Each write, with the call that made it.
    const written: Array<Effect & { readonly by: Call }> = [];
    let rename: Effect | undefined;
    let renameCall: Call | undefined;
    let syncs = this.#hasDurableText(fn);
    let style: FunctionSummary['style'] = fn.async ? 'promise' : 'sync';
    const lastParam = fn.params[fn.params.length - 1];
    for (const call of this.#callsOf(fn)) {
      const effect = this.#eachInside(this.#effectOf(call, env), call, fn);
      if (!effect) continue;
      if (effect.kind === 'sync') syncs = true;
      else if (effect.kind === 'write' && effect.file) {
        if (this.#isMoveFallback(call, effect.file, rename, renameCall)) continue;
        written.push({ ...effect, by: call });
        // The first write, unless it names none of what the caller can see (a download's
        // `join(__dirname, '_tmp.zip')`) and a later one does (its extraction into `destPath`).
        // A helper's onward publication gives way to a write of the function's own. Files written
        // inside a directory (an extraction) take the place of a file written there (the archive).
        if (
          !write ||
          (write.onward && !effect.onward) ||
          (slotsOf(write.file!.term).size === 0 && slotsOf(effect.file.term).size > 0) ||
          (effect.inside === 'only' && !write.inside && isInside(write.file!, effect.file))
        )
          write = effect;
      } else if (effect.kind === 'rename' && effect.file) {
        if (!rename) renameCall = call;
        rename ??= effect;
      } else continue;
      if (style === 'sync' && returnsValueOf(call, fn) && this.#styleOf(call) === 'promise') style = 'promise';
      const last = call.arguments[call.arguments.length - 1];
      const passesCallback =
        last?.type === 'Identifier' && lastParam?.type === 'Identifier' && last.name === lastParam.name;
      if (style === 'sync' && passesCallback && this.#styleOf(call) === 'callback') style = 'callback';
    }
    // A function that writes and renames the same file is a whole (maybe unsynced) publication of
    // its own, reported inside it; its callers neither write nor rename anything more. So is one that
    // renames a file out of a folder it wrote the files of (a build folder it made afresh): what its
    // caller wrote there before is not what it renames.
    const renamed = rename?.file;
    const renamer = renameCall;
    const publishes =
      renamed &&
      (write?.file?.equals(renamed) ||
        (renamer &&
          written.some((e) => !!e.inside && !!e.file && isInside(renamed, e.file) && runsBefore(e.by, renamer))));
    if (write?.file && publishes) {
      // Unless it fsyncs nothing and publishes at a path its caller gave: the data there is as
      // unsynced as the temp was, and a caller that moves it on (a download helper's cache file,
      // moved into place) publishes it again.
      const onward = !syncs && !write.inside ? rename?.destination : undefined;
      const slots = onward && slotsOf(onward.term);
      write =
        onward && slots && slots.size > 0 && !slots.has('call')
          ? { kind: 'write', file: onward, onward: true }
          : undefined;
      rename = undefined;
    }
    const returns = this.#returnsOf(fn);
    // A function that returns the file it wrote (`await copy(cached, tarballPath); return tarballPath`):
    // that write is the one its callers go on with, whichever of its writes came first.
    if (returns && write?.file && !rename && !write.file.equals(returns)) {
      const returned = written.find((e) => e.file!.equals(returns));
      if (returned) write = returned;
    }
    const writesAlso: PathTemplate[] = [];
    if (write?.file && !rename && !syncs && !write.inside)
      for (const e of written)
        if (
          !e.inside &&
          !e.onward &&
          !e.appends &&
          !e.file!.equals(write.file) &&
          !writesAlso.some((k) => k.equals(e.file!)) &&
          writesAlso.length < MAX_WRITES_ALSO
        )
          writesAlso.push(e.file!);
    const writesInstead: Array<{ file: PathTemplate; inside?: 'only' | 'also' }> = [];
    if (write?.file && !rename && !syncs)
      for (const e of written)
        if (
          !e.onward &&
          !e.appends &&
          !e.file!.equals(write.file) &&
          !writesInstead.some((w) => w.file.equals(e.file!)) &&
          writesInstead.length < MAX_WRITES_ALSO
        )
          writesInstead.push({ file: e.file!, ...(e.inside ? { inside: e.inside } : {}) });
    const handler = this.#handlerOf(fn);
    const handleFields = this.#handleFieldsSetBy(fn, env);
    if (!write && !rename && !syncs && !returns && !handler && !handleFields) return undefined;
    // A handler factory renames through its handler.
    const returned = handler?.rename && !rename ? this.#returnedFunction(fn) : undefined;
    renameCall ??= returned && this.#nodes.get(returned)?.renameCall;
    const renameNode = rename?.node ?? (returned && this.#nodes.get(returned)?.rename);
    const { hands, handsFirst } = this.#handsOf(fn, rename ? renameCall : undefined, rename?.file);
    this.#nodes.set(fn, {
      ...(write?.node ? { write: write.node } : {}),
      ...(renameNode ? { rename: renameNode } : {}),
      ...(renameCall && (rename || returned) ? { renameCall } : {}),
    });
    return {
      style,
      syncs,
      ...(write?.file ? { write: write.file } : {}),
      ...(write?.file && write.inside ? { writeInside: write.inside } : {}),
      ...(write?.file && write.onward ? { writeOnward: true as const } : {}),
      ...(write?.file && write.flushedBy !== undefined ? { writeFlushedBy: write.flushedBy } : {}),
      // Every write of that file appends (a log it appends to; its WAL, truncated, is another file).
      ...(write?.file && write.appends && written.every((e) => e.appends || !e.file!.equals(write.file))
        ? { writeAppends: true as const }
        : {}),
      ...(writesAlso.length > 0 ? { writesAlso } : {}),
      ...(writesInstead.length > 0 ? { writesInstead } : {}),
      ...(rename?.file
        ? { rename: { from: rename.file, ...(rename.destination ? { to: rename.destination } : {}) } }
        : {}),
      ...(returns ? { returns } : {}),
      ...(returns ? this.#returnedParts.get(fn) : {}),
      ...(handler ? { handler } : {}),
      ...(handleFields ? { handleFields } : {}),
      ...(hands ? { hands } : {}),
      ...(handsFirst ? { handsFirst } : {}),
    };
  }

  /**
   * The paths `fn` calls its function parameters with, and those of its parameters it calls before
   * `renameCall` (in source order: \`await write(tmp); await rename(tmp, dest)\`).
   */
  #handsOf(
    fn: FunctionNode,
    renameCall: Call | undefined,
    renamed?: PathTemplate,
  ): { hands?: Record<string, PathTemplate>; handsFirst?: number[] } {
    let hands: Record<string, PathTemplate> | undefined;
    let handsFirst: number[] | undefined;
    const variables = this.#sourceCode.getDeclaredVariables(fn);
    for (const [index, param] of fn.params.entries()) {
      if (param.type !== 'Identifier') continue;
      const calls = variables
        .find((v) => v.defs.some((d) => d.name === param))
        ?.references.map((r) => (r.identifier as Rule.Node).parent)
        .filter((p): p is ESTree.CallExpression & Rule.NodeParentExtension => p?.type === 'CallExpression')
        .filter((p) => p.callee.type === 'Identifier' && p.callee.name === param.name);
      if (!calls || calls.length === 0) continue;
      const widest = Math.max(...calls.map((c) => c.arguments.length));
      for (let argument = 0; argument < widest; argument++) {
        const template = this.#handedOf(fn, param, argument, renamed);
        if (template) (hands ??= {})[handedKey(index, argument)] = template;
      }
      const start = renameCall?.range?.[0];
      if (start !== undefined && calls.some((c) => (c.range?.[1] ?? Infinity) <= start))
        (handsFirst ??= []).push(index);
    }
    return { ...(hands ? { hands } : {}), ...(handsFirst ? { handsFirst } : {}) };
  }

  /** `this.fh = await open(p, 'w')` in `fn`: the fields of `this` it sets to what an fs open returns. */
  #handleFieldsSetBy(fn: FunctionNode, env: KeyEnvironment): Record<string, PathTemplate> | undefined {
    let fields: Record<string, PathTemplate> | undefined;
    for (const call of this.#callsOf(fn)) {
      const field = this.#thisFieldHolding(call);
      const path = field === undefined ? undefined : this.#openedPathOf(call);
      if (field === undefined || !path) continue;
      const file = this.#keys.of(path, this.#sourceCode.getScope(path), env);
      if (file) (fields ??= {})[field] = file;
    }
    return fields;
  }

  /** The field `f` when `call`'s value (maybe awaited) is assigned to `this.f`, as `bindResult` sees it. */
  #thisFieldHolding(call: Call): string | undefined {
    const { node, child } = holderOf(call);
    if (node?.type !== 'AssignmentExpression' || node.operator !== '=' || node.right !== child) return undefined;
    const left = node.left;
    return left.type === 'MemberExpression' && left.object.type === 'ThisExpression' && !left.computed
      ? propertyName(left)
      : undefined;
  }

  /**
   * The file `this.fh` was opened on, when the class (or object) opens it in one place on a path that
   * its object names (`this.fh = await open(this.filePath, 'w')` in a lazy `openIfNeeded()`): a
   * method writing through the field then writes `this.filePath`, which its callers can tell apart.
   */
  #handleFieldFile(node: ESTree.Node, env: KeyEnvironment): FileKey | undefined {
    if (!this.#isHandleField(node)) return undefined;
    const field = propertyName(node as ESTree.MemberExpression);
    const holder = enclosingClassLike(node);
    let file: FileKey | undefined;
    for (const n of descendants(holder!)) {
      if (n.type !== 'CallExpression' || this.#thisFieldHolding(n) !== field) continue;
      const path = this.#openedPathOf(n);
      if (!path || !namesOnlyItsObject(this.#sourceCode, path, holder!)) return undefined;
      const key = this.#keys.of(path, this.#sourceCode.getScope(path), env);
      if (!key || (file && file.id !== key.id)) return undefined;
      file = key;
    }
    return file;
  }

  /** `this.fh` in a method of a class (or object) some method of which sets `this.fh` to an fs open's value. */
  #isHandleField(node: ESTree.Node): boolean {
    if (node.type !== 'MemberExpression' || node.object.type !== 'ThisExpression' || node.computed) return false;
    const field = propertyName(node);
    const holder = enclosingClassLike(node);
    if (!holder || field === undefined) return false;
    let fields = this.#handleFieldsOfClass.get(holder);
    if (!fields) {
      fields = new Set();
      for (const n of descendants(holder)) {
        if (n.type !== 'CallExpression') continue;
        const set = this.#thisFieldHolding(n);
        if (set !== undefined && this.#openedPathOf(n)) fields.add(set);
      }
      this.#handleFieldsOfClass.set(holder, fields);
    }
    return fields.has(field);
  }

  /** The local function `fn` returns on every path (`return function () {…}`, `return onClose`). */
  #returnedFunction(fn: FunctionNode): FunctionNode | undefined {
    let returned: FunctionNode | undefined;
    for (const value of returnValues(fn) ?? []) {
      const target = isFunctionNode(value)
        ? value
        : value.type === 'Identifier'
          ? this.#graph.functionOf(value)
          : undefined;
      if (!target || (returned && returned !== target) || !within(target, fn)) return undefined;
      returned = target;
    }
    return returned;
  }

  /** The handler factory returning `fn`, when `fn` is returned by the function around it. */
  #factoryOf(fn: FunctionNode): FunctionNode | undefined {
    let around: ESTree.Node | null | undefined = (fn as Rule.Node).parent;
    while (around && !isFunctionNode(around)) around = (around as Rule.Node).parent;
    return around && this.#returnedFunction(around) === fn ? around : undefined;
  }

  /**
   * What the function `fn` returns does, with the bindings of `fn`'s parameters (free in the
   * handler) as `fn`'s placeholders. Anything in terms of the handler's own parameters or `this` is
   * unknown to the caller of `fn`.
   */
  #handlerOf(fn: FunctionNode): HandlerSummary | undefined {
    const returned = this.#returnedFunction(fn);
    const summary = returned && this.#summaries.get(returned);
    if (!summary || (!summary.write && !summary.rename && !summary.syncs)) return undefined;
    const ids = new Map<string, Slot>();
    for (const variable of this.#sourceCode.getDeclaredVariables(fn)) {
      const def = variable.defs[0];
      const index = def?.type === 'Parameter' ? fn.params.indexOf(def.name as ESTree.Pattern) : -1;
      if (index >= 0) ids.set(this.#keys.idOf(variable), index);
    }
    const write = summary.write && rebind(summary.write, ids);
    const from = summary.rename && rebind(summary.rename.from, ids);
    const to = summary.rename?.to && rebind(summary.rename.to, ids);
    if (!write && !from && !summary.syncs) return undefined;
    return {
      style: 'sync',
      syncs: summary.syncs,
      ...(write ? { write } : {}),
      ...(from ? { rename: { from, ...(to ? { to } : {}) } } : {}),
    };
  }

  /** How the caller of `call` learns it finished, as far as its callee says. */
  #styleOf(call: Call): FsStyle | undefined {
    const info = this.#fileSystems.infoOf(call);
    if (info) return info.member.style === 'universal' ? 'callback' : info.member.style;
    return this.#summaryOfCall(call)?.summary.style;
  }

  #hasDurableText(fn: FunctionNode): boolean {
    let found = this.#durableText.get(fn);
    if (found === undefined) this.#durableText.set(fn, (found = durabilityText.test(this.#sourceCode.getText(fn))));
    return found;
  }

  #returnsOnly(fn: FunctionNode): FunctionSummary | undefined {
    const returns = this.#returnsOf(fn);
    return returns && { style: 'sync', syncs: false, returns, ...this.#returnedParts.get(fn) };
  }

  /** The path `fn` returns on every path, in terms of its parameters (temp-path builders). */
  #returnsOf(fn: FunctionNode): PathTemplate | undefined {
    if (this.#returns.has(fn)) return this.#returns.get(fn);
    // A recursive builder has no key: mark it while it is being computed.
    this.#returns.set(fn, undefined);
    const env = this.#environmentOf(fn);
    const values = returnValues(fn);
    if (!values) return undefined;
    const own = this.#ownReturn(fn, env);
    if (own) {
      this.#returns.set(fn, own);
      return own;
    }
    let template: PathTemplate | undefined;
    // `return undefined` (`null`, `void 0`) names no file: a caller that writes or renames what it got
    // had a path (`safeJoin(dir, name)` returning nothing for a name outside `dir`).
    const returned = values.filter((value) => !namesNothing(value));
    const keys: Array<FileKey | undefined> = returned.map((value) =>
      this.#keys.of(value, this.#sourceCode.getScope(value), env),
    );
    for (const key of keys) {
      if (!key || (template && !template.equals(key))) {
        template = this.#folderOrInside(returned, keys, env) ?? this.#opaqueReturn(fn, keys);
        break;
      }
      template = key;
    }
    this.#returns.set(fn, template);
    return template;
  }

  /**
   * `§call§` when what `fn` returns holds a file of its own making or a descriptor it opened (`return
   * tmp`, `return [tmp, h]`, `return { fd, path }`); the files and handles in it are kept by field.
   */
  #ownReturn(fn: FunctionNode, env: KeyEnvironment): PathTemplate | undefined {
    const fields: Record<string, PathTemplate> = {};
    const handles: Record<string, PathTemplate> = {};
    let own = false;
    for (const { node, field } of this.#partsReturned(fn)) {
      const opened = this.#openOf(node) ? this.#openedFile(node, env) : undefined;
      if (opened) {
        handles[field ?? ''] = opened;
        own = true;
        continue;
      }
      const key = this.#keys.of(node, this.#sourceCode.getScope(node), env);
      if (!key) continue;
      const root = rootOf(key.term);
      if (root.kind === 'slot' && root.slot === 'call') own = true;
      else if (field !== undefined) fields[field] = key;
    }
    // An object or array holding a path built from the parameters (`return { tmpPath, bytes }`) is
    // known by its fields too.
    if (!own && Object.keys(fields).length === 0) return undefined;
    this.#returnedParts.set(fn, {
      ...(Object.keys(fields).length > 0 ? { returnsFields: fields } : {}),
      ...(Object.keys(handles).length > 0 ? { returnsHandles: handles } : {}),
    });
    return new FileKey(term.slot('call'));
  }

  /**
   * The descriptors and FileHandles that calls of this file receive from the functions they call
   * (`const { fd, path } = openTemp(file)`), and those that calls of methods leave in their
   * receiver's fields (`await w.open(tmp)` sets `w.fh` to a handle on `tmp`): the key the value has
   * at the call, and the handle.
   */
  handlesFromCalls(): Array<{ key: string; handle: Handle }> {
    const out: Array<{ key: string; handle: Handle }> = [];
    // Resolving every call of a large file costs more than the rest of its summaries: only calls of a
    // local function returning a handle, or of another module's export, can receive one; only calls
    // of a local method can fill fields, when one of them does.
    const summaries = [...this.#summaries.values()];
    const localHandles = summaries.some((summary) => summary.returnsHandles);
    const fieldHandles = summaries.some((summary) => summary.handleFields);
    const handle = (file: FileKey): Handle => ({ file, kind: 'descriptor', syncWrites: false, flushOnClose: false });
    for (const call of localHandles || fieldHandles ? this.#graph.calls : this.#importedCalls) {
      if (call.type === 'NewExpression' && fieldHandles) {
        // `new Writer(tmp)` whose constructor opens what it was given (`this.fd = openSync(file, 'w')`):
        // the object's `fd` is a descriptor on `tmp`.
        const made = this.#graph.constructorOf(call);
        const fields = made && this.#summaries.get(made)?.handleFields;
        if (!fields) continue;
        const scope = this.#sourceCode.getScope(call);
        const args = (call.arguments as ESTree.Node[]).map((arg) =>
          arg.type === 'SpreadElement' ? undefined : this.#keys.of(arg, scope),
        );
        const result = callResultKey(call, this.#keys.prefix);
        for (const [field, template] of Object.entries(fields)) {
          const file = instantiate(template, { args, result });
          if (file) out.push({ key: new FileKey(term.member(result.term, field)).id, handle: handle(file) });
        }
        continue;
      }
      const found = this.#summaryOfCall(call);
      if (!found) continue;
      const handles = localHandles || this.#importedCalls.has(call) ? found.summary.returnsHandles : undefined;
      const fields = found.callee.kind === 'local' && found.callee.receiver ? found.summary.handleFields : undefined;
      if (!handles && !fields) continue;
      const { args, argumentCount, receiver } = this.#argumentsOf(call, found.callee, undefined);
      const result = callResultKey(call, this.#keys.prefix);
      for (const [field, template] of Object.entries(handles ?? {})) {
        const file = instantiate(template, { args, argumentCount, receiver, result });
        if (file) out.push({ key: new FileKey(term.field(result.term, field || undefined)).id, handle: handle(file) });
      }
      if (!receiver) continue;
      for (const [field, template] of Object.entries(fields ?? {})) {
        const instantiated = instantiate(template, { args, receiver });
        // `this.path` of an object built with it (`new Writer(tmp)`) is `tmp`.
        const file = instantiated && this.#keys.heldIn(instantiated);
        if (file)
          out.push({ key: new FileKey(term.member(receiver.term, field), receiver.deps).id, handle: handle(file) });
      }
    }
    return out;
  }

  /**
   * `folderOrInside` of what a function returns (`returned`, whose keys are `keys`), a choice's branches
   * each: only a choice's branches are keyed again.
   */
  #folderOrInside(
    returned: readonly ESTree.Node[],
    keys: ReadonlyArray<FileKey | undefined>,
    env: KeyEnvironment,
  ): PathTemplate | undefined {
    const branchKeys = returned.flatMap((value, i) => {
      const branches = branchesOf(value);
      return branches.length === 1 && branches[0] === value
        ? [keys[i]]
        : branches.map((branch) => this.#keys.of(branch, this.#sourceCode.getScope(branch), env));
    });
    return folderOrInside(branchKeys);
  }

  /**
   * A path builder whose result cannot be spelled out (`ensureCachePath(p)` resolves `p` against a
   * configured directory) but that shows no sign of naming a new file at every call (randomness, a
   * clock, a counter, in it or in the functions of its module it calls): equal arguments, equal path.
   */
  #opaqueReturn(fn: FunctionNode, returned: ReadonlyArray<FileKey | undefined>): PathTemplate | undefined {
    const name = nameOf(fn);
    if (!name || !builderName.test(name) || fn.params.length === 0 || !fn.params.every((p) => p.type === 'Identifier'))
      return undefined;
    if (this.#differsPerCall(fn)) return undefined;
    const params = fn.params.map((_, i) => term.slot(i));
    const built = term.built(`${this.#keys.prefix}${fn.range?.[0] ?? 0}`, params);
    // Its returns differ, by platform say (`join(dir, name)`, or with `.exe`), but all name a file in
    // one directory: the file it builds is in there (a file extracted into that directory, say).
    const directory = commonDirectory(returned);
    return directory ? new FileKey(term.path('join', [directory.term, built]), params) : new FileKey(built, params);
  }

  /** Does `fn`, or a function of this file it calls, show randomness, a clock or a counter? */
  #differsPerCall(fn: FunctionNode): boolean {
    const texts = [this.#sourceCode.getText(fn)];
    for (const call of this.#callsOf(fn)) {
      const callee = this.#graph.calleeOf(call);
      if (callee?.kind === 'local' && callee.fn !== fn) texts.push(this.#sourceCode.getText(callee.fn));
    }
    return texts.some((text) => differsPerCall.test(text));
  }

  /**
   * `rename(p, retiredPath(p))`: a destination that a function of this file makes up anew at each
   * call (randomness, a clock, a counter) from the source itself is where the source is moved aside
   * (before a removal, a restore), not a target it is published at.
   */
  movesAside(destination: ESTree.Node | undefined, source: FileKey, env?: KeyEnvironment): boolean {
    let node = destinationValue(destination, (id) => this.#sourceCode.getScope(id));
    if (node?.type === 'AwaitExpression') node = unwrap(node.argument);
    if (node?.type !== 'CallExpression') return false;
    // `join(dirname(target), \`.${basename(target)}.backup-${Date.now()}\`)`: a fresh name beside it.
    if (/^(?:join|resolve)$/.test(calleeName(node.callee) ?? '') && node.arguments.length >= 2) {
      const scope = this.#sourceCode.getScope(node);
      const [folder, ...names] = node.arguments as ESTree.Node[];
      const folderKey = folder && folder.type !== 'SpreadElement' ? this.#keys.of(folder, scope, env) : undefined;
      const beside = !!folderKey && isDirnameOf(folderKey.term, source);
      const fresh = names.some((name) =>
        differsPerCall.test(
          this.#sourceCode.getText(destinationValue(name, (id) => this.#sourceCode.getScope(id)) ?? name),
        ),
      );
      if (beside && fresh) return true;
    }
    const callee = this.#graph.calleeOf(node);
    if (callee?.kind !== 'local' || !this.#differsPerCall(callee.fn)) return false;
    const scope = this.#sourceCode.getScope(node);
    return node.arguments.some(
      (arg) => arg.type !== 'SpreadElement' && !!this.#keys.of(arg, scope, env)?.equals(source),
    );
  }

  /** A local function's call and the path it hands its callback (`cb(err, tmp)`), in terms of its arguments. */
  #deliveredCall(call: ESTree.CallExpression): (Delivered & { args: readonly ESTree.Node[] }) | undefined {
    const callee = this.#graph.calleeOf(call);
    if (callee?.kind !== 'local') return undefined;
    if (!this.#delivered.has(callee.fn)) {
      // A recursive function delivers nothing known while it is being computed.
      this.#delivered.set(callee.fn, undefined);
      this.#delivered.set(callee.fn, this.#deliveredOf(callee.fn));
    }
    const delivered = this.#delivered.get(callee.fn);
    return delivered && { ...delivered, args: (call.arguments as ESTree.Node[]).slice(callee.argOffset) };
  }

  /**
   * A local function's call and the path it calls the function passed as argument `callback` with,
   * as that function's parameter `parameter` (`walk(root, (file) => …)` of `function walk(dir, onFile)
   * { for (const f of readdirSync(dir)) onFile(join(dir, f)) }`: some file inside `root`), in terms of
   * the call's arguments. Undefined when its calls hand different paths or it hands the function on.
   */
  #handedCall(
    call: ESTree.CallExpression,
    callback: number,
    parameter: number,
  ): { template: PathTemplate; args: readonly ESTree.Node[] } | undefined {
    const callee = this.#graph.calleeOf(call);
    // Another module's function: what its summary says it calls the function with.
    if (callee?.kind === 'import') {
      const summary = this.#importedCalls.has(call) ? this.#imported?.(callee.source, callee.name) : undefined;
      const template = summary?.hands?.[handedKey(callback - callee.argOffset, parameter)];
      return template && { template, args: (call.arguments as ESTree.Node[]).slice(callee.argOffset) };
    }
    const param = callee?.kind === 'local' ? callee.fn.params[callback - callee.argOffset] : undefined;
    if (callee?.kind !== 'local' || param?.type !== 'Identifier') return undefined;
    const fn = callee.fn;
    const cacheKey = handedKey(callback - callee.argOffset, parameter);
    let cached = this.#handed.get(fn);
    if (!cached) this.#handed.set(fn, (cached = new Map()));
    if (!cached.has(cacheKey)) {
      // A recursive function hands nothing known while it is being computed.
      cached.set(cacheKey, undefined);
      cached.set(cacheKey, this.#handedOf(fn, param, parameter, this.#summaries.get(fn)?.rename?.from));
    }
    const template = cached.get(cacheKey);
    return template && { template, args: (call.arguments as ESTree.Node[]).slice(callee.argOffset) };
  }

  /** The path `fn` calls its parameter `param` with as argument `index`, the same at every call. */
  #handedOf(
    fn: FunctionNode,
    param: ESTree.Identifier,
    index: number,
    renamed?: PathTemplate,
  ): PathTemplate | undefined {
    const variable = this.#sourceCode.getDeclaredVariables(fn).find((v) => v.defs.some((d) => d.name === param));
    if (!variable) return undefined;
    const env = this.#environmentOf(fn);
    const handed: PathTemplate[] = [];
    for (const reference of variable.references) {
      const call = (reference.identifier as Rule.Node).parent;
      // Handed on to the recursion's own call (`walk(sub, onFile)`): its calls are these.
      if (
        call?.type === 'CallExpression' &&
        call.arguments.includes(reference.identifier as ESTree.Expression) &&
        this.#graph.calleeOf(call as Call)?.kind === 'local' &&
        (this.#graph.calleeOf(call as Call) as { fn: FunctionNode }).fn === fn
      )
        continue;
      if (call?.type !== 'CallExpression' || call.callee !== reference.identifier) return undefined;
      const value = call.arguments[index];
      const key =
        value && value.type !== 'SpreadElement'
          ? this.#keys.of(value as ESTree.Node, this.#sourceCode.getScope(value), env)
          : undefined;
      if (!key) return undefined;
      handed.push(key);
    }
    const [first] = handed;
    if (handed.every((key) => key.equals(first))) return first;
    // Handed the target itself on one path and a stage it then renames on another (`if (!exists)
    // return install(target); … await install(stage); await rename(stage, target)`): the stage.
    return renamed && handed.some((key) => key.equals(renamed)) ? renamed : undefined;
  }

  /** The path `fn` hands its callback (its last parameter) as the value, the same at every call of it. */
  #deliveredOf(fn: FunctionNode): Delivered | undefined {
    const env = this.#environmentOf(fn);
    const values = this.#valuesDelivered(fn);
    // `cb(null, { path: outputPath, size })`: an object of its own, known by the files its fields name
    // (those every call names alike).
    if (values.length > 0 && values.every((value) => value.type === 'ObjectExpression')) {
      let fields: Map<string, PathTemplate> | undefined;
      for (const value of values) {
        // Read as an options object spelled out at a call is (`shapeOf`).
        const shape = this.#keys.shapeOf(value, this.#sourceCode.getScope(value), 0, env);
        const named = new Map<string, PathTemplate>();
        for (const [field, part] of shape?.fields ?? []) if (part.key) named.set(field, part.key);
        if (fields) for (const [field, key] of fields) if (!named.get(field)?.equals(key)) fields.delete(field);
        fields ??= named;
      }
      return fields && fields.size > 0 ? { template: new FileKey(term.slot('call')), fields } : undefined;
    }
    let template: PathTemplate | undefined;
    for (const value of values) {
      const key =
        value.type === 'SpreadElement' ? undefined : this.#keys.of(value, this.#sourceCode.getScope(value), env);
      if (!key || (template && !template.equals(key))) return undefined;
      template = key;
    }
    return template && { template };
  }

  /** What `fn` hands its callback (its last parameter) as the value: `cb(null, tmp)`. */
  #valuesDelivered(fn: FunctionNode): ESTree.Node[] {
    const last = fn.params[fn.params.length - 1];
    if (last?.type !== 'Identifier') return [];
    const callback = this.#sourceCode.getDeclaredVariables(fn).find((v) => v.defs.some((d) => d.name === last));
    const values: ESTree.Node[] = [];
    for (const reference of callback?.references ?? []) {
      const call = (reference.identifier as Rule.Node).parent;
      // `cb(err)` alone is the error path: it hands over no value.
      if (call?.type !== 'CallExpression' || call.callee !== reference.identifier || call.arguments.length < 2)
        continue;
      values.push(call.arguments[1] as ESTree.Node);
    }
    return values;
  }

  #pathCall(call: ESTree.CallExpression | ESTree.NewExpression):
    | {
        template: PathTemplate;
        args: readonly ESTree.Node[];
        receiver?: ESTree.Node;
        fields?: ReadonlyMap<string, PathTemplate>;
      }
    | undefined {
    if (call.type === 'NewExpression')
      return this.#constructed(call, call.arguments as ESTree.Node[]) ?? this.#constructedElsewhere(call);
    // `FS(p)` of `function getFs(path) { return new FSPath(path) }`: as `new FSPath(p)`.
    const factory = this.#graph.factoryOf(call);
    if (factory) return this.#constructed(factory.made, factory.args);
    const callee = this.#graph.calleeOf(call);
    if (!callee) return undefined;
    // Another module is read for a path builder only when its name says it builds a path, or when
    // this file's calls of it were looked up (it is handed a file in use here): what it returns is
    // asked as a builder's either way (`ensureDir(tmp)` makes the folder and returns `tmp`).
    const imported =
      callee.kind === 'import' && (builderName.test(callee.name) || this.#importedCalls.has(call))
        ? this.#imported?.(callee.source, callee.name, 'builder')
        : undefined;
    const returned = callee.kind === 'local' ? this.#returnsOf(callee.fn) : imported?.returns;
    // Called without its callback (`promisify(stage)(file, data)`): the promise resolves with what it
    // hands the callback.
    const delivered =
      !returned &&
      callee.kind === 'local' &&
      call.arguments.length - callee.argOffset < callee.fn.params.length &&
      call.type === 'CallExpression'
        ? this.#deliveredCall(call)
        : undefined;
    const template = returned ?? delivered?.template;
    if (!template) return undefined;
    const fieldsOf =
      callee.kind === 'local' ? this.#returnedParts.get(callee.fn)?.returnsFields : imported?.returnsFields;
    const args = (call.arguments as ESTree.Node[]).slice(callee.argOffset);
    const receiver = callee.receiver;
    const fields = delivered?.fields
      ? { fields: delivered.fields }
      : fieldsOf
        ? { fields: new Map(Object.entries(fieldsOf)) }
        : {};
    return receiver ? { template, args, receiver, ...fields } : { template, args, ...fields };
  }

  /**
   * `new C(…)` of a class or constructor function of this file: an object of its own (another at each
   * `new`), whose fields name the files its constructor keeps from its arguments (`this.file = file`,
   * TypeScript's `constructor(private file: string)`), so that a method writing `this.file` writes
   * the file the caller passed.
   */
  #constructed(
    made: ESTree.NewExpression,
    args: readonly ESTree.Node[],
  ): { template: PathTemplate; args: readonly ESTree.Node[]; fields: ReadonlyMap<string, PathTemplate> } | undefined {
    const constructor = this.#graph.constructorOf(made);
    const fields = constructor && this.#fieldsSetBy(constructor);
    // Or none, when it opens a file into a field (`this.fd = openSync(file, 'w')`): the object is its own.
    if (!fields || (fields.size === 0 && !this.#summaries.get(constructor)?.handleFields)) return undefined;
    return { template: new FileKey(term.slot('call')), args, fields };
  }

  /**
   * `new FileWriter(tmp)` of a class another module exports, whose constructor keeps paths it was
   * given: its summary as module summaries give it (`constructedSummary`).
   */
  #constructedElsewhere(
    made: ESTree.NewExpression,
  ): { template: PathTemplate; args: readonly ESTree.Node[]; fields?: ReadonlyMap<string, PathTemplate> } | undefined {
    const callee = this.#graph.calleeOf(made);
    if (callee?.kind !== 'import' || !this.#importedCalls.has(made)) return undefined;
    const summary = this.#imported?.(callee.source, callee.name);
    if (!summary?.returns || !summary.returnsFields) return undefined;
    return {
      template: summary.returns,
      args: made.arguments as ESTree.Node[],
      fields: new Map(Object.entries(summary.returnsFields)),
    };
  }

  /**
   * What `new C(…)` of class `cls` gives its callers in another module: an object of its own whose
   * fields name the files its constructor keeps from its arguments, as `#constructed` sees it here.
   */
  constructedSummary(cls: ESTree.ClassDeclaration | ESTree.ClassExpression): FunctionSummary | undefined {
    const constructor = cls.body.body.find(
      (element): element is ESTree.MethodDefinition =>
        element.type === 'MethodDefinition' && element.kind === 'constructor',
    )?.value;
    if (!constructor) return undefined;
    const fields = this.#fieldsSetBy(constructor);
    if (fields.size === 0) return undefined;
    return {
      style: 'sync',
      syncs: false,
      returns: new FileKey(term.slot('call')),
      returnsFields: Object.fromEntries(fields),
    };
  }

  /** The fields of `this` a constructor sets to a path it can spell out from its parameters. */
  #fieldsSetBy(constructor: FunctionNode): ReadonlyMap<string, PathTemplate> {
    let fields = this.#constructorFields.get(constructor);
    if (fields) return fields;
    fields = new Map();
    this.#constructorFields.set(constructor, fields);
    const env = this.#environmentOf(constructor);
    const conflicting = new Set<string>();
    const keep = (name: string, key: FileKey | undefined): void => {
      const earlier = fields.get(name);
      if (!key || (earlier && !earlier.equals(key)) || conflicting.has(name)) {
        fields.delete(name);
        conflicting.add(name);
      } else fields.set(name, key);
    };
    for (const [index, param] of constructor.params.entries()) {
      // TypeScript's parameter properties: `constructor(private readonly file: string)`.
      const property = param as unknown as { type: string; parameter?: ESTree.Pattern };
      if (property.type === 'TSParameterProperty' && property.parameter?.type === 'Identifier')
        keep(property.parameter.name, FileKey.tracked(term.slot(index)));
    }
    // Callbacks and nested functions run later, or never: only the constructor's own statements.
    for (const node of descendants(constructor.body, (n) => n === constructor.body || !isFunctionNode(n))) {
      if (node.type !== 'AssignmentExpression' || node.left.type !== 'MemberExpression') continue;
      const name = node.left.object.type === 'ThisExpression' ? propertyName(node.left) : undefined;
      if (name === undefined) continue;
      keep(name, node.operator === '=' ? this.#keys.of(node.right, this.#sourceCode.getScope(node), env) : undefined);
    }
    return fields;
  }
}

/** Is `call`'s value what `fn` returns (`return call`, `return await call`, a concise arrow body)? */
/** `x.write(…)`, `x.sync()`: a FileHandle's write or sync, if `x` is one. */
function isHandleMethodCall(call: Call): boolean {
  if (call.callee.type !== 'MemberExpression') return false;
  const name = propertyName(call.callee);
  const kind = name === undefined ? undefined : fileHandleMembers.get(name)?.kind;
  return kind === 'write' || kind === 'sync';
}

function returnsValueOf(call: Call, fn: FunctionNode): boolean {
  let child: ESTree.Node = call;
  let parent = (call as Rule.Node).parent;
  while (parent?.type === 'AwaitExpression') {
    child = parent;
    parent = parent.parent;
  }
  return (parent?.type === 'ReturnStatement' && parent.argument === child) || (parent === fn && fn.body === child);
}

/**
 * What a call does: a handler factory's call passed to another call (`once('close', handleClose(this))`)
 * also does what its handler does, since whoever gets the handler calls it after this code ran.
 */
function asCalled(call: Call, summary: FunctionSummary): FunctionSummary {
  const { handler } = summary;
  const parent = (call as Rule.Node).parent;
  if (
    !handler ||
    !(
      (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
      parent.arguments.includes(call as never)
    )
  )
    return summary;
  const write = summary.write ?? handler.write;
  const rename = handler.rename ?? summary.rename;
  return {
    style: summary.style,
    syncs: summary.syncs || handler.syncs,
    ...(write ? { write } : {}),
    ...(rename ? { rename } : {}),
  };
}

/** The name a function is called by, for messages. */
export function nameOf(fn: FunctionNode): string | undefined {
  if (fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') if (fn.id) return fn.id.name;
  const parent = (fn as Rule.Node).parent;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (
    (parent?.type === 'MethodDefinition' || parent?.type === 'Property' || parent?.type === 'PropertyDefinition') &&
    !parent.computed &&
    parent.key.type === 'Identifier'
  ) {
    return parent.key.name;
  }
  if (
    parent?.type === 'AssignmentExpression' &&
    parent.left.type === 'MemberExpression' &&
    parent.left.property.type === 'Identifier'
  ) {
    return parent.left.property.name;
  }
  return undefined;
}

function calleeText(call: Call): string {
  const callee = call.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') return callee.property.name;
  if (callee.type === 'MemberExpression' && callee.property.type === 'PrivateIdentifier')
    return `#${callee.property.name}`;
  return 'call';
}

/**
 * An fs adapter's open and fsync by their names (`open(p, 'w')`, `fsu.openSync(p, 'w')`, `fsync(fd)`):
 * one may hand out a descriptor on `p`, the other make its writes durable. Their arguments are a
 * descriptor or a path not yet known to be in use, so they are looked up by name.
 */
const adapterByName = /(?:^|\.)(?:open(?:Sync)?|f(?:data)?sync(?:Sync)?)$/;

/** The keys an argument's shape holds: its own, or those of an array's elements and an object's fields. */
function shapeKeys(shape: ArgumentShape | undefined): FileKey[] {
  if (!shape) return [];
  return [
    ...(shape.key ? [shape.key] : []),
    ...(shape.elements ?? []).flatMap(shapeKeys),
    ...[...(shape.fields?.values() ?? [])].flatMap(shapeKeys),
  ];
}

/**
 * Does `path` name a file through `this` and values from outside `holder` only (`this.filePath`,
 * `` `${this.dir}/data.json` ``, a module constant)? Then it names the same file in every method.
 */
function namesOnlyItsObject(sourceCode: SourceCode, path: ESTree.Node, holder: ESTree.Node): boolean {
  for (const n of descendants(path)) {
    if (n.type !== 'Identifier') continue;
    const parent = parentOf(n);
    if (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) continue;
    if (parent?.type === 'Property' && parent.key === n && !parent.computed) continue;
    const variable = findVariable(sourceCode.getScope(n), n.name);
    const declared = variable?.defs[0]?.node as ESTree.Node | undefined;
    if (declared && within(declared, holder)) return false;
  }
  return true;
}

/** How a helper's argument, shown as the renamed file, stands for it (see `SummarisedCall.file`). */
export type LabelAs = 'inside' | 'from';

/** The class body or object literal whose method `node` is in. */
function enclosingClassLike(node: ESTree.Node): ESTree.Node | undefined {
  for (let n: ESTree.Node | null | undefined = (node as Rule.Node).parent; n; n = (n as Rule.Node).parent) {
    if (n.type === 'ClassBody' || n.type === 'ObjectExpression') return n;
    if (n.type === 'Program') return undefined;
  }
  return undefined;
}

/** Does `call` hand over array or object literals, whose parts a template is instantiated with? */
const passesLiterals = (call: Call): boolean =>
  (call.arguments as ESTree.Node[]).some((arg) => arg.type === 'ArrayExpression' || arg.type === 'ObjectExpression');

/** `...parts` as the last argument of `join(…)` or `resolve(…)`. */
function spreadLastIntoPath(reference: Scope.Reference): boolean {
  const spread = (reference.identifier as ESTree.Identifier & { parent?: ESTree.Node }).parent;
  const call = (spread as (ESTree.Node & { parent?: ESTree.Node }) | undefined)?.parent;
  return (
    spread?.type === 'SpreadElement' &&
    call?.type === 'CallExpression' &&
    call.arguments[call.arguments.length - 1] === spread &&
    /^(?:join|resolve)$/.test(calleeText(call))
  );
}

/**
 * Does the destination's text start with the source itself, whatever follows
 * (`rename(log, log + '.' + Date.now())`, `` `${log}.${stamp()}` ``)? A clock or a counter has no
 * file key, so the key of such a name is unknown; its first part still says it is the source's name
 * with something appended: a rotation or a move-aside, not a publish.
 */
export function startsWithSource(
  destination: ESTree.Node | undefined,
  source: FileKey,
  keys: FileKeys,
  scope: Scope.Scope,
  env?: KeyEnvironment,
): boolean {
  const node = destinationValue(destination, () => scope);
  let first: ESTree.Node | undefined;
  let pieces: ESTree.Node[] | undefined;
  if (node?.type === 'BinaryExpression' && node.operator === '+') {
    first = node.left;
    while (first.type === 'BinaryExpression' && first.operator === '+') first = first.left;
  } else if (node?.type === 'TemplateLiteral' && node.expressions.length > 0 && node.quasis[0]?.value.cooked === '') {
    first = node.expressions[0];
  } else if (node?.type === 'CallExpression' && (pieces = compiledTemplate(node))) {
    // `"".concat(log, ".old-").concat(Date.now())`: a template literal compiled to ES5.
    const [head, second] = pieces;
    first = head?.type === 'Literal' && head.value === '' ? second : undefined;
  } else if (
    // `log.replace('.jsonl', \`-${stamp}.jsonl\`)`: the source's name with a part made at run time.
    node?.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    /^replace(?:All)?$/.test(propertyName(node.callee) ?? '') &&
    madeAtRunTime(node.arguments[1] as ESTree.Node | undefined)
  ) {
    first = node.callee.object as ESTree.Node;
  }
  return !!first && first.type !== 'PrivateIdentifier' && !!keys.of(first, scope, env)?.equals(source);
}

/** A rename's destination as written, or the initialiser of the `const` it names. */
function destinationValue(
  destination: ESTree.Node | undefined,
  scopeOf: (id: ESTree.Identifier) => Scope.Scope,
): ESTree.Node | undefined {
  const node = destination && unwrap(destination);
  if (node?.type !== 'Identifier') return node;
  const init = initialiserOf(scopeOf(node), node.name);
  return init && unwrap(init);
}

/** A replacement text with a part computed when it runs (`` `-${timestamp}.jsonl` ``, `'.' + Date.now()`). */
function madeAtRunTime(node: ESTree.Node | undefined): boolean {
  if (node?.type === 'TemplateLiteral') return node.expressions.length > 0;
  if (node?.type === 'BinaryExpression' && node.operator === '+')
    return node.left.type !== 'Literal' || node.right.type !== 'Literal';
  return false;
}
