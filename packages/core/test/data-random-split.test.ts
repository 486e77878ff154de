import { describe, expect, test } from 'vitest';
import { ValueError, arange, data, manualSeed, memory, randperm } from '@logit/core';

function mem(): { tensors: number; storages: number; bytes: number } {
  const { tensors, storages, bytes } = memory();
  return { tensors, storages, bytes };
}

const ds = { length: 10, get: (i: number) => i };

describe('randomSplit', () => {
  test('integer lengths: disjoint subsets, in the order of a seeded randperm', () => {
    manualSeed(9);
    const parts = data.randomSplit(ds, [3, 7]);
    manualSeed(9);
    const perm = Array.from(randperm(10).dataSync());
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    expect(parts[0].indices).toEqual(perm.slice(0, 3));
    expect(parts[1].indices).toEqual(perm.slice(3));
    expect(parts[1].get(0)).toBe(perm[3]);
  });

  // expected sizes are what torch 1.13's random_split gives for the same inputs
  test.each([
    [10, [0.33, 0.33, 0.34], [4, 3, 3]],
    [10, [0.8, 0.2], [8, 2]],
    [7, [0.5, 0.5], [4, 3]],
    [5, [0.1, 0.1, 0.8], [1, 0, 4]],
    [3, [0.25, 0.25, 0.25, 0.25], [1, 1, 1, 0]],
    [1, [1], [1]],
  ])('N = %i, fractions %j give sizes %j as in PyTorch', (n, fracs, sizes) => {
    const parts = data.randomSplit({ length: n, get: (i: number) => i }, fracs);
    expect(parts.map((p) => p.length)).toEqual(sizes);
    expect(parts.flatMap((p) => p.indices).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  test('subsets of a TensorDataset batch through one indexSelect and keep rows paired', async () => {
    const x = arange(12).reshape([6, 2]);
    const y = arange(6);
    manualSeed(0);
    const [train, val] = data.randomSplit(new data.TensorDataset(x, y), [4, 2]);
    const before = mem();
    const [xb, yb] = [...new data.DataLoader(val, { batchSize: 2 })][0];
    const ids = Array.from(yb.dataSync());
    expect(ids).toEqual(val.indices);
    expect(await xb.tolist()).toEqual(ids.map((i) => [2 * i, 2 * i + 1]));
    xb.dispose();
    yb.dispose();
    expect(mem()).toEqual(before);
    expect(train.indices.concat(val.indices).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    x.dispose();
    y.dispose();
  });

  test('rejects lengths that do not add up, fractions out of [0, 1] and negative lengths', () => {
    expect(() => data.randomSplit(ds, [3, 4])).toThrow(ValueError);
    expect(() => data.randomSplit(ds, [3, 4])).toThrow(/sum of input lengths \(7\) does not equal the length of the input dataset \(10\)/);
    expect(() => data.randomSplit(ds, [0.5, 0.6])).toThrow(/length at index 0 must be a non-negative integer \(or all lengths fractions summing to 1\), got 0.5/);
    expect(() => data.randomSplit(ds, [1.5, -0.5])).toThrow(/fraction at index 0 is not between 0 and 1/);
    expect(() => data.randomSplit(ds, [12, -2])).toThrow(/length at index 1 must be a non-negative integer/);
    expect(() => data.randomSplit(ds, [2.5, 7.5])).toThrow(ValueError);
    expect(() => data.randomSplit(ds, [])).toThrow(ValueError);
  });
});
