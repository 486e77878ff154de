import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { tensor } from '@logit/core';
import { expectClose, reduceRef } from './helpers/reference.js';

const NAN = NaN;
const INF = Infinity;
const shape = [2, 3, 4];
const data = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 3);
const x = () => tensor(Float64Array.from(data), { shape });

const AXES: (number[] | undefined)[] = [undefined, [0], [1], [2], [0, 2], [1, 2], [0, 1, 2]];
const all = (a: number[] | undefined) => a ?? [0, 1, 2];

describe('sum, mean, amax, amin against reference loops', () => {
  for (const keepdim of [false, true]) {
    test(`over every dim set (keepdim ${keepdim})`, async (ctx) => {
      needs(ctx, 'float64');
      for (const axes of AXES) {
        const s = reduceRef((a, v) => a + v, 0, data, shape, all(axes), keepdim);
        const y = x().sum(axes, keepdim);
        expect(y.shape).toEqual(s.shape);
        expectClose(await y.data(), s.data);
        const n = all(axes).reduce((p, a) => p * shape[a], 1);
        expectClose(await x().mean(axes, keepdim).data(), s.data.map((v) => v / n));
        const mx = reduceRef(Math.max, -INF, data, shape, all(axes), keepdim);
        expectClose(await x().amax(axes, keepdim).data(), mx.data, 0);
        const mn = reduceRef(Math.min, INF, data, shape, all(axes), keepdim);
        expectClose(await x().amin(axes, keepdim).data(), mn.data, 0);
      }
    });
  }

  test('negative dims and a single number dim', async (ctx) => {
    needs(ctx, 'float64');
    expectClose(await x().sum(-1).data(), reduceRef((a, v) => a + v, 0, data, shape, [2]).data);
    expectClose(await x().sum([-3, -1]).data(), reduceRef((a, v) => a + v, 0, data, shape, [0, 2]).data);
  });

  test('scalars and size-0 dims: sum of nothing is 0, mean of nothing is nan', async (ctx) => {
    needs(ctx, 'float64');
    const s = tensor(2.5, { dtype: 'float64' });
    expect(await s.sum().tolist()).toBe(2.5);
    expect(await s.mean(0).tolist()).toBe(2.5);
    expect(await s.amax().tolist()).toBe(2.5);
    const e = tensor(new Float64Array(0), { shape: [0, 3] });
    expect(await e.sum(0).tolist()).toEqual([0, 0, 0]);
    expect(await e.sum(1).tolist()).toEqual([]);
    expect(await e.sum().tolist()).toBe(0);
    expectClose(await e.mean(0).data(), [NAN, NAN, NAN]);
    expect(await e.amax(1).tolist()).toEqual([]);
  });

  test('bool and int32 sums are int32', async () => {
    const b = tensor([true, false, true]);
    expect(b.sum().dtype).toBe('int32');
    expect(await b.sum().tolist()).toBe(2);
    expect(await tensor([[1, 2], [3, 4]], { dtype: 'int32' }).sum(0).tolist()).toEqual([4, 6]);
  });
});

describe('max/min along a dim, argmax/argmin', () => {
  test('values and indices along each dim', async () => {
    const t = tensor([[3, 1, 4], [1, 5, 9], [2, 6, 5]]);
    expect(await t.max(0).values.tolist()).toEqual([3, 6, 9]);
    expect(await t.max(1, true).values.tolist()).toEqual([[4], [9], [6]]);
    expect(await t.min(1).values.tolist()).toEqual([1, 1, 2]);
    // PyTorch's namedtuple: indices int32, with keepdim like the values
    expect(await t.max(0).indices.tolist()).toEqual([0, 2, 1]);
    expect(await t.max(1, true).indices.tolist()).toEqual([[2], [2], [1]]);
    expect(t.min(1).indices.dtype).toBe('int32');
    expect(await t.min(1).indices.tolist()).toEqual([1, 0, 0]);
    expect(await t.argmax(0).tolist()).toEqual([0, 2, 1]);
    expect(await t.argmin(1).tolist()).toEqual([1, 0, 0]);
    expect(await t.argmax().tolist()).toBe(5);
    expect(t.argmax().dtype).toBe('int32');
    expect(await t.argmax(1, true).tolist()).toEqual([[2], [2], [1]]);
    expect(await t.max().tolist()).toBe(9);
    expect(await t.min().tolist()).toBe(1);
  });

  test('ties: argmax picks the first', async () => {
    expect(await tensor([1, 3, 3, 0]).argmax().tolist()).toBe(1);
    expect(await tensor([2, 0, 0]).argmin().tolist()).toBe(1);
  });

  test('nan: max/amax propagate it, argmax/argmin pick it', async () => {
    const t = tensor([[1, NAN, 3], [2, 3, 0]]);
    expectClose(await t.max(1).values.data(), [NAN, 3]);
    expectClose(await t.amax(1).data(), [NAN, 3]);
    expectClose(await t.min(1).values.data(), [NAN, 0]);
    expectClose(await t.amin(0).data(), [1, NAN, 0]);
    expectClose([(await t.max().tolist()) as number], [NAN]);
    expect(await t.argmax(1).tolist()).toEqual([1, 1]);
    expect(await t.argmin(1).tolist()).toEqual([1, 2]);
    expect(await tensor([1, NAN, 3, NAN]).argmax().tolist()).toBe(1);
  });

  test('infinities are ordinary values', async () => {
    expect(await tensor([-INF, -INF]).max().tolist()).toBe(-INF);
    expect(await tensor([1, INF, 2]).argmax().tolist()).toBe(1);
  });
});

describe('logsumexp', () => {
  const lse = (v: number[]): number => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
  };

  test('against a reference over dims, with keepdim', async (ctx) => {
    needs(ctx, 'float64');
    const t = x();
    const y = t.logsumexp(1);
    expect(y.shape).toEqual([2, 4]);
    const ref: number[] = [];
    for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) ref.push(lse([0, 1, 2].map((j) => data[i * 12 + j * 4 + k])));
    expectClose(await y.data(), ref);
    expect(t.logsumexp([0, 2], true).shape).toEqual([1, 3, 1]);
    expectClose([(await t.logsumexp([0, 1, 2]).tolist()) as number], [lse(data)]);
  });

  test('is stable for large values and handles infinities as PyTorch does', async (ctx) => {
    needs(ctx, 'float64');
    expectClose(await tensor(Float64Array.from([1000, 1000])).logsumexp(0).data(), [1000 + Math.log(2)]);
    expectClose(await tensor(Float64Array.from([-INF, -INF])).logsumexp(0).data(), [-INF]);
    expectClose(await tensor(Float64Array.from([INF, 1])).logsumexp(0).data(), [INF]);
    expectClose(await tensor(Float64Array.from([NAN, 1])).logsumexp(0).data(), [NAN]);
    expectClose(await tensor(Float64Array.from([-INF, 0])).logsumexp(0).data(), [0]);
  });

  test('over a size-0 dim is -inf', async (ctx) => {
    needs(ctx, 'float64');
    expectClose(await tensor(new Float64Array(0), { shape: [0, 2] }).logsumexp(0).data(), [-INF, -INF]);
  });
});
