import type { Backend, FusedKernels, FusedName } from './types.js';

let fusedEnabled = true;

/**
 * Turns the lookup of fused kernels on or off for every backend. Conformance runs each case both
 * ways to check that a fused kernel and its composition from primitives agree.
 */
export function setFusedKernelsEnabled(on: boolean): void {
  fusedEnabled = on;
}

/** Whether core uses the backends' fused kernels (true by default; see `setFusedKernelsEnabled`). */
export function fusedKernelsEnabled(): boolean {
  return fusedEnabled;
}

/** The backend's fused kernel of that name, bound to its table, or undefined to compose. */
export function fusedKernel<K extends FusedName>(be: Backend, name: K): FusedKernels[K] | undefined {
  if (!fusedEnabled) return undefined;
  const k = be.fused?.[name];
  return k ? (k.bind(be.fused) as FusedKernels[K]) : undefined;
}
