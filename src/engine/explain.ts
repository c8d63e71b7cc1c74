/**
 * "Why was this reported?" in words, behind `DEBUG=durable-write:*`: the `debug` package's
 * convention, the one ESLint (`DEBUG=eslint:*`) and typescript-eslint (`DEBUG=typescript-eslint:*`)
 * use, so a user who debugs a lint run already knows the switch. Per linted file:
 * - `durable-write:skipped`: why the engine did not look further (no rename named, nothing that can publish);
 * - `durable-write:summaries`: each call of a helper the engine summarised (the file's own functions,
 *   other modules' exports) with what the helper does in terms of its parameters, and what that
 *   means at this call;
 * - `durable-write:modules`: each other module read for a summary (and how many bytes of it were
 *   parsed), or reused from the cache;
 * - `durable-write:flow`: the flow graph, segment by segment, with the events recorded in each
 *   (writes, syncs, renames by file key; reassignments; functions entered);
 * - `durable-write:findings`: for each rename, the writes of the same file and whether some path
 *   from them reaches it without an fsync.
 * File keys are printed as the engine compares them: `v3` is a binding, `§0§` a helper's first parameter.
 */
import createDebug from 'debug';
import type * as ESTree from 'estree';
import { isFunctionNode } from '../ast.js';
import type { CallGraph } from './call-graph.js';
import type { FileKeys } from './file-key.js';
import { mayHaveWritten, reachesUnsynced, type RecordedRename, type RecordedWrite } from './findings.js';
import type { FlowEvent, FlowGraph, FlowSegment } from './flow.js';
import {
  nameOf,
  type FunctionSummary,
  type ImportedSummary,
  type SummarisedCall,
  type Summaries,
} from './summaries.js';

const log = {
  skipped: createDebug('durable-write:skipped'),
  summaries: createDebug('durable-write:summaries'),
  modules: createDebug('durable-write:modules'),
  flow: createDebug('durable-write:flow'),
  findings: createDebug('durable-write:findings'),
};

/** Is any per-file explanation wanted? Checked once per file: the dump costs nothing when off. */
export const explaining = (): boolean => log.summaries.enabled || log.flow.enabled || log.findings.enabled;

const at = (node: ESTree.Node | undefined): string =>
  node?.loc ? `${node.loc.start.line}:${node.loc.start.column + 1}` : '?';

function functionLabel(fn: ESTree.Node): string {
  const name = isFunctionNode(fn) ? nameOf(fn) : undefined;
  return `${name ? `function ${name}` : 'anonymous function'} @${at(fn)}`;
}

const finishes: Record<FunctionSummary['style'], string> = {
  sync: 'done on return',
  callback: 'done when it calls back',
  promise: 'done when its promise settles',
};

/** A helper's summary in words: what it writes, renames and syncs, in terms of its parameters (`§0§`). */
export function describeSummary(summary: FunctionSummary): string {
  const parts: string[] = [finishes[summary.style]];
  if (summary.write) parts.push(`${summary.writeAppends ? 'appends to' : 'writes'} ${summary.write.id}`);
  for (const other of summary.writesAlso ?? []) parts.push(`writes ${other.id}`);
  for (const other of summary.writesInstead ?? [])
    if (!summary.writesAlso?.some((t) => t.equals(other.file)))
      parts.push(`also writes ${other.inside ? 'inside ' : ''}${other.file.id}`);
  if (summary.writeFlushedBy !== undefined)
    parts.push(`flushed when parameter ${summary.writeFlushedBy} says flush: true`);
  if (summary.rename)
    parts.push(`renames ${summary.rename.from.id}${summary.rename.to ? ` to ${summary.rename.to.id}` : ''}`);
  parts.push(summary.syncs ? 'fsyncs' : 'no fsync');
  if (summary.returns) parts.push(`returns ${summary.returns.id}`);
  for (const [field, template] of Object.entries(summary.returnsFields ?? {}))
    parts.push(`returns .${field} = ${template.id}`);
  for (const [field, template] of Object.entries(summary.returnsHandles ?? {}))
    parts.push(`returns .${field} = a handle on ${template.id}`);
  if (summary.handler) parts.push(`returns a handler that ${describeSummary({ ...summary.handler })}`);
  return parts.join(', ');
}

export function explainSkipped(file: string, reason: string): void {
  log.skipped('%s: %s', file, reason);
}

/** A module read for a summary, or reused; `outcome` says which and why. */
export function explainModule(file: string, outcome: () => string): void {
  if (log.modules.enabled) log.modules('%s: %s', file, outcome());
}

/** What the binding ids in `text` (`v3`) stand for: `v3 = tmp (4:9)`. */
function legend(text: string, keys: FileKeys): string {
  const ids = [...new Set(text.match(/(?<![\w$.])v\d+\b/g) ?? [])];
  const named = ids.flatMap((id) => {
    const variable = keys.variableById(id);
    const declared = variable?.identifiers[0] as ESTree.Node | undefined;
    return variable ? [`${id} = ${variable.name}${declared ? ` (${at(declared)})` : ''}`] : [];
  });
  return named.length > 0 ? `\n  where ${named.join(', ')}` : '';
}

/** Logs `lines` for `file`, with the legend of the binding ids they mention. */
function print(
  logger: createDebug.Debugger,
  file: string,
  lines: readonly string[],
  keys: FileKeys,
  empty: string,
): void {
  const text = lines.length > 0 ? lines.join('\n') : `  ${empty}`;
  logger('%s\n%s%s', file, text, legend(text, keys));
}

