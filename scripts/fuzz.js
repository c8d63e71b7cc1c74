// `npm run fuzz -- --count N [--seed S] [--print] [--strict] [--no-shrink] [--plugin module]`: lints random programs (see
// lib/fuzz-programs.js) with the built rule, in the spirit of ESLint's own rule fuzzer
// (tools/fuzzer-runner.js there). Checks, for every program:
// - the rule never throws;
// - every autofix and every suggestion, applied alone, gives a program that parses and is a fixed
//   point at its site: no autofix there any more, and the same suggestion, offered again, changes
//   nothing. One that leaves its report in place is counted as unresolved (a failure with --strict);
// - all autofixes together (as `eslint --fix` applies them) give a program that parses and is a
//   fixed point: linting it again changes nothing.
// - execution is the oracle (lib/execution-oracle.js): the program runs in a scratch directory
//   before and after every autofix, suggestion, all autofixes together and the codemod's rewrite;
//   stdout, stderr, escaped errors (class, code) and the final directory contents must match, but
//   for what the fix summary lists; a fixed program the rule finds clean must show no unsynced
//   rename under the tracer. `--execute N` runs only the first N programs (the rest are linted
//   only: a Node process per version costs far more than linting), `--no-execute` none.
// A failing program is shrunk by fast-check and printed with the seed that reproduces it.
// `--plugin` lints with another plugin module (the test uses a deliberately broken one).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { diffLines } from 'diff';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { programArbitrary, runtimeGlobals } from './lib/fuzz-programs.js';
import { allowedDifferences, compareRuns, createScratch, fileNameFor, runProgram } from './lib/execution-oracle.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    print: { type: 'boolean', default: false },
    plugin: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'no-shrink': { type: 'boolean', default: false },
    'no-execute': { type: 'boolean', default: false },
    execute: { type: 'string' },
    'every-failure': { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const seed = args.seed === undefined ? Date.now() % 2 ** 31 : Number(args.seed);
const executeCount = args['no-execute'] ? 0 : Number(args.execute ?? count);
if (
  !Number.isSafeInteger(count) ||
  count < 1 ||
  !Number.isSafeInteger(seed) ||
  !Number.isSafeInteger(executeCount) ||
  executeCount < 0
) {
  console.error(
    'usage: npm run fuzz -- --count N [--seed S] [--execute N | --no-execute] [--print] [--strict] [--no-shrink] [--plugin module]',
  );
  process.exit(2);
}
const pluginUrl = args.plugin
  ? pathToFileURL(path.resolve(args.plugin)).href
  : new URL('../dist/src/index.js', import.meta.url).href;
const plugin = (await import(pluginUrl)).default;
const RULE = 'durable-write/no-unsynced-rename';
const linter = new Linter({ configType: 'flat' });

const FILENAMES = { esm: 'fuzz.mjs', cjs: 'fuzz.cjs', ts: 'fuzz.ts' };
function configFor(program) {
  const languageOptions =
    program.lang === 'ts'
      ? { parser: tsParser, sourceType: 'module', ecmaVersion: 'latest' }
      : { sourceType: program.lang === 'cjs' ? 'commonjs' : 'module', ecmaVersion: 'latest' };
  return [
    {
      // `**/*` alone does not make ESLint lint a .ts file ("No matching configuration").
      files: ['**/*.mjs', '**/*.cjs', '**/*.ts'],
      languageOptions,
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { 'durable-write': plugin },
      rules: { [RULE]: ['error', ...program.options] },
    },
  ];
}

/** Kinds of failure, in the order they are reported; `unresolved` fails only with --strict. */
const KINDS = {
  crash: 'the rule threw',
  unparsable: 'a fix or suggestion output does not parse',
  'not-fixed-point': 'a fix or suggestion output is not a fixed point',
  generator: 'a generated program does not parse (a bug of the generator)',
  unresolved: 'a fix or suggestion left its report in place',
  behaviour: 'a fixed program behaves differently, in a way its fix summary does not list',
  'traced-unsynced': 'a fixed program the rule finds clean renames unsynced data under the tracer',
};

class FuzzFailure extends Error {
  constructor(kind, message, details) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}

/** The rule's findings on `text`; throws a FuzzFailure when the rule crashes or the text does not parse. */
function lint(program, text, what) {
  let messages;
  try {
    messages = linter.verify(text, configFor(program), FILENAMES[program.lang]);
  } catch (error) {
    throw new FuzzFailure('crash', `the rule crashed on ${what}`, { text, error: String(error?.stack ?? error) });
  }
  // A message of no rule (no configuration matched the file, a parse error) means nothing was linted.
  const fatal = messages.find((message) => message.fatal || message.ruleId === null);
  if (fatal)
    throw new FuzzFailure(what === GENERATED ? 'generator' : 'unparsable', `${what} does not parse`, {
      text,
      error: `${fatal.line}:${fatal.column} ${fatal.message}`,
    });
  return messages.filter((message) => message.ruleId === RULE);
}

function applyFix(text, fix) {
  return text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
}

/**
 * Where the site of `finding` is in `after`: the same line and column shifted when its line is
 * unchanged, else the lines that replaced it. A line diff, because a fix that adds an import and
 * rewrites a site is one range from the import to the site, with untouched sites in between.
 */
function siteAfter(before, after, finding) {
  let oldLine = 1;
  let newLine = 1;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length;) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      if (finding.line < oldLine + part.count) {
        const line = newLine + finding.line - oldLine;
        return (m) => m.line === line && m.column === finding.column;
      }
      oldLine += part.count;
      newLine += part.count;
      i++;
      continue;
    }
    let removed = 0;
    let added = 0;
    for (; i < parts.length && (parts[i].added || parts[i].removed); i++) {
      if (parts[i].added) added += parts[i].count;
      else removed += parts[i].count;
    }
    if (finding.line < oldLine + removed) {
      const first = newLine;
      const last = newLine + Math.max(added, 1) - 1;
      return (m) => m.line >= first && m.line <= last;
    }
    oldLine += removed;
    newLine += added;
  }
  return () => false;
}

