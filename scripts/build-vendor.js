// Part of `npm run build`: the part of the durable helper that fixes call (`writeFileDurable`,
// `writeFileDurableSync`), as ONE self-contained file that `durable-write fix --vendor <file>` copies
// into a project that wants no runtime dependency:
//   dist/vendor/durable-write.ts   TypeScript (compiles under TypeScript 5.0 and later, lib ES2022, any module setting)
//   dist/vendor/durable-write.mjs  JavaScript ES module
//   dist/vendor/durable-write.cjs  JavaScript CommonJS module
// The entry is src/durable/vendored.ts: the durable core with none of the runtime's extra layers
// (see src/durable/layers.ts). No bundler: the modules it reaches are concatenated in dependency
// order, their own imports dropped, a namespace import (`import * as io`) turned into an object, declarations nothing uses
// dropped, and the node: imports merged. A name declared by two modules fails the build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = path.join(root, 'src', 'durable');
const outDir = path.join(root, 'dist', 'vendor');
const { version } = JSON.parse(
  fs.readFileSync(path.join(root, 'packages', 'durable-write-runtime', 'package.json'), 'utf8'),
);
const entry = 'vendored.ts';

const parse = (name) =>
  ts.createSourceFile(name, fs.readFileSync(path.join(srcDir, name), 'utf8'), ts.ScriptTarget.Latest, true);
const declaredNames = (statement) => {
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return statement.name && ts.isIdentifier(statement.name) ? [statement.name.text] : [];
};
const hasExport = (statement) =>
  ts.canHaveModifiers(statement) &&
  (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const isType = (statement) => ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);

// Modules in dependency order, each once.
const order = [];
const namespaces = new Map(); // local name → module file
const visit = (name) => {
  if (order.includes(name)) return;
  for (const statement of parse(name).statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier?.text
        : undefined;
    if (!specifier?.startsWith('./')) continue;
    const module = specifier.slice(2).replace(/\.js$/, '.ts');
    const bindings = ts.isImportDeclaration(statement) && statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.set(bindings.name.text, module);
    visit(module);
  }
  order.push(name);
};
visit(entry);
/** What a vendored copy exports: what the entry exports (the functions fixes call). */
const publicNames = new Set(
  parse(entry).statements.flatMap((statement) => {
    if (ts.isExportDeclaration(statement))
      return statement.exportClause && ts.isNamedExports(statement.exportClause)
        ? statement.exportClause.elements.map((e) => e.name.text)
        : [];
    return hasExport(statement) ? declaredNames(statement) : [];
  }),
);

const nodeImports = new Map(); // module → { namespace, named: Set, types: Set }
const pieces = []; // { names, text, type, public }
const declaredBy = new Map();
for (const name of order) {
  const file = parse(name);
  const body = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const source = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (source.startsWith('./')) continue;
      const entry = nodeImports.get(source) ?? { namespace: undefined, named: new Set(), types: new Set() };
      // A namespace import works without esModuleInterop, a default import does not.
      if (clause?.name) entry.namespace = clause.name.text;
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings))
        entry.namespace = clause.namedBindings.name.text;
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements)
          (clause.isTypeOnly || element.isTypeOnly ? entry.types : entry.named).add(element.name.text);
      }
      nodeImports.set(source, entry);
      continue;
    }
    if (ts.isExportDeclaration(statement)) continue;
    const names = declaredNames(statement);
    for (const n of names) {
      if (declaredBy.has(n)) throw new Error(`build-vendor: ${n} is declared by both ${declaredBy.get(n)} and ${name}`);
      declaredBy.set(n, name);
    }
    body.push({ names, statement, file });
  }
  const namespaceOf = [...namespaces].find(([, module]) => module === name)?.[0];
  if (namespaceOf) {
    // `import * as io from './io.js'`: the module's exports as one object, its scope kept.
    const exported = body.filter((p) => hasExport(p.statement)).flatMap((p) => p.names);
    const inner = body.map((p) => p.statement.getText(p.file).replace(/^export /, '')).join('\n');
    const names = [namespaceOf];
    declaredBy.set(namespaceOf, name);
    const own = new Set(body.flatMap((p) => p.names));
    pieces.push({
      names,
      text: `const ${namespaceOf} = (() => {\n${inner}\nreturn { ${exported.join(', ')} };\n})();`,
      type: false,
      public: false,
      own,
    });
    // Modules that import some of its names directly get them from the object.
    for (const n of exported)
      pieces.push({ names: [n], text: `const ${n} = ${namespaceOf}.${n};`, type: false, public: false });
    continue;
  }
  for (const p of body) {
    const text = p.statement.getText(p.file);
    const isPublic = p.names.some((n) => publicNames.has(n)) || (isType(p.statement) && hasExport(p.statement));
    pieces.push({
      names: p.names,
      text: isPublic ? text : text.replace(/^export /, ''),
      type: isType(p.statement),
      public: isPublic,
    });
  }
}

