/**
 * Imports a fix needs and imports a fix made unused, planned together so that one fix never adds a
 * duplicate import, never leaves an unused fs import, and edits each declaration once.
 *
 * ESM files get `import { name } from 'source'` (merged into an existing import from that source);
 * CommonJS files get `const { name } = require('source')` next to their other requires. An existing
 * namespace, default or `require` binding is used as `binding.name` instead of importing anything.
 */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { isBuiltin } from 'node:module';
import { findVariable, getStringIfConstant } from '@eslint-community/eslint-utils';
import { fsApiTable } from '../fs-api.js';
import { code, type FileStyle } from './file-style.js';
import { isRemovedBy, lineEnding, rangeOf, removeStatement, within, type Removal, type TextEdit } from './text.js';
import { variableOf } from '../engine/scope.js';

/** Where a name lives: `{ source: 'fs', path: ['promises'] }` is `fs.promises.<name>`. */
export interface ModulePath {
  readonly source: string;
  readonly path: readonly string[];
  /** Node built-ins export everything on their default export too. */
  readonly hasDefault?: boolean;
}

/** The file-system modules of the fs API table. */
export const fsSources: ReadonlySet<string> = new Set(
  Object.keys(fsApiTable).map((key) => key.split('.')[0] as string),
);

/** Node built-ins load without side effects a program relies on: an import of one can go once unused. */
const isDroppable = (source: string): boolean => fsSources.has(source) || isBuiltin(source);

type NamedList = ESTree.ImportDeclaration | ESTree.ObjectPattern;
type Declaration = ESTree.ImportDeclaration | ESTree.VariableDeclaration;

interface Binding {
  /** How code refers to `name` through this binding, or undefined when the name must be added. */
  readonly text?: string;
  /** The named list the name can be added to. */
  readonly list?: NamedList;
}

/** `require('x')`, `require('x').a.b`: the source and the member path, or undefined. */
export const requireSource = (node: ESTree.Node | null | undefined): { source: string; path: string[] } | undefined => {
  const path: string[] = [];
  let n = node;
  while (n?.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') {
    path.unshift(n.property.name);
    n = n.object as ESTree.Node;
  }
  if (n?.type !== 'CallExpression' || n.callee.type !== 'Identifier' || n.callee.name !== 'require') return undefined;
  const source = n.arguments[0] ? getStringIfConstant(n.arguments[0] as never) : null;
  return typeof source === 'string' ? { source, path } : undefined;
};

const importedName = (s: ESTree.ImportSpecifier): string =>
  s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);

const keyName = (p: ESTree.Property | ESTree.RestElement): string | undefined =>
  p.type === 'Property' && !p.computed && p.key.type === 'Identifier' ? p.key.name : undefined;

/** Declared by a statement of the program itself (not inside a function or block)? */
function isTopLevel(node: ESTree.Node): boolean {
  let n: ESTree.Node | undefined = node;
  while (n) {
    const parent: ESTree.Node | undefined = (n as { parent?: ESTree.Node }).parent;
    if (parent?.type === 'Program') return true;
    if (!parent || /Function|BlockStatement|StaticBlock|Class/.test(parent.type)) return false;
    n = parent;
  }
  return false;
}

/**
 * The program's top-level statements that bring modules in (imports, `import x = require()`,
 * declarations initialised by `require`) and its directives, in order. Kept per file: every fix of
 * a file asks, and a bundle's top level can hold tens of thousands of statements.
 */
interface ModuleStatements {
  readonly imports: readonly ESTree.Node[];
  readonly directives: readonly ESTree.Node[];
}

const moduleStatementsCache = new WeakMap<SourceCode, ModuleStatements>();

function moduleStatementsOf(sourceCode: SourceCode): ModuleStatements {
  let found = moduleStatementsCache.get(sourceCode);
  if (found) return found;
  const imports: ESTree.Node[] = [];
  const directives: ESTree.Node[] = [];
  for (const s of sourceCode.ast.body as ESTree.Node[]) {
    if (s.type === 'ImportDeclaration' || (s.type as string) === 'TSImportEqualsDeclaration') imports.push(s);
    else if (s.type === 'VariableDeclaration' && s.declarations.some((d) => requireSource(d.init))) imports.push(s);
    else if ('directive' in s && s.directive) directives.push(s);
  }
  found = { imports, directives };
  moduleStatementsCache.set(sourceCode, found);
  return found;
}

