/**
 * Deferred and sibling code: which functions run, and when, around the code that created them.
 *
 * - Callbacks and IIFEs run as a continuation of their creation (see `isCallback` in flow.ts); so do
 *   functions inside an options object passed to a call (`{ fs: { close(fd, cb) {…} } }`), functions
 *   passed by name (`fs.writeFile(tmp, d, onWritten)`), and functions stored on a property that the
 *   file never calls (`upload.done = function () {…}`: someone calls it after this code ran).
 * - Code after `await new Promise((resolve) => …)` resumes where `resolve` is called or handed over,
 *   not when the executor returns; after `await p.then(h)` when `h` returns; after an IIFE when it
 *   returns. The direct path past them waits.
 */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import {
  descendants,
  enclosingFunction,
  isFunctionExpression,
  isFunctionNode,
  parentOf,
  type FunctionNode,
} from '../ast.js';
import { calleeExpression, type CallGraph } from './call-graph.js';
import { promiseCompletion, promiseResolver } from './completion.js';
import { propertyName } from './file-key.js';
import { isCallback, type FlowGraph } from './flow.js';
import { variableOf } from './scope.js';

type Call = ESTree.CallExpression | ESTree.NewExpression;

/** Array methods that call their callback before they return (`map` of async callbacks: before its promises settle). */
const iterationMethods =
  /^(?:forEach|map|flatMap|filter|some|every|find|findIndex|findLast|findLastIndex|reduce|reduceRight)$/;

/** `files.forEach(fn)`, `files.map(async (f) => …)`: `fn` runs once for each element. */
export function isIterationCallback(fn: ESTree.Node): boolean {
  const call = parentOf(fn);
  return (
    call?.type === 'CallExpression' &&
    call.arguments[0] === fn &&
    call.callee.type === 'MemberExpression' &&
    iterationMethods.test(propertyName(call.callee) ?? '')
  );
}

/** `emitter.on('entry', (entry) => …)`: a function that runs for each event of its kind. */
export function isListenerHandler(fn: FunctionNode): boolean {
  const call = parentOf(fn);
  return (
    call?.type === 'CallExpression' &&
    call.arguments[1] === fn &&
    call.callee.type === 'MemberExpression' &&
    /^(?:on|addListener|prependListener)$/.test(propertyName(call.callee) ?? '') &&
    call.arguments[0]?.type === 'Literal'
  );
}

/**
 * May `node` run once per element or event, for one run of the code around it: inside a loop, an
 * iteration callback (`entries.forEach((e) => …)`) or an event listener, below `bound`. Other functions
 * handed to a call or called where they stand (tsc's `__awaiter` generator, an IIFE) are climbed
 * through; any other function ends the climb.
 */
