/** `fix --vendor <file>`: one self-contained copy of what fixes call (see ../vendor-file.ts). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurableSync } from 'durable-write-runtime';
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

/** The manifest of the package that publishes `file`: the nearest package.json, unless private. */
function publishingManifest(file: string): { path: string; text: string; json: Record<string, unknown> } | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const text = fs.readFileSync(manifest, 'utf8');
      const json = JSON.parse(text) as Record<string, unknown>;
      return json.private === true ? undefined : { path: manifest, text, json };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** What `npm pack --dry-run` would put in the tarball of the package in `dir`, or why it cannot say. */
function packedFiles(dir: string): Set<string> | string {
  const npm = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
  if (npm.status !== 0)
    return `npm pack --dry-run failed: ${(npm.stderr || String(npm.error ?? '')).trim().split('\n')[0]}`;
  const [entry] = JSON.parse(npm.stdout) as Array<{ files: Array<{ path: string }> }>;
  return new Set(entry?.files.map((f) => f.path));
}

/**
 * npm packs only what `files` lists: a vendored copy written next to listed files is left out of
 * the tarball, and the published package then fails on import. After the copy is written, `npm
 * pack --dry-run` says whether it ships; when not, its path joins `files` and npm is asked again.
 * `exports` needs nothing: it restricts imports from outside the package, and the fixed files
 * import the copy by relative path from inside it. A line for the summary, or undefined when the
 * package is private or already ships the copy.
 */
export function shipVendoredFile(target: string, cwd: string): string | undefined {
  const manifest = publishingManifest(target);
  if (!manifest) return undefined;
  const dir = path.dirname(manifest.path);
  const entry = path.relative(dir, target).split(path.sep).join('/');
  const where = path.relative(cwd, manifest.path) || 'package.json';
  if (/\.[cm]?tsx?$/.test(target)) {
    return `${where}: the vendored TypeScript copy ships as the JavaScript your build emits for ${entry}; check that \`files\` lists it (npm pack --dry-run)`;
  }
  const before = packedFiles(dir);
  if (typeof before === 'string') return `${where}: not verified that ${entry} is packed: ${before}`;
  if (before.has(entry)) return undefined;
  const files = manifest.json.files;
  if (!Array.isArray(files))
    return `${where}: npm pack --dry-run leaves out ${entry} (an .npmignore?): the published package would fail to import it`;
  const indent = /^[ \t]+(?=")/m.exec(manifest.text)?.[0] ?? '  ';
  const eol = manifest.text.includes('\r\n') ? '\r\n' : '\n';
  const out = JSON.stringify({ ...manifest.json, files: [...files, entry] }, null, indent).replace(/\n/g, eol);
  writeFileDurableSync(manifest.path, /\r?\n$/.test(manifest.text) ? `${out}${eol}` : out);
  const after = packedFiles(dir);
  if (typeof after !== 'string' && after.has(entry))
    return `${where}: added ${entry} to \`files\` (npm pack --dry-run now packs it)`;
  return `${where}: added ${entry} to \`files\`, but npm pack --dry-run still leaves it out: ${typeof after === 'string' ? after : 'an .npmignore?'}`;
}
