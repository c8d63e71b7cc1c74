/**
 * What the tracer knows about the files of one thread: per absolute path, whether data was written
 * since its last fsync/fdatasync; per descriptor, the path it was opened with. A rename of a path
 * holding unsynced data is a finding (POSIX: after a power cut the new name may point at a file
 * whose data never reached the disk); a rename whose directory was not fsynced afterwards is a
 * weaker one (the rename itself may be lost), recorded only when asked for.
 *
 * Nothing here touches the file system: the state is built from the calls the program makes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IgnoreTest } from './ignore.js';
import { findingKey, resolveSite, type CallSite, type StackHolder } from './sites.js';
import { MAX_TRACKED, UnsyncedFiles } from './unsynced-files.js';

export type TraceRule = 'unsynced-rename' | 'rename-without-directory-sync';

/** One deduplicated finding: the same write site and rename site, `count` times. */
export interface TraceFinding {
  readonly rule: TraceRule;
  readonly write?: CallSite;
  readonly rename: CallSite;
  count: number;
  /** A few of the renames seen (absolute paths), for the reader and for cross-checks. */
  readonly renames: { from: string; to: string }[];
}

/** One rename that is a finding, with its sites resolved: plain data, cloneable across threads. */
export interface Occurrence {
  readonly rule: TraceRule;
  readonly write?: CallSite;
  readonly rename: CallSite;
  readonly from: string;
  readonly to: string;
}

/** A file argument as the fs API takes it: a path (string, Buffer, URL) or a descriptor. */
export type FileArgument = unknown;

interface Descriptor {
  readonly path: string;
  /** Opened with O_SYNC / O_DSYNC: every write is durable when it returns. */
  readonly durable: boolean;
  readonly site: StackHolder | undefined;
}

/**
 * The write whose data a rename would publish: the first since the last sync or since the data was
 * last replaced (a whole-file write, a truncating open), and where its descriptor was opened.
 */
interface UnsyncedWrite {
  readonly site: StackHolder;
  readonly openSite: StackHolder | undefined;
  /** The data was replaced since (truncating open): the next write is the one to show. */
  replaced?: boolean;
}

interface PendingDirectorySync {
  readonly rename: StackHolder;
  readonly from: string;
  readonly to: string;
}

const MAX_RENAMES_KEPT = 5;
/** A FileHandle stands for its descriptor (`handle.fd`, -1 once closed). */
function descriptorOf(file: FileArgument): FileArgument {
  if (typeof file === 'object' && file !== null && !(file instanceof URL) && !Buffer.isBuffer(file)) {
    const fd = (file as { fd?: unknown }).fd;
    if (typeof fd === 'number') return fd;
  }
  return file;
}

export class Tracker {
  readonly #unsynced = new UnsyncedFiles<UnsyncedWrite>();
  readonly #descriptors = new Map<number, Descriptor>();
  /** Stream creation sites by path, until the stream's own (internal, user-less) open arrives. */
  readonly #streamSites = new Map<string, StackHolder>();
  /** Directory → renames into it not yet followed by an fsync of the directory. */
  readonly #pendingDirectorySyncs = new Map<string, PendingDirectorySync[]>();
  readonly #findings = new Map<string, TraceFinding>();
  readonly #trackDirectories: boolean;
  readonly #onOccurrence: ((occurrence: Occurrence) => void) | undefined;
  readonly #ignore: IgnoreTest | undefined;

  /**
   * `onOccurrence`: hand each occurrence to someone else instead of counting it here (a worker
   * thread sends its occurrences to the main thread, which outlives it).
   */
  constructor(
    options: {
      directories?: boolean;
      onOccurrence?: (occurrence: Occurrence) => void;
      ignore?: IgnoreTest | undefined;
    } = {},
  ) {
    this.#trackDirectories = options.directories ?? false;
    this.#onOccurrence = options.onOccurrence;
    this.#ignore = options.ignore;
  }

  /** The absolute path a file argument names, or undefined for an unknown descriptor / bad value. */
  pathOf(file: FileArgument): string | undefined {
    file = descriptorOf(file);
    if (typeof file === 'number') return this.#descriptors.get(file)?.path;
    if (typeof file === 'string') return path.resolve(file);
    if (file instanceof URL) return file.protocol === 'file:' ? fileURLToPath(file) : undefined;
    if (Buffer.isBuffer(file)) return path.resolve(file.toString());
    return undefined;
  }

  /**
   * A descriptor was opened. Its writes carry their own stacks; only a WriteStream's writes, queued
   * by Node without a user frame, need the site where the stream was created.
   */
  opened(
    fd: unknown,
    file: FileArgument,
    how: { durable: boolean; site?: StackHolder | undefined; truncates?: boolean },
  ): void {
    const at = this.pathOf(file);
    if (typeof fd !== 'number' || at === undefined) return;
    const streamSite = this.#streamSites.get(at);
    if (streamSite) this.#streamSites.delete(at);
    this.#descriptors.set(fd, { path: at, durable: how.durable, site: streamSite ?? how.site });
    const unsynced = how.truncates ? this.#unsynced.get(at) : undefined;
    if (unsynced) unsynced.replaced = true;
  }

