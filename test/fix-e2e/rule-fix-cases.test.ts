/**
 * The fix cases of the rule tests (test/rules/no-unsynced-rename.fix.test.ts), executed: each case's
 * code and every output it expects (the autofix, each suggestion) run in a scratch package with the
 * same driver appended, which calls the file's top-level functions with arguments named after their
 * parameters and prints what they return, throw or call back. Outputs must behave as the code does
 * (errors may change class where the runtime is imported, as its fix summary lists), and show no
 * unsynced rename under the tracer. The rule tests check the
 * text; this checks what it does. A case that cannot run here (a package we do not install, JSX, a
 * function whose parameters say nothing of their values) is skipped, and the count of those that
 * ran is asserted so that they cannot silently vanish.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  allowedDifferences,
  compareRuns,
  createScratch,
  type Lang,
  type Run,
} from '../../scripts/lib/execution-oracle.js';
import { runProgram } from '../../scripts/lib/execution-oracle.js';
import { helperDifferences, runtimeLayerDifferences } from '../../src/fix/helper-rewrite.js';

vi.mock('@typescript-eslint/rule-tester', () => import('../rules/recording-rule-tester.js'));
const { recorded } = await import('../rules/recording-rule-tester.js');
await import('../rules/no-unsynced-rename.fix.test.js');

interface FixCase {
  name: string;
  code: string;
  filename?: string;
  output?: string | null;
  errors: Array<{ suggestions?: Array<{ messageId: string; output: string }> }>;
}

const langOf = (filename = 'file.ts'): Lang | undefined =>
  (({ mjs: 'esm', cjs: 'cjs', ts: 'ts' }) as const)[filename.split('.').pop() ?? ''];

/** Packages a case may import and still run here: Node's own modules and the runtime. */
const RUNNABLE_IMPORT = /^(?:node:)?(?:fs|fs\/promises|path|os|module)$|^durable-write-runtime$/;

/** Files that parameters named this way read: they exist before the program runs. */
const SOURCES = ['source', 'src', 'from'];

/** A value for a parameter, by its name; undefined when the name says nothing of it. */
function argumentFor(name: string, fn: string): string | undefined {
  if (/^(file|dest|target|to|dst|tmp|filename|path|source|src|from)$/.test(name)) return JSON.stringify(`${name}.json`);
  if (/^dir$/.test(name)) return "'.'";
  if (/^(data|value|content|text|next)$/.test(name)) return JSON.stringify(`${fn} ${name}`);
  if (/^(options|opts)$/.test(name)) return 'undefined';
  return undefined;
}

/**
 * The driver appended to every version of a case: calls each top-level function whose parameters it
 * can fill, one after the other, and prints what came of it. Undefined when it can call none.
 */
function driverFor(code: string, lang: Lang): string | undefined {
  const ast = parse(code, { sourceType: lang === 'cjs' ? 'script' : 'module', ecmaVersion: 'latest', range: true });
  const calls: string[] = [];
  for (const statement of ast.body) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
        ? statement.declaration
        : statement;
    if (declaration?.type !== 'FunctionDeclaration' || !declaration.id) continue;
    const fn = declaration.id.name;
    const args: string[] = [];
    let callback = false;
    for (const param of declaration.params) {
      const name = param.type === 'Identifier' ? param.name : undefined;
      if (name && /^(cb|callback|done|next)$/.test(name) && param === declaration.params.at(-1)) {
        callback = true;
        args.push('__oracleCallback');
        continue;
      }
      const value = name ? argumentFor(name, fn) : undefined;
      if (value === undefined) {
        args.length = 0;
        break;
      }
      args.push(value);
    }
    if (args.length !== declaration.params.length) continue;
    calls.push(
      callback
        ? `[${JSON.stringify(fn)}, () => new Promise((__oracleCallback) => { ${fn}(${args.join(', ').replace('__oracleCallback', '(...args) => { console.log(' + JSON.stringify(fn) + ", 'called back', __oracleShow(args)); __oracleCallback(); }")}); })]`
        : `[${JSON.stringify(fn)}, () => ${fn}(${args.join(', ')})]`,
    );
  }
  if (calls.length === 0) return undefined;
  return `
;(async () => {
  const __oracleShow = (value) =>
    JSON.stringify(value, (_, v) => (v instanceof Error ? \`error \${v.code ?? v.name}\` : v === undefined ? 'undefined' : v));
  for (const [name, call] of [${calls.join(', ')}]) {
    try {
      console.log(name, 'returned', __oracleShow(await call()));
    } catch (error) {
      console.log(name, 'threw', error?.code ?? error?.name);
    }
  }
})();
`;
}

