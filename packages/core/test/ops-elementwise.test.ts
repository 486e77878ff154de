import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { clamp, tensor, where, type Tensor } from '@logit/core';
import { binaryRef, expectClose } from './helpers/reference.js';

const NAN = NaN;
const INF = Infinity;
// Values every unary op is tried on: both signs, zero, halves (round), and the non-finite ones.
const XS = [-2.5, -1, -0.5, 0, 0.25, 0.5, 1.5, 2.5, 3, NAN, INF, -INF];

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

const UNARY: [string, (t: Tensor) => Tensor, (x: number) => number][] = [
  ['neg', (t) => t.neg(), (x) => -x],
  ['abs', (t) => t.abs(), Math.abs],
  ['exp', (t) => t.exp(), Math.exp],
  ['log', (t) => t.log(), Math.log],
  ['log1p', (t) => t.log1p(), Math.log1p],
  ['expm1', (t) => t.expm1(), Math.expm1],
  ['sqrt', (t) => t.sqrt(), Math.sqrt],
  ['rsqrt', (t) => t.rsqrt(), (x) => 1 / Math.sqrt(x)],
  ['reciprocal', (t) => t.reciprocal(), (x) => 1 / x],
  ['square', (t) => t.square(), (x) => x * x],
  ['relu', (t) => t.relu(), (x) => (Number.isNaN(x) ? NAN : Math.max(x, 0))],
  ['sigmoid', (t) => t.sigmoid(), (x) => 1 / (1 + Math.exp(-x))],
  ['tanh', (t) => t.tanh(), Math.tanh],
  ['sin', (t) => t.sin(), Math.sin],
  ['cos', (t) => t.cos(), Math.cos],
  ['floor', (t) => t.floor(), Math.floor],
  ['ceil', (t) => t.ceil(), Math.ceil],
  ['round (half to even)', (t) => t.round(), roundHalfEven],
];

describe('unary ops: float64 values against JS math, with nan and inf', () => {
  for (const [name, op, ref] of UNARY) {
    test(name, async (ctx) => {
      needs(ctx, 'float64');
      const x = tensor(Float64Array.from(XS), { shape: [3, 4] });
      const y = op(x);
      expect(y.shape).toEqual([3, 4]);
      expect(y.dtype).toBe('float64');
      expectClose(await y.data(), XS.map(ref));
      // a scalar and an empty tensor keep their shapes
      const s = op(tensor(1.5, { dtype: 'float64' }));
      expect(s.shape).toEqual([]);
      expectClose([(await s.tolist()) as number], [ref(1.5)]);
      const e = op(tensor(new Float64Array(0), { shape: [2, 0, 3] }));
      expect(e.shape).toEqual([2, 0, 3]);
      expect(await e.tolist()).toEqual([[], []]);
    });
  }

  test('sign of finite values and infinities', async (ctx) => {
    needs(ctx, 'float64');
    const y = tensor(Float64Array.from([-2.5, -0, 0, 3, INF, -INF])).sign();
    expectClose(await y.data(), [-1, 0, 0, 1, 1, -1]);
  });

  test('erf against known values (Abramowitz and Stegun table, computed with Python math.erf)', async (ctx) => {
    needs(ctx, 'float64');
    const xs = [0, 0.001, 0.5, 1, -2, 3.5, 4.5, INF, -INF, NAN];
    const ref = [0, 0.0011283787909692365, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999992569016276, 0.9999999998033839, 1, -1, NAN];
    expectClose(await tensor(Float64Array.from(xs)).erf().data(), ref, 1e-14);
  });

  test('float32 results are the float64 result rounded once', async () => {
    const xs = [-2.5, -0.5, 0.25, 1.5, 3];
    for (const [name, op, ref] of UNARY) {
      const y = op(tensor(xs));
      expect(y.dtype, name).toBe('float32');
      // rsqrt is composed (sqrt, then reciprocal): two float32 roundings, within 2^-23 relative
      expectClose(await y.data(), xs.map((x) => Math.fround(ref(x))), name === 'rsqrt' ? 2 ** -23 : 0);
    }
  });

  test('int32 inputs: float-only ops compute in float32, others stay int32', async () => {
    const i = tensor([-2, 0, 3], { dtype: 'int32' });
    expect(i.exp().dtype).toBe('float32');
    expectClose(await i.exp().data(), [-2, 0, 3].map((x) => Math.fround(Math.exp(x))), 0);
    const a = i.abs();
    expect(a.dtype).toBe('int32');
    expect(await a.tolist()).toEqual([2, 0, 3]);
    expect(await i.square().tolist()).toEqual([4, 0, 9]);
  });
});

const BIN: [string, (a: Tensor, b: Tensor | number) => Tensor, (a: number, b: number) => number][] = [
  ['add', (a, b) => a.add(b), (a, b) => a + b],
  ['sub', (a, b) => a.sub(b), (a, b) => a - b],
  ['mul', (a, b) => a.mul(b), (a, b) => a * b],
  ['div', (a, b) => a.div(b), (a, b) => a / b],
  ['pow', (a, b) => a.pow(b), Math.pow],
  ['maximum', (a, b) => a.maximum(b), Math.max],
  ['minimum', (a, b) => a.minimum(b), Math.min],
];

