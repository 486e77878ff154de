import { beforeEach, type TestContext } from 'vitest';
import { getBackend, type DType } from '@logit/core';

/**
 * Core's tests run on whichever backend the setup file set (backend-cpu here; backend-wasm runs
 * them all on itself with `pnpm --filter @logit/backend-wasm test:core`). A test that builds
 * tensors of a dtype declares it: where the backend does not store it (float64 outside
 * backend-cpu), the test is skipped with that reason, never filtered by its title.
 */
export function needs(ctx: TestContext, ...dtypes: DType[]): void {
  const be = getBackend();
  const missing = dtypes.filter((d) => !be.dtypes.includes(d));
  if (missing.length) ctx.skip(`backend '${be.name}' does not store ${missing.join(', ')} (it declares ${be.dtypes.join(', ')})`);
}

/** `needs` for every test of the enclosing describe block or file. */
export function allNeed(...dtypes: DType[]): void {
  beforeEach((ctx) => needs(ctx, ...dtypes));
}
