/**
 * Case builders shared by the detection tests: the rule with its fixes stripped, and valid/invalid
 * cases in ES modules and CommonJS (espree) and TypeScript (@typescript-eslint/parser, the
 * RuleTester's default). Each invalid case lists one `[line, column]` per expected report.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';
import rule from '../../rules/no-unsynced-rename.js';
import { detectionOnly } from './detection-only.js';

export type Options = [Record<string, unknown>?];
export type Valid = ValidTestCase<Options>;
export type Invalid = InvalidTestCase<'unsyncedRename' | 'unsyncedOnSomePaths', Options>;

export const tested = detectionOnly(rule) as never;

export const esm = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
export const cjs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;

/** Valid ES module code parsed by espree. */
export const validEsm = (code: string, options?: Options[0]): Valid => ({
  code,
  languageOptions: esm as never,
  ...(options ? { options: [options] } : {}),
});
export const validCjs = (code: string): Valid => ({ code, languageOptions: cjs as never });
export const validTs = (code: string, filename = 'file.ts'): Valid => ({ code, filename });

/** Positions of the findings; a third element names the message when it is not `unsyncedRename`. */
export type At = Array<[number, number] | [number, number, 'unsyncedOnSomePaths']>;

/** An invalid case with one report per `[line, column]`. */
export function invalid(
  code: string,
  at: At,
  setup: { languageOptions?: unknown; filename?: string; options?: Options[0] } = { languageOptions: esm },
): Invalid {
  return {
    code,
    ...(setup.languageOptions ? { languageOptions: setup.languageOptions as never } : {}),
    ...(setup.filename ? { filename: setup.filename } : {}),
    ...(setup.options ? { options: [setup.options] } : {}),
    errors: at.map(([line, column, messageId]) => ({
      messageId: messageId ?? ('unsyncedRename' as const),
      line,
      column,
    })),
  };
}
export const invalidCjs = (code: string, at: At): Invalid => invalid(code, at, { languageOptions: cjs });
export const invalidTs = (code: string, at: At, filename = 'file.ts'): Invalid => invalid(code, at, { filename });
