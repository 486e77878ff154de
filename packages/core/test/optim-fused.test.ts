import { afterEach, describe, expect, test, vi } from 'vitest';
import { needs } from './helpers/needs.js';
import { getBackend, memory, optim, setFusedKernelsEnabled, tensor, type DType, type Tensor } from '@logit/core';

// The optimizers hand each update to the backend's fused sgdStep/adamStep kernel when it has one
// (optim-golden.test.ts checks both paths against PyTorch). Here: the kernel is really the one that
// runs, backend-cpu's kernel gives the same bits as the composition, and neither path leaks.

afterEach(() => {
  setFusedKernelsEnabled(true);
  vi.restoreAllMocks();
});

type Make = (ps: Tensor[]) => { step(): unknown; dispose(): void };
const CONFIGS: [string, Make][] = [
  ['SGD plain', (ps) => new optim.SGD(ps, { lr: 0.1 })],
  ['SGD momentum dampening wd', (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 })],
  ['SGD nesterov maximize', (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.8, nesterov: true, maximize: true })],
  ['Adam wd', (ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 })],
  ['Adam amsgrad maximize', (ps) => new optim.Adam(ps, { lr: 0.02, betas: [0.8, 0.9], eps: 1e-3, amsgrad: true, maximize: true })],
  ['AdamW amsgrad', (ps) => new optim.AdamW(ps, { lr: 0.05, weightDecay: 0.3, amsgrad: true })],
];

/** Runs five steps of seeded gradients (the second parameter skips step 2) and returns the params. */
function trajectory(make: Make, dtype: DType): number[][] {
  const values = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.3) * 2);
  const ps = [tensor(values(6, 1), { shape: [2, 3], dtype, requiresGrad: true }), tensor(values(4, 2), { dtype, requiresGrad: true })];
  const opt = make(ps);
  for (let step = 0; step < 5; step++) {
    ps.forEach((p, i) => (p.grad = step === 2 && i === 1 ? null : tensor(values(p.numel(), 10 * step + i + 3), { shape: p.shape, dtype })));
    opt.step();
  }
  const out = ps.map((p) => Array.from(p.dataSync()));
  opt.dispose();
  for (const p of ps) p.dispose();
  return out;
}

describe.each(CONFIGS)('%s', (_name, make) => {
  test.for(['float32', 'float64'] as const)('fused kernel runs and gives the composed bits (%s), no leaks', (dtype, ctx) => {
    needs(ctx, dtype);
    const fused = getBackend().fused!;
    const sgd = vi.spyOn(fused, 'sgdStep');
    const adam = vi.spyOn(fused, 'adamStep');
    const live = (): number[] => [memory().tensors, memory().storages, memory().bytes];
    const before = live();
    const withKernel = trajectory(make, dtype);
    expect(live()).toEqual(before);
    expect(sgd.mock.calls.length + adam.mock.calls.length).toBe(9);
    setFusedKernelsEnabled(false);
    const composed = trajectory(make, dtype);
    expect(live()).toEqual(before);
    expect(sgd.mock.calls.length + adam.mock.calls.length).toBe(9);
    expect(withKernel).toEqual(composed);
  });
});
