import { BINARY_OPS, COMPARE_OPS, UNARY_OPS, type BinaryOp, type DType, type UnaryOp, sizeOf } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { erf } from '../src/kernels/erf.js';
import { ERF_TABLE } from './erf-table.js';
import { broadcastShape, broadcastSource, randomData, toDType, unravel } from '@logit/conformance';
import { expectClose, runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();

const FLOATS: DType[] = ['float32', 'float64'];

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const frac = x - f;
  if (frac !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

const UNARY_REF: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x, abs: Math.abs, sign: (x) => (Number.isNaN(x) ? 0 : Math.sign(x) + 0), exp: Math.exp, log: Math.log,
  log1p: Math.log1p, expm1: Math.expm1, sqrt: Math.sqrt, reciprocal: (x) => 1 / x, square: (x) => x ** 2,
  relu: (x) => Math.max(x, 0), sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, sin: Math.sin,
  cos: Math.cos, erf, floor: Math.floor, ceil: Math.ceil, round: roundHalfEven, logicalNot: (x) => (x == 0 ? 1 : 0),
};
const INT_UNARY: UnaryOp[] = ['neg', 'abs', 'sign', 'square', 'relu', 'logicalNot'];

describe('unary', () => {
  for (const dtype of FLOATS) {
    it.each(UNARY_OPS.map((op) => [op]))(`%s ${dtype} (with nan, inf, -0, halves)`, (op) => {
      const x = randomData(dtype, 257, 7, true);
      const got = runKernelSync(be, [[x, dtype]], ([s]) => be.ops.unary(op, s, x.length, dtype));
      expectClose(got, Array.from(x, (v) => toDType(UNARY_REF[op](v), dtype)), { rtol: 1e-15 });
    });
  }
  it.each(INT_UNARY.map((op) => [op]))('%s int32 wraps like C int32', (op) => {
    const x = randomData('int32', 200, 3);
    const got = runKernelSync(be, [[x, 'int32']], ([s]) => be.ops.unary(op, s, x.length, 'int32'));
    const ref = op === 'square' ? (v: number) => Math.imul(v, v) : UNARY_REF[op];
    expect(Array.from(got)).toEqual(Array.from(x, (v) => ref(v) | 0));
  });
  it('logicalNot and abs on bool', () => {
    const x = Uint8Array.of(0, 1, 1, 0);
    expect(Array.from(runKernelSync(be, [[x, 'bool']], ([s]) => be.ops.unary('logicalNot', s, 4, 'bool')))).toEqual([1, 0, 0, 1]);
    expect(Array.from(runKernelSync(be, [[x, 'bool']], ([s]) => be.ops.unary('abs', s, 4, 'bool')))).toEqual([1, 0, 0, 1].map((v) => 1 - v));
  });
  it('edge cases: sign, relu, round, sigmoid', () => {
    const f = (op: UnaryOp, xs: number[]) =>
      Array.from(runKernelSync(be, [[Float64Array.from(xs), 'float64']], ([s]) => be.ops.unary(op, s, xs.length, 'float64')));
    expect(f('sign', [NaN, -0, 0, -3, 2])).toEqual([0, 0, 0, -1, 1]);
    expect(Object.is(f('sign', [-0])[0], 0)).toBe(true);
    expect(f('relu', [NaN, -1, 2])).toEqual([NaN, 0, 2]);
    expect(f('round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, 1e300])).toEqual([0, 2, 2, -0, -2, -2, 2, 3, 1e300]);
    // e / (1 + e) for x < 0 keeps the tiny values that 1 / (1 + exp(-x)) loses
    expectClose(f('sigmoid', [-1000, 1000, 0, -745, -40]), [0, 1, 0.5, 5e-324, Math.exp(-40) / (1 + Math.exp(-40))], { rtol: 1e-15 });
    expect(f('logicalNot', [NaN, 0, -0, 3])).toEqual([0, 1, 1, 0]);
  });
  it('erf is accurate to 1e-13 relative', () => {
    for (const [x, e] of ERF_TABLE) {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(1e-13 * Math.abs(e));
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(NaN)).toBeNaN();
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
  });
});

/** Shape pairs that exercise broadcasting: scalars, size-0 dims, size-1 dims on either side. */
const SHAPES: [number[], number[]][] = [
  [[], []], [[5], [5]], [[], [4]], [[3, 1], []], [[2, 3], [3]], [[3, 1], [1, 4]], [[2, 1, 5], [3, 1]],
  [[0], [1]], [[2, 0, 3], [3]], [[0, 3], [1, 3]], [[4, 1, 3, 1], [5, 1, 2]], [[7, 9], [7, 9]],
];

function refBinary(op: BinaryOp, dtype: DType, a: number, b: number): number {
  if (dtype === 'bool') {
    const x = a !== 0, y = b !== 0;
    const r = { add: x || y, sub: x !== y, mul: x && y, div: true, pow: x || !y, maximum: x || y, minimum: x && y }[op];
    return r ? 1 : 0;
  }
  if (dtype === 'int32' && op === 'mul') return Math.imul(a, b);
  const r = { add: a + b, sub: a - b, mul: a * b, div: a / b, pow: a ** b,
    maximum: a !== a || b !== b ? NaN : Math.max(a, b), minimum: a !== a || b !== b ? NaN : Math.min(a, b) }[op];
  return toDType(r, dtype);
}

describe('pow edge values', () => {
  // expected: PyTorch 1.13's torch.pow on these pairs (C semantics), in float32 and float64
  const a = [1, 1, 1, -1, -1, NaN, 2, 0, 0, -2];
  const b = [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, NaN, -1, 0, 0.5];
  const torch = [1, 1, 1, 1, 1, 1, NaN, Infinity, 1, NaN];
  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(dtype, () => {
      const arr = dtype === 'float32' ? Float32Array : Float64Array;
      const out = runKernelSync(be, [[arr.from(a), dtype], [arr.from(b), dtype]], ([x, y]) => be.ops.binary('pow', x, [10], y, [10], [10], dtype));
      expect(Array.from(out)).toEqual(torch);
    });
  }
});

describe('binary', () => {
  const cases: [BinaryOp, DType][] = [];
  for (const op of BINARY_OPS) {
    for (const dtype of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
      if (op === 'div' && dtype !== 'float32' && dtype !== 'float64') continue;
      if (op === 'pow' && dtype === 'int32') continue;
      cases.push([op, dtype]);
    }
  }
  it.each(cases)('%s %s on every broadcast shape pair', (op, dtype) => {
    SHAPES.forEach(([aShape, bShape], n) => {
      for (const [sa, sb] of [[aShape, bShape], [bShape, aShape]]) {
        const out = broadcastShape(sa, sb);
        const a = randomData(dtype, sizeOf(sa), 11 + n, true);
        const b = randomData(dtype, sizeOf(sb), 23 + n, true);
        const got = runKernelSync(be, [[a, dtype], [b, dtype]], ([x, y]) => be.ops.binary(op, x, sa, y, sb, out, dtype));
        const ref = Array.from({ length: sizeOf(out) }, (_, i) => {
          const idx = unravel(i, out);
          return refBinary(op, dtype, a[broadcastSource(idx, sa)], b[broadcastSource(idx, sb)]);
        });
        expectClose(got, ref);
      }
    });
  });
  it('int32 add/sub wrap and pow follows Math.pow', () => {
    const a = Int32Array.of(2147483647, -2147483648, 3);
    const b = Int32Array.of(1, 1, 4);
    const f = (op: BinaryOp) => Array.from(runKernelSync(be, [[a, 'int32'], [b, 'int32']], ([x, y]) => be.ops.binary(op, x, [3], y, [3], [3], 'int32')));
    expect(f('add')).toEqual([-2147483648, -2147483647, 7]);
    expect(f('sub')).toEqual([2147483646, 2147483647, -1]);
    expect(f('pow')).toEqual([2147483647, -2147483648, 81]);
  });
});

describe('compare', () => {
  const cases = COMPARE_OPS.flatMap((op) => (['float32', 'float64', 'int32', 'bool'] as DType[]).map((d) => [op, d] as const));
  it.each(cases)('%s %s, nan compares false except ne', (op, dtype) => {
    SHAPES.forEach(([sa, sb], n) => {
      const out = broadcastShape(sa, sb);
      const a = randomData(dtype, sizeOf(sa), 5 + n, true);
      const b = dtype === 'bool' || dtype === 'int32' ? randomData(dtype, sizeOf(sb), 5 + n) : randomData(dtype, sizeOf(sb), 9 + n, true);
      const got = runKernelSync(be, [[a, dtype], [b, dtype]], ([x, y]) => be.ops.compare(op, x, sa, y, sb, out, dtype));
      const cmp = { eq: (x: number, y: number) => x == y, ne: (x: number, y: number) => x != y, lt: (x: number, y: number) => x < y,
        le: (x: number, y: number) => x <= y, gt: (x: number, y: number) => x > y, ge: (x: number, y: number) => x >= y }[op];
      const ref = Array.from({ length: sizeOf(out) }, (_, i) => {
        const idx = unravel(i, out);
        return cmp(a[broadcastSource(idx, sa)], b[broadcastSource(idx, sb)]) ? 1 : 0;
      });
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Array.from(got)).toEqual(ref);
    });
  });
});

describe('where', () => {
  it.each(['float32', 'float64', 'int32', 'bool'] as DType[])('%s with three-way broadcasting', (dtype) => {
    const triples: [number[], number[], number[]][] = [
      [[], [], []], [[3, 1], [4], []], [[2, 1, 4], [3, 1], [1, 4]], [[0, 2], [2], []], [[5], [5], [5]],
    ];
    triples.forEach(([sc, sa, sb], n) => {
      const out = broadcastShape(broadcastShape(sc, sa), sb);
      const c = randomData('bool', sizeOf(sc), 31 + n);
      const a = randomData(dtype, sizeOf(sa), 41 + n, true);
      const b = randomData(dtype, sizeOf(sb), 51 + n, true);
      const got = runKernelSync(be, [[c, 'bool'], [a, dtype], [b, dtype]], ([x, y, z]) => be.ops.where(x, sc, y, sa, z, sb, out, dtype));
      const ref = Array.from({ length: sizeOf(out) }, (_, i) => {
        const idx = unravel(i, out);
        return c[broadcastSource(idx, sc)] ? a[broadcastSource(idx, sa)] : b[broadcastSource(idx, sb)];
      });
      expectClose(got, ref);
    });
  });
});

describe('cast', () => {
  const all: DType[] = ['float32', 'float64', 'int32', 'bool'];
  it.each(all.flatMap((from) => all.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    const x = randomData(from, 100, 17, true);
    const got = runKernelSync(be, [[x, from]], ([s]) => be.ops.cast(s, x.length, from, to));
    const ref = Array.from(x, (v) => (to === 'int32' ? (v !== v || !isFinite(v) ? 0 : Math.trunc(v) | 0) : toDType(v, to)));
    expectClose(got, ref);
  });
  it('float -> int32 truncates toward zero, nan -> 0; anything -> bool is x != 0', () => {
    const x = Float64Array.of(1.9, -1.9, -0.5, NaN, 0, -0, 7);
    expect(Array.from(runKernelSync(be, [[x, 'float64']], ([s]) => be.ops.cast(s, 7, 'float64', 'int32')))).toEqual([1, -1, 0, 0, 0, 0, 7]);
    expect(Array.from(runKernelSync(be, [[x, 'float64']], ([s]) => be.ops.cast(s, 7, 'float64', 'bool')))).toEqual([1, 1, 1, 1, 0, 0, 1]);
  });
});
