import { createCpuBackend } from '@logit/backend-cpu';
import {
  manualSeed, memory, noGrad, randint, randn, setBackend, tidy, zeros, type Backend, type Tensor,
} from '@logit/core';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';

const wasm = await createBackend();
const wasmSimd = await createBackend({ simd: 'simd' });

/**
 * A two-layer MLP trained with plain tensor ops (forward, logSoftmax, NLL through gather,
 * backward, a noGrad sub_ update), seeded so both backends start from the same numbers.
 * Returns the loss of every step.
 */
function train(be: Backend, steps: number): number[] {
  setBackend(be);
  manualSeed(7);
  const x = randn([64, 20]);
  const y = randint(0, 5, [64, 1], { dtype: 'int32' });
  const w1 = randn([20, 32]).mul(0.3).requiresGrad_(true);
  const b1 = zeros([32], { requiresGrad: true });
  const w2 = randn([32, 5]).mul(0.3).requiresGrad_(true);
  const b2 = zeros([5], { requiresGrad: true });
  const params: Tensor[] = [w1, b1, w2, b2];
  const losses: number[] = [];
  const base = memory();
  for (let step = 0; step < steps; step++) {
    tidy(() => {
      const h = x.matmul(w1).add(b1).relu();
      const logits = h.matmul(w2).add(b2);
      const loss = logits.logSoftmax(1).gather(1, y).mean().neg();
      loss.backward();
      losses.push(loss.itemSync());
      noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(0.5));
          p.grad = null;
        }
      });
    });
    expect(memory()).toEqual(base); // nothing leaks from a step
  }
  [x, y, ...params].forEach((t) => t.dispose());
  return losses;
}

describe('core tensors on the wasm backend', () => {
  it('an MLP training loop gives backend-cpu\'s losses step by step (within 1e-5)', () => {
    const reference = train(createCpuBackend(), 60);
    for (const be of [wasm, wasmSimd]) {
      const losses = train(be, 60);
      expect(losses.length).toBe(reference.length);
      losses.forEach((l, i) => expect(Math.abs(l - reference[i]), `step ${i}: ${l} vs ${reference[i]}`).toBeLessThanOrEqual(1e-5));
    }
    expect(reference[59]).toBeLessThan(reference[0] * 0.7); // it did learn
  });

  it('memory stays flat on the wasm heap over a long loop', () => {
    train(wasm, 5);
    const bytes = wasm.wasmMemory.buffer.byteLength;
    train(wasm, 300);
    expect(wasm.wasmMemory.buffer.byteLength).toBe(bytes);
  });
});
