/**
 * Summaries of other modules' exports, the way eslint-plugin-import's ExportMap reads dependencies:
 * resolve the specifier with Node's resolution (package `exports`/`main`; in TypeScript projects a
 * `./x.js` specifier also finds `./x.ts`), parse the module with the linted file's own parser, run
 * the same engine over it, and keep what its exports do as plain data (never AST nodes: a cache of
 * nodes would hold whole ASTs in memory, eslint-plugin-import#1266).
 *
 * One cache entry per absolute path, parser and hop budget, reused while the file's mtime and size
 * are unchanged and so is everything its summary was built from: the modules it read (to any depth)
 * and the outcome of each specifier it resolved, a failed one included. A summary that no budget
 * cut short is the same for other budgets too (see `BudgetFrame`), and serves them unread. An
 * editor keeps one ESLint process for hours; a summary must follow the dependency the user just
 * edited or created.
 * Re-exports are followed a few hops. Nothing here throws: a module that cannot be resolved, read
 * or parsed simply has no summary.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { Linter, type Rule, type SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { getStaticValue, getStringIfConstant } from '@eslint-community/eslint-utils';
import { isFunctionNode, parentOf, propertyKeyName } from '../ast.js';
import {
  CallGraph,
  calleeExpression,
  instancesOf,
  promisifiedFunction,
  requiredSource,
  wholeModule,
} from './call-graph.js';
import { constObjectLiteral, FileKeys, propertyName, type ModuleConstants } from './file-key.js';
import { FileKey, term, type PathTemplate } from './key.js';
import { fsApiTable, mayCallRename } from '../fs-api.js';
import { resolveFrom, scriptExtensions, specifiersIn, stampOf, statOf } from './module-resolution.js';
import { FileSystems } from './file-systems.js';
import { explainModule } from './explain.js';
import { moduleSourceCode } from './module-source.js';
import { initialiserOf, variableOf } from './scope.js';
import { Summaries, type FunctionSummary, type ImportedSummary } from './summaries.js';
import {
  Publications,
  durableWithOf,
  publishingFunctionOf,
  type DurableWith,
  type Publication,
  type PublicationLookup,
} from './publications.js';
import type { FunctionNode } from '../ast.js';

/** How many modules away a summary may come from (the linted file's imports are hop 1). */
export const MAX_HOPS = 3;
/** Bundles and generated files past this size are not read. */
const MAX_BYTES = 128 * 1024;

/** What a module exports, as plain data. */
export interface ModuleSummary {
  readonly exports: Readonly<Record<string, FunctionSummary>>;
  /** `export { f } from './x'`, `exports.f = require('./x').f`: name → where it really lives. */
  readonly reexports: Readonly<Record<string, { readonly file: string; readonly name: string }>>;
  /** `export * from './x'`, `__exportStar(require('./x'), exports)`, `module.exports = require('./x')`. */
  readonly stars: readonly string[];
  /**
   * The module imports a file system and is read as an adapter of it: an export named like an fs
   * member that has no summary of its own (`writeFileSync: withRetry(gfs.writeFileSync)`, methods
   * copied in a loop) is that member.
   */
  readonly fsAdapter: boolean;
  /**
   * The fs API table module the module is, re-exported whole (`module.exports = require('fs-extra')`,
   * `export * from 'fs-extra'`: Theia's `@theia/core/shared/fs-extra`): its exports are that module's members.
   */
  readonly tableModule?: string;
  /**
   * Exports that are an fs API table module whole (`exports.fs = require('fs-extra')`, `export {
   * default as fs } from 'fs-extra'`: zx's, Taro's and Modern.js's utilities): export `fs`'s member
   * `move` is that module's `move`.
   */
  readonly tableMembers?: Readonly<Record<string, string>>;
  /**
   * Exports that publish a file without an fsync, for the callers' code (see `publications.ts`); only
   * in summaries a publication lookup asked for.
   */
  readonly publications?: Readonly<Record<string, Publication>>;
  /** Exports that are string constants (`export const TMP = 'state.tmp'`, `exports.TMP = 'state.tmp'`). */
  readonly constants?: Readonly<Record<string, string>>;
}

/**
 * The engine run inside a dependency: `onRename` for each rename it reports there, with function
 * summaries from at most `summaryHops` modules away. Handed in by the caller: findings come from
 * summaries, so this module cannot import the detector.
 */
export type RenameFinder = (
  context: Rule.RuleContext,
  summaryHops: number,
  onRename: (rename: ESTree.Node, syncedOnSomePath: boolean) => void,
) => Rule.RuleListener;

/** Something a summary was built from, as it was then: a file's stamp, or where a specifier led. */
type Dependency =
  | { readonly file: string; readonly stamp: string }
  | { readonly specifier: string; readonly from: string; readonly resolved: string | null };

interface CacheEntry {
  readonly stamp: string;
  readonly summary: ModuleSummary | null;
  /** The hop budgets the summary is the same for (it was built with one of them). */
  readonly budgets: BudgetRange;
  /** Not read because nothing but path builders may matter in it, and no builder was asked for. */
  readonly buildersOnly?: boolean;
  /** Its summary has the module's publications. */
  readonly withPublications?: boolean;
  /** The modules and resolutions its summary used, at any depth. */
  readonly dependencies: readonly Dependency[];
}

const cache = new Map<string, CacheEntry>();

interface BudgetRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * A summary being built with `hops`, and the budgets it would come out the same with: a lookup one
 * hop further down narrows them to the budgets under which that lookup gives the same answer. A
 * module is asked for at every budget (imported by a linted file, then by one of its imports, …);
 * most summaries are cut short by no budget and need one read, not one per budget.
 */
interface BudgetFrame {
  readonly hops: number;
  lo: number;
  hi: number;
}
const budgetFrames: BudgetFrame[] = [];

/**
 * What the summary being built used, asked `at` a budget, is the same for the budgets `range`: the
 * summary is the same for its own budgets that ask it within them.
 */
function narrowBudgets(at: number, range: BudgetRange): void {
  const frame = budgetFrames.at(-1);
  if (!frame) return;
  const shift = frame.hops - at;
  frame.lo = Math.max(frame.lo, range.lo + shift);
  frame.hi = Math.min(frame.hi, range.hi + shift);
}

/**
 * The summary being built asked something that another budget, or another walk into a cycle, may
 * answer otherwise: it holds for its own budget only.
 */
function onlyThisBudget(): void {
  const frame = budgetFrames.at(-1);
  if (frame) frame.lo = frame.hi = frame.hops;
}

/** Below one hop nothing is read: the answer is the same for every budget of at most 0. */
const noBudget: BudgetRange = { lo: -Infinity, hi: 0 };

/** The summaries being built, innermost last: each records what it used. */
const building: Dependency[][] = [];
const used = (dependency: Dependency): void => {
  building.at(-1)?.push(dependency);
};

/**
 * Lookups from one linted file: a cache entry checked against the disk during it is not checked
 * again (a file asks for the same export at every call site and every round of its summaries).
 */
let lookups = 0;
const checkedIn = new Map<string, number>();

/** What each specifier led to when last checked in this round. */
const lastResolved = new Map<string, string | null>();

/**
 * Installed packages change by an install, not while their importer is being edited. An install adds,
 * removes or replaces a package's directory, which changes the directory holding it (`node_modules`,
 * or its `@scope`), so a list of what a summary used that lies wholly inside `node_modules` is
 * current while those directories are unchanged: a few stamps per linted file instead of one per
 * module and resolution (a large app's files share the same few hundred package modules). An edit
 * made inside an installed package (by hand, not by an install) is seen within
 * `PACKAGE_EDIT_LIFETIME_MS`, as eslint-plugin-import's export map sees any edit within its cache
 * lifetime (30 s by default). The linted project's own files are checked at every linted file.
 */
export const PACKAGE_EDIT_LIFETIME_MS = 10_000;

const nodeModules = `${path.sep}node_modules${path.sep}`;

