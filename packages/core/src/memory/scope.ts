import { ValueError } from '../errors.js';
import { liveStorage } from './data-ref.js';

/** What scopes need of a tensor; the Tensor class implements it. */
export interface Scoped {
  readonly isDisposed: boolean;
  dispose(): void;
  /** @internal The scope that will dispose it, if any. */
  _scope: Set<Scoped> | null;
}

type Scope = Set<Scoped>;

/** What this file uses of node:async_hooks' AsyncLocalStorage. */
interface AsyncContext {
  getStore(): Scope[] | undefined;
  run<R>(store: Scope[], fn: () => R): R;
}

/** The open scopes of synchronous code and of async code outside any async tidy, innermost last. */
const rootChain: Scope[] = [];
/** Node's AsyncLocalStorage once an async tidy has needed it; null where the platform has none. */
let asyncContext: AsyncContext | null | undefined;
let liveTensors = 0;
let isTensor: (x: unknown) => x is Scoped = (_x): _x is Scoped => false;

/**
 * AsyncLocalStorage, looked up without an import statement (process.getBuiltinModule, Node >= 20.16),
 * so that a browser bundle of core never sees node:async_hooks.
 */
function platformAsyncContext(): AsyncContext | null {
  if (asyncContext === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const hooks = proc?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: new () => AsyncContext } | undefined;
    asyncContext = hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : null;
  }
  return asyncContext;
}

/** @internal Tests stand in for a platform without AsyncLocalStorage (null) or restore the lookup (undefined). */
export function _setAsyncContext(ctx: null | undefined): void {
  asyncContext = ctx;
}

/** @internal Whether `tidy` can follow an async function here (Node's AsyncLocalStorage). */
export function asyncTidySupported(): boolean {
  return platformAsyncContext() !== null;
}

/** The scope chain of the code running now: its async tidy's, or the root one. */
function currentChain(): Scope[] {
  return asyncContext?.getStore() ?? rootChain;
}

/** @internal The Tensor module registers how to recognise a tensor (avoids an import cycle). */
export function setTensorCheck(check: (x: unknown) => x is Scoped): void {
  isTensor = check;
}

/** @internal Called by every new Tensor: the innermost open scope of the running code owns it. */
export function track(t: Scoped): void {
  liveTensors++;
  const chain = currentChain();
  const scope = chain[chain.length - 1];
  if (scope) {
    scope.add(t);
    t._scope = scope;
  }
}

/** @internal Called once when a tensor is disposed or collected. */
export function untrack(t: Scoped): void {
  liveTensors--;
  t._scope?.delete(t);
  t._scope = null;
}

/** @internal A tensor the garbage collector freed without dispose(). */
export function forgetCollected(): void {
  liveTensors--;
}

/** Keeps t alive past the end of every enclosing `tidy`; you dispose it yourself later. */
export function keep<T extends Scoped>(t: T): T {
  t._scope?.delete(t);
  t._scope = null;
  return t;
}

function collect(x: unknown, into: Set<Scoped>, depth = 0): void {
  if (depth > 8 || x === null || typeof x !== 'object') return;
  if (isTensor(x)) {
    into.add(x);
    return;
  }
  if (Array.isArray(x)) for (const v of x) collect(v, into, depth + 1);
  else if (x instanceof Map) for (const v of x.values()) collect(v, into, depth + 1);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) collect(v, into, depth + 1);
}

/** Disposes what `scope` owns, except what `result` holds, which moves to `parent` (if any). */
function close(scope: Scope, result: unknown, parent: Scope | undefined): void {
  const returned = new Set<Scoped>();
  collect(result, returned);
  for (const t of scope) {
    if (returned.has(t)) {
      parent?.add(t);
      t._scope = parent ?? null;
    } else t.dispose();
  }
  scope.clear();
}

function pop(chain: Scope[], scope: Scope): void {
  if (chain.pop() !== scope) throw new Error('internal: tidy scopes closed out of order');
}

function isAsyncFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}

/**
 * Runs fn and disposes every tensor created inside it, except the ones it returns (in an array,
 * a Map or a plain object) and the ones passed to `keep`.
 *
 * fn may be an async function: the scope then closes when its promise settles, and owns exactly
 * the tensors created by fn's own async call chain (everything it awaits, however deep), never
 * one that other code creates meanwhile (a timer, another request, another async tidy running
 * concurrently). This follows the async context with Node's AsyncLocalStorage (Node >= 20.16,
 * Deno, Bun). Where the platform has none (browsers), an async fn throws a ValueError rather
 * than risk disposing another caller's tensor: tidy the synchronous steps there, and dispose
 * what lives across an await yourself. A plain function that returns a promise owns only the
 * tensors it created before returning it.
 */
export function tidy<T>(fn: () => T): T {
  if (isAsyncFunction(fn)) return tidyAsync(fn as () => T & Promise<unknown>);
  const chain = currentChain();
  const parent = chain[chain.length - 1];
  const scope: Scope = new Set();
  chain.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    pop(chain, scope);
    close(scope, undefined, parent);
    throw e;
  }
  pop(chain, scope);
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        close(scope, v, parent);
        return v;
      },
      (e) => {
        close(scope, undefined, parent);
        throw e;
      },
    ) as T;
  }
  close(scope, result, parent);
  return result;
}

function tidyAsync<T>(fn: () => T & Promise<unknown>): T {
  const als = platformAsyncContext();
  if (!als) {
    throw new ValueError(
      'tidy: an async function needs async context tracking (AsyncLocalStorage), which this platform lacks; ' +
        'without it a scope open across an await could dispose tensors other code creates meanwhile. ' +
        'Use tidy(() => ...) around the synchronous steps and dispose what lives across awaits yourself',
    );
  }
  const outer = currentChain();
  const parent = outer[outer.length - 1];
  const scope: Scope = new Set();
  return als.run([...outer, scope], fn).then(
    (v) => {
      close(scope, v, parent);
      return v;
    },
    (e) => {
      close(scope, undefined, parent);
      throw e;
    },
  ) as T;
}

/** What {@link memory} reports. */
export interface MemoryReport {
  /** Tensor objects created and not yet disposed (or collected). */
  tensors: number;
  /** Backend storages held by tensors and autograd graphs, over all backends. */
  storages: number;
  /** Bytes those storages hold. */
  bytes: number;
  /** The same per backend name, plus what each backend itself reports. */
  backends: Record<string, {
    /** Storages held on this backend. */
    storages: number;
    /** Their bytes. */
    bytes: number;
  }>;
}

/** Live tensors, storages and bytes: flat over a training loop that frees what it makes. */
export function memory(): MemoryReport {
  const backends: MemoryReport['backends'] = {};
  let storages = 0;
  let bytes = 0;
  for (const [name, t] of liveStorage) {
    backends[name] = { ...t };
    storages += t.storages;
    bytes += t.bytes;
  }
  return { tensors: liveTensors, storages, bytes, backends };
}
