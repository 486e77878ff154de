import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { memory, nn, tensor, tidy, Tensor, ValueError, type DType } from '@logit/core';
import { expectClose, loadOptim2, num, type JsonNum } from './helpers/optim-golden.js';

// nn.utils.clipGradNorm_ / clipGradValue_ against torch.nn.utils.clip_grad_norm_ /
// clip_grad_value_ (tools/goldens/optim2.py): four parameters of shapes [3], [2, 3], [] and [4],
// the last without a gradient; every norm type (2, 1, inf, -inf, 0, 3, 0.5) with and without
// clipping, zero, tiny, nan and inf gradients, a single tensor, maxNorm 0.

interface ClipCase {
  name: string;
  dtype: DType;
  maxNorm: number;
  normType: JsonNum;
  single: boolean;
  shapes: number[][];
  grads: (JsonNum[] | null)[];
  totalNorm: JsonNum;
  totalDtype: string;
  clipped: (JsonNum[] | null)[];
}
interface ValueCase {
  name: string;
  dtype: DType;
  clipValue: number;
  shapes: number[][];
  grads: (JsonNum[] | null)[];
  clipped: (JsonNum[] | null)[];
}

const golden = loadOptim2<{ clipGradNorm: ClipCase[]; clipGradValue: ValueCase[]; errors: Record<string, string> }>();

function paramsWithGrads(c: { shapes: number[][]; grads: (JsonNum[] | null)[]; dtype: DType }): Tensor[] {
  return c.shapes.map((shape, i) => {
    const p = tensor(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0), { shape, dtype: c.dtype, requiresGrad: true });
    const g = c.grads[i];
    p.grad = g === null ? null : tensor(g.map(num), { shape, dtype: c.dtype });
    return p;
  });
}

function expectGrads(params: Tensor[], clipped: (JsonNum[] | null)[], dtype: DType): void {
  params.forEach((p, i) => {
    const want = clipped[i];
    if (want === null) expect(p.grad, `param ${i}`).toBeNull();
    else expectClose(p.grad!.dataSync(), want, dtype, `grad ${i}`);
  });
}

describe(`clipGradNorm_ matches torch.nn.utils.clip_grad_norm_ (${golden.torch})`, () => {
  test.for(golden.clipGradNorm.map((c) => [c.name, c] as const))('%s', ([_name, c], ctx) => {
    needs(ctx, c.dtype);
    const params = paramsWithGrads(c);
    const before = memory().tensors;
    const total = nn.utils.clipGradNorm_(c.single ? params[1] : params, c.maxNorm, { normType: num(c.normType) });
    expect(memory().tensors).toBe(before + 1); // the returned norm, nothing else
    expect(total.shape).toEqual([]);
    expect(total.dtype).toBe(c.totalDtype);
    expectClose([total.itemSync()], [c.totalNorm], c.dtype, 'total norm');
    expectGrads(params, c.clipped, c.dtype);
    total.dispose();
    for (const p of params) p.dispose();
  });

  test('the cases clip, leave alone, and propagate nan and inf as PyTorch does', () => {
    const byName = Object.fromEntries(golden.clipGradNorm.map((c) => [c.name, c]));
    expect(num(byName.nan_float32.totalNorm)).toBeNaN();
    expect(num(byName.inf_float32.totalNorm)).toBe(Infinity);
    expect(byName['norm2.0_clips_float32'].clipped).not.toEqual(byName['norm2.0_clips_float32'].grads);
    expect(byName['norm2.0_no_clip_float32'].clipped).toEqual(byName['norm2.0_no_clip_float32'].grads);
  });

  test('a float64 gradient among float32 ones gives a float64 norm; each gradient keeps its dtype', (ctx) => {
    needs(ctx, 'float64');
    const a = tensor([3, 0], { requiresGrad: true });
    const b = tensor([4], { dtype: 'float64', requiresGrad: true });
    a.grad = tensor([3, 0]);
    b.grad = tensor([4], { dtype: 'float64' });
    const total = nn.utils.clipGradNorm_([a, b], 1);
    expect(total.dtype).toBe('float64');
    expect(total.itemSync()).toBe(5);
    expect(a.grad.dtype).toBe('float32');
    expect(Array.from(a.grad.dataSync())[0]).toBeCloseTo(0.6, 6);
    expect(Array.from(b.grad.dataSync())[0]).toBeCloseTo(4 / (5 + 1e-6), 15);
    for (const t of [a, b, total]) t.dispose();
  });

  test('no gradients: total norm 0 and nothing changes; a generator of parameters works', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const total = nn.utils.clipGradNorm_([p], 1);
    expect(total.itemSync()).toBe(0);
    p.grad = tensor([30, 40]);
    function* gen() {
      yield p;
    }
    const t2 = nn.utils.clipGradNorm_(gen(), 5);
    expect(t2.itemSync()).toBe(50);
    expect(Array.from(p.grad.dataSync()).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([3, 4]);
    for (const t of [p, total, t2]) t.dispose();
  });

  test('inside tidy, the returned norm is freed with the scope: memory stays flat over many steps', () => {
    const p = tensor([1, 2, 3], { requiresGrad: true });
    const start = memory().tensors;
    for (let i = 0; i < 50; i++) {
      tidy(() => {
        p.grad = tensor([i, 1, 2]);
        nn.utils.clipGradNorm_([p], 1, { normType: Infinity });
        nn.utils.clipGradValue_([p], 0.5);
      });
    }
    expect(memory().tensors).toBe(start + 1); // p.grad, replaced each step
    p.dispose();
  });
});

