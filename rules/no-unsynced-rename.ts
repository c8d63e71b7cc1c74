/**
 * `durable-write/no-unsynced-rename`: a rename that publishes a freshly written file must come after
 * an fsync of that file on every path. Detection lives in `src/detector.ts`; this file only wires
 * findings to reports.
 */
import { createRule } from '../src/create-rule.js';
import { findUnsyncedRenames } from '../src/detector.js';
import { optionsSchema, type Options } from '../src/options.js';

export type MessageId = 'unsyncedRename';

export default createRule<MessageId>({
  name: 'no-unsynced-rename',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require an fsync of a written file before renaming it over its destination',
      recommended: true,
    },
    messages: {
      unsyncedRename:
        '`{{rename}}()` publishes `{{file}}`, written by `{{write}}()` at line {{line}}, without an fsync: after a power loss the target can be empty or truncated.',
    },
    schema: optionsSchema,
    defaultOptions: [{}],
  },
  create(context) {
    const options = (context.options[0] ?? {}) as Options;
    return findUnsyncedRenames(
      context,
      { write: options.writeFunctions, rename: options.renameFunctions, sync: options.syncFunctions },
      (finding) => {
        const text = context.sourceCode.getText(finding.file);
        context.report({
          node: finding.rename,
          messageId: 'unsyncedRename',
          data: {
            rename: finding.renameName,
            file: text.length > 40 ? `${text.slice(0, 37)}...` : text,
            write: finding.writeName,
            line: String(finding.write.loc?.start.line ?? '?'),
          },
        });
      },
    );
  },
});