/** What the current pass counts; shrinking runs use a throwaway one. */
let run = newRun(false);
function newRun(throwUnresolved) {
  return {
    throwUnresolved,
    unresolved: [],
    stats: { programs: 0, findings: 0, fixes: 0, suggestions: 0, fixedPrograms: 0 },
    executed: { before: 0, after: 0, timedOut: 0, nondeterministic: 0, listedDifferences: 0, traced: 0 },
    /** Per shape a site has (lib/fuzz-programs.js): sites generated, run before, fixed versions run after. */
    shapes: {},
  };
}

/** The lines of `before` that `after` replaces, or inserts text before (as [first, last] pairs, 1-based). */
function changedLines(before, after) {
  const changed = [];
  let line = 1;
  for (const part of diffLines(before, after)) {
    if (part.removed) changed.push([line, line + part.count - 1]);
    else if (part.added) changed.push([line, line - 1]);
    if (!part.added) line += part.count;
  }
  return changed;
}

/**
 * The generated sites whose lines a fixed version changed: a replaced line inside the site, or text
 * inserted after its first line and up to just after its last (an fsync before the rename, the
 * directory's after it).
 */
function sitesChanged(program, text) {
  const changed = changedLines(program.text, text);
  return program.sites.filter((site) =>
    changed.some(([first, last]) =>
      last >= first ? first <= site.last && last >= site.first : first > site.first && first <= site.last + 1,
    ),
  );
}

const shapeCount = (shape) => (run.shapes[shape] ??= { sites: 0, before: 0, after: 0 });

/** Counts, per shape, the sites with a finding in an original that ran, or the fixed versions that ran over them. */
function countShapes(sites, when) {
  for (const shape of new Set(sites.flatMap((site) => site.shapes))) shapeCount(shape)[when]++;
}
const GENERATED = 'the generated program';

/**
 * After a fix or suggestion was applied: the output parses, and it is a fixed point at the site
 * (no autofix there any more, and the same suggestion, if offered again, changes nothing). A fix
 * that leaves its report in place is counted as unresolved (a failure with --strict).
 */
