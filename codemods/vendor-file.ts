/**
 * `durable-write fix --vendor <file>`: the one self-contained file (built by scripts/build-vendor.js)
 * holding what fixes call, in the flavour the target's extension and package ask for. Fixes in files
 * of the same language import it by relative path; a JavaScript file cannot import a TypeScript
 * copy (nothing compiles it next to the JS) and a TypeScript file has no types for a JavaScript
 * copy, so those sites are left for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestManifest } from '../src/project.js';

const built = fileURLToPath(new URL('../vendor/', import.meta.url));
const typescriptFile = /\.[cm]?tsx?$/;

export class VendorTargetError extends Error {}

/** The vendored file's text for `target` (an absolute path). */
export function vendoredText(target: string): string {
  const ext = path.extname(target);
  const flavour = /^\.[cm]?ts$/.test(ext)
    ? '.ts'
    : ext === '.mjs'
      ? '.mjs'
      : ext === '.cjs'
        ? '.cjs'
        : ext === '.js'
          ? nearestManifest(target)?.type === 'module'
            ? '.mjs'
            : '.cjs'
          : undefined;
  if (!flavour) throw new VendorTargetError(`--vendor needs a .ts, .mts, .cts, .js, .mjs or .cjs file, got ${target}`);
  return fs.readFileSync(path.join(built, `durable-write${flavour}`), 'utf8');
}

/** Why `file` cannot import the vendored copy at `vendor`, or undefined when it can. */
export function vendorMismatch(file: string, vendor: string): string | undefined {
  const fileIsTs = typescriptFile.test(file);
  if (fileIsTs === typescriptFile.test(vendor)) return undefined;
  return fileIsTs
    ? `the vendored helper ${path.basename(vendor)} is JavaScript, with no types for this TypeScript file: vendor a .ts copy for TypeScript files`
    : `the vendored helper ${path.basename(vendor)} is TypeScript, which this JavaScript file cannot import: vendor a .js copy for JavaScript files`;
}
