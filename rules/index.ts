import type { Rule } from 'eslint';
import noUnsyncedRename from './no-unsynced-rename.js';

export const rules = {
  'no-unsynced-rename': noUnsyncedRename,
} satisfies Record<string, Rule.RuleModule>;
