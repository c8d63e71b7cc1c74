/**
 * The file key: which file a value names, as a term built from the value's structure (bindings,
 * constants, member chains, templates, `+`, `path.join(...)`), never from its text. Two values name
 * the same file when their keys are equal. A path template is a key with slots for a function's
 * parameters, its `this` and the file a call of it makes up; a call's key is the template with the
 * call's argument keys substituted into the slots, term by term.
 *
 * Keys are plain data: module summaries keep them across files, and the fixes receive the keys the
 * detector compared. A key's printed form (`id`) is what maps are keyed by and what the debug dump
 * shows: `v3` is a binding, `§0§` a function's first parameter, `ret@12` what the call at offset 12
 * returned.
 */

/**
 * A function's parameter (by index), its `this`, the file a call of it makes up (`call`), or its rest
 * parameter spread into a path (`rest:1` of `(root, ...parts) => join(root, ...parts)`: the call's
 * arguments from index 1 on, joined).
 */
export type Slot = number | 'this' | 'call' | `rest:${number}`;

/** The slot of a rest parameter at `index`. */
export const restSlot = (index: number): Slot => `rest:${index}`;

/** The index of the rest parameter a slot stands for, or undefined for any other slot. */
export const restIndex = (slot: Slot): number | undefined =>
  typeof slot === 'string' && slot.startsWith('rest:') ? Number(slot.slice('rest:'.length)) : undefined;

export type KeyTerm =
  /** A string or number constant. */
  | { readonly kind: 'value'; readonly value: string | number }
  /** A binding of the linted file (`v3`) or of another module (`/m.js:v3`). */
  | { readonly kind: 'binding'; readonly id: string }
  /** A name no scope declares (`process`). */
  | { readonly kind: 'global'; readonly name: string }
  | { readonly kind: 'this' }
  | { readonly kind: 'slot'; readonly slot: Slot }
  /** A template literal: its quasis (as values) and substitutions in source order. */
  | { readonly kind: 'template'; readonly parts: readonly KeyTerm[] }
  | { readonly kind: 'concat'; readonly left: KeyTerm; readonly right: KeyTerm }
  /** A call of a path function whose result depends only on its arguments (`join`, `resolve`). */
  | { readonly kind: 'path'; readonly name: string; readonly args: readonly KeyTerm[] }
  | { readonly kind: 'member'; readonly object: KeyTerm; readonly property: string }
  /** Some element of a collection (two loops over the same list see the same elements). */
  | { readonly kind: 'element'; readonly collection: KeyTerm }
  /** The file a call returned that its callee made up (`ret@12`): known by the call, `site` its offset. */
  | { readonly kind: 'result'; readonly site: string }
  /** What a path builder returns that cannot be spelled out, but is equal for equal arguments. */
  | { readonly kind: 'built'; readonly site: string; readonly args: readonly KeyTerm[] };

/** A name a callee made up: another file at each call (`ret@12`, `§call§` in a summary). */
const isOpaqueName = (t: KeyTerm | undefined): boolean =>
  t?.kind === 'result' || (t?.kind === 'slot' && t.slot === 'call');

/** The same unknown name as `b`, an opaque one (`isOpaqueName`): one call's result, or the summarised call's. */
const sameOpaqueName = (a: KeyTerm, b: KeyTerm): boolean =>
  a.kind === 'result'
    ? b.kind === 'result' && a.site === b.site
    : a.kind === 'slot' && b.kind === 'slot' && a.slot === b.slot;

/** The accessor of some element of a returned collection (see `term.field`). */
export const elementField = '[]';

