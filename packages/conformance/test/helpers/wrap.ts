import type { Backend, FusedKernels, Primitives } from '@logit/core';

/**
 * A backend that delegates to `base`, with some kernels replaced: how the mutation tests break
 * one kernel of backend-cpu at a time. `fused: null` drops every fused kernel.
 */
export function wrapBackend(
  base: Backend,
  name: string,
  replace: { ops?: (orig: Primitives) => Partial<Primitives>; fused?: ((orig: Partial<FusedKernels>) => Partial<FusedKernels>) | null },
): Backend {
  const origFused = base.fused ?? {};
  return {
    ...base,
    name,
    ops: { ...base.ops, ...replace.ops?.(base.ops) },
    fused: replace.fused === null ? undefined : { ...origFused, ...replace.fused?.(origFused) },
  };
}
