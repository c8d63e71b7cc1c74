// Shared by the two evaluation sets of scripts/evaluate.js (published packages, GitHub source
// files): loading the built plugin, the syntactic inventory of rename sites, one ESLint run that
// returns the rule's reports and the inventory's sites, and precision/recall arithmetic.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const RULE_ID = 'durable-write/no-unsynced-rename';
const SITE_RULE_ID = 'eval-sites/rename-site';

// A syntactic inventory of rename/move-like calls, used only to check that the labels cover every
// site in the scanned files (an unlabelled site is a gap in the labels, not a result of the rule).
// Matches `rename(...)`, `x.renameSync(...)`, `moveFile(...)`, `promisify(fs.rename)(...)`,
// `fs.retry.rename(o)(...)`, etc.
// Yarn's fslib names its methods `renamePromise` / `movePromise`.
const RENAME_NAMES =
  /^(rename|renameSync|renamePromise|move|moveSync|movePromise|moveFile|renameOverwrite|renameOverwriteSync|renameAsync|renameTmp)$/;
function calleeName(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type !== 'PrivateIdentifier') {
    return node.property.name;
  }
  return null;
}
function isRenameSite(call) {
  const direct = calleeName(call.callee);
  if (direct && RENAME_NAMES.test(direct)) return true;
  if (call.callee.type === 'CallExpression') {
    const inner = call.callee;
    const innerName = calleeName(inner.callee);
    if (innerName && RENAME_NAMES.test(innerName)) return true;
    if (innerName === 'promisify' && inner.arguments[0]) {
      const arg = calleeName(inner.arguments[0]);
      if (arg && RENAME_NAMES.test(arg)) return true;
    }
  }
  return false;
}
export const sitePlugin = {
  rules: {
    'rename-site': {
      meta: { type: 'problem', schema: [], messages: { site: 'rename/move call site' } },
      create(context) {
        return {
          CallExpression(node) {
            // Skip the inner call of a curried site so each site counts once.
            if (node.parent.type === 'CallExpression' && node.parent.callee === node && isRenameSite(node.parent))
              return;
            if (isRenameSite(node)) context.report({ node, messageId: 'site' });
          },
        };
      },
    },
  },
};

/** The built plugin at `pluginPath`, or a clear exit when it is missing or has no rule. */
export async function loadPlugin(pluginPath, root) {
  if (!existsSync(pluginPath)) {
    throw new EvaluationSetupError(
      `plugin not found at ${path.relative(root, pluginPath)}; run \`npm run build\` first`,
    );
  }
  const pluginModule = await import(pathToFileURL(pluginPath).href);
  const plugin = pluginModule.default ?? pluginModule;
  if (!plugin.rules || !plugin.rules['no-unsynced-rename']) {
    throw new EvaluationSetupError(`${path.relative(root, pluginPath)} has no rule 'no-unsynced-rename'`);
  }
  return plugin;
}

export class EvaluationSetupError extends Error {}

/**
 * Lints `files` (paths relative to `cwd`) with the rule and the site inventory. `configs` are the
 * per-directory language options; the base config enabling both rules comes first. Returns, per
 * linted file, the rule's reports, the inventory's sites and parse errors.
 */
export async function lintWithInventory({ plugin, cwd, files, configs, settings, ruleOptions }) {
  let ESLint;
  try {
    ({ ESLint } = await import('eslint'));
  } catch {
    throw new EvaluationSetupError('eslint is not installed; run `npm ci`');
  }
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      // Projects keep sources under node_modules/ (node-red's packages/node_modules/@node-red/…),
      // which ESLint ignores by default even for files named on the command line.
      { ignores: ['!**/node_modules/'] },
      {
        files: ['**/*.{js,cjs,mjs,ts,mts,cts}'],
        plugins: { 'durable-write': plugin, 'eval-sites': sitePlugin },
        rules: { [RULE_ID]: ruleOptions ? ['error', ruleOptions] : 'error', [SITE_RULE_ID]: 'warn' },
        languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
        linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
        ...(settings ? { settings } : {}),
      },
      ...configs,
    ],
  });
  const started = Date.now();
  const results = await eslint.lintFiles(files);
  const lintMs = Date.now() - started;
  const byFile = new Map();
  for (const r of results) {
    const out = { reports: [], sites: [], fatal: [], other: [] };
    for (const m of r.messages) {
      const rec = { line: m.line, column: m.column, message: m.message };
      // A file ESLint skipped was not evaluated: as loud as a parse error, never a silent miss.
      if (m.fatal || (m.ruleId === null && /^File ignored/.test(m.message))) out.fatal.push(rec);
      else if (m.ruleId === RULE_ID) out.reports.push(rec);
      else if (m.ruleId === SITE_RULE_ID) out.sites.push(rec);
      else out.other.push({ ...rec, ruleId: m.ruleId });
    }
    byFile.set(path.relative(cwd, r.filePath), out);
  }
  return { byFile, lintMs };
}

/**
 * The line a report at a local rename helper's call names as the rename inside the helper
 * ("(renamed by `renameSync()` at line 42)"), or undefined: such a report finds the bug labelled on
 * that line, as its message points the user there.
 */
export function renamedAtLine(message) {
  const m = /\(renamed by `[^`]*` at line (\d+)\)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

export function ratios(c) {
  return {
    precision: c.TP + c.FP === 0 ? null : c.TP / (c.TP + c.FP),
    recall: c.TP + c.FN === 0 ? null : c.TP / (c.TP + c.FN),
  };
}

/**
 * One table row from scored outcomes (TP/FP/FN/TN each): bugs, found, correct sites and the ratios;
 * `extraFP` adds reports on lines no label claims, which are false positives but not correct sites.
 */
export function outcomeRow(name, outcomes, extraFP = 0) {
  const c = { TP: 0, FP: 0, FN: 0, TN: 0 };
  for (const o of outcomes) c[o.outcome]++;
  c.FP += extraFP;
  return { name, bugs: c.TP + c.FN, found: c.TP, correct: c.FP - extraFP + c.TN, ...c, ...ratios(c) };
}

export const pct = (x) => (x == null ? '  n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);

/** Prints rows of numbers under a header, first column left-aligned to the widest name. */
export function printTable(log, header, rows) {
  const w = Math.max(header[0].length, ...rows.map((r) => String(r[0]).length));
  const cols = header.slice(1).map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i + 1]).length)));
  log(
    `${header[0].padEnd(w)}  ${header
      .slice(1)
      .map((h, i) => h.padStart(cols[i]))
      .join('  ')}`,
  );
  for (const r of rows)
    log(
      `${String(r[0]).padEnd(w)}  ${r
        .slice(1)
        .map((v, i) => String(v).padStart(cols[i]))
        .join('  ')}`,
    );
}
