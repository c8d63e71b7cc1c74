import type { Rule } from 'eslint';

/**
 * The real rule with its fixes and suggestions stripped from each report. The detection tests assert
 * what is reported and where; what the fixes write is asserted in the fix tests, so that a new
 * suggestion does not have to be restated in a hundred detection cases.
 */
export function detectionOnly(rule: Rule.RuleModule): Rule.RuleModule {
  return {
    meta: { ...rule.meta, fixable: undefined, hasSuggestions: false },
    create(context) {
      const report = (descriptor: Rule.ReportDescriptor): void => {
        const {
          fix: _fix,
          suggest: _suggest,
          ...rest
        } = descriptor as Rule.ReportDescriptor & {
          fix?: unknown;
          suggest?: unknown;
        };
        context.report(rest as Rule.ReportDescriptor);
      };
      return rule.create(Object.create(context, { report: { value: report } }) as Rule.RuleContext);
    },
  };
}
