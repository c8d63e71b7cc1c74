// Type-level test, checked by `npm run typecheck`: a call site rewritten from fs's writeFile to the
// helper must compile for every data and options value that compiled before.
import type { WriteFileOptions, writeFileSync } from 'node:fs';
import type { writeFile as writeFilePromise } from 'node:fs/promises';
import { writeFileDurable, writeFileDurableSync, writeFilesDurable } from '../../src/durable/index.js';
import type { DurableWriteOptions } from '../../src/durable/index.js';

type PromiseData = Parameters<typeof writeFilePromise>[1];
type PromiseOptions = Parameters<typeof writeFilePromise>[2];
type SyncData = Parameters<typeof writeFileSync>[1];
type SyncOptions = Parameters<typeof writeFileSync>[2];

declare const promiseData: PromiseData;
declare const promiseOptions: PromiseOptions;
declare const syncData: SyncData;
declare const syncOptions: SyncOptions;
declare const callbackOptions: WriteFileOptions;

export async function rewrittenCallSites(dest: string): Promise<void> {
  await writeFileDurable(dest, promiseData, promiseOptions);
  await writeFileDurable(dest, syncData, callbackOptions);
  writeFileDurableSync(dest, syncData, syncOptions);
  writeFileDurableSync(dest, syncData, callbackOptions);
  await writeFilesDurable([{ file: dest, data: promiseData, options: callbackOptions }]);
}

// Assignability in both directions that matter for the codemod's generated imports.
export const fromPromises: DurableWriteOptions = promiseOptions;
export const fromSync: DurableWriteOptions = syncOptions;
export const literalShapes: DurableWriteOptions[] = [
  'utf8',
  null,
  undefined,
  { encoding: 'latin1', mode: 0o600, flag: 'w', flush: true, signal: AbortSignal.timeout(1) },
  { mode: '644', flag: 'wx', directorySync: false },
];

export function refusedAtCompileTime(dest: string): void {
  // @ts-expect-error: the sync helper takes what fs.writeFileSync takes, not streams
  writeFileDurableSync(dest, promiseData);
  // @ts-expect-error: not an encoding
  writeFileDurableSync(dest, 'x', 'klingon');
  // @ts-expect-error: flag is a string or a number
  writeFileDurableSync(dest, 'x', { flag: true });
}
