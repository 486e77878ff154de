import type { Backend, FusedKernels, Primitives } from '@logit/core';

/**
 * A view of a backend that records which kernels run: "unary.exp", "matmul", "fused.softmax".
 * Every member is forwarded to the backend's own object (so class-based backends with private
 * fields keep working); the storages are the backend's own.
 */
export interface TracedBackend {
  /** The backend to use: the original with every kernel call recorded. */
  backend: Backend;
  /** Kernels called since the last `reset()`. */
  calls: Set<string>;
  /** Forgets the recorded calls. */
  reset(): void;
}

const OP_ARG_KERNELS = new Set(['unary', 'binary', 'compare', 'reduce', 'argReduce', 'scan']);

/** Wraps a backend so that the kernels a case runs can be listed (see {@link TracedBackend}). */
export function traceBackend(inner: Backend): TracedBackend {
  const calls = new Set<string>();
  const ops = {} as Record<string, unknown>;
  const innerOps = inner.ops as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const key of methodNames(innerOps)) {
    if (key === 'constructor' || typeof innerOps[key] !== 'function' || key in ops) continue;
    ops[key] = (...args: unknown[]) => {
      calls.add(OP_ARG_KERNELS.has(key) ? `${key}.${String(args[0])}` : key);
      return innerOps[key].apply(inner.ops, args);
    };
  }
  let fused: Partial<FusedKernels> | undefined;
  if (inner.fused) {
    const innerFused = inner.fused as unknown as Record<string, (...a: unknown[]) => unknown>;
    const f: Record<string, unknown> = {};
    for (const key of methodNames(innerFused)) {
      if (key === 'constructor' || typeof innerFused[key] !== 'function' || key in f) continue;
      f[key] = (...args: unknown[]) => {
        calls.add(`fused.${key}`);
        return innerFused[key].apply(inner.fused, args);
      };
    }
    fused = f as Partial<FusedKernels>;
  }
  const backend: Backend = {
    name: inner.name,
    dtypes: inner.dtypes,
    alloc: (dtype, size) => inner.alloc(dtype, size),
    write: (s, data) => inner.write(s, data),
    read: (s) => inner.read(s),
    readSync: inner.readSync ? (s) => inner.readSync!(s) : undefined,
    free: (s) => inner.free(s),
    memory: () => inner.memory(),
    ops: ops as unknown as Primitives,
    fused,
  };
  if (!inner.readSync) delete (backend as { readSync?: unknown }).readSync;
  return { backend, calls, reset: () => calls.clear() };
}

/** Own keys plus the methods of a class instance's prototype chain (not Object.prototype's). */
function methodNames(o: object): string[] {
  const names = new Set(Object.keys(o));
  for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) names.add(k);
  }
  return [...names];
}