// Keep what the public declarations need, transitively: by the identifiers each piece refers to.
const referenced = (text) => {
  const names = new Set();
  const walk = (node) => {
    if (ts.isIdentifier(node)) names.add(node.text);
    node.forEachChild((child) => {
      if (ts.isPropertyAccessExpression(node) && child === node.name) return;
      if (
        (ts.isPropertyAssignment(node) ||
          ts.isPropertySignature(node) ||
          ts.isPropertyDeclaration(node) ||
          ts.isMethodDeclaration(node)) &&
        child === node.name
      )
        return;
      walk(child);
    });
  };
  walk(ts.createSourceFile('piece.ts', text, ts.ScriptTarget.Latest, true));
  return names;
};
for (const p of pieces) p.refs = new Set([...referenced(p.text)].filter((n) => !p.own?.has(n)));
const kept = new Set(pieces.filter((p) => p.public && !p.type));
for (let grew = true; grew;) {
  grew = false;
  const needed = new Set([...kept].flatMap((p) => [...p.refs]));
  for (const p of pieces) {
    if (!kept.has(p) && p.names.some((n) => needed.has(n))) {
      kept.add(p);
      grew = true;
    }
  }
}
const code = pieces
  .filter((p) => kept.has(p))
  .map((p) => p.text)
  .join('\n\n');
const used = referenced(code);
const uses = (_text, name) => used.has(name);
// In the order Biome's organizeImports keeps (an assist `biome check` runs by default):
// by module, then type, namespace and named imports of one module, names sorted. Projects lint the
// copy with their own rules, and an order of our own fails them.
const imports = [...nodeImports]
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  .flatMap(([source, { namespace, named, types }]) => {
    const lines = [];
    const typeNames = [...types].filter((n) => uses(code, n)).sort();
    if (typeNames.length) lines.push(`import type { ${typeNames.join(', ')} } from '${source}';`);
    if (namespace && uses(code, namespace)) lines.push(`import * as ${namespace} from '${source}';`);
    const values = [...named].filter((n) => uses(code, n)).sort();
    if (values.length) lines.push(`import { ${values.join(', ')} } from '${source}';`);
    return lines;
  })
  .join('\n');

const header = `// durable-write-runtime ${version}: writeFileDurable and writeFileDurableSync, vendored by
// \`durable-write fix --vendor\` (https://github.com/eslint-plugin-durable-write/eslint-plugin-durable-write).
// Temp file, write, fsync, rename over the target, fsync of the directory; a symlink at the target is
// followed as fs.writeFile follows it, and calls on one path run in call order. Unlike the runtime
// package, this copy throws fs's own errors, gives the file the default mode and tries a rename once,
// as writeFile + rename did. Regenerate rather than edit.
`;
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const source = ts.createSourceFile('durable-write.ts', `${imports}\n\n${code}\n`, ts.ScriptTarget.Latest, true);
/**
 * A blank line after the last import (or require): TypeScript's printer and emit drop it, and Biome's
 * organizeImports requires it before the first statement that is not an import.
 */
function separateImports(text) {
  const lastImport = [...text.matchAll(/^(?:import .*|const .* = require\(.*\);)$/gm)].at(-1);
  if (!lastImport) return text;
  const end = lastImport.index + lastImport[0].length;
  return text.startsWith('\n\n', end) ? text : `${text.slice(0, end)}\n${text.slice(end)}`;
}
const typescript = separateImports(header + printer.printFile(source));

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'durable-write.ts'), typescript);
const esm = ts.transpileModule(typescript, {
  fileName: 'durable-write.ts',
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: false },
  reportDiagnostics: true,
});
if (esm.diagnostics?.length)
  throw new Error(`build-vendor: ${ts.flattenDiagnosticMessageText(esm.diagnostics[0].messageText, '\n')}`);
fs.writeFileSync(path.join(outDir, 'durable-write.mjs'), separateImports(esm.outputText));
// The CommonJS copy is the ES module with its import and export statements swapped for `require`
// and `module.exports`: TypeScript's CommonJS emit adds interop helpers and `(0, f)()` calls, which
// read like generated code and fail linters (Biome's noCommaOperator).
const exported = [];
const commonjs = separateImports(
  esm.outputText
    .replace(/^import \* as (\w+) from ('[^']+');$/gm, 'const $1 = require($2);')
    .replace(/^import (\{[^}]+\}) from ('[^']+');$/gm, 'const $1 = require($2);')
    .replace(/^export (?:async function\*?|function\*?|const|class) (\w+)/gm, (declaration, name) => {
      exported.push(name);
      return declaration.slice('export '.length);
    }),
);
if (/^(?:import|export) /m.test(commonjs))
  throw new Error('build-vendor: an import or export left in the CommonJS copy');
const firstRequire = commonjs.search(/^const .* = require\(/m);
fs.writeFileSync(
  path.join(outDir, 'durable-write.cjs'),
  `${commonjs.slice(0, firstRequire)}'use strict';\n${commonjs.slice(firstRequire)}module.exports = { ${exported.join(', ')} };\n`,
);

// The CLI's bin: tsc keeps the shebang but not the executable bit.
const cli = path.join(root, 'dist', 'codemods', 'cli.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
