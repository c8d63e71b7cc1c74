/**
 * What a file's package says about it, from the nearest `package.json`: whether `.js` files are ES
 * modules (`"type"`) and which packages resolve in production (`dependencies`; a devDependency is
 * gone after `npm ci --omit=dev`). Plain data, cached per manifest and re-read when its mtime
 * changes (`durable-write fix --write` adds a dependency mid-run).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

export interface PackageManifest {
  /** The `package.json` file. */
  readonly file: string;
  readonly type: 'module' | 'commonjs';
  readonly dependencies: ReadonlySet<string>;
  /** `engines.node` as written, when it is a string. */
  readonly nodeEngines: string | undefined;
  /** No `"private": true`: npm publishes it, and its users pick the Node.js it runs on. */
  readonly published: boolean;
  readonly name: string | undefined;
  /** Its tests fail below a coverage threshold that istanbul counts (`istanbulCoverageGate`). */
  readonly istanbulCoverageGate: boolean;
}

const manifests = new Map<string, { mtimeMs: number; manifest: PackageManifest | undefined }>();

function readManifest(file: string): PackageManifest | undefined | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return null;
  }
  const cached = manifests.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.manifest;
  let manifest: PackageManifest | undefined;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      name?: unknown;
      private?: unknown;
      type?: unknown;
      dependencies?: unknown;
      engines?: { node?: unknown };
      devDependencies?: unknown;
      tap?: unknown;
      nyc?: unknown;
      jest?: unknown;
    };
    const dependencies =
      json.dependencies && typeof json.dependencies === 'object' ? Object.keys(json.dependencies) : [];
    const node = json.engines && typeof json.engines === 'object' ? json.engines.node : undefined;
    manifest = {
      file,
      type: json.type === 'module' ? 'module' : 'commonjs',
      dependencies: new Set(dependencies),
      nodeEngines: typeof node === 'string' ? node : undefined,
      published: json.private !== true,
      name: typeof json.name === 'string' ? json.name : undefined,
      istanbulCoverageGate: istanbulCoverageGate(json),
    };
  } catch {
    // An unreadable manifest says nothing: callers treat the file as of unknown package.
    manifest = undefined;
  }
  manifests.set(file, { mtimeMs, manifest });
  return manifest;
}

const objectOr = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/**
 * Do the package's tests fail below a coverage threshold counted by istanbul, which counts the
 * path an `if` does not take as a branch: tap 15 to 17 (nyc, 100 % unless `check-coverage` is off;
 * earlier versions check nothing by default), nyc with `check-coverage`, jest's `coverageThreshold`
 * with its default (babel) provider. Read from `package.json` only. V8's coverage (c8, tap 18) has
 * no range for an `else` never written.
 */
function istanbulCoverageGate(json: {
  devDependencies?: unknown;
  tap?: unknown;
  nyc?: unknown;
  jest?: unknown;
}): boolean {
  const dev = objectOr(json.devDependencies);
  const tap = typeof dev.tap === 'string' && semver.validRange(dev.tap) ? semver.minVersion(dev.tap) : null;
  if (tap && tap.major >= 15 && tap.major < 18 && objectOr(json.tap)['check-coverage'] !== false) return true;
  if ('nyc' in dev && objectOr(json.nyc)['check-coverage'] === true) return true;
  const jest = objectOr(json.jest);
  return 'coverageThreshold' in jest && jest.coverageProvider !== 'v8';
}

/** The nearest `package.json` above `file` (relative to the working directory, as ESLint's are), or undefined. */
export function nearestManifest(file: string): PackageManifest | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const found = readManifest(path.join(dir, 'package.json'));
    if (found !== null) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; undefined for relative and absolute specifiers. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || path.isAbsolute(specifier) || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Will `import … from specifier` in `file` resolve after a production install? A relative
 * specifier is a vendored copy in the project; a package must be in the nearest `dependencies`.
 */
export function resolvesInProduction(specifier: string, file: string): boolean {
  // `#durable`: the package's own `imports` map, which the project maintains.
  if (specifier.startsWith('#')) return true;
  const name = packageNameOf(specifier);
  if (name === undefined) return specifier.startsWith('.') || path.isAbsolute(specifier);
  return nearestManifest(file)?.dependencies.has(name) ?? false;
}

/** The first Node.js release that honours `flush: true` on `writeFile` and `createWriteStream`; older ones ignore it silently. */
const FLUSH_OPTION_SINCE = '20.10.0';

/** How an in-place fix makes the temp file durable in a package, and why. */
export interface FlushPolicy {
  /** Open and fsync the temp file before the rename instead of relying on `flush: true`. */
  readonly fsync: boolean;
  readonly why: string;
}

/**
 * May the code of `file` run on a Node.js that ignores `flush: true`? Yes when its package's
 * `engines.node` admits one, and when a published package declares none (or one semver cannot read):
 * its users run it on whatever Node.js they have. A private package (an application) without
 * `engines.node`, or a file outside any package, runs where its own team runs it, on a Node.js line
 * still maintained (all honour the option): it keeps `flush: true`, and the summary says so.
 */
export function flushPolicyOf(file: string): FlushPolicy {
  const flushSince = FLUSH_OPTION_SINCE.replace(/\.0$/, '');
  const manifest = nearestManifest(file);
  const range = manifest?.nodeEngines;
  if (range !== undefined && semver.validRange(range) !== null)
    return semver.subset(range, `>=${FLUSH_OPTION_SINCE}`)
      ? { fsync: false, why: `engines.node "${range}" needs Node.js >= ${flushSince}` }
      : {
          fsync: true,
          why: `engines.node "${range}" admits Node.js < ${flushSince}, which ignores flush: true`,
        };
  const declared =
    range === undefined ? 'declares no engines.node' : `declares engines.node "${range}", which semver cannot read`;
  if (!manifest) return { fsync: false, why: `no package.json: flush: true assumes Node.js >= ${flushSince}` };
  if (manifest.published)
    return {
      fsync: true,
      why: `a published package that ${declared}: its users may run Node.js < ${flushSince}, which ignores flush: true`,
    };
  return {
    fsync: false,
    why: `a private package that ${declared}: flush: true assumes Node.js >= ${flushSince} (declare engines.node to change it)`,
  };
}

/** {@link flushPolicyOf}: whether in-place fixes of `file` fsync explicitly. */
export const mayRunWithoutFlush = (file: string): boolean => flushPolicyOf(file).fsync;

/**
 * When a package needing Node.js `required` goes into a project that declares `declared`
 * (`engines.node`), and `declared` admits versions `required` does not: the Node.js floor the
 * project would silently get. Undefined when nothing changes or either range is unreadable.
 */
export function raisedNodeFloor(declared: string | undefined, required: string | undefined): string | undefined {
  if (declared === undefined || required === undefined || !semver.validRange(declared) || !semver.validRange(required))
    return undefined;
  return semver.subset(declared, required)
    ? undefined
    : `Node.js ${required} (the project declares engines.node "${declared}")`;
}