  closed(fd: unknown): void {
    if (typeof fd === 'number') this.#descriptors.delete(fd);
  }

  streamCreated(file: FileArgument, site: StackHolder): void {
    const at = this.pathOf(file);
    if (at !== undefined) this.#streamSites.set(at, site);
  }

  /**
   * Data went into `file`; `capture` is called only when this write starts the data a rename would
   * publish: the file had no unsynced data, or `replaces` (a whole-file write), or it was truncated.
   */
  wrote(file: FileArgument, capture: () => StackHolder, replaces = false): void {
    let at: string | undefined;
    let openSite: StackHolder | undefined;
    file = descriptorOf(file);
    if (typeof file === 'number') {
      const descriptor = this.#descriptors.get(file);
      if (!descriptor || descriptor.durable) return;
      at = descriptor.path;
      openSite = descriptor.site;
    } else {
      at = this.pathOf(file);
    }
    if (at === undefined) return;
    const earlier = this.#unsynced.get(at);
    if (earlier && !replaces && !earlier.replaced) return;
    this.#unsynced.set(at, { site: capture(), openSite });
  }

  synced(file: FileArgument): void {
    const at = this.pathOf(file);
    if (at === undefined) return;
    this.#unsynced.delete(at);
    this.#pendingDirectorySyncs.delete(at);
  }

  /**
   * Called before a rename; returns what to record once it succeeded (a failed rename published
   * nothing). The rename site is captured only when there is something to report.
   */
  renaming(from: FileArgument, to: FileArgument, capture: () => StackHolder): (() => void) | undefined {
    const source = this.pathOf(from);
    const destination = this.pathOf(to);
    if (source === undefined || destination === undefined) return undefined;
    // A directory renamed with unsynced files in it publishes them just the same.
    const inside = this.#unsynced.has(source) ? undefined : this.#unsynced.firstUnder(source);
    const write = inside ? inside[1] : this.#unsynced.get(source);
    if (!write && !this.#trackDirectories) {
      // Whatever was unsynced under the destination's name is replaced (or the rename fails and
      // the program has other worries): no need to wait for the outcome, nor to add a microtask.
      this.#unsynced.delete(destination);
      return undefined;
    }
    const site = capture();
    return () => {
      this.#unsynced.delete(source);
      if (inside) {
        this.#unsynced.moveDirectory(source, destination);
        this.#record('unsynced-rename', write, site, source, destination);
      } else if (write) {
        // The data is still unsynced under its new name; a later fsync there does not undo the risk
        // taken by this rename, but a second rename of it is a second finding.
        this.#unsynced.set(destination, write);
        this.#record('unsynced-rename', write, site, source, destination);
      } else {
        this.#unsynced.delete(destination);
      }
      if (this.#trackDirectories) {
        const dir = path.dirname(destination);
        const pending = this.#pendingDirectorySyncs.get(dir) ?? [];
        if (pending.length < MAX_TRACKED) pending.push({ rename: site, from: source, to: destination });
        this.#pendingDirectorySyncs.set(dir, pending);
      }
    };
  }

  #record(rule: TraceRule, write: UnsyncedWrite | undefined, renameSite: StackHolder, from: string, to: string): void {
    let writeSite: CallSite | undefined;
    if (write) {
      writeSite = resolveSite(write.site);
      // A write made by Node itself (a WriteStream's queued writes) has no user frame: the place
      // the stream or descriptor was opened is the one to show.
      if (!writeSite.site && write.openSite) writeSite = resolveSite(write.openSite);
    }
    const occurrence: Occurrence = {
      rule,
      ...(writeSite ? { write: writeSite } : {}),
      rename: resolveSite(renameSite),
      from,
      to,
    };
    if (this.#ignore?.(occurrence)) return;
    if (this.#onOccurrence) this.#onOccurrence(occurrence);
    else this.add(occurrence);
  }

  /** Counts one occurrence, under the finding with the same rule, write site and rename site. */
  add({ rule, write, rename, from, to }: Occurrence): void {
    const key = findingKey(rule, write, rename);
    const finding = this.#findings.get(key);
    if (finding) {
      finding.count += 1;
      if (finding.renames.length < MAX_RENAMES_KEPT && !finding.renames.some((r) => r.from === from && r.to === to)) {
        finding.renames.push({ from, to });
      }
      return;
    }
    this.#findings.set(key, { rule, ...(write ? { write } : {}), rename, count: 1, renames: [{ from, to }] });
  }

  /** Findings so far, with renames still waiting for a directory fsync counted as findings. */
  findings(): TraceFinding[] {
    for (const pending of this.#pendingDirectorySyncs.values()) {
      for (const { rename, from, to } of pending)
        this.#record('rename-without-directory-sync', undefined, rename, from, to);
    }
    this.#pendingDirectorySyncs.clear();
    return [...this.#findings.values()];
  }
}
