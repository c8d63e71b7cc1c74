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

const typeSource = /\.[cm]?tsx?$/;
/** What tsc emits for a source, as `files` lists it: `.js`, `.d.ts`, their `.mjs`/`.cjs` forms and maps. */
const emittedExtension = /(?:\.d)?\.[cm]?[jt]s(?:\.map)?$/;
const glob = /[*?[\]{}!]/;
const withoutDotSlash = (entry: string): string => entry.replace(/^\.\//, '').replace(/\/+$/, '');

/**
 * The `files` entries a vendored TypeScript copy (`entry`) needs so that its build output ships, found
 * without the build: a fixed source (`src/index.ts`) whose output `files` names by its exact path
 * (`lib/index.js`, `lib/index.d.ts`, as steno lists them) has the copy's output beside it at the same
 * relative place (`lib/durable-write.js`, `lib/durable-write.d.ts`). Empty when `files` already covers
 * them (a directory such as `lib`); undefined when it cannot tell (globs, or no listed output found).
 */
function emittedEntries(entry: string, sources: readonly string[], files: readonly unknown[]): string[] | undefined {
  const listed = files.filter((f): f is string => typeof f === 'string').map(withoutDotSlash);
  const vendoredStem = entry.replace(typeSource, '');
  const wanted = new Set<string>();
  for (const source of sources) {
    const stem = source.replace(typeSource, '');
    for (const file of listed) {
      const extension = emittedExtension.exec(file)?.[0];
      if (
        !extension ||
        glob.test(file) ||
        path.posix.basename(file.slice(0, -extension.length)) !== path.posix.basename(stem)
      )
        continue;
      const beside = path.posix.relative(path.posix.dirname(stem), vendoredStem);
      wanted.add(path.posix.join(path.posix.dirname(file), `${beside}${extension}`));
    }
  }
  if (wanted.size === 0) return undefined;
  const covered = (file: string): boolean =>
    listed.some(
      (listedEntry) => !glob.test(listedEntry) && (file === listedEntry || file.startsWith(`${listedEntry}/`)),
    );
  const missing = [...wanted].filter((file) => !covered(file));
  if (missing.length > 0 && listed.some((listedEntry) => glob.test(listedEntry))) return undefined;
  return missing;
}

function writeFiles(manifest: { path: string; text: string; json: Record<string, unknown> }, files: unknown[]): void {
  const indent = /^[ \t]+(?=")/m.exec(manifest.text)?.[0] ?? '  ';
  const eol = manifest.text.includes('\r\n') ? '\r\n' : '\n';
  const out = JSON.stringify({ ...manifest.json, files }, null, indent).replace(/\n/g, eol);
  writeFileDurableSync(manifest.path, /\r?\n$/.test(manifest.text) ? `${out}${eol}` : out);
}

/**
 * npm packs only what `files` lists: a vendored copy written next to listed files is left out of
 * the tarball, and the published package then fails on import. After the copy is written, `npm
 * pack --dry-run` says whether it ships; when not, its path joins `files` and npm is asked again.
 * `exports` needs nothing: it restricts imports from outside the package, and the fixed files
 * import the copy by relative path from inside it. A TypeScript copy is not packed, its build output
 * is, and does not exist yet: see emittedEntries. A line for the summary, or undefined when the
 * package is private or already ships the copy.
 */
export function shipVendoredFile(target: string, cwd: string, rewritten: readonly string[]): string | undefined {
  const manifest = publishingManifest(target);
  if (!manifest) return undefined;
  const dir = path.dirname(manifest.path);
  const entry = path.relative(dir, target).split(path.sep).join('/');
  const where = path.relative(cwd, manifest.path) || 'package.json';
  const files = manifest.json.files;
  if (typeSource.test(target)) {
    const sources = rewritten.map((file) => path.relative(dir, file).split(path.sep).join('/'));
    const emitted = Array.isArray(files) ? emittedEntries(entry, sources, files) : undefined;
    if (!emitted)
      return `${where}: the vendored TypeScript copy ships as the JavaScript your build emits for ${entry}; check that \`files\` lists it (npm pack --dry-run)`;
    if (emitted.length === 0) return undefined;
    writeFiles(manifest, [...(files as unknown[]), ...emitted]);
    return `${where}: added ${emitted.join(', ')} to \`files\` (what your build emits for ${entry}, beside the listed output of the files it fixed)`;
  }
  const before = packedFiles(dir);
  if (typeof before === 'string') return `${where}: not verified that ${entry} is packed: ${before}`;
  if (before.has(entry)) return undefined;
  if (!Array.isArray(files))
    return `${where}: npm pack --dry-run leaves out ${entry} (an .npmignore?): the published package would fail to import it`;
  writeFiles(manifest, [...files, entry]);
  const after = packedFiles(dir);
  if (typeof after !== 'string' && after.has(entry))
    return `${where}: added ${entry} to \`files\` (npm pack --dry-run now packs it)`;
  return `${where}: added ${entry} to \`files\`, but npm pack --dry-run still leaves it out: ${typeof after === 'string' ? after : 'an .npmignore?'}`;
}