/** Builtins, then packages, then relative paths: the groups of eslint-plugin-import's `order` and Biome's import sorting. */
const groupOf = (source: string): number =>
  isBuiltin(source) ? 0 : source.startsWith('.') || source.startsWith('/') ? 2 : 1;

const sourceOf = (statement: ESTree.Node): string | undefined =>
  statement.type === 'ImportDeclaration'
    ? String(statement.source.value)
    : statement.type === 'VariableDeclaration'
      ? statement.declarations.map((d) => requireSource(d.init)?.source).find((source) => source !== undefined)
      : undefined;

interface Placement {
  readonly after?: ESTree.Node;
  readonly before?: ESTree.Node;
  /** No import of the file is in the new import's group: it opens one. */
  readonly opensGroup: boolean;
}

/**
 * Where a new import of `source` goes in a file whose imports are grouped (builtins, packages,
 * relative): in its group, in order when the group is sorted, else at the group's end. Undefined
 * when the file's imports are not grouped that way: then after the last one.
 */
function placeInGroups(imports: readonly ESTree.Node[], source: string): Placement | undefined {
  const sources = imports.map(sourceOf);
  if (sources.length === 0 || sources.some((s) => s === undefined)) return undefined;
  const groups = (sources as string[]).map(groupOf);
  if (groups.some((g, i) => i > 0 && g < (groups[i - 1] as number))) return undefined;
  const group = groupOf(source);
  const same = imports.filter((_, i) => groups[i] === group);
  if (same.length > 0) {
    const names = same.map((s) => sourceOf(s) as string);
    const sorted = names.every((n, i) => i === 0 || (names[i - 1] as string).localeCompare(n, 'en') <= 0);
    if (!sorted) return { after: same.at(-1), opensGroup: false };
    const before = same.filter((s) => (sourceOf(s) as string).localeCompare(source, 'en') < 0).at(-1);
    return before ? { after: before, opensGroup: false } : { before: same[0], opensGroup: false };
  }
  const earlier = imports.filter((_, i) => (groups[i] as number) < group).at(-1);
  return earlier
    ? { after: earlier, opensGroup: true }
    : { before: imports.find((_, i) => (groups[i] as number) > group), opensGroup: true };
}

const blankLine = /\n[ \t]*\r?\n/;

/**
 * Does the file set its import groups apart with a blank line? Yes when every two neighbouring
 * imports of different groups have one between them, and when no two are neighbours: a file of one
 * group says nothing, and a blank line is what simple-import-sort and import/order's
 * `newlines-between: "always"` require while their defaults accept it.
 */
function separatesGroups(sourceCode: SourceCode, imports: readonly ESTree.Node[]): boolean {
  return imports.every((statement, i) => {
    const previous = imports[i - 1];
    if (!previous) return true;
    const [a, b] = [sourceOf(previous), sourceOf(statement)];
    if (a === undefined || b === undefined || groupOf(a) === groupOf(b)) return true;
    return blankLine.test(sourceCode.text.slice(rangeOf(previous)[1], rangeOf(statement)[0]));
  });
}

/** The order of simple-import-sort (and Biome's) inside braces: case-insensitive, numbers by value. */
const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const isSorted = (names: ReadonlyArray<string | undefined>): boolean =>
  names.every((n, i) => n !== undefined && (i === 0 || byName.compare(names[i - 1] as string, n) <= 0));

/** The name a list item brings in: `b` of `{ b as c }` and of `{ b: c }`. */
const listedName = (item: ESTree.Node): string | undefined =>
  item.type === 'ImportSpecifier'
    ? importedName(item)
    : item.type === 'Property' || item.type === 'RestElement'
      ? keyName(item)
      : undefined;

/** The texts of a named list with `added` among them: in order when the list is sorted, else after. */
function inOrder(items: ReadonlyArray<readonly [string | undefined, string]>, added: Iterable<string>): string[] {
  const entries = [...items];
  const sorted = isSorted(entries.map(([name]) => name));
  for (const name of sorted ? [...added].sort(byName.compare) : added) {
    const at = sorted ? entries.findIndex(([key]) => byName.compare(key as string, name) > 0) : -1;
    entries.splice(at === -1 ? entries.length : at, 0, [name, name]);
  }
  return entries.map(([, text]) => text);
}

/** White space and comments: a `//` line is not the `/` of a regular expression the statement runs into. */
const trivia = /(?:\s+|\/\/[^\n\r\u2028\u2029]*|\/\*[\s\S]*?\*\/)*/y;

