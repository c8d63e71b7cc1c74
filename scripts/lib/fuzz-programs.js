// Random programs for `npm run fuzz`: file-system call sequences (write, rename, fsync in every
// flavour: sync, callback, promises, FileHandle, descriptor, stream) inside random syntax (blocks,
// branches, loops, try/finally, functions, classes, callbacks, comments, noise). Built with
// fast-check's `gen()`, so a failing program shrinks to a small one. The programs also run (the
// fuzzer executes each one before and after its fixes): `runtimeGlobals` gives their free names
// values, and most functions they declare are called.
import fc from 'fast-check';

/**
 * CommonJS preloaded before a generated program runs (in a scratch directory): the names its
 * statements read without declaring them. `done` prints the error a callback hands it.
 */
export const runtimeGlobals = `Object.assign(globalThis, {
  path: require('node:path'),
  dir: '.', file: 'file.json', dest: 'dest.json', target: 'target.json', data: 'data',
  state: { dirty: true, x: 1 }, a: 1, b: 2, c: 3, items: [1, 2], chunks: ['a', 'b'], keys: ['', 'k'], key: 'k',
  n: 2, ok: true, pending: true, mode: 'a', value: undefined, counter: 0, err: undefined,
  done: (error) => console.log('done', error ? error.code ?? error.name : null),
});
`;

/**
 * The arbitrary of programs: `{ text, lang, options }`, where `lang` is `esm`, `cjs` or `ts` and
 * `options` the rule options to lint with.
 */
export const programArbitrary = fc.gen().map((g) => generateProgram(g));

function generateProgram(g) {
  const lang = g(fc.constantFrom, 'esm', 'cjs', 'ts');
  const style = {
    semicolons: g(fc.boolean),
    quote: g(fc.constantFrom, "'", '"'),
    indent: g(fc.constantFrom, '  ', '    ', '\t'),
    eol: g(fc.constantFrom, '\n', '\n', '\n', '\r\n'),
    // How fs functions are reached: `fs.x`, named imports, or `fs.promises.x`-style members.
    access: g(fc.constantFrom, 'member', 'named', 'member', 'named-renamed', 'promises-member'),
    nodePrefix: g(fc.boolean),
  };
  const program = new ProgramWriter(g, lang, style);
  // ESM has top-level await; a script does not.
  const body = program.statements(
    { depth: 0, async: lang !== 'cjs', rounds: [], roundsOverlap: false, paths: ['tmp', 'dest'] },
    g(fc.integer, { min: 1, max: 6 }),
  );
  const options = g(fc.constantFrom, [], [], [{ fixStyle: 'flush' }], [{ importSource: './durable.js' }]);
  const { text, sites } = program.render(body);
  return { text, lang, options, sites };
}

/** Ends a site's first and last line while the program is assembled: `render` turns them into line numbers. */
const SITE_MARK = '\u0000site ';

const DATA_EXPRESSIONS = [
  'data',
  'JSON.stringify(state)',
  "'text'",
  '`${a}\\n`',
  'Buffer.from(data)',
  'chunks.join("")',
];
/** `#` becomes the site's number: concurrent sites of a run then write temp files of their own. */
const PATH_EXPRESSIONS = [
  "file + '.#.tmp'",
  '`${file}.#.tmp`',
  "path.join(dir, 'state.json.#.tmp')",
  'file',
  "'out#.json'",
];
/** Statements unrelated to files; `$` becomes a fresh suffix (declarations must not collide). */
const NOISE = [
  'let n$ = a + b * c',
  "console.log('saving', file)",
  'const { x$, ...rest$ } = state',
  'const list$ = [...items, 1, 2]',
  'value ??= 1',
  'const re$ = /a+[b-c]*/giu',
  'const obj$ = { a, b: [1, { c: 2 }], [key]: `t${a}` }',
  'counter += 1',
  'void 0',
  'const f$ = (x) => x?.y?.[0] ?? null',
  'label$: for (const k of keys) { if (k) break label$; }',
  "const s$ = 'a' + 'b' + 'c' + 'd'",
  'if (!file) throw new Error("no file")',
  'const big$ = 12_345n',
];
const COMMENTS = ['// save the state', '/* durable? */', '// eslint-disable-next-line no-console', '/** docs */'];

