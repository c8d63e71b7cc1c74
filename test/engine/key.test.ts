/**
 * File keys on their own (src/engine/key.ts, src/engine/file-key.ts): what a key prints, when two
 * keys are equal, how a path template takes a call's arguments, and the keys path expressions get.
 */
import { Linter, type Rule } from 'eslint';
import type * as ESTree from 'estree';
import { describe, expect, it } from 'vitest';
import { FileKeys } from '../../src/engine/file-key.js';
import {
  FileKey,
  instantiate,
  instantiateAll,
  isInside,
  parameterOf,
  rebind,
  rootOf,
  slotsOf,
  term,
  type ArgumentShape,
} from '../../src/engine/key.js';

const key = (t: ReturnType<typeof term.value>): FileKey => FileKey.tracked(t);
const binding = (id: string): FileKey => key(term.binding(id));
const slot = (s: number | 'this' | 'call'): FileKey => key(term.slot(s));

describe('printing', () => {
  it('prints every kind of term the way the debug dump shows it', () => {
    const dir = term.binding('v0');
    expect(new FileKey(term.value('a.json')).id).toBe('"a.json"');
    expect(new FileKey(term.value(3)).id).toBe('3');
    expect(new FileKey(term.global('process')).id).toBe('global:process');
    expect(new FileKey(term.this).id).toBe('this');
    expect(new FileKey(term.slot(0)).id).toBe('§0§');
    expect(new FileKey(term.slot('call')).id).toBe('§call§');
    expect(new FileKey(term.template([term.value(''), dir, term.value('/x')])).id).toBe('tpl(v0,"/x")');
    expect(new FileKey(term.concat(dir, term.value('.tmp'))).id).toBe('tpl(v0,".tmp")');
    // `+` and a template literal that join the same parts print alike: they name the same file.
    expect(new FileKey(term.concat(term.concat(dir, term.value('.t')), term.value('mp'))).id).toBe('tpl(v0,".tmp")');
    expect(new FileKey(term.template([term.value(''), dir, term.value('')])).id).toBe('v0');
    expect(new FileKey(term.path('join', [dir, term.value('x')])).id).toBe('join(v0,"x")');
    expect(new FileKey(term.member(term.member(dir, 'a'), '#tmp')).id).toBe('v0.a.#tmp');
    expect(new FileKey(term.element(dir)).id).toBe('v0[]');
    expect(new FileKey(term.result('12')).id).toBe('ret@12');
    expect(new FileKey(term.built('/m.js:40', [term.slot(0)])).id).toBe('call:/m.js:40(§0§)');
    expect(String(new FileKey(term.element(dir)))).toBe('v0[]');
  });

  it('serialises as its printed term and deps, so summaries compare as plain data', () => {
    const k = FileKey.tracked(term.member(term.slot(0), 'tmp'), [term.slot(0)]);
    expect(JSON.parse(JSON.stringify({ write: k }))).toEqual({ write: { key: '§0§.tmp', deps: ['§0§', '§0§.tmp'] } });
  });
});

describe('equality', () => {
  it('is equality of terms, whatever the deps', () => {
    const a = new FileKey(term.concat(term.binding('v1'), term.value('.tmp')), [term.binding('v1')]);
    const b = new FileKey(term.concat(term.binding('v1'), term.value('.tmp')));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(new FileKey(term.concat(term.binding('v2'), term.value('.tmp'))))).toBe(false);
    expect(a.equals(undefined)).toBe(false);
  });

  it('keeps a string apart from a number and from a binding of the same spelling', () => {
    expect(new FileKey(term.value('1')).equals(new FileKey(term.value(1)))).toBe(false);
    expect(new FileKey(term.value('v1')).equals(binding('v1'))).toBe(false);
  });
});

