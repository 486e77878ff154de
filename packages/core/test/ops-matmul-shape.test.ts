import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { cat, matmul, stack, tensor } from '@logit/core';
import { expectClose, matmulRef, size, unravel, ravel } from './helpers/reference.js';

const vals = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.cos(i * 0.9 + seed) * 2);
const f64 = (shape: number[], seed: number) => tensor(Float64Array.from(vals(size(shape), seed)), { shape });

describe('matmul against a reference loop', () => {
  const FORMS: [number[], number[], number[]][] = [
    [[2, 3], [3, 4], [2, 4]],
    [[2, 3, 4], [2, 4, 2], [2, 3, 2]],
    [[2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]],
    [[3, 4], [2, 4, 5], [2, 3, 5]],
    [[1, 1], [1, 1], [1, 1]],
    [[2, 0], [0, 3], [2, 3]],
    [[0, 3], [3, 2], [0, 2]],
  ];
  for (const [sa, sb, so] of FORMS) {
    test(`[${sa}] @ [${sb}] -> [${so}]`, async (ctx) => {
      needs(ctx, 'float64');
      const y = matmul(f64(sa, 1), f64(sb, 2));
      expect(y.shape).toEqual(so);
      expectClose(await y.data(), matmulRef(vals(size(sa), 1), sa, vals(size(sb), 2), sb).data);
    });
  }

  test('vector forms squeeze the added dims', async (ctx) => {
    needs(ctx, 'float64');
    const a = vals(3, 1);
    const b = vals(3, 2);
    const dot = matmul(f64([3], 1), f64([3], 2));
    expect(dot.shape).toEqual([]);
    expectClose([(await dot.tolist()) as number], [a[0] * b[0] + a[1] * b[1] + a[2] * b[2]]);
    const vm = f64([3], 1).matmul(f64([3, 4], 2));
    expect(vm.shape).toEqual([4]);
    expectClose(await vm.data(), matmulRef(a, [1, 3], vals(12, 2), [3, 4]).data);
    const mv = f64([2, 3], 1).matmul(f64([3], 2));
    expect(mv.shape).toEqual([2]);
    expectClose(await mv.data(), matmulRef(vals(6, 1), [2, 3], b, [3, 1]).data);
    const bv = f64([2, 2, 3], 1).matmul(f64([3], 2));
    expect(bv.shape).toEqual([2, 2]);
    expect(matmul(tensor(new Float64Array(0)), tensor(new Float64Array(0))).shape).toEqual([]);
    expect(await matmul(tensor([]), tensor([])).tolist()).toBe(0);
  });

  test('transposed operands give the same values as copies', async (ctx) => {
    needs(ctx, 'float64');
    const a = f64([3, 2], 1);
    const b = f64([3, 4], 2);
    const ref = matmulRef(await a.T.data(), [2, 3], vals(12, 2), [3, 4]).data;
    expectClose(await a.T.matmul(b).data(), ref);
  });
});

