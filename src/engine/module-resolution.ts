/**
 * Where an import specifier leads, for module summaries, in an editor session that lasts hours.
 *
 * Node's own resolver (`createRequire(…).resolve`) cannot serve here: it keeps every package.json
 * it read and every path it found for the life of the process (checked on Node 20.20: a `main`
 * edited after the first lookup is never seen). So packages are found by walking `node_modules`
 * and reading their package.json afresh (`exports`/`imports` by resolve.exports), and each outcome
 * is kept with the stamps of what could change it: the directories a missing file would be created
 * in, the package.json that pointed to it. A lookup is repeated once one of those changed.
 */
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { exports as packageExports, imports as packageImports, legacy as packageMain } from 'resolve.exports';

const scriptExtensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
const isScript = (file: string): boolean =>
  scriptExtensions.includes(path.extname(file)) && !/\.d\.[cm]?ts$/.test(file);

export function statOf(file: string): fs.Stats | undefined {
  try {
    // Most paths a lookup stamps do not exist: an Error with a stack for each would cost more than the stat.
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** What changes when a file or directory is edited, replaced or removed (a directory: an entry added or removed). */
export const stampOf = (file: string, stat = statOf(file)): string =>
  stat ? `${stat.mtimeMs}:${stat.size}:${stat.ino}` : 'missing';

const isFile = (file: string): boolean => statOf(file)?.isFile() ?? false;

/** A file or directory whose change can change a lookup's outcome, and its stamp at the lookup. */
type Guard = readonly [file: string, stamp: string];

interface Resolution {
  readonly file: string | undefined;
  readonly guards: readonly Guard[];
  /**
   * A package was found but led nowhere (its `exports` name a file not built yet): no directory
   * stamp covers every file it may name, so the lookup is repeated after a while.
   */
  readonly retryAt?: number;
}

const RETRY_AFTER_MS = 5_000;

/** The outcome of a lookup, and what it looked at on the way. */
class Lookup {
  readonly guards: Guard[] = [];
  retry = false;

  /**
   * `stamp` may answer from a cache of the current linted file's round: a stamp taken before the
   * lookup looked is at worst older than what it saw, and a change since then repeats the lookup.
   */
  constructor(private readonly stamp: (file: string) => string = stampOf) {}

  /** Records `file`'s stamp: the lookup's outcome holds while it is unchanged. */
  watch(file: string): string {
    const stamp = this.stamp(file);
    this.guards.push([file, stamp]);
    return stamp;
  }
}

/** Files a path may name: as written, with an extension, `.js` naming `.ts` (TypeScript's rule). */
function fileCandidates(base: string): string[] {
  const out = [base, ...scriptExtensions.map((ext) => base + ext)];
  const ext = path.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  if (ext === '.js' || ext === '.jsx') out.push(`${stem}.ts`, `${stem}.tsx`);
  if (ext === '.mjs') out.push(`${stem}.mts`);
  if (ext === '.cjs') out.push(`${stem}.cts`);
  return out;
}

/**
 * The script a path names, in Node's order: a file, else a directory's `main` (its own
 * package.json), else its index. Creating or removing a candidate changes the directory or the path
 * itself, whose stamps the lookup keeps.
 */
function scriptAt(base: string, lookup: Lookup, depth = 0): string | undefined {
  lookup.watch(path.dirname(base));
  lookup.watch(base);
  const file = fileCandidates(base).find((f) => isScript(f) && isFile(f));
  if (file) return file;
  const main = depth < 2 ? packageMain(readManifest(base, lookup) ?? {}, { fields: ['main'] }) : undefined;
  const viaMain = typeof main === 'string' ? scriptAt(path.join(base, main), lookup, depth + 1) : undefined;
  return viaMain ?? scriptExtensions.map((e) => path.join(base, `index${e}`)).find((f) => isScript(f) && isFile(f));
}

/**
 * The specifiers a module's text imports, requires or re-exports (`from 'x'`, `require('x')`,
 * `import('x')`), read without parsing it. A match takes the keyword only, the rest is a lookahead,
 * and a source never spans a line, so a string or comment that looks like the start of one
 * (`'copied from '`) cannot swallow the import after it. (The keyword first: a pattern that is all
 * lookahead is tried at every position of the text, three times slower on large modules.)
 */
const specifierPattern =
  /\bfrom(?=\s*['"]([^'"\n]+)['"])|\brequire(?=\s*\(\s*['"]([^'"\n]+)['"]\s*\))|\bimport(?=\s*\(\s*['"]([^'"\n]+)['"]\s*\))/g;
export const specifiersIn = (text: string): string[] =>
  [...text.matchAll(specifierPattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

/** A package specifier: neither relative nor absolute (a module of the importer's own) nor a Node.js builtin. */
export const isPackageSpecifier = (specifier: string): boolean =>
  !specifier.startsWith('.') && !specifier.startsWith('/') && !isBuiltin(specifier);

/** The package a bare specifier names (`lowdb/node` → `lowdb`, `@scope/pkg/sub` → `@scope/pkg`). */
export const packageOfSpecifier = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The package directory of a bare specifier seen from `dir`, and the subpath inside it. */
function findPackage(specifier: string, dir: string, lookup?: Lookup): { root: string; subpath: string } | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = packageOfSpecifier(specifier);
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  const watch = (file: string): string => (lookup ? lookup.watch(file) : stampOf(file));
  for (let d = dir; ; d = path.dirname(d)) {
    const modules = path.join(d, 'node_modules');
    // An install adds its entry to `node_modules` (or to the `@scope` directory in it), then its files.
    if (watch(modules) !== 'missing' && (nameLength === 1 || watch(path.join(modules, parts[0]!)) !== 'missing')) {
      const root = path.join(modules, name);
      if (watch(path.join(root, 'package.json')) !== 'missing') return { root, subpath };
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Manifests as last read, by their stamp: a package's is read for each of its importers' directories. */
const manifests = new Map<string, { readonly stamp: string; readonly manifest: Record<string, unknown> | undefined }>();

function readManifest(root: string, lookup: Lookup): Record<string, unknown> | undefined {
  const file = path.join(root, 'package.json');
  const stamp = lookup.watch(file);
  if (stamp === 'missing') return undefined;
  const known = manifests.get(file);
  if (known?.stamp === stamp) return known.manifest;
  let manifest: Record<string, unknown> | undefined;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    manifest = undefined;
  }
  manifests.set(file, { stamp, manifest });
  return manifest;
}

/**
 * `exports`/`imports` targets, for `require` first and `import` second (an ESM-only package has no
 * `require` condition). `require` matches `module-sync` too, as on Node >= 20.19 (the plugin's floor).
 */
function conditionalTarget(
  find: (options: { require?: boolean; conditions?: string[] }) => string[] | void,
): string | undefined {
  for (const options of [{ require: true, conditions: ['module-sync'] }, {}]) {
    try {
      const target = find(options)?.[0];
      if (target) return target;
    } catch {
      // Not exported under these conditions.
    }
  }
  return undefined;
}

function resolvePackage(specifier: string, dir: string, lookup: Lookup): string | undefined {
  const pkg = findPackage(specifier, dir, lookup);
  if (!pkg) return undefined;
  lookup.retry = true;
  const manifest = readManifest(pkg.root, lookup);
  if (!manifest) return undefined;
  if (manifest.exports !== undefined && manifest.exports !== null) {
    const target = conditionalTarget((options) => packageExports(manifest, pkg.subpath, options));
    return target ? scriptAt(path.join(pkg.root, target), lookup) : undefined;
  }
  return scriptAt(path.join(pkg.root, pkg.subpath), lookup);
}

/** `#internal` specifiers, through the `imports` of the package the importing file belongs to. */
function resolvePackageImport(specifier: string, dir: string, lookup: Lookup): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    lookup.watch(path.join(d, 'package.json'));
    if (isFile(path.join(d, 'package.json'))) {
      const manifest = readManifest(d, lookup);
      const target = manifest && conditionalTarget((options) => packageImports(manifest, specifier, options));
      if (!target) return undefined;
      return target.startsWith('.') ? scriptAt(path.join(d, target), lookup) : resolvePackage(target, d, lookup);
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function lookUp(specifier: string, dir: string, stamp: (file: string) => string): Resolution {
  const lookup = new Lookup(stamp);
  let found: string | undefined;
  try {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
      found = scriptAt(path.resolve(dir, specifier), lookup);
    } else {
      found = specifier.startsWith('#')
        ? resolvePackageImport(specifier, dir, lookup)
        : resolvePackage(specifier, dir, lookup);
      // pnpm links packages into `node_modules`: their own imports resolve from where they really are.
      if (found) found = fs.realpathSync(found);
    }
  } catch {
    found = undefined;
  }
  if (found && !isScript(found)) found = undefined;
  if (found) lookup.watch(found);
  return {
    file: found,
    guards: lookup.guards,
    ...(lookup.retry && !found ? { retryAt: Date.now() + RETRY_AFTER_MS } : {}),
  };
}

const resolutions = new Map<string, Resolution>();

const holds = (resolution: Resolution, stamp: (file: string) => string): boolean =>
  (resolution.retryAt === undefined || Date.now() < resolution.retryAt) &&
  resolution.guards.every(([file, then]) => stamp(file) === then);

/**
 * Node's resolution of `specifier` (not a builtin) from a file in `dir`, to a script file: a
 * lookup made before is reused while nothing it looked at changed. `stamp` may answer from a
 * cache of the current linted file's round.
 */
export function resolveFrom(
  specifier: string,
  dir: string,
  stamp: (file: string) => string = stampOf,
): string | undefined {
  const key = `${dir}\0${specifier}`;
  const known = resolutions.get(key);
  if (known && holds(known, stamp)) return known.file;
  const resolution = lookUp(specifier, dir, stamp);
  resolutions.set(key, resolution);
  return resolution.file;
}

export { scriptExtensions };
