/**
 * The last phase of the engine: from the writes and renames recorded while ESLint walked the file,
 * and the flow graph between them, the findings. A rename is reported when a write of the file it
 * renames (the same file key) reaches it on some path without an fsync.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import type { FsMember } from '../fs-api.js';
import type { FileKey, PathKeys } from './file-key.js';
import type { FileSystems } from './file-systems.js';
import type { FlowEvent, FlowGraph } from './flow.js';
import { isInside } from './key.js';
import { enclosingFunction } from '../ast.js';
import type { LabelAs, SummarisedCall } from './summaries.js';
import { wrapperOf, type Wrapper } from './wrapper.js';

/** One unsynced write → rename. */
export interface UnsyncedRename {
  /** The rename (or move) call that publishes the file. */
  readonly rename: ESTree.CallExpression;
  /** The function called for the rename, as the API names it (`renameSync`, `move`). */
  readonly renameName: string;
  /** The earliest write with a path to the rename that has no fsync on it. */
  readonly write: ESTree.Node;
  /** The function that wrote (`writeFile`, `write`, `createWriteStream`). */
  readonly writeName: string;
  /** The path expression of the rename's source, as written. */
  readonly file: ESTree.Node;
  /** The file the write and the rename were matched on. */
  readonly fileKey: FileKey;
  /** The detector's keys: a fix compares other expressions with `fileKey` through them. */
  readonly keys: PathKeys;
  /** For messages, when a helper builds the path from an argument (`renameCacheFile(tmp, …)`): that argument. */
  readonly fileLabel?: ESTree.Node;
  /**
   * How `fileLabel` stands for the file: a folder the helper renames a file `inside`
   * (`renameFiles(projectDir)`), or what it names the file `from` (`commit(file)` renames `file + '.part'`).
   */
  readonly fileLabelAs?: LabelAs;
  /** How the rename's module member is described in the fs API table. */
  readonly renameMember: FsMember;
  /** How the write is described in the fs API table (FileHandle members included). */
  readonly writeMember: FsMember;
  /** Some other path from the write to the rename does fsync the file: the sync is missing on some paths only. */
  readonly syncedOnSomePath: boolean;
  /**
   * When `rename` calls a helper of this file: the fs call inside it (maybe several helpers down)
   * that renames, with the path it names there.
   */
  readonly innerRename?: {
    readonly call: ESTree.CallExpression;
    readonly member: FsMember;
    readonly file: ESTree.Node;
  };
  /**
   * The project's own write/rename wrapper around the fs call that renames (`renameTmp(src, dst, cb)`):
   * its callers pass the path, and the data was written outside it. A fix of its body reaches every caller.
   */
  readonly wrapper?: Wrapper;
  /** Earlier writes of the same file, by other calls, that also reach the rename without an fsync. */
  readonly otherWrites?: ReadonlyArray<{ readonly write: ESTree.Node; readonly writeMember: FsMember }>;
  /**
   * Every path from the writes to the rename passes where they settle (return, callback, awaited
   * promise, a stream's 'close'), so `flush: true` on them fsyncs before the rename. False when the
   * rename can run first: an unawaited write, a rename earlier in a loop, a rename on 'finish'.
   */
  readonly settlesBeforeRename: boolean;
}

/** A directory renamed into place after files were written inside it, none of them fsynced on some path. */
export interface UnsyncedDirectoryRename {
  /** The rename (or move) call that publishes the directory. */
  readonly rename: ESTree.CallExpression;
  readonly renameName: string;
  /** The directory expression, as written (for a helper's call, the argument or parameter naming it). */
  readonly directory: ESTree.Node;
  /** The earliest write inside it with a path to the rename that has no fsync of its file. */
  readonly write: ESTree.Node;
  readonly writeName: string;
  /** When `rename` calls a helper of this file: the fs call inside it that renames the directory. */
  readonly innerRename?: UnsyncedRename['innerRename'];
}

type Call = ESTree.CallExpression | ESTree.NewExpression;
type RenameEvent = Extract<FlowEvent, { type: 'rename' }>;

/** A write event, with how the fs API table describes the call. */
export interface RecordedWrite {
  readonly event: Extract<FlowEvent, { type: 'write' }>;
  readonly member: FsMember;
  /** An archive extractor's write: every file inside this directory. */
  readonly inside?: FileKey;
  /** Appends by how the file was opened (`{ flag: 'a' }`, a descriptor opened `'a'`), as `member.appends` says by name. */
  readonly appends?: true;
}

