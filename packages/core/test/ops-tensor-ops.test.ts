import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import {
  DTypeError, IndexError, ShapeError, ValueError, argsort, bmm, chunk, cumprod, cumsum, maskedFill, max, memory, min, outer, sort, split,
  std, tensor, tidy, topk, tril, triu, variance, zeros, type Tensor,
} from '@logit/core';
import * as core from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';
import { expectClose } from './helpers/reference.js';

// Values are checked against PyTorch by the conformance suite (tools/goldens/ops.py, every
// backend); these tests cover what a single output cannot show: the pieces of split/chunk, the
// function forms, values against plain float64 loops, and the errors.

interface PieceGolden { name: string; op: string; dtype: string; args: Record<string, unknown>; inputs: { shape: number[] }[]; pieces?: number[][] }
const goldens = JSON.parse(readFileSync(new URL('./goldens/ops.json', import.meta.url), 'utf8')) as { cases: PieceGolden[] };

describe('split and chunk: the pieces PyTorch makes', () => {
  const withPieces = goldens.cases.filter((c) => c.pieces && c.dtype !== 'float32');
  test('goldens record pieces', () => expect(withPieces.length).toBeGreaterThanOrEqual(10));
  test.each(withPieces.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const x = zeros(c.inputs[0].shape);
    const d = (c.args.dim as number | undefined) ?? 0;
    const parts = c.op === 'split' ? x.split(c.args.split as number | number[], d) : x.chunk(c.args.chunks as number, d);
    expect(parts.map((p) => p.shape)).toEqual(c.pieces);
    for (const p of [x, ...parts]) p.dispose();
  });

  test('function forms equal the methods; pieces hold the right values', async () => {
    const x = tensor([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
    const parts = split(x, [2, 3], 1);
    expect(await parts[0].tolist()).toEqual([[0, 1], [5, 6]]);
    expect(await parts[1].tolist()).toEqual([[2, 3, 4], [7, 8, 9]]);
    const c = chunk(x, 2, -1);
    expect(c.map((p) => p.shape)).toEqual([[2, 3], [2, 2]]);
    expect(await c[1].tolist()).toEqual([[3, 4], [8, 9]]);
  });
});

describe('maskedFill, tril, triu', () => {
  test('values, dtype conversion of the fill value, function forms', async (ctx) => {
    needs(ctx, 'float64');
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const m = tensor([[true, false, true], [false, false, true]]);
    expect(await maskedFill(x, m, -1).tolist()).toEqual([[-1, 2, -1], [4, 5, -1]]);
    const xi = tensor([1, 2, 3], { dtype: 'int32' });
    const r = xi.maskedFill(tensor([false, true, true]), -2.75);
    expect(r.dtype).toBe('int32');
    expect(await r.tolist()).toEqual([1, -2, -2]); // truncated toward zero, as PyTorch
    const v = tensor(7, { dtype: 'float64' });
    const rv = x.maskedFill(m, v);
    expect(rv.dtype).toBe('float32');
    expect(await rv.tolist()).toEqual([[7, 2, 7], [4, 5, 7]]);
  });

  test('tril and triu against index loops, batched, every diagonal', async () => {
    const shape = [2, 3, 5];
    const data = Array.from({ length: 30 }, (_, i) => i + 1);
    const x = tensor(data, { shape });
    for (let d = -4; d <= 6; d++) {
      const lo = data.map((v, i) => ((i % 5) - (Math.floor(i / 5) % 3) <= d ? v : 0));
      const up = data.map((v, i) => ((i % 5) - (Math.floor(i / 5) % 3) >= d ? v : 0));
      expect(Array.from(await tril(x, d).data()), `tril ${d}`).toEqual(lo);
      expect(Array.from(await triu(x, d).data()), `triu ${d}`).toEqual(up);
    }
  });
});

describe('var and std against float64 loops', () => {
  const rows = [[1.5, -2, 0.25, 4], [3, 3, 3, 3.5], [-1, 0, 1, 1e3]];
  const ref = (r: number[], c: number) => {
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    return r.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(0, r.length - c);
  };
  test.for([0, 1, 2, 3, 4, 5])('correction %i along dim 1', async (c, ctx) => {
    needs(ctx, 'float64');
    const x = tensor(rows, { dtype: 'float64' });
    expectClose(await x.var(1, { correction: c }).data(), rows.map((r) => ref(r, c)));
    expectClose(await std(x, -1, { correction: c, keepdim: true }).data(), rows.map((r) => Math.sqrt(ref(r, c))));
    expect(variance(x, 1, { keepdim: true }).shape).toEqual([3, 1]);
  });
  test('over all dims, and the exported name `var`', async (ctx) => {
    needs(ctx, 'float64');
    const x = tensor(rows, { dtype: 'float64' });
    expectClose(await x.var().data(), [ref(rows.flat(), 1)]);
    expect(core.var).toBe(variance);
  });
});

describe('errors name the op and leave everything unchanged', () => {
  const x = () => tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  test('maskedFill', () => {
    const a = x();
    const im = tensor([[1, 0, 1], [0, 0, 1]], { dtype: 'int32' });
    const bm = tensor([true, false]);
    const v = tensor([1, 2]);
    expectCleanThrow(() => a.maskedFill(im, 0), DTypeError, /maskedFill: mask must have dtype bool, got int32/, [a, im]);
    expectCleanThrow(() => a.maskedFill(bm, 0), ShapeError, /maskedFill: shapes \[2, 3\] and \[2\] cannot be broadcast/, [a, bm]);
    const gm = tensor([[true, false, true], [false, true, true]]);
    expectCleanThrow(() => a.maskedFill(gm, v), ShapeError, /maskedFill: value must be a number or a 0-d tensor, got a tensor of shape \[2\]/, [a, gm, v]);
    const xi = tensor([1, 2], { dtype: 'int32' });
    expectCleanThrow(() => xi.maskedFill(bm, -Infinity), ValueError, /maskedFill: value -Infinity cannot be converted to int32/, [xi, bm]);
    expectCleanThrow(() => xi.maskedFill(bm, 2 ** 31), ValueError, /maskedFill: value 2147483648 cannot be converted to int32/, [xi, bm]);
  });
  test('tril, triu', () => {
    const v = tensor([1, 2, 3]);
    const a = x();
    expectCleanThrow(() => v.tril(), ShapeError, /tril: input must have at least 2 dimensions, got shape \[3\]/, [v]);
    expectCleanThrow(() => triu(v), ShapeError, /triu: input must have at least 2 dimensions/, [v]);
    expectCleanThrow(() => a.triu(0.5), ValueError, /triu: diagonal must be an integer, got 0.5/, [a]);
  });
  test('split, chunk', () => {
    const a = x();
    const s = tensor(3);
    expectCleanThrow(() => a.split([1, 1], 1), ValueError, /split: split sizes \[1, 1\] must sum exactly to 3 \(the size of dim 1\), got 2/, [a]);
    expectCleanThrow(() => a.split(0), ValueError, /split: splitSize can only be 0 if the size of dim 0 is 0, got size 2/, [a]);
    expectCleanThrow(() => a.split(-1), ValueError, /split: splitSize must be a non-negative integer, got -1/, [a]);
    expectCleanThrow(() => a.split([2, -1, 2], 1), ValueError, /split: split sizes must be non-negative integers/, [a]);
    expectCleanThrow(() => a.split(1, 2), IndexError, /split: dim 2 is out of range for a tensor of rank 2/, [a]);
    expectCleanThrow(() => s.split(1), ShapeError, /split: expects a tensor with at least 1 dimension, got a 0-d tensor/, [s]);
    expectCleanThrow(() => a.chunk(0), ValueError, /chunk: chunks must be a positive integer, got 0/, [a]);
    expectCleanThrow(() => a.chunk(2, -3), IndexError, /chunk: dim -3 is out of range/, [a]);
  });
  test('var, std', () => {
    const a = x();
    const i = tensor([1, 2, 3], { dtype: 'int32' });
    expectCleanThrow(() => i.var(), DTypeError, /var: input dtype must be floating point, got int32/, [i]);
    expectCleanThrow(() => i.std(0), DTypeError, /std: input dtype must be floating point, got int32/, [i]);
    expectCleanThrow(() => a.var(2), IndexError, /var: dim 2 is out of range for a tensor of rank 2/, [a]);
    expectCleanThrow(() => a.var(1, { unbiased: false } as never), ValueError, /var: unknown option 'unbiased'.*known options: correction, keepdim/, [a]);
    expectCleanThrow(() => a.std(1, { correction: NaN }), ValueError, /std: correction must be a finite number, got NaN/, [a]);
  });
});

describe('sort, argsort, topk, max(dim), cumsum, cumprod', () => {
  test('stable order, nan last (first descending), -0 tied with 0, function forms', async () => {
    const x = tensor([1, NaN, -1, NaN, Infinity, -0, 0, 1]);
    const asc = sort(x);
    expect(Array.from(await asc.indices.data())).toEqual([2, 5, 6, 0, 7, 4, 1, 3]);
    expect(asc.indices.dtype).toBe('int32');
    expect(Array.from(await x.sort({ descending: true }).indices.data())).toEqual([1, 3, 4, 0, 7, 5, 6, 2]);
    expect(Array.from(await argsort(x, { descending: true, stable: true }).data())).toEqual([1, 3, 4, 0, 7, 5, 6, 2]);
    const b = tensor([true, false, true, false]);
    const sb = b.sort();
    expect(sb.values.dtype).toBe('bool');
    expect(Array.from(await sb.indices.data())).toEqual([1, 3, 0, 2]);
  });

  test('topk: best first, ties to the lower index, k = 0 and k = n', async () => {
    const x = tensor([[1, 3, 3, 2, 3, 0], [5, 5, 5, 5, 5, 5]]);
    const t = x.topk(3);
    expect(await t.values.tolist()).toEqual([[3, 3, 3], [5, 5, 5]]);
    expect(await t.indices.tolist()).toEqual([[1, 2, 4], [0, 1, 2]]);
    expect(await topk(x, 2, { largest: false }).indices.tolist()).toEqual([[5, 0], [0, 1]]);
    expect(x.topk(0).values.shape).toEqual([2, 0]);
    expect(await x.topk(6, { dim: 1, sorted: false }).indices.tolist()).toEqual([[1, 2, 4, 3, 0, 5], [0, 1, 2, 3, 4, 5]]);
    const s = tensor(2.5);
    expect(await s.topk(1).values.tolist()).toBe(2.5);
  });

  test('cumsum and cumprod: values, int32 and bool, function forms', async () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(await cumsum(x, 1).tolist()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(await x.cumsum(0).tolist()).toEqual([[1, 2, 3], [5, 7, 9]]);
    expect(await cumprod(x, 1).tolist()).toEqual([[1, 2, 6], [4, 20, 120]]);
    const c = tensor([true, false, true, true]).cumsum(0);
    expect(c.dtype).toBe('int32');
    expect(await c.tolist()).toEqual([1, 1, 2, 3]);
    expect(await tensor([2, -3, 4], { dtype: 'int32' }).cumprod(0).tolist()).toEqual([2, -6, -24]);
    const g = tensor([2, 0, 3, 4], { requiresGrad: true });
    g.cumprod(0).sum().backward();
    expect(await g.grad!.tolist()).toEqual([1, 32, 0, 0]);
  });
});

describe('errors: sort, topk, scans, max(dim)', () => {
  test('dims, k, options', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    expectCleanThrow(() => a.topk(4), IndexError, /topk: k \(4\) is out of range for dim -1 of size 3 \(expected 0 <= k <= 3\)/, [a]);
    expectCleanThrow(() => a.topk(-1, { dim: 0 }), IndexError, /topk: k \(-1\) is out of range for dim 0 of size 2/, [a]);
    expectCleanThrow(() => a.topk(1.5), ValueError, /topk: k must be an integer, got 1.5/, [a]);
    expectCleanThrow(() => a.topk(1, { dim: 2 }), IndexError, /topk: dim 2 is out of range for a tensor of rank 2/, [a]);
    expectCleanThrow(() => a.topk(1, { k: 2 } as never), ValueError, /topk: unknown option 'k'/, [a]);
    expectCleanThrow(() => a.sort({ dim: -3 }), IndexError, /sort: dim -3 is out of range/, [a]);
    expectCleanThrow(() => a.sort({ descending_: true } as never), ValueError, /sort: unknown option 'descending_'/, [a]);
    expectCleanThrow(() => a.argsort({ dim: 5 }), IndexError, /argsort: dim 5 is out of range/, [a]);
    expectCleanThrow(() => a.cumsum(2), IndexError, /cumsum: dim 2 is out of range/, [a]);
    expectCleanThrow(() => a.cumprod(-3), IndexError, /cumprod: dim -3 is out of range/, [a]);
    expectCleanThrow(() => a.max(2), IndexError, /max: dim 2 is out of range/, [a]);
  });
});

