/**
 * `durable-write/no-unsynced-rename`: a rename that publishes a freshly written file must come after
 * an fsync of that file on every path. Detection lives in `src/engine/detector.ts`, fixes in `src/fix/`;
 * this file only wires findings to reports.
 */
import type { Rule } from 'eslint';
import { createRule } from '../src/create-rule.js';
import { findUnsyncedRenames, namesRenameOrWrite, type UnsyncedRename } from '../src/engine/detector.js';
import { findDependencyPublications } from '../src/engine/dependency-publications.js';
import { fixesFor, type FixOptions, type SuggestionKind, type TextEdit } from '../src/fix/index.js';
import { resolvesInProduction } from '../src/project.js';
import { customFunctionsOf, defaultImportSource, optionsSchema, type Options } from '../src/options.js';

export type MessageId =
  | 'unsyncedRename'
  | 'unsyncedOnSomePaths'
  | 'unsyncedDirectoryRename'
  | 'unsyncedDependency'
  | 'unsyncedDependencyOption'
  | 'rewriteToHelperForReview'
  | SuggestionKind;

const apply =
  (edits: readonly TextEdit[]): Rule.ReportFixer =>
  (fixer) =>
    edits.map((edit) => fixer.replaceTextRange(edit.range as [number, number], edit.text));

/** Both phases' listeners; a selector both use runs each in turn. */
function mergeListeners(a: Rule.RuleListener, b: Rule.RuleListener): Rule.RuleListener {
  const merged: Record<string, (node: never) => void> = { ...(a as Record<string, (node: never) => void>) };
  for (const [selector, listener] of Object.entries(b as Record<string, (node: never) => void>)) {
    const first = merged[selector];
    merged[selector] = first
      ? (node) => {
          first(node);
          listener(node);
        }
      : listener;
  }
  return merged as Rule.RuleListener;
}

const directoryNote = 'The directory is not fsynced, so the rename itself can still be lost.';

/** How a helper's argument shown for the renamed file is introduced (see `UnsyncedRename.fileLabelAs`). */
const labelPhrases: Readonly<Record<NonNullable<UnsyncedRename['fileLabelAs']>, string>> = {
  inside: 'a file inside',
  from: 'a file named from',
};

