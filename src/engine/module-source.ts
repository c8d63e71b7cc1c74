/**
 * Another module's `SourceCode` for its summary, made without a `Linter` run: the steps ESLint's
 * JavaScript language takes before any rule runs (parse, scope analysis, globals) and nothing else.
 * `Linter#verify` would also build a configuration for each module and walk its AST with code-path
 * analysis, for listeners a summary without publications does not have.
 *
 * The scopes must come out as the linted file's do, so the analysis is the host ESLint's own:
 * eslint-scope and eslint-visitor-keys resolved from the directory of the `eslint` package that
 * `Linter` comes from (ESLint 9 depends on eslint-scope 8, ESLint 10 on eslint-scope 9; resolving
 * from ESLint's real directory finds its own copies under npm, pnpm and Yarn alike), called with the
 * options its JavaScript language passes (`lib/languages/js/index.js`, read in ESLint 9.34, 9.39, 10.0
 * and 10.15). Anything else (another major version, a package that does not resolve, an analysis
 * that throws) gives `undefined`, and the caller runs the `Linter` instead.
 */
import { createRequire } from 'node:module';
import { Linter, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { walkByKeys } from '../ast.js';

type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

interface HostScopeAnalysis {
  readonly analyze: (ast: ESTree.Program, options: object) => NonNullable<SourceCode['scopeManager']>;
  readonly keys: VisitorKeys;
  readonly keysOf: (node: object) => readonly string[];
  /** ESLint 9 passes parsers `raw: true` and the analysis no `jsx`; ESLint 10 the other way round. */
  readonly major: 9 | 10;
}

let host: HostScopeAnalysis | null | undefined;

function hostScopeAnalysis(): HostScopeAnalysis | null {
  if (host !== undefined) return host;
  host = null;
  try {
    const major = Number(Linter.version.split('.')[0]);
    if (major !== 9 && major !== 10) return host;
    const requireHere = createRequire(import.meta.url);
    const eslintMain = requireHere.resolve('eslint');
    // The package `Linter` came from, not another copy that happens to resolve.
    if ((requireHere(eslintMain) as { Linter?: unknown }).Linter !== Linter) return host;
    const fromEslint = createRequire(eslintMain);
    const scope = fromEslint('eslint-scope') as Partial<Pick<HostScopeAnalysis, 'analyze'>>;
    const visitorKeys = fromEslint('eslint-visitor-keys') as {
      KEYS?: VisitorKeys;
      getKeys?: (node: object) => string[];
    };
    const { analyze } = scope;
    const { KEYS, getKeys } = visitorKeys;
    if (typeof analyze !== 'function' || typeof getKeys !== 'function' || !KEYS) return host;
    host = { analyze, keys: KEYS, keysOf: getKeys, major };
  } catch {
    host = null;
  }
  return host;
}

interface ParseResult {
  readonly ast: ESTree.Program;
  readonly services?: SourceCode.ParserServices;
  readonly visitorKeys?: VisitorKeys;
  readonly scopeManager?: SourceCode['scopeManager'];
}

interface ModuleParser {
  readonly parse?: (text: string, options: object) => ESTree.Program;
  readonly parseForESLint?: (text: string, options: object) => ParseResult;
}

type Step = { kind: 1; phase: 1; target: ESTree.Node; args: [ESTree.Node] };

/** The walk each module source code was given (`SourceCode` objects are frozen). */
const walks = new WeakMap<SourceCode, Step[]>();

/** A source code whose traversal is a plain walk: a summary without publications reads no code paths. */
class ModuleSourceCode extends SourceCode {
  override traverse(): Step[] {
    return walks.get(this) ?? [];
  }
}

/**
 * The module's source code as ESLint would make it with `languageOptions` (the linted file's, parser
 * wrapped) for the first of `sourceTypes` it parses as; null when it parses as none (ESLint's fatal
 * parsing error), undefined when it must be made by a `Linter` run.
 */
export function moduleSourceCode(
  text: string,
  file: string,
  languageOptions: Linter.LanguageOptions,
  sourceTypes: ReadonlyArray<'module' | 'commonjs'>,
): SourceCode | null | undefined {
  const analysis = hostScopeAnalysis();
  const parser = languageOptions.parser as ModuleParser | undefined;
  // `'latest'` is ESLint's newest version, which only its configuration knows.
  if (!analysis || !parser || typeof languageOptions.ecmaVersion !== 'number') return undefined;
  const ecmaVersion = normalizedEcmaVersion(languageOptions.ecmaVersion);
  const parserOptions = (languageOptions.parserOptions ?? {}) as Linter.ParserOptions;
  const hasBOM = text.charCodeAt(0) === 0xfeff;
  const body = hasBOM ? text.slice(1) : text;
  const toParse = body.replace(/^#!([^\r\n]+)/u, (_, rest: string) => `//${rest}`);
  for (const sourceType of sourceTypes) {
    const options = Object.assign({ ecmaVersion, sourceType }, parserOptions, {
      loc: true,
      range: true,
      ...(analysis.major === 9 ? { raw: true } : {}),
      tokens: true,
      comment: true,
      eslintVisitorKeys: true,
      eslintScopeManager: true,
      filePath: file,
    });
    let parsed: ParseResult;
    try {
      parsed = parser.parseForESLint
        ? parser.parseForESLint(toParse, options)
        : { ast: (parser.parse as NonNullable<ModuleParser['parse']>)(toParse, options) };
    } catch {
      continue;
    }
    try {
      const { ast, services = {}, visitorKeys = analysis.keys } = parsed;
      const ecmaFeatures = parserOptions.ecmaFeatures ?? {};
      const scopeManager =
        parsed.scopeManager ??
        analysis.analyze(ast, {
          ignoreEval: true,
          nodejsScope: ecmaFeatures.globalReturn,
          impliedStrict: ecmaFeatures.impliedStrict,
          ecmaVersion,
          sourceType,
          childVisitorKeys: visitorKeys,
          fallback: analysis.keysOf,
          ...(analysis.major === 10 ? { jsx: ecmaFeatures.jsx } : {}),
        });
      const sourceCode = new ModuleSourceCode({
        text: body,
        ast: ast as SourceCode.Config['ast'],
        hasBOM,
        parserServices: services,
        scopeManager,
        visitorKeys: visitorKeys as SourceCode.VisitorKeys,
      });
      // Before anything reads a scope: `getScope` climbs `parent` links, which ESLint's traversal sets.
      walks.set(sourceCode, walk(ast, visitorKeys, analysis.keysOf));
      const withGlobals = sourceCode as unknown as {
        applyLanguageOptions(options: Linter.LanguageOptions): void;
        finalize(): void;
      };
      withGlobals.applyLanguageOptions({ ...languageOptions, ecmaVersion, sourceType });
      withGlobals.finalize();
      return sourceCode;
    } catch {
      return undefined;
    }
  }
  return null;
}

/** ESLint's normalisation of a configured `ecmaVersion` number (3, 5, 6 → 2015, …). */
function normalizedEcmaVersion(ecmaVersion: number): Linter.EcmaVersion {
  if (ecmaVersion === 3 || ecmaVersion === 5) return ecmaVersion;
  return (ecmaVersion >= 2015 ? ecmaVersion : ecmaVersion + 2009) as Linter.EcmaVersion;
}

/** Every node in the order ESLint's `Traverser` enters them, each given its `parent` as it does. */
function walk(ast: ESTree.Program, keys: VisitorKeys, keysOf: (node: object) => readonly string[]): Step[] {
  const steps: Step[] = [];
  walkByKeys(
    ast,
    (node) => keys[node.type] ?? keysOf(node),
    (node, parent) => {
      (node as { parent?: ESTree.Node | null }).parent = parent;
      steps.push({ kind: 1, phase: 1, target: node, args: [node] });
    },
  );
  return steps;
}
