/**
 * What a command found, as plain data, and the output formats every command shares: `json` (this
 * shape) and `sarif` (SARIF 2.1.0, for GitHub code scanning). `stylish` is each command's own text.
 */
import path from 'node:path';
import { docsUrl, repository, version } from '../../src/meta.js';
import { rules } from '../../rules/index.js';
import { UsageError } from './command.js';
import { ruleId } from './rule-options.js';

export const formats = ['stylish', 'json', 'sarif'] as const;
export type Format = (typeof formats)[number];

export function parseFormat(value: string): Format {
  if ((formats as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`unknown --format ${JSON.stringify(value)}; the formats are ${formats.join(', ')}`);
}

export interface Finding {
  /** Absolute path. */
  readonly file: string;
  /** 1-based, as ESLint and SARIF count. */
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** `error`: a finding of `check`; `warning`: a site `fix` leaves for review; `note`: a site `fix` rewrites. */
  readonly level: 'error' | 'warning' | 'note';
  readonly message: string;
  /** `check`: `eslint --fix` / `durable-write fix` can rewrite it; `fix`: it was (or would be) rewritten. */
  readonly fixable: boolean;
}

export interface Skipped {
  readonly file: string;
  readonly reason: string;
}

export interface Report {
  readonly command: string;
  readonly cwd: string;
  /** Where SARIF locations are relative to: the git work tree's root, else `cwd`. */
  readonly root: string;
  /** Files selected, and those parsed (the others fail the rule's own text gate and cannot have a finding). */
  readonly files: number;
  readonly parsed: number;
  readonly findings: readonly Finding[];
  readonly skipped: readonly Skipped[];
  readonly warnings: readonly string[];
  /** `fix`: each check of the verify phase and what it found (`not run` with why). */
  readonly checks?: readonly ReportedCheck[];
}

export interface ReportedCheck {
  readonly name: string;
  readonly outcome: string;
  readonly summary: string;
}

const relative = (from: string, file: string): string => path.relative(from, file).split(path.sep).join('/');

export function toJson(report: Report): string {
  const { command, files, parsed, warnings } = report;
  const json = {
    tool: 'durable-write',
    version,
    command,
    files,
    parsed,
    findings: report.findings.map(({ file, ...rest }) => ({ file: relative(report.cwd, file), ruleId, ...rest })),
    skipped: report.skipped.map(({ file, reason }) => ({ file: relative(report.cwd, file), reason })),
    warnings,
    ...(report.checks ? { checks: report.checks } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** SARIF 2.1.0 (OASIS); locations relative to `%SRCROOT%`, the repository root, as code scanning wants. */
export function toSarif(report: Report): string {
  const location = (f: { file: string; line?: number; column?: number; endLine?: number; endColumn?: number }) => ({
    physicalLocation: {
      artifactLocation: { uri: relative(report.root, f.file), uriBaseId: '%SRCROOT%' },
      ...(f.line
        ? {
            region: {
              startLine: f.line,
              ...(f.column ? { startColumn: f.column } : {}),
              ...(f.endLine ? { endLine: f.endLine } : {}),
              ...(f.endColumn ? { endColumn: f.endColumn } : {}),
            },
          }
        : {}),
    },
  });
  const rule = rules['no-unsynced-rename'];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'durable-write',
            semanticVersion: version,
            informationUri: repository,
            rules: [
              {
                id: ruleId,
                shortDescription: { text: rule.meta.docs.description },
                helpUri: docsUrl('no-unsynced-rename'),
                defaultConfiguration: { level: 'error' },
              },
            ],
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: new URL(`file://${report.root.endsWith('/') ? report.root : `${report.root}/`}`).href },
        },
        results: report.findings.map((f) => ({
          ruleId,
          ruleIndex: 0,
          level: f.level,
          message: { text: f.message },
          locations: [location(f)],
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...report.skipped.map((s) => ({
                level: 'warning',
                message: { text: `skipped: ${s.reason}` },
                locations: [location(s)],
              })),
              ...report.warnings.map((text) => ({ level: 'warning', message: { text } })),
              ...(report.checks ?? []).map((c) => ({
                level: c.outcome === 'refused' ? 'error' : 'note',
                message: { text: c.summary },
              })),
            ],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** `path:line:column  message` lines grouped by file, as ESLint's stylish formatter groups them. */
export function stylishFindings(report: Report): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const blocks = [...byFile].map(
    ([file, findings]) =>
      `${relative(report.cwd, file)}\n${findings.map((f) => `  ${f.line}:${f.column}  ${f.level}  ${f.message}  ${ruleId}`).join('\n')}\n`,
  );
  return blocks.join('\n');
}

export const skippedLines = (report: Report): string[] =>
  report.skipped.length
    ? [
        `skipped: ${report.skipped.length}`,
        ...report.skipped.map((s) => `  ${relative(report.cwd, s.file)}: ${s.reason}`),
      ]
    : [];