/** The calls of helpers the detector treats as fs calls, with the summaries behind them. */
export function explainSummaries(
  file: string,
  calls: ReadonlyMap<ESTree.Node, SummarisedCall>,
  graph: CallGraph,
  summaries: Summaries,
  imported: ImportedSummary | undefined,
  resolve: (source: string) => string | undefined,
  keys: FileKeys,
): void {
  if (!log.summaries.enabled) return;
  const lines: string[] = [];
  for (const [call, site] of calls) {
    const callee = graph.calleeOf(call as ESTree.CallExpression);
    let helper = 'a helper';
    let summary: FunctionSummary | undefined;
    if (callee?.kind === 'local') {
      helper = functionLabel(callee.fn);
      summary = summaries.summaryOf(callee.fn);
    } else if (callee?.kind === 'import') {
      helper = `${callee.name === '=' ? 'the module value' : callee.name} of '${callee.source}' (${resolve(callee.source) ?? 'not resolved'})`;
      summary = imported?.(callee.source, callee.name);
    }
    const here = [
      `acts as ${site.info.member.kind} ${site.info.member.name}`,
      site.file ? `on ${site.file.key.id}` : undefined,
      site.destination ? `to ${site.destination.id}` : undefined,
      ...(site.otherFiles ?? []).map((other) => `and on ${other.id}`),
      ...(site.foldersFilled ?? []).map((folder) => `and inside ${folder.id}`),
      site.syncsAnything ? 'after an fsync' : undefined,
    ].filter(Boolean);
    lines.push(`  call @${at(call)} → ${helper}`);
    if (summary) lines.push(`    summary: ${describeSummary(summary)}`);
    lines.push(`    here: ${here.join(' ')}`);
  }
  print(log.summaries, file, lines, keys, 'no call of a summarised helper');
}

function describeEvent(event: FlowEvent): string {
  switch (event.type) {
    case 'write':
      return `write ${event.file.id} (${event.name} @${at(event.node)})`;
    case 'rename':
      return `rename ${event.file.id} (${event.name} @${at(event.node)})`;
    case 'sync':
      return event.file === '*' ? 'sync of any file (a helper that fsyncs)' : `sync ${event.file}`;
    case 'settled':
      return `the write @${at(event.write)} has finished here`;
    case 'kill':
      return `reassign ${event.dep() ?? '(a binding no file depends on)'}`;
    case 'process':
      return `another program runs in ${event.folders.map((f) => f.id).join(', ')} (@${at(event.node)})`;
    case 'turn':
      return `next turn of the loop @${at(event.loop)}`;
    case 'function':
      return `enter ${functionLabel(event.fn)}`;
    case 'resume':
      return `resume point of @${at(event.at)} (awaited code goes on here)`;
    case 'jump':
      return `go on at the resume point of @${at(event.to)}`;
  }
}

function describeStart(node: ESTree.Node): string {
  return isFunctionNode(node) ? `start of ${functionLabel(node)}` : `${node.type} @${at(node)}`;
}

/** The flow graph as text: one paragraph per segment, its edges, then its events in order. */
export function describeFlow(segments: readonly FlowSegment[]): string[] {
  const lines: string[] = [];
  for (const segment of segments) {
    const edges = [
      segment.next.length > 0 ? `→ ${segment.next.join(', ')}` : '→ end',
      segment.throwsTo.length > 0 ? `throws → ${segment.throwsTo.join(', ')}` : undefined,
      ...segment.thenRuns.map((fn) => `then runs ${functionLabel(fn)}`),
      segment.reachable ? undefined : '(unreachable)',
    ].filter(Boolean);
    lines.push(`  ${segment.id} ${describeStart(segment.start)} ${edges.join('; ')}`);
    for (const event of segment.lateEvents) lines.push(`    on entry: ${describeEvent(event)}`);
    for (const event of segment.events) lines.push(`    ${describeEvent(event)}`);
  }
  return lines;
}

/** The flow graph and, for each rename, which writes of its file reach it with and without an fsync. */
export function explainFlow(
  file: string,
  flow: FlowGraph,
  writes: readonly RecordedWrite[],
  renames: readonly RecordedRename[],
  keys: FileKeys,
): void {
  if (log.flow.enabled) print(log.flow, file, describeFlow(flow.describe()), keys, 'no code path');
  if (!log.findings.enabled) return;
  const lines: string[] = [];
  for (const recordedRename of renames) {
    const rename = recordedRename.event;
    lines.push(`  rename ${rename.file.id} (${rename.name} @${at(rename.node)})`);
    const same = writes.filter((write) => mayHaveWritten(write, rename));
    if (same.length === 0)
      lines.push('    no write of this file (or of a folder holding it) in this file: nothing to report');
    for (const recorded of same) {
      const write = recorded.event;
      const unsynced = reachesUnsynced(flow, recorded, recordedRename);
      const synced = flow.hasSyncedPath(write, rename, rename.file);
      const verdict = unsynced
        ? `reaches it with no fsync on some path${synced ? ' (another path fsyncs it)' : ''}`
        : synced
          ? 'reaches it only through an fsync: durable'
          : 'does not reach it (or its path is reassigned first)';
      const inside =
        recorded.inside && write.file.id !== rename.file.id ? `, of every file inside ${recorded.inside.id}` : '';
      lines.push(`    write (${write.name} @${at(write.node)}${inside}) ${verdict}`);
    }
  }
  print(log.findings, file, lines, keys, 'no rename recorded');
}
