/**
 * Findings at the user's call of a dependency that publishes a file without an fsync: a function of
 * another package (`writeFileAtomic(f, d, { fsync: false })`), a method of an instance of its class
 * (`writer.write(d)` on a steno `Writer`), or the `new` of such a class when none of its publishing
 * methods is called here (`new Low(new JSONFile(file))`: the adapter is written through elsewhere).
 * What a dependency does comes from reading its published code (`module-summaries.ts`), never from
 * a list of package names.
 */
import type { Rule, Scope } from 'eslint';
import type * as ESTree from 'estree';
import { CallGraph, calleeExpression, importBindings, importOf, requiredSource } from './call-graph.js';
import { FileKeys, propertyName } from './file-key.js';
import { findUnsyncedRenames, mayFindUnsyncedRenames } from './detector.js';
import { importedPublications, parsingOf, type RenameFinder } from './module-summaries.js';
import { isPackageSpecifier, packageOfSpecifier } from './module-resolution.js';
import { optionValue, Publications, type Publication } from './publications.js';

/** A call in the linted file that publishes a file through a dependency without an fsync. */
export interface UnsyncedDependencyCall {
  readonly call: ESTree.CallExpression | ESTree.NewExpression;
  /** The callee as written (`writer.write`, `new JSONFile`). */
  readonly name: string;
  /** The package imported here. */
  readonly dependency: string;
  /** The package whose code renames without an fsync, when another (lowdb → steno). */
  readonly through?: string;
  /** Set when the dependency fsyncs unless this option is turned off, as this call does. */
  readonly option?: string;
}

/** The engine inside a dependency: the renames it reports there, with the dependency's own imports summarised. */
const renamesInDependency: RenameFinder = (context, summaryHops, onRename) =>
  mayFindUnsyncedRenames(context.sourceCode.text, { crossModule: false })
    ? findUnsyncedRenames(context, { crossModule: true, summaryHops }, (finding) =>
        onRename(finding.rename, finding.syncedOnSomePath),
      )
    : {};

/**
 * Reports, at `Program:exit`, each call of the file that publishes through a dependency. Files that
 * call nothing imported from a package get no graph and no lookup.
 */
export function findDependencyPublications(
  context: Rule.RuleContext,
  onFinding: (finding: UnsyncedDependencyCall) => void,
  { onlyTurnedOff = false }: { onlyTurnedOff?: boolean } = {},
): Rule.RuleListener {
  const { sourceCode } = context;
  // Only calls that turn a package's fsync off in their own arguments (\`{ fsync: false }\`): the rule's
  // default, which reads no dependency's code for a file that has none.
  const turningOff = onlyTurnedOff ? callsTurningFsyncOff(sourceCode) : undefined;
  if (turningOff?.size === 0) return {};
  const called = calledDependencyExports(sourceCode);
  if (called.length === 0) return {};
  const lookup = importedPublications(context.physicalFilename, parsingOf(context), renamesInDependency);
  // The whole file is walked only when something it uses from a package publishes.
  if (!lookup || !called.some(({ source, name }) => lookup(source, name))) return {};
  const dependencyLookup = (source: string, name: string): Publication | undefined =>
    isPackageSpecifier(source) ? lookup(source, name) : undefined;
  return {
    'Program:exit': () => {
      const graph = new CallGraph(sourceCode, new FileKeys((node) => sourceCode.getScope(node)));
      const publications = new Publications(sourceCode, graph, dependencyLookup, '');
      for (const call of turningOff ?? graph.calls) {
        const publishing = publications.atCall(call);
        if (!publishing?.source) continue;
        const { publication, source, name, option } = publishing;
        if (turningOff && !option) continue;
        if (call.type === 'NewExpression' && staysHere(call, sourceCode)) continue;
        const dependency = packageOfSpecifier(source);
        onFinding({
          call,
          name,
          dependency,
          ...(publication.by && publication.by !== dependency ? { through: publication.by } : {}),
          ...(option ? { option } : {}),
        });
      }
    },
  };
}

/**
 * Is the instance a `new` makes kept where only this file uses it: a local binding or a field that is
 * never passed, returned or exported? Then it publishes where a publishing method is called on it
 * (reported there), and not at all otherwise.
 */
