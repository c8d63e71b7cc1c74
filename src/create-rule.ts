/**
 * A ten-line `createRule`: typed rule modules with docs URLs pinned to the release, without
 * depending on `@typescript-eslint/utils` at run time (it drags a `typescript` peer into every install).
 */
import type { Rule } from 'eslint';
import { docsUrl } from './meta.js';

export interface RuleDocs {
  description: string;
  recommended: boolean;
}

export type RuleModule<MessageId extends string> = Rule.RuleModule & {
  meta: Rule.RuleMetaData & { messages: Record<MessageId, string>; docs: RuleDocs & { url: string } };
};

export function createRule<MessageId extends string>(
  rule: { name: string; meta: Omit<RuleModule<MessageId>['meta'], 'docs'> & { docs: RuleDocs } } & Pick<
    Rule.RuleModule,
    'create'
  >,
): RuleModule<MessageId> {
  const { name, meta, create } = rule;
  return { meta: { ...meta, docs: { ...meta.docs, url: docsUrl(name) } }, create };
}