/** Why a case cannot run here, or undefined. */
function unrunnable(text: string, lang: Lang | undefined): string | undefined {
  if (!lang) return 'not a file the oracle runs';
  const imports = [...text.matchAll(/(?:from|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const foreign = imports.find((source) => !RUNNABLE_IMPORT.test(source));
  if (foreign) return `imports ${foreign}`;
  if (/^\s*import \w+ = require/m.test(text)) return 'TypeScript import = require';
  return undefined;
}

/** Does the file run code of its own when loaded (reading the environment, or globals of the test)? */
function runsOnLoad(code: string, lang: Lang): boolean {
  const ast = parse(code, { sourceType: lang === 'cjs' ? 'script' : 'module', ecmaVersion: 'latest', range: true });
  // `module.exports = …` and `exports.x = …` only publish what the driver calls anyway.
  const isExport = (node: TSESTree.Expression): boolean =>
    node.type === 'AssignmentExpression' && /^(module\.)?exports\b/.test(code.slice(...node.left.range));
  return ast.body.some(
    (statement) => statement.type === 'ExpressionStatement' && !statement.directive && !isExport(statement.expression),
  );
}

/**
 * Suggestions offered for review that change what the program does, by case and suggestion: the
 * rule tests keep them (a maintainer may want the rewrite), and the reason is the remedy's `review`
 * (src/fix/remedies.ts). Asserted to differ, so that this list stays true.
 */
const REVIEWED: Record<string, { by: string; why: string }> = {
  'a statement in between reads the temp file': {
    by: 'suggestion rewriteToHelperForReview of report 1',
    why: 'statements between the write and the rename would run after the file is published',
  },
};

/**
 * Cases whose code races an unawaited write with its rename: which reaches the kernel first is
 * thread timing, so one run of the code says nothing about what its fixes do.
 */
const RACY = new Set([
  'a rename that does not wait for the write callback: no flush fix, an fsync right before the rename',
]);

const cases = recorded.flatMap(({ cases: list }) => list as unknown as FixCase[]).filter((c) => !RACY.has(c.name));
const runnable = cases.flatMap((c) => {
  const lang = langOf(c.filename);
  const driver = unrunnable(c.code, lang) || !lang || runsOnLoad(c.code, lang) ? undefined : driverFor(c.code, lang);
  if (!driver || !lang) return [];
  // An output importing the runtime from elsewhere (`importSource: '#durable'`) needs that set up.
  const versions = [
    ...(c.output ? [{ by: 'autofix', text: c.output }] : []),
    ...c.errors.flatMap((e, i) =>
      (e.suggestions ?? []).map((s) => ({ by: `suggestion ${s.messageId} of report ${i + 1}`, text: s.output })),
    ),
  ].filter((version) => !unrunnable(version.text, lang));
  return versions.length > 0 ? [{ name: c.name, lang, code: c.code, driver, versions }] : [];
});

const scratch = createScratch('rule-fix-cases');
afterAll(() => scratch.dispose());

const setup = (dataDir: string): void => {
  writeFileSync(join(dataDir, 'file.json'), 'old');
  for (const name of SOURCES) writeFileSync(join(dataDir, `${name}.json`), `${name} content`);
};

describe('the rule tests’ fix cases, executed before and after', () => {
  it('names only existing cases in its lists of exceptions', () => {
    const names = recorded.flatMap(({ cases: list }) => (list as unknown as FixCase[]).map((c) => c.name));
    expect([...RACY, ...Object.keys(REVIEWED)].filter((name) => !names.includes(name))).toEqual([]);
  });

  it('runs most of them', () => {
    // The count when last reviewed (of 53 cases): cases that stop running here fail this.
    expect(runnable.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(runnable)('$name', ({ name, lang, code, driver, versions }) => {
    let before: Run;
    it.each(versions)('$by behaves as the code does', ({ by, text }) => {
      before ??= runProgram(scratch, { text: code + driver, lang, setup });
      // The driver reached every function: a case whose code does not even load says nothing.
      expect(before.stdout).toMatch(/ (returned|threw|called back) /);
      const runtime = text.includes('durable-write-runtime');
      const after = runProgram(scratch, { text: text + driver, lang, setup, traced: true });
      const summary = runtime ? [...helperDifferences, ...runtimeLayerDifferences] : [];
      const differences = compareRuns(before, after, allowedDifferences(summary));
      if (REVIEWED[name]?.by === by) expect(differences, REVIEWED[name].why).not.toEqual([]);
      else expect(differences).toEqual([]);
      // Every output of these cases is a valid case of the rule tests: the tracer must agree.
      expect(after.unsyncedRenames).toBe(0);
    });
  });
});
