/** `fix --vendor <file>`: one self-contained copy of what fixes call (see ../vendor-file.ts). */
import { UsageError } from './command.js';
import { VendorTargetError, vendoredText } from '../vendor-file.js';

export interface Vendored {
  /** Files to write: path → text. */
  readonly files: Map<string, string>;
}

export function vendorFiles(target: string): Vendored {
  try {
    return { files: new Map([[target, vendoredText(target)]]) };
  } catch (error) {
    if (error instanceof VendorTargetError) throw new UsageError(error.message);
    throw error;
  }
}
