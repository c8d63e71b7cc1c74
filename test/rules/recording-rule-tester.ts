/**
 * A stand-in for `@typescript-eslint/rule-tester` that records the invalid cases of every `run()`
 * instead of testing them, so that other tests can replay the rule tests' cases (through the
 * codemod, or checking their fixes). Use with
 * `vi.mock('@typescript-eslint/rule-tester', () => import('…/recording-rule-tester.js'))`.
 */
export interface RecordedCase {
  /** RuleTester's case name; `no suggestion: <why>` marks a finding documented to have none. */
  name?: string;
  code: string;
  filename?: string;
  options?: [Record<string, unknown>];
  settings?: Record<string, unknown>;
  languageOptions?: { parser?: unknown; sourceType?: string; parserOptions?: { sourceType?: string } };
  errors: Array<{ messageId: string }>;
}

export const recorded: Array<{ suite: string; cases: RecordedCase[] }> = [];

export class RuleTester {
  static afterAll: unknown;
  static describe: unknown;
  static it: unknown;
  static itOnly: unknown;
  run(suite: string, _rule: unknown, tests: { invalid: RecordedCase[] }): void {
    recorded.push({ suite, cases: tests.invalid });
  }
}
