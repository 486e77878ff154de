import { afterEach, describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { manualSeed, memory, nn, randn, rand, setFusedKernelsEnabled, tensor, tidy, type Tensor } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';

afterEach(() => setFusedKernelsEnabled(true));

function f64(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

function expectAllClose(a: number[], b: number[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    if (Number.isNaN(b[i]) || !Number.isFinite(b[i])) expect(v).toBe(b[i]);
    else expect(Math.abs(v - b[i]), `element ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
  });
}

/** Value and input gradient of loss(x) for a fresh float64 copy of x. */
function valueAndGrad(xData: Tensor, fn: (x: Tensor) => Tensor, upstream?: Tensor): { value: number[]; grad: number[] } {
  return tidy(() => {
    const x = xData.detach().mul(1).requiresGrad_();
    const out = fn(x);
    out.backward(out.ndim ? upstream : undefined);
    return { value: f64(out), grad: f64(x.grad!) };
  });
}

const int = (v: number[] | number[][], shape?: number[]) => tensor(v, { dtype: 'int32', shape });

// Class-index setups that cover every layout and option.
function setups() {
  manualSeed(7);
  return [
    { name: '(N, C)', x: randn([6, 5], { dtype: 'float64' }), t: int([1, 0, 4, -100, 2, 2]), dim: 1 },
    { name: '(N, C) weight', x: randn([6, 5], { dtype: 'float64' }), t: int([1, 0, 4, -100, 2, 2]), dim: 1, weight: rand([5], { dtype: 'float64' }).add(0.1) },
    { name: '(N, C, d1, d2)', x: randn([2, 3, 2, 3], { dtype: 'float64' }), t: int([0, 1, 2, 2, -100, 0, 1, 1, 0, 2, 2, 1], [2, 2, 3]), dim: 1, weight: rand([3], { dtype: 'float64' }) },
    { name: 'unbatched (C)', x: randn([4], { dtype: 'float64' }), t: int([2], []), dim: 0 },
    { name: 'ignoreIndex = 3', x: randn([5, 4], { dtype: 'float64' }).mul(10), t: int([3, 0, 3, 1, 2]), dim: 1, ignoreIndex: 3 },
  ];
}

describe('CrossEntropyLoss is LogSoftmax followed by NLLLoss', () => {
  for (const fused of [true, false]) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      test(`fused ${fused ? 'on' : 'off'}, ${reduction}`, (ctx) => {
        needs(ctx, 'float64');
        setFusedKernelsEnabled(fused);
        for (const s of setups()) {
          const opts = { weight: s.weight, ignoreIndex: s.ignoreIndex, reduction };
          const upstream = randn(s.t.shape, { dtype: 'float64' });
          const ce = valueAndGrad(s.x, (x) => new nn.CrossEntropyLoss(opts).forward(x, s.t), upstream);
          const nll = valueAndGrad(s.x, (x) => new nn.NLLLoss(opts).forward(new nn.LogSoftmax(s.dim).forward(x), s.t), upstream);
          expectAllClose(ce.value, nll.value, 1e-12);
          expectAllClose(ce.grad, nll.grad, 1e-12);
        }
      });
    }
  }
});

describe('fused and composed cross entropy agree', () => {
  for (const labelSmoothing of [0, 0.1, 1]) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      test(`labelSmoothing ${labelSmoothing}, ${reduction}`, (ctx) => {
        needs(ctx, 'float64');
        for (const s of setups()) {
          const lossFn = new nn.CrossEntropyLoss({ weight: s.weight, ignoreIndex: s.ignoreIndex, reduction, labelSmoothing });
          const upstream = randn(s.t.shape, { dtype: 'float64' });
          setFusedKernelsEnabled(true);
          const fused = valueAndGrad(s.x, (x) => lossFn.forward(x, s.t), upstream);
          setFusedKernelsEnabled(false);
          const composed = valueAndGrad(s.x, (x) => lossFn.forward(x, s.t), upstream);
          expectAllClose(fused.value, composed.value, 1e-12);
          expectAllClose(fused.grad, composed.grad, 1e-12);
        }
      });
    }
  }
});

describe('gradients match finite differences (float64)', () => {
  const x = input([3, 4]);
  for (const fused of [true, false]) {
    test(`CrossEntropyLoss with weight, ignoreIndex and labelSmoothing, fused ${fused ? 'on' : 'off'}`, async (ctx) => {
      needs(ctx, 'float64');
      setFusedKernelsEnabled(fused);
      const w = tensor([0.5, 1, 2, 0.25], { dtype: 'float64' });
      const t = int([3, -100, 1]);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        await gradcheck((z) => nn.functional.crossEntropy(z, t, { weight: w, reduction, labelSmoothing: 0.3 }), [x]);
      }
    });
  }
  test('CrossEntropyLoss with probability targets (input and target)', async (ctx) => {
    needs(ctx, 'float64');
    const w = tensor([0.5, 1, 2, 0.25], { dtype: 'float64' });
    await gradcheck((z, q) => nn.functional.crossEntropy(z, q, { weight: w, labelSmoothing: 0.2 }), [x, input([3, 4], undefined, 0, 1, 3)]);
  });
  test('BCELoss (input and target)', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((p, y) => nn.functional.binaryCrossEntropy(p, y, { weight: tensor([1, 2, 0.5, 3], { dtype: 'float64' }) }), [input([3, 4], undefined, 0.05, 0.95), input([3, 4], undefined, 0, 1, 9)]);
  });
  test('BCEWithLogitsLoss with weight and posWeight (input and target)', async (ctx) => {
    needs(ctx, 'float64');
    const posWeight = tensor([0.5, 1, 2, 3], { dtype: 'float64' });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      await gradcheck((z, y) => nn.functional.binaryCrossEntropyWithLogits(z, y, { posWeight, weight: tensor([[2], [1], [0.5]], { dtype: 'float64' }), reduction }), [x, input([3, 4], undefined, 0, 1, 5)]);
    }
  });
  test('MSELoss (input and target)', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((a, b) => nn.functional.mseLoss(a, b), [x, input([3, 4], undefined, -2, 2, 11)]);
  });
});

describe('loss modules', () => {
  test('the functional forms compute what the modules do', () => {
    manualSeed(3);
    const x = randn([4, 3]);
    const t = int([0, 2, -100, 1]);
    const y = rand([4, 3]);
    const w = rand([3]);
    const pairs: [Tensor, Tensor][] = [
      [new nn.NLLLoss({ weight: w }).forward(x, t), nn.functional.nllLoss(x, t, { weight: w })],
      [new nn.CrossEntropyLoss({ labelSmoothing: 0.2 }).forward(x, t), nn.functional.crossEntropy(x, t, { labelSmoothing: 0.2 })],
      [new nn.MSELoss({ reduction: 'sum' }).forward(x, y), nn.functional.mseLoss(x, y, { reduction: 'sum' })],
      [new nn.BCELoss({ reduction: 'none' }).forward(y, y), nn.functional.binaryCrossEntropy(y, y, { reduction: 'none' })],
      [new nn.BCEWithLogitsLoss({ posWeight: w }).forward(x, y), nn.functional.binaryCrossEntropyWithLogits(x, y, { posWeight: w })],
    ];
    for (const [a, b] of pairs) expect(f64(a)).toEqual(f64(b));
  });

  test('weights are buffers with PyTorch state-dict keys; options have PyTorch defaults', () => {
    const w = tensor([1, 2, 3]);
    const ce = new nn.CrossEntropyLoss({ weight: w });
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    expect([ce.ignoreIndex, ce.reduction, ce.labelSmoothing]).toEqual([-100, 'mean', 0]);
    expect(Object.keys(new nn.NLLLoss().stateDict())).toEqual([]);
    expect(Object.keys(new nn.BCEWithLogitsLoss({ weight: w, posWeight: w }).stateDict())).toEqual(['weight', 'pos_weight']);
    expect(new nn.MSELoss().parameters()).toEqual([]);
  });

  test('a training-style loop keeps memory flat', () => {
    manualSeed(1);
    const x = randn([8, 5], { requiresGrad: true });
    const t = int([0, 1, 2, 3, 4, 0, 1, -100]);
    const lossFns = [new nn.CrossEntropyLoss({ labelSmoothing: 0.1, weight: rand([5]) }), new nn.MSELoss(), new nn.BCEWithLogitsLoss()];
    const y = rand([8, 5]);
    const step = () =>
      tidy(() => {
        lossFns[0].forward(x, t).add(lossFns[1].forward(x, y)).add(lossFns[2].forward(x, y)).backward();
        x.grad = null;
      });
    step();
    const before = memory();
    for (let i = 0; i < 20; i++) step();
    const after = memory();
    expect([after.tensors, after.storages]).toEqual([before.tensors, before.storages]);
  });
});
