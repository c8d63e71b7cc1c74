/**
 * The plugin entry: `{ meta, rules, configs }`. Exported as the default export and as
 * `'module.exports'`, so that `require('eslint-plugin-durable-write')` returns the plugin itself.
 */
import type { ESLint, Linter } from 'eslint';
import { rules } from '../rules/index.js';
import { name, version } from './meta.js';

type RuleName = keyof typeof rules;

const plugin = {
  meta: { name, version },
  rules,
  configs: {} as Record<'recommended' | 'strict', Linter.Config>,
} satisfies ESLint.Plugin;

/** Builds a flat config from each rule's `meta.docs.recommended`, at the given severity. */
function configAt(configName: string, severity: 'warn' | 'error'): Linter.Config {
  const enabled = Object.entries(rules).filter(([, rule]) => rule.meta.docs.recommended);
  return {
    name: `durable-write/${configName}`,
    plugins: { 'durable-write': plugin },
    rules: Object.fromEntries(enabled.map(([rule]) => [`durable-write/${rule as RuleName}`, severity])),
  };
}

plugin.configs.recommended = configAt('recommended', 'warn');
plugin.configs.strict = configAt('strict', 'error');

export default plugin;
export { plugin as 'module.exports' };