/**
 * `statements` to insert at `at`, the last one ended with `;` when the code there starts a line that
 * would otherwise run into it: without semicolons, ASI does not apply before `(`, `[`, a template,
 * `+`, `-` or `/`.
 */
function guardedBefore(statements: readonly string[], text: string, at: number): string[] {
  const guarded = [...statements];
  const last = guarded.length - 1;
  trivia.lastIndex = at;
  trivia.exec(text);
  if (last >= 0 && !guarded[last]?.endsWith(';') && /[([`+\-/]/.test(text.charAt(trivia.lastIndex)))
    guarded[last] += ';';
  return guarded;
}

export class ImportPlan {
  readonly #sourceCode: SourceCode;
  /** How the file is written: what added code must look like. */
  readonly style: FileStyle;
  /** Names to add to an existing named list. */
  readonly #additions = new Map<NamedList, Set<string>>();
  /** Names to import with a new statement, by source. */
  readonly #created = new Map<string, Set<string>>();
  /** Names this plan introduces, so that two requests share one import. */
  readonly #introduced = new Map<string, string>();
  readonly #removals = new Set<ESTree.Node>();
  readonly #dropRoots: ESTree.Identifier[] = [];
  readonly #removal: { removed: Array<readonly [number, number]>; carried: Array<readonly [number, number]> } = {
    removed: [],
    carried: [],
  };

  constructor(sourceCode: SourceCode, style: FileStyle) {
    this.#sourceCode = sourceCode;
    this.style = style;
  }

  /**
   * Text naming `name` from the first of `modules` the file already imports (else from
   * `modules[0]`, with a new import), valid at `at`. Undefined when the name would clash with a
   * binding already in scope, or when a new import is needed and the file's module system is unclear.
   */
  ref(modules: readonly ModulePath[], name: string, at: ESTree.Node): string | undefined {
    const key = `${modules[0]?.source}:${name}`;
    const planned = this.#introduced.get(key);
    if (planned) return planned;
    const found = modules.flatMap((m) => this.#bindings(m, name));
    const direct = found.find((b) => b.text !== undefined);
    if (direct?.text) return this.#resolvesAt(direct.text, at) ? direct.text : undefined;
    if (findVariable(this.#sourceCode.getScope(at), name) || [...this.#introduced.values()].includes(name))
      return undefined;
    const list = found.find((b) => b.list)?.list;
    if (!list && this.style.module === 'unknown') return undefined;
    if (list) {
      this.#additions.set(list, (this.#additions.get(list) ?? new Set()).add(name));
    } else {
      const source = modules[0]?.source as string;
      this.#created.set(source, (this.#created.get(source) ?? new Set()).add(name));
    }
    this.#introduced.set(key, name);
    return name;
  }

  /** Whether the root binding of `text` at `at` is still the module binding (not shadowed). */
  #resolvesAt(text: string, at: ESTree.Node): boolean {
    const root = text.split('.')[0] as string;
    const variable = findVariable(this.#sourceCode.getScope(at), root) as Scope.Variable | null;
    return !!variable && variable.defs.some((d) => isTopLevel(d.name as ESTree.Node));
  }

  #bindings(m: ModulePath, name: string): Binding[] {
    const found: Binding[] = [];
    const member = (base: string, path: readonly string[]): string => [base, ...path, name].join('.');
    for (const statement of moduleStatementsOf(this.#sourceCode).imports) {
      if (statement.type === 'ImportDeclaration') {
        if (statement.source.value !== m.source || (statement as { importKind?: string }).importKind === 'type')
          continue;
        for (const s of statement.specifiers) {
          if ((s as { importKind?: string }).importKind === 'type') continue;
          if (s.type === 'ImportNamespaceSpecifier' || (s.type === 'ImportDefaultSpecifier' && m.hasDefault)) {
            found.push({ text: member(s.local.name, m.path) });
          } else if (s.type === 'ImportSpecifier' && importedName(s) === (m.path[0] ?? name)) {
            found.push({ text: m.path.length ? member(s.local.name, m.path.slice(1)) : s.local.name });
          }
        }
        const named =
          statement.specifiers.some((s) => s.type === 'ImportSpecifier') || statement.specifiers.length === 0;
        if (m.path.length === 0 && named && statement.specifiers.length > 0) found.push({ list: statement });
      } else if (statement.type === 'VariableDeclaration') {
        for (const d of statement.declarations) {
          const required = requireSource(d.init);
          if (required?.source !== m.source || !required.path.every((p, i) => m.path[i] === p)) continue;
          const rest = m.path.slice(required.path.length);
          if (d.id.type === 'Identifier') found.push({ text: member(d.id.name, rest) });
          else if (d.id.type === 'ObjectPattern') {
            for (const p of d.id.properties) {
              if (keyName(p) === (rest[0] ?? name) && p.type === 'Property' && p.value.type === 'Identifier') {
                found.push({ text: rest.length ? member(p.value.name, rest.slice(1)) : p.value.name });
              }
            }
            if (rest.length === 0) found.push({ list: d.id });
          }
        }
      } else if ((statement.type as string) === 'TSImportEqualsDeclaration') {
        const ts = statement as unknown as {
          id: ESTree.Identifier;
          moduleReference: { type: string; expression?: ESTree.Node };
        };
        const source = ts.moduleReference.expression
          ? getStringIfConstant(ts.moduleReference.expression as never)
          : null;
        if (ts.moduleReference.type === 'TSExternalModuleReference' && source === m.source)
          found.push({ text: member(ts.id.name, m.path) });
      }
    }
    return found;
  }

  /**
   * Removes the fs import bindings among `roots` whose every reference the fix removes (in a
   * removed range, outside the nodes it carries into its replacement): it took away their last use.
   */
  dropUnused(roots: readonly ESTree.Identifier[], removal: Removal): void {
    // Several rewrites can share one plan (the codemod fixes a whole file at once): a binding goes
    // when the union of everything they removed covers all its uses, decided in `edits()`.
    this.#dropRoots.push(...roots);
    this.#removal.removed.push(...removal.removed);
    this.#removal.carried.push(...removal.carried);
  }

  #resolveDrops(): void {
    const removal = this.#removal;
    for (const id of this.#dropRoots) {
      const variable = variableOf(this.#sourceCode, id);
      const def = variable?.defs[0];
      if (!variable || !def || variable.defs.length !== 1) continue;
      // Stops at the first use the fix keeps: a bundle's `fs` has thousands of uses, and one fix removes few.
      const keptUse = variable.references.find(
        (r) => !r.init && r.identifier !== def.name && !isRemovedBy(r.identifier as ESTree.Identifier, removal),
      );
      if (keptUse) continue;
      const node = def.node as ESTree.Node;
      if ((node.type as string) === 'TSImportEqualsDeclaration') {
        // `import fs = require('fs')`: the whole declaration is the binding.
        const reference = (node as unknown as { moduleReference: { expression?: ESTree.Node } }).moduleReference
          .expression;
        const source = reference ? getStringIfConstant(reference as never) : null;
        if (isDroppable(source ?? '') && isTopLevel(def.name as ESTree.Node)) this.#removals.add(node);
      } else if (def.type === 'ImportBinding' && def.parent?.type === 'ImportDeclaration') {
        if (isDroppable(String(def.parent.source.value))) this.#removals.add(node);
      } else if (def.type === 'Variable' && isDroppable(requireSource(def.node.init)?.source ?? '')) {
        if (def.node.id.type === 'Identifier') this.#removals.add(def.node);
        else {
          const property = (def.node.id as ESTree.ObjectPattern).properties.find(
            (p) => p.type === 'Property' && p.value === (def.name as ESTree.Node),
          );
          if (property) this.#removals.add(property);
        }
      }
    }
  }

  /** The planned changes as text edits. */
  edits(): TextEdit[] {
    this.#resolveDrops();
    const edits = new Map<ESTree.Node, TextEdit>();
    const touched = new Set<Declaration | undefined>();
    for (const node of this.#removals) touched.add(this.#declarationOf(node));
    for (const list of this.#additions.keys()) touched.add(this.#declarationOf(list));
    for (const node of this.#removals) {
      if ((node.type as string) === 'TSImportEqualsDeclaration')
        edits.set(node, removeStatement(this.#sourceCode, node));
    }
    for (const declaration of touched) {
      if (!declaration) continue;
      const hasRemovals = [...this.#removals].some((n) => within(rangeOf(n), rangeOf(declaration)));
      if (hasRemovals) {
        const edit = this.#rewrite(declaration);
        if (edit) edits.set(declaration, edit);
      } else {
        for (const [list, names] of this.#additions)
          if (this.#declarationOf(list) === declaration) edits.set(list, this.#append(list, names));
      }
    }
    const created = this.#createdStatements(new Set(edits.keys()));
    if (created) {
      // New imports go after the last import; when that one is being rewritten, in the same edit.
      // (An edit of the anchor that ends inside it, such as names added to its list, is not one.)
      const anchored = created.anchor && edits.get(created.anchor);
      if (anchored && created.anchor && anchored.range[1] >= rangeOf(created.anchor)[1]) {
        const eol = lineEnding(this.#sourceCode);
        const wholeLines = this.#sourceCode.text.slice(...anchored.range).endsWith('\n');
        // The removed import may have held the `;` that guarded a next line starting with `(` or `[`.
        const statements = guardedBefore(created.statements, this.#sourceCode.text, anchored.range[1]);
        // A removed anchor leaves the new group after the imports kept before it, if any.
        const keptBefore = moduleStatementsOf(this.#sourceCode)
          .imports.filter((s) => rangeOf(s)[1] <= rangeOf(created.anchor as ESTree.Node)[0])
          .some((s) => /\S/.test(edits.get(s)?.text ?? 'kept'));
        const text = wholeLines
          ? `${keptBefore ? created.groupBreak : ''}${statements.map((s) => `${s}${eol}`).join('')}`
          : `${created.groupBreak}${statements.map((s) => `${eol}${s}`).join('')}`;
        edits.set(created.anchor, { range: anchored.range, text: `${anchored.text}${text}` });
      } else {
        edits.set(this.#sourceCode.ast, created.edit);
      }
    }
    return [...edits.values()];
  }

  #declarationOf(node: ESTree.Node): Declaration | undefined {
    let n: ESTree.Node | undefined = node;
    while (n && n.type !== 'ImportDeclaration' && n.type !== 'VariableDeclaration')
      n = (n as { parent?: ESTree.Node }).parent;
    return n;
  }

  /**
   * Adds names to a named list without touching the rest of it (comments, layout): each before the
   * first name that sorts after it when the list is sorted, else at the end.
   */
  #append(list: NamedList, names: ReadonlySet<string>): TextEdit {
    const sourceCode = this.#sourceCode;
    const items: ESTree.Node[] = list.type === 'ObjectPattern' ? list.properties : list.specifiers;
    const last = items[items.length - 1] as ESTree.Node;
    const after = sourceCode.getTokenAfter(last);
    const close =
      list.type === 'ObjectPattern'
        ? sourceCode.getLastToken(list)
        : sourceCode.getTokenAfter(last, { filter: (t) => t.value === '}' });
    const multiline = !!close && close.loc.start.line !== last.loc?.end.line;
    const indent = multiline ? (sourceCode.lines[(last.loc?.start.line ?? 1) - 1]?.match(/^[ \t]*/)?.[0] ?? '') : '';
    const sep = multiline ? `${lineEnding(sourceCode)}${indent}` : ' ';
    const end = after?.value === ',' ? after.range[1] : rangeOf(last)[1];
    const insertions = new Map<number, string>();
    const trailing: string[] = [];
    const keys = items.map(listedName);
    const sorted = isSorted(keys);
    for (const name of sorted ? [...names].sort(byName.compare) : names) {
      const next = sorted ? items.find((_, i) => byName.compare(keys[i] as string, name) > 0) : undefined;
      if (!next) trailing.push(name);
      else insertions.set(rangeOf(next)[0], `${insertions.get(rangeOf(next)[0]) ?? ''}${name},${sep}`);
    }
    insertions.set(
      end,
      after?.value === ',' ? trailing.map((n) => `${sep}${n},`).join('') : trailing.map((n) => `,${sep}${n}`).join(''),
    );
    const at = [...insertions.keys()].sort((a, b) => a - b);
    const start = at[0] as number;
    const text = at
      .map((position, i) => `${insertions.get(position)}${sourceCode.text.slice(position, at[i + 1] ?? position)}`)
      .join('');
    return { range: [start, end], text };
  }

  /** Rewrites a declaration that loses bindings (and maybe gains names); removes it when empty. */
  #rewrite(declaration: Declaration): TextEdit | undefined {
    const sourceCode = this.#sourceCode;
    if (sourceCode.getCommentsInside(declaration).length > 0) return undefined;
    const keep = (n: ESTree.Node): boolean => !this.#removals.has(n);
    if (declaration.type === 'ImportDeclaration') {
      const kept = declaration.specifiers.filter(keep);
      const head = kept.filter((s) => s.type !== 'ImportSpecifier').map((s) => sourceCode.getText(s));
      const named = inOrder(
        kept.filter((s) => s.type === 'ImportSpecifier').map((s) => [listedName(s), sourceCode.getText(s)] as const),
        this.#additions.get(declaration) ?? [],
      );
      if (head.length === 0 && named.length === 0) return removeStatement(sourceCode, declaration);
      const clause = [...head, ...(named.length ? [code(this.style)`{ ${named.join(', ')} }`] : [])].join(', ');
      return {
        range: rangeOf(declaration),
        text: code(this.style)`import ${clause} from ${sourceCode.getText(declaration.source)};`,
      };
    }
    const declarators = declaration.declarations.filter(keep).flatMap((d) => {
      if (d.id.type !== 'ObjectPattern') return [sourceCode.getText(d)];
      const props = inOrder(
        d.id.properties.filter(keep).map((p) => [listedName(p), sourceCode.getText(p)] as const),
        this.#additions.get(d.id) ?? [],
      );
      return props.length
        ? [code(this.style)`{ ${props.join(', ')} } = ${sourceCode.getText(d.init as ESTree.Node)}`]
        : [];
    });
    if (declarators.length === 0) return removeStatement(sourceCode, declaration);
    return { range: rangeOf(declaration), text: code(this.style)`${declaration.kind} ${declarators.join(', ')};` };
  }

  #createdStatements(
    touched: ReadonlySet<ESTree.Node>,
  ): { statements: readonly string[]; anchor?: ESTree.Node; groupBreak: string; edit: TextEdit } | undefined {
    if (this.#created.size === 0) return undefined;
    const sourceCode = this.#sourceCode;
    const eol = lineEnding(sourceCode);
    const cjs = this.style.module === 'commonjs';
    const statements = [...this.#created].map(([source, names]) => {
      const list = code(this.style)`{ ${[...names].sort(byName.compare).join(', ')} }`;
      const specifier =
        this.style.quote === '"'
          ? JSON.stringify(source)
          : `'${JSON.stringify(source).slice(1, -1).replaceAll("'", "\\'").replaceAll('\\"', '"')}'`;
      return cjs
        ? code(this.style)`const ${list} = require(${specifier});`
        : code(this.style)`import ${list} from ${specifier};`;
    });
    const { imports, directives } = moduleStatementsOf(sourceCode);
    const isAnchor = (s: ESTree.Node): boolean =>
      cjs ? s.type === 'VariableDeclaration' : s.type !== 'VariableDeclaration';
    const anchors = imports.filter(isAnchor);
    const placed = placeInGroups(anchors, [...this.#created.keys()][0] as string);
    const groupBreak = placed?.opensGroup && separatesGroups(sourceCode, anchors) ? eol : '';
    if (placed?.before && !touched.has(placed.before)) {
      const start = rangeOf(placed.before)[0];
      const text = `${statements.map((s) => `${s}${eol}`).join('')}${groupBreak}`;
      return { statements, groupBreak: '', edit: { range: [start, start], text } };
    }
    const anchor = placed?.after ?? anchors.at(-1) ?? directives.at(-1);
    if (anchor) {
      let end = rangeOf(anchor)[1];
      // `import fs from 'fs'` then `;(() => …)()` on a later line: the parser gives the guarding `;`
      // to the import. New imports go before it, so that it still guards the next line.
      const semicolon = sourceCode.getLastToken(anchor);
      const beforeSemicolon = semicolon?.value === ';' ? sourceCode.getTokenBefore(semicolon) : null;
      if (semicolon && beforeSemicolon && beforeSemicolon.loc.end.line < semicolon.loc.start.line)
        end = beforeSemicolon.range[1];
      const text = guardedBefore(statements, sourceCode.text, end)
        .map((s) => `${eol}${s}`)
        .join('');
      return { statements, anchor, groupBreak, edit: { range: [end, end], text: `${groupBreak}${text}` } };
    }
    const first = (sourceCode.ast.body as ESTree.Node[])[0] as ESTree.Node;
    const start = rangeOf(first)[0];
    return {
      statements,
      groupBreak: '',
      edit: { range: [start, start], text: `${statements.map((s) => `${s}${eol}`).join('')}${eol}` },
    };
  }
}
