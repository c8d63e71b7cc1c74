import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import * as runtime from '../../../src/durable/index.js';
import * as vendoredSource from '../../../src/durable/vendored.js';

/** The two writers every copy of the helper exports. */
export interface WriterPair {
  readonly writeFileDurable: typeof runtime.writeFileDurable;
  readonly writeFileDurableSync: typeof runtime.writeFileDurableSync;
}

const VENDOR_DIR = resolve(import.meta.dirname, '../../../dist/vendor');

/**
 * The copies a user can get: the runtime package, the vendored module as compiled from source, and
 * the three files `durable-write fix --vendor` writes (built by `npm run build`, which `npm test` runs).
 */
export async function loadFlavours(): Promise<ReadonlyArray<readonly [string, WriterPair]>> {
  if (!existsSync(`${VENDOR_DIR}/durable-write.cjs`))
    throw new Error(`${VENDOR_DIR} is missing: run npm run build first`);
  const mjs = (await import(`${VENDOR_DIR}/durable-write.mjs`)) as WriterPair;
  const ts = (await import(`${VENDOR_DIR}/durable-write.ts`)) as WriterPair;
  const cjs = createRequire(import.meta.url)(`${VENDOR_DIR}/durable-write.cjs`) as WriterPair;
  return [
    ['runtime', runtime],
    ['vendored (source)', vendoredSource],
    ['vendored .ts', ts],
    ['vendored .mjs', mjs],
    ['vendored .cjs', cjs],
  ];
}