describe('relations', () => {
  const dir = binding('v1');
  const file = (t: ReturnType<typeof term.value>): FileKey => new FileKey(t);

  it('a file is inside a directory joined, concatenated or templated with a separator', () => {
    expect(isInside(file(term.path('join', [dir.term, term.value('a')])), dir)).toBe(true);
    expect(isInside(file(term.path('resolve', [dir.term, term.value('a')])), dir)).toBe(true);
    const slash = term.concat(dir.term, term.value('/'));
    expect(isInside(file(term.concat(slash, term.binding('v2'))), dir)).toBe(true);
    expect(isInside(file(term.template([term.value(''), dir.term, term.value('/a')])), dir)).toBe(true);
    // `dir + '~/log'` inside `` `${dir}~` ``; `'/tmp/a/x'` inside `'/tmp/a'`.
    const staged = file(term.template([term.value(''), dir.term, term.value('~')]));
    expect(isInside(file(term.concat(dir.term, term.value('~/log'))), staged)).toBe(true);
    expect(isInside(file(term.value('/tmp/a/x')), file(term.value('/tmp/a')))).toBe(true);
  });

  it('a relative path is inside a folder spelled from the working directory', () => {
    const cwd = term.global('process.cwd()');
    const spelled = file(term.template([term.value(''), cwd, term.value('/node_modules/twemoji/')]));
    const joined = file(term.path('join', [cwd, term.value('node_modules/twemoji')]));
    const moved = file(term.value('node_modules/twemoji/master/assets'));
    expect(isInside(moved, spelled)).toBe(true);
    expect(isInside(moved, joined)).toBe(true);
    expect(
      isInside(file(term.path('join', [term.value('node_modules'), term.value('twemoji'), dir.term])), spelled),
    ).toBe(true);
    // Another folder, the folder itself, or a step out of it is not inside.
    expect(isInside(file(term.value('node_modules/other/a')), spelled)).toBe(false);
    expect(isInside(file(term.value('node_modules/twemoji')), joined)).toBe(false);
    expect(isInside(file(term.value('node_modules/twemoji/../x')), joined)).toBe(false);
  });

  it('more of a name after a file inside a directory is still inside it (`${join(dir, name)}.exe`)', () => {
    const named = term.path('join', [dir.term, term.binding('v2')]);
    expect(isInside(file(term.template([term.value(''), named, term.value('.exe')])), dir)).toBe(true);
    expect(isInside(file(term.concat(named, term.binding('v3'))), dir)).toBe(true);
    // Not with a separator in what follows: `join(dir, name) + '/../x'` may leave it.
    expect(isInside(file(term.concat(named, term.value('/../x'))), dir)).toBe(false);
    // Nor after the directory itself: `dir + '.bak'` is beside it.
    expect(isInside(file(term.concat(term.path('join', [dir.term]), term.value('.bak'))), dir)).toBe(false);
  });

  it('a join is inside the join of its first parts (`join(dir, "app", "x.js")` in `join(dir, "app")`)', () => {
    const app = file(term.path('join', [dir.term, term.value('app')]));
    expect(isInside(file(term.path('join', [dir.term, term.value('app'), term.value('x.js')])), app)).toBe(true);
    // Also when a string part holds the separator, on either side.
    expect(isInside(file(term.path('join', [dir.term, term.value('app/x.js')])), app)).toBe(true);
    const appDist = file(term.path('join', [dir.term, term.value('app/dist')]));
    expect(
      isInside(file(term.path('join', [dir.term, term.value('app'), term.value('dist'), term.value('x')])), appDist),
    ).toBe(true);
    expect(isInside(file(term.path('join', [dir.term, term.value('application/x.js')])), app)).toBe(false);
    expect(isInside(file(term.path('join', [dir.term, term.value('app/../x.js')])), app)).toBe(false);
    // Not another folder's, nor one that steps back out of it, nor the folder itself.
    expect(isInside(file(term.path('join', [dir.term, term.value('lib'), term.value('x.js')])), app)).toBe(false);
    expect(
      isInside(file(term.path('join', [dir.term, term.value('app'), term.value('..'), term.value('x.js')])), app),
    ).toBe(false);
    expect(isInside(file(term.path('join', [dir.term, term.value('app')])), app)).toBe(false);
  });

  it('a sibling, the directory itself and a join that starts elsewhere are not inside', () => {
    expect(isInside(file(term.concat(dir.term, term.value('.bak'))), dir)).toBe(false);
    expect(isInside(dir, dir)).toBe(false);
    expect(isInside(file(term.path('join', [dir.term])), dir)).toBe(false);
    expect(isInside(file(term.path('join', [term.binding('v2'), dir.term])), dir)).toBe(false);
    expect(isInside(file(term.template([term.value('x'), dir.term, term.value('/a')])), dir)).toBe(false);
    expect(
      isInside(file(term.concat(dir.term, term.value('~log'))), file(term.concat(dir.term, term.value('~')))),
    ).toBe(false);
    expect(isInside(file(term.value('/tmp/ab')), file(term.value('/tmp/a')))).toBe(false);
  });

  it('a field knows its object: `x.promises` is a field of `x`', () => {
    expect(file(term.member(dir.term, 'promises')).objectOf('promises')?.equals(dir)).toBe(true);
    expect(file(term.member(dir.term, 'fs')).objectOf('promises')).toBeUndefined();
    expect(file(term.value('x.promises')).objectOf('promises')).toBeUndefined();
  });

  it('a key mentions its terms, not keys that merely print alike', () => {
    const rotated = file(term.concat(dir.term, term.value('.1')));
    expect(rotated.mentions(dir)).toBe(true);
    expect(file(term.binding('v12')).mentions(dir)).toBe(false);
    expect(file(term.member(dir.term, 'tmpx')).mentions(file(term.member(dir.term, 'tmp')))).toBe(false);
  });
});