describe('norm, repeat, viewAs, new*, bmm, outer', () => {
  test('norm values against loops; the gradient at a zero vector', async () => {
    const rows = [[3, -4, 0], [0, 0, 0], [1, -2, 2]];
    const x = tensor(rows, { dtype: 'float64', requiresGrad: true });
    const ps: [number, (r: number[]) => number][] = [
      [1, (r) => r.reduce((a, v) => a + Math.abs(v), 0)],
      [2, (r) => Math.hypot(...r)],
      [Infinity, (r) => Math.max(...r.map(Math.abs))],
      [-Infinity, (r) => Math.min(...r.map(Math.abs))],
      [0, (r) => r.filter((v) => v !== 0).length],
      [3, (r) => r.reduce((a, v) => a + Math.abs(v) ** 3, 0) ** (1 / 3)],
    ];
    for (const [p, f] of ps) expectClose(await x.norm(p, 1).data(), rows.map(f));
    x.norm(2, 1).sum().backward();
    expectClose(await x.grad!.data(), [0.6, -0.8, 0, 0, 0, 0, 1 / 3, -2 / 3, 2 / 3]);
    expectClose(await x.norm().data(), [Math.hypot(...rows.flat())]);
  });
  test('repeat tiles, viewAs shares storage, new* keep dtype and backend', async () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(await x.repeat(2, 3).tolist()).toEqual([[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4], [1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]]);
    expect(x.repeat(1, 2, 1).shape).toEqual([1, 4, 2]);
    expect(await x.viewAs(tensor([0, 0, 0, 0])).tolist()).toEqual([1, 2, 3, 4]);
    const i = tensor([1], { dtype: 'int32' });
    expect(i.newZeros([2, 2]).dtype).toBe('int32');
    expect(await i.newOnes([3], { dtype: 'float32' }).tolist()).toEqual([1, 1, 1]);
    const f = x.newFull([2], 7.5, { requiresGrad: true });
    expect(f.requiresGrad).toBe(true);
    expect(await f.tolist()).toEqual([7.5, 7.5]);
    expect(x.newZeros([1]).backend).toBe(x.backend);
  });
  test('bmm and outer against loops, function forms', async () => {
    const a = tensor([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]);
    const b = tensor([[[1, 0], [0, 1]], [[2, 3], [4, 5]]]);
    expect(await bmm(a, b).tolist()).toEqual([[[1, 2], [3, 4]], [[4, 5], [2, 3]]]);
    expect(await outer(tensor([1, 2]), tensor([3, 4, 5])).tolist()).toEqual([[3, 4, 5], [6, 8, 10]]);
    const oi = tensor([1, 2], { dtype: 'int32' }).outer(tensor([3], { dtype: 'int32' }));
    expect(oi.dtype).toBe('int32');
    expect(await max(a, 2).indices.tolist()).toEqual([[1, 1], [1, 0]]);
    expect(await min(a).tolist()).toBe(0);
  });
  test('errors', () => {
    const m = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b3 = tensor([[[1, 2]]]);
    const iv = tensor([1, 2], { dtype: 'int32' });
    expectCleanThrow(() => m.norm('nuc'), ValueError, /norm: p='nuc' \(the nuclear norm, a sum of singular values\) is not supported/, [m]);
    expectCleanThrow(() => m.norm('l2' as never), ValueError, /norm: p must be a number or 'fro', got l2/, [m]);
    expectCleanThrow(() => iv.norm(), DTypeError, /norm: input dtype must be floating point, got int32/, [iv]);
    expectCleanThrow(() => m.norm(2, 3), IndexError, /norm: dim 3 is out of range/, [m]);
    const e = tensor(new Float32Array(0), { shape: [2, 0] });
    expectCleanThrow(() => e.norm(Infinity, 1), IndexError, /norm: cannot compute the inf norm over an empty dim \(input shape \[2, 0\]\)/, [e]);
    expectCleanThrow(() => m.repeat(2), ShapeError, /repeat: the number of repeats \(1\) must be at least the tensor's rank \(2\)/, [m]);
    expectCleanThrow(() => m.repeat(2, -1), ValueError, /repeat: repeats must be non-negative integers, got \[2, -1\]/, [m]);
    expectCleanThrow(() => m.viewAs(b3), ShapeError, /viewAs: shape \[1, 1, 2\] is invalid for input of size 4/, [m, b3]);
    expectCleanThrow(() => m.newZeros([2], { dtype: 'int64' as never }), DTypeError, /newZeros: unknown dtype "int64"/, [m]);
    expectCleanThrow(() => m.newOnes([2], { dtype: 'int32', requiresGrad: true }), DTypeError, /newOnes: only floating-point tensors can require gradients/, [m]);
    expectCleanThrow(() => m.newFull([-1], 0), ShapeError, /newFull: shape must be an array of non-negative integers/, [m]);
    expectCleanThrow(() => m.bmm(m), ShapeError, /bmm: batch1 must be a 3-D tensor, got shape \[2, 2\]/, [m]);
    expectCleanThrow(() => bmm(b3, m), ShapeError, /bmm: batch2 must be a 3-D tensor, got shape \[2, 2\]/, [b3, m]);
    const c = tensor([[[1], [2]], [[3], [4]]]);
    expectCleanThrow(() => bmm(b3, c), ShapeError, /bmm: batch2 must have shape \[1, 2, \*\] \(batch1's batch size and columns\), got \[2, 2, 1\]/, [b3, c]);
    expectCleanThrow(() => m.outer(iv), ShapeError, /outer: both inputs must be 1-D, got shapes \[2, 2\] and \[2\]/, [m, iv]);
  });
});

describe('memory: each op leaves only its outputs', () => {
  const ops: [string, (x: Tensor) => Tensor[]][] = [
    ['maskedFill', (x) => [tidy(() => x.maskedFill(x.gt(0), 0))]],
    ['tril', (x) => [x.tril(-1)]],
    ['triu', (x) => [x.triu(1)]],
    ['split', (x) => x.split(1, 1)],
    ['chunk', (x) => x.chunk(2)],
    ['var', (x) => [x.var(1)]],
    ['std', (x) => [x.std()]],
    ['sort', (x) => Object.values(x.sort())],
    ['topk', (x) => Object.values(x.topk(2, { largest: false }))],
    ['max(dim)', (x) => Object.values(x.max(1))],
    ['cumsum', (x) => [x.cumsum(1)]],
    ['cumprod', (x) => [x.cumprod(0)]],
    ['norm', (x) => [x.norm(2, 1)]],
    ['norm inf', (x) => [x.norm(Infinity)]],
    ['repeat', (x) => [x.repeat(2, 1)]],
    ['outer', (x) => [tidy(() => x.flatten().outer(x.flatten()))]],
    ['multinomial', (x) => [tidy(() => x.abs().multinomial(2, { replacement: true }))]],
  ];
  test.each(ops)('%s (with a backward)', (_n, op) => {
    const x = tensor([[0.5, -1, 2], [3, 0.25, -2]], { requiresGrad: true });
    const before = memory();
    const outs = op(x);
    expect(memory().tensors).toBe(before.tensors + outs.length);
    tidy(() => {
      const total = outs.reduce((a, o) => a.add(o.sum()), tensor(0));
      if (total.requiresGrad) total.backward(); // multinomial's samples have no gradient
    });
    for (const o of outs) o.dispose();
    x.grad = null;
    expect(memory()).toEqual(before);
    x.dispose();
  });
});