/** A rename event, with the path expression it renames (and, for messages, a helper's argument naming it). */
export interface RecordedRename {
  readonly event: RenameEvent;
  readonly member: FsMember;
  readonly fileNode: ESTree.Node;
  readonly fileLabel?: ESTree.Node;
  readonly fileLabelAs?: LabelAs;
  /** Where it moves the file, when that has a key. */
  readonly destination?: FileKey;
}

/** What the earlier phases hand to this one. */
export interface RecordedEvents {
  readonly sourceCode: SourceCode;
  readonly writes: readonly RecordedWrite[];
  readonly renames: readonly RecordedRename[];
  readonly flow: FlowGraph;
  /** Calls of summarised helpers, by call. */
  readonly summarised: ReadonlyMap<ESTree.Node, SummarisedCall>;
  readonly fileSystems: FileSystems;
  readonly keys: PathKeys;
}

/** The fs rename call at the end of a chain of local rename helpers. */
function innerRenameOf(
  call: ESTree.CallExpression,
  { summarised, fileSystems }: RecordedEvents,
): UnsyncedRename['innerRename'] {
  const seen = new Set<ESTree.Node>();
  let inner = summarised.get(call)?.renamedBy;
  while (inner && summarised.has(inner) && !seen.has(inner)) {
    seen.add(inner);
    inner = summarised.get(inner)?.renamedBy;
  }
  const info =
    inner?.type === 'CallExpression' && !summarised.has(inner) ? fileSystems.infoOf(inner as Call) : undefined;
  const file =
    info?.member.kind === 'rename' && info.member.path !== undefined
      ? (inner as ESTree.CallExpression).arguments[info.member.path]
      : undefined;
  return info && file && file.type !== 'SpreadElement'
    ? { call: inner as ESTree.CallExpression, member: info.member, file }
    : undefined;
}

/** Is a rename that the helper called at `call` runs (through helpers of helpers) in `reported`? */
function reportedInside(
  call: ESTree.Node,
  reported: { has(node: ESTree.Node): boolean },
  summarised: RecordedEvents['summarised'],
): boolean {
  const seen = new Set<ESTree.Node>();
  for (
    let inner = summarised.get(call)?.renamedBy;
    inner && !seen.has(inner);
    inner = summarised.get(inner)?.renamedBy
  ) {
    if (reported.has(inner)) return true;
    seen.add(inner);
  }
  return false;
}

/** Signs in a file's name or path expression that it is a temp file, or made anew at each run. */
const tempName = /te?mp|\.part\b|partial|stag(?:ed|ing)|\.new\b|random|uuid|nanoid|Date\.now|hrtime|\bpid\b/i;

/**
 * A log rotation, not a publish: every write that reaches the rename unsynced appended to the file
 * (`appendFileSync(log, line)`), nothing in its name says temp file, and it moves to a name it was
 * not made from (`renameSync(log, join(dir, \`${day}.log\`))`, `log + '.' + Date.now()`): it replaces
 * no earlier version, and what it held was as unsynced before the rename as after. An appended temp
 * published over its target (`appendFile(tmp, …)`, then `rename(tmp, file)`, `tmp` made from `file`
 * or named as one) is a publish.
 */
function rotatesLog(
  reaching: readonly RecordedWrite[],
  source: FileKey,
  sourceText: string,
  destination: FileKey | undefined,
): boolean {
  return (
    reaching.every((w) => w.member.appends || w.appends) &&
    // A key mentions itself: a rename onto its own name is no move away either.
    !(destination && source.mentions(destination)) &&
    !tempName.test(sourceText) &&
    !tempName.test(source.id)
  );
}

/** Would `flush: true` on each of `reaching` fsync it before `rename`, on every path? */
function settlesBeforeRename(flow: FlowGraph, reaching: readonly RecordedWrite[], rename: RenameEvent): boolean {
  const unsynced = reaching.filter((w) => flow.hasUnsyncedPath(w.event, rename, rename.file));
  const flushed = new Set(unsynced.map((w) => w.event.node));
  return unsynced.every((w) => !flow.hasUnsyncedPath(w.event, rename, rename.file, flushed));
}

