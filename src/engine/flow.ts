/**
 * A program-wide control-flow graph built from ESLint's code-path analysis, plus the edges ESLint
 * does not draw: into functions created along the way (callbacks, `.then` handlers, stream event
 * handlers), from one `.then` handler to the next, and from anywhere inside a `try` block to its
 * handler (ESLint only draws the throw edge at the first throwable node and at the block's end).
 *
 * Events (writes, syncs, renames, reassignments, function creations) are recorded in every code-path
 * segment current at the time, in traversal order. `hasUnsyncedPath` then asks whether some path from
 * a write reaches a rename without passing a sync of the same file.
 */
import type { Rule } from 'eslint';
import type * as ESTree from 'estree';
import { isFunctionExpression, within, type FunctionNode } from '../ast.js';
import type { FileKey } from './file-key.js';
import { isInside } from './key.js';
import { anyFile } from './summaries.js';

export type { FunctionNode } from '../ast.js';

type Segment = Rule.CodePathSegment;
type CodePath = Rule.CodePath;

export type FlowEvent =
  | { readonly type: 'write'; readonly file: FileKey; readonly node: ESTree.Node; readonly name: string }
  | { readonly type: 'sync'; readonly file: string }
  /**
   * Where the caller knows `write` finished (it returned, called back, its promise was awaited, its
   * stream closed): where `flush: true` on it would have fsynced the file.
   */
  | { readonly type: 'settled'; readonly write: ESTree.Node }
  | { readonly type: 'rename'; readonly file: FileKey; readonly node: ESTree.CallExpression; readonly name: string }
  /** A binding or member chain is reassigned; `dep` names it (computed only when a path reaches it). */
  | { readonly type: 'kill'; readonly dep: () => string | undefined }
  /**
   * Another program is run in these folders (`spawn(cmd, args, { cwd: dir })`): a file moved out of
   * them from here on may be its output (`dist/…`, an installer it built), not what this program
   * copied or extracted there before. A file renamed within the folder (a template's `gitignore` to
   * `.gitignore` after `npm install`) is still the copy's.
   */
  | { readonly type: 'process'; readonly folders: readonly FileKey[]; readonly node: ESTree.Node }
  /**
   * A loop's next turn starts: a file a write inside the loop named by something that changes at
   * each turn (`fresh`: the loop's element, a call made inside it) is another file from here on.
   */
  | { readonly type: 'turn'; readonly loop: ESTree.Node; readonly fresh: (file: FileKey) => boolean }
  | { readonly type: 'function'; readonly fn: FunctionNode }
  /** Where code after an awaited continuation resumes; the direct path through it waits (stops). */
  | { readonly type: 'resume'; readonly at: ESTree.Node }
  /** Goes on at the `resume` event of `to` (a promise's `resolve()`, an IIFE's return). */
  | { readonly type: 'jump'; readonly to: ESTree.Node };

/** One code-path segment as the search sees it, for the debug dump and tests (see `FlowGraph.describe`). */
export interface FlowSegment {
  /** ESLint's segment id (`s1_2`: code path 1, its second segment). */
  readonly id: string;
  /** The node the segment starts at. */
  readonly start: ESTree.Node;
  readonly reachable: boolean;
  readonly next: readonly string[];
  /** Where a throw inside it goes (the `catch` or `finally` ESLint draws no edge to from here). */
  readonly throwsTo: readonly string[];
  /** Functions that run after this segment returns (`.then` chains). */
  readonly thenRuns: readonly ESTree.Node[];
  readonly events: readonly FlowEvent[];
  /** Events delivered to its function's entry after the segment was walked (a callback passed by name). */
  readonly lateEvents: readonly FlowEvent[];
}

interface PathContext {
  readonly codePath: CodePath;
  readonly node: ESTree.Node;
  readonly current: Set<Segment>;
}

/** The body of a `try` block, or of a `catch` block followed by `finally`: code that may throw. */
interface ThrowRegion {
  readonly handlerNode: ESTree.Node;
  /** Segments current when the region started: ESLint draws its throw edge from there. */
  readonly heads: Segment[];
  readonly segments: Set<Segment>;
  /** True when the handler is a `catch`, whose entry segments are only reached by a throw. */
  readonly isCatch: boolean;
}