function checkOutput(program, findingsBefore, finding, fix, what, sameSuggestion) {
  const output = applyFix(program.text, fix);
  const after = lint(program, output, what);
  const atSite = after.filter(siteAfter(program.text, output, finding));
  for (const again of atSite) {
    if (!sameSuggestion && again.fix) {
      throw new FuzzFailure('not-fixed-point', `${what} is not a fixed point: the site has an autofix again`, {
        text: output,
        error: `${again.line}:${again.column} ${again.message}`,
      });
    }
    const repeated = sameSuggestion && (again.suggestions ?? []).find((s) => s.desc === sameSuggestion);
    if (repeated && applyFix(output, repeated.fix) !== output) {
      throw new FuzzFailure('not-fixed-point', `${what} is not a fixed point: applying it again changes the program`, {
        text: output,
        error: applyFix(output, repeated.fix),
      });
    }
  }
  if (after.length >= findingsBefore.length) {
    const failure = new FuzzFailure('unresolved', `${what} left its report in place`, {
      text: output,
      error: after.map((m) => `${m.line}:${m.column} ${m.message}`).join('\n'),
    });
    if (run.throwUnresolved) throw failure;
    run.unresolved.push(failure);
  }
}

/** Checks one program; throws a FuzzFailure (with the program) for the first problem. */
function checkProgram(program) {
  for (const site of program.sites) for (const shape of site.shapes) shapeCount(shape).sites++;
  try {
    checkOne(program);
    if (scratch && run.stats.programs <= executeCount) executeProgram(program, lint(program, program.text, GENERATED));
  } catch (error) {
    if (error instanceof FuzzFailure) error.program = program;
    throw error;
  }
  for (const failure of run.unresolved) failure.program ??= program;
}

function checkOne(program) {
  const { stats } = run;
  stats.programs++;
  if (args.print)
    console.log(
      `--- program ${stats.programs} (${program.lang}, options ${JSON.stringify(program.options)})\n${program.text}`,
    );
  const findings = lint(program, program.text, GENERATED);
  stats.findings += findings.length;
  for (const finding of findings) {
    const site = `line ${finding.line}:${finding.column}`;
    if (finding.fix) {
      stats.fixes++;
      checkOutput(program, findings, finding, finding.fix, `the autofix for ${site}`, undefined);
    }
    for (const suggestion of finding.suggestions ?? []) {
      stats.suggestions++;
      checkOutput(
        program,
        findings,
        finding,
        suggestion.fix,
        `the suggestion "${suggestion.desc}" for ${site}`,
        suggestion.desc,
      );
    }
  }
  if (!findings.some((finding) => finding.fix)) return;
  // All fixes at once, as `eslint --fix` applies them (up to 10 passes), must reach a fixed point.
  const fixed = linter.verifyAndFix(program.text, configFor(program), FILENAMES[program.lang]);
  lint(program, fixed.output, 'the output of all autofixes');
  const again = linter.verifyAndFix(fixed.output, configFor(program), FILENAMES[program.lang]);
  if (again.fixed || again.output !== fixed.output) {
    throw new FuzzFailure(
      'not-fixed-point',
      'the output of all autofixes is not a fixed point: fixing it again changed it',
      { text: fixed.output, error: again.output },
    );
  }
  stats.fixedPrograms++;
}

const built = (file) => new URL(`../dist/${file}`, import.meta.url).href;
const { rewriteSource } = await import(built('codemods/engine.js'));
const { runtimeLayerDifferences, vendoredLayerDifferences, helperDifferences } = await import(
  built('src/fix/helper-rewrite.js')
);
const vendored = {
  cjs: readFileSync(fileURLToPath(built('vendor/durable-write.cjs')), 'utf8'),
  esm: readFileSync(fileURLToPath(built('vendor/durable-write.mjs')), 'utf8'),
};
const scratch = executeCount === 0 ? undefined : createScratch('fuzz');
process.on('exit', () => scratch?.dispose());

/** What the summary of a rule fix would list: the codemod's lines for the same rewrite. */
const helperSummary = (importSource) => [
  ...helperDifferences,
  ...(importSource.startsWith('.') ? vendoredLayerDifferences : runtimeLayerDifferences),
];