export default createRule<MessageId>({
  name: 'no-unsynced-rename',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require an fsync of a written file before renaming it over its destination',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      unsyncedRename:
        '`{{rename}}()` publishes {{file}}{{renamedAt}}, written by `{{write}}()` at line {{line}}, without an fsync: after a power loss the target can be empty or truncated.',
      unsyncedOnSomePaths:
        '`{{rename}}()` publishes {{file}}{{renamedAt}}, written by `{{write}}()` at line {{line}}, without an fsync on some paths (others do fsync it): after a power loss the target can be empty or truncated.',
      unsyncedDirectoryRename:
        '`{{rename}}()` publishes the directory `{{directory}}`{{renamedAt}}, whose file written by `{{write}}()` at line {{line}} was not fsynced: after a power loss the directory can be in place with files empty or truncated.',
      unsyncedDependency:
        '`{{call}}()` publishes a file through {{dependency}}, which renames it into place without an fsync{{through}}: after a power loss the file can be empty or truncated. Write it with a durable writer instead (`writeFileDurable` from `{{importSource}}`).',
      unsyncedDependencyOption:
        '`{{call}}()` publishes a file through {{dependency}} with `{{option}}` turned off, so it is renamed into place without an fsync{{through}}: after a power loss the file can be empty or truncated. Leave `{{option}}` on.',
      rewriteToHelper: 'Rewrite to `{{helper}}()`, which fsyncs the file before the rename and the directory after it.',
      rewriteToHelperForReview:
        'Rewrite to `{{helper}}()`, which fsyncs the file before the rename and the directory after it. Review it first, it may change what the program does: {{review}}.',
      addFlush: `Add \`flush: true\` to \`{{write}}()\` so that the temp file is fsynced before it is closed. ${directoryNote}`,
      addFlushAndDirectorySync:
        'Add `flush: true` to `{{write}}()` and fsync the directory after `{{rename}}()`, through the same file system: the temp file and the rename both survive a power loss.',
      fsyncBeforeClose: `Call \`{{call}}\` before the file is closed. ${directoryNote}`,
      fsyncInWrapper:
        'Fix the wrapper {{wrapper}}, whose callers pass the path: fsync the temp file (`{{call}}`) before its rename{{after}}, for every caller.',
      fsyncBeforeRename: `Fsync the temp file (\`{{call}}\`) before the rename. ${directoryNote}`,
    },
    schema: optionsSchema,
    defaultOptions: [{}],
  },
  create(context) {
    const options = (context.options[0] ?? {}) as Options;
    const importSource = options.importSource ?? defaultImportSource;
    // The package manifest is read on the first finding only: most files have none.
    let fixOptions: FixOptions | undefined;
    const fixOptionsOf = (): FixOptions =>
      (fixOptions ??= {
        importSource,
        fixStyle: options.fixStyle ?? 'helper',
        helperResolves: resolvesInProduction(importSource, context.physicalFilename),
        filename: context.physicalFilename,
      });
    const settings = (context.settings['durable-write'] ?? {}) as { crossModule?: boolean };
    const quoted = (node: Parameters<typeof context.sourceCode.getText>[0]): string => {
      // One line, and no backticks of its own: the message already quotes it with backticks.
      const raw = context.sourceCode.getText(node).replace(/\s+/g, ' ');
      const text = node?.type === 'TemplateLiteral' ? raw.slice(1, -1) : raw;
      return text.length > 40 ? `${text.slice(0, 37)}...` : text;
    };
    // A helper's call: where inside it the file is renamed (the line a fix of the helper edits).
    const renamedAt = ({ innerRename }: Pick<UnsyncedRename, 'innerRename'>): string =>
      innerRename
        ? ` (renamed by \`${innerRename.member.name}()\` at line ${innerRename.call.loc?.start.line ?? '?'})`
        : '';
    const crossModule = settings.crossModule !== false;
    const renames = findUnsyncedRenames(
      context,
      { ...customFunctionsOf(options), crossModule },
      (finding) => {
        const { fix, suggestions } = fixesFor(finding, context.sourceCode, fixOptionsOf());
        context.report({
          node: finding.rename,
          messageId: finding.syncedOnSomePath ? 'unsyncedOnSomePaths' : 'unsyncedRename',
          data: {
            rename: finding.renameName,
            file: finding.fileLabelAs
              ? `${labelPhrases[finding.fileLabelAs]} \`${quoted(finding.fileLabel)}\``
              : `\`${quoted(finding.fileLabel ?? finding.file)}\``,
            renamedAt: renamedAt(finding),
            write: finding.writeName,
            line: String(finding.write.loc?.start.line ?? '?'),
          },
          fix: fix ? apply(fix) : null,
          suggest: suggestions.map((s) => ({
            // Only the helper rewrite's message says what it does as a whole; the in-place ones name each edit.
            messageId: s.review && s.kind === 'rewriteToHelper' ? 'rewriteToHelperForReview' : s.kind,
            data: s.review ? { ...s.data, review: s.review } : s.data,
            fix: apply(s.edits),
          })),
        });
      },
      options.directories === false
        ? undefined
        : (finding) =>
            context.report({
              node: finding.rename,
              messageId: 'unsyncedDirectoryRename',
              data: {
                rename: finding.renameName,
                directory: quoted(finding.directory),
                renamedAt: renamedAt(finding),
                write: finding.writeName,
                line: String(finding.write.loc?.start.line ?? '?'),
              },
            }),
    );
    // Without \`dependencies: true\`, a call that turns a dependency's fsync off in its own arguments
    // (\`writeFileAtomic(f, d, { fsync: false })\`) is still reported. Only files whose text names a
    // write (the rename engine's gate, asked above) look for such calls, and only their packages are read.
    const allDependencies = options.dependencies === true;
    const dependencies =
      crossModule && (allDependencies || namesRenameOrWrite(context.sourceCode))
        ? findDependencyPublications(
            context,
            (finding) =>
              context.report({
                node: finding.call,
                messageId: finding.option ? 'unsyncedDependencyOption' : 'unsyncedDependency',
                data: {
                  call: finding.name,
                  dependency: finding.dependency,
                  through: finding.through ? ` (in ${finding.through})` : '',
                  option: finding.option ?? '',
                  importSource,
                },
              }),
            { onlyTurnedOff: !allDependencies },
          )
        : {};
    return mergeListeners(renames, dependencies);
  },
});
