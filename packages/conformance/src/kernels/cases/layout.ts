import { sizeOf, type Shape } from '@logit/core';
import { permutations, randomData, randomIndices, rng } from '../data.js';
import type { KernelCase } from '../types.js';
import { ALL_DTYPES, call, fmtShape, int32, kernelCase } from './define.js';

// permute, expand, slice, setSlice, concat, gather and scatterAdd: data movement is exact at
// every dtype. Index inputs repeat on purpose (scatterAdd must accumulate, not overwrite).

const permuteCase = kernelCase('permute', 'permute, every permutation of rank <= 4', ALL_DTYPES, (dtype) =>
  ([[], [5], [2, 3], [0, 3], [2, 3, 4], [3, 1, 2, 5]] as Shape[]).flatMap((shape) => {
    const x = randomData(dtype, sizeOf(shape), 3, true);
    return permutations(shape.length).map((perm) => call(`${fmtShape(shape)} perm [${perm}]`, [x], (be, [s], d) => be.ops.permute(s, shape, perm, d)));
  }), { signedZeros: true });

const expandCase = kernelCase('expand', 'expand from scalars, size-1 dims and new leading dims', ALL_DTYPES, (dtype) =>
  ([[[], [3, 2]], [[1], [4]], [[3, 1], [3, 5]], [[1, 4], [2, 3, 4]], [[2, 1, 3], [2, 0, 3]], [[5], [5]], [[3], [0, 3]]] as [Shape, Shape][]).map(([shape, out]) =>
    call(`${fmtShape(shape)} -> ${fmtShape(out)}`, [randomData(dtype, sizeOf(shape), 4, true)], (be, [s], d) => be.ops.expand(s, shape, out, d))),
{ signedZeros: true });

/** Random strided windows of a few shapes, some cut short and some empty. */
function windows(seed: number): { shape: Shape; begin: number[]; step: number[]; win: number[] }[] {
  const r = rng(seed);
  return ([[9], [6, 7], [4, 5, 6], [3, 0, 2]] as Shape[]).flatMap((shape) =>
    Array.from({ length: 12 }, () => {
      const begin = shape.map((d) => Math.floor(r() * d));
      const step = shape.map(() => 1 + Math.floor(r() * 3));
      const win = shape.map((d, i) => Math.max(0, Math.ceil((d - begin[i]) / step[i]) - Math.floor(r() * 2)));
      return { shape, begin, step, win };
    }));
}

const sliceCase = kernelCase('slice', 'slice, random strided windows', ALL_DTYPES, (dtype) =>
  windows(8).map(({ shape, begin, step, win }) =>
    call(`${fmtShape(shape)} begin [${begin}] step [${step}] -> ${fmtShape(win)}`, [randomData(dtype, sizeOf(shape), 5, true)],
      (be, [s], d) => be.ops.slice(s, shape, begin, step, win, d))),
{ signedZeros: true });

const setSliceCase = kernelCase('setSlice', 'setSlice, random strided windows', ALL_DTYPES, (dtype) =>
  windows(9).map(({ shape, begin, step, win }, n) =>
    call(`${fmtShape(shape)} begin [${begin}] step [${step}] <- ${fmtShape(win)}`, [randomData(dtype, sizeOf(shape), 6, true), randomData(dtype, sizeOf(win), n, true)],
      (be, [b, s], d) => be.ops.setSlice(b, shape, s, win, begin, step, d))),
{ signedZeros: true });

const concatCase = kernelCase('concat', 'concat along every axis, with an empty part', ALL_DTYPES, (dtype) =>
  [0, 1, 2].map((axis) => {
    const shapes = [1, 0, 3].map((len) => [2, 3, 4].map((v, i) => (i === axis ? len : v)));
    return call(`axis ${axis} of ${shapes.map(fmtShape).join(' ')}`, shapes.map((s, n) => randomData(dtype, sizeOf(s), n + 9, true)),
      (be, xs, d) => be.ops.concat(xs, shapes, axis, d));
  }), { signedZeros: true });

/** (x shape, index shape, axis): index smaller or larger than x off the axis, size-0 index, a wide last axis. */
const INDEXED: readonly [Shape, Shape, number][] = [
  [[5], [7], 0], [[4, 6], [4, 3], 1], [[4, 6], [2, 6], 0], [[3, 4, 5], [3, 2, 5], 1], [[3, 4, 5], [2, 4, 3], 2], [[64, 10], [64, 1], 1], [[3, 4], [0, 4], 0],
];

const gatherCase = kernelCase('gather', 'gather along each axis, repeated indices', ALL_DTYPES, (dtype) =>
  INDEXED.map(([xs, is, axis], n) =>
    call(`x ${fmtShape(xs)} index ${fmtShape(is)} axis ${axis}`, [randomData(dtype, sizeOf(xs), n, true), int32(randomIndices(is, xs[axis], n + 70))],
      (be, [x, i], d) => be.ops.gather(x, xs, axis, i, is, d))),
{ signedZeros: true });

const scatterAddCase = kernelCase('scatterAdd', 'scatterAdd along each axis, repeated indices accumulate', ALL_DTYPES, (dtype) => [
  ...INDEXED.map(([out, is, axis], n) =>
    call(`out ${fmtShape(out)} index ${fmtShape(is)} axis ${axis}`, [int32(randomIndices(is, out[axis], n + 80)), randomData(dtype, sizeOf(is), n + 1, dtype !== 'float32')],
      (be, [i, s], d) => be.ops.scatterAdd(i, is, s, out, axis, d))),
  // every index the same: one slot receives every value
  call('all indices equal', [int32(new Int32Array(12).fill(2)), randomData(dtype, 12, 5)], (be, [i, s], d) => be.ops.scatterAdd(i, [12], s, [4], 0, d)),
], { tol: { float32: { rtol: 1e-6, atol: 1e-7 } } });


export const permuteKernelCases = (): KernelCase[] => [permuteCase];
export const expandKernelCases = (): KernelCase[] => [expandCase];
export const sliceKernelCases = (): KernelCase[] => [sliceCase];
export const setSliceKernelCases = (): KernelCase[] => [setSliceCase];
export const concatKernelCases = (): KernelCase[] => [concatCase];
export const gatherKernelCases = (): KernelCase[] => [gatherCase];
export const scatterAddKernelCases = (): KernelCase[] => [scatterAddCase];