describe('instantiate', () => {
  const template = FileKey.tracked(term.concat(term.member(term.slot(0), 'dir'), term.value('.tmp')), [term.slot(0)]);

  it('puts the argument keys in the slots, and their deps in the slots of the deps', () => {
    const file = instantiate(template, { args: [binding('v7')] });
    expect(file?.id).toBe('tpl(v7.dir,".tmp")');
    expect(file?.depIds).toEqual(['v7', 'tpl(v7.dir,".tmp")']);
  });

  it('has no key when an argument it needs has none', () => {
    expect(instantiate(template, { args: [undefined] })).toBeUndefined();
    expect(instantiate(slot('this'), { args: [] })).toBeUndefined();
  });

  it('fills `this` with the receiver and `call` with the call', () => {
    const receiver = binding('v2');
    const result = new FileKey(term.result('40'));
    expect(instantiate(new FileKey(term.member(term.slot('this'), 'tmp')), { args: [], receiver })?.id).toBe('v2.tmp');
    expect(instantiate(new FileKey(term.member(term.slot('call'), 'path')), { args: [], result })?.id).toBe(
      'ret@40.path',
    );
  });

  it('gives a built name `undefined` for a parameter the call does not pass, and nothing when a spread hides it', () => {
    const built = new FileKey(term.concat(term.value('dir/'), term.built('7?', [term.slot(0)])), [term.slot(0)]);
    expect(instantiate(built, { args: [], argumentCount: 0 })?.id).toBe('tpl("dir/",call:7?(global:undefined))');
    expect(instantiate(built, { args: [binding('v4')], argumentCount: 1 })?.id).toBe('tpl("dir/",call:7?(v4))');
    expect(instantiate(built, { args: [] })).toBeUndefined();
    // An argument passed with no key is unknown, not absent.
    expect(instantiate(built, { args: [undefined], argumentCount: 1 })).toBeUndefined();
    // Only a built name's parameters: a spelled one stays unknown.
    expect(instantiate(template, { args: [], argumentCount: 0 })).toBeUndefined();
  });

  it('substitutes structurally: an argument that prints like a slot is not a slot', () => {
    const file = instantiate(new FileKey(term.path('join', [term.slot(0), term.slot(1)])), {
      args: [new FileKey(term.value('§1§')), binding('v3')],
    });
    expect(file?.id).toBe('join("§1§",v3)');
  });
});

describe('term.path', () => {
  it('splits a template argument of a join at the separators in its text, wherever they are', () => {
    const name = term.binding('v3');
    const spelled = term.path('join', [term.binding('v2'), term.template([name, term.value('/views/a.js')])]);
    const apart = term.path('join', [term.binding('v2'), name, term.value('views'), term.value('a.js')]);
    expect(new FileKey(spelled).id).toBe(new FileKey(apart).id);
    const ext = term.binding('v4');
    const named = term.path('join', [term.binding('v2'), term.template([term.value('src/a.'), ext])]);
    expect(new FileKey(named).id).toBe('join(v2,"src",tpl("a.",v4))');
    expect(isInside(new FileKey(spelled), new FileKey(term.path('join', [term.binding('v2'), name])))).toBe(true);
  });

  it('takes some file inside some file inside a folder, named by one call, for some file inside it', () => {
    const named = (site: string) => term.path('join', [term.binding('v1'), term.result(site)]);
    // A recursive copy's summary: the same unknown name at each depth stays one key.
    expect(new FileKey(term.path('join', [named('7'), term.result('7')])).id).toBe('join(v1,ret@7)');
    const call = term.path('join', [term.binding('v1'), term.slot('call')]);
    expect(new FileKey(term.path('join', [call, term.slot('call')])).id).toBe('join(v1,§call§)');
    // A folder named by one call holds files named by another: not the folder.
    expect(new FileKey(term.path('join', [named('7'), term.result('9')])).id).toBe('join(join(v1,ret@7),ret@9)');
  });
});

