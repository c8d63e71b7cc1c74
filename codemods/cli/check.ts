/**
 * `durable-write check [paths…]`: lint with `no-unsynced-rename`, zero config, as a CI gate that
 * fails for this rule's findings only. ESLint's own problems with the project's comments
 * (`eslint-env`, directives naming rules this run does not load) are not ours and are dropped;
 * files that do not parse are listed as skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { mayFindUnsyncedRenames } from '../../src/engine/detector.js';
import { customFunctionsOf } from '../../src/options.js';
import { ExitCode, parseOptions, reportingOptions, UsageError, type Command } from './command.js';
import { git, parseShard, rootOf, selectFiles } from './files.js';
import { lintOptions, lintOptionsUrl, type LintSettings } from './lint-options.js';
import {
  parseFormat,
  skippedLines,
  stylishFindings,
  toJson,
  toSarif,
  type Finding,
  type Format,
  type Report,
  type Skipped,
} from './report.js';
import { parseRuleOptions, ruleId } from './rule-options.js';
import { chooseTypeScriptParser } from './typescript-parser.js';

const usage = `Usage: durable-write check [paths…] [options]

Reports every write + rename without an fsync (durable-write/no-unsynced-rename), zero config.
Paths default to the current directory; node_modules and .gitignored files are skipped.

Options:
  --format <name>          stylish (default), json or sarif
  --rule-options <json>    the rule's options, e.g. '{"renameFunctions":[{"source":"./fs","name":"move"}]}'
  --strict                 exit 1 when a file cannot be parsed (default: listed as skipped)
  --changed [REV]          only files changed since REV (default HEAD), plus untracked files
  --files-from <file|->    only the files listed in <file> (- reads stdin), one a line
  --concurrency <n|auto|off>  lint in worker threads, like ESLint's flag (default off)
  --shard <i/n>            the i-th of n disjoint parts of the file list, for parallel CI jobs
  -h, --help               this text

Exit codes: 0 no finding, 1 findings, 2 usage or environment error.`;

function parseConcurrency(value: string): LintSettings['concurrency'] {
  if (value === 'auto' || value === 'off') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--concurrency takes a positive integer, auto or off, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * `--changed` takes an optional revision: the next argument is one when git resolves it and no
 * file of that name exists (`--changed=REV` is never ambiguous).
 */
function withChangedValue(argv: readonly string[], cwd: string): string[] {
  const args = [...argv];
  const at = args.indexOf('--changed');
  if (at === -1 || at > (args.includes('--') ? args.indexOf('--') : Infinity)) return args;
  const next = args[at + 1];
  const isRevision =
    next !== undefined &&
    !next.startsWith('-') &&
    !fs.existsSync(next) &&
    git(cwd, ['rev-parse', '--verify', '--quiet', `${next}^{commit}`]) !== undefined;
  args.splice(at, isRevision ? 2 : 1, `--changed=${isRevision ? next : 'HEAD'}`);
  return args;
}

/** ESLint reports a file it cannot parse as one fatal message without a rule. */
const isParseError = (m: { fatal?: boolean; ruleId: string | null; message: string }): boolean =>
  m.fatal === true && m.ruleId === null && m.message.startsWith('Parsing error');

async function lint(eslint: ESLint, files: string[]): Promise<ESLint.LintResult[]> {
  // Progress only for a person watching: ESLint reports nothing until the end, so lint in parts.
  if (!process.stderr.isTTY || files.length < 50) return files.length ? eslint.lintFiles(files) : [];
  const results: ESLint.LintResult[] = [];
  const part = Math.max(25, Math.ceil(files.length / 10));
  for (let i = 0; i < files.length; i += part) {
    process.stderr.write(`\rdurable-write: ${i}/${files.length} files linted`);
    results.push(...(await eslint.lintFiles(files.slice(i, i + part))));
  }
  process.stderr.write('\r\x1b[K');
  return results;
}