function staysHere(call: ESTree.NewExpression, sourceCode: Rule.RuleContext['sourceCode']): boolean {
  let parent = (call as Rule.Node).parent;
  while (parent?.type === 'AwaitExpression' || parent?.type === 'ChainExpression') parent = parent.parent;
  // `new Writer(f).write(d)`: the method call is the publication.
  if (parent?.type === 'MemberExpression' && parent.object === call) return true;
  if (parent?.type === 'AssignmentExpression' || parent?.type === 'PropertyDefinition') return true;
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') return false;
  if ((parent as Rule.Node).parent?.parent?.type === 'ExportNamedDeclaration') return false;
  const [variable] = sourceCode.getDeclaredVariables(parent);
  return !!variable?.references.every((reference) => {
    const use = (reference.identifier as Rule.Node).parent;
    return reference.init || (use?.type === 'MemberExpression' && use.object === reference.identifier);
  });
}

/**
 * The package exports the file calls, constructs or reads a member of: the import itself
 * (`Writer`, a default import as `default`, a module as `=`) and its members (`writeFileAtomic.sync`).
 */
function calledDependencyExports(sourceCode: Rule.RuleContext['sourceCode']): Array<{ source: string; name: string }> {
  const found: Array<{ source: string; name: string }> = [];
  for (const variable of importBindings(sourceCode)) {
    const def = variable.defs[0];
    const imported = def ? (importOf(def) ?? requiredExport(def.node, variable.name)) : undefined;
    if (!imported || !isPackageSpecifier(imported.source)) continue;
    for (const reference of variable.references) {
      const parent = (reference.identifier as Rule.Node).parent;
      if (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') found.push(imported);
      else if (parent?.type === 'MemberExpression' && parent.object === reference.identifier) {
        const member = memberChain(parent);
        if (member) found.push({ source: imported.source, name: member });
      }
    }
  }
  return found;
}

/** Options a call may turn a dependency's fsync off with. */
const fsyncOptions = ['fsync', 'fdatasync', 'durable'];

/**
 * The calls of package imports (\`writeFileAtomic(…)\`, \`(0, wfa_1.default).sync(…)\`) that pass an
 * options argument turning an fsync off (\`{ fsync: false }\`, also through a \`const\`), read off the
 * import bindings' references, without walking the file.
 */
function callsTurningFsyncOff(sourceCode: Rule.RuleContext['sourceCode']): Set<ESTree.CallExpression> {
  const found = new Set<ESTree.CallExpression>();
  for (const variable of importBindings(sourceCode)) {
    for (const reference of variable.references) {
      let node = reference.identifier as Rule.Node;
      for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
        const holds =
          (parent.type === 'MemberExpression' && parent.object === node) ||
          (parent.type === 'SequenceExpression' && parent.expressions[parent.expressions.length - 1] === node) ||
          parent.type === 'ChainExpression';
        if (!holds) break;
      }
      const call = node.parent;
      if (call?.type !== 'CallExpression' || call.callee !== node) continue;
      let scope: Scope.Scope | undefined;
      const off = call.arguments.some((arg) => {
        // Options are an object literal, a binding of one, or \`Object.freeze\` of either.
        if (arg.type !== 'ObjectExpression' && arg.type !== 'Identifier' && arg.type !== 'CallExpression') return false;
        scope ??= sourceCode.getScope(call);
        return fsyncOptions.some((name) => {
          const value = optionValue(arg as ESTree.Node, name, scope);
          return value.known && (value.value === false || value.value === 0 || value.value === null);
        });
      });
      if (off) found.add(call);
    }
  }
  return found;
}

/** The member a reference reads, as far as the call it ends in: `put`, or `put.stream` in `cacache.put.stream(…)`. */
function memberChain(member: ESTree.MemberExpression): string | undefined {
  const names: string[] = [];
  let n: ESTree.MemberExpression = member;
  for (;;) {
    const name = propertyName(n);
    if (!name) return names.length > 0 ? names.join('.') : undefined;
    names.push(name);
    const parent = (n as Rule.Node).parent;
    if (parent?.type !== 'MemberExpression' || parent.object !== n) return names.join('.');
    n = parent;
  }
}

/** What a `require` binding holds: the module (`=`), one export (`require('x').y`, `const { y } = require('x')`). */
function requiredExport(node: unknown, binding: string): { source: string; name: string } | undefined {
  const declarator = node as ESTree.VariableDeclarator | undefined;
  const init = declarator?.init ? calleeExpression(declarator.init as ESTree.Node) : undefined;
  const member = init?.type === 'MemberExpression' ? propertyName(init) : undefined;
  const source = requiredSource(
    init?.type === 'MemberExpression' ? calleeExpression(init.object as ESTree.Node) : init,
  );
  if (source === undefined) return undefined;
  if (member) return { source, name: member };
  if (declarator?.id.type !== 'ObjectPattern') return { source, name: '=' };
  for (const property of declarator.id.properties) {
    if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier') continue;
    const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
    if (value.type === 'Identifier' && value.name === binding) return { source, name: property.key.name };
  }
  return undefined;
}