describe('instantiateAll', () => {
  it('takes each path an array of objects holds', () => {
    const template = new FileKey(term.member(term.element(term.slot(0)), 'tempPath'));
    const shapes: ArgumentShape[] = [
      {
        elements: [
          { fields: new Map([['tempPath', { key: binding('v1') }]]) },
          { fields: new Map([['tempPath', { key: binding('v2') }]]) },
        ],
      },
    ];
    expect(instantiateAll(template, shapes, {}).map((k) => k.id)).toEqual(['v1', 'v2']);
  });

  it('names a file below a known directory that the literal cannot name: some file inside it', () => {
    // extractEntry({ entry, dir }) writes join(§0§.dir, §0§.entry.fileName); the caller's entry is unknown.
    const template = new FileKey(
      term.path('join', [
        term.member(term.slot(0), 'dir'),
        term.member(term.member(term.slot(0), 'entry'), 'fileName'),
      ]),
    );
    const shapes: ArgumentShape[] = [{ fields: new Map([['dir', { key: binding('v9') }]]) }];
    const result = new FileKey(term.result('77'));
    expect(instantiateAll(template, shapes, { result }).map((k) => k.id)).toEqual(['join(v9,ret@77)']);
    // Without the call's own name to stand for it, nothing; nor when the directory is the unknown part.
    expect(instantiateAll(template, shapes, {})).toEqual([]);
    const upsideDown = new FileKey(
      term.path('join', [term.member(term.slot(0), 'entry'), term.member(term.slot(0), 'dir')]),
    );
    expect(instantiateAll(upsideDown, shapes, { result })).toEqual([]);
    expect(instantiate(template, { args: [undefined], result })).toBeUndefined();
    expect(
      instantiate(new FileKey(term.path('join', [term.slot(0), term.slot(1)])), {
        args: [binding('v2'), undefined],
        result,
      })?.id,
    ).toBe('join(v2,ret@77)');
  });

  it('keeps accessors past a plain key, and has nothing for a field the literal lacks', () => {
    const template = new FileKey(term.member(term.element(term.slot(0)), 'tmp'));
    expect(instantiateAll(template, [{ key: binding('v4') }], {}).map((k) => k.id)).toEqual(['v4[].tmp']);
    expect(instantiateAll(template, [{ elements: [{ fields: new Map() }] }], {})).toEqual([]);
  });
});

describe('rebind', () => {
  it("turns a handler's free bindings into its factory's parameters", () => {
    const handler = FileKey.tracked(term.member(term.binding('v5'), 'tmp'), [term.binding('v5')]);
    const rebound = rebind(handler, new Map([['v5', 0]]));
    expect(rebound?.id).toBe('§0§.tmp');
    expect(rebound?.depIds).toEqual(['§0§', '§0§.tmp']);
  });

  it("gives up on the handler's own parameters and `this`", () => {
    expect(rebind(slot(0), new Map())).toBeUndefined();
    expect(rebind(slot('this'), new Map())).toBeUndefined();
    expect(rebind(slot('call'), new Map())?.id).toBe('§call§');
  });
});

describe('slots', () => {
  it('reads parameters, slots and roots from the term, not its text', () => {
    expect(parameterOf(slot(2))).toBe(2);
    expect(parameterOf(new FileKey(term.member(term.slot(2), 'x')))).toBeUndefined();
    expect(parameterOf(slot('this'))).toBeUndefined();
    expect([...slotsOf(term.concat(term.slot(1), term.member(term.slot('this'), 'a')))]).toEqual([1, 'this']);
    expect(rootOf(term.member(term.element(term.slot('call')), 'path'))).toEqual(term.slot('call'));
  });
});

/** The keys `FileKeys` gives the arguments of every `use(…)` call in `code`. */
function keysOf(code: string): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  const rule: Rule.RuleModule = {
    create(context) {
      const keys = new FileKeys((node) => context.sourceCode.getScope(node));
      return {
        'CallExpression[callee.name="use"]'(node: ESTree.CallExpression) {
          for (const arg of node.arguments) out.push(keys.of(arg, context.sourceCode.getScope(node))?.id);
        },
      };
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(code, {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { test: { rules: { keys: rule } } },
    rules: { 'test/keys': 'error' },
  });
  expect(messages).toEqual([]);
  return out;
}

describe('FileKeys', () => {
  it('gives equal keys to expressions that name the same file, however they are written', () => {
    const [a, b, c, d] = keysOf(`
      import path from 'node:path';
      export function save(dest) {
        const tmp = dest + '.tmp';
        use(tmp, dest + '.tmp', \`\${dest}.tmp\`, path.join(dest, 'x'));
      }
    `);
    expect(a).toMatch(/^tpl\(v\d+,"\.tmp"\)$/);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d).toMatch(/^join\(v\d+,"x"\)$/);
  });

  it('has no key for a value it cannot compare, and a global for an undeclared name', () => {
    expect(keysOf(`use(Math.random() + '.tmp', someGlobal);`)).toEqual([undefined, 'global:someGlobal']);
  });

  it('takes a field destructured from an object for the member chain', () => {
    const [a, b] = keysOf(`const job = {}; const { tmp } = job; use(tmp, job.tmp);`);
    expect(a).toBe(b);
    expect(a).toMatch(/^v\d+\.tmp$/);
  });
});
