import { BackendError } from '@logit/core';

/** What V8 throws when a typed array or its buffer cannot be made (too long, or no memory). */
const ALLOCATION_FAILED = /invalid typed array length|array buffer allocation failed|invalid array buffer length|invalid array length/i;

/**
 * The table's kernels, each turning an allocation failure into a BackendError that names the
 * kernel, as backend-wasm and backend-webgpu report theirs (zeros([1e6, 1e6]) is 10^12 elements):
 * a raw RangeError from deep inside a kernel tells the user nothing. Other errors pass through.
 */
export function guardAllocations<T extends object>(table: T): T {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(table)) {
    out[name] = (...args: unknown[]) => {
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        if (e instanceof RangeError && ALLOCATION_FAILED.test(e.message)) {
          throw new BackendError(`cpu: ${name} could not allocate its result in host memory (${e.message})`);
        }
        throw e;
      }
    };
  }
  return out as T;
}