export const term = {
  value: (value: string | number): KeyTerm => ({ kind: 'value', value }),
  binding: (id: string): KeyTerm => ({ kind: 'binding', id }),
  global: (name: string): KeyTerm => ({ kind: 'global', name }),
  this: { kind: 'this' } as KeyTerm,
  slot: (slot: Slot): KeyTerm => ({ kind: 'slot', slot }),
  template: (parts: readonly KeyTerm[]): KeyTerm => ({ kind: 'template', parts }),
  concat: (left: KeyTerm, right: KeyTerm): KeyTerm => ({ kind: 'concat', left, right }),
  path: (name: string, args: readonly KeyTerm[]): KeyTerm => {
    if (name === 'join') args = separatedSegments(args);
    // `join(root, join(a, b))` is `join(root, a, b)`: a rest parameter's arguments spread into a join.
    const last = args[args.length - 1];
    if (name === 'join' && args.length > 1 && last?.kind === 'path' && last.name === 'join' && last.args.length > 0)
      args = [...args.slice(0, -1), ...last.args];
    // Some file inside some file inside `dir` is some file inside `dir`: a recursive helper's summary
    // (`copyTree(join(dst, name))`) stays one key instead of growing at each round of the fixpoint.
    // Only for the same unknown name (one call's, at each depth): a folder named by one call
    // (`join(parent, \`.${randomUUID()}\`)`) holds files named by another, which are not the folder.
    const [first, ...rest] = args;
    const name0 = first?.kind === 'path' && first.name === 'join' ? first.args[first.args.length - 1] : undefined;
    if (
      name === 'join' &&
      isOpaqueName(name0) &&
      rest.length > 0 &&
      rest.every((t) => sameOpaqueName(t, name0 as KeyTerm))
    )
      return first as KeyTerm;
    return { kind: 'path', name, args };
  },
  member: (object: KeyTerm, property: string): KeyTerm => ({ kind: 'member', object, property }),
  element: (collection: KeyTerm): KeyTerm => ({ kind: 'element', collection }),
  result: (site: string): KeyTerm => ({ kind: 'result', site }),
  built: (site: string, args: readonly KeyTerm[]): KeyTerm => ({ kind: 'built', site, args }),
  /**
   * `base` itself, or its field `field` (a returned object's `.path`, an array's `.0`); `[]` is some
   * element of it and `[].tmp` that element's field (a returned list of `{ tmp, dest }` objects).
   */
  field: (base: KeyTerm, field: string | undefined): KeyTerm => {
    if (field === undefined) return base;
    if (field === elementField) return { kind: 'element', collection: base };
    if (field.startsWith(`${elementField}.`))
      return { kind: 'member', object: { kind: 'element', collection: base }, property: field.slice(3) };
    return { kind: 'member', object: base, property: field };
  },
} as const;

const separator = /[/\\]/;

/** The folders and name a path's text spells (`'src/a.js'` gives `src`, `a.js`; `.` and empty ones left out). */
const pathSegments = (text: string): string[] =>
  text.split(/[/\\]+/).filter((segment) => segment !== '' && segment !== '.');

/** The segments a template's parts spell between separators: `${name}/views/x.js` gives `name`, `views`, `x.js`. */
function templateSegments(parts: readonly KeyTerm[]): KeyTerm[] {
  const segments: KeyTerm[][] = [];
  let current: KeyTerm[] = [];
  const flush = (): void => {
    const only = current.length === 1 ? current[0] : undefined;
    if (current.length > 0 && !(only?.kind === 'value' && only.value === '.')) segments.push(current);
    current = [];
  };
  for (const part of parts) {
    if (part.kind !== 'value' || !separator.test(String(part.value))) {
      current.push(part);
      continue;
    }
    String(part.value)
      .split(separator)
      .forEach((piece, k) => {
        if (k > 0) flush();
        if (piece !== '') current.push(term.value(piece));
      });
  }
  flush();
  return segments.map((segment) => (segment.length === 1 ? (segment[0] as KeyTerm) : term.template(segment)));
}

/**
 * A join's parts after its first, one segment each: `join(dir, 'src/a.js')` is `join(dir, 'src', 'a.js')`,
 * and `` join(dir, `src/a.${ext}`) `` is `` join(dir, 'src', `a.${ext}`) ``, so that the same file spelled
 * with separators in one argument or across several has one key. The first part stays as it is (a
 * folder of its own: the directory a key's later parts are inside).
 */
function separatedSegments(args: readonly KeyTerm[]): readonly KeyTerm[] {
  const partsOf = args.slice(1).map(textParts);
  if (!partsOf.some((parts) => parts.some((p) => p.kind === 'value' && separator.test(String(p.value))))) return args;
  const out: KeyTerm[] = args.slice(0, 1);
  for (const [i, parts] of partsOf.entries()) {
    const [head] = parts;
    if (parts.length === 1 && head?.kind === 'value') {
      out.push(...pathSegments(String(head.value)).map(term.value));
      continue;
    }
    // A template whose text holds separators (`src/a.${ext}`, `${name}/views/x.js`): a segment for
    // each stretch between them.
    if (parts.length > 1 && parts.some((p) => p.kind === 'value' && separator.test(String(p.value)))) {
      out.push(...templateSegments(parts));
      continue;
    }
    out.push(args[i + 1] as KeyTerm);
  }
  return out;
}