class ProgramWriter {
  constructor(g, lang, style) {
    this.g = g;
    this.lang = lang;
    this.style = style;
    this.imports = new Map(); // module -> Set of names (or '*default*')
    this.counter = 0;
    /**
     * The global file names (`file`, `dest`, `target`) a site already writes or renames to. One site
     * per name: two sites on one path, one of them not awaited, would leave whichever the kernel saw
     * last, so what the program does would change from run to run (and with the timing a fix adds).
     */
    this.claimedPaths = new Set();
    /**
     * Per site: its number and the shapes of issue 17 it has (a callback write to a local destination
     * in TypeScript has two); `render` adds its lines.
     */
    this.sites = [];
  }

  pick(...values) {
    return this.g(fc.constantFrom, ...values);
  }

  bool() {
    return this.g(fc.boolean);
  }

  fresh(base) {
    this.counter += 1;
    return `${base}${this.counter}`;
  }

  /** `path`, or `instead` when `path` is a global file name that another site took (see `claimedPaths`). */
  claim(path, instead) {
    if (!['file', 'dest', 'target'].includes(path)) return path;
    if (this.claimedPaths.has(path)) return instead;
    this.claimedPaths.add(path);
    return path;
  }

  /** An fs function as the program reaches it, recording the import it needs. */
  fn(module, name) {
    const source = this.style.nodePrefix ? `node:${module}` : module;
    if (this.style.access === 'promises-member') {
      // `fs.promises.writeFile(…)`: one import of fs serves both APIs.
      this.need(this.style.nodePrefix ? 'node:fs' : 'fs', '*default*', 'fs');
      return module === 'fs' ? `fs.${name}` : `fs.promises.${name}`;
    }
    if (this.style.access === 'member') {
      const binding = module === 'fs' ? 'fs' : 'fsp';
      this.need(source, '*default*', binding);
      return `${binding}.${name}`;
    }
    const existing = this.imports.get(source)?.get(name);
    if (existing) return existing;
    // `rename` from fs and from fs/promises cannot share a local name.
    const taken = [...this.imports.values()].some((names) => [...names.values()].includes(name));
    const local = taken || (this.style.access === 'named-renamed' && module === 'fs/promises') ? `${name}P` : name;
    this.need(source, name, local);
    return local;
  }

  need(source, name, local) {
    if (!this.imports.has(source)) this.imports.set(source, new Map());
    this.imports.get(source).set(name, local);
  }

  end() {
    return this.style.semicolons ? ';' : '';
  }

  q(text) {
    return `${this.style.quote}${text}${this.style.quote}`;
  }

  statements(context, count) {
    const out = [];
    for (let i = 0; i < count; i++) out.push(...this.statement(context));
    return out;
  }

  statement(context) {
    const depth = context.depth;
    const kinds =
      depth >= 3 ? ['site', 'noise', 'comment'] : ['site', 'site', 'noise', 'comment', 'wrap', 'wrap', 'function'];
    switch (this.pick(...kinds)) {
      case 'site':
        return this.site(context);
      case 'noise':
        return [this.pick(...NOISE).replaceAll('$', this.fresh('_')) + this.end()];
      case 'comment':
        return [this.pick(...COMMENTS)];
      case 'wrap':
        return this.wrap(context);
      default:
        return this.func(context);
    }
  }

  block(context, count = this.g(fc.integer, { min: 1, max: 3 })) {
    return this.statements({ ...context, depth: context.depth + 1 }, count);
  }

