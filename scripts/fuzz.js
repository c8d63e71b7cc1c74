// `npm run fuzz -- --count N [--seed S] [--print] [--strict] [--no-shrink] [--plugin module]`: lints random programs (see
// lib/fuzz-programs.js) with the built rule, in the spirit of ESLint's own rule fuzzer
// (tools/fuzzer-runner.js there). Checks, for every program:
// - the rule never throws;
// - every autofix and every suggestion, applied alone, gives a program that parses and is a fixed
//   point at its site: no autofix there any more, and the same suggestion, offered again, changes
//   nothing. One that leaves its report in place is counted as unresolved (a failure with --strict);
// - all autofixes together (as `eslint --fix` applies them) give a program that parses and is a
//   fixed point: linting it again changes nothing.
// A failing program is shrunk by fast-check and printed with the seed that reproduces it.
// `--plugin` lints with another plugin module (the test uses a deliberately broken one).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { diffLines } from 'diff';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { programArbitrary } from './lib/fuzz-programs.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    print: { type: 'boolean', default: false },
    plugin: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'no-shrink': { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const seed = args.seed === undefined ? Date.now() % 2 ** 31 : Number(args.seed);
if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run fuzz -- --count N [--seed S] [--print] [--strict] [--no-shrink] [--plugin module]');
  process.exit(2);
}
const pluginUrl = args.plugin ? pathToFileURL(path.resolve(args.plugin)).href : new URL('../dist/src/index.js', import.meta.url).href;
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
      files: ['**/*'],
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
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new FuzzFailure(what === GENERATED ? 'generator' : 'unparsable', `${what} does not parse`, { text, error: `${fatal.line}:${fatal.column} ${fatal.message}` });
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
  for (let i = 0; i < parts.length; ) {
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
  return { throwUnresolved, unresolved: [], stats: { programs: 0, findings: 0, fixes: 0, suggestions: 0, fixedPrograms: 0 } };
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
      throw new FuzzFailure('not-fixed-point', `${what} is not a fixed point: the site has an autofix again`, { text: output, error: `${again.line}:${again.column} ${again.message}` });
    }
    const repeated = sameSuggestion && (again.suggestions ?? []).find((s) => s.desc === sameSuggestion);
    if (repeated && applyFix(output, repeated.fix) !== output) {
      throw new FuzzFailure('not-fixed-point', `${what} is not a fixed point: applying it again changes the program`, { text: output, error: applyFix(output, repeated.fix) });
    }
  }
  if (after.length >= findingsBefore.length) {
    const failure = new FuzzFailure('unresolved', `${what} left its report in place`, { text: output, error: after.map((m) => `${m.line}:${m.column} ${m.message}`).join('\n') });
    if (run.throwUnresolved) throw failure;
    run.unresolved.push(failure);
  }
}

/** Checks one program; throws a FuzzFailure (with the program) for the first problem. */
function checkProgram(program) {
  try {
    checkOne(program);
  } catch (error) {
    if (error instanceof FuzzFailure) error.program = program;
    throw error;
  }
  for (const failure of run.unresolved) failure.program ??= program;
}

function checkOne(program) {
  const { stats } = run;
  stats.programs++;
  if (args.print) console.log(`--- program ${stats.programs} (${program.lang}, options ${JSON.stringify(program.options)})\n${program.text}`);
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
      checkOutput(program, findings, finding, suggestion.fix, `the suggestion "${suggestion.desc}" for ${site}`, suggestion.desc);
    }
  }
  if (!findings.some((finding) => finding.fix)) return;
  // All fixes at once, as `eslint --fix` applies them (up to 10 passes), must reach a fixed point.
  const fixed = linter.verifyAndFix(program.text, configFor(program), FILENAMES[program.lang]);
  lint(program, fixed.output, 'the output of all autofixes');
  const again = linter.verifyAndFix(fixed.output, configFor(program), FILENAMES[program.lang]);
  if (again.fixed || again.output !== fixed.output) {
    throw new FuzzFailure('not-fixed-point', 'the output of all autofixes is not a fixed point: fixing it again changed it', { text: fixed.output, error: again.output });
  }
  stats.fixedPrograms++;
}

const started = performance.now();
const failures = new Map();
const record = (failure) => {
  const entry = failures.get(failure.kind) ?? { count: 0, first: failure };
  entry.count++;
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
const { stats, unresolved } = run;
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
  return result.failed && result.errorInstance instanceof FuzzFailure ? { failure: result.errorInstance, shrinks: result.numShrinks } : undefined;
}

for (const kind of Object.keys(KINDS)) {
  const entry = failures.get(kind);
  if (!entry) continue;
  // Shrinking replays the run from the start: skipped for what does not fail the run, and on request.
  const shrunk = args['no-shrink'] || (kind === 'unresolved' && !args.strict) ? undefined : shrink(kind);
  const { failure, shrinks } = shrunk ?? { failure: entry.first, shrinks: 0 };
  console.log(`\n=== ${entry.count} × ${KINDS[kind]}${kind === 'unresolved' && !args.strict ? ' (not a failure without --strict)' : ''}`);
  console.log(`first${shrunk ? `, shrunk ${shrinks} times` : ''}: ${failure.message}`);
  console.log(`--- program (${failure.program.lang}, options ${JSON.stringify(failure.program.options)})\n${failure.program.text}`);
  console.log(`--- checked text\n${failure.details.text}\n--- detail\n${failure.details.error}`);
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