/**
 * Does the original behave as in its first run when run again, with one libuv thread (which
 * completes its concurrent fs calls in another order), and with every write flushed? A fix that
 * adds an fsync delays its write, so un-awaited writes racing for one file can finish in another
 * order: that says nothing about the fix.
 */
function deterministic(program, options, before) {
  for (const env of [{}, { UV_THREADPOOL_SIZE: '1' }, { DURABLE_WRITE_ORACLE_FLUSH: '1' }]) {
    run.executed.before++;
    if (compareRuns(before, runProgram(scratch, { ...options, env, text: program.text })).length > 0) return false;
  }
  return true;
}

/**
 * Runs the program, then each fixed version of it, and compares what they do; the versions the
 * rule finds clean also run under the tracer.
 */
function executeProgram(program, findings) {
  const importSource = program.options[0]?.importSource ?? 'durable-write-runtime';
  const versions = [];
  for (const finding of findings) {
    const site = `line ${finding.line}:${finding.column}`;
    if (finding.fix) versions.push({ by: `the autofix for ${site}`, text: applyFix(program.text, finding.fix) });
    for (const suggestion of finding.suggestions ?? [])
      versions.push({
        by: `the suggestion "${suggestion.desc}" for ${site}`,
        text: applyFix(program.text, suggestion.fix),
      });
  }
  if (findings.some((finding) => finding.fix))
    versions.push({
      by: 'all autofixes together',
      text: linter.verifyAndFix(program.text, configFor(program), FILENAMES[program.lang]).output,
    });
  // The codemod fixes a file inside a package that depends on the runtime, as `durable-write fix` does.
  const packageDir = scratch.packageDir(program.lang);
  const filename = path.join(packageDir, fileNameFor(program.lang));
  writeFileSync(filename, program.text);
  const codemod = rewriteSource(program.text, filename, { importSource, ruleOptions: program.options[0] ?? {} });
  if (codemod.status === 'rewritten') {
    const summary = codemod.sites.flatMap((s) => s.differences ?? []);
    versions.push({ by: 'the codemod', text: codemod.output, summary });
  }
  if (versions.length === 0) return;
  const { executed } = run;
  const lang = program.lang;
  const beside = importSource.startsWith('.')
    ? { [importSource.slice(2)]: vendored[lang === 'cjs' ? 'cjs' : 'esm'] }
    : {};
  // Each Node process costs most of the run: the original runs untraced, a text that several fixes
  // produce runs once, and only a version the rule finds clean runs under the tracer.
  const options = { lang, beside, preload: runtimeGlobals, timeout: 10_000 };
  const before = runProgram(scratch, { ...options, text: program.text });
  executed.before++;
  if (before.timedOut) {
    executed.timedOut++;
    return;
  }
  for (const site of program.sites) {
    if (findings.some((f) => f.line >= site.first && f.line <= site.last)) countShapes([site], 'before');
  }
  const byText = new Map();
  for (const version of versions) {
    if (version.text !== program.text) byText.set(version.text, [...(byText.get(version.text) ?? []), version]);
  }
  for (const [text, sameText] of byText) {
    const clean = lint(program, text, sameText[0].by).length === 0;
    const after = runProgram(scratch, { ...options, traced: clean, text });
    executed.after++;
    for (const version of sameText) {
      const summary = version.summary ?? (text.includes(importSource) ? helperSummary(importSource) : []);
      const differences = compareRuns(before, after, allowedDifferences(summary));
      // A program whose own runs differ (un-awaited writes racing) says nothing about its fix.
      if (differences.length > 0 && !deterministic(program, options, before)) {
        executed.nondeterministic++;
        return;
      }
      if (differences.length > 0) {
        throw new FuzzFailure('behaviour', `${version.by} changed what the program does`, {
          text,
          error: `${differences.join('\n')}\n--- the fix summary listed\n${summary.join('\n') || '(nothing)'}`,
        });
      }
    }
    countShapes(sitesChanged(program, text), 'after');
    if (compareRuns(before, after).length > 0) executed.listedDifferences++;
    if (!clean) continue;
    executed.traced++;
    if (after.unsyncedRenames !== 0) {
      throw new FuzzFailure(
        'traced-unsynced',
        `${sameText.map((v) => v.by).join(', ')} leave(s) a program the rule finds clean, but the tracer sees ${after.unsyncedRenames} unsynced rename(s)`,
        { text, error: after.stderr },
      );
    }
  }
}