/**
 * Functions that run as a continuation of the code creating them: callbacks passed to a call (fs
 * callbacks, `.then` handlers, stream listeners, executors) and IIFEs. Declarations and methods are
 * not followed from their creation; the detector may name more (see `FlowGraph`'s constructor).
 */
export function isCallback(node: ESTree.Node): node is FunctionNode {
  if (!isFunctionExpression(node)) return false;
  const parent = (node as Rule.Node).parent;
  return (
    (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
    (parent.arguments.includes(node) || parent.callee === node)
  );
}

export class FlowGraph {
  /** Functions followed from where they are created. */
  readonly #entersAtCreation: (fn: FunctionNode) => boolean;
  /** `resume` events by the node they stand for, and functions whose return jumps there. */
  readonly #resumes = new Map<ESTree.Node, FlowEvent>();
  readonly #returnJumps = new Map<ESTree.Node, ESTree.Node[]>();
  /** `resume` events the direct path goes through (see `goesOnAt`). */
  readonly #passedThrough = new Set<FlowEvent>();
  /** Entry events of functions whose first segment was walked before the event was known. */
  readonly #lateEntry = new Map<Segment, FlowEvent[]>();
  readonly #stack: PathContext[] = [];
  readonly #events = new Map<Segment, FlowEvent[]>();
  /** Where each recorded event sits: the segments and its index in each, so a query starts there. */
  readonly #positions = new Map<FlowEvent, Array<[Segment, number]>>();
  readonly #startNode = new Map<Segment, ESTree.Node>();
  readonly #owner = new Map<Segment, PathContext>();
  readonly #functions = new Map<ESTree.Node, PathContext>();
  readonly #entryEvents = new Map<ESTree.Node, FlowEvent[]>();
  /** `.then(f1).then(f2)`: f2 runs when f1's returned promise settles, not when it is created. */
  readonly #after = new Map<ESTree.Node, ESTree.Node[]>();
  readonly #notFromCreation = new Set<ESTree.Node>();
  readonly #regionStack: ThrowRegion[] = [];
  readonly #regionOf = new Map<Segment, ThrowRegion>();
  readonly #regions: ThrowRegion[] = [];
  #throwTargets: Map<ThrowRegion, Segment[]> | undefined;

  constructor(entersAtCreation: (fn: FunctionNode) => boolean = isCallback) {
    this.#entersAtCreation = entersAtCreation;
  }

  /**
   * Keys that may name the same file as another (`const tmp = name ? join(dir, name) : fallback` is
   * written as `tmp`, `join(dir, name)` and `fallback`): a sync of either counts for both.
   */
  readonly #aliases = new Map<string, Set<string>>();

  /** The files each renaming call renames (its own key and the alternatives). */
  readonly #renamedBy = new Map<ESTree.Node, Set<string>>();

  /**
   * Is `fn` the callback of another call that renames `file` away first (`fs.rename(tmp, dest, () =>
   * next())`)? What it does with the name is about another file.
   */
  #afterRenameOf(fn: ESTree.Node, file: string, rename: FlowEvent): boolean {
    const call = (fn as ESTree.Node & { parent?: ESTree.Node }).parent;
    return (
      call?.type === 'CallExpression' &&
      call.arguments[call.arguments.length - 1] === fn &&
      (rename.type !== 'rename' || rename.node !== call) &&
      !!this.#renamedBy.get(call)?.has(file)
    );
  }

  sameFile(a: string, b: string): void {
    if (a === b) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let set = this.#aliases.get(x);
      if (!set) this.#aliases.set(x, (set = new Set()));
      set.add(y);
    }
  }

  /** Code-path listeners to merge into the rule's listeners. */
  listeners(): Rule.RuleListener {
    return {
      onCodePathStart: (codePath, node) => {
        if (isFunctionExpression(node as ESTree.Node) && this.#entersAtCreation(node as FunctionNode)) {
          this.record({ type: 'function', fn: node as FunctionNode });
        }
        const context: PathContext = { codePath, node: node as ESTree.Node, current: new Set() };
        this.#stack.push(context);
        this.#functions.set(node as ESTree.Node, context);
      },
      onCodePathEnd: () => {
        this.#stack.pop();
      },
      onCodePathSegmentStart: (segment, node) => this.#enterSegment(segment, node as ESTree.Node),
      onUnreachableCodePathSegmentStart: (segment, node) => this.#enterSegment(segment, node as ESTree.Node),
      onCodePathSegmentEnd: (segment) => this.#top()?.current.delete(segment),
      onUnreachableCodePathSegmentEnd: (segment) => this.#top()?.current.delete(segment),
    };
  }

  #top(): PathContext | undefined {
    return this.#stack[this.#stack.length - 1];
  }

  #enterSegment(segment: Segment, node: ESTree.Node): void {
    const context = this.#top();
    if (!context) return;
    context.current.add(segment);
    this.#startNode.set(segment, node);
    this.#owner.set(segment, context);
    const region = this.#regionStack[this.#regionStack.length - 1];
    if (region && this.#owner.get(region.heads[0] as Segment) === context) {
      region.segments.add(segment);
      this.#regionOf.set(segment, region);
    }
    if (segment === context.codePath.initialSegment) {
      const entry = this.#entryEvents.get(node);
      if (entry) {
        this.#events.set(segment, [...entry]);
        for (const [i, event] of entry.entries()) this.#positionsOf(event).push([segment, i]);
      }
    }
  }

  /** Marks where code after an awaited continuation (`await new Promise(…)`, an IIFE) resumes. */
  resumeAt(node: ESTree.Node): void {
    const event: FlowEvent = { type: 'resume', at: node };
    this.#resumes.set(node, event);
    this.record(event);
  }

  /**
   * Marks where code after a call whose callbacks run during it (`files.forEach(fn)`) goes on once
   * such a callback returned; unlike `resumeAt`, the direct path past the call goes on too (the
   * collection may be empty).
   */
  goesOnAt(node: ESTree.Node): void {
    const event: FlowEvent = { type: 'resume', at: node };
    this.#resumes.set(node, event);
    this.#passedThrough.add(event);
    this.record(event);
  }

  /** `fn` returning resumes the code at `node`'s `resumeAt`. */
  resumesAfterReturn(fn: ESTree.Node, node: ESTree.Node): void {
    const list = this.#returnJumps.get(fn) ?? [];
    list.push(node);
    this.#returnJumps.set(fn, list);
  }

  /** Records an event at the current position of the current code path. */
  record(event: FlowEvent): void {
    const context = this.#top();
    if (!context) return;
    if (event.type === 'rename') {
      let files = this.#renamedBy.get(event.node);
      if (!files) this.#renamedBy.set(event.node, (files = new Set()));
      files.add(event.file.id);
    }
    const positions = this.#positionsOf(event);
    for (const segment of context.current) {
      let list = this.#events.get(segment);
      if (!list) this.#events.set(segment, (list = []));
      positions.push([segment, list.length]);
      list.push(event);
    }
  }

  #positionsOf(event: FlowEvent): Array<[Segment, number]> {
    let positions = this.#positions.get(event);
    if (!positions) this.#positions.set(event, (positions = []));
    return positions;
  }

  /** Events that happen when `fn` starts running (a callback's completion: the fsync it reports). */
  atEntryOf(fn: ESTree.Node, event: FlowEvent): void {
    let list = this.#entryEvents.get(fn);
    if (!list) this.#entryEvents.set(fn, (list = []));
    list.push(event);
    // A function declared before the call that hands it over has already been walked.
    const started = this.#functions.get(fn)?.codePath.initialSegment;
    if (started) {
      const late = this.#lateEntry.get(started) ?? [];
      late.push(event);
      this.#lateEntry.set(started, late);
      // A write known once the function was walked (an upload its parameter holds): it comes first.
      if (event.type === 'write') this.#positionsOf(event).push([started, -1]);
    }
  }

  /** `fn` runs after each of `predecessors` returned (promise chains), not when it is created. */
  runsAfter(fn: ESTree.Node, predecessors: readonly ESTree.Node[]): void {
    this.#notFromCreation.add(fn);
    this.mayRunAfter(fn, predecessors);
  }

  /** `fn` may also run after each of `predecessors` returned, besides from where it is created. */
  mayRunAfter(fn: ESTree.Node, predecessors: readonly ESTree.Node[]): void {
    for (const p of predecessors) {
      let list = this.#after.get(p);
      if (!list) this.#after.set(p, (list = []));
      list.push(fn);
    }
  }

  /** Call when entering a `try` block, or a `catch` body that has a `finally`. */
  enterThrowRegion(handlerNode: ESTree.Node, isCatch: boolean): void {
    const context = this.#top();
    if (!context) return;
    const heads = [...context.current];
    if (heads.length === 0) return;
    const region: ThrowRegion = { handlerNode, heads, segments: new Set(heads), isCatch };
    for (const s of heads) if (!this.#regionOf.has(s)) this.#regionOf.set(s, region);
    this.#regionStack.push(region);
    this.#regions.push(region);
  }

  exitThrowRegion(handlerNode: ESTree.Node): void {
    const top = this.#regionStack[this.#regionStack.length - 1];
    if (top?.handlerNode === handlerNode) this.#regionStack.pop();
  }

  #computeThrowTargets(): Map<ThrowRegion, Segment[]> {
    const targets = new Map<ThrowRegion, Segment[]>();
    for (const region of this.#regions) {
      const found = new Set<Segment>();
      for (const segment of region.segments) {
        for (const next of segment.nextSegments) {
          if (region.segments.has(next) || this.#startNode.get(next) !== region.handlerNode) continue;
          // A `catch` is only entered by a throw. A `finally` has a normal and a thrown copy; the
          // thrown one is the successor of the region's head (ESLint's first-throwable edge).
          if (region.isCatch || region.heads.includes(segment)) found.add(next);
        }
      }
      targets.set(region, [...found]);
    }
    return targets;
  }

  /** The graph as plain records, in the order ESLint walked the segments. */
  describe(): FlowSegment[] {
    this.#throwTargets ??= this.#computeThrowTargets();
    return [...this.#startNode].map(([segment, start]) => {
      const region = this.#regionOf.get(segment);
      const owner = this.#owner.get(segment);
      const returns = owner && segment.nextSegments.length === 0 && owner.codePath.returnedSegments.includes(segment);
      return {
        id: segment.id,
        start,
        reachable: segment.reachable,
        next: segment.nextSegments.map((next) => next.id),
        throwsTo: ((region && this.#throwTargets?.get(region)) ?? []).map((target) => target.id),
        thenRuns: (returns && this.#after.get(owner.node)) || [],
        events: this.#events.get(segment) ?? [],
        lateEvents: this.#lateEntry.get(segment) ?? [],
      };
    });
  }

  /**
   * True when some path from `write` reaches `rename` without a sync of `file` and without `file`'s
   * bindings being reassigned. With `flushed`, the writes that settle there count as syncs too: the
   * question is then whether `flush: true` on those writes would fsync before the rename.
   */
  hasUnsyncedPath(
    write: FlowEvent,
    rename: FlowEvent,
    file: FileKey,
    flushed: ReadonlySet<ESTree.Node> = new Set(),
    /** Whose reassignment ends the link (default `file`'s): a directory's, for a file written inside it. */
    linkedBy: FileKey = file,
    /**
     * The write is of every file inside a folder (a tree copy, an extraction), `file` is one of them,
     * and the rename moves it to `movedTo`: another program run since then in a folder holding `file`
     * may have made it, when the rename moves it out of that folder.
     */
    insideWrite?: { readonly movedTo: FileKey | undefined },
  ): boolean {
    return this.#reaches(write, rename, file, false, flushed, linkedBy, insideWrite);
  }

  /** True when some path from `write` reaches `rename` through a sync of `file` (for the message). */
  hasSyncedPath(write: FlowEvent, rename: FlowEvent, file: FileKey): boolean {
    return this.#reaches(write, rename, file, true, new Set());
  }

  /**
   * The search behind both questions. Without `throughSync` a sync of `file` ends a path; with it,
   * a path is followed as two states, before and after a sync, and only the second one counts.
   */
  #reaches(
    write: FlowEvent,
    rename: FlowEvent,
    file: FileKey,
    throughSync: boolean,
    flushed: ReadonlySet<ESTree.Node>,
    linkedBy: FileKey = file,
    insideWrite?: { readonly movedTo: FileKey | undefined },
  ): boolean {
    this.#throwTargets ??= this.#computeThrowTargets();
    const aliases = this.#aliases.get(file.id);
    const syncs = (event: FlowEvent): boolean =>
      event.type === 'sync'
        ? event.file === file.id || event.file === anyFile || !!aliases?.has(event.file)
        : event.type === 'settled' && flushed.has(event.write);
    const visited = [new Set<Segment>(), new Set<Segment>()] as const;
    const resumed = [new Set<FlowEvent>(), new Set<FlowEvent>()] as const;
    const queue: Array<[Segment, number, boolean]> = [];
    const enqueue = (segment: Segment | undefined, synced: boolean): void => {
      const seen = visited[synced ? 1 : 0];
      if (segment && !seen.has(segment)) {
        seen.add(segment);
        queue.push([segment, 0, synced]);
      }
    };
    const enterFunction = (fn: ESTree.Node, synced: boolean): void =>
      enqueue(this.#functions.get(fn)?.codePath.initialSegment, synced);
    const jump = (to: ESTree.Node, synced: boolean): void => {
      const target = this.#resumes.get(to);
      const seen = resumed[synced ? 1 : 0];
      if (!target || seen.has(target)) return;
      seen.add(target);
      for (const [segment, at] of this.#positions.get(target) ?? []) queue.push([segment, at + 1, synced]);
    };
    for (const [segment, at] of this.#positions.get(write) ?? []) queue.push([segment, at + 1, false]);
    while (queue.length > 0) {
      const [segment, from, enteredSynced] = queue.pop() as [Segment, number, boolean];
      const events = this.#events.get(segment) ?? [];
      let synced = enteredSynced;
      let blocked = false;
      // A sync delivered to a function walked before the sync was known (a callback passed by name).
      if (from === 0 && this.#lateEntry.get(segment)?.some(syncs)) {
        if (throughSync) synced = true;
        else blocked = true;
      }
      for (let i = from; i < events.length && !blocked; i++) {
        const event = events[i] as FlowEvent;
        if (event === rename && synced === throughSync) return true;
        if (syncs(event)) {
          if (throughSync) synced = true;
          else blocked = true;
        } else if (event.type === 'turn') {
          if (write.type === 'write' && within(write.node, event.loop) && event.fresh(file)) blocked = true;
        } else if (event.type === 'rename') {
          // Renamed away by another call first: a later rename of the name moves another file (a
          // recursive `next()` that writes and renames the temp anew).
          if (rename.type === 'rename' && event.node !== rename.node && event.file.id === file.id) blocked = true;
        } else if (event.type === 'kill') {
          const dep = event.dep();
          if (dep !== undefined && linkedBy.depIds.includes(dep)) blocked = true;
        } else if (event.type === 'process') {
          const movedTo = insideWrite?.movedTo;
          if (movedTo && event.folders.some((f) => isInside(file, f) && !isInside(movedTo, f) && !movedTo.equals(f)))
            blocked = true;
        } else if (event.type === 'function' && !this.#notFromCreation.has(event.fn)) {
          if (!this.#afterRenameOf(event.fn, file.id, rename)) enterFunction(event.fn, synced);
        } else if (event.type === 'resume') blocked = !this.#passedThrough.has(event);
        else if (event.type === 'jump') jump(event.to, synced);
      }
      // Anything between here and the block can throw, including the fsync itself (so a throw
      // leaves in the state the segment was entered with).
      const region = this.#regionOf.get(segment);
      const throwTargets = (region && this.#throwTargets.get(region)) || [];
      for (const target of throwTargets) enqueue(target, enteredSynced);
      if (blocked) continue;
      for (const next of segment.nextSegments) if (!throwTargets.includes(next)) enqueue(next, synced);
      const owner = this.#owner.get(segment);
      if (owner && segment.nextSegments.length === 0 && owner.codePath.returnedSegments.includes(segment)) {
        for (const fn of this.#after.get(owner.node) ?? []) enterFunction(fn, synced);
        for (const to of this.#returnJumps.get(owner.node) ?? []) jump(to, synced);
      }
    }
    return false;
  }
}