/** The directory an install changes when it adds, replaces or removes the package holding `file`. */
function installedIn(file: string): string | undefined {
  const at = file.lastIndexOf(nodeModules);
  if (at < 0) return undefined;
  const root = file.slice(0, at + nodeModules.length - 1);
  const rest = file.slice(at + nodeModules.length).split(path.sep);
  return rest[0]?.startsWith('@') && rest.length > 2 ? path.join(root, rest[0]) : root;
}

/**
 * The directories an install changes when the dependencies' answers change, or undefined when one of
 * them lies outside `node_modules` (checked every round). A resolution from inside a package also
 * depends on every `node_modules` above it (a package installed higher up is found next time).
 */
function installRoots(dependencies: readonly Dependency[]): string[] | undefined {
  const roots = new Set<string>();
  for (const dependency of dependencies) {
    const file = 'file' in dependency ? dependency.file : dependency.from;
    const root = installedIn(file);
    if (!root) return undefined;
    roots.add(root);
    if ('file' in dependency) continue;
    if (dependency.resolved) {
      const resolvedRoot = installedIn(dependency.resolved);
      if (!resolvedRoot) return undefined;
      roots.add(resolvedRoot);
    }
    const scope = dependency.specifier.startsWith('@') ? dependency.specifier.split('/')[0] : undefined;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (path.basename(dir) === 'node_modules') roots.add(scope ? path.join(dir, scope) : dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...roots];
}

interface Checked {
  readonly round: number;
  readonly at: number;
  /** The install directories and their stamps when last found current; none outside `node_modules`. */
  readonly roots?: ReadonlyArray<readonly [dir: string, stamp: string]>;
}
const lastChecked = new WeakMap<readonly Dependency[], Checked>();

function recordChecked(dependencies: readonly Dependency[], known?: Checked): void {
  const roots = known?.roots?.map(([dir]) => dir) ?? installRoots(dependencies);
  lastChecked.set(dependencies, {
    round: lookups,
    at: performance.now(),
    ...(roots ? { roots: roots.map((dir) => [dir, stampInRound(dir)] as const) } : {}),
  });
}

/** Found current in this round, or (inside `node_modules`) since no install and within the edit lifetime. */
function recentlyChecked(dependencies: readonly Dependency[]): boolean {
  const checked = lastChecked.get(dependencies);
  if (!checked) return false;
  if (checked.round === lookups) return true;
  return (
    !!checked.roots &&
    performance.now() - checked.at < PACKAGE_EDIT_LIFETIME_MS &&
    checked.roots.every(([dir, stamp]) => stampInRound(dir) === stamp)
  );
}

/** Is every dependency as it was? */
function stillCurrent(dependencies: readonly Dependency[]): boolean {
  if (recentlyChecked(dependencies)) return true;
  if (!dependencies.every(isCurrent)) return false;
  recordChecked(dependencies, lastChecked.get(dependencies));
  return true;
}

const isCurrent = (dependency: Dependency): boolean =>
  'file' in dependency
    ? stampOf(dependency.file) === dependency.stamp
    : resolveModule(dependency.specifier, dependency.from) === (dependency.resolved ?? undefined);
const parserIds = new WeakMap<object, number>();
let nextParserId = 0;
const inProgress = new Set<string>();

const builtins = new Set(builtinModules);

/** Node's resolution of `specifier` from `fromFile`, to a script file; undefined for builtins and failures. */
export function resolveModule(specifier: string, fromFile: string): string | undefined {
  if (specifier.startsWith('node:') || builtins.has(specifier)) return undefined;
  const found = resolveUncounted(specifier, fromFile);
  used({ specifier, from: fromFile, resolved: found ?? null });
  return found;
}

/** Stamps taken during one linted file's lookups: a directory is stamped once however many imports it serves. */
const roundStamps = new Map<string, string>();
let stampsRound = -1;
function stampInRound(file: string): string {
  if (stampsRound !== lookups) {
    roundStamps.clear();
    stampsRound = lookups;
  }
  let stamp = roundStamps.get(file);
  if (stamp === undefined) roundStamps.set(file, (stamp = stampOf(file)));
  return stamp;
}

function resolveUncounted(specifier: string, fromFile: string): string | undefined {
  const dir = path.dirname(fromFile);
  const cacheKey = `${dir}\0${specifier}`;
  const known = checkedIn.get(cacheKey) === lookups ? lastResolved.get(cacheKey) : undefined;
  if (known !== undefined) return known ?? undefined;
  // From inside a package, an answer holds until an install changes a node_modules it depends on.
  const installed = packageResolutions.get(cacheKey);
  if (installed && recentlyChecked(installed)) return installed[0]?.resolved ?? undefined;
  checkedIn.set(cacheKey, lookups);
  const found = resolveFrom(specifier, dir, stampInRound);
  lastResolved.set(cacheKey, found ?? null);
  if (installedIn(fromFile)) {
    const resolution = [{ specifier, from: fromFile, resolved: found ?? null }] as const;
    packageResolutions.set(cacheKey, resolution);
    recordChecked(resolution);
  }
  return found;
}

const packageResolutions = new Map<string, readonly [Extract<Dependency, { specifier: string }>]>();

/** The linted file's parser settings, minus what only type-aware linting needs. */
export interface ModuleParsing {
  readonly languageOptions: Linter.LanguageOptions;
}

export function parsingOf(context: Rule.RuleContext): ModuleParsing {
  const { parser, parserOptions, ecmaVersion } = context.languageOptions as Linter.LanguageOptions;
  const {
    project: _p,
    projectService: _s,
    programs: _r,
    tsconfigRootDir: _t,
    ...rest
  } = (parserOptions ?? {}) as Record<string, unknown>;
  return {
    languageOptions: {
      ...(parser ? { parser } : {}),
      ecmaVersion: ecmaVersion ?? 'latest',
      parserOptions: rest as Linter.ParserOptions,
    },
  };
}

/**
 * Worth parsing: it uses a file system (a write stream and an extractor's call included), names temp
 * files, or re-exports what another module does.
 */
const mayMatter = (text: string): boolean =>
  usesFsOrReexports.test(text) || namesTempFile.test(text) || isBarrel(text) || exportsFileSystem(text);

/**
 * A module that may hand out a file system under a name (`exports.fs = fse`, `fs: require('fs-extra')`,
 * `export { fs }`): utility packages do (zx, Taro's and Modern.js's helpers). About 40 of the lint
 * corpus's 14,000 modules match this and nothing else here.
 */
const exportsFileSystem = (text: string): boolean =>
  importsFileSystem.test(text) &&
  /\bexports\.[\w$]+\s*=\s*[A-Za-z_$][\w$]*\s*[;,\n]|\bexport\s*\{|\bexport\s+(?:const|let|var)\s+[\w$]+\s*=\s*[A-Za-z_$][\w$]*\s*[;\n]|[\w$]+\s*:\s*require\s*\(\s*['"](?:node:)?(?:fs|fs-extra|graceful-fs)/.test(
    text,
  );

/**
 * A small module that hands on what it imports (`import { a } from './_chunks/x.mjs'; export { a };`,
 * as unbuild, tsup and Rollup write a package's entry): a re-export in two statements.
 */
const isBarrel = (text: string): boolean =>
  text.length < 4096 && /\bexport\s*\{/.test(text) && /\bimport\s*\{[^}]*\}\s*from\b/.test(text);

const usesFsOrReexports =
  /\b(?:rename|move|write|fsync|fdatasync|copyFile|sync)|WriteStream|extract\w*\s*\(|\b(?:copy|cp)(?:Sync)?\)?\s*\(|export\s*(?:\*|\{[^}]*\}\s*from)|__exportStar|module\.exports\s*=\s*require/i;

/**
 * A temp file's name: `tmp` anywhere, `temp` where a word or a camelCase part starts (`tempDir`,
 * `withTempDir`, `TEMP`, `mkdtemp`). Not the same letters inside other words (`attempt`, `itemPath`,
 * `useFileSystemPublicRoutes`, `ENOTEMPTY`, `template`, comments' `temporarily`), which made most of
 * Next.js's server files worth parsing.
 */
const namesTempFile =
  /tmp|TMP|Tmp|(?<![A-Za-z])temp(?!lat|orarily)|Temp(?!lat|orarily)|(?<![A-Za-z])TEMP(?!LAT)|mkd?temp/;

/**
 * Worth parsing when a path builder or a constant is looked up (`ensureCachePath(p)`, `paths_1.TMP`):
 * it declares or calls a builder, or exports a string (`exports.TMP = '…'`, `export const TMP = '…'`,
 * `module.exports = { TMP: '…', … }`).
 */
const namesBuilders =
  /(?:path|file|name|dest|target)\s*\(|\b(?:join|resolve)\s*\(|\bexports\.[\w$]+\s*=\s*['"`]|\bexport\s+const\s+[\w$]+\s*(?::\s*string\s*)?=\s*['"`]|\bmodule\.exports\s*=\s*\{\s*[\w$]+\s*:\s*['"`]/i;

/**
 * The summary lookup for imports of `fromFile`, `hops` modules deep. Returns undefined when
 * cross-module analysis cannot run (no file on disk).
 */
export function importedSummaries(
  fromFile: string,
  parsing: ModuleParsing,
  hops = MAX_HOPS,
): ImportedSummary | undefined {
  if (!path.isAbsolute(fromFile)) return undefined;
  // Whether there is a lookup at all is an answer for the module being built.
  narrowBudgets(hops, hops <= 0 ? noBudget : { lo: 1, hi: Infinity });
  if (hops <= 0) return undefined;
  if (building.length === 0) lookups++;
  return (source, name, purpose) => {
    const file = resolveModule(source, fromFile);
    return file ? exportSummary(file, name, parsing, hops, 0, purpose === 'builder') : undefined;
  };
}

/**
 * The string constants the module `sourceCode` (at `fromFile`) reads from its own exports (`source`
 * undefined: `exports.TMP`) and from the modules it imports, `hops` modules deep. Imports only when
 * cross-module analysis can run (`fromFile` on disk).
 */
export function moduleConstants(
  sourceCode: SourceCode,
  fromFile: string,
  parsing: ModuleParsing | undefined,
  hops = MAX_HOPS,
): ModuleConstants {
  const imports = parsing && path.isAbsolute(fromFile) && hops > 0;
  return (source, name) => {
    if (source === undefined) return stringExports(sourceCode)[name];
    if (!imports) return undefined;
    const file = resolveModule(source, fromFile);
    // An fs adapter's fs-named exports are the fs API's members: only a constant is one here.
    const value = file && exportOf(file, name, parsing, hops, 0, true, (summary) => summary.constants ?? {});
    return typeof value === 'string' ? value : undefined;
  };
}

const stringExportsOf = new WeakMap<ESTree.Program, Readonly<Record<string, string>>>();

/**
 * A module's exports that are string constants: a string literal (or a template of them) exported
 * once, directly or through a `const` bound to one. TypeScript's `exports.TMP = void 0` before the
 * assignment is not a second value.
 */
function stringExports(sourceCode: SourceCode): Readonly<Record<string, string>> {
  const program = sourceCode.ast;
  const known = stringExportsOf.get(program);
  if (known) return known;
  const found = new Map<string, string | null>();
  const note = (name: string, node: ESTree.Node): void => {
    // eslint-utils' static evaluation: a literal, a template of literals, a `const` bound to one.
    const evaluated = getStaticValue(node as never, sourceCode.getScope(node));
    const value = typeof evaluated?.value === 'string' ? evaluated.value : undefined;
    found.set(name, found.has(name) && found.get(name) !== value ? null : (value ?? null));
  };
  visitExports(program, {
    value: (name, node) => {
      // `exports.TMP = exports.DEST = void 0`: TypeScript's declaration of the names it exports.
      while (node?.type === 'AssignmentExpression') node = node.right;
      if (!node || (node.type === 'UnaryExpression' && node.operator === 'void')) return;
      // `export let OUT = '…'` is a live binding the module may reassign.
      const declarator = parentOf(node);
      const declaration = declarator?.type === 'VariableDeclarator' ? parentOf(declarator) : undefined;
      if (declaration?.type === 'VariableDeclaration' && declaration.kind !== 'const') {
        found.set(name, null);
        return;
      }
      // `module.exports = { TMP: '…', save }`, `exports.paths = { … }`: the object's string fields, as
      // `exportsOf` reads its functions (`TMP`, `paths.TMP`).
      const object = node.type === 'ObjectExpression' ? node : objectBoundTo(sourceCode, node);
      const whole = name === '=' || name === 'default';
      if (object && (whole || !name.includes('.'))) {
        for (const property of object.properties) {
          const key = property.type === 'Property' && property.kind === 'init' ? propertyKeyName(property) : undefined;
          if (key !== undefined) note(whole ? key : `${name}.${key}`, (property as ESTree.Property).value);
        }
        return;
      }
      note(name, node);
    },
    reexport: () => undefined,
    star: () => undefined,
  });
  const constants: Record<string, string> = {};
  for (const [name, value] of found) if (value !== null) constants[name] = value;
  stringExportsOf.set(program, constants);
  return constants;
}

/**
 * Whether an import of `fromFile` may rename, from module texts alone (no parsing): false when the
 * summary `importedSummaries(fromFile, …, hops)` gives it could not rename. That summary is `hops`
 * modules deep: the module and those `hops - 1` imports (or re-exports) away, so a module whose
 * import graph names no rename within that reach cannot. A module handing out a file system
 * (`exports.fs = require('fs-extra')`) renames through the fs API's table, by a rename's name.
 */
export function importedRenameReach(
  fromFile: string,
  hops = MAX_HOPS,
): ((source: string, name: string) => boolean) | undefined {
  if (!path.isAbsolute(fromFile) || hops <= 0) return undefined;
  return (source, name) => {
    if (namesTableRename(name)) return true;
    const file = resolveModule(source, fromFile);
    return !!file && reachesRenameWithin(file, hops - 1);
  };
}

/** Modules parsed only because a publication lookup asked: their summaries have exports all the same. */
const readForPublications = new Set<string>();

/** `reachesRenameWithin`'s answers during one linted file's lookups. */
const reachInRound = new Map<string, boolean>();
let reachRound = -1;

/**
 * Does `file`, or a module at most `imports` imports (or re-exports) away from it, name a rename?
 * Answered afresh for each linted file from the texts and resolutions the summaries' own caches
 * check against the disk, so nothing here goes stale; within one file's lookups, each module and
 * depth is answered once. The walk is as deep as a summary reads: no cycle can bring a module back
 * at the same depth.
 */
function reachesRenameWithin(file: string, imports: number): boolean {
  if (reachRound !== lookups) {
    reachInRound.clear();
    reachRound = lookups;
  }
  const key = `${file}\0${imports}`;
  const known = reachInRound.get(key);
  if (known !== undefined) return known;
  const text = moduleText(file);
  let reaches = text.namesRename;
  // A module a summary does not parse has no summary: nothing it imports reaches its importer.
  const summarised = text.summarised || readForPublications.has(file);
  for (let i = 0; !reaches && summarised && imports > 0 && i < text.specifiers.length; i++) {
    const target = resolveModule(text.specifiers[i] as string, file);
    reaches = !!target && reachesRenameWithin(target, imports - 1);
  }
  reachInRound.set(key, reaches);
  return reaches;
}

/** The fs API's renames by name, in any of its modules (`rename`, `moveSync`, `renamePromise`). */
const tableRenames = new Set(
  Object.values(fsApiTable).flatMap((members) => members.filter((m) => m.kind === 'rename').map((m) => m.name)),
);

/** Is the export `name` (`move`, `fs.moveSync`, `default.rename`) named as a member of the fs API that renames? */
const namesTableRename = (name: string): boolean => tableRenames.has(name.slice(name.lastIndexOf('.') + 1));

function exportSummary(
  file: string,
  name: string,
  parsing: ModuleParsing,
  hops: number,
  depth: number,
  builder = false,
): FunctionSummary | undefined {
  return exportOf(file, name, parsing, hops, depth, builder, (summary) => summary.exports);
}

/**
 * An export of a module, where it really lives: its own, or through re-exports and `export *`. An fs
 * adapter module's unsummarised fs-named exports are the fs members themselves.
 */
function exportOf<T>(
  file: string,
  name: string,
  parsing: ModuleParsing,
  hops: number,
  depth: number,
  builder: boolean,
  table: (summary: ModuleSummary) => Readonly<Record<string, T>>,
  findRenames?: RenameFinder,
): T | undefined {
  const hopsPerReexport = !findRenames;
  if (depth > MAX_HOPS + (hopsPerReexport ? 0 : MAX_PUBLICATION_DEPTH)) {
    onlyThisBudget();
    return undefined;
  }
  const summary = moduleSummary(file, parsing, hops, builder, findRenames);
  if (!summary) return undefined;
  const own = table(summary)[name] ?? (name === 'default' ? table(summary)['='] : undefined);
  if (own) return own;
  // `x.default.sync` of `x = __importDefault(require('m'))`: a module with no default export of its
  // own is its own default (`module.exports`), so its member `sync` is meant.
  if (name.startsWith('default.') && !table(summary)['default'] && !summary.reexports['default'])
    return exportOf(file, name.slice('default.'.length), parsing, hops, depth + 1, builder, table, findRenames);
  // Publications follow re-exports without spending hops: a package's entry point re-exports its parts.
  const next = hopsPerReexport ? hops - 1 : hops;
  const reexport = summary.reexports[name] ?? (name === 'default' ? summary.reexports['='] : undefined);
  if (reexport) return exportOf(reexport.file, reexport.name, parsing, next, depth + 1, builder, table, findRenames);
  if (summary.tableModule && hopsPerReexport) {
    const member = tableSummary(summary.tableModule, name) as T | undefined;
    if (member) return member;
  }
  if (name === 'default' || name === '=') return undefined;
  for (const star of summary.stars) {
    const found = exportOf(star, name, parsing, next, depth + 1, builder, table, findRenames);
    if (found) return found;
  }
  // `sub.fn` where the export `sub` is another module (`exports.sub = require('./sub')`) or its export.
  const dot = name.indexOf('.');
  const memberTable = dot > 0 ? summary.tableMembers?.[name.slice(0, dot)] : undefined;
  if (memberTable && hopsPerReexport) return tableSummary(memberTable, name.slice(dot + 1)) as T | undefined;
  const holder = dot > 0 ? summary.reexports[name.slice(0, dot)] : undefined;
  if (holder) {
    const member = holder.name === '=' ? name.slice(dot + 1) : `${holder.name}${name.slice(dot)}`;
    return exportOf(holder.file, member, parsing, next, depth + 1, builder, table, findRenames);
  }
  return summary.fsAdapter && hopsPerReexport ? (tableSummary('fs', name) as T | undefined) : undefined;
}

/**
 * How many packages beyond a called one its rename walk follows: lowdb's adapters publish through
 * steno, cacache's content writer through @npmcli/fs's moveFile. A longer chain is still found one
 * lookup at a time (each package's summary looks up the packages it calls); an unbounded walk
 * visits most of `node_modules` (graceful-fs names a rename, and much of the registry imports it).
 */
const PACKAGES_BEYOND_CALLED = 1;

/** How many modules deep a publication may be found (lowdb → its adapters → steno). */
const MAX_PUBLICATION_DEPTH = 6;

/**
 * The publication lookup for imports of `fromFile`: what calling an export does when it publishes a
 * file without an fsync. Undefined when cross-module analysis cannot run (no file on disk). A module
 * is read for its publications once (one cache entry, whoever asks and however deep), with the
 * engine's function summaries as deep as for a linted file.
 */
export function importedPublications(
  fromFile: string,
  parsing: ModuleParsing,
  findRenames: RenameFinder,
): PublicationLookup | undefined {
  if (!path.isAbsolute(fromFile)) return undefined;
  // Its answers depend on how deep the walk is, not on the budget: a summary that asks is kept for its own.
  onlyThisBudget();
  if (building.length === 0) lookups++;
  // A chain of packages is followed further than function summaries, one hop at a time.
  if (building.length > MAX_PUBLICATION_DEPTH) return undefined;
  return (source, name) => {
    const file = resolveModule(source, fromFile);
    if (!file || !reachesRename(file, PACKAGES_BEYOND_CALLED)) return undefined;
    return exportOf(file, name, parsing, MAX_HOPS, 0, false, (summary) => summary.publications ?? {}, findRenames);
  };
}

/**
 * Can a package `fromFile` imports lead to a publication: does the module a specifier resolves to,
 * or one it imports, call a rename? A publication lookup's first question, for a gate that has not
 * parsed the file.
 */
export function mayReachRename(fromFile: string, packageSpecifiers: readonly string[]): boolean {
  if (!path.isAbsolute(fromFile)) return true;
  if (building.length === 0) lookups++;
  return packageSpecifiers.some((specifier) => {
    const file = resolveModule(specifier, fromFile);
    return !!file && reachesRename(file, PACKAGES_BEYOND_CALLED);
  });
}

interface RenameReach {
  readonly reaches: boolean;
  /**
   * The files and resolutions the answer was read from. A negative answer holds for every module of
   * the walk, which shares one list: it is checked against the disk once per linted file.
   */
  readonly dependencies: readonly Dependency[];
}
const renameReach = new Map<string, RenameReach>();

/** What a module's text says for a rename walk: whether it names a rename, and what it imports. */
interface ModuleText {
  readonly stamp: string;
  /** The stamp as a dependency list, for `recentlyChecked`. */
  readonly checked: readonly [Dependency];
  readonly namesRename: boolean;
  /** A summary may parse it (`moduleSummary`'s test, for any lookup but a publication's). */
  readonly summarised: boolean;
  readonly specifiers: readonly string[];
}
const moduleTexts = new Map<string, ModuleText>();

function moduleText(file: string): ModuleText {
  const known = moduleTexts.get(file);
  // Inside `node_modules`, as good as stamped while no install changed it (see `recentlyChecked`).
  if (known && recentlyChecked(known.checked)) {
    used(known.checked[0]);
    return known;
  }
  const stat = statOf(file);
  const stamp = stampOf(file, stat);
  const checked = [{ file, stamp }] as const;
  recordChecked(checked);
  used(checked[0]);
  if (known?.stamp === stamp) {
    const current = { ...known, checked };
    moduleTexts.set(file, current);
    return current;
  }
  let text = '';
  try {
    text = stat && stat.size <= MAX_BYTES ? fs.readFileSync(file, 'utf8') : '';
  } catch {
    // Unreadable: it names nothing.
  }
  const namesRename = mayCallRename(text);
  const found = {
    stamp,
    checked,
    namesRename,
    summarised: namesRename || mayMatter(text) || namesBuilders.test(text),
    specifiers: namesRename ? [] : specifiersIn(text),
  };
  moduleTexts.set(file, found);
  return found;
}

function knownReach(file: string): RenameReach | undefined {
  const known = renameReach.get(file);
  if (!known) return undefined;
  if (!stillCurrent(known.dependencies)) return undefined;
  for (const dependency of known.dependencies) used(dependency);
  return known;
}

/**
 * Can calling into `file` rename anything: does it, or a module it imports (to any depth), name a
 * rename? Read from the texts alone, so that a package with no rename anywhere (most of them) is
 * never parsed for its publications. One walk over the import graph, each module visited once:
 * packages import each other in cycles (Babel's), where a walk by paths grows exponentially.
 */
function reachesRename(file: string, crossings: number): boolean {
  const start = `${file}\0${crossings}`;
  const cached = knownReach(start);
  if (cached) return cached.reaches;
  const dependencies: Dependency[] = [];
  building.push(dependencies);
  const visited = new Set<string>();
  const pending: Array<readonly [file: string, crossings: number]> = [[file, crossings]];
  let reaches = false;
  try {
    while (pending.length > 0 && !reaches) {
      const [next, left] = pending.pop() as readonly [string, number];
      const key = `${next}\0${left}`;
      if (visited.has(key)) continue;
      visited.add(key);
      const known = key === start ? undefined : knownReach(key);
      if (known) {
        reaches = known.reaches;
        continue;
      }
      const text = moduleText(next);
      reaches = text.namesRename;
      const own = packageDirOf(next);
      for (const specifier of text.specifiers) {
        const target = resolveModule(specifier, next);
        if (!target) continue;
        const remaining = packageDirOf(target) === own ? left : left - 1;
        if (remaining >= 0 && !visited.has(`${target}\0${remaining}`)) pending.push([target, remaining]);
      }
    }
  } finally {
    building.pop();
  }
  const unique = uniqueDependencies(dependencies);
  // No module of a walk that found nothing reaches a rename: each imports only modules it visited.
  for (const visitedKey of reaches ? [start] : visited) renameReach.set(visitedKey, { reaches, dependencies: unique });
  recordChecked(unique);
  for (const dependency of unique) used(dependency);
  return reaches;
}

/** The installed package a file belongs to (`…/node_modules/@scope/name`), or '' for the project's own files. */
function packageDirOf(file: string): string {
  const root = installedIn(file);
  if (!root) return '';
  const [name] = file.slice(root.length + 1).split(path.sep);
  return path.join(root, name ?? '');
}

const uniqueDependencies = (dependencies: readonly Dependency[]): Dependency[] => [
  ...new Map(dependencies.map((d) => ['file' in d ? `f\0${d.file}` : `r\0${d.from}\0${d.specifier}`, d])).values(),
];

/**
 * `findRenames`: asked by a publication lookup, which has seen that the module's imports reach a
 * rename (`reachesRename`): its text alone (`persist(file, v)` calling another package) shows
 * nothing, and its publications are wanted.
 */
function moduleSummary(
  file: string,
  parsing: ModuleParsing,
  hops: number,
  builder: boolean,
  findRenames?: RenameFinder,
): ModuleSummary | null {
  if (hops <= 0) {
    narrowBudgets(hops, noBudget);
    return null;
  }
  const parser = parsing.languageOptions.parser as object | undefined;
  let parserId = parser ? parserIds.get(parser) : -1;
  if (parserId === undefined) parserIds.set(parser as object, (parserId = nextParserId++));
  const keyFor = (budget: number): string => `${file}\0${parserId}\0${budget}`;
  const key = keyFor(hops);
  const cached = cache.get(key);
  const reuse = (entry: CacheEntry): ModuleSummary | null => {
    used({ file, stamp: entry.stamp });
    for (const dependency of entry.dependencies) used(dependency);
    narrowBudgets(hops, entry.budgets);
    return entry.summary;
  };
  const incomplete = (entry: CacheEntry): boolean =>
    (builder && !!entry.buildersOnly) || (!!findRenames && !entry.withPublications);
  if (
    cached &&
    !incomplete(cached) &&
    (checkedIn.get(key) === lookups || (!!installedIn(file) && recentlyChecked(cached.dependencies)))
  )
    return reuse(cached);
  const stat = statOf(file);
  const stamp = stampOf(file, stat);
  if (!stat) {
    used({ file, stamp });
    return null;
  }
  if (cached && cached.stamp === stamp && !incomplete(cached) && stillCurrent(cached.dependencies)) {
    checkedIn.set(key, lookups);
    explainModule(file, () => 'reused: it and every module and resolution its summary used are unchanged');
    return reuse(cached);
  }
  if (inProgress.has(file)) {
    // A cycle: the answer depends on where the walk entered it.
    onlyThisBudget();
    return null;
  }
  inProgress.add(file);
  let summary: ModuleSummary | null = null;
  let buildersOnly = false;
  let parsed = false;
  let exportsNothing = false;
  const dependencies: Dependency[] = [];
  building.push(dependencies);
  const frame: BudgetFrame = { hops, lo: 1, hi: Infinity };
  budgetFrames.push(frame);
  if (findRenames) onlyThisBudget();
  try {
    if (stat.size <= MAX_BYTES) {
      const text = fs.readFileSync(file, 'utf8');
      parsed = mayMatter(text) || (builder && namesBuilders.test(text));
      // Its summary, read for publications, serves the other lookups too (see `reachesRenameWithin`).
      if (!parsed && findRenames) readForPublications.add(file);
      parsed ||= !!findRenames;
      // What parsing it would give, unparsed: `tokenFree` hands ESLint an empty program for it.
      exportsNothing = parsed && !mayExport(text);
      if (exportsNothing) summary = unexportedSummary(text, !!findRenames);
      else if (parsed) summary = summariseText(text, file, parsing, hops, findRenames);
      else buildersOnly = namesBuilders.test(text);
    }
  } catch {
    summary = null;
  } finally {
    inProgress.delete(file);
    building.pop();
    budgetFrames.pop();
  }
  // A dependency's dependencies are this module's too: an edit two modules away can change it.
  // Its own stamp too: an install that replaces its package changes the directory holding it.
  const unique = uniqueDependencies([{ file, stamp }, ...dependencies]);
  const entry: CacheEntry = {
    stamp,
    summary,
    budgets: { lo: frame.lo, hi: frame.hi },
    dependencies: unique,
    ...(buildersOnly ? { buildersOnly } : {}),
    ...(findRenames ? { withPublications: true } : {}),
  };
  cache.set(key, entry);
  checkedIn.set(key, lookups);
  // The other budgets it holds for, unless they have a summary of this version of the file already.
  for (let budget = Math.max(frame.lo, 1); budget <= Math.min(frame.hi, MAX_HOPS); budget++) {
    if (budget === hops || cache.get(keyFor(budget))?.stamp === stamp) continue;
    cache.set(keyFor(budget), entry);
    checkedIn.set(keyFor(budget), lookups);
  }
  recordChecked(unique);
  explainModule(file, () => {
    const why = !cached
      ? 'read'
      : cached.stamp === stamp
        ? 'read again (a module it used changed)'
        : 'read again (edited)';
    // The parsed modules and their sizes are the summaries' cost in numbers that machine load does not move.
    if (exportsNothing) return `${why}: no summary (exports nothing a summary reads; not parsed)`;
    const read = parsed ? `${why}, ${stat.size} bytes parsed` : why;
    if (summary) return `${read}: summarised exports ${Object.keys(summary.exports).join(', ') || 'none'}`;
    if (parsed) return `${read}: no summary (does not parse)`;
    return `${read}: no summary (${stat.size > MAX_BYTES ? 'over 128 KiB' : 'names no fs call, temp file or re-export'})`;
  });
  return reuse(entry);
}

type Parser = NonNullable<Linter.LanguageOptions['parser']>;
const tokenFreeParsers = new WeakMap<Parser, Parser>();

/**
 * The linted file's parser, handing ESLint no tokens or comments: a summary reads the AST and its
 * scopes only, and ESLint would index every token of every dependency (measured: about 8 % of the
 * CPU time of reading one).
 * Inline configuration is off for dependencies, so their comments say nothing either.
 * A module that exports nothing in a shape a summary reads is handed over as an empty program: its
 * summary has no exports whatever its functions do, and analysing its scopes and running the engine
 * over it was most of the cost of reading it (Next.js's CommonJS build exports through SWC's
 * `_export(exports, { … })` getters: about half of the modules read for summaries of the lint corpus).
 */
function tokenFree(parser: Parser): Parser {
  let wrapped = tokenFreeParsers.get(parser);
  if (wrapped) return wrapped;
  const { parse, parseForESLint } = parser as {
    parse?: (text: string, options: object) => unknown;
    parseForESLint?: (text: string, options: object) => unknown;
  };
  wrapped = {
    meta: { name: `${(parser as { meta?: { name?: string } }).meta?.name ?? 'parser'} (token-free)` },
    parseForESLint(text: string, options: object) {
      const tokenless = { ...options, tokens: false, comment: false };
      const result = (
        parseForESLint ? parseForESLint.call(parser, text, tokenless) : { ast: parse?.call(parser, text, tokenless) }
      ) as { ast: ESTree.Program; visitorKeys?: unknown };
      Object.assign(result.ast, { tokens: [], comments: [] });
      if (exportsAnything(result.ast)) return result;
      // A parser's own scope manager (typescript-eslint's) describes the whole program: ESLint analyses the empty one.
      const { type, sourceType, range, loc } = result.ast;
      const empty = { type, sourceType, range, loc, body: [], tokens: [], comments: [] };
      return { ast: empty, ...(result.visitorKeys ? { visitorKeys: result.visitorKeys } : {}) };
    },
  } as Parser;
  tokenFreeParsers.set(parser, wrapped);
  return wrapped;
}

/**
 * Parses and summarises one module with ESLint's own parser and scopes. Publications need the
 * detector's listeners over ESLint's code paths: a `Linter` run. Other summaries read the module's
 * scopes only (see `module-source.ts`); the `Linter` makes them where that cannot.
 */
function summariseText(
  text: string,
  file: string,
  parsing: ModuleParsing,
  hops: number,
  findRenames?: RenameFinder,
): ModuleSummary | null {
  const summary = findRenames ? undefined : summariseParsed(text, file, parsing, hops);
  return summary !== undefined ? summary : summariseWithLinter(text, file, parsing, hops, findRenames);
}

/** The source types a module is tried as, in order: a `.js` file may be either. */
function sourceTypesOf(file: string): Array<'module' | 'commonjs'> {
  const typescript = /\.[cm]?tsx?$/.test(file);
  return typescript || file.endsWith('.mjs')
    ? ['module']
    : file.endsWith('.cjs')
      ? ['commonjs']
      : ['module', 'commonjs'];
}

/**
 * A summary without publications from the module's source code made as ESLint makes it, without a
 * `Linter` run; undefined when only a `Linter` run can make it. Exported for the tests that compare both.
 */
export function summariseParsed(
  text: string,
  file: string,
  parsing: ModuleParsing,
  hops: number,
): ModuleSummary | null | undefined {
  // The `Linter` run's configuration matches these files only (a `main` without one is not linted).
  if (!scriptExtensions.some((ext) => file.endsWith(ext))) return null;
  const { parser } = parsing.languageOptions;
  const languageOptions = { ...parsing.languageOptions, ...(parser ? { parser: tokenFree(parser) } : {}) };
  const sourceCode = moduleSourceCode(text, file, languageOptions, sourceTypesOf(file));
  if (sourceCode === undefined) return undefined;
  return sourceCode && exportsOf(sourceCode, sourceCode.ast, file, parsing, hops, new Map(), undefined);
}

/** A module's summary from a `Linter` run over it with a rule of the engine's. */
export function summariseWithLinter(
  text: string,
  file: string,
  parsing: ModuleParsing,
  hops: number,
  findRenames?: RenameFinder,
): ModuleSummary | null {
  let result: ModuleSummary | null = null;
  const rule: Rule.RuleModule = {
    meta: { type: 'problem', schema: false },
    create: (context) => {
      // The renames the engine reports in this module are publications of the functions around them.
      const direct = new Map<FunctionNode, DurableWith | undefined>();
      const detector = findRenames
        ? findRenames(context, hops - 1, (rename, syncedOnSomePath) => {
            const fn = publishingFunctionOf(rename);
            if (!fn) return;
            const durableWith = syncedOnSomePath ? durableWithOf(fn, context.sourceCode) : undefined;
            // Fsynced on some paths for a reason other than the caller's options: not the caller's to fix.
            if (syncedOnSomePath && !durableWith) return;
            direct.set(fn, durableWith);
          })
        : {};
      const detectorExit = detector['Program:exit'] as ((node: ESTree.Node) => void) | undefined;
      return {
        ...detector,
        'Program:exit': (program: ESTree.Node) => {
          detectorExit?.(program);
          result = exportsOf(context.sourceCode, program as ESTree.Program, file, parsing, hops, direct, findRenames);
        },
      };
    },
  };
  const parser = parsing.languageOptions.parser;
  // One Linter per module: a summary may need another module's summary in the middle of a run.
  const linter = new Linter({ configType: 'flat', cwd: path.parse(file).root });
  for (const sourceType of sourceTypesOf(file)) {
    const messages = linter.verify(
      text,
      [
        // Dependencies live in node_modules, which flat config ignores by default.
        { ignores: ['!**/node_modules/'] },
        {
          files: scriptExtensions.map((ext) => `**/*${ext}`),
          languageOptions: { ...parsing.languageOptions, ...(parser ? { parser: tokenFree(parser) } : {}), sourceType },
          linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
          plugins: { summary: { rules: { exports: rule } } },
          rules: { 'summary/exports': 'error' },
        },
      ],
      { filename: file },
    );
    if (!messages.some((m) => m.fatal)) return result;
  }
  return null;
}

/** The object literal a never-reassigned `const` is bound to (`const paths = { … }`), when `node` names one. */
function objectBoundTo(sourceCode: SourceCode, node: ESTree.Node): ESTree.ObjectExpression | undefined {
  const variable = node.type === 'Identifier' ? variableOf(sourceCode, node) : undefined;
  return variable ? constObjectLiteral(variable) : undefined;
}

function exportsOf(
  sourceCode: SourceCode,
  program: ESTree.Program,
  file: string,
  parsing: ModuleParsing,
  hops: number,
  direct: ReadonlyMap<FunctionNode, DurableWith | undefined>,
  findRenames: RenameFinder | undefined,
): ModuleSummary {
  const keys = new FileKeys(
    (node) => sourceCode.getScope(node),
    `${file}:`,
    moduleConstants(sourceCode, file, parsing, hops - 1),
  );
  const fileSystems = new FileSystems(sourceCode, keys);
  fileSystems.trackImports(program, {});
  const graph = new CallGraph(sourceCode, keys);
  const summaries = new Summaries(sourceCode, fileSystems, keys, graph, importedSummaries(file, parsing, hops - 1));
  summaries.compute();
  const publications =
    findRenames &&
    new Publications(sourceCode, graph, importedPublications(file, parsing, findRenames), packageNameOf(file), direct);
  const published: Record<string, Publication> = {};
  const exports: Record<string, FunctionSummary> = {};
  const reexports: Record<string, { file: string; name: string }> = {};
  const stars: string[] = [];
  let tableModule: string | undefined;
  const tableMembers: Record<string, string> = {};
  const resolve = (source: string): string | undefined => resolveModule(source, file);
  const fsAdapter = importsFileSystem.test(sourceCode.text);
  const constants = stringExports(sourceCode);

  /** An exported value: a local function's summary, or another module's export. */
  const exportValue = (name: string, exported: ESTree.Node | null | undefined): void => {
    if (!exported) return;
    const n = calleeExpression(exported);
    const required = requiredSource(n);
    if (required !== undefined) {
      if (name === '=' && fsApiTable[required]) tableModule = required;
      else if (fsApiTable[required]) tableMembers[name] = required;
      const target = resolve(required);
      if (target && name === '=') stars.push(target);
      if (target) reexports[name] = { file: target, name: '=' };
      return;
    }
    if (n.type === 'MemberExpression') {
      const source = requiredSource(calleeExpression(n.object as ESTree.Node));
      const property = propertyName(n);
      const target = source !== undefined ? resolve(source) : undefined;
      if (target && property) reexports[name] = { file: target, name: property };
      if (source !== undefined || n.object.type !== 'Identifier') return;
    }
    // `module.exports = { … }`, and `export default { … }` read through the default import; an
    // exported object of functions (`exports.paths = { app: (...p) => join(cwd, ...p) }`, or a `const`
    // bound to one) by its members (`paths.app`).
    const object = n.type === 'ObjectExpression' ? n : objectBoundTo(sourceCode, n);
    if (object && (name === '=' || name === 'default' || name.split('.').length < 3)) {
      const prefix = name === '=' || name === 'default' ? '' : `${name}.`;
      for (const property of object.properties) {
        if (property.type === 'Property' && !property.computed && property.key.type === 'Identifier')
          exportValue(`${prefix}${property.key.name}`, property.value as ESTree.Node);
      }
      return;
    }
    const cls = classOf(sourceCode, n);
    const classPublication = cls && publications?.ofClass(cls);
    if (classPublication) published[name] = classPublication;
    // A class's methods: its statics as members of the export (`Store.replace`, a default export's
    // `replace`), its instance methods as members of its instances (`Store.prototype.save`). An export
    // of that name of the module's own comes first.
    for (const { fn, method, isStatic } of cls ? classMethods(cls) : []) {
      const summary = summaries.summaryOf(fn);
      const holder = isStatic ? (wholeModule(name) ? '' : `${name}.`) : `${instancesOf(name)}.`;
      if (summary) exports[`${holder}${method}`] ??= summary;
    }
    // `new C(tmp)` in a caller: the object's fields keep the paths its constructor was given. An fs
    // adapter's class named like an fs member (fs-minipass's `WriteStream`) is read as that member.
    const constructed = cls && summaries.constructedSummary(cls);
    if (constructed && !(fsAdapter && tableSummary('fs', name))) exports[name] ??= constructed;
    // `export const fsync = promisify(fs.fsync)`: that member, settled by its promise; also through a
    // `const` (`const $write = promisify(fs.writeFile); exports.$write = $write`).
    const bound = n.type === 'Identifier' ? initialiserOf(sourceCode.getScope(n), n.name) : undefined;
    const promisified = promisifiedFunction(n) ?? (bound && promisifiedFunction(bound));
    const inner = promisified && graph.valueOf(promisified);
    const member = inner?.kind === 'import' ? tableSummary(inner.source, inner.name) : undefined;
    if (member) {
      exports[name] = { ...member, style: 'promise' };
      return;
    }
    const value = graph.valueOf(n);
    if (value?.kind === 'import') {
      // `exports.fs = fse` of `const fse = require('fs-extra')`, `import * as fs from 'fs'`;
      // `exports.fsp = fs.promises` (Babel's `export { promises as fsp } from 'node:fs'`).
      const table = tableModuleOf(value.source, value.name);
      if (table) tableMembers[name] = table;
      // An fs adapter re-exporting Node's own functions (`exports.renameSync = fs.renameSync`).
      const builtin = tableSummary(value.source, value.name);
      if (builtin) exports[name] = builtin;
      const target = resolve(value.source);
      if (target) reexports[name] = { file: target, name: value.name };
      return;
    }
    const fn = value?.kind === 'local' ? value.fn : undefined;
    const summary = fn && summaries.summaryOf(fn);
    if (summary) exports[name] = summary;
    const publication = fn && publications?.ofFunction(fn);
    if (publication) published[name] = publication;
  };

  visitExports(program, {
    value: exportValue,
    reexport: (source, names) => {
      const from = resolve(source);
      for (const [exported, local] of names) {
        // `export { rename, writeFile } from 'fs-extra'`: the table's members themselves.
        const builtin = tableSummary(source, local);
        if (builtin) exports[exported] = builtin;
        // `export { default as fs } from 'fs-extra'`, `export { promises as fsp } from 'node:fs'`.
        const table = tableModuleOf(source, local);
        if (table) tableMembers[exported] = table;
        if (from) reexports[exported] = { file: from, name: local };
      }
    },
    star: (source, asNamespace) => {
      if (!asNamespace && fsApiTable[source]) tableModule = source;
      const target = resolve(source);
      if (target && !asNamespace) stars.push(target);
    },
  });
  return {
    exports,
    reexports,
    stars,
    fsAdapter,
    ...(tableModule ? { tableModule } : {}),
    ...(Object.keys(tableMembers).length > 0 ? { tableMembers } : {}),
    ...(publications ? { publications: published } : {}),
    ...(Object.keys(constants).length > 0 ? { constants } : {}),
  };
}

/** The fs API table module an import is: the module whole (`fs-extra`), or its `promises` (`fs.promises`). */
function tableModuleOf(source: string, name: string): string | undefined {
  const table = wholeModule(name) ? source : `${source}.${name}`;
  return fsApiTable[table] ? table : undefined;
}

/** What a module's top-level statements export, in the shapes a summary reads. */
interface ExportSites {
  /** `export function f`, `exports.f = …`, `module.exports = …` (`=`): a value exported under a name. */
  value(name: string, node: ESTree.Node | null | undefined): void;
  /** `export { local as exported } from 'source'`. */
  reexport(source: string, names: ReadonlyArray<readonly [exported: string, local: string]>): void;
  /** `export * from 'source'` (`export * as ns from` is `asNamespace`), `__exportStar(require('source'), exports)`. */
  star(source: string, asNamespace: boolean): void;
}

function visitExports(program: ESTree.Program, sites: ExportSites): void {
  const namespace = esbuildNamespace(program);
  for (const statement of program.body) {
    switch (statement.type) {
      case 'ExportNamedDeclaration': {
        const names = statement.specifiers.map((specifier) => {
          const exported =
            specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value);
          const local = specifier.local.type === 'Identifier' ? specifier.local.name : String(specifier.local.value);
          return [exported, local] as const;
        });
        if (statement.source) {
          if (typeof statement.source.value === 'string') sites.reexport(statement.source.value, names);
        } else statement.specifiers.forEach((specifier, i) => sites.value(names[i]?.[0] ?? '', specifier.local));
        const declaration = statement.declaration;
        if ((declaration?.type === 'FunctionDeclaration' || declaration?.type === 'ClassDeclaration') && declaration.id)
          sites.value(declaration.id.name, declaration);
        if (declaration?.type === 'VariableDeclaration') {
          for (const d of declaration.declarations) if (d.id.type === 'Identifier') sites.value(d.id.name, d.init);
        }
        break;
      }
      case 'ExportDefaultDeclaration':
        sites.value('default', statement.declaration as ESTree.Node);
        break;
      case 'ExportAllDeclaration':
        if (typeof statement.source.value === 'string') sites.star(statement.source.value, !!statement.exported);
        break;
      case 'TSExportAssignment' as never:
        sites.value('=', (statement as unknown as { expression: ESTree.Node }).expression);
        break;
      case 'ExpressionStatement':
        commonJsExport(statement.expression, sites.value, (source) => sites.star(source, false), namespace);
        break;
      default:
        break;
    }
  }
}

/**
 * Marks of SWC's CommonJS output (Next.js's `dist/`) that name `exports` in no shape a summary reads:
 * `Object.defineProperty(exports, "__esModule", …)`, `0 && (module.exports = { … })` (a hint for
 * cjs-module-lexer, never run) and `_export(exports, { … })` (getters).
 */
const swcExportMarks =
  /Object\.defineProperty\(exports,\s*["']__esModule["']|\b0\s*&&\s*\(module\.exports\s*=|\b_export\(exports,/g;

/**
 * May the module export anything in a shape a summary reads (see `visitExports`)? False only when
 * its text names no `exports` and no `export` statement (the word followed by a quote, a dot, a colon
 * or a hyphen is prose in a string: `"output: export"`), SWC's marks aside. Such a module's summary is
 * known without parsing it: in the lint corpus, 14 of the 96 modules parsed for summaries (177 KB of
 * 850 KB), all Next.js's CommonJS build.
 */
const mayExport = (text: string): boolean =>
  /exports|__export\b|\bexport\b(?!["'`.:-])/.test(text.replace(swcExportMarks, ''));

/**
 * The summary `exportsOf` gives a module that exports nothing a summary reads (the empty program
 * `tokenFree` hands ESLint for it): no exports, and an fs adapter when it imports a file system.
 */
const unexportedSummary = (text: string, withPublications: boolean): ModuleSummary => ({
  exports: {},
  reexports: {},
  stars: [],
  fsAdapter: importsFileSystem.test(text),
  ...(withPublications ? { publications: {} } : {}),
});

/** Does the module export anything a summary reads? */
function exportsAnything(program: ESTree.Program): boolean {
  let found = false;
  visitExports(program, {
    value: (_name, node) => {
      found ||= !!node;
    },
    reexport: () => {
      found = true;
    },
    star: () => {
      found = true;
    },
  });
  return found;
}

/** The class an exported value is: a class declaration or expression, or a binding of one. */
function classOf(
  sourceCode: SourceCode,
  node: ESTree.Node,
): ESTree.ClassDeclaration | ESTree.ClassExpression | undefined {
  if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return node;
  if (node.type !== 'Identifier') return undefined;
  const def = variableOf(sourceCode, node)?.defs[0];
  return def?.type === 'ClassName' ? (def.node as ESTree.ClassDeclaration) : undefined;
}

const packageNames = new Map<string, string>();

/** The named methods of a class (not its constructor, accessors or computed keys). */
function classMethods(
  cls: ESTree.ClassDeclaration | ESTree.ClassExpression,
): Array<{ fn: FunctionNode; method: string; isStatic: boolean }> {
  const methods: Array<{ fn: FunctionNode; method: string; isStatic: boolean }> = [];
  for (const element of cls.body.body) {
    if (element.type !== 'MethodDefinition' || element.kind !== 'method' || element.computed) continue;
    if (element.key.type === 'Identifier' && isFunctionNode(element.value))
      methods.push({ fn: element.value, method: element.key.name, isStatic: element.static });
  }
  return methods;
}

/** The name of the package a file belongs to (its nearest package.json with a name), for messages. */
export function packageNameOf(file: string): string {
  const dir = path.dirname(file);
  const known = packageNames.get(dir);
  if (known !== undefined) return known;
  let name = path.basename(dir);
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: unknown };
      if (typeof manifest.name === 'string') {
        name = manifest.name;
        break;
      }
    } catch {
      // No manifest here: look further up.
    }
    if (path.dirname(d) === d) break;
  }
  packageNames.set(dir, name);
  return name;
}

const importsFileSystem = /(?:\bfrom\s*|\brequire\s*\(\s*)['"](?:node:)?(?:fs|fs\/promises|graceful-fs|fs-extra)['"]/;

/** The summary of an fs API table member, for modules that re-export it. */
function tableSummary(source: string, name: string): FunctionSummary | undefined {
  const member = fsApiTable[source]?.find((m) => m.name === name);
  if (!member) return undefined;
  const param = (i: number | undefined): PathTemplate | undefined =>
    i === undefined ? undefined : FileKey.tracked(term.slot(i));
  const style = member.style === 'universal' ? 'callback' : member.style;
  const from = param(member.path);
  switch (member.kind) {
    case 'write':
    case 'stream':
      return from && { style, syncs: false, write: from };
    case 'rename': {
      const to = param(member.destination);
      return from && { style, syncs: false, rename: { from, ...(to ? { to } : {}) } };
    }
    case 'sync':
      return { style, syncs: true };
    // An adapter's `open` (`export const open = promisify(fs.open)`): what it returns (or hands its
    // callback) is a descriptor on its path, which the adapter's `write(fd, …)` then writes.
    case 'open':
      return from && { style, syncs: false, returns: new FileKey(term.slot('call')), returnsHandles: { '': from } };
    default:
      return undefined;
  }
}

/** `module.exports = …`, `exports.f = …`, `Object.defineProperty(exports, 'f', { get })`, `__exportStar(require(…), exports)`. */
/**
 * The export an assignment target names: `exports.f` and `module.exports.f` are `f`, and a member of
 * an export (`module.exports.put.stream`) is `put.stream`, as callers write it.
 */
function exportedName(target: ESTree.MemberExpression): string | undefined {
  const names: string[] = [];
  let n: ESTree.Node = target;
  while (n.type === 'MemberExpression') {
    const name = propertyName(n);
    if (!name) return undefined;
    const object = n.object as ESTree.Node;
    if (object.type === 'Identifier' && object.name === 'exports') return [name, ...names].join('.');
    if (name === 'exports' && object.type === 'Identifier' && object.name === 'module')
      return names.length > 0 ? names.join('.') : undefined;
    names.unshift(name);
    n = object;
  }
  return undefined;
}

/**
 * The object esbuild's CommonJS output (tsup's too) exports: `X` of `module.exports = __toCommonJS(X)`,
 * whose getters `__export(X, { name: () => value })` defines. Other `__export` calls of a bundle make
 * namespace objects of its inner modules, not the module's exports.
 */
function esbuildNamespace(program: ESTree.Program): string | undefined {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement') continue;
    const e = statement.expression;
    if (
      e.type === 'AssignmentExpression' &&
      e.left.type === 'MemberExpression' &&
      e.left.object.type === 'Identifier' &&
      e.left.object.name === 'module' &&
      propertyName(e.left) === 'exports' &&
      e.right.type === 'CallExpression' &&
      e.right.callee.type === 'Identifier' &&
      e.right.callee.name === '__toCommonJS' &&
      e.right.arguments[0]?.type === 'Identifier'
    )
      return e.right.arguments[0].name;
  }
  return undefined;
}

/** The value a getter returns (`() => value`, `function () { return value; }`). */
function getterValue(getter: ESTree.Node | undefined): ESTree.Node | undefined {
  if (!getter || !isFunctionNode(getter)) return undefined;
  const body = (getter as ESTree.FunctionExpression | ESTree.ArrowFunctionExpression).body;
  return body.type === 'BlockStatement'
    ? (body.body.find((s): s is ESTree.ReturnStatement => s.type === 'ReturnStatement')?.argument ?? undefined)
    : body;
}

function commonJsExport(
  expression: ESTree.Expression,
  exportValue: (name: string, value: ESTree.Node | null | undefined) => void,
  star: (source: string) => void,
  namespace?: string,
): void {
  const pending: ESTree.Expression[] =
    expression.type === 'SequenceExpression' ? [...expression.expressions] : [expression];
  while (pending.length > 0) {
    const e = pending.pop() as ESTree.Expression;
    if (e.type === 'AssignmentExpression' && e.left.type === 'MemberExpression') {
      const target = e.left;
      const name = propertyName(target);
      const object = target.object;
      if (object.type === 'Identifier' && object.name === 'module' && name === 'exports') exportValue('=', e.right);
      else {
        const exported = exportedName(target);
        if (exported) exportValue(exported, e.right);
      }
      // `exports.a = exports.b = void 0` chains: only the innermost assignment has a value.
      if (e.right.type === 'AssignmentExpression') pending.push(e.right);
    } else if (e.type === 'CallExpression') {
      const name =
        (e.callee.type === 'Identifier'
          ? e.callee.name
          : e.callee.type === 'MemberExpression'
            ? propertyName(e.callee)
            : undefined) ?? '';
      const [target, getters] = e.arguments;
      if (
        name === '__export' &&
        namespace !== undefined &&
        target?.type === 'Identifier' &&
        target.name === namespace &&
        getters?.type === 'ObjectExpression'
      ) {
        // esbuild's `__export(src_exports, { save: () => save })`.
        for (const p of getters.properties) {
          if (p.type !== 'Property' || p.computed) continue;
          const exported = propertyKeyName(p);
          const value = getterValue(p.value as ESTree.Node);
          if (exported !== undefined && value) exportValue(exported, value);
        }
      } else if (/exportStar|__export$/.test(name)) {
        const source = requiredSource(e.arguments[0] as ESTree.Node);
        if (source !== undefined) star(source);
      } else if (name === 'defineProperty' && e.arguments[2]?.type === 'ObjectExpression') {
        const exported = getStringIfConstant(e.arguments[1] as never);
        const getter = e.arguments[2].properties.find(
          (p): p is ESTree.Property =>
            p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'get',
        );
        const returned = getterValue(getter?.value as ESTree.Node | undefined);
        if (typeof exported === 'string' && returned) exportValue(exported, returned);
      }
    }
  }
}
