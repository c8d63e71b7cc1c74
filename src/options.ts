/** The rule's options: their type, their JSON schema and their defaults. */
import type { CustomFunction, CustomFunctions } from './fs-api.js';

/** The runtime package: a production dependency without ESLint behind it. */
export const defaultImportSource = 'durable-write-runtime';

export interface Options {
  /** Project functions that write a file (e.g. a wrapper around `fs.writeFile`). */
  writeFunctions?: CustomFunction[];
  /** Project functions that rename a file over another. */
  renameFunctions?: CustomFunction[];
  /** Project functions that fsync a file (by path or descriptor). */
  syncFunctions?: CustomFunction[];
  /** Where fixes import the durable helper from. */
  importSource?: string;
  /**
   * `"helper"` (default): fixes call the durable helper. `"flush"`: no runtime dependency; fixes add
   * `flush: true` to the write and an inline fsync of the destination's directory after the rename.
   */
  fixStyle?: 'helper' | 'flush';
  /** Report directories renamed into place after unsynced writes inside them (default true). */
  directories?: boolean;
  /**
   * Report calls of dependencies that publish a file without an fsync (default false: it reads
   * dependencies' code, see the rule's docs on cost; needs cross-module analysis). A call that turns a
   * dependency's fsync off in its own arguments (`{ fsync: false }`) is reported either way.
   */
  dependencies?: boolean;
}

const customFunctionSchema = {
  type: 'object',
  properties: {
    source: { type: 'string', minLength: 1, description: 'Import source as written, e.g. "./fs-utils".' },
    name: { type: 'string', minLength: 1, description: 'Exported name, or "default".' },
    pathArgument: { type: 'integer', minimum: 0, description: 'Argument holding the file. Default 0.' },
    destinationArgument: { type: 'integer', minimum: 0, description: 'Renames: destination argument. Default 1.' },
  },
  required: ['source', 'name'],
  additionalProperties: false,
} as const;

export const optionsSchema = [
  {
    type: 'object',
    properties: {
      writeFunctions: { type: 'array', items: customFunctionSchema, uniqueItems: true },
      renameFunctions: { type: 'array', items: customFunctionSchema, uniqueItems: true },
      syncFunctions: { type: 'array', items: customFunctionSchema, uniqueItems: true },
      importSource: { type: 'string', minLength: 1 },
      fixStyle: { type: 'string', enum: ['helper', 'flush'] },
      directories: { type: 'boolean' },
      dependencies: { type: 'boolean' },
    },
    additionalProperties: false,
  },
] as const;

/** The detector's view of the options: the project's own write, rename and sync functions. */
export const customFunctionsOf = (options: Options): CustomFunctions => ({
  write: options.writeFunctions,
  rename: options.renameFunctions,
  sync: options.syncFunctions,
});
