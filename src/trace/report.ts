/**
 * Reports of traced threads: merged across the processes of one run, then printed as text (for a
 * person), JSON (for tools) or SARIF 2.1.0 (for code-scanning UIs).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findingKey, shortPath, siteText, type CallSite, type TraceSite } from './sites.js';
import type { TraceFinding, TraceRule } from './tracker.js';

/** What one thread writes at exit. */
export interface TraceReport {
  readonly version: 1;
  readonly pid: number;
  readonly threadId: number;
  readonly argv: readonly string[];
  readonly findings: readonly TraceFinding[];
}

export const ruleText: Record<TraceRule, { severity: 'error' | 'warning'; summary: string }> = {
  'unsynced-rename': {
    severity: 'error',
    summary: 'renamed while its data was not fsynced: after a power cut the target can be empty or torn',
  },
  'rename-without-directory-sync': {
    severity: 'warning',
    summary: 'rename never followed by an fsync of the directory: after a power cut the old file can come back',
  },
};

const MAX_RENAMES_KEPT = 5;

/** One list of findings for a whole run: the same (rule, write site, rename site) counted once. */
export function mergeReports(reports: readonly TraceReport[]): TraceFinding[] {
  const merged = new Map<string, TraceFinding>();
  for (const report of reports) {
    for (const finding of report.findings) {
      const key = findingKey(finding.rule, finding.write, finding.rename);
      const seen = merged.get(key);
      if (!seen) {
        merged.set(key, { ...finding, renames: finding.renames.slice(0, MAX_RENAMES_KEPT) });
        continue;
      }
      seen.count += finding.count;
      for (const rename of finding.renames) {
        if (seen.renames.length >= MAX_RENAMES_KEPT) break;
        if (!seen.renames.some((r) => r.from === rename.from && r.to === rename.to)) seen.renames.push(rename);
      }
    }
  }
  const order = (f: TraceFinding): string => `${f.rule === 'unsynced-rename' ? 0 : 1}${siteText(f.rename.site)}`;
  return [...merged.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

const callText = (call: CallSite | undefined, cwd: string): string => {
  if (!call) return '(unknown)';
  const own = siteText(call.site, cwd);
  if (!call.package) return own;
  const via = (call.via ?? []).map((frame) => `, called from ${frame.name} (${siteText(frame.site, cwd)})`).join('');
  return `${own}, inside ${call.package.name} (${siteText(call.package.site, cwd)})${via}`;
};

/**
 * `run.traced`: how many Node processes were traced (reported or not), `run.unreported`: how many
 * of them ended without a report, when the caller knows: "no unsynced rename" must not reassure
 * about processes nobody heard from.
 */
export function formatText(
  input: readonly TraceReport[] | readonly TraceFinding[],
  cwd = process.cwd(),
  run: { traced?: number; unreported?: number } = {},
): string {
  const findings = isReports(input) ? mergeReports(input) : input;
  if (run.traced === 0)
    return 'durable-write trace: no Node process was traced (the command started none, or the tracer was off).\n';
  if (findings.length === 0 && run.unreported)
    return 'durable-write trace: no unsynced rename in the processes that reported.\n';
  if (findings.length === 0) return 'durable-write trace: no unsynced rename.\n';
  const lines = [`durable-write trace: ${findings.length} finding${findings.length === 1 ? '' : 's'}`];
  for (const finding of findings) {
    const { severity, summary } = ruleText[finding.rule];
    const times = finding.count === 1 ? '' : ` (${finding.count} times)`;
    lines.push('', `${severity}  ${finding.rule}${times}: ${summary}`);
    lines.push(`  renamed at  ${callText(finding.rename, cwd)}`);
    if (finding.rule === 'unsynced-rename') lines.push(`  written at  ${callText(finding.write, cwd)}`);
    const example = finding.renames[0];
    if (example) lines.push(`  e.g. ${shortPath(example.from, cwd)} → ${shortPath(example.to, cwd)}`);
  }
  return `${lines.join('\n')}\n`;
}

function isReports(input: readonly TraceReport[] | readonly TraceFinding[]): input is readonly TraceReport[] {
  return input.length > 0 && 'findings' in input[0]!;
}

function sarifLocation(site: TraceSite, cwd: string, message?: string) {
  const relative = path.relative(cwd, site.file);
  return {
    physicalLocation: {
      // SARIF wants a URI reference: spaces, non-ASCII characters, `#` and `?` percent-encoded.
      artifactLocation: {
        uri:
          relative.startsWith('..') || path.isAbsolute(relative)
            ? pathToFileURL(site.file).href
            : relative.split(path.sep).map(encodeURIComponent).join('/'),
      },
      region: { startLine: site.line, startColumn: site.column },
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

/** SARIF 2.1.0: the rename is the result's location, the write (and dependency frames) related ones. */
export function toSarif(findings: readonly TraceFinding[], version: string, cwd = process.cwd()): object {
  const rules = Object.entries(ruleText).map(([id, { severity, summary }]) => ({
    id,
    shortDescription: { text: summary },
    defaultConfiguration: { level: severity },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'durable-write trace', version, rules } },
        results: findings.map((finding) => {
          const related = [
            finding.rule === 'unsynced-rename' &&
              finding.write?.site &&
              sarifLocation(finding.write.site, cwd, 'data written here'),
            finding.write?.package &&
              sarifLocation(finding.write.package.site, cwd, `write inside ${finding.write.package.name}`),
            finding.rename.package &&
              sarifLocation(finding.rename.package.site, cwd, `rename inside ${finding.rename.package.name}`),
          ].filter((location) => location !== undefined && location !== false);
          const where = finding.rename.site ?? finding.rename.package?.site;
          return {
            ruleId: finding.rule,
            level: ruleText[finding.rule].severity,
            message: {
              text: `${ruleText[finding.rule].summary} (${finding.count} time${finding.count === 1 ? '' : 's'})`,
            },
            locations: where ? [sarifLocation(where, cwd)] : [],
            relatedLocations: related.map((location, id) => ({ id, ...location })),
            occurrenceCount: finding.count,
          };
        }),
      },
    ],
  };
}
