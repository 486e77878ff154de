import { COMPARE_OPS, sizeOf, type CompareOp, type Shape } from '@logit/core';
import { broadcastShape, randomData } from '../data.js';
import type { KernelCase } from '../types.js';
import { ALL_DTYPES, bool, call, fmtShape, kernelCase } from './define.js';
import { BROADCAST_PAIRS, FLOAT_EDGES } from './elementwise.js';

// compare, where, cast and fill: nan compares false except for ne, equal values occur on purpose,
// cast truncates and wraps, fill stores what a typed array of the dtype would.

function compareCase(op: CompareOp): KernelCase {
  return kernelCase('compare', `compare ${op}`, ALL_DTYPES, (dtype) => [
    ...BROADCAST_PAIRS.map(([as, bs], n) => {
      const a = randomData(dtype, sizeOf(as), n + 11, true);
      // the right side reuses the left's values where it can, so ties occur
      const b = dtype === 'bool' || sizeOf(bs) > a.length ? randomData(dtype, sizeOf(bs), n + 12, true) : a.slice(0, sizeOf(bs)).reverse();
      return call(`${fmtShape(as)} ${fmtShape(bs)}`, [a, b], (be, [x, y], d) => be.ops.compare(op, x, as, y, bs, broadcastShape(as, bs), d));
    }),
    ...(dtype === 'float32' || dtype === 'float64'
      ? [call('every pair of edge values', [FLOAT_EDGES, FLOAT_EDGES], (be, [x, y], d) => be.ops.compare(op, x, [FLOAT_EDGES.length, 1], y, [FLOAT_EDGES.length], [FLOAT_EDGES.length, FLOAT_EDGES.length], d))]
      : []),
  ]);
}

const WHERE_TRIPLES: readonly [Shape, Shape, Shape][] = [
  [[], [], []], [[4], [4], [4]], [[3, 1], [1, 4], [4]], [[2, 3, 4], [4], [3, 1]], [[0, 2], [2], []], [[5, 1], [], [5, 6]],
];

const whereCase = kernelCase('where', 'where, three-way broadcasting', ALL_DTYPES, (dtype) =>
  WHERE_TRIPLES.map(([cs, as, bs], n) => {
    const out = broadcastShape(broadcastShape(cs, as), bs);
    const inputs = [bool(randomData('bool', sizeOf(cs), n + 21)), randomData(dtype, sizeOf(as), n + 22, true), randomData(dtype, sizeOf(bs), n + 23, true)];
    return call(`${fmtShape(cs)} ${fmtShape(as)} ${fmtShape(bs)}`, inputs, (be, [c, a, b], d) => be.ops.where(c, cs, a, as, b, bs, out, d));
  }), { signedZeros: true });

/** Float values a cast must truncate, wrap or send to 0. */
const CAST_VALUES = [3e9, -3e9, 2147483648, -2147483649, 1e20, 7.9, -7.9, 0.5, -0.5, -0, NaN, Infinity, -Infinity, 16777217];

function castCases(): KernelCase[] {
  return ALL_DTYPES.map((to) =>
    kernelCase('cast', `cast to ${to}`, ALL_DTYPES, (from) => {
      const x = from === 'float32' || from === 'float64' ? [...CAST_VALUES, ...randomData(from, 301, 5, true)] : Array.from(randomData(from, 301, 5, true));
      return [call(`${from} -> ${to}`, [x], (be, [s], d) => be.ops.cast(s, x.length, d, to), to)];
    }, { requires: [to], signedZeros: true }),
  );
}

const FILL_VALUES = [0, -0, 1, -2.5, 2.7, 1e10, -3e9, 1 / 3, NaN, Infinity, -Infinity];

const fillCase = kernelCase('fill', 'fill, every value kind and size', ALL_DTYPES, () =>
  FILL_VALUES.flatMap((v) => [0, 1, 5, 17].map((n) => call(`fill(${v}, ${n})`, [], (be, _xs, d) => be.ops.fill(v, n, d)))),
{ signedZeros: true });

export const compareKernelCases = (): KernelCase[] => COMPARE_OPS.map(compareCase);
export const whereKernelCases = (): KernelCase[] => [whereCase];
export const castKernelCases = castCases;
export const fillKernelCases = (): KernelCase[] => [fillCase];