/**
 * A string built with `+` or a template literal, as the parts it joins: adjacent texts merged, empty
 * ones dropped (`(p+".tmp")`, `` `${p}.tmp` `` and `` `${p}` + '.tmp' `` all give `p, ".tmp"`).
 */
export function textParts(t: KeyTerm): KeyTerm[] {
  const parts: KeyTerm[] = [];
  const add = (s: KeyTerm): void => {
    if (s.kind === 'concat') {
      add(s.left);
      add(s.right);
    } else if (s.kind === 'template') for (const part of s.parts) add(part);
    else if (s.kind === 'value') {
      const text = String(s.value);
      const last = parts[parts.length - 1];
      if (last?.kind === 'value') parts[parts.length - 1] = term.value(String(last.value) + text);
      else if (text !== '') parts.push(term.value(text));
    } else parts.push(s);
  };
  add(t);
  return parts.length === 0 ? [term.value('')] : parts;
}

/** The printed form of a term: equal terms print equally, different ones differently. */
export function printTerm(t: KeyTerm): string {
  switch (t.kind) {
    case 'value':
      return JSON.stringify(t.value);
    case 'binding':
      return t.id;
    case 'global':
      return `global:${t.name}`;
    case 'this':
      return 'this';
    case 'slot':
      return `§${t.slot}§`;
    case 'template':
    case 'concat': {
      // `p + '.tmp'`, `${p}.tmp` and `` `${p}.t` + 'mp' `` name one file: one printed form.
      const parts = textParts(t);
      return parts.length === 1 ? printTerm(parts[0] as KeyTerm) : `tpl(${parts.map(printTerm).join(',')})`;
    }
    case 'path':
      return `${t.name}(${t.args.map(printTerm).join(',')})`;
    case 'member':
      return `${printTerm(t.object)}.${t.property}`;
    case 'element':
      return `${printTerm(t.collection)}[]`;
    case 'result':
      return `ret@${t.site}`;
    case 'built':
      return `call:${t.site}(${t.args.map(printTerm).join(',')})`;
  }
}

/**
 * Which file a value names (`term`), and the bindings and member chains it depends on (`deps`: an
 * assignment to one of them between a write and a rename breaks the link).
 */
export class FileKey {
  readonly term: KeyTerm;
  readonly deps: readonly KeyTerm[];
  /** The printed term: equal ids, same file. */
  readonly id: string;
  #depIds: readonly string[] | undefined;

  constructor(t: KeyTerm, deps: readonly KeyTerm[] = []) {
    this.term = t;
    this.deps = deps;
    this.id = printTerm(t);
  }

  /** A key that depends on itself as well as on `deps` (a binding, a member chain). */
  static tracked(t: KeyTerm, deps: readonly KeyTerm[] = []): FileKey {
    return new FileKey(t, [...deps, t]);
  }

