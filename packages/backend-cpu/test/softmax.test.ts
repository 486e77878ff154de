import { sizeOf, type DType } from '@logit/core';
import { describe, it } from 'vitest';
import { randomData, ravel, toDType, unravel } from '@logit/conformance';
import { expectClose, runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();

/** Naive reference: per row, log(exp(x) / sum(exp(x))) after subtracting the max. */
function refLogSoftmax(x: ArrayLike<number>, shape: number[], axis: number): number[] {
  const out = new Array<number>(sizeOf(shape));
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape);
    const row = Array.from({ length: shape[axis] }, (_, j) => x[ravel(idx.map((v, d) => (d === axis ? j : v)), shape)]);
    const max = Math.max(...row);
    const sum = row.reduce((a, v) => a + Math.exp(v - max), 0);
    out[i] = Math.log(Math.exp(x[i] - max) / sum);
  }
  return out;
}

const SHAPES: [number[], number][] = [[[7], 0], [[3, 5], 1], [[3, 5], 0], [[2, 3, 4], 1], [[2, 3, 4], 2], [[4, 1], 1], [[0, 3], 1], [[3, 0], 0]];

describe.each(['float32', 'float64'] as DType[])('fused softmax kernels, %s', (dtype) => {
  it('logSoftmax along any axis matches the naive reference', () => {
    SHAPES.forEach(([shape, axis], n) => {
      const x = randomData(dtype, sizeOf(shape), 300 + n).map((v) => v * 20);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.fused!.logSoftmax!(s, shape, axis, dtype));
      expectClose(got, refLogSoftmax(x, shape, axis).map((v) => toDType(v, dtype)), { rtol: dtype === 'float32' ? 1e-6 : 1e-12, atol: 1e-12 });
    });
  });
  it('softmax along any axis matches the naive reference', () => {
    SHAPES.forEach(([shape, axis], n) => {
      const x = randomData(dtype, sizeOf(shape), 400 + n).map((v) => v * 20);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.fused!.softmax!(s, shape, axis, dtype));
      expectClose(got, refLogSoftmax(x, shape, axis).map((v) => toDType(Math.exp(v), dtype)), { rtol: dtype === 'float32' ? 1e-6 : 1e-12, atol: 1e-15 });
    });
  });
  it('is stable for huge logits', () => {
    const x = (dtype === 'float32' ? Float32Array : Float64Array).of(1000, 999, 998, -1000);
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    const expected = [1 / z, Math.exp(-1) / z, Math.exp(-2) / z, 0];
    expectClose(runKernelSync(be, [[x, dtype]], ([s]) => be.fused!.softmax!(s, [4], 0, dtype)), expected.map((v) => toDType(v, dtype)), { rtol: 1e-6 });
    const logExpected = [0, -1, -2, -2000].map((v) => toDType(v - Math.log(z), dtype));
    expectClose(runKernelSync(be, [[x, dtype]], ([s]) => be.fused!.logSoftmax!(s, [4], 0, dtype)), logExpected, { rtol: 1e-6 });
  });
  // expected values are PyTorch 1.13's torch.log_softmax on these rows (a +inf makes the whole row nan)
  it('non-finite rows follow PyTorch', () => {
    const rows = [[-Infinity, 0], [-Infinity, -Infinity], [Infinity, 0], [Infinity, -Infinity, Infinity, 1], [NaN, 0], [0, NaN]];
    const logExpected = [[-Infinity, 0], [NaN, NaN], [NaN, NaN], [NaN, NaN, NaN, NaN], [NaN, NaN], [NaN, NaN]];
    rows.forEach((row, r) => {
      const x = (dtype === 'float32' ? Float32Array : Float64Array).from(row);
      expectClose(runKernelSync(be, [[x, dtype]], ([s]) => be.fused!.logSoftmax!(s, [row.length], 0, dtype)), logExpected[r]);
      expectClose(runKernelSync(be, [[x, dtype]], ([s]) => be.fused!.softmax!(s, [row.length], 0, dtype)), logExpected[r].map(Math.exp));
    });
  });
});
