/**
 * `@logit/conformance/vitest`: the conformance suite as vitest tests, one per case, for a
 * backend package's own test run.
 *
 * @module @logit/conformance/vitest
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend, DType, Storage, TypedArray } from '@logit/core';
import { firstDifference, upload } from './kernels/harness.js';
import { selectKernelCases } from './kernels/index.js';
import { createKernelEnvironment, runKernelCase, type KernelEnvironment, type KernelSuiteOptions } from './kernels/run.js';
import { STORAGE_CHECKS } from './kernels/storage.js';
import type { CaseEnvironment } from './run-case.js';
import { createEnvironment, runOne, selectCases } from './run-conformance.js';
import type { ConformanceOptions } from './types.js';
import { runFuzz, type FuzzOptions } from './fuzz/run-fuzz.js';

/**
 * Registers the conformance suite in a backend package's vitest run, one test per case and dtype:
 *
 *   import { conformanceSuite } from '@logit/conformance/vitest';
 *   import { createBackend } from '../src/index.js';
 *   conformanceSuite(createBackend);
 *
 * A failing case fails its test with the oracle and the first element out of tolerance. A case
 * at a dtype the backend does not declare is skipped at run time, with the reason.
 */
export function conformanceSuite(
  createBackend: () => Backend | Promise<Backend>,
  opts: Omit<ConformanceOptions, 'createBackend'> = {},
): void {
  describe('@logit/conformance', () => {
    let env: CaseEnvironment;
    beforeAll(async () => {
      env = await createEnvironment({ ...opts, createBackend });
    });
    for (const { c, dtype, name } of selectCases(opts.include, opts.exclude)) {
      test(name, async (ctx) => {
        const r = await runOne(env, c, dtype);
        opts.onResult?.(r);
        // derived from backend.dtypes, never from a list of test names; the message says which dtype is missing
        if (r.status === 'unsupported') ctx.skip(r.message);
        if (r.status === 'fail') expect.fail(`${r.name} (op ${r.op}) failed: ${r.message}`);
      });
    }
  });
}

/**
 * Registers the fuzz property (see `runFuzz`) as one vitest test: random public-API calls on this
 * backend and on backend-cpu must end alike, in a typed error of the same class or a result of
 * the same shape and dtype, with memory() unchanged. A fixed seed keeps CI reproducible; the
 * test logs the seed and the number of calls.
 */
export function fuzzSuite(createBackend: () => Backend | Promise<Backend>, opts: Omit<FuzzOptions, 'createBackend'> = {}, timeoutMs = 120_000): void {
  test(`fuzz: ${opts.numRuns ?? 300} random public-API calls, seed ${opts.seed ?? 15}, same outcome as backend-cpu`, async () => {
    const report = await runFuzz({ ...opts, createBackend });
    console.log(`fuzz: seed ${report.seed}, ${report.runs} calls, refused alike: ${JSON.stringify(report.refused)}`);
    expect(report.runs).toBe(opts.numRuns ?? 300);
  }, timeoutMs);
}

/**
 * Registers the kernel-level suite in a backend package's vitest run: every primitive (and each
 * fused kernel the backend declares) called directly on seeded data, compared with backend-cpu
 * in float64, leak-checked, its inputs checked untouched and its reads compared; plus the memory
 * half of the contract (STORAGE_CHECKS). One test per case and dtype:
 *
 *   import { kernelSuite } from '@logit/conformance/vitest';
 *   import { createBackend } from '../src/index.js';
 *   kernelSuite(createBackend);
 *
 * A case at a dtype the backend does not store, or of a fused kernel it does not declare, is
 * skipped at run time with that reason; nothing is filtered by name.
 */
export function kernelSuite(
  createBackend: () => Backend | Promise<Backend>,
  opts: KernelSuiteOptions & { include?: readonly (string | RegExp)[]; exclude?: readonly (string | RegExp)[] } = {},
): void {
  describe('@logit/conformance kernels', () => {
    let env: KernelEnvironment;
    beforeAll(async () => {
      env = await createKernelEnvironment(createBackend, opts);
    });
    for (const check of STORAGE_CHECKS) test(`storage: ${check.name}`, () => check.run(env.backend, async () => createBackend()));
    for (const { kc, dtype, name } of selectKernelCases(opts.include, opts.exclude)) {
      test(name, async (ctx) => {
        const r = await runKernelCase(env, kc, dtype);
        if (r.status === 'unsupported') ctx.skip(r.message);
        if (r.status === 'fail') expect.fail(r.message);
      });
    }
  });
}

/**
 * Element-by-element closeness for a backend's own tests: |got - want| <= atol + rtol * |want|,
 * nan meets nan, an infinity the same infinity, arrays of the same type and length.
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: { rtol?: number; atol?: number } = {}, what = ''): void {
  if (ArrayBuffer.isView(got) && ArrayBuffer.isView(want)) expect(got.constructor.name, what).toBe(want.constructor.name);
  const bad = firstDifference(got, want, { rtol: tol.rtol ?? 0, atol: tol.atol ?? 0 });
  if (bad) expect.fail(`${what ? `${what}: ` : ''}${bad}`);
}

/** Bit-for-bit equality: same array type and length, -0 distinct from 0, nan equal to nan. */
export function expectSame(got: TypedArray, want: TypedArray, what = ''): void {
  expect(got.constructor.name, what).toBe(want.constructor.name);
  const bad = firstDifference(got, want, { rtol: 0, atol: 0 }, true);
  if (bad) expect.fail(`${what ? `${what}: ` : ''}${bad}`);
}

/**
 * For a backend's own tests: uploads `inputs` (host data and dtype), runs `kernel` on the
 * storages, reads its output back with `read`, frees everything and checks that memory() is back
 * where it was.
 */
export async function runKernel(
  be: Backend, inputs: readonly (readonly [ArrayLike<number>, DType])[], kernel: (xs: Storage[]) => Storage,
): Promise<TypedArray> {
  const before = be.memory();
  const xs = inputs.map(([data, dtype]) => upload(be, data, dtype));
  const out = kernel(xs.slice());
  const data = await be.read(out);
  for (const s of [...xs, out]) be.free(s);
  expect(be.memory(), 'memory() after the kernel and every free').toEqual(before);
  return data;
}

/** `runKernel` for a backend with `readSync`, without awaiting. */
export function runKernelSync(
  be: Backend, inputs: readonly (readonly [ArrayLike<number>, DType])[], kernel: (xs: Storage[]) => Storage,
): TypedArray {
  const before = be.memory();
  const xs = inputs.map(([data, dtype]) => upload(be, data, dtype));
  const out = kernel(xs.slice());
  const data = be.readSync!(out);
  for (const s of [...xs, out]) be.free(s);
  expect(be.memory(), 'memory() after the kernel and every free').toEqual(before);
  return data;
}