const started = performance.now();
const failures = new Map();
const record = (failure) => {
  const entry = failures.get(failure.kind) ?? { count: 0, first: failure, all: [] };
  entry.count++;
  entry.all.push(failure);
  failures.set(failure.kind, entry);
};
for (const program of fc.sample(programArbitrary, { numRuns: count, seed })) {
  try {
    checkProgram(program);
  } catch (error) {
    if (!(error instanceof FuzzFailure)) throw error;
    record(error);
  }
}
const { stats, unresolved, executed, shapes } = run;
for (const failure of unresolved) record(failure);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

/** The first program failing with `kind`, shrunk by fast-check from the same seed. */
function shrink(kind) {
  run = newRun(kind === 'unresolved');
  const result = fc.check(
    fc.property(programArbitrary, (program) => {
      try {
        checkProgram(program);
      } catch (error) {
        if (error instanceof FuzzFailure && error.kind === kind) throw error;
      }
    }),
    { numRuns: count, seed },
  );
  return result.failed && result.errorInstance instanceof FuzzFailure
    ? { failure: result.errorInstance, shrinks: result.numShrinks }
    : undefined;
}

for (const kind of Object.keys(KINDS)) {
  const entry = failures.get(kind);
  if (!entry) continue;
  // Shrinking replays the run from the start: skipped for what does not fail the run, and on request.
  const shrunk = args['no-shrink'] || (kind === 'unresolved' && !args.strict) ? undefined : shrink(kind);
  const { failure, shrinks } = shrunk ?? { failure: entry.first, shrinks: 0 };
  console.log(
    `\n=== ${entry.count} × ${KINDS[kind]}${kind === 'unresolved' && !args.strict ? ' (not a failure without --strict)' : ''}`,
  );
  console.log(`first${shrunk ? `, shrunk ${shrinks} times` : ''}: ${failure.message}`);
  console.log(
    `--- program (${failure.program.lang}, options ${JSON.stringify(failure.program.options)})\n${failure.program.text}`,
  );
  console.log(`--- checked text\n${failure.details.text}\n--- detail\n${failure.details.error}`);
  if (!args['every-failure']) continue;
  for (const [i, other] of entry.all.slice(1).entries()) {
    console.log(`\n--- ${kind} ${i + 2} of ${entry.count}: ${other.message}`);
    console.log(
      `--- program (${other.program.lang}, options ${JSON.stringify(other.program.options)})\n${other.program.text}`,
    );
    console.log(`--- checked text\n${other.details.text}\n--- detail\n${other.details.error}`);
  }
}
const hard = [...failures].filter(([kind]) => kind !== 'unresolved' || args.strict);
if (hard.length > 0) process.exitCode = 1;
const counts = Object.keys(KINDS)
  .map((kind) => `${failures.get(kind)?.count ?? 0} ${kind}`)
  .join(', ');
console.log(
  `\n${stats.programs} programs (seed ${seed}) in ${seconds} s: ${stats.findings} findings, ${stats.fixes} fixes checked, ` +
    `${stats.suggestions} suggestions checked, ${stats.fixedPrograms} programs fixed to a fixed point; ${counts}`,
);
if (scratch) {
  console.log(
    `executed, of the first ${Math.min(executeCount, stats.programs)} programs: ` +
      `${executed.before} runs of programs before their fixes, ${executed.after} fixed versions after (${executed.timedOut} timed out before, ` +
      `${executed.nondeterministic} skipped: their own runs differ); ` +
      `${executed.listedDifferences} differed only as their fix summary lists; ${executed.traced} clean versions traced`,
  );
}
// Sites of each shape the generator made, those with a finding in an original that ran, and the
// fixed versions that ran and changed one.
for (const [shape, count] of Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)))
  console.log(
    `shape ${shape}: ${count.sites} sites, ${count.before} run before, ${count.after} fixed versions run after`,
  );