/** Can `w` have written the file `rename` renames: a write of its key, or of every file inside a folder holding it (in the order written)? */
export const mayHaveWritten = (w: RecordedWrite, rename: RenameEvent): boolean =>
  w.event.file.id === rename.file.id || (w.inside !== undefined && isInside(rename.file, w.inside));

/**
 * Does some path from `w` (one of `mayHaveWritten`'s) reach `rename` with no fsync of the file? A write
 * of every file inside a directory is synced by an fsync of the file it names (a flushed loop). A file
 * written inside a directory (copied, extracted) is linked to the rename through the directory: a name
 * reassigned after the write (`name = name.replace(…)`) is still some file in it.
 */
export const reachesUnsynced = (
  flow: FlowGraph,
  w: RecordedWrite,
  { event: rename, destination }: Pick<RecordedRename, 'event' | 'destination'>,
): boolean =>
  w.event.file.id === rename.file.id
    ? flow.hasUnsyncedPath(w.event, rename, rename.file)
    : flow.hasUnsyncedPath(
        w.event,
        rename,
        rename.file,
        undefined,
        w.inside ?? w.event.file,
        w.inside ? { movedTo: destination } : undefined,
      ) && flow.hasUnsyncedPath(w.event, rename, w.event.file);

/**
 * Was the file `rename` moves a name the same function moved something to before `w`, a write of the
 * files inside a folder holding it (`rename(tools, aside)`, an archive extracted into their parent,
 * then `rename(aside, tools)` to restore them when that failed)? It holds what was moved aside, not
 * the archive's files.
 */
function movedAsideBefore(w: RecordedWrite, recorded: RecordedRename, renames: readonly RecordedRename[]): boolean {
  if (w.inside === undefined || w.event.file.id === recorded.event.file.id) return false;
  const fn = enclosingFunction(w.event.node);
  const writtenAt = w.event.node.range?.[0] ?? 0;
  return renames.some(
    (r) =>
      r !== recorded &&
      r.destination?.id === recorded.event.file.id &&
      (r.event.node.range?.[1] ?? Infinity) <= writtenAt &&
      enclosingFunction(r.event.node) === fn,
  );
}

/**
 * The findings of one file, in source order: each rename with a write of its file that reaches it
 * on some path without an fsync (`onFinding`), and each directory renamed after a file inside it
 * was written unsynced (`onDirectory`).
 */