describe('clipGradNorm_ errors', () => {
  test('errorIfNonfinite throws PyTorch\'s message before any gradient changes', () => {
    const q = tensor([0, 0], { requiresGrad: true });
    q.grad = tensor([NaN, 1]);
    const before = memory().tensors;
    expect(() => nn.utils.clipGradNorm_([q], 1, { errorIfNonfinite: true })).toThrow(ValueError);
    const text = golden.errors.clipNonfinite.replace('order 2.0', 'order 2').replace('`error_if_nonfinite=False`', '`errorIfNonfinite: false`');
    expect(() => nn.utils.clipGradNorm_([q], 1, { errorIfNonfinite: true })).toThrow(`clipGradNorm_: ${text}`);
    expect(memory().tensors).toBe(before);
    expect(Array.from(q.grad.dataSync())).toEqual([NaN, 1]);
    q.grad = tensor([Infinity, 1]);
    expect(() => nn.utils.clipGradNorm_([q], 1, { normType: Infinity, errorIfNonfinite: true })).toThrow(/total norm of order inf .* is non-finite/);
    expect(Array.from(q.grad.dataSync())).toEqual([Infinity, 1]);
    q.grad = tensor([3, 4]);
    const ok = nn.utils.clipGradNorm_([q], 1, { errorIfNonfinite: true });
    expect(ok.itemSync()).toBe(5);
    ok.dispose();
    q.dispose();
  });

  test('bad arguments and unknown options are ValueErrors that change nothing', () => {
    const p = tensor([3, 4], { requiresGrad: true });
    p.grad = tensor([3, 4]);
    const before = memory().tensors;
    expect(() => nn.utils.clipGradNorm_([p], 1, { norm_type: 1 } as object)).toThrow(/unknown option 'norm_type'; did you mean 'normType'/);
    expect(() => nn.utils.clipGradNorm_([p], 1, { normType: 'inf' as unknown as number })).toThrow(/normType must be a number \(Infinity for the max norm\)/);
    expect(() => nn.utils.clipGradNorm_([p], 'a' as unknown as number)).toThrow(/maxNorm must be a number/);
    expect(() => nn.utils.clipGradNorm_([p, 3 as unknown as Tensor], 1)).toThrow(/parameters\[1\] is not a Tensor/);
    expect(() => nn.utils.clipGradNorm_(5 as unknown as Tensor, 1)).toThrow(ValueError);
    expect(() => nn.utils.clipGradValue_([p], NaN)).toThrow(/clipValue must be a number/);
    expect(() => nn.utils.clipGradValue_([p], 1, { foreac: true } as object)).toThrow(/unknown option 'foreac'; did you mean 'foreach'/);
    expect(memory().tensors).toBe(before);
    expect(Array.from(p.grad.dataSync())).toEqual([3, 4]);
    p.dispose();
  });
});

describe(`clipGradValue_ matches torch.nn.utils.clip_grad_value_ (${golden.torch})`, () => {
  test.for(golden.clipGradValue.map((c) => [c.name, c] as const))('%s', ([_name, c], ctx) => {
    needs(ctx, c.dtype);
    const params = paramsWithGrads(c);
    nn.utils.clipGradValue_(params, c.clipValue);
    expectGrads(params, c.clipped, c.dtype);
    for (const p of params) p.dispose();
  });
});

describe('getTotalNorm and clipGradsWithNorm_ (PyTorch 2.6+)', () => {
  test('compose to clipGradNorm_', (ctx) => {
    needs(ctx, 'float64');
    const c = golden.clipGradNorm.find((x) => x.name === 'norm3.0_clips_float64')!;
    const params = paramsWithGrads(c);
    const grads = params.flatMap((p) => (p.grad ? [p.grad] : []));
    const total = nn.utils.getTotalNorm(grads, { normType: 3 });
    expectClose([total.itemSync()], [c.totalNorm], 'float64', 'total');
    nn.utils.clipGradsWithNorm_(params, c.maxNorm, total);
    expectGrads(params, c.clipped, 'float64');
    total.dispose();
    for (const p of params) p.dispose();
  });
});