  wrap(context) {
    const inner = (inContext = context) => this.block(inContext).map((line) => this.style.indent + line);
    switch (this.pick('if', 'try', 'for', 'while', 'switch', 'block', 'callback', 'iife')) {
      case 'if': {
        const lines = [`if (${this.pick('ok', 'file', 'a > b', '!err', 'state?.dirty')}) {`, ...inner(), '}'];
        if (this.bool()) lines.splice(lines.length - 1, 1, '} else {', ...inner(), '}');
        return lines;
      }
      case 'try': {
        const lines = ['try {', ...inner()];
        if (this.bool()) lines.push('} catch (error) {', ...inner());
        else lines.push('} catch {', `${this.style.indent}console.error('failed')${this.end()}`);
        if (this.bool()) lines.push('} finally {', ...inner());
        lines.push('}');
        return lines;
      }
      case 'for': {
        // Its own counter name: a site in nested loops names its temp file after every round.
        const round = this.fresh('i');
        return [
          `for (let ${round} = 0; ${round} < ${this.pick('3', 'n', 'items.length')}; ${round}++) {`,
          ...inner({ ...context, rounds: [...context.rounds, round] }),
          '}',
        ];
      }
      // `pending` is a global that the first such loop clears: its body runs at most once per program.
      case 'while':
        return ['while (pending) {', ...inner(), `${this.style.indent}pending = false${this.end()}`, '}'];
      case 'switch':
        return [
          'switch (mode) {',
          "  case 'a': {",
          ...inner().map((l) => this.style.indent + l),
          `${this.style.indent}${this.style.indent}break${this.end()}`,
          '  }',
          '  default:',
          `${this.style.indent}${this.style.indent}break${this.end()}`,
          '}',
        ];
      case 'block':
        return ['{', ...inner(), '}'];
      case 'callback': {
        const asyncCallback = this.bool();
        const body = this.block(this.bodyContext(context, asyncCallback, false)).map((l) => this.style.indent + l);
        return [
          `${this.pick('setTimeout', 'process.nextTick', 'queueMicrotask')}(${asyncCallback ? 'async ' : ''}() => {`,
          ...body,
          `})${this.end()}`,
        ];
      }
      default: {
        const asyncIife = this.bool();
        const body = this.block(this.bodyContext(context, asyncIife, false)).map((l) => this.style.indent + l);
        // A line may not start with `(` without a semicolon before it.
        return [
          `${this.style.semicolons ? '' : ';'}(${asyncIife ? 'async ' : ''}() => {`,
          ...body,
          `})()${this.end()}`,
        ];
      }
    }
  }

  /**
   * The context of a function body: an async one that its caller does not wait for returns at its
   * first `await`, so in a loop the rounds' bodies run interleaved from there on.
   */
  bodyContext(context, isAsync, awaited) {
    const roundsOverlap = context.roundsOverlap || (isAsync && !awaited && context.rounds.length > 0);
    return { ...context, async: isAsync, roundsOverlap };
  }

  func(context) {
    const isAsync = this.bool();
    const ts = this.lang === 'ts';
    const params = ts ? 'file: string, data: string' : 'file, data';
    // Called with `await` where the caller can wait (see `call`).
    const body = this.block(this.bodyContext(context, isAsync, context.async)).map((l) => this.style.indent + l);
    const name = this.fresh('save');
    const className = `${name[0].toUpperCase()}${name.slice(1)}`;
    const kind = this.pick('declaration', 'arrow', 'class', 'object');
    const callee = { declaration: name, arrow: name, class: `new ${className}().save`, object: `${name}.write` }[kind];
    // Most functions run: their sites are then executed, before and after the fix.
    const call = this.pick(true, true, false)
      ? [`${context.async && isAsync ? 'await ' : ''}${callee}(file, data)${this.end()}`]
      : [];
    switch (kind) {
      case 'declaration':
        return [
          `${this.lang !== 'cjs' && context.depth === 0 && this.bool() ? 'export ' : ''}${isAsync ? 'async ' : ''}function ${name}(${params}) {`,
          ...body,
          '}',
          ...call,
        ];
      case 'arrow':
        return [`const ${name} = ${isAsync ? 'async ' : ''}(${params}) => {`, ...body, `}${this.end()}`, ...call];
      case 'class':
        return [
          `class ${className} {`,
          `${this.style.indent}${isAsync ? 'async ' : ''}save(${params}) {`,
          ...body.map((l) => this.style.indent + l),
          `${this.style.indent}}`,
          '}',
          ...call,
        ];
      default:
        return [
          `const ${name} = {`,
          `${this.style.indent}${isAsync ? 'async ' : ''}write(${params}) {`,
          ...body.map((l) => this.style.indent + l),
          `${this.style.indent}},`,
          `}${this.end()}`,
          ...call,
        ];
    }
  }