export function reportFindings(
  events: RecordedEvents,
  onFinding: (finding: UnsyncedRename) => void,
  onDirectory?: (finding: UnsyncedDirectoryRename) => void,
): void {
  const { sourceCode, writes, renames, flow, summarised, keys } = events;
  const writesByFile = new Map<string, RecordedWrite[]>();
  for (const w of writes) {
    const list = writesByFile.get(w.event.file.id);
    if (list) list.push(w);
    else writesByFile.set(w.event.file.id, [w]);
  }
  const writesInside = writes.some((w) => w.inside);
  const findings = new Map<ESTree.Node, UnsyncedRename>();
  for (const recorded of renames) {
    const { event: rename, member: renameMember, fileNode, fileLabel, fileLabelAs, destination } = recorded;
    const candidates = writesInside
      ? writes.filter((w) => mayHaveWritten(w, rename) && !movedAsideBefore(w, recorded, renames))
      : (writesByFile.get(rename.file.id) ?? []);
    // The last write that reaches the rename unsynced: when a file is written twice (two temps with
    // the same name), the fix belongs to the write that produced what the rename publishes.
    const unsyncedFrom = (w: RecordedWrite): boolean => reachesUnsynced(flow, w, recorded);
    const at = candidates.findLastIndex(unsyncedFrom);
    const unsynced = candidates[at];
    if (!unsynced) continue;
    // Other writes (of other calls) that reach it unsynced too: a fix of the last one alone would
    // leave the report standing.
    const others = candidates.slice(0, at).filter((w) => w.event.node !== unsynced.event.node && unsyncedFrom(w));
    if (rotatesLog([unsynced, ...others], rename.file, sourceCode.getText(fileNode), destination)) continue;
    const innerRename = innerRenameOf(rename.node, events);
    // The rename call nearest to the file system in this file: inside local helpers, or this call
    // itself (an fs call, or an imported module's rename such as an fs adapter's `renameSync`).
    const fsRename =
      innerRename ??
      (summarised.get(rename.node)?.renamedBy
        ? undefined
        : { call: rename.node, member: renameMember, file: fileNode });
    const wrapper = fsRename && wrapperOf(sourceCode, fsRename, unsynced.event.node, (n) => summarised.has(n));
    findings.set(rename.node, {
      ...(innerRename ? { innerRename } : {}),
      ...(wrapper ? { wrapper } : {}),
      ...(others.length > 0
        ? { otherWrites: others.map((w) => ({ write: w.event.node, writeMember: w.member })) }
        : {}),
      rename: rename.node,
      renameName: rename.name,
      write: unsynced.event.node,
      writeName: unsynced.event.name,
      file: fileNode,
      fileKey: rename.file,
      keys,
      ...(fileLabel ? { fileLabel } : {}),
      ...(fileLabelAs ? { fileLabelAs } : {}),
      renameMember,
      writeMember: unsynced.member,
      syncedOnSomePath: flow.hasSyncedPath(unsynced.event, rename, rename.file),
      settlesBeforeRename: settlesBeforeRename(flow, [unsynced, ...candidates.slice(0, at)], rename),
    });
  }
  // A file or directory moved on from where an unsynced publication put it (`rename(tmp, a)`, then
  // `rename(a, b)`): its data is as unsynced there, written by the same write.
  const movedOnFrom = (rename: RenameEvent, published: (node: ESTree.Node) => boolean): RecordedRename | undefined =>
    renames.find(
      (r) =>
        r.event.node !== rename.node &&
        r.destination?.id === rename.file.id &&
        published(r.event.node) &&
        flow.hasUnsyncedPath(r.event, rename, rename.file),
    );
  for (let round = 0, added = true; added && round < 4; round++) {
    added = false;
    for (const { event: rename, member: renameMember, fileNode, fileLabel, fileLabelAs } of renames) {
      if (findings.has(rename.node)) continue;
      const from = movedOnFrom(rename, (node) => findings.has(node));
      const first = from && findings.get(from.event.node);
      if (!from || !first) continue;
      added = true;
      findings.set(rename.node, {
        rename: rename.node,
        renameName: rename.name,
        write: first.write,
        writeName: first.writeName,
        file: fileNode,
        fileKey: rename.file,
        keys,
        ...(fileLabel ? { fileLabel } : {}),
        ...(fileLabelAs ? { fileLabelAs } : {}),
        renameMember,
        writeMember: first.writeMember,
        syncedOnSomePath: first.syncedOnSomePath || flow.hasSyncedPath(from.event, rename, rename.file),
        settlesBeforeRename: first.settlesBeforeRename,
      });
    }
  }
  if (onDirectory) {
    const reported = new Map<ESTree.Node, { write: ESTree.Node; writeName: string }>();
    // A helper's call after the fs renames: one that publishes the directory inside the helper reports it there.
    const helpersLast = [...renames].sort((a, b) => +summarised.has(a.event.node) - +summarised.has(b.event.node));
    for (const { event: rename, fileNode, fileLabel } of helpersLast) {
      if (findings.has(rename.node) || reported.has(rename.node) || reportedInside(rename.node, reported, summarised))
        continue;
      const inside = writes.find(
        (w) => isInside(w.event.file, rename.file) && flow.hasUnsyncedPath(w.event, rename, w.event.file),
      );
      const from = inside ? undefined : movedOnFrom(rename, (node) => reported.has(node));
      const write = inside
        ? { write: inside.event.node, writeName: inside.event.name }
        : from && reported.get(from.event.node);
      if (!write) continue;
      reported.set(rename.node, write);
      const innerRename = innerRenameOf(rename.node, events);
      onDirectory({
        rename: rename.node,
        renameName: rename.name,
        directory: fileLabel ?? fileNode,
        ...write,
        ...(innerRename ? { innerRename } : {}),
      });
    }
  }
  for (const finding of findings.values()) {
    // A helper's call is not reported when the rename inside it is, for the same write.
    let inner = summarised.get(finding.rename)?.renamedBy;
    const seen = new Set<ESTree.Node>();
    while (inner && !seen.has(inner) && findings.get(inner)?.write !== finding.write) {
      seen.add(inner);
      inner = summarised.get(inner)?.renamedBy;
    }
    if (!inner || findings.get(inner)?.write !== finding.write) onFinding(finding);
  }
}
