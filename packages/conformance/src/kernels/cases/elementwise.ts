import { BINARY_OPS, UNARY_OPS, sizeOf, type BinaryOp, type Shape, type UnaryOp } from '@logit/core';
import { EXTREME_VALUES, INT_EDGES, broadcastShape, randomData, uniformData } from '../data.js';
import type { Tolerance } from '../../types.js';
import type { KernelCase } from '../types.js';
import { ALL_DTYPES, FLOAT_DTYPES, call, fmtShape, kernelCase } from './define.js';

// unary and binary: every op of core's lists at every dtype, on sizes that reach SIMD tails,
// special values, the whole float range, broadcasting on either side and both, and size-0 dims.

/** Float edge values every elementwise op is checked on (the last bits of exp, saturation, signed zeros, overflow). */
export const FLOAT_EDGES: readonly number[] = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 1e-6, -1e-6, 1e-30, 20, -20, 88, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN,
];

/** The unary ops with an integer meaning; the others are only asked for in float (core promotes ints first). */
const INT_UNARY: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'ceil', 'round', 'logicalNot']);
const SIZES = [0, 1, 3, 4, 7, 33, 1000];

/**
 * Float32 accuracy the contract allows where WGSL's does not reach KERNEL_TOLERANCE: log is only
 * absolutely accurate (2^-21) near 1, pow inherits exp2(y * log2(x))'s error, which grows with |y log2 x|.
 */
const UNARY_TOL: Partial<Record<UnaryOp, Tolerance>> = { log: { rtol: 4e-6, atol: 5e-7 } };
const BINARY_TOL: Partial<Record<BinaryOp, Tolerance>> = { pow: { rtol: 2e-5, atol: 1e-7 } };

function unaryCases(op: UnaryOp): KernelCase[] {
  const un = (what: string, x: ArrayLike<number>) => call(what, [x], (be, [s], d) => be.ops.unary(op, s, x.length, d));
  const dtypes = ALL_DTYPES.filter((d) => d !== 'int32' || INT_UNARY.has(op));
  return [
    kernelCase('unary', `unary ${op}`, dtypes, (dtype) => [
      ...SIZES.map((n) => un(`size ${n} with special values`, randomData(dtype, n, n * 31 + 7, true))),
      ...(dtype === 'int32' ? [un('int32 edges (wrapping)', INT_EDGES)] : []),
      ...(dtype === 'float32' || dtype === 'float64' ? [un('edge values', FLOAT_EDGES), un('20000 values in [-45, 45]', uniformData(dtype, 20000, 99, -45, 45))] : []),
    ], { tol: UNARY_TOL[op] && { float32: UNARY_TOL[op] } }),
    kernelCase('unary', `unary ${op} signs of zero`, FLOAT_DTYPES, () => [un('[-0, 0, -1e-30, 1e-30]', [-0, 0, -1e-30, 1e-30])], { signedZeros: true }),
  ];
}

/** sin and cos of arguments far from 0 need a careful range reduction (Payne-Hanek). */
const trigLarge = kernelCase('unary', 'unary sin and cos of large arguments', FLOAT_DTYPES, (dtype) => {
  const xs: number[] = [];
  for (let e = 13; e < 128; e++) for (const u of uniformData(dtype, 4, e, 1, 2)) xs.push(u * 2 ** e, -u * 2 ** e);
  xs.push(1e30, -1e30, 3.4028234e38, 8192, 102943.6875);
  return (['sin', 'cos'] as const).map((op) => call(`${op} of 2^13 .. 2^127`, [xs], (be, [s], d) => be.ops.unary(op, s, xs.length, d)));
});

/** Shape pairs: same shape, scalars, broadcasting on either side and both, size-0 dims. */
export const BROADCAST_PAIRS: readonly [Shape, Shape][] = [
  [[], []], [[5], []], [[], [5]], [[7], [7]], [[3, 4], [4]], [[3, 4], [3, 1]], [[3, 1], [1, 5]],
  [[2, 3, 4], [3, 1]], [[2, 1, 4], [1, 3, 1]], [[4, 1], [1]], [[0, 3], [3]], [[2, 0], [2, 1]],
  [[1, 1, 9], [9]], [[64, 130], [130]], [[5, 2, 3, 2], [2, 1, 2]], [[1], [1, 1]],
];

