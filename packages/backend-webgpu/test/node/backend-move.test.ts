import { BackendError, nn, optim, setBackend, tensor, tidy, type Tensor } from '@logit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../src/index.js';
import { cpu, webgpu } from '../backends.js';

// Issue 15, items 3 and 5 across cpu and WebGPU: copy_ and loadStateDict keep the destination's
// backend; moving explicitly is t.to(backend) from a backend that reads synchronously, and
// await t.toAsync(backend) from WebGPU; messages name what exists and tell instances apart.

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await webgpu();
});
afterAll(() => setBackend(cpu));

function on<T>(be: typeof cpu, fn: () => T): T {
  setBackend(be);
  try {
    return fn();
  } finally {
    setBackend(cpu);
  }
}

describe('cpu <-> webgpu', () => {
  it('a webgpu model loads a cpu state dict and keeps its parameters on webgpu, then trains', async () => {
    const model = on(gpu, () => new nn.Linear(3, 2));
    const state = on(cpu, () => ({ weight: tensor([[1, 2, 3], [4, 5, 6]]), bias: tensor([0.5, -0.5]) }));
    model.loadStateDict(state);
    expect(model.weight.backend).toBe('webgpu');
    expect(Array.from(await model.weight.data())).toEqual([1, 2, 3, 4, 5, 6]);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = on(gpu, () => tensor([[1, 0, -1]]));
    tidy(() => {
      model.forward(x).sum().backward();
      opt.step();
    });
    expect(model.weight.backend).toBe('webgpu');
    expect(Array.from(await model.bias!.data()).map((v) => +v.toFixed(5))).toEqual([0.4, -0.6]);
    for (const t of [...Object.values(state), ...model.parameters(), x] as Tensor[]) t.dispose();
  });

  it('a cpu model refuses a webgpu state dict before changing anything, and loads it after toAsync', async () => {
    const model = on(cpu, () => new nn.Linear(2, 1));
    const before = Array.from(model.weight.dataSync());
    const state = on(gpu, () => ({ weight: tensor([[7, 8]]), bias: tensor([9]) }));
    expect(() => model.loadStateDict(state)).toThrow(BackendError);
    expect(() => model.loadStateDict(state)).toThrow(/^loadStateDict: 'weight' lives on 'webgpu#\d+', which reads asynchronously; move it first with `await t.toAsync\(backend\)`; 'bias' lives on 'webgpu#\d+'/);
    expect(Array.from(model.weight.dataSync())).toEqual(before);
    const moved = { weight: await state.weight.toAsync(cpu), bias: await state.bias.toAsync(cpu) };
    model.loadStateDict(moved);
    expect(model.weight.device).toBe(cpu);
    expect(Array.from(model.weight.dataSync())).toEqual([7, 8]);
    for (const t of [...Object.values(state), ...Object.values(moved), ...model.parameters()]) t.dispose();
  });

  it('t.to(webgpu) from cpu, toAsync back; a tensor that requires grad cannot move to webgpu', async () => {
    const x = on(cpu, () => tensor([1, 2, 3]));
    const y = x.to(gpu);
    expect(y.device).toBe(gpu);
    expect(() => y.to(cpu)).toThrow(/^to: tensor #\d+ lives on 'webgpu#\d+', which reads asynchronously; move it with `await t.toAsync\(backend\)`$/);
    const z = await y.toAsync({ backend: cpu, dtype: 'int32' });
    expect([z.device, z.dtype, Array.from(z.dataSync())]).toEqual([cpu, 'int32', [1, 2, 3]]);
    const w = on(cpu, () => tensor([1], { requiresGrad: true }));
    expect(() => w.to(gpu)).toThrow(/requires grad, and its gradient could not come back from 'webgpu#\d+'/);
    for (const t of [x, y, z, w]) t.dispose();
  });

  it("mixing backends names both instances and a method that exists", () => {
    const a = on(cpu, () => tensor([1]));
    const b = on(gpu, () => tensor([2]));
    expect(() => a.add(b)).toThrow(/^add: inputs live on different backends \('cpu#\d+' and 'webgpu#\d+'\); move one with t\.to\(backend\) \(or await t\.toAsync\(backend\)\)$/);
    a.dispose();
    b.dispose();
  });

  it('BatchNorm1d with momentum null trains on webgpu (it read the counter synchronously and threw)', async () => {
    const bn = on(gpu, () => new nn.BatchNorm1d(2, { momentum: null }));
    const xs = on(gpu, () => [tensor([[1, 2], [3, 6]]), tensor([[5, 0], [7, 2]])]);
    for (const x of xs) tidy(() => bn.forward(x));
    expect(Array.from(await bn.runningMean!.data()).map((v) => +v.toFixed(5))).toEqual([4, 2.5]);
    expect(await bn.numBatchesTracked!.item()).toBe(2);
    for (const t of [...xs, ...bn.parameters(), ...bn.buffers()]) t.dispose();
  });
});
