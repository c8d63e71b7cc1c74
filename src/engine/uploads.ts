/**
 * Files an upload parser wrote: which values name a file that multer, multiparty, formidable or
 * koa-body wrote to disk in this process (with no fsync) before the code holding the value received
 * it. The parsers are in `fs-api.ts`'s `uploadTable`; FileSystems finds where the file makes them.
 *
 * The write happened before the function that receives the file started: a form's `parse` callback
 * (`(err, fields, files) => rename(files.upload[0].path, dest)`), a `'file'` listener, or, for a
 * middleware, any function of the file reading the fields it sets on its request parameter
 * (`(req, res) => rename(req.file.path, dest)`). The engine records the write at that function's entry.
 */
import type { Rule, Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { getStringIfConstant } from '@eslint-community/eslint-utils';
import type { UploadParser } from '../fs-api.js';
import { isFunctionNode, propertyKeyName, type FunctionNode } from '../ast.js';
import { hasFlushTrue, unwrap } from './bindings.js';
import { propertyName, type FileKey, type FileKeys } from './file-key.js';
import type { KeyTerm } from './key.js';
import { initialiserOf } from './scope.js';

/** Where the file's code makes an upload parser: the call (or `new`) and what it makes. */
export interface UploadMade {
  readonly node: ESTree.CallExpression | ESTree.NewExpression;
  readonly parser: UploadParser;
}

/** A file an upload parser wrote: before `fn` ran, by the parser made at `node`. */
export interface UploadWrite {
  readonly fn: FunctionNode;
  readonly node: ESTree.Node;
  readonly name: string;
}

const iterations = /^(?:forEach|map|flatMap|filter|some|every|find|findLast)$/;

export class Uploads {
  readonly #sourceCode: SourceCode;
  readonly #keys: FileKeys;
  /** Forms (`new multiparty.Form()`, `formidable()`) by the node that made them. */
  readonly #forms = new Map<ESTree.Node, UploadMade>();
  /** Middlewares configured to write to disk without fsync. */
  readonly #middlewares: UploadMade[] = [];

  constructor(sourceCode: SourceCode, keys: FileKeys, made: readonly UploadMade[]) {
    this.#sourceCode = sourceCode;
    this.#keys = keys;
    const storages = new Set(made.filter((m) => m.parser.made === 'storage').map((m) => m.node as ESTree.Node));
    for (const m of made) {
      if (m.parser.made === 'form') this.#forms.set(m.node, m);
      else if (m.parser.made === 'middleware' && this.#writesToDisk(m, storages)) this.#middlewares.push(m);
    }
  }

  /** Does the file make a parser that writes uploads without fsync? */
  get any(): boolean {
    return this.#forms.size > 0 || this.#middlewares.length > 0;
  }

  /** The parser's write of the file `file` names, when an upload parser wrote it before its holder received it. */
  writeOf(file: FileKey): UploadWrite | undefined {
    if (file.term.kind !== 'member') return undefined;
    return this.#origin(file.term.object, [], file.term.property);
  }

  /** `object` (reached through `accessors`) holds an uploaded file whose `pathField` is the path. */
  #origin(object: KeyTerm, accessors: readonly string[], pathField: string, depth = 0): UploadWrite | undefined {
    let root = object;
    const chain = [...accessors];
    while (root.kind === 'member' || root.kind === 'element') {
      chain.unshift(root.kind === 'member' ? root.property : '[]');
      root = root.kind === 'member' ? root.object : root.collection;
    }
    if (root.kind !== 'binding' || depth > 3) return undefined;
    const variable = this.#keys.variableById(root.id);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type !== 'Parameter' || !isFunctionNode(def.node as ESTree.Node)) return undefined;
    const fn = def.node as FunctionNode;
    const index = fn.params.findIndex((p) => p === def.name || (p.type === 'AssignmentPattern' && p.left === def.name));
    if (index < 0) return undefined;
    const call = (fn as Rule.Node).parent;
    if (
      call?.type === 'CallExpression' &&
      call.callee.type === 'MemberExpression' &&
      call.arguments.includes(fn as ESTree.Expression)
    ) {
      const method = propertyName(call.callee);
      const form = this.#formOf(call.callee.object as ESTree.Node);
      // `form.parse(req, (err, fields, files) => …)`: the files, by field.
      if (form && method === 'parse' && index === 2 && chain.length > 0 && form.parser.pathFields.includes(pathField))
        return { fn, node: call, name: 'parse' };
      // `form.on('file', (name, file) => …)`: the file itself.
      if (
        form &&
        (method === 'on' || method === 'once') &&
        index === 1 &&
        chain.length === 0 &&
        getStringIfConstant(call.arguments[0] as never) === 'file' &&
        form.parser.pathFields.includes(pathField)
      )
        return { fn, node: call, name: method };
      // `files.upload.forEach((file) => …)`: an element of a collection of uploaded files.
      if (iterations.test(method ?? '') && index === 0 && call.arguments[0] === fn) {
        const collection = this.#keys.of(call.callee.object as ESTree.Node, this.#sourceCode.getScope(call));
        return collection && this.#origin(collection.term, ['[]', ...chain], pathField, depth + 1);
      }
    }
    // `(req, res) => rename(req.file.path, dest)` in a file whose multer writes to disk.
    for (const m of this.#middlewares) {
      const fields = m.parser.requestFields ?? [];
      if (
        m.parser.pathFields.includes(pathField) &&
        fields.some((f) => f.length <= chain.length && f.every((name, i) => chain[i] === name))
      )
        return { fn, node: m.node, name: calleeText(m.node) };
    }
    return undefined;
  }

  /** The form `object` is: one made right there, or a never-reassigned binding of one. */
  #formOf(object: ESTree.Node): UploadMade | undefined {
    let made = unwrap(object);
    // `form.on('fileBegin', …).on('file', …)`: an emitter's `on` returns the emitter.
    while (
      made.type === 'CallExpression' &&
      made.callee.type === 'MemberExpression' &&
      /^(?:on|once|addListener|prependListener)$/.test(propertyName(made.callee) ?? '')
    )
      made = unwrap(made.callee.object as ESTree.Node);
    const init =
      made.type === 'Identifier' ? initialiserOf(this.#sourceCode.getScope(made), made.name) : (made as ESTree.Node);
    return init ? this.#forms.get(unwrap(init)) : undefined;
  }

  /** Is a middleware set to store files on disk (`dest`, a disk `storage`, `multipart: true`) without `flush: true`? */
  #writesToDisk(m: UploadMade, storages: ReadonlySet<ESTree.Node>): boolean {
    const scope = this.#sourceCode.getScope(m.node);
    const options = objectOf(m.node.arguments[0] as ESTree.Node | undefined, scope);
    if (!options) return false;
    for (const p of options.properties) {
      if (p.type !== 'Property' || !m.parser.diskOptions?.includes(propertyKeyName(p) ?? '')) continue;
      const value = unwrap(p.value as ESTree.Node);
      if (value.type === 'Literal' && !value.value) continue;
      if (propertyKeyName(p) !== 'storage') return true;
      // A storage engine: multer's disk storage unless it fsyncs; memory or custom storage writes no file here.
      const storage = objectSource(value, scope);
      if (storage && storages.has(storage) && storage.type === 'CallExpression')
        return !hasFlushTrue(storage.arguments[0] as ESTree.Node | undefined, scope);
    }
    return false;
  }
}

/** The node a value comes from: itself, or a never-reassigned `const x = …` binding's initialiser. */
function objectSource(node: ESTree.Node, scope: Scope.Scope): ESTree.Node | undefined {
  const value = unwrap(node);
  if (value.type !== 'Identifier') return value;
  const init = initialiserOf(scope, value.name);
  return init && unwrap(init);
}

function objectOf(node: ESTree.Node | undefined, scope: Scope.Scope): ESTree.ObjectExpression | undefined {
  const value = node && objectSource(node, scope);
  return value?.type === 'ObjectExpression' ? value : undefined;
}

/** `multer` of `multer({ dest })`, `koaBody` of `koaBody(…)`: how the message names the parser. */
function calleeText(node: ESTree.CallExpression | ESTree.NewExpression): string {
  const callee = node.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return propertyName(callee) ?? 'upload';
  return 'upload';
}
