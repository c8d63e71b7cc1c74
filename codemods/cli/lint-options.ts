/**
 * The ESLint options `check` runs with, as an options module: with `--concurrency`, ESLint's worker
 * threads load this module by URL (FACTS: plugins and parsers cannot be passed to workers as objects),
 * so everything it needs travels as JSON in the URL's `settings` parameter.
 */
import { createRequire } from 'node:module';
import type { ESLint, Linter } from 'eslint';
import plugin from '../../src/index.js';
import type { Options as RuleOptions } from '../../src/options.js';
import { ruleId } from './rule-options.js';

export interface LintSettings {
  readonly cwd: string;
  readonly ruleOptions?: RuleOptions;
  /** Module path of the TypeScript parser, chosen by `typescript-parser.ts`; none without TS files. */
  readonly typescriptParser?: string;
  readonly concurrency: 'off' | 'auto' | number;
  /** Parse `.js`/`.jsx` as CommonJS scripts: the second try for a file that is not a valid module. */
  readonly commonjs?: boolean;
}

const require = createRequire(import.meta.url);
const typescriptFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

/** The URL of this module carrying `settings`, for `ESLint.fromOptionsModule`. */
export const lintOptionsUrl = (settings: LintSettings): URL => {
  const url = new URL(import.meta.url);
  url.searchParams.set('settings', JSON.stringify(settings));
  return url;
};

export function lintOptions(settings: LintSettings): ESLint.Options {
  const config: Linter.Config[] = [
    { files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', ...typescriptFiles] },
    { files: ['**/*.jsx', '**/*.js', '**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    {
      files: settings.commonjs ? ['**/*.cjs', '**/*.js', '**/*.jsx'] : ['**/*.cjs'],
      languageOptions: { sourceType: 'commonjs' },
    },
    ...(settings.typescriptParser
      ? [{ files: typescriptFiles, languageOptions: { parser: require(settings.typescriptParser) as Linter.Parser } }]
      : []),
    // Directive comments for rules this run does not load are the project's business, not ours.
    { linterOptions: { reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' } },
    plugin.configs.strict,
    ...(settings.ruleOptions ? [{ rules: { [ruleId]: ['error', settings.ruleOptions] } } satisfies Linter.Config] : []),
  ];
  return {
    cwd: settings.cwd,
    overrideConfigFile: true,
    overrideConfig: config,
    errorOnUnmatchedPattern: false,
    concurrency: settings.concurrency,
  };
}

const passed = new URL(import.meta.url).searchParams.get('settings');
export default passed ? lintOptions(JSON.parse(passed) as LintSettings) : undefined;
