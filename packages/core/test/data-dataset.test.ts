import { describe, expect, test } from 'vitest';
import { IndexError, ShapeError, ValueError, arange, data, manualSeed, memory, rand, randperm, tensor, tidy } from '@logit/core';
import { philox4x32 } from '@logit/core';

function mem(): { tensors: number; storages: number; bytes: number } {
  const { tensors, storages, bytes } = memory();
  return { tensors, storages, bytes };
}

describe('TensorDataset', () => {
  test('length and get(i) return the i-th row of every tensor', async () => {
    const x = arange(12).reshape([4, 3]).float();
    const y = tensor([10, 11, 12, 13], { dtype: 'int32' });
    const ds = new data.TensorDataset(x, y);
    expect(ds.length).toBe(4);
    const [xi, yi] = ds.get(2);
    expect(xi.shape).toEqual([3]);
    expect(await xi.tolist()).toEqual([6, 7, 8]);
    expect(yi.shape).toEqual([]);
    expect(yi.dtype).toBe('int32');
    expect(await yi.item()).toBe(12);
    const [xl] = ds.get(-1); // Python-style negative index, as tensor[-1] in PyTorch
    expect(await xl.tolist()).toEqual([9, 10, 11]);
    for (const t of [x, y, xi, yi, xl]) t.dispose();
  });

  test('getBatch gathers rows in the given order', async () => {
    const x = arange(8).reshape([4, 2]);
    const ds = new data.TensorDataset(x);
    const [b] = ds.getBatch([3, 0, 3]);
    expect(await b.tolist()).toEqual([[6, 7], [0, 1], [6, 7]]);
    x.dispose();
    b.dispose();
  });

  test('rejects tensors whose first dims differ, 0-d tensors, non-tensors and bad indices', () => {
    const a = rand([4, 2]);
    const b = rand([5]);
    const s = tensor(1);
    const before = mem();
    expect(() => new data.TensorDataset(a, b)).toThrow(ShapeError);
    expect(() => new data.TensorDataset(a, b)).toThrow(/tensor 0 has shape \[4, 2\], tensor 1 has shape \[5\]/);
    expect(() => new data.TensorDataset(s)).toThrow(ShapeError);
    expect(() => new data.TensorDataset()).toThrow(ValueError);
    expect(() => new data.TensorDataset([1, 2] as never)).toThrow(ValueError);
    const ds = new data.TensorDataset(a);
    expect(() => ds.get(4)).toThrow(IndexError);
    expect(() => ds.get(-5)).toThrow(/index -5 is out of range for a dataset of length 4/);
    expect(() => ds.get(1.5)).toThrow(IndexError);
    expect(() => ds.getBatch([0, 4])).toThrow(IndexError);
    expect(mem()).toEqual(before);
    for (const t of [a, b, s]) t.dispose();
  });
});

describe('Subset', () => {
  test('maps indices into the wrapped dataset and batches through its getBatch', async () => {
    const x = arange(5);
    const ds = new data.TensorDataset(x);
    const sub = new data.Subset(ds, [4, 1, 2]);
    expect(sub.length).toBe(3);
    const [r] = await sub.get(0);
    expect(await r.item()).toBe(4);
    const [b] = sub.getBatch!([2, 0]);
    expect(await b.tolist()).toEqual([2, 4]);
    expect(() => new data.Subset(ds, [5])).toThrow(IndexError);
    expect(() => sub.get(3)).toThrow(IndexError);
    for (const t of [x, r, b]) t.dispose();
  });

  test('a subset of a dataset without getBatch has none either', () => {
    const plain = { length: 3, get: (i: number) => i };
    expect(new data.Subset(plain, [0]).getBatch).toBeUndefined();
  });
});

describe('randperm', () => {
  test('is a permutation, reproducible under manualSeed, different across seeds', async () => {
    manualSeed(7);
    const a = (await randperm(50).data()) as Int32Array;
    manualSeed(7);
    const b = (await randperm(50).data()) as Int32Array;
    manualSeed(8);
    const c = (await randperm(50).data()) as Int32Array;
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  test('equals Fisher-Yates driven by word i of the Philox stream at the generator offset', async () => {
    // independent re-derivation from the Philox primitive: word i is lane i % 4 of counter i / 4
    manualSeed(123);
    const got = Array.from((await randperm(10).data()) as Int32Array);
    const want = Array.from({ length: 10 }, (_, i) => i);
    const block = new Uint32Array(4);
    const key = [123, 0];
    for (let i = 9; i >= 1; i--) {
      philox4x32(key[0], key[1], Math.floor(i / 4), 0, block);
      const j = Math.floor((block[i % 4] * (i + 1)) / 2 ** 32);
      [want[i], want[j]] = [want[j], want[i]];
    }
    expect(got).toEqual(want);
  });

  test('advances the generator exactly as rand([n]) does', async () => {
    manualSeed(3);
    randperm(9).dispose();
    const afterPerm = await rand([5]).data();
    manualSeed(3);
    rand([9]).dispose();
    const afterRand = await rand([5]).data();
    expect(afterPerm).toEqual(afterRand);
  });

  test('draws every permutation of 3 about equally often (chi-square, 5 dof)', async () => {
    manualSeed(1);
    const counts = new Map<string, number>();
    const draws = 6000;
    tidy(() => {
      for (let k = 0; k < draws; k++) {
        const key = Array.from(randperm(3).dataSync()).join('');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    });
    expect(counts.size).toBe(6);
    const expected = draws / 6;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.5); // p = 0.001 for 5 degrees of freedom
  });

  test('n = 0 and n = 1, and bad n', async () => {
    expect(await randperm(0).tolist()).toEqual([]);
    expect(await randperm(1).tolist()).toEqual([0]);
    expect(() => randperm(-1)).toThrow(ValueError);
    expect(() => randperm(2.5)).toThrow(/n must be an integer/);
  });
});
