/**
 * The call graph's imports (src/engine/call-graph.ts): `importedSources` reads, off the scopes, every
 * module a callee of the graph can come from, so a file can be asked about its imports before (or
 * without) its graph is built.
 */
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CallGraph, importedSources } from '../../src/engine/call-graph.js';
import { FileKeys } from '../../src/engine/file-key.js';

/** The sources `importedSources` reads, and those of the imported callees the graph resolves. */
function sources(code: string, sourceType: 'module' | 'commonjs' = 'module'): { read: string[]; called: string[] } {
  const read: string[] = [];
  const called = new Set<string>();
  const rule: Rule.RuleModule = {
    create(context) {
      const { sourceCode } = context;
      read.push(...importedSources(sourceCode));
      const graph = new CallGraph(sourceCode, new FileKeys((node) => sourceCode.getScope(node)));
      for (const call of graph.calls) {
        const callee = graph.calleeOf(call);
        if (callee?.kind === 'import') called.add(callee.source);
      }
      return {};
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(code, {
    languageOptions: { ecmaVersion: 'latest', sourceType },
    plugins: { test: { rules: { rule } } },
    rules: { 'test/rule': 'error' },
  });
  expect(messages).toEqual([]);
  return { read: read.sort(), called: [...called].sort() };
}

describe('importedSources', () => {
  it('reads ES imports, re-exports aside, and the module an imported class comes from', () => {
    const { read, called } = sources(`
      import save from './save.js';
      import { move as mv } from './move.js';
      import * as store from './store.js';
      import { Registry } from './registry.js';
      export { x } from './reexported.js';
      const registry = new Registry(dir);
      save(file, data);
      mv(file, dest);
      store.put(file, data);
      registry.commit(file);
    `);
    expect(read).toEqual(['./move.js', './registry.js', './save.js', './store.js']);
    expect(called).toEqual(['./move.js', './registry.js', './save.js', './store.js']);
  });

  it('reads every require of a constant name: undeclared, inline, wrapped, and a bundle’s own `require`', () => {
    const { read, called } = sources(
      `
      const a = require('./a');
      const { b } = require('./b');
      require('./inline').write(file, data);
      const c = __importDefault(require('./wrapped'));
      (function (module, exports, require) {
        const d = require('./bundled');
        d.rename(file, dest);
      })();
      function later() {
        return require('./lazy').commit(file);
      }
      require(name);
      a(file);
      b(file);
      c.default(file);
    `,
      'commonjs',
    );
    expect(read).toEqual(['./a', './b', './bundled', './inline', './lazy', './wrapped']);
    expect(called.every((source) => read.includes(source))).toBe(true);
    expect(called).toEqual(['./a', './b', './bundled', './inline', './lazy', './wrapped']);
  });

  it('leaves out imports for side effects and bindings never read: they can be no callee', () => {
    const esm = sources(`
      import './setup.js';
      import unused from './unused.js';
      import { used } from './used.js';
      used(file);
    `);
    expect(esm.read).toEqual(['./used.js']);
    expect(esm.called).toEqual(['./used.js']);
    const cjs = sources(
      `
      require('./setup');
      require('./register').install;
      const unused = __importDefault(require('./unused'));
      const { write } = require('./write');
      const passed = wrap(require('./passed'));
      write(file, data);
    `,
      'commonjs',
    );
    expect(cjs.read).toEqual(['./passed', './write']);
    expect(cjs.called).toEqual(['./write']);
  });

  it('reads nothing from a file that imports nothing', () => {
    expect(sources(`const fs = globalThis.fs; fs.renameSync(a, b);`).read).toEqual([]);
  });
});
