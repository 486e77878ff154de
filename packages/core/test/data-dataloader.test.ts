import { afterEach, describe, expect, test, vi } from 'vitest';
import { Tensor, ValueError, arange, data, getBackend, manualSeed, memory, noGrad, randn, randperm, tensor, tidy, zeros } from '@logit/core';

function mem(): { tensors: number; storages: number; bytes: number } {
  const { tensors, storages, bytes } = memory();
  return { tensors, storages, bytes };
}

/** x row i is [2i, 2i + 1]; y row i is i: a batch's y names the rows it holds. */
function rows(n: number): { x: Tensor; y: Tensor; ds: data.TensorDataset } {
  const x = arange(2 * n).reshape([n, 2]).float();
  const y = arange(n);
  return { x, y, ds: new data.TensorDataset(x, y) };
}

async function epochIds(loader: Iterable<Tensor[]>): Promise<number[][]> {
  const out: number[][] = [];
  for (const [, yb] of loader) {
    out.push(Array.from((await yb.data()) as Int32Array));
    yb.dispose();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('DataLoader', () => {
  test('length is ceil(N / batchSize), floor with dropLast', () => {
    const { ds } = rows(10);
    expect(new data.DataLoader(ds).length).toBe(10);
    expect(new data.DataLoader(ds, { batchSize: 3 }).length).toBe(4);
    expect(new data.DataLoader(ds, { batchSize: 3, dropLast: true }).length).toBe(3);
    expect(new data.DataLoader(ds, { batchSize: 5, dropLast: true }).length).toBe(2);
    expect(new data.DataLoader(ds, { batchSize: 11, dropLast: true }).length).toBe(0);
  });

  test('without shuffle, batches are consecutive rows; the last one is short unless dropLast', async () => {
    const { ds } = rows(7);
    const loader = new data.DataLoader(ds, { batchSize: 3 });
    const batches: unknown[][] = [];
    for (const [xb, yb] of loader) {
      batches.push([xb.shape, await xb.tolist(), await yb.tolist()]);
      xb.dispose();
      yb.dispose();
    }
    expect(batches).toEqual([
      [[3, 2], [[0, 1], [2, 3], [4, 5]], [0, 1, 2]],
      [[3, 2], [[6, 7], [8, 9], [10, 11]], [3, 4, 5]],
      [[1, 2], [[12, 13]], [6]],
    ]);
    expect(await epochIds(new data.DataLoader(ds, { batchSize: 3, dropLast: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  test('shuffle draws the order from the seeded generator, anew each epoch', async () => {
    const { ds } = rows(10);
    const loader = new data.DataLoader(ds, { batchSize: 4, shuffle: true });
    manualSeed(5);
    const e1 = await epochIds(loader);
    const e2 = await epochIds(loader);
    manualSeed(5);
    const p1 = Array.from(randperm(10).dataSync());
    const p2 = Array.from(randperm(10).dataSync());
    expect(e1.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(e1.flat()).toEqual(p1);
    expect(e2.flat()).toEqual(p2);
    expect(p1).not.toEqual(p2);
    manualSeed(5);
    expect(await epochIds(loader)).toEqual(e1);
  });

  test('x and y rows stay paired under shuffle', async () => {
    const { ds } = rows(9);
    manualSeed(11);
    for (const [xb, yb] of new data.DataLoader(ds, { batchSize: 4, shuffle: true })) {
      const ids = Array.from(yb.dataSync());
      expect(await xb.tolist()).toEqual(ids.map((i) => [2 * i, 2 * i + 1]));
      xb.dispose();
      yb.dispose();
    }
  });

  test('for await yields the same batches as for ... of', async () => {
    const { ds } = rows(5);
    const loader = new data.DataLoader(ds, { batchSize: 2, shuffle: true });
    manualSeed(2);
    const sync = await epochIds(loader);
    manualSeed(2);
    const viaAsync: number[][] = [];
    for await (const [xb, yb] of loader) {
      viaAsync.push(Array.from(yb.dataSync()));
      xb.dispose();
      yb.dispose();
    }
    expect(viaAsync).toEqual(sync);
  });

  test('a TensorDataset batch is one gather per tensor, no per-row stacking', () => {
    const { ds } = rows(8);
    const ops = getBackend().ops;
    const gather = vi.spyOn(ops, 'gather');
    const concat = vi.spyOn(ops, 'concat');
    tidy(() => {
      for (const _batch of new data.DataLoader(ds, { batchSize: 4 })) void _batch;
    });
    expect(gather).toHaveBeenCalledTimes(2 * 2); // 2 batches x 2 tensors
    expect(concat).not.toHaveBeenCalled();
  });

  test('a generic dataset is collated by stacking: tensors, integer labels as int32, floats as float32', async () => {
    const ds: data.Dataset<[Tensor, number, number]> = {
      length: 3,
      get: (i) => [tensor([i, -i]), i + 1, i / 4],
    };
    const [xb, labels, weights] = [...new data.DataLoader(ds, { batchSize: 3 })][0];
    expect(xb.shape).toEqual([3, 2]);
    expect(await xb.tolist()).toEqual([[0, -0], [1, -1], [2, -2]]);
    expect(labels.dtype).toBe('int32');
    expect(await labels.tolist()).toEqual([1, 2, 3]);
    expect(weights.dtype).toBe('float32');
    expect(await weights.tolist()).toEqual([0, 0.25, 0.5]);
    for (const t of [xb, labels, weights]) t.dispose();
  });

  test('objects are collated per key', async () => {
    const ds: data.Dataset<{ image: Tensor; ok: boolean }> = { length: 2, get: (i) => ({ image: tensor([[i]]), ok: i === 0 }) };
    const [batch] = [...new data.DataLoader(ds, { batchSize: 2 })];
    expect(batch.image.shape).toEqual([2, 1, 1]);
    expect(batch.ok.dtype).toBe('bool');
    expect(await batch.ok.tolist()).toEqual([true, false]);
    batch.image.dispose();
    batch.ok.dispose();
  });

  test('a dataset with an async get() works with for await and is refused by for ... of', async () => {
    const ds: data.Dataset<Tensor> = { length: 3, get: async (i) => tensor([i * 10]) };
    const loader = new data.DataLoader(ds, { batchSize: 2 });
    const before = mem();
    const seen: unknown[] = [];
    for await (const xb of loader) {
      seen.push(await xb.tolist());
      xb.dispose();
    }
    expect(seen).toEqual([[[0], [10]], [[20]]]);
    expect(mem()).toEqual(before);
    expect(() => [...loader]).toThrow(ValueError);
    expect(() => [...loader]).toThrow(/returned a Promise; iterate with `for await/);
    expect(mem()).toEqual(before);
  });

  test('mismatched samples are a ValueError naming the field', () => {
    const ds: data.Dataset<unknown[]> = { length: 2, get: (i) => (i === 0 ? [tensor([1]), 1] : [tensor([2]), 'two']) };
    const before = mem();
    expect(() => [...new data.DataLoader(ds, { batchSize: 2 })]).toThrow(/sample\[1\] of sample 1 is a string, but sample 0 has a number/);
    expect(mem()).toEqual(before);
  });

  test('bad options and datasets are rejected', () => {
    const { ds } = rows(3);
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow(ValueError);
    expect(() => new data.DataLoader(ds, { batchSize: 1.5 })).toThrow(/batchSize should be a positive integer value, but got batchSize=1.5/);
    expect(() => new data.DataLoader(ds, { shuffle: 1 as never })).toThrow(ValueError);
    expect(() => new data.DataLoader({ length: -1, get: () => 0 })).toThrow(ValueError);
    expect(() => new data.DataLoader({} as never)).toThrow(/get\(index\) method/);
  });
});

describe('DataLoader memory', () => {
  test('an epoch loop inside tidy keeps mem() flat (sync)', () => {
    const { ds } = rows(20);
    const loader = new data.DataLoader(ds, { batchSize: 6, shuffle: true });
    const w = tensor([[0.5], [-1]]);
    const before = mem();
    for (let epoch = 0; epoch < 3; epoch++) {
      tidy(() => {
        for (const [xb, yb] of loader) xb.matmul(w).squeeze(1).sub(yb).square().mean();
      });
      expect(mem()).toEqual(before);
    }
    w.dispose();
  });

  test('an epoch loop inside an async tidy keeps mem() flat (for await, generic dataset)', async () => {
    const ds: data.Dataset<[Tensor, number]> = { length: 10, get: (i) => [tensor([i, i]).mul(2), i % 3] };
    const loader = new data.DataLoader(ds, { batchSize: 4, shuffle: true });
    const before = mem();
    for (let epoch = 0; epoch < 3; epoch++) {
      await tidy(async () => {
        for await (const [xb, yb] of loader) {
          await xb.sum().add(yb.sum()).item();
        }
      });
      expect(mem()).toEqual(before);
    }
  });

  test('batches the caller disposes leave mem() flat too', () => {
    const { ds } = rows(9);
    const before = mem();
    for (const batch of new data.DataLoader(ds, { batchSize: 2 })) batch.forEach((t) => t.dispose());
    expect(mem()).toEqual(before);
  });
});

describe('the documented examples', () => {
  test('the DataLoader training loop runs, lowers the loss, and keeps memory flat across epochs', () => {
    manualSeed(0);
    const x = randn([100, 4]);
    const trueW = tensor([[1], [-2], [0.5], [3]]);
    const y = x.matmul(trueW);
    const w = zeros([4, 1], { requiresGrad: true });
    const fullLoss = (): number => noGrad(() => tidy(() => x.matmul(w).sub(y).square().mean().itemSync()));
    const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true });
    const start = fullLoss();
    const perEpoch: ReturnType<typeof mem>[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      tidy(() => {
        for (const [xb, yb] of loader) {
          w.grad = null;
          xb.matmul(w).sub(yb).square().mean().backward();
          noGrad(() => w.sub_(w.grad!.mul(0.1)));
        }
      });
      perEpoch.push(mem());
    }
    expect(fullLoss()).toBeLessThan(start * 0.5);
    expect(perEpoch[2]).toEqual(perEpoch[0]);
    for (const t of [x, trueW, y, w]) t.dispose();
  });

  test('the TensorDataset example', () => {
    const x = randn([100, 4]);
    const y = randn([100, 1]);
    const ds = new data.TensorDataset(x, y);
    const [xi, yi] = ds.get(3);
    expect([xi.shape, yi.shape]).toEqual([[4], [1]]);
    const w = zeros([4, 1], { requiresGrad: true });
    tidy(() => xi.unsqueeze(0).matmul(w).sub(yi).square().sum().backward());
    // d/dw (x.w - y)^2 at w = 0 is -2 y x
    const want = Array.from(xi.dataSync(), (v) => [-2 * yi.dataSync()[0] * v]);
    (w.grad!.dataSync() as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(want[i][0], 5));
    for (const t of [x, y, xi, yi, w]) t.dispose();
  });
});
