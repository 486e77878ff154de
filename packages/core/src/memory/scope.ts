import { liveStorage } from './data-ref.js';

/** What scopes need of a tensor; the Tensor class implements it. */
export interface Scoped {
  readonly isDisposed: boolean;
  dispose(): void;
}

const scopes: Set<Scoped>[] = [];
let liveTensors = 0;
let isTensor: (x: unknown) => x is Scoped = (_x): _x is Scoped => false;

/** @internal The Tensor module registers how to recognise a tensor (avoids an import cycle). */
export function setTensorCheck(check: (x: unknown) => x is Scoped): void {
  isTensor = check;
}

/** @internal Called by every new Tensor. */
export function track(t: Scoped): void {
  liveTensors++;
  scopes[scopes.length - 1]?.add(t);
}

/** @internal Called once when a tensor is disposed or collected. */
export function untrack(t: Scoped): void {
  liveTensors--;
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].delete(t)) break;
}

/** @internal A tensor the garbage collector freed without dispose(). */
export function forgetCollected(): void {
  liveTensors--;
}

/** Keeps t alive past the end of every enclosing `tidy`; you dispose it yourself later. */
export function keep<T extends Scoped>(t: T): T {
  for (const s of scopes) s.delete(t);
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

function close(scope: Set<Scoped>, result: unknown): void {
  const returned = new Set<Scoped>();
  collect(result, returned);
  const popped = scopes.pop();
  if (popped !== scope) throw new Error('tidy: scopes closed out of order (overlapping async tidy calls are not supported)');
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) parent?.add(t);
    else t.dispose();
  }
}

/**
 * Runs fn and disposes every tensor created inside it, except the ones it returns (in an array,
 * a Map or a plain object) and the ones passed to `keep`. fn may be async: the scope then closes
 * when its promise settles (do not interleave two async tidy calls).
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Scoped>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    close(scope, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        close(scope, v);
        return v;
      },
      (e) => {
        close(scope, undefined);
        throw e;
      },
    ) as T;
  }
  close(scope, result);
  return result;
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