describe('shape ops move values as the reference index map says', () => {
  test('permute / transpose / T', async (ctx) => {
    needs(ctx, 'float64');
    const shape = [2, 3, 4];
    const d = vals(24, 0);
    const y = f64(shape, 0).permute(2, 0, 1);
    expect(y.shape).toEqual([4, 2, 3]);
    const out = await y.data();
    for (let i = 0; i < 24; i++) {
      const [c, a, b] = unravel(i, [4, 2, 3]);
      expect(out[i]).toBe(d[ravel([a, b, c], shape)]);
    }
    expect(await tensor([[1, 2, 3], [4, 5, 6]]).T.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(await tensor([[1, 2, 3], [4, 5, 6]]).transpose(-1, 0).tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tensor(3).T.shape).toEqual([]);
    expect(tensor([1, 2]).T.shape).toEqual([2]);
  });

  test('reshape/view/flatten/squeeze/unsqueeze keep row-major order', async () => {
    const t = tensor([1, 2, 3, 4, 5, 6]);
    expect(await t.reshape(2, 3).tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(await t.view([3, -1]).tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(t.reshape(1, 2, 1, 3).squeeze().shape).toEqual([2, 3]);
    expect(t.reshape(1, 2, 1, 3).squeeze([0, 2]).shape).toEqual([2, 3]);
    expect(t.reshape(1, 2, 1, 3).squeeze(1).shape).toEqual([1, 2, 1, 3]);
    expect(t.unsqueeze(0).shape).toEqual([1, 6]);
    expect(t.unsqueeze(-1).shape).toEqual([6, 1]);
    expect(t.reshape(2, 3, 1).flatten(1).shape).toEqual([2, 3]);
    expect(tensor(5).flatten().shape).toEqual([1]);
    const empty = tensor(new Float32Array(0), { shape: [0, 3] });
    expect(empty.reshape(-1, 3).shape).toEqual([0, 3]);
    expect(empty.reshape(3, 0).shape).toEqual([3, 0]);
  });

  test('expand repeats along size-1 and new leading dims', async () => {
    expect(await tensor([[1], [2]]).expand(2, 3).tolist()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(await tensor([1, 2]).expand(2, -1).tolist()).toEqual([[1, 2], [1, 2]]);
    expect(await tensor(7).expand(2).tolist()).toEqual([7, 7]);
    expect(tensor([1]).expand(0).shape).toEqual([0]);
  });
});

describe('index ops', () => {
  const m = () => tensor([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]]);

  test('slice with steps, negative and out-of-range bounds (Python rules)', async () => {
    expect(await m().slice(1, 1, 4).tolist()).toEqual([[1, 2, 3], [6, 7, 8], [11, 12, 13]]);
    expect(await m().slice(1, null, null, 2).tolist()).toEqual([[0, 2, 4], [5, 7, 9], [10, 12, 14]]);
    expect(await m().slice(1, -3, -1).tolist()).toEqual([[2, 3], [7, 8], [12, 13]]);
    expect(await m().slice(0, -100, 100, 2).tolist()).toEqual([[0, 1, 2, 3, 4], [10, 11, 12, 13, 14]]);
    expect(m().slice(1, 3, 1).shape).toEqual([3, 0]);
    expect(m().slice(-1, 5).shape).toEqual([3, 0]);
  });

  test('narrow and select', async () => {
    expect(await m().narrow(0, 1, 2).tolist()).toEqual([[5, 6, 7, 8, 9], [10, 11, 12, 13, 14]]);
    expect(await m().narrow(1, -2, 2).tolist()).toEqual([[3, 4], [8, 9], [13, 14]]);
    expect(await m().select(1, -1).tolist()).toEqual([4, 9, 14]);
    expect(await m().select(0, 1).tolist()).toEqual([5, 6, 7, 8, 9]);
    expect(m().narrow(0, 3, 0).shape).toEqual([0, 5]);
  });

  test('gather and indexSelect', async () => {
    const g = m().gather(1, tensor([[4, 0], [1, 1], [3, 2]], { dtype: 'int32' }));
    expect(await g.tolist()).toEqual([[4, 0], [6, 6], [13, 12]]);
    expect(await m().gather(0, tensor([[2, 0, 1, 0, 2]], { dtype: 'int32' })).tolist()).toEqual([[10, 1, 7, 3, 14]]);
    expect(await m().indexSelect(0, tensor([2, 0, 2], { dtype: 'int32' })).tolist()).toEqual([[10, 11, 12, 13, 14], [0, 1, 2, 3, 4], [10, 11, 12, 13, 14]]);
    expect(await m().indexSelect(1, tensor([3], { dtype: 'int32' })).tolist()).toEqual([[3], [8], [13]]);
    expect(m().indexSelect(1, tensor([], { dtype: 'int32' })).shape).toEqual([3, 0]);
  });

  test('gather and indexSelect of a 0-d tensor read its one element, and pass the gradient back', async () => {
    const x = tensor(-2.5, { requiresGrad: true });
    const i = tensor(0, { dtype: 'int32' });
    const g = x.gather(0, i);
    expect(g.shape).toEqual([]);
    expect(await g.item()).toBe(-2.5);
    expect(await x.indexSelect(0, tensor([0], { dtype: 'int32' })).item()).toBe(-2.5);
    g.mul(3).backward();
    expect(await x.grad!.item()).toBe(3);
  });

  test('cat and stack, with promotion and size-0 parts', async () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3, 4], [5, 6]]);
    expect(await cat([a, b]).tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(await cat([b, b], -1).tolist()).toEqual([[3, 4, 3, 4], [5, 6, 5, 6]]);
    expect(await cat([a, tensor(new Float32Array(0), { shape: [0, 2] })]).tolist()).toEqual([[1, 2]]);
    const p = cat([tensor([1], { dtype: 'int32' }), tensor([2.5])]);
    expect(p.dtype).toBe('float32');
    expect(await p.tolist()).toEqual([1, 2.5]);
    expect(await stack([tensor([1, 2]), tensor([3, 4])]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(await stack([tensor([1, 2]), tensor([3, 4])], 1).tolist()).toEqual([[1, 3], [2, 4]]);
    expect(await stack([tensor(1), tensor(2)]).tolist()).toEqual([1, 2]);
  });
});