  /** The printed deps, to compare with a killed binding's or member chain's id. */
  get depIds(): readonly string[] {
    return (this.#depIds ??= this.deps.map(printTerm));
  }

  equals(other: FileKey | undefined): boolean {
    return other !== undefined && other.id === this.id;
  }

  /** The object whose field `field` this key is (`x` for `x.promises`). */
  objectOf(field: string): FileKey | undefined {
    return this.term.kind === 'member' && this.term.property === field ? new FileKey(this.term.object) : undefined;
  }

  /**
   * Is `part` a term of this key, or this key itself (`v1` of `(v1+".1")`), other than as the
   * directory it names (`dirname(part)`)? A destination beside its source (`join(dirname(tmp), name)`)
   * is not made from the source's name.
   */
  mentions(part: FileKey): boolean {
    const within = (t: KeyTerm): boolean =>
      printTerm(t) === part.id || (t.kind === 'path' && t.name === 'dirname' ? false : childTerms(t).some(within));
    return within(this.term);
  }

  toString(): string {
    return this.id;
  }

  /** Summaries are compared by their JSON (`sameSummary`): a key is its printed term and deps. */
  toJSON(): { key: string; deps: readonly string[] } {
    return { key: this.id, deps: this.depIds };
  }
}

/** `dirname(source)`: the folder `source` is in, spelled from it. */
export function isDirnameOf(t: KeyTerm | undefined, source: FileKey): boolean {
  return t?.kind === 'path' && t.name === 'dirname' && t.args.some((a) => printTerm(a) === source.id);
}

/**
 * The segments a join's parts spell, printed: a string part split at its separators (`'tmp/x.exe'` is
 * two), any other part one; a string segment starts with `"` so no other term prints like it.
 */
const joinSegments = (args: readonly KeyTerm[]): string[] =>
  args.flatMap((part) =>
    part.kind === 'value' && typeof part.value === 'string'
      ? pathSegments(part.value).map((segment) => `"${segment}`)
      : [printTerm(part)],
  );

/**
 * A path relative to the working directory, below it: a text (`'dist/a.js'`, `` `${name}.json` `` is
 * not one: its start is unknown), or a join or template that starts with one. Not `..`, `~` or absolute.
 */
function isRelative(t: KeyTerm): boolean {
  const start = t.kind === 'path' && t.name === 'join' ? t.args[0] : textParts(t)[0];
  if (start?.kind === 'path' && start.name === 'join') return isRelative(start);
  if (start?.kind !== 'value' || typeof start.value !== 'string') return false;
  const text = start.value;
  return text !== '' && text !== '.' && !/^(?:[/\\~]|\.\.(?:[/\\]|$)|[A-Za-z]:)/.test(text);
}

const isCwd = (t: KeyTerm | undefined): boolean => t?.kind === 'global' && t.name === 'process.cwd()';

/** The segments of text parts (a template's or a concatenation's), as `joinSegments` spells them. */
const textSegments = (parts: readonly KeyTerm[]): string[] =>
  templateSegments(parts).map((segment) =>
    segment.kind === 'value' && typeof segment.value === 'string' ? `"${segment.value}` : printTerm(segment),
  );

/**
 * The segments below the working directory of a path spelled from it (`join(process.cwd(), 'a')`,
 * `` `${process.cwd()}/a/` ``), or of a relative path (`'a/b'`, `join('a', name)`), as `joinSegments`
 * spells them: the two spellings of one folder compare equal.
 */
function segmentsBelowCwd(t: KeyTerm): string[] | undefined {
  if (t.kind === 'path' && (t.name === 'join' || t.name === 'resolve') && t.args.length > 1 && isCwd(t.args[0]))
    return joinSegments(t.args.slice(1));
  if (isRelative(t)) return t.kind === 'path' ? joinSegments(t.args) : textSegments(textParts(t));
  const [first, second, ...rest] = textParts(t);
  if (!isCwd(first) || second?.kind !== 'value' || !/^[/\\]/.test(String(second.value))) return undefined;
  return textSegments([second, ...rest]);
}

/** `'..'` (or `'../x'`) as a part of a join: a step up, out of the folder before it. */
const isParentStep = (t: KeyTerm | undefined): boolean =>
  t?.kind === 'value' && typeof t.value === 'string' && /^\.\.(?:[/\\]|$)/.test(t.value);

/**
 * Is the file `inner` inside the directory `outer`: `join(dir, name)`, `` `${dir}/${name}` ``,
 * `dir + '/' + name`? A suffix without a separator (`dir + '.bak'`) is a sibling, not a child.
 */
export function isInside(inner: FileKey, outer: FileKey): boolean {
  const isOuter = (t: KeyTerm | undefined): boolean => t !== undefined && printTerm(t) === outer.id;
  const t = inner.term;
  if (inner.equals(outer)) return false;
  // A relative path is resolved against the working directory: `renameSync('_gitignore', '.gitignore')`
  // after a template was copied into `process.cwd()`.
  if (outer.term.kind === 'global' && outer.term.name === 'process.cwd()' && isRelative(t)) return true;
  // ... and so is a folder spelled from it: `node_modules/x/a` is inside `` `${process.cwd()}/node_modules/x/` ``.
  if (isRelative(t) && !isRelative(outer.term)) {
    const prefix = segmentsBelowCwd(outer.term);
    const below = prefix && segmentsBelowCwd(t);
    if (
      prefix &&
      below &&
      prefix.length > 0 &&
      prefix.length < below.length &&
      prefix.every((part, i) => part === below[i]) &&
      !below.includes('"..')
    )
      return true;
  }
  if (t.kind === 'path' && (t.name === 'join' || t.name === 'resolve') && t.args.length > 1) {
    const [parent, next] = t.args;
    // `join(dir, '..', name)` is beside it.
    const up = isParentStep(next);
    // In a subdirectory of it is inside it too (`join(join(dir, 'lib'), name)`).
    if (!up && (isOuter(parent) || (parent && isInside(new FileKey(parent), outer)))) return true;
    // `join(dir, 'app', 'dist.js')` and `join(dir, 'app/dist.js')` are inside `join(dir, 'app')`: the
    // outer join's segments begin the inner's.
    const o = outer.term;
    if (o.kind === 'path' && o.name === t.name && o.args.length > 1) {
      const inner = joinSegments(t.args);
      const prefix = joinSegments(o.args);
      if (
        prefix.length < inner.length &&
        prefix.every((part, i) => part === inner[i]) &&
        !inner.slice(prefix.length).includes('"..')
      )
        return true;
    }
  }
  const parts = textParts(t);
  // `` `${join(dir, name)}.exe` ``: more of a name (no separator) after a file inside `dir` is in there too.
  const [named, ...more] = parts;
  if (
    named?.kind === 'path' &&
    more.length > 0 &&
    more.every((part) => part.kind !== 'value' || !/[/\\]/.test(String(part.value))) &&
    isInside(new FileKey(named), outer)
  )
    return true;
  return continuesWithSeparator(parts, textParts(outer.term));
}

/**
 * A string that continues the outer one's parts with a separator and more: `` `${out}/client/sw.mjs` ``
 * inside `` `${out}/client` ``, `dir + '/' + name` inside `dir`, `dir + '~/log'` inside `` `${dir}~` ``.
 */
function continuesWithSeparator(inner: readonly KeyTerm[], outer: readonly KeyTerm[]): boolean {
  const n = outer.length;
  const last = outer[n - 1];
  const at = inner[n - 1];
  if (!last || !at || !outer.slice(0, -1).every((part, i) => printTerm(part) === printTerm(inner[i] as KeyTerm)))
    return false;
  const separated = (rest: string, more: boolean): boolean => /^[/\\]/.test(rest) && (rest.length > 1 || more);
  if (last.kind !== 'value') {
    const next = inner[n];
    return (
      printTerm(at) === printTerm(last) && next?.kind === 'value' && separated(String(next.value), inner.length > n + 1)
    );
  }
  if (at.kind !== 'value') return false;
  const [outerText, innerText] = [String(last.value), String(at.value)];
  if (!innerText.startsWith(outerText)) return false;
  const rest = innerText.slice(outerText.length);
  return /[/\\]$/.test(outerText) ? rest.length > 0 || inner.length > n : separated(rest, inner.length > n);
}

const wildcard = /[*?[{]/;

/**
 * The folder a glob pattern lists files in: its text before the segment holding the first wildcard
 * (`` `${dir}/src/**\/*.ts` `` lists files inside `` `${dir}/src` ``, `join(dir, '**', '*.ejs')` inside `dir`).
 * Undefined when the pattern has no wildcard, starts with one, or is a negation.
 */
export function globBase(pattern: KeyTerm): KeyTerm | undefined {
  const wild = (part: KeyTerm): boolean => part.kind === 'value' && wildcard.test(String(part.value));
  if (pattern.kind === 'path' && (pattern.name === 'join' || pattern.name === 'resolve')) {
    const at = pattern.args.findIndex((arg) => textParts(arg).some(wild));
    if (at < 1) return undefined;
    const before = pattern.args.slice(0, at);
    return before.length === 1 ? before[0] : term.path(pattern.name, before);
  }
  const parts = textParts(pattern);
  const at = parts.findIndex(wild);
  const first = parts[at];
  if (at < 0 || first?.kind !== 'value') return undefined;
  const text = String(first.value);
  if (at === 0 && text.startsWith('!')) return undefined;
  const head = text
    .slice(0, text.search(wildcard))
    .replace(/[^/\\]*$/, '')
    .replace(/[/\\]+$/, '');
  const base = [...parts.slice(0, at), ...(head ? [term.value(head)] : [])];
  const last = base[base.length - 1];
  if (last?.kind === 'value') {
    const trimmed = String(last.value).replace(/[/\\]+$/, '');
    if (trimmed) base[base.length - 1] = term.value(trimmed);
    else base.pop();
  }
  if (base.length === 0) return undefined;
  return base.length === 1 ? base[0] : term.template(base);
}

/** A path in terms of a function's slots: a key, turned into a call's key by `instantiate`. */
export type PathTemplate = FileKey;

/** The keys a call gives a template's slots. */
export interface SlotValues {
  readonly args: ReadonlyArray<FileKey | undefined>;
  readonly receiver?: FileKey | undefined;
  readonly result?: FileKey | undefined;
  /** How many arguments the call passes, when no spread hides it: a parameter past them is `undefined`. */
  readonly argumentCount?: number | undefined;
}

const valueOf = (slot: Slot, values: SlotValues): FileKey | undefined =>
  slot === 'this'
    ? values.receiver
    : slot === 'call'
      ? values.result
      : typeof slot === 'number'
        ? values.args[slot]
        : restValue(values.args.slice(restIndex(slot)));

/** The arguments a rest parameter gathers, as the one path they make when spread into a join. */
function restValue(args: ReadonlyArray<FileKey | undefined>): FileKey | undefined {
  if (args.length === 0 || args.some((a) => !a)) return undefined;
  const keys = args as readonly FileKey[];
  if (keys.length === 1) return keys[0];
  return new FileKey(
    term.path(
      'join',
      keys.map((k) => k.term),
    ),
    keys.flatMap((k) => k.deps),
  );
}

/** `t` with every slot replaced by `replace(slot)`; undefined when some slot has no replacement. */
function substitute(t: KeyTerm, replace: (slot: Slot) => KeyTerm | undefined): KeyTerm | undefined {
  let missing = false;
  const walk = (s: KeyTerm): KeyTerm =>
    mapTerm(s, (leaf) => {
      if (leaf.kind !== 'slot') return undefined;
      const next = replace(leaf.slot);
      if (!next) missing = true;
      return next ?? leaf;
    });
  const out = walk(t);
  return missing ? undefined : out;
}

/** `t` rebuilt bottom-up, with the subterms `visit` returns a replacement for replaced (not entered). */
export function mapTerm(t: KeyTerm, visit: (t: KeyTerm) => KeyTerm | undefined): KeyTerm {
  const replaced = visit(t);
  if (replaced) return replaced;
  const map = (s: KeyTerm): KeyTerm => mapTerm(s, visit);
  switch (t.kind) {
    case 'template':
      return term.template(t.parts.map(map));
    case 'concat':
      return term.concat(map(t.left), map(t.right));
    case 'path':
      return term.path(t.name, t.args.map(map));
    case 'member':
      return term.member(map(t.object), t.property);
    case 'element':
      return term.element(map(t.collection));
    case 'built':
      return term.built(t.site, t.args.map(map));
    default:
      return t;
  }
}

/** Does some subterm of `t` (itself included) satisfy `test`? */
export function someTerm(t: KeyTerm, test: (t: KeyTerm) => boolean): boolean {
  return test(t) || childTerms(t).some((c) => someTerm(c, test));
}

/** The terms `t` is built from. */
function childTerms(t: KeyTerm): readonly KeyTerm[] {
  switch (t.kind) {
    case 'template':
      return t.parts;
    case 'concat':
      return [t.left, t.right];
    case 'path':
    case 'built':
      return t.args;
    case 'member':
      return [t.object];
    case 'element':
      return [t.collection];
    default:
      return [];
  }
}

/** The slots a term mentions. */
export function slotsOf(t: KeyTerm): Set<Slot> {
  const slots = new Set<Slot>();
  someTerm(t, (s) => {
    if (s.kind === 'slot') slots.add(s.slot);
    return false;
  });
  return slots;
}

/** The parameter a template is as it stands (`§0§`), if it is one. */
export function parameterOf(key: FileKey | undefined): number | undefined {
  return key?.term.kind === 'slot' && typeof key.term.slot === 'number' ? key.term.slot : undefined;
}

/** The term a member chain starts from (`§call§` for `§call§.path`). */
export function rootOf(t: KeyTerm): KeyTerm {
  let root = t;
  while (root.kind === 'member' || root.kind === 'element')
    root = root.kind === 'member' ? root.object : root.collection;
  return root;
}

/** A member chain that starts at a slot (`§0§.entry.fileName`): the slot and the accessors after it. */
function chainOf(t: KeyTerm): { slot: Slot; accessors: Accessor[] } | undefined {
  const accessors: Accessor[] = [];
  let at = t;
  while (at.kind === 'member' || at.kind === 'element') {
    accessors.unshift(at.kind === 'member' ? { field: at.property } : { element: true });
    at = at.kind === 'member' ? at.object : at.collection;
  }
  return at.kind === 'slot' ? { slot: at.slot, accessors } : undefined;
}

/**
 * A name below a known directory that the call cannot give (`join(§0§.dir, §0§.entry.fileName)` for
 * an entry its caller got from a zip's `'entry'` event): some file inside that directory, another at
 * each call (`unknown`, the call's own result name), as an unfollowable name in a local `join` is.
 */
function withUnknownNames(
  template: PathTemplate,
  known: (chain: { slot: Slot; accessors: Accessor[] }) => boolean,
  unknown: FileKey | undefined,
): PathTemplate {
  if (!unknown) return template;
  // A whole member chain is one hole (`§0§.dir` is known where `§0§`, an object literal, is not a key).
  const missing = (t: KeyTerm): boolean => {
    const chain = chainOf(t);
    return chain ? !known(chain) : childTerms(t).some(missing);
  };
  let changed = false;
  const t = mapTerm(template.term, (s) => {
    if (s.kind !== 'path' || s.name !== 'join' || s.args.length < 2) return undefined;
    const [first, ...rest] = s.args as [KeyTerm, ...KeyTerm[]];
    if (missing(first) || !rest.some(missing)) return undefined;
    changed = true;
    return term.path('join', [first, ...rest.map((a) => (missing(a) ? unknown.term : a))]);
  });
  return changed
    ? new FileKey(
        t,
        template.deps.filter((d) => !missing(d)),
      )
    : template;
}

/**
 * `template` with the parameters a call does not pass, where a built name depends on them, as
 * `undefined` (what the callee sees): `resultsFilePath()` is the same file at every call without an
 * argument, and another than `resultsFilePath(n)`'s.
 */
function withAbsentArguments(template: PathTemplate, count: number | undefined): PathTemplate {
  if (count === undefined) return template;
  const absent = (t: KeyTerm): boolean => t.kind === 'slot' && typeof t.slot === 'number' && t.slot >= count;
  if (!someTerm(template.term, (t) => t.kind === 'built' && t.args.some(absent))) return template;
  const undefinedTerm = term.global('undefined');
  const replace = (t: KeyTerm): KeyTerm =>
    mapTerm(t, (s) =>
      s.kind === 'built'
        ? term.built(
            s.site,
            s.args.map((a) => (absent(a) ? undefinedTerm : a)),
          )
        : undefined,
    );
  return new FileKey(
    replace(template.term),
    template.deps.filter((d) => !absent(d)),
  );
}

/** How many arguments `args` passes: undefined when a spread hides it. */
export const argumentCount = (args: ReadonlyArray<{ readonly type: string }>): number | undefined =>
  args.some((arg) => arg.type === 'SpreadElement') ? undefined : args.length;

/** The key of a call's file: `template` with the call's keys in its slots; undefined when one is unknown. */
export function instantiate(template: PathTemplate, values: SlotValues): FileKey | undefined {
  template = withUnknownNames(template, (chain) => valueOf(chain.slot, values) !== undefined, values.result);
  template = withAbsentArguments(template, values.argumentCount);
  const t = substitute(template.term, (slot) => valueOf(slot, values)?.term);
  if (!t) return undefined;
  const deps = template.deps.flatMap((dep) => {
    if (dep.kind === 'slot') return valueOf(dep.slot, values)?.deps ?? [];
    const d = substitute(dep, (slot) => valueOf(slot, values)?.term);
    return d ? [d] : [];
  });
  return new FileKey(t, deps);
}

/**
 * `template` with the bindings in `slots` (binding id → slot) replaced by those slots: what a
 * returned handler does, in terms of the parameters of the function that returned it. Undefined when
 * the template names the handler's own parameters or `this` (unknown where the factory is called).
 */
export function rebind(template: PathTemplate, slots: ReadonlyMap<string, Slot>): PathTemplate | undefined {
  if (someTerm(template.term, (t) => t.kind === 'slot' && t.slot !== 'call')) return undefined;
  const replace = (t: KeyTerm): KeyTerm =>
    mapTerm(t, (s) => {
      const slot = s.kind === 'binding' ? slots.get(s.id) : undefined;
      return slot === undefined ? undefined : term.slot(slot);
    });
  return new FileKey(replace(template.term), template.deps.map(replace));
}

/**
 * `key` with the bindings in `values` (binding id → key) replaced by those keys: what a closure names
 * for one call of the function that made it (`jsonlFile(tmp)` returns methods that write its `p`).
 */
export function withBindings(key: FileKey, values: ReadonlyMap<string, FileKey>): FileKey {
  if (values.size === 0) return key;
  const replace = (t: KeyTerm): KeyTerm =>
    mapTerm(t, (s) => (s.kind === 'binding' ? values.get(s.id)?.term : undefined));
  const deps = key.deps.flatMap((dep) => {
    const value = dep.kind === 'binding' ? values.get(dep.id) : undefined;
    return value ? value.deps : [replace(dep)];
  });
  return new FileKey(replace(key.term), deps);
}

/** A call's argument as a summary's slots see it: its key, or an array or object literal's parts. */
export interface ArgumentShape {
  readonly key?: FileKey;
  readonly elements?: readonly ArgumentShape[];
  readonly fields?: ReadonlyMap<string, ArgumentShape>;
}

/** One step down a member chain: a field, or some element. */
type Accessor = { readonly field: string } | { readonly element: true };

const MAX_CHOICES = 16;

/**
 * The keys of a call's file when its arguments are array or object literals: `§0§[].tempPath` with
 * `[{ tempPath: a }, { tempPath: b }]` is either `a` or `b`. Accessors a literal does not have are
 * unknown; past a plain key they stay in the key as they are (`k[]`, `k.tmp`).
 */
export function instantiateAll(
  template: PathTemplate,
  shapes: ReadonlyArray<ArgumentShape | undefined>,
  values: Omit<SlotValues, 'args'>,
): FileKey[] {
  // Each member chain that starts at a slot is a hole, filled by one of the keys the literals give it.
  const holes: Array<{ slot: Slot; accessors: Accessor[] }> = [];
  const choicesOf = ({ slot, accessors }: { slot: Slot; accessors: Accessor[] }): FileKey[] => {
    const own = slot === 'this' ? values.receiver : slot === 'call' ? values.result : undefined;
    const start = typeof slot === 'number' ? shapes[slot] : own ? { key: own } : undefined;
    return start ? resolveShape(start, accessors) : [];
  };
  template = withUnknownNames(template, (chain) => choicesOf(chain).length > 0, values.result);
  const placed = (fill: (index: number) => KeyTerm): KeyTerm => {
    let index = 0;
    return mapTerm(template.term, (t) => (chainOf(t) ? fill(index++) : undefined));
  };
  mapTerm(template.term, (t) => {
    const chain = chainOf(t);
    if (chain) holes.push(chain);
    return chain && t;
  });
  const choices = holes.map(choicesOf);
  if (choices.some((c) => c.length === 0)) return [];
  const fixedDeps = template.deps.filter((dep) => slotsOf(dep).size === 0);
  let combos: Array<{ picked: FileKey[]; deps: KeyTerm[] }> = [{ picked: [], deps: [...fixedDeps] }];
  for (const options of choices) {
    const next: typeof combos = [];
    for (const combo of combos) {
      for (const choice of options) {
        next.push({ picked: [...combo.picked, choice], deps: [...combo.deps, ...choice.deps] });
        if (next.length >= MAX_CHOICES) break;
      }
    }
    combos = next;
  }
  return combos.map(
    (c) =>
      new FileKey(
        placed((index) => (c.picked[index] as FileKey).term),
        c.deps,
      ),
  );
}

function resolveShape(shape: ArgumentShape, accessors: readonly Accessor[]): FileKey[] {
  const out: FileKey[] = [];
  let current: ArgumentShape[] = [shape];
  for (const [i, accessor] of accessors.entries()) {
    const next: ArgumentShape[] = [];
    for (const s of current) {
      if (s.elements && 'element' in accessor) next.push(...s.elements);
      else if (s.fields && 'field' in accessor) {
        const field = s.fields.get(accessor.field);
        if (field) next.push(field);
      } else if (s.key && !s.elements && !s.fields) {
        const rest = accessors
          .slice(i)
          .reduce<KeyTerm>((t, a) => ('field' in a ? term.member(t, a.field) : term.element(t)), s.key.term);
        out.push(FileKey.tracked(rest, s.key.deps));
      }
    }
    current = next;
  }
  for (const s of current) if (s.key) out.push(s.key);
  return out.slice(0, MAX_CHOICES);
}