  /** One save: a write of `tmp`, maybe a sync, a rename to the destination, in one of many shapes. */
  site(context) {
    // A destination local used only by the temp name and the rename (its declaration must survive
    // a fix that moves its reference into the helper call), sometimes shadowing the outer `file`.
    const local = this.pick('none', 'none', 'local', 'shadow');
    if (local !== 'shadow') return this.siteLines(context, local === 'local' ? this.fresh('destination') : undefined);
    // A fix that drops the inner declaration and keeps a reference to it writes the outer binding's
    // file (a global or a parameter): the final directory contents show it.
    const outer = this.pick('file', 'dest', 'target');
    return ['{', ...this.siteLines(context, outer).map((l) => this.style.indent + l), '}'];
  }

  siteLines(context, localDest) {
    const e = this.end();
    const tmp = this.fresh('tmp');
    const site = { id: this.counter, shapes: new Set() };
    this.sites.push(site);
    if (localDest && /^destination/.test(localDest)) site.shapes.add(`local-destination-${this.lang}`);
    else if (localDest) site.shapes.add('shadowing-name');
    const destInit = this.pick("path.join(dir, 'local#.json')", '`${dir}/local#.json`', "'local#.json'").replaceAll(
      '#',
      String(this.counter),
    );
    let tmpInit = localDest
      ? this.pick(`${localDest} + '.tmp'`, `\`\${${localDest}}.tmp\``)
      : this.claim(this.pick(...PATH_EXPRESSIONS), "'out#.json'").replaceAll('#', String(this.counter));
    // Inside a loop, a temp name per round (as write-file-atomic names its temp files), most of the
    // time; `tmpDeclaration` is filled in once the site's calls are known (see the end).
    let sharedAcrossRounds = context.rounds.length > 0 && this.pick(false, false, false, true);
    const lines = localDest ? [`const ${localDest} = ${destInit}${e}`] : [];
    const tmpDeclaration = lines.push('') - 1;
    const dest =
      localDest ??
      this.claim(
        this.pick('file', 'dest', `'state${this.counter}.json'`, 'target', `'state${this.counter}.json'`),
        `'state${this.counter}.json'`,
      );
    const data = this.pick(...DATA_EXPRESSIONS);
    const sync = this.pick('none', 'none', 'flush', 'fsync');
    const renameTarget = this.pick(tmp, tmp, tmp, 'other');
    const renameOrder = this.pick('after', 'after', 'after', 'before', 'missing');
    const flags =
      sync === 'flush' ? `, { flush: true }` : this.pick('', '', `, ${this.q('utf8')}`, `, { mode: 0o600 }`);
    let renameFlavour;
    // A rename of the temp issued above its write completes first (sync, awaited): issued and not
    // awaited, it would race the write, and the kernel's order of the two would decide what the
    // program does, run by run. A rename of 'other.tmp' (never written) fails alike in every run.
    const renameCompletesFirst = renameOrder === 'before' && renameTarget !== 'other';
    // Inside a callback or a `.then` handler `await` is not allowed.
    const rename = (indent = '', inCallback = false) => {
      if (renameOrder === 'missing') return [];
      const from = renameTarget === 'other' ? this.q('other.tmp') : tmp;
      const awaitable = context.async && !inCallback;
      const flavours = renameCompletesFirst
        ? ['sync', ...(awaitable ? ['await'] : [])]
        : ['sync', 'callback', ...(awaitable ? ['await'] : []), 'then'];
      const flavour = (renameFlavour = this.pick(...flavours));
      switch (flavour) {
        case 'sync':
          return [`${indent}${this.fn('fs', 'renameSync')}(${from}, ${dest})${e}`];
        case 'callback':
          return [
            `${indent}${this.fn('fs', 'rename')}(${from}, ${dest}, (err) => {`,
            `${indent}${this.style.indent}if (err) throw err${e}`,
            `${indent}})${e}`,
          ];
        case 'await':
          return [`${indent}await ${this.fn('fs/promises', 'rename')}(${from}, ${dest})${e}`];
        default:
          return [
            `${indent}${this.fn('fs/promises', 'rename')}(${from}, ${dest}).then(() => console.log('saved'))${e}`,
          ];
      }
    };
    const flavours = context.async
      ? ['sync', 'callback', 'await', 'then', 'filehandle', 'descriptor', 'descriptor-callback', 'stream']
      : ['sync', 'callback', 'then', 'descriptor', 'descriptor-callback', 'stream'];
    const flavour = this.pick(...flavours);
    if (renameOrder === 'before') lines.push(...rename());
    const after = renameOrder === 'before' ? undefined : rename;
    switch (flavour) {
      case 'sync':
        lines.push(`${this.fn('fs', 'writeFileSync')}(${tmp}, ${data}${flags})${e}`);
        if (sync === 'fsync') lines.push(...this.fsyncByPath(tmp));
        if (after) lines.push(...after());
        break;
      case 'callback': {
        const inner = [`${this.style.indent}if (err) return done(err)${e}`];
        if (sync === 'fsync') inner.push(...this.fsyncByPath(tmp).map((l) => this.style.indent + l));
        if (after) inner.push(...after(this.style.indent, true));
        lines.push(`${this.fn('fs', 'writeFile')}(${tmp}, ${data}${flags}, (err) => {`, ...inner, `})${e}`);
        break;
      }
      case 'await':
        lines.push(`await ${this.fn('fs/promises', 'writeFile')}(${tmp}, ${data}${flags})${e}`);
        if (sync === 'fsync') lines.push(...this.fsyncByPath(tmp));
        if (after) lines.push(...after());
        break;
      case 'then': {
        const inner = after ? after(this.style.indent, true) : [];
        lines.push(`${this.fn('fs/promises', 'writeFile')}(${tmp}, ${data}${flags}).then(() => {`, ...inner, `})${e}`);
        break;
      }
      case 'filehandle': {
        const handle = this.fresh('handle');
        lines.push(`const ${handle} = await ${this.fn('fs/promises', 'open')}(${tmp}, ${this.q('w')})${e}`);
        const body = [`await ${handle}.writeFile(${data})${e}`];
        if (sync !== 'none') body.push(`await ${handle}.${this.pick('sync', 'datasync')}()${e}`);
        if (this.bool()) {
          lines.push(
            'try {',
            ...body.map((l) => this.style.indent + l),
            '} finally {',
            `${this.style.indent}await ${handle}.close()${e}`,
            '}',
          );
        } else {
          lines.push(...body, `await ${handle}.close()${e}`);
        }
        if (after) lines.push(...after());
        break;
      }
      case 'descriptor': {
        const fd = this.fresh('fd');
        lines.push(`const ${fd} = ${this.fn('fs', 'openSync')}(${tmp}, ${this.q('w')})${e}`);
        lines.push(`${this.fn('fs', 'writeSync')}(${fd}, ${data})${e}`);
        if (sync !== 'none') lines.push(`${this.fn('fs', this.pick('fsyncSync', 'fdatasyncSync'))}(${fd})${e}`);
        lines.push(`${this.fn('fs', 'closeSync')}(${fd})${e}`);
        if (after) lines.push(...after());
        break;
      }
      case 'descriptor-callback': {
        // open → write → (fsync) → close → rename, each in the previous one's callback.
        const i = this.style.indent;
        const fd = this.fresh('fd');
        const close = [`${this.fn('fs', 'close')}(${fd}, () => {`, ...(after ? after(i, true) : []), `})${e}`];
        const inner =
          sync !== 'none'
            ? [`${this.fn('fs', this.pick('fsync', 'fdatasync'))}(${fd}, () => {`, ...close.map((l) => i + l), `})${e}`]
            : close;
        lines.push(
          `${this.fn('fs', 'open')}(${tmp}, ${this.q('w')}, (err, ${fd}) => {`,
          `${i}${this.fn('fs', 'write')}(${fd}, ${data}, () => {`,
          ...inner.map((l) => i + i + l),
          `${i}})${e}`,
          `})${e}`,
        );
        break;
      }
      default: {
        const stream = this.fresh('out');
        const streamOptions = sync === 'flush' ? ', { flush: true }' : '';
        lines.push(`const ${stream} = ${this.fn('fs', 'createWriteStream')}(${tmp}${streamOptions})${e}`);
        lines.push(`${stream}.write(${data})${e}`);
        lines.push(`${stream}.end()${e}`);
        const inner = after ? after(this.style.indent, true) : [];
        lines.push(`${stream}.on(${this.q(this.pick('close', 'finish'))}, () => {`, ...inner, `})${e}`);
      }
    }
    // The next statement runs before an unawaited call completes, so rounds of a loop overlap (and
    // at each `await` too, in an async body no one waits for): on a temp path shared across rounds,
    // one round's rename would race the next round's write. Such a site names its temp per round too.
    // Other sites keep a shared temp: rounds that write it and never rename it write the same bytes
    // (the data does not depend on the round), so it ends the same in any order; a rename above the
    // write fails on the missing temp and throws before the write, in every round.
    const ordered = context.roundsOverlap ? ['sync', 'descriptor'] : ['sync', 'await', 'filehandle', 'descriptor'];
    const unawaited = (f) => f !== undefined && !ordered.includes(f);
    const publishesWrittenTemp = renameOrder === 'after' && renameTarget !== 'other';
    if (sharedAcrossRounds && publishesWrittenTemp && (unawaited(flavour) || unawaited(renameFlavour)))
      sharedAcrossRounds = false;
    if (context.rounds.length > 0 && !sharedAcrossRounds)
      tmpInit = [tmpInit, ...context.rounds].join(` + ${this.q('.')} + `);
    lines[tmpDeclaration] = `const ${tmp} = ${tmpInit}${e}`;
    if (flavour === 'callback' || flavour === 'descriptor-callback' || renameFlavour === 'callback')
      site.shapes.add('callback');
    if (flavour === 'filehandle') site.shapes.add('filehandle');
    if (flavour === 'stream') site.shapes.add('stream');
    lines[0] += `${SITE_MARK}${site.id}`;
    lines[lines.length - 1] += `${SITE_MARK}${site.id}`;
    return lines;
  }

