import type { Backend } from './types.js';
import { BackendError } from '../errors.js';

import { backendLabel } from './label.js';
import { PRIMITIVE_NAMES } from './primitive-names.js';

let current: Backend | null = null;

/** Makes `b` the backend new tensors are created on. Checks that it implements every primitive. */
export function setBackend(b: Backend): void {
  if (!b || typeof b !== 'object' || typeof b.name !== 'string') {
    throw new BackendError('setBackend: expected a Backend object (e.g. `await createBackend()` from @logit/backend-cpu)');
  }
  const missing = PRIMITIVE_NAMES.filter((k) => typeof (b.ops as unknown as Record<string, unknown>)?.[k] !== 'function');
  if (missing.length) {
    throw new BackendError(`setBackend: backend '${b.name}' does not implement the primitive kernel(s) ${missing.join(', ')}`);
  }
  for (const d of ['float32', 'int32', 'bool'] as const) {
    if (!b.dtypes.includes(d)) throw new BackendError(`setBackend: backend '${b.name}' must store ${d}; it lists ${b.dtypes.join(', ')}`);
  }

  backendLabel(b);
  current = b;
}

/** The current backend; throws a BackendError naming what to do when none was set. */
export function getBackend(): Backend {
  if (!current) {
    throw new BackendError(
      "no backend is set: call setBackend(await createBackend()) with a backend package such as '@logit/backend-cpu'",
    );
  }
  return current;
}

/** Whether a backend has been set with `setBackend`. */
export function hasBackend(): boolean {
  return current !== null;
}
