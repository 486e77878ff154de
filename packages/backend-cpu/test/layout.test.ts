import { sizeOf, type DType } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { broadcastSource, randomData, randomIndices, ravel, toDType, unravel } from '@logit/conformance';
import { expectClose, runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();

const DTYPES: DType[] = ['float32', 'float64', 'int32', 'bool'];

describe.each(DTYPES)('layout kernels, %s', (dtype) => {
  it('gather along each axis, index smaller than x off-axis', () => {
    const cases: [number[], number, number[]][] = [
      [[5], 0, [7]], [[3, 4], 0, [2, 4]], [[3, 4], 1, [3, 6]], [[2, 3, 4], 1, [2, 5, 3]], [[2, 3, 4], 2, [1, 2, 2]], [[3, 4], 1, [3, 0]],
    ];
    cases.forEach(([xShape, axis, iShape], n) => {
      const x = randomData(dtype, sizeOf(xShape), n, true);
      const idx = randomIndices(iShape, xShape[axis], n);
      const got = runKernelSync(be, [[x, dtype], [idx, 'int32']], ([a, b]) => be.ops.gather(a, xShape, axis, b, iShape, dtype));
      const ref = Array.from(idx, (v, i) => {
        const at = unravel(i, iShape);
        at[axis] = v;
        return x[ravel(at, xShape)];
      });
      expectClose(got, ref);
    });
  });

  it('scatterAdd accumulates repeated indices', () => {
    const cases: [number[], number, number[]][] = [[[4], 0, [9]], [[3, 5], 1, [3, 7]], [[3, 5], 0, [6, 2]], [[2, 3, 4], 1, [2, 6, 4]], [[3], 0, [0]]];
    cases.forEach(([outShape, axis, iShape], n) => {
      const src = randomData(dtype === 'int32' ? 'int32' : dtype, sizeOf(iShape), 50 + n);
      const idx = randomIndices(iShape, outShape[axis], 60 + n);
      const got = runKernelSync(be, [[idx, 'int32'], [src, dtype]], ([a, b]) => be.ops.scatterAdd(a, iShape, b, outShape, axis, dtype));
      const acc = new Array<number>(sizeOf(outShape)).fill(0);
      idx.forEach((v, i) => {
        const at = unravel(i, iShape);
        at[axis] = v;
        acc[ravel(at, outShape)] += src[i];
      });
      expectClose(got, acc.map((v) => toDType(v, dtype)), { rtol: 1e-6 });
    });
  });

  it('permute of every rank up to 4', () => {
    const cases: [number[], number[]][] = [[[], []], [[5], [0]], [[3, 4], [1, 0]], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4, 5], [3, 1, 0, 2]], [[2, 0, 3], [2, 1, 0]]];
    cases.forEach(([shape, perm], n) => {
      const x = randomData(dtype, sizeOf(shape), 70 + n, true);
      const outShape = perm.map((p) => shape[p]);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.ops.permute(s, shape, perm, dtype));
      const ref = Array.from({ length: sizeOf(outShape) }, (_, i) => {
        const o = unravel(i, outShape);
        const at = new Array<number>(shape.length);
        perm.forEach((p, d) => (at[p] = o[d]));
        return x[ravel(at, shape)];
      });
      expectClose(got, ref);
    });
  });

  it('expand, right-aligned, from scalars and size-1 dims', () => {
    const cases: [number[], number[]][] = [[[], [3, 2]], [[1], [4]], [[3, 1], [2, 3, 4]], [[4], [4]], [[1, 4], [0, 4]], [[2, 1], [2, 1]]];
    cases.forEach(([shape, outShape], n) => {
      const x = randomData(dtype, sizeOf(shape), 80 + n, true);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.ops.expand(s, shape, outShape, dtype));
      expectClose(got, Array.from({ length: sizeOf(outShape) }, (_, i) => x[broadcastSource(unravel(i, outShape), shape)]));
    });
  });

  const windows: [number[], number[], number[], number[]][] = [
    [[10], [1], [3], [3]], [[4, 5], [1, 0], [2, 2], [2, 3]], [[3, 4, 5], [0, 1, 2], [1, 2, 1], [3, 2, 3]], [[6], [2], [1], [0]], [[], [], [], []],
  ];
  it('slice with begin and steps', () => {
    windows.forEach(([shape, begin, step, outShape], n) => {
      const x = randomData(dtype, sizeOf(shape), 90 + n, true);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.ops.slice(s, shape, begin, step, outShape, dtype));
      const ref = Array.from({ length: sizeOf(outShape) }, (_, i) => x[ravel(unravel(i, outShape).map((v, d) => begin[d] + v * step[d]), shape)]);
      expectClose(got, ref);
    });
  });
  it('setSlice replaces exactly the window and leaves base untouched', () => {
    windows.forEach(([shape, begin, step, srcShape], n) => {
      const base = randomData(dtype, sizeOf(shape), 95 + n, true);
      const src = randomData(dtype, sizeOf(srcShape), 99 + n, true);
      const got = runKernelSync(be, [[base, dtype], [src, dtype]], ([a, b]) => be.ops.setSlice(a, shape, b, srcShape, begin, step, dtype));
      const ref = Array.from(base);
      src.forEach((v, i) => (ref[ravel(unravel(i, srcShape).map((u, d) => begin[d] + u * step[d]), shape)] = v));
      expectClose(got, ref);
    });
  });

  it('concat along each axis, with empty pieces', () => {
    const cases: [number[][], number][] = [[[[2], [3], [0]], 0], [[[2, 3], [1, 3]], 0], [[[2, 3], [2, 1], [2, 4]], 1], [[[2, 1, 3], [2, 2, 3]], 1], [[[1, 2], [1, 2]], 1]];
    cases.forEach(([shapes, axis], n) => {
      const xs = shapes.map((s, j) => randomData(dtype, sizeOf(s), 10 * n + j, true));
      const outShape = shapes[0].map((d, i) => (i === axis ? shapes.reduce((a, s) => a + s[axis], 0) : d));
      const got = runKernelSync(be, xs.map((x) => [x, dtype]), ([...s]) => be.ops.concat(s, shapes, axis, dtype));
      const ref = Array.from({ length: sizeOf(outShape) }, (_, i) => {
        const at = unravel(i, outShape);
        let j = 0;
        while (at[axis] >= shapes[j][axis]) at[axis] -= shapes[j++][axis];
        return xs[j][ravel(at, shapes[j])];
      });
      expectClose(got, ref);
    });
  });

  it('fill', () => {
    for (const v of [0, 1, -2.5, NaN, 3]) {
      const got = Array.from(runKernelSync(be, [], () => be.ops.fill(v, 5, dtype)));
      expectClose(got, new Array(5).fill(dtype === 'int32' ? v | 0 : toDType(v, dtype)));
    }
    expect(runKernelSync(be, [], () => be.ops.fill(1, 0, dtype)).length).toBe(0);
  });
});