/** Exponents of int32 pow stay small and bases moderate: every power is exact before it is stored. */
function intPowOperands(a: ArrayLike<number>, b: ArrayLike<number>): [number[], number[]] {
  return [Array.from(a, (v) => (((v % 8) + 8) % 16) - 8), Array.from(b, (v) => (((v % 7) + 7) % 7) - 2)];
}

function binaryCases(op: BinaryOp): KernelCase[] {
  const bin = (what: string, a: ArrayLike<number>, as: Shape, b: ArrayLike<number>, bs: Shape) =>
    call(what, [a, b], (be, [x, y], d) => be.ops.binary(op, x, as, y, bs, broadcastShape(as, bs), d));
  return [
    kernelCase('binary', `binary ${op}`, ALL_DTYPES, (dtype) => [
      ...BROADCAST_PAIRS.map(([as, bs], n) => {
        let a: ArrayLike<number> = randomData(dtype, sizeOf(as), n * 2 + 1, true);
        let b: ArrayLike<number> = randomData(dtype, sizeOf(bs), n * 2 + 2, true);
        if (op === 'pow' && dtype === 'int32') [a, b] = intPowOperands(a, b);
        return bin(`${fmtShape(as)} ${fmtShape(bs)}`, a, as, b, bs);
      }),
      ...(dtype === 'float32' || dtype === 'float64'
        ? [bin('every pair of edge values', FLOAT_EDGES, [FLOAT_EDGES.length, 1], FLOAT_EDGES, [FLOAT_EDGES.length])]
        : []),
      ...(dtype === 'int32' && op !== 'pow' ? [bin('int32 edges (wrapping, division by zero)', INT_EDGES, [13], [0, 1, -1, 2, -2, 3, 0, 5, 7, -3, 2, 2, -1], [13])] : []),
    ], { signedZeros: op !== 'maximum' && op !== 'minimum', tol: BINARY_TOL[op] && { float32: BINARY_TOL[op] } }), // max(-0, 0) may be either zero
  ];
}

/** C's pow as PyTorch computes it: 1 ** y and (-1) ** ±inf are 1 even for nan or infinite y. */
const powC = kernelCase('binary', 'binary pow C semantics', FLOAT_DTYPES, () => {
  const a = [1, 1, 1, -1, -1, NaN, 2, 0, 0, -2];
  const b = [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, NaN, -1, 0, 0.5];
  return [call('1 ** nan, (-1) ** inf, nan ** 0, 0 ** -1', [a, b], (be, [x, y], d) => be.ops.binary('pow', x, [10], y, [10], [10], d))];
});

/** Subnormals and float32's maximum through every op: exact only (WGSL may flush subnormals and assumes no overflow). */
const EXACT_ONLY = 'subnormals and float32 overflow, which WGSL lets a GPU flush or leave undefined';
const extremeUnary = kernelCase('unary', 'unary at float32 extremes', ['float32'], () =>
  UNARY_OPS.map((op) => call(op, [EXTREME_VALUES], (be, [s], d) => be.ops.unary(op, s, EXTREME_VALUES.length, d))), { exactOnly: EXACT_ONLY });
const extremeBinary = kernelCase('binary', 'binary at float32 extremes', ['float32'], () => {
  const other = [...EXTREME_VALUES, ...FLOAT_EDGES];
  return BINARY_OPS.map((op) => call(op, [EXTREME_VALUES, other], (be, [a, b], d) =>
    be.ops.binary(op, a, [EXTREME_VALUES.length, 1], b, [other.length], [EXTREME_VALUES.length, other.length], d)));
}, { exactOnly: EXACT_ONLY });

export const unaryKernelCases = (): KernelCase[] => [...UNARY_OPS.flatMap(unaryCases), trigLarge, extremeUnary];
export const binaryKernelCases = (): KernelCase[] => [...BINARY_OPS.flatMap(binaryCases), powC, extremeBinary];

