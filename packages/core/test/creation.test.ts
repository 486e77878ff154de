import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import {
  ShapeError, ValueError, arange, eye, full, fullLike, ones, onesLike, randintLike, randnLike, tensor, zeros, zerosLike,
} from '@logit/core';

describe('tensor()', () => {
  test('nested arrays give their shape, float32 by default', async () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(await t.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor([[[1], [2]]]).shape).toEqual([1, 2, 1]);
    expect(Math.abs(((await tensor([0.1]).tolist()) as number[])[0] - 0.1)).toBeLessThan(1e-8);
    expect(await tensor([0.1]).tolist()).toEqual([Math.fround(0.1)]);
  });

  test('scalars are 0-d; booleans are bool', async () => {
    const s = tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.numel()).toBe(1);
    expect(await s.tolist()).toBe(2.5);
    expect(await s.item()).toBe(2.5);
    const b = tensor([true, false]);
    expect(b.dtype).toBe('bool');
    expect(await b.tolist()).toEqual([true, false]);
    expect(tensor(true).dtype).toBe('bool');
  });

  test('typed arrays keep their dtype (Uint8Array is bool) and copy the data', async (ctx) => {
    needs(ctx, 'float64');
    const src = Float64Array.from([1.1, 2.2]);
    const t = tensor(src);
    src[0] = 99;
    expect(t.dtype).toBe('float64');
    expect(await t.tolist()).toEqual([1.1, 2.2]);
    expect(tensor(Int32Array.from([1, -2])).dtype).toBe('int32');
    expect(tensor(Float32Array.from([1])).dtype).toBe('float32');
    const u = tensor(Uint8Array.from([0, 3]));
    expect(u.dtype).toBe('bool');
    expect(await u.tolist()).toEqual([false, true]);
  });

  test('shape option reshapes flat data; dtype option converts', async () => {
    expect(await tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(tensor(Float32Array.from([7]), { shape: [] }).shape).toEqual([]);
    expect(tensor([], { shape: [0, 4] }).shape).toEqual([0, 4]);
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(i.dtype).toBe('int32');
    expect(await tensor([0, 2], { dtype: 'bool' }).tolist()).toEqual([false, true]);
    expect(await tensor([true, false], { dtype: 'float32' }).tolist()).toEqual([1, 0]);
    expect(tensor([1], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  test('empty and ragged arrays', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, [2]])).toThrow(ShapeError);
  });
});

describe('full, zeros, ones, eye', () => {
  test('values, shapes and dtypes', async (ctx) => {
    needs(ctx, 'float64');
    expect(await full([2, 2], 7).tolist()).toEqual([[7, 7], [7, 7]]);
    expect(full([2], true).dtype).toBe('bool');
    expect(full([2], 3, { dtype: 'int32' }).dtype).toBe('int32');
    expect(await full([], -1).tolist()).toBe(-1);
    expect(await full([2], NaN).data()).toEqual(Float32Array.from([NaN, NaN]));
    expect(await zeros([3]).tolist()).toEqual([0, 0, 0]);
    expect(await ones([1, 2], { dtype: 'float64' }).tolist()).toEqual([[1, 1]]);
    expect(ones([2, 0]).shape).toEqual([2, 0]);
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  test('eye: square, rectangular and empty', async () => {
    expect(await eye(3).tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(await eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(await eye(3, 1).tolist()).toEqual([[1], [0], [0]]);
    expect(eye(0).shape).toEqual([0, 0]);
    expect(eye(2, 2, { dtype: 'int32' }).dtype).toBe('int32');
  });

  test('*Like take shape and dtype from the tensor, overridable', async (ctx) => {
    needs(ctx, 'float64');
    const t = tensor([[1, 2]], { dtype: 'int32' });
    const z = zerosLike(t);
    expect(z.shape).toEqual([1, 2]);
    expect(z.dtype).toBe('int32');
    expect(await onesLike(t).tolist()).toEqual([[1, 1]]);
    expect(await fullLike(t, 5).tolist()).toEqual([[5, 5]]);
    expect(onesLike(t, { dtype: 'float64' }).dtype).toBe('float64');
    expect(randnLike(t).dtype).toBe('float32');
    const r = randintLike(t, 0, 3);
    expect(r.dtype).toBe('int32');
    expect(r.shape).toEqual([1, 2]);
  });
});

describe('arange', () => {
  test('dtype is int32 when every argument is an integer, float32 otherwise', async (ctx) => {
    needs(ctx, 'float64');
    const a = arange(5);
    expect(a.dtype).toBe('int32');
    expect(await a.tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(await arange(2, 8, 3).tolist()).toEqual([2, 5]);
    expect(await arange(5, 0, -2).tolist()).toEqual([5, 3, 1]);
    const f = arange(0, 1, 0.25);
    expect(f.dtype).toBe('float32');
    expect(await f.tolist()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0.5, 3).dtype).toBe('float32');
    expect(await arange(0.5, 3).tolist()).toEqual([0.5, 1.5, 2.5]);
    expect(arange(3, undefined, 1, { dtype: 'float64' }).dtype).toBe('float64');
  });

  test('length is ceil((end - start) / step); an empty range is allowed', async () => {
    expect(arange(0, 1, 0.3).numel()).toBe(4);
    expect(arange(0).shape).toEqual([0]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(-1, -5, -1).numel()).toBe(4);
  });

  test('non-finite bounds, step 0 and a step of the wrong sign are ValueErrors', () => {
    expect(() => arange(Infinity)).toThrow(ValueError);
    expect(() => arange(0, 3, NaN)).toThrow(/arange: step must be a finite number, got NaN/);
    expect(() => arange(-Infinity, 0)).toThrow(/arange: start must be a finite number/);
    expect(() => arange(0, 3, 0)).toThrow(/arange: step must be nonzero/);
    expect(() => arange(3, 0, 1)).toThrow(/inconsistent with the sign of step 1/);
    expect(() => arange(0, 3, -1)).toThrow(/inconsistent with the sign of step -1/);
  });
});
