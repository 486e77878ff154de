import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import {
  DTypeError, IndexError, ShapeError, ValueError, chunk, maskedFill, memory, split, std, tensor, tidy, tril, triu, variance, zeros,
  type Tensor,
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

describe('memory: each op leaves only its outputs', () => {
  const ops: [string, (x: Tensor) => Tensor[]][] = [
    ['maskedFill', (x) => [tidy(() => x.maskedFill(x.gt(0), 0))]],
    ['tril', (x) => [x.tril(-1)]],
    ['triu', (x) => [x.triu(1)]],
    ['split', (x) => x.split(1, 1)],
    ['chunk', (x) => x.chunk(2)],
    ['var', (x) => [x.var(1)]],
    ['std', (x) => [x.std()]],
  ];
  test.each(ops)('%s (with a backward)', (_n, op) => {
    const x = tensor([[0.5, -1, 2], [3, 0.25, -2]], { requiresGrad: true });
    const before = memory();
    const outs = op(x);
    expect(memory().tensors).toBe(before.tensors + outs.length);
    tidy(() => outs.reduce((a, o) => a.add(o.sum()), tensor(0)).backward());
    for (const o of outs) o.dispose();
    x.grad = null;
    expect(memory()).toEqual(before);
    x.dispose();
  });
});
