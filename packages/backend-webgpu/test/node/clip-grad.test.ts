import { BackendError, memory, nn, optim, setBackend, tensor, tidy } from '@logit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';
import { createCpuBackend } from '@logit/backend-cpu';

const cpu = createCpuBackend();

// nn.utils.clipGradNorm_ on an asynchronous device: it reads nothing back (WebGPU has no
// dataSync), and errorIfNonfinite, which must read the norm, throws a BackendError that names
// the asynchronous alternative, freeing what it made and changing no gradient.
afterAll(() => setBackend(cpu));

describe('clipGradNorm_ on webgpu', () => {
  it('clips a training step\'s gradients without a read, then Adadelta steps', async () => {
    setBackend(await createBackend());
    const model = new nn.Linear(3, 2);
    const opt = new optim.Adadelta(model.parameters());
    tidy(() => model.forward(tensor([[1, 2, 3], [-1, 0.5, 2]])).square().sum().backward());
    const grads = await Promise.all(model.parameters().map((p) => p.grad!.data()));
    const norm = nn.utils.clipGradNorm_(model.parameters(), 0.5);
    const total = Math.hypot(...grads.flatMap((g) => Array.from(g)));
    expect(await norm.item()).toBeCloseTo(total, 4);
    const clipped = await Promise.all(model.parameters().map((p) => p.grad!.data()));
    clipped.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo((grads[i][j] * 0.5) / (total + 1e-6), 5)));
    opt.step();
    norm.dispose();
    opt.zeroGrad();
    opt.dispose();
    for (const p of model.parameters()) p.dispose();
  });

  it('errorIfNonfinite throws a BackendError naming the asynchronous alternative, changing nothing', async () => {
    setBackend(await createBackend());
    const p = tensor([1, 2], { requiresGrad: true });
    p.grad = tensor([3, 4]);
    const before = memory().tensors;
    expect(() => nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(BackendError);
    expect(() => nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(/getTotalNorm, check `await norm.item\(\)`, then nn.utils.clipGradsWithNorm_/);
    expect(memory().tensors).toBe(before);
    expect(Array.from(await p.grad.data())).toEqual([3, 4]);
    p.dispose();
  });
});