const SHAPES: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[], [2, 3]],
  [[3, 1], [1, 4]],
  [[2, 3, 4], [4]],
  [[2, 1, 3], [4, 1]],
  [[0, 3], [1, 3]],
  [[], []],
];

function seq(n: number, start: number, step: number): number[] {
  return Array.from({ length: n }, (_, i) => start + i * step);
}

describe('binary ops: float64 broadcasting against a reference loop', () => {
  for (const [name, op, ref] of BIN) {
    test(name, async (ctx) => {
      needs(ctx, 'float64');
      for (const [sa, sb] of SHAPES) {
        const na = sa.reduce((p, q) => p * q, 1);
        const nb = sb.reduce((p, q) => p * q, 1);
        const da = seq(na, -1.75, 0.5);
        const db = seq(nb, 0.3, 0.45);
        const y = op(tensor(Float64Array.from(da), { shape: sa }), tensor(Float64Array.from(db), { shape: sb }));
        const r = binaryRef(ref, da, sa, db, sb);
        expect(y.shape).toEqual(r.shape);
        expectClose(await y.data(), r.data);
      }
      // a number on the right
      const y = op(tensor(Float64Array.from([0.5, -2, 3])), 1.5);
      expectClose(await y.data(), [0.5, -2, 3].map((v) => ref(v, 1.5)));
    });
  }

  test('nan propagates through maximum/minimum; division by zero gives inf and nan', async (ctx) => {
    needs(ctx, 'float64');
    const a = tensor(Float64Array.from([NAN, 1, 2]));
    const b = tensor(Float64Array.from([0, NAN, 1]));
    expectClose(await a.maximum(b).data(), [NAN, NAN, 2]);
    expectClose(await a.minimum(b).data(), [NAN, NAN, 1]);
    expectClose(await tensor([1, -1, 0]).div(0).data(), [INF, -INF, NAN]);
  });

  test('dtype promotion: int32 with int32 stays int32, div and float numbers give float32', async (ctx) => {
    needs(ctx, 'float64');
    const i = tensor([7, -7, 2], { dtype: 'int32' });
    const j = tensor([2, 2, 4], { dtype: 'int32' });
    expect(i.add(j).dtype).toBe('int32');
    expect(await i.mul(j).tolist()).toEqual([14, -14, 8]);
    const q = i.div(j);
    expect(q.dtype).toBe('float32');
    expect(await q.tolist()).toEqual([3.5, -3.5, 0.5]);
    expect(i.add(0.5).dtype).toBe('float32');
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(tensor([1, 1, 1])).dtype).toBe('float32');
    expect(tensor([1], { dtype: 'float64' }).add(tensor([1])).dtype).toBe('float64');
  });
});

describe('compare, where, clamp', () => {
  test('comparisons with nan are false except ne', async (ctx) => {
    needs(ctx, 'float64');
    const a = tensor(Float64Array.from([NAN, NAN, 1, 2]));
    const b = tensor(Float64Array.from([NAN, 1, 1, 3]));
    expect(await a.eq(b).tolist()).toEqual([false, false, true, false]);
    expect(await a.ne(b).tolist()).toEqual([true, true, false, true]);
    expect(await a.lt(b).tolist()).toEqual([false, false, false, true]);
    expect(await a.le(b).tolist()).toEqual([false, false, true, true]);
    expect(await a.gt(b).tolist()).toEqual([false, false, false, false]);
    expect(await a.ge(b).tolist()).toEqual([false, false, true, false]);
    expect(await a.isnan().tolist()).toEqual([true, true, false, false]);
    expect(a.eq(b).dtype).toBe('bool');
  });

  test('comparisons broadcast and take numbers', async () => {
    const a = tensor([[1], [2], [3]]);
    expect(await a.gt(tensor([1, 2])).tolist()).toEqual([[false, false], [true, false], [true, true]]);
    expect(await a.le(2).tolist()).toEqual([[true], [true], [false]]);
  });

  test('where broadcasts condition and branches, and takes numbers', async () => {
    const c = tensor([true, false, true]);
    const y = where(c, tensor([[1, 2, 3], [4, 5, 6]]), tensor([[10], [20]]));
    expect(y.shape).toEqual([2, 3]);
    expect(await y.tolist()).toEqual([[1, 10, 3], [4, 20, 6]]);
    expect(await where(c, 1, tensor(-1)).tolist()).toEqual([1, -1, 1]);
    expect(await tensor([5, 6, 7]).where(c, 0).tolist()).toEqual([5, 0, 7]);
  });

  test('clamp: min only, max only, both; nan stays nan; min > max gives max (PyTorch)', async (ctx) => {
    needs(ctx, 'float64');
    const x = tensor(Float64Array.from([-3, -1, 0, 1, 3, NAN]));
    expectClose(await x.clamp(-1, 1).data(), [-1, -1, 0, 1, 1, NAN]);
    expectClose(await x.clamp(0).data(), [0, 0, 0, 1, 3, NAN]);
    expectClose(await x.clamp(null, 0).data(), [-3, -1, 0, 0, 0, NAN]);
    expectClose(await clamp(x, 2, 1).data(), [1, 1, 1, 1, 1, NAN]);
    expect(x.clamp(0).dtype).toBe('float64');
  });
});