function nextSteps(findings: readonly Finding[]): string {
  const fixable = findings.filter((f) => f.fixable).length;
  const lines = [`✖ ${findings.length} unsynced rename${findings.length === 1 ? '' : 's'}`];
  lines.push(
    '  `npx durable-write fix` shows the rewrite to the durable helper, or why a site is left for review (a dry run; `--write` applies it)' +
      (fixable ? `;\n  ${fixable} of them \`eslint --fix\` can fix with durable-write in your ESLint config` : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** Our rule's findings, and the files ESLint could not parse; everything else is not ours. */
function collect(results: readonly ESLint.LintResult[]): { findings: Finding[]; skipped: Skipped[] } {
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  for (const result of results) {
    for (const m of result.messages) {
      if (m.ruleId === ruleId) {
        findings.push({
          file: result.filePath,
          line: m.line,
          column: m.column,
          ...(m.endLine ? { endLine: m.endLine } : {}),
          ...(m.endColumn ? { endColumn: m.endColumn } : {}),
          level: 'error',
          message: m.message,
          fixable: m.fix !== undefined,
        });
      } else if (isParseError(m))
        skipped.push({
          file: result.filePath,
          reason: `cannot parse: ${m.message.replace(/^Parsing error:\s*/, '')} (${m.line}:${m.column})`,
        });
    }
  }
  return { findings, skipped };
}

function print(report: Report, format: Format): void {
  if (format === 'json') process.stdout.write(toJson(report));
  else if (format === 'sarif') process.stdout.write(toSarif(report));
  else {
    process.stdout.write(
      [stylishFindings(report), ...(report.findings.length ? [nextSteps(report.findings)] : [])]
        .filter(Boolean)
        .join('\n'),
    );
    const summary = [
      ...skippedLines(report),
      `checked ${report.files} files (${report.parsed} may have a finding and were parsed): ${report.findings.length} finding(s)`,
    ];
    process.stderr.write(`${summary.map((l) => `durable-write: ${l}`).join('\n')}\n`);
  }
}

export const checkCommand: Command = {
  summary: 'report every write + rename without an fsync (a CI gate: exit 1 on findings)',
  usage,
  async run(argv, cwd) {
    const { values, positionals } = parseOptions(withChangedValue(argv, cwd), {
      ...reportingOptions,
      strict: { type: 'boolean', default: false },
      changed: { type: 'string' },
      'files-from': { type: 'string' },
      concurrency: { type: 'string', default: 'off' },
      shard: { type: 'string' },
    });
    const format = parseFormat(values.format as string);
    const ruleOptions = parseRuleOptions(values['rule-options'] as string | undefined);
    const concurrency = parseConcurrency(values.concurrency as string);
    const files = selectFiles(
      {
        paths: positionals,
        ...(values.changed !== undefined ? { changed: values.changed as string } : {}),
        ...(values['files-from'] !== undefined ? { filesFrom: values['files-from'] as string } : {}),
        ...(values.shard !== undefined ? { shard: parseShard(values.shard as string) } : {}),
      },
      cwd,
    );
    // The rule's own first test (src/engine/detector.ts): a file it would leave at once is not parsed.
    const gateOptions = {
      ...customFunctionsOf(ruleOptions ?? {}),
      ...(ruleOptions?.dependencies === false ? { dependencies: false } : {}),
    };
    const unreadable: Skipped[] = [];
    const candidates = files.filter((file) => {
      try {
        return mayFindUnsyncedRenames(fs.readFileSync(file, 'utf8'), gateOptions, path.resolve(cwd, file));
      } catch (error) {
        unreadable.push({
          file,
          reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        });
        return false;
      }
    });
    const warnings: string[] = [];
    const parser = candidates.some((f) => /\.[cm]?tsx?$/.test(f)) ? chooseTypeScriptParser(cwd) : undefined;
    if (parser?.warning) warnings.push(parser.warning);
    for (const w of warnings) process.stderr.write(`durable-write: warning: ${w}\n`);

    const settings: LintSettings = {
      cwd,
      concurrency,
      ...(ruleOptions ? { ruleOptions } : {}),
      ...(parser ? { typescriptParser: parser.path } : {}),
    };
    const results = await lint(await ESLint.fromOptionsModule(lintOptionsUrl(settings)), candidates);
    // A `.js` file is linted as a module first (ESLint's default); one that is not a valid module
    // (top-level `return`, `with`, legacy octals) gets a second try as a CommonJS script.
    const scripts = results.filter((r) => /\.jsx?$/.test(r.filePath) && r.messages.some(isParseError));
    if (scripts.length) {
      const retried = await new ESLint(lintOptions({ ...settings, concurrency: 'off', commonjs: true })).lintFiles(
        scripts.map((r) => r.filePath),
      );
      for (const result of retried) {
        if (!result.messages.some(isParseError))
          results.splice(
            results.findIndex((r) => r.filePath === result.filePath),
            1,
            result,
          );
      }
    }
    const { findings, skipped } = collect(results);
    skipped.push(...unreadable);
    const report: Report = {
      command: 'check',
      cwd,
      root: rootOf(cwd),
      files: files.length,
      parsed: candidates.length,
      findings,
      skipped,
      warnings,
    };
    print(report, format);
    if (findings.length) return ExitCode.findings;
    return values.strict && skipped.length ? ExitCode.findings : ExitCode.clean;
  },
};
