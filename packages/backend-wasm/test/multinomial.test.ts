import { createCpuBackend } from '@logit/backend-cpu';
import { manualSeed, setBackend, tensor, tidy, type Backend } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { WASMS } from './builds.js';

// multinomial draws its uniforms from the seeded Philox stream and compares them with a CDF that
// every backend rounds alike (sums accumulated in doubles, rounded once): the same seed and
// probabilities give the same samples as backend-cpu, with and without replacement.
const LOGITS = Array.from({ length: 4 * 65 }, (_, i) => Math.sin(i * 0.37) * 3 + Math.cos(i * 1.1));


function sample(be: Backend): number[][] {
  setBackend(be);
  manualSeed(1234);
  return tidy(() => {
    const logits = tensor(LOGITS, { shape: [4, 65] });
    const probs = logits.div(0.8).softmax(-1);
    const weights = logits.exp(); // unnormalized rows
    return [
      probs.multinomial(200, { replacement: true }),
      probs.multinomial(65),
      weights.multinomial(20, { replacement: true }),
      probs.select(0, 2).multinomial(1),
    ].map((t) => Array.from(t.dataSync()));
  });
}

describe('multinomial', () => {
  it('gives backend-cpu\'s samples for the same seed (softmax probabilities and raw weights, with and without replacement)', () => {
    const want = sample(createCpuBackend());
    expect(want[0].length).toBe(800);
    for (const be of WASMS) expect(sample(be)).toEqual(want);
  });
});
