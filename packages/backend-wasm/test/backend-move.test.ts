import { createCpuBackend } from '@logit/backend-cpu';
import { nn, optim, setBackend, tensor, tidy, type Backend, type Tensor } from '@logit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';

// Issue 15, item 3, as reported: a cpu model loaded from a state dict held on wasm ended up with
// wasm parameters while its optimizer state stayed on cpu, and the next step threw.

const cpu = createCpuBackend();
afterAll(() => setBackend(cpu));

function on<T>(be: Backend, fn: () => T): T {
  setBackend(be);
  try {
    return fn();
  } finally {
    setBackend(cpu);
  }
}

describe('cpu <-> wasm', () => {
  it('a cpu model with optimizer state loads a wasm state dict, keeps cpu parameters and steps on', async () => {
    const wasm = await createBackend();
    const model = on(cpu, () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)));
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const x = on(cpu, () => tensor([[1, 2], [3, -1]]));
    const step = (): void => tidy(() => {
      opt.zeroGrad();
      model.forward(x).square().mean().backward();
      opt.step();
    });
    step(); // optimizer state now exists on cpu
    const source = on(wasm, () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)));
    const state = source.stateDict();
    model.loadStateDict(state);
    for (const p of model.parameters()) expect(p.backend).toBe('cpu');
    expect(Array.from(model.parameters()[0].dataSync())).toEqual(Array.from(state['0.weight'].dataSync()));
    step();
    // the cpu copy and the wasm original agree to the last bit before the step; after it they differ
    expect(model.parameters()[0].backend).toBe('cpu');
    // a wasm tensor moves to cpu with to(), and back
    const w = state['0.weight'].to(cpu);
    expect([w.device, Array.from(w.to(wasm).dataSync())]).toEqual([cpu, Array.from(state['0.weight'].dataSync())]);
    for (const t of [...Object.values(state), ...model.parameters(), ...source.parameters(), x, w] as Tensor[]) t.dispose();
  });
});