  fsyncByPath(path) {
    const e = this.end();
    const fd = this.fresh('syncFd');
    return [
      `const ${fd} = ${this.fn('fs', 'openSync')}(${path}, ${this.q('r+')})${e}`,
      `${this.fn('fs', 'fsyncSync')}(${fd})${e}`,
      `${this.fn('fs', 'closeSync')}(${fd})${e}`,
    ];
  }

  render(body) {
    const e = this.end();
    const head = [];
    for (const [source, names] of this.imports) {
      const defaultLocal = names.get('*default*');
      const named = [...names].filter(([name]) => name !== '*default*');
      if (this.lang === 'cjs') {
        if (defaultLocal) head.push(`const ${defaultLocal} = require(${this.q(source)})${e}`);
        if (named.length) {
          const list = named.map(([name, local]) => (name === local ? name : `${name}: ${local}`)).join(', ');
          head.push(`const { ${list} } = require(${this.q(source)})${e}`);
        }
      } else {
        if (defaultLocal) head.push(`import ${defaultLocal} from ${this.q(source)}${e}`);
        if (named.length) {
          const list = named.map(([name, local]) => (name === local ? name : `${name} as ${local}`)).join(', ');
          head.push(`import { ${list} } from ${this.q(source)}${e}`);
        }
      }
    }
    if (this.lang === 'cjs' && this.bool()) head.unshift(`${this.q('use strict')}${e}`);
    const declarations =
      this.lang === 'ts' ? ['declare const data: string, file: string, dest: string, target: string;'] : [];
    const lines = [...head, ...declarations, '', ...body, ''];
    // Each site's first and last line, 1-based, from its marks; then the marks go.
    const at = new Map();
    for (const [i, line] of lines.entries()) {
      for (const mark of line.matchAll(new RegExp(`${SITE_MARK}(\\d+)`, 'g'))) {
        const id = Number(mark[1]);
        at.set(id, { first: at.get(id)?.first ?? i + 1, last: i + 1 });
      }
      lines[i] = line.replaceAll(new RegExp(`${SITE_MARK}\\d+`, 'g'), '');
    }
    const sites = this.sites.map(({ id, shapes }) => ({ ...at.get(id), shapes: [...shapes] }));
    return { text: lines.join(this.style.eol), sites };
  }
}