export function runsRepeatedly(node: ESTree.Node, bound?: ESTree.Node): boolean {
  for (let n = parentOf(node); n && n !== bound; n = parentOf(n)) {
    if (/^(?:For|ForIn|ForOf|While|DoWhile)Statement$/.test(n.type)) return true;
    if (!isFunctionNode(n)) continue;
    if (isListenerHandler(n) || isIterationCallback(n)) return true;
    const parent = parentOf(n);
    const called =
      (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
      (parent.callee === n || parent.arguments.includes(n as ESTree.Expression));
    if (!called) return false;
  }
  return false;
}

/** Methods that register an event listener: `emitter.on('end', fn)`, `process.once('exit', fn)`. */
const listenerMethods = /^(?:on|once|addListener|prependListener|prependOnceListener|addEventListener)$/;

/** A function that is a property value of an object literal passed (maybe nested) to a call. */
function isInOptionsObject(fn: FunctionNode): boolean {
  let child: ESTree.Node = fn;
  let parent = parentOf(fn);
  while (parent?.type === 'Property' && parent.value === child) {
    const object = parentOf(parent);
    if (object?.type !== 'ObjectExpression') return false;
    child = object;
    parent = parentOf(object);
  }
  return (
    child !== fn &&
    (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
    parent.arguments.includes(child as never)
  );
}

/** `fs.writeFile(tmp, d, function () {…}.bind(self))`: a callback bound before it is handed over. */
function isBoundCallback(fn: FunctionNode): boolean {
  const member = parentOf(fn);
  const bind = member && parentOf(member);
  const call = bind && parentOf(bind);
  return (
    member?.type === 'MemberExpression' &&
    member.object === fn &&
    propertyName(member) === 'bind' &&
    bind?.type === 'CallExpression' &&
    bind.callee === member &&
    (call?.type === 'CallExpression' || call?.type === 'NewExpression') &&
    call.arguments.includes(bind as never)
  );
}

/** `x.y = function () {}`: stored on a property for someone to call later. */
const isStoredOnProperty = (fn: FunctionNode): boolean => {
  const parent = parentOf(fn);
  return parent?.type === 'AssignmentExpression' && parent.right === fn && parent.left.type === 'MemberExpression';
};

/**
 * A value that leaves its function by its return: the returned expression itself, or an element or
 * property value of a returned array or object literal (`return { commit: () => … }`, `return [tmp, done]`).
 */
function isReturned(node: ESTree.Node): boolean {
  let child = node;
  let parent = parentOf(node);
  for (;;) {
    if (parent?.type === 'Property' && parent.value === child) {
      child = parentOf(parent) as ESTree.Node;
      parent = parentOf(child);
    } else if (parent?.type === 'ArrayExpression') {
      child = parent;
      parent = parentOf(parent);
    } else break;
  }
  return (
    (parent?.type === 'ReturnStatement' && parent.argument === child) ||
    (parent?.type === 'ArrowFunctionExpression' && parent.body === child)
  );
}

/**
 * The call a chain of method calls starts from, when `node` ends the chain (`a(cb).on(…).pipe(…)`):
 * not a promise chain or an array iteration, whose callbacks run when their links say.
 */
function chainHead(node: Call): ESTree.CallExpression | undefined {
  const parent = parentOf(node);
  if (parent?.type === 'MemberExpression' && parent.object === node) return undefined;
  let head: ESTree.Node = node;
  while (head.type === 'CallExpression' && head.callee.type === 'MemberExpression') {
    const name = propertyName(head.callee) ?? '';
    if (/^(?:then|catch|finally)$/.test(name) || iterationMethods.test(name)) return undefined;
    const object = head.callee.object as ESTree.Node;
    if (object.type !== 'CallExpression') break;
    head = object;
  }
  return head !== node && head.type === 'CallExpression' ? head : undefined;
}

export class Continuations {
  readonly #sourceCode: SourceCode;
  readonly #flow: FlowGraph;
  readonly #graph: CallGraph | undefined;
  /** Calls that hand over or call a promise's `resolve`: the awaited `new Promise` they resume. */
  readonly #jumps = new Map<ESTree.Node, ESTree.Node[]>();
  /** `resolve` parameters of awaited promise executors. */
  readonly #resolvers = new Set<Scope.Variable>();
  /** Nodes after which code resumes through a jump. */
  readonly #resumes = new Set<ESTree.Node>();
  /** Calls of array iteration methods: code after them goes on directly and after each callback returned. */
  readonly #iterations = new Set<ESTree.Node>();
  /** Listeners this file registers, by the event's name (`emitter.on('written', fn)`); built on the first `emit`. */
  #listeners: Map<string, Array<{ receiver: ESTree.Node; fn: FunctionNode }>> | undefined;
  /** Listeners registered so far in the walk, by the function registering them: on which emitter. */
  readonly #registered = new Map<ESTree.Node, Array<{ receiver: ESTree.Node; fn: FunctionNode }>>();
  /** Methods already said to run after the other methods of their class. */
  readonly #methodsOrdered = new Set<ESTree.Node>();
  /** The last step handed to each task queue (`queue.defer(step)`), by enclosing function, receiver and method. */
  readonly #lastQueued = new Map<string, FunctionNode | undefined>();

  /** `graph` is the file's call graph, when the detector built one (helpers matter here). */
  constructor(sourceCode: SourceCode, flow: FlowGraph, graph: CallGraph | undefined) {
    this.#sourceCode = sourceCode;
    this.#flow = flow;
    this.#graph = graph;
  }

  /** For the flow graph: is `fn` followed from where it is created? */
  entersAtCreation = (fn: FunctionNode): boolean =>
    isCallback(fn) ||
    isInOptionsObject(fn) ||
    isBoundCallback(fn) ||
    ((isStoredOnProperty(fn) || this.#isHandedBack(fn)) && (this.#graph?.sitesOf(fn).length ?? 0) === 0);

  /**
   * A function its maker returns for the caller to run later, directly or in a returned object or
   * array, maybe through a `const` (`const commit = () => rename(tmp, dest); return { tmp, commit }`):
   * a commit step runs after the code that made it. Not one the file calls by that name.
   */
  #isHandedBack(fn: FunctionNode): boolean {
    if (isReturned(fn)) return true;
    const declarator = parentOf(fn);
    if (declarator?.type !== 'VariableDeclarator' || declarator.init !== fn || declarator.id.type !== 'Identifier')
      return false;
    const variable = variableOf(this.#sourceCode, declarator.id);
    if (!variable || variable.references.some((ref) => ref.isWrite() && ref.identifier !== declarator.id)) return false;
    const reads = variable.references.filter((ref) => !ref.isWrite()).map((ref) => ref.identifier as ESTree.Node);
    return (
      reads.some(isReturned) &&
      !reads.some((id) => {
        const parent = parentOf(id);
        return parent?.type === 'CallExpression' && parent.callee === id;
      })
    );
  }

  /** Is `node` a `resolve` of an awaited `new Promise`, handed to a callback API? */
  isResolver(node: ESTree.Node | undefined): boolean {
    if (node?.type !== 'Identifier' || this.#resolvers.size === 0) return false;
    const variable = variableOf(this.#sourceCode, node);
    return !!variable && this.#resolvers.has(variable);
  }

  /** Is `node` a parameter of the function around it (a callback the caller gave: `next`, `cb`)? */
  isHandedOn(node: ESTree.Node | undefined): boolean {
    if (node?.type !== 'Identifier') return false;
    const variable = variableOf(this.#sourceCode, node);
    return (
      variable?.defs.length === 1 &&
      variable.defs[0]?.type === 'Parameter' &&
      // Stricter than neverReassigned: with a default (`cb = noop`) the callback may be this function's own.
      variable.references.every((ref) => !ref.isWrite())
    );
  }

  /**
   * The function declarations of the returning function that `ret` hands its caller (`return close`,
   * `return { write, close }`): the caller may call them from here on (a stream factory's `close`
   * renaming the temp its body opened).
   */
  returnedDeclarations(ret: ESTree.ReturnStatement): FunctionNode[] {
    const value = ret.argument;
    if (!value) return [];
    const values =
      value.type === 'ObjectExpression'
        ? value.properties.flatMap((p) => (p.type === 'Property' ? [p.value as ESTree.Node] : []))
        : [value as ESTree.Node];
    const owner = enclosingFunction(ret);
    return values.flatMap((v) => {
      const fn = this.namedCallback(v);
      return fn?.type === 'FunctionDeclaration' && enclosingFunction(fn) === owner ? [fn] : [];
    });
  }

  /** A function passed by name, maybe bound first (`place.bind(null, tmp)`, `this.onEnd.bind(this)`): the local function it is. */
  namedCallback(node: ESTree.Node | undefined): FunctionNode | undefined {
    if (
      node?.type === 'CallExpression' &&
      node.callee.type === 'MemberExpression' &&
      propertyName(node.callee) === 'bind'
    )
      return isFunctionExpression(node.callee.object as ESTree.Node) ? undefined : this.#graph?.functionOf(node);
    if (node?.type !== 'Identifier' || !this.#graph?.functionNames.has(node.name)) return undefined;
    return this.#graph.functionOf(node);
  }

  /**
   * The function a callback argument stands for when it is wrapped: `fn.bind(x)`, or the last
   * function handed to a combinator (`sure(cb, (fd) => …)`, `once(fn)`). A combinator the engine
   * cannot see into is assumed to call it once the call it was handed to finished; a local one
   * that never reads that parameter does not.
   */
  wrappedCallback(node: ESTree.Node | undefined): FunctionNode | undefined {
    if (node?.type !== 'CallExpression') return undefined;
    if (
      node.callee.type === 'MemberExpression' &&
      propertyName(node.callee) === 'bind' &&
      isFunctionExpression(node.callee.object as ESTree.Node)
    ) {
      return node.callee.object as FunctionNode;
    }
    const fn = node.arguments.findLast((arg) => isFunctionExpression(arg as ESTree.Node)) as FunctionNode | undefined;
    return fn && this.#mayCall(node, fn) ? fn : undefined;
  }

  /**
   * Which parameter of a callback reached through a name or a wrapper gets a call's result: Node's
   * `(err, value)`, unless the wrapper took the error away (`sure(cb, (fd) => …)`).
   */
  resultParameter(fn: FunctionNode): number {
    const first = fn.params[0];
    return fn.params.length >= 2 || (first?.type === 'Identifier' && /^(?:e|err|error|_\w*)$/i.test(first.name))
      ? 1
      : 0;
  }

  /**
   * A class's methods run in whatever order its users call them: the method around `node` (a rename)
   * may run after any other method returned (`open()`, `write(chunk)`, then `commit()`), the
   * constructor included; the constructor itself runs before all of them. Only a method the file
   * never calls: one it calls runs where it is called.
   * Not a method whose rename names a file with the method's own parameters or locals
   * (`namedByCall`): another call of it names another file with them, so only what persists between
   * calls (`this.tmp`, a module's path) pairs up. That holds for either end of the rename: a method
   * that renames to where its caller says (`moveTo(target)`, `rename(newName)` renaming `this.path` to
   * `join(dirname(this.path), newName)`) is a generic method of a path's API, whose callers decide what
   * it publishes (and are reported where they write first).
   */
  mayRunAfterOtherMethods(node: ESTree.Node, namedByCall: (method: FunctionNode) => boolean): void {
    let n = parentOf(node);
    while (n && !(isFunctionNode(n) && methodHolder(n))) n = parentOf(n);
    const holder = n && methodHolder(n);
    if (!n || !holder || this.#methodsOrdered.has(n)) return;
    // A constructor runs before any other method of its instance.
    const definition = parentOf(n);
    if (definition?.type === 'MethodDefinition' && definition.kind === 'constructor') return;
    if (namedByCall(n as FunctionNode)) return;
    this.#methodsOrdered.add(n);
    if ((this.#graph?.sitesOf(n as FunctionNode).length ?? 0) > 0) return;
    const others =
      holder.type === 'ClassBody'
        ? holder.body.flatMap((m) =>
            m.type === 'MethodDefinition' && m.value !== n && m.kind !== 'get' && m.kind !== 'set' ? [m.value] : [],
          )
        : holder.properties.flatMap((p) =>
            p.type === 'Property' && p.kind === 'init' && p.value !== n && isFunctionNode(p.value) ? [p.value] : [],
          );
    this.#flow.mayRunAfter(n, others);
  }

  onCall(call: ESTree.CallExpression): void {
    const callee = call.callee as ESTree.Node;
    this.#orderPassedFunctions(call);
    this.#orderQueuedSteps(call);
    this.#listenLater(call);
    // An IIFE: the code after it runs when it returns (an async one when awaited).
    if (isFunctionExpression(callee) && (!callee.async || promiseCompletion(call) === 'now')) {
      this.#flow.resumesAfterReturn(callee, call);
      this.#resumes.add(call);
      return;
    }
    // `files.forEach(fn)`, `await Promise.all(files.map(async (f) => …))`: the code after it also runs once `fn` returned.
    if (
      callee.type === 'MemberExpression' &&
      iterationMethods.test(propertyName(callee) ?? '') &&
      isFunctionExpression(call.arguments[0] as ESTree.Node)
    ) {
      this.#flow.resumesAfterReturn(call.arguments[0] as ESTree.Node, call);
      this.#iterations.add(call);
      return;
    }
    // `await p.then(h)`: the code after it runs when `h` returns.
    if (
      callee.type === 'MemberExpression' &&
      propertyName(callee) === 'then' &&
      isFunctionNode(call.arguments[0] as ESTree.Node)
    ) {
      if (promiseCompletion(call) === 'now') {
        this.#flow.resumesAfterReturn(call.arguments[0] as ESTree.Node, call);
        this.#resumes.add(call);
      }
      return;
    }
    // `await db.read(async (line) => …)`, `await task(async (tmp) => …)`: an awaited call handed a
    // function may call it before it settles, so the code after it also runs once the function
    // returned. Not a local callee that never reads the parameter the function lands in.
    if (
      promiseCompletion(call) !== 'now' ||
      (callee.type === 'MemberExpression' && /^(?:catch|finally)$/.test(propertyName(callee) ?? ''))
    )
      return;
    let handed = this.#resumeAfterHanded(call);
    // `await tree.rebuild(BinaryWriter.forFunction(writer))`: a local function handed over by name,
    // or inside an object an argument's call builds, may be called before the awaited call settles.
    // Only a function the file never calls itself: its returns from elsewhere resume nowhere here.
    for (const fn of this.#handedInside(call)) {
      this.#flow.resumesAfterReturn(fn, call);
      handed = true;
    }
    if (handed) this.#iterations.add(call);
  }

  /**
   * A call whose callee calls a function it is handed before it renames (`replace(dest, tmp, (t) =>
   * writeFileSync(t, d))`, not awaited): the code after it also runs once that function returned, as
   * for an awaited call (see `onCall`). Call before `onExit`.
   */
  handsFirst(call: ESTree.CallExpression): void {
    if (this.#iterations.has(call) || this.#resumes.has(call)) return;
    if (this.#resumeAfterHanded(call)) this.#iterations.add(call);
  }

  /**
   * The code after `call` also runs once each function expression handed to it returned (not one a
   * local callee never reads): true when there is one.
   */
  #resumeAfterHanded(call: ESTree.CallExpression): boolean {
    let handed = false;
    for (const arg of call.arguments) {
      if (!isFunctionExpression(arg as ESTree.Node) || !this.#mayCall(call, arg as FunctionNode)) continue;
      this.#flow.resumesAfterReturn(arg as ESTree.Node, call);
      handed = true;
    }
    return handed;
  }

  /** Local functions passed by name to `call`, or to a call or `new` in its arguments, that nothing else calls. */
  #handedInside(call: ESTree.CallExpression): FunctionNode[] {
    const found: FunctionNode[] = [];
    const visit = (args: readonly ESTree.Node[], depth: number): void => {
      for (const arg of args) {
        if ((arg.type === 'CallExpression' || arg.type === 'NewExpression') && depth < 2) {
          visit(arg.arguments as ESTree.Node[], depth + 1);
          continue;
        }
        if (arg.type !== 'Identifier') continue;
        const fn = this.namedCallback(arg);
        if (fn && fn.type !== 'FunctionDeclaration' && (this.#graph?.sitesOf(fn).length ?? 0) === 0) found.push(fn);
      }
    };
    visit(call.arguments as ESTree.Node[], 0);
    return found;
  }

  /** The function a listener registration hands over, and the event's name when it is a literal. */
  #listenerOf(call: ESTree.CallExpression): { event: string | undefined; fn: FunctionNode } | undefined {
    const [event, handler] = call.arguments as ESTree.Node[];
    if (
      call.callee.type !== 'MemberExpression' ||
      !listenerMethods.test(propertyName(call.callee) ?? '') ||
      !event ||
      !handler ||
      isFunctionNode(event)
    )
      return undefined;
    const fn = isFunctionExpression(handler) ? handler : (this.namedCallback(handler) ?? this.wrappedCallback(handler));
    if (!fn) return undefined;
    return { event: event.type === 'Literal' && typeof event.value === 'string' ? event.value : undefined, fn };
  }

  /**
   * `this.emit('written')` runs the listeners of 'written' registered on the same emitter, as far as
   * the file says: the receiver written the same way, or `this` and a local alias of it.
   */
  #listenersOfEmit(call: ESTree.CallExpression): FunctionNode[] {
    const [event] = call.arguments;
    if (
      call.callee.type !== 'MemberExpression' ||
      propertyName(call.callee) !== 'emit' ||
      event?.type !== 'Literal' ||
      typeof event.value !== 'string'
    )
      return [];
    if (!this.#listeners) {
      this.#listeners = new Map();
      // The call graph has every call already, in source order: no second walk of the program.
      for (const node of this.#graph?.calls ?? descendants(this.#sourceCode.ast)) {
        if (node.type !== 'CallExpression') continue;
        const found = this.#listenerOf(node);
        if (!found?.event) continue;
        const list = this.#listeners.get(found.event) ?? [];
        list.push({ receiver: (node.callee as ESTree.MemberExpression).object, fn: found.fn });
        this.#listeners.set(found.event, list);
      }
    }
    const receiver = call.callee.object as ESTree.Node;
    return (this.#listeners.get(event.value) ?? []).flatMap((listener) =>
      this.#sameEmitter(listener.receiver, receiver) ? [listener.fn] : [],
    );
  }

  #sameEmitter(a: ESTree.Node, b: ESTree.Node): boolean {
    if (this.#sourceCode.getText(a) === this.#sourceCode.getText(b)) return true;
    const isThis = (node: ESTree.Node): boolean => {
      if (node.type === 'ThisExpression') return true;
      if (node.type !== 'Identifier') return false;
      const variable = variableOf(this.#sourceCode, node);
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      return def?.node.type === 'VariableDeclarator' && def.node.init?.type === 'ThisExpression';
    };
    return isThis(a) && isThis(b);
  }

  /**
   * An event listener runs when its event fires, which may be after anything the code registering
   * it does next (`bundle.on('end', done)` before `bundle.pipe(createWriteStream(tmp))`): it may also
   * run once that code returned.
   */
  #listenLater(call: ESTree.CallExpression): void {
    const listener = this.#listenerOf(call);
    if (!listener) return;
    this.#flow.mayRunAfter(listener.fn, [enclosingFunction(call)]);
    // Listeners of one emitter registered by the same code run in the order its events fire, which
    // the file does not say (`zip.on('entry', write)`, then `zip.on('end', publish)`): each may run
    // after another returned.
    const receiver = (call.callee as ESTree.MemberExpression).object as ESTree.Node;
    const registeredBy = enclosingFunction(call);
    const siblings = this.#registered.get(registeredBy) ?? [];
    for (const sibling of siblings) {
      if (sibling.fn === listener.fn || !this.#sameEmitter(sibling.receiver, receiver)) continue;
      this.#flow.mayRunAfter(listener.fn, [sibling.fn]);
      this.#flow.mayRunAfter(sibling.fn, [listener.fn]);
    }
    siblings.push({ receiver, fn: listener.fn });
    this.#registered.set(registeredBy, siblings);
  }

  /** Is the binding `id` (of `keys`) a parameter of an event listener (`zip.on('entry', (entry) => …)`)? */
  isListenerParameter(id: string, keys: { variableById(id: string): Scope.Variable | undefined }): boolean {
    const def = keys.variableById(id)?.defs[0];
    const fn = def?.type === 'Parameter' ? (def.node as ESTree.Node) : undefined;
    const call = fn && parentOf(fn);
    return call?.type === 'CallExpression' && this.#listenerOf(call)?.fn === fn;
  }

  /** Might `call` call the function `fn` handed to it? Unless its callee is local and never reads that parameter. */
  #mayCall(call: ESTree.CallExpression, fn: FunctionNode): boolean {
    const callee = this.#graph?.calleeOf(call);
    if (callee?.kind !== 'local') return true;
    const param = callee.fn.params[call.arguments.indexOf(fn as never) - callee.argOffset];
    if (param?.type !== 'Identifier') return false;
    const variable = this.#sourceCode.getDeclaredVariables(callee.fn).find((v) => v.defs.some((d) => d.name === param));
    return !!variable && variable.references.length > 0;
  }

  /**
   * Functions handed to one call run in the order given, as far as this file can tell: the next one
   * may run after the one before it returned (`async.eachSeries(items, iterator, done)`,
   * `async.series([step1, step2], done)`).
   */
  #orderPassedFunctions(call: ESTree.CallExpression): void {
    // Only from one function to the next: a step between them that this file cannot see into
    // (`async.apply(flushToStorage, tmp)`) may be the fsync.
    // A step may come wrapped by a combinator (`safe.sure(cb, () => …)` as the final callback).
    const stepOf = (n: ESTree.Node | ESTree.SpreadElement | null): FunctionNode | undefined =>
      !n || n.type === 'SpreadElement'
        ? undefined
        : isFunctionExpression(n)
          ? (n as FunctionNode)
          : this.wrappedCallback(n);
    const follow = (steps: ReadonlyArray<ESTree.Node | ESTree.SpreadElement | null>): void => {
      for (let i = 1; i < steps.length; i++) {
        const [before, after] = [stepOf(steps[i - 1] ?? null), stepOf(steps[i] ?? null)];
        // A callback-style step is done where it uses its callback, often in a callback of its own
        // (`(rec, k, cb) => get(rec, sure(cb, (d) => write(fd, d, cb)))`): see `stepEnds`.
        if (before && after) this.#flow.mayRunAfter(after, stepEnds(before, this.#sourceCode));
      }
    };
    follow(call.arguments);
    for (const arg of call.arguments) if (arg.type === 'ArrayExpression') follow(arg.elements);
  }

  /**
   * Steps handed one by one to the same method of the same object that this file cannot see into (a
   * task queue: `queue.defer((cb) => writeFile(tmp, d, cb)); queue.defer((cb) => rename(tmp, f, cb))`)
   * run in the order handed, as `#orderPassedFunctions`' steps of one call do: each may run after the
   * one before it. Only from one step to the next: a step between them that is not a function here
   * (`queue.defer(flush)`) may be the fsync. Listeners are not steps (`#listenLater` orders them).
   */
  #orderQueuedSteps(call: ESTree.CallExpression): void {
    const callee = calleeExpression(call.callee as ESTree.Node);
    if (callee.type !== 'MemberExpression' || call.arguments.length === 0) return;
    const last = call.arguments[call.arguments.length - 1] as ESTree.Node;
    const step = isFunctionExpression(last) ? (last as FunctionNode) : undefined;
    // Most calls hand no function and follow no step: they cost no key.
    if (!step && this.#lastQueued.size === 0) return;
    const method = propertyName(callee);
    if (!method || listenerMethods.test(method)) return;
    if (this.#graph?.calleeOf(call)?.kind === 'local') return;
    const queue = `${enclosingFunction(call).range?.[0] ?? 0}:${this.#sourceCode.getText(callee.object as ESTree.Node)}.${method}`;
    const before = this.#lastQueued.get(queue);
    if (before && step) this.#flow.mayRunAfter(step, stepEnds(before, this.#sourceCode));
    this.#lastQueued.set(queue, step);
  }

  onNew(node: ESTree.NewExpression): void {
    const found = promiseResolver(node, this.#sourceCode);
    if (!found || promiseCompletion(node) !== 'now') return;
    const { executor, resolve: variable } = found;
    this.#resolvers.add(variable);
    this.#resumes.add(node);
    const resolving: Call[] = [];
    for (const reference of variable.references) {
      // `resolve()`, or `resolve` handed to whoever calls it (`fs.fsync(fd, resolve)`, `ws.on('close', resolve)`).
      const parent = parentOf(reference.identifier as ESTree.Node);
      if (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') resolving.push(parent);
    }
    resolving.push(...this.#callsOfResolving(executor, resolving));
    for (const call of resolving) {
      const list = this.#jumps.get(call) ?? [];
      list.push(node);
      this.#jumps.set(call, list);
    }
  }

  /**
   * Calls, inside a promise's executor, of its local functions that resolve it (`const check = () =>
   * done && resolve()`, called from each stream's 'finish' handler): each may be where it settles.
   */
  #callsOfResolving(executor: FunctionNode, resolving: readonly Call[]): Call[] {
    const graph = this.#graph;
    const settling = new Set<ESTree.Node>();
    for (const call of resolving) {
      const fn = enclosingFunction(call);
      if (fn !== executor && isFunctionNode(fn)) settling.add(fn);
    }
    if (!graph || settling.size === 0) return [];
    const found: Call[] = [];
    // A few rounds: a function that calls one that resolves resolves too.
    for (let round = 0, grew = true; grew && round < 3; round++) {
      grew = false;
      for (const node of descendants(executor)) {
        if (node.type !== 'CallExpression' || found.includes(node)) continue;
        const callee = graph.calleeOf(node);
        if (callee?.kind !== 'local' || !settling.has(callee.fn)) continue;
        found.push(node);
        const around = enclosingFunction(node);
        if (around !== executor && isFunctionNode(around) && !settling.has(around)) {
          settling.add(around);
          grew = true;
        }
      }
    }
    return found;
  }

  /** After the call's own completion events: jumps to resumed code, and where code resumes. */
  onExit(node: Call): void {
    // `request(url, () => rename(part, dest)).on('data', …).pipe(createWriteStream(part))`: a callback
    // of the call a chain starts from may run once the whole chain ran (it reports on what the chain
    // set up).
    const head = chainHead(node);
    for (const arg of head?.arguments ?? [])
      if (isFunctionExpression(arg as ESTree.Node)) this.#flow.record({ type: 'function', fn: arg as FunctionNode });
    // Functions passed by name run once the call has started what it does.
    for (const arg of node.arguments) {
      const fn = this.namedCallback(arg as ESTree.Node);
      if (fn) this.#flow.record({ type: 'function', fn });
    }
    if (node.type === 'CallExpression')
      for (const fn of this.#listenersOfEmit(node)) this.#flow.record({ type: 'function', fn });
    for (const to of this.#jumps.get(node) ?? []) this.#flow.record({ type: 'jump', to });
    if (this.#resumes.has(node)) this.#flow.resumeAt(node);
    else if (this.#iterations.has(node)) this.#flow.goesOnAt(node);
  }
}

/**
 * Where a step handed to a queue or a series can be done, for the next one to start: a callback-style
 * step (`(cb) => writeFile(tmp, d, (err) => cb(err))`) in the functions that use its callback (the
 * last parameter), the write's callback there; any other step when it or a function inside it returns.
 */
function stepEnds(step: FunctionNode, sourceCode: SourceCode): ESTree.Node[] {
  const callback = step.params[step.params.length - 1];
  const variable =
    callback?.type === 'Identifier'
      ? sourceCode.getDeclaredVariables(step).find((v) => v.defs.some((d) => d.name === callback))
      : undefined;
  const uses = variable?.references.filter((ref) => !ref.init) ?? [];
  if (uses.length === 0) return [step, ...nestedFunctions(step)];
  return [...new Set(uses.map((ref) => enclosingFunction(ref.identifier as ESTree.Node)))];
}

/** Function expressions inside `fn`'s body (at most 64: a step's own callbacks, not a bundle's). */
function nestedFunctions(fn: FunctionNode): FunctionNode[] {
  const found: FunctionNode[] = [];
  for (const node of descendants(fn.body as ESTree.Node)) {
    if (isFunctionExpression(node)) found.push(node as FunctionNode);
    if (found.length >= 64) break;
  }
  return found;
}

/**
 * The class body, or the object literal a module exports (`module.exports = { … }`, `export default
 * { … }`: the module's API, a singleton), whose method `fn` is; its users call its methods in any order.
 */
function methodHolder(fn: ESTree.Node): ESTree.ClassBody | ESTree.ObjectExpression | undefined {
  const definition = parentOf(fn);
  if (definition?.type === 'MethodDefinition') {
    const body = parentOf(definition);
    return body?.type === 'ClassBody' ? body : undefined;
  }
  if (definition?.type !== 'Property' || definition.value !== fn || definition.kind !== 'init') return undefined;
  const object = parentOf(definition);
  const exported = object && parentOf(object);
  if (object?.type !== 'ObjectExpression' || !exported) return undefined;
  if (exported.type === 'ExportDefaultDeclaration') return object;
  return exported.type === 'AssignmentExpression' &&
    exported.right === object &&
    exported.left.type === 'MemberExpression' &&
    exported.left.object.type === 'Identifier' &&
    exported.left.object.name === 'module' &&
    propertyName(exported.left) === 'exports'
    ? object
    : undefined;
}
