import { REDUCE_OPS, type DType, type ReduceOp, sizeOf } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { randomData, ravel, toDType, unravel } from '@logit/conformance';
import { expectClose, runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();

const CASES: [number[], number[]][] = [
  [[], []], [[5], [0]], [[5], []], [[3, 4], [1]], [[3, 4], [0]], [[3, 4], [0, 1]], [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [1]], [[2, 3, 4], [1, 2]], [[2, 0, 3], [1]], [[2, 0, 3], [0, 2]], [[0, 4], [1]], [[3, 1, 5, 2], [0, 3]],
];

function refReduce(op: ReduceOp, dtype: DType, x: ArrayLike<number>, shape: number[], axes: number[]): number[] {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
  const acc = new Array<number>(sizeOf(outShape)).fill(init);
  for (let i = 0; i < sizeOf(shape); i++) {
    const o = ravel(unravel(i, shape).filter((_, d) => !axes.includes(d)), outShape);
    const v = x[i];
    if (op === 'sum') acc[o] += v;
    else if (op === 'prod') acc[o] = dtype === 'int32' ? Math.imul(acc[o], v) : acc[o] * v;
    else if (Number.isNaN(acc[o]) || Number.isNaN(v)) acc[o] = NaN;
    else acc[o] = op === 'max' ? Math.max(acc[o], v) : Math.min(acc[o], v);
  }
  return acc.map((v) => toDType(v, dtype));
}

describe('reduce', () => {
  const dtypes: DType[] = ['float32', 'float64', 'int32', 'bool'];
  it.each(REDUCE_OPS.flatMap((op) => dtypes.map((d) => [op, d] as const)))('%s %s over axis subsets (empty axes included)', (op, dtype) => {
    CASES.forEach(([shape, axes], n) => {
      const x = randomData(dtype, sizeOf(shape), 100 + n, true);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.ops.reduce(op, s, shape, axes, dtype));
      expectClose(got, refReduce(op, dtype, x, shape, axes), { rtol: dtype === 'float32' ? 1e-6 : 1e-12 });
    });
  });
  it('empty reductions: sum 0, prod 1, max -inf, min +inf', () => {
    const f = (op: ReduceOp) => Array.from(runKernelSync(be, [[new Float32Array(0), 'float32']], ([s]) => be.ops.reduce(op, s, [2, 0], [1], 'float32')));
    expect(f('sum')).toEqual([0, 0]);
    expect(f('prod')).toEqual([1, 1]);
    expect(f('max')).toEqual([-Infinity, -Infinity]);
    expect(f('min')).toEqual([Infinity, Infinity]);
  });
  it('max/min propagate nan wherever it sits', () => {
    const x = Float64Array.of(NaN, 1, 2, 1, NaN, 2, 1, 2, NaN);
    for (const op of ['max', 'min'] as const) {
      expect(Array.from(runKernelSync(be, [[x, 'float64']], ([s]) => be.ops.reduce(op, s, [3, 3], [1], 'float64')))).toEqual([NaN, NaN, NaN]);
      expect(Array.from(runKernelSync(be, [[x, 'float64']], ([s]) => be.ops.reduce(op, s, [3, 3], [0], 'float64')))).toEqual([NaN, NaN, NaN]);
    }
  });
  it('float32 sums in doubles and rounds once', () => {
    const x = new Float32Array(1e5).fill(0.1);
    const got = runKernelSync(be, [[x, 'float32']], ([s]) => be.ops.reduce('sum', s, [1e5], [0], 'float32'));
    expect(got[0]).toBe(Math.fround(Math.fround(0.1) * 1e5));
  });
});

describe('argReduce', () => {
  const dtypes: DType[] = ['float32', 'float64', 'int32', 'bool'];
  function refArg(op: 'argmax' | 'argmin', x: ArrayLike<number>, shape: number[], axis: number): number[] {
    const outShape = shape.filter((_, d) => d !== axis);
    return Array.from({ length: sizeOf(outShape) }, (_, o) => {
      const idx = unravel(o, outShape);
      let best = 0;
      for (let j = 0; j < shape[axis]; j++) {
        const at = (jj: number) => x[ravel([...idx.slice(0, axis), jj, ...idx.slice(axis)], shape)];
        const v = at(j), b = at(best);
        if (Number.isNaN(b)) break;
        if (Number.isNaN(v) || (op === 'argmax' ? v > b : v < b)) best = j;
      }
      return best;
    });
  }
  const shapes: [number[], number][] = [[[7], 0], [[3, 5], 0], [[3, 5], 1], [[2, 3, 4], 1], [[2, 3, 4], 2], [[4, 0], 0], [[0, 4], 1]];
  it.each((['argmax', 'argmin'] as const).flatMap((op) => dtypes.map((d) => [op, d] as const)))('%s %s', (op, dtype) => {
    shapes.forEach(([shape, axis], n) => {
      const x = randomData(dtype, sizeOf(shape), 200 + n, true);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.ops.argReduce(op, s, shape, axis, dtype));
      expect(got).toBeInstanceOf(Int32Array);
      expect(Array.from(got)).toEqual(refArg(op, x, shape, axis));
    });
  });
  it('first index on ties, first nan wins', () => {
    const x = Float32Array.of(1, 3, 3, 0, 2, NaN, 5, NaN, 0, 0, 0, 0);
    expect(Array.from(runKernelSync(be, [[x, 'float32']], ([s]) => be.ops.argReduce('argmax', s, [3, 4], 1, 'float32')))).toEqual([1, 1, 0]);
    expect(Array.from(runKernelSync(be, [[x, 'float32']], ([s]) => be.ops.argReduce('argmin', s, [3, 4], 1, 'float32')))).toEqual([3, 1, 0]);
  });
});
