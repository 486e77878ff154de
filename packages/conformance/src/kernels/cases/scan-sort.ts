import { sizeOf, type DType, type Shape } from '@logit/core';
import { randomData, rng } from '../data.js';
import type { KernelCase } from '../types.js';
import { call, fmtShape, kernelCase } from './define.js';

// scan (cumulative sum and product), argsort (stable, nan above +inf) and validate (user values
// checked in range). Shapes put the axis first, in the middle and last, with an empty one.

const SHAPES: readonly [Shape, number][] = [[[7], 0], [[3, 5], 1], [[4, 3], 0], [[2, 6, 3], 1], [[2, 3, 40], 2], [[3, 0, 2], 1], [[], 0]];

/** Data a product keeps finite: values near 1 in magnitude for float, small ints for int32. */
function scanData(dtype: DType, size: number, seed: number, prod: boolean): ArrayLike<number> {
  if (!prod) return randomData(dtype, size, seed, dtype !== 'int32');
  const r = rng(seed);
  return Array.from({ length: size }, () => (dtype === 'int32' ? Math.floor(r() * 5) - 2 : (r() < 0.5 ? -1 : 1) * (0.7 + r() * 0.6)));
}

const scanCase = (op: 'sum' | 'prod') => kernelCase('scan', `scan ${op} along each axis, forward and reverse`, ['float32', 'float64', 'int32'], (dtype) =>
  SHAPES.flatMap(([shape, axis], n) => [false, true].map((reverse) => {
    const s = shape.length === 0 ? [1] : shape;
    return call(`${op} ${fmtShape(s)} axis ${axis}${reverse ? ' reverse' : ''}`, [scanData(dtype, sizeOf(s), 40 + n, op === 'prod')],
      (be, [x], d) => be.ops.scan(op, x, s, axis, reverse, d));
  })), { tol: { float32: { rtol: 2e-6, atol: 2e-6 } } });

/** Values with many ties (halves), and nan, infinities and signed zeros for float. */
function sortData(dtype: DType, size: number, seed: number): number[] {
  const r = rng(seed);
  const special = [NaN, Infinity, -Infinity, 0, -0];
  return Array.from({ length: size }, () => {
    if (dtype !== 'int32' && r() < 0.2) return special[Math.floor(r() * special.length)];
    return dtype === 'int32' ? Math.floor(r() * 7) - 3 : Math.round((r() - 0.5) * 8) / 2;
  });
}

const argsortCase = kernelCase('argsort', 'argsort along each axis, ties stable, nan last ascending', ['float32', 'float64', 'int32'], (dtype) =>
  SHAPES.flatMap(([shape, axis], n) => [false, true].map((descending) => {
    const s = shape.length === 0 ? [1] : shape;
    return call(`${fmtShape(s)} axis ${axis}${descending ? ' descending' : ''}`, [sortData(dtype, sizeOf(s), 60 + n)],
      (be, [x], d) => be.ops.argsort(x, s, axis, descending, d), 'int32');
  })));

const validateCase = kernelCase('validate', 'validate passes values in range (or the exception) and writes nothing', ['float32', 'int32'], (dtype) => {
  const check = { min: 0, max: 9, except: -100, error: (v: number, i: number) => new RangeError(`value ${v} at ${i} out of range`) };
  const r = rng(77);
  const inRange = Array.from({ length: 300 }, () => (r() < 0.1 ? -100 : Math.floor(r() * 10)));
  // validate returns nothing: the harness checks it did not throw, allocated nothing and left its input as it was
  return [call(`300 values in [0, 9] or -100`, [{ data: inRange, dtype }], (be, [x], d) => {
    be.ops.validate(x, 300, d, check);
    return [];
  })];
});

export const scanKernelCases = (): KernelCase[] => [scanCase('sum'), scanCase('prod')];
export const argsortKernelCases = (): KernelCase[] => [argsortCase];
export const validateKernelCases = (): KernelCase[] => [validateCase];
