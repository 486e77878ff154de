import { BINARY_OPS, COMPARE_OPS, UNARY_OPS, type Backend, type DType, type Storage } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { array, checkKernel, cpu, EDGES, expectClose, runKernel, seeded, webgpu } from '../helpers.js';

// float32 kernels compute in f32 where backend-cpu computes in doubles and rounds once: a few
// ulps apart. Integer and bool results must match exactly.
const F32_TOL = { rtol: 4e-6, atol: 1e-7 };
/** int32 a ** b as PyTorch computes it: wrapping products; a negative exponent truncates toward 0. */
function wrappingPow(a: Int32Array, b: Int32Array): Int32Array {
  return a.map((x, i) => {
    const y = b[i];
    if (y < 0) return x === 1 ? 1 : x === -1 ? (y % 2 ? -1 : 1) : 0;
    let r = 1n;
    for (let n = 0; n < y; n++) r = BigInt.asIntN(32, r * BigInt(x));
    return Number(r);
  });
}

const INTS = [0, 1, -1, 2, -2, 3, 7, -7, 100, -100, 46341, 2147483647, -2147483648];

describe('unary', () => {
  const x = new Float32Array([...EDGES, ...seeded(40, 3, -6, 6)]);
  it.each(UNARY_OPS)('%s float32 on edge values and random values', async (op) => {
    await checkKernel(`unary ${op}`, [x], (be, [s]) => be.ops.unary(op, s, x.length, 'float32'), F32_TOL);
  });

  it('sin and cos of large arguments (Payne-Hanek reduction) against float64 Math', async () => {
    // for every binary exponent from 2^13 to 2^127, random mantissas of both signs
    const xs: number[] = [];
    for (let e = 13; e < 128; e++) for (const u of seeded(8, e, 1, 2)) xs.push(u * 2 ** e, -u * 2 ** e);
    const big = new Float32Array([...xs, 1e30, -1e30, 3.4028234e38, 8192, 102943.6875]);
    for (const [op, f] of [['sin', Math.sin], ['cos', Math.cos]] as const) {
      const got = await runKernel(await webgpu(), [big], (be, [s]) => be.ops.unary(op, s, big.length, 'float32'));
      expectClose(got, big.map((v) => f(v)), F32_TOL, op);
    }
  });

  it('signs of zero follow backend-cpu (IEEE): -0 in, -0 out, and x / inf', async () => {
    const isNeg0 = (a: ArrayLike<number>): boolean[] => Array.from(a, (v) => Object.is(v, -0));
    const z = new Float32Array([-0, 0, -1e-30, 1e-30]);
    for (const op of UNARY_OPS) {
      const got = await runKernel(await webgpu(), [z], (be, [s]) => be.ops.unary(op, s, z.length, 'float32'));
      const want = await runKernel(cpu, [z], (be, [s]) => be.ops.unary(op, s, z.length, 'float32'));
      expect(isNeg0(got), op).toEqual(isNeg0(want));
    }
    const a = new Float32Array([-0, 0, 1, -1, 0, -0, 1e30]);
    const b = new Float32Array([Infinity, -Infinity, -Infinity, Infinity, Infinity, -Infinity, -Infinity]);
    for (const op of ['div', 'mul', 'minimum', 'maximum'] as const) {
      const call = (be: Backend, [p, q]: Storage[]): Storage => be.ops.binary(op, p, [a.length], q, [a.length], [a.length], 'float32');
      expect(isNeg0(await runKernel(await webgpu(), [a, b], call)), op).toEqual(isNeg0(await runKernel(cpu, [a, b], call)));
    }
  });

  it.each(UNARY_OPS)('%s int32 and bool', async (op) => {
    const i = array('int32', INTS) as Int32Array;
    if (['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'ceil', 'round', 'logicalNot'].includes(op)) {
      await checkKernel(`unary ${op} int32`, [i], (be, [s]) => be.ops.unary(op, s, i.length, 'int32'));
    }
    const b = array('bool', [0, 1, 1, 0]);
    await checkKernel(`unary ${op} bool`, [b], (be, [s]) => be.ops.unary(op, s, b.length, 'bool'));
  });
});

describe('binary', () => {
  // every pair of edge values: a as a column, b as a row, broadcast to (23, 23)
  const e = new Float32Array(EDGES);
  it.each(BINARY_OPS)('%s float32 on every pair of edge values', async (op) => {
    await checkKernel(`binary ${op}`, [e, e], (be, [a, b]) => be.ops.binary(op, a, [e.length, 1], b, [e.length], [e.length, e.length], 'float32'), F32_TOL);
  });

  it.each(BINARY_OPS)('%s float32 with broadcasting, scalars and size-0 dims', async (op) => {
    const cases: [number[], number[], number[]][] = [
      [[3, 1, 5], [4, 1], [3, 4, 5]],
      [[], [2, 3], [2, 3]],
      [[2, 3], [], [2, 3]],
      [[7], [7], [7]],
      [[0, 3], [3], [0, 3]],
    ];
    for (const [as, bs, os] of cases) {
      const a = seeded(as.reduce((p, d) => p * d, 1), 5, 0.1, 3);
      const b = seeded(bs.reduce((p, d) => p * d, 1), 6, -3, 3);
      await checkKernel(`binary ${op} ${as}x${bs}`, [a, b], (be, [sa, sb]) => be.ops.binary(op, sa, as, sb, bs, os, 'float32'), F32_TOL);
    }
  });

  it.each(BINARY_OPS)('%s int32 (wrapping, division by zero, negative powers) and bool', async (op) => {
    const a = array('int32', INTS) as Int32Array;
    const b = array('int32', [0, 1, -1, 2, -2, 3, 0, 5, 7, -3, 2, 2, -1]) as Int32Array;
    const call = (be: Backend, [sa, sb]: Storage[]): Storage => be.ops.binary(op, sa, [a.length], sb, [b.length], [a.length], 'int32');
    if (op === 'pow') {
      // backend-cpu stores Math.pow's double, which has lost the low bits of 2147483647 ** 2 by
      // then (0); PyTorch wraps the integer products (1). The reference here is exact BigInt math.
      expectClose(await runKernel(await webgpu(), [a, b], call), wrappingPow(a, b), {}, 'binary pow int32');
    } else {
      await checkKernel(`binary ${op} int32`, [a, b], call);
    }
    const p = array('bool', [0, 0, 1, 1]);
    const q = array('bool', [0, 1, 0, 1]);
    await checkKernel(`binary ${op} bool`, [p, q], (be, [sa, sb]) => be.ops.binary(op, sa, [4], sb, [4], [4], 'bool'));
  });
});

describe('compare and where', () => {
  const e = new Float32Array(EDGES);
  it.each(COMPARE_OPS)('%s on every pair of float edges, int32 and bool', async (op) => {
    await checkKernel(`compare ${op}`, [e, e], (be, [a, b]) => be.ops.compare(op, a, [e.length, 1], b, [e.length], [e.length, e.length], 'float32'));
    const i = array('int32', INTS);
    await checkKernel(`compare ${op} int32`, [i, i], (be, [a, b]) => be.ops.compare(op, a, [i.length, 1], b, [1, i.length], [i.length, i.length], 'int32'));
    const p = array('bool', [0, 1]);
    await checkKernel(`compare ${op} bool`, [p, p], (be, [a, b]) => be.ops.compare(op, a, [2, 1], b, [2], [2, 2], 'bool'));
  });

  it.each(['float32', 'int32', 'bool'] as DType[])('where %s with all three inputs broadcast', async (dtype) => {
    const cond = array('bool', [1, 0, 0, 1, 1, 0]);
    const a = array(dtype, [1, 0, 3, 1]);
    const b = array(dtype, [5, 0, 1]);
    await checkKernel(`where ${dtype}`, [cond, a, b], (be, [c, sa, sb]) => be.ops.where(c, [2, 1, 3], sa, [4, 1], sb, [3], [2, 4, 3], dtype));
  });
});

describe('cast', () => {
  const values = [...EDGES, 3e9, -3e9, 2147483648, 5e9, 1.9, -1.9, 16777217];
  const dtypes: DType[] = ['float32', 'int32', 'bool'];
  for (const from of dtypes) {
    for (const to of dtypes) {
      it(`${from} -> ${to} (truncation, wrapping, nan and inf)`, async () => {
        const src = from === 'bool' ? array('bool', [0, 1, 1, 0]) : array(from, values);
        await checkKernel(`cast ${from}>${to}`, [src], (be, [s]) => be.ops.cast(s, src.length, from, to));
      });
    }
  }
});
