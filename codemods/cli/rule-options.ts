/**
 * `--rule-options <json>`: parsed and validated once for every command, by ESLint's own validator
 * against the rule's schema, so the CLI accepts exactly what an ESLint config accepts.
 */
import { Linter } from 'eslint';
import plugin from '../../src/index.js';
import type { Options as RuleOptions } from '../../src/options.js';
import { UsageError } from './command.js';

export const ruleId = 'durable-write/no-unsynced-rename';

export function parseRuleOptions(text: string | undefined): RuleOptions | undefined {
  if (text === undefined) return undefined;
  let options: unknown;
  try {
    options = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--rule-options is not JSON: ${(error as Error).message}`);
  }
  try {
    new Linter({ configType: 'flat' }).verify('', [
      { plugins: { 'durable-write': plugin }, rules: { [ruleId]: ['error', options] } },
    ]);
  } catch (error) {
    // ESLint's message names the config key path first; the rule's part is what the user typed.
    const detail = (error as Error).message
      .replace(/^Key "rules": Key "[^"]+":\s*/, '')
      .replace(/\s+/g, ' ')
      .trim();
    throw new UsageError(
      `--rule-options does not match the rule's options schema: ${detail} (docs/rules/no-unsynced-rename.md)`,
    );
  }
  return options as RuleOptions;
}
