import { manualSeed, setBackend, tensor, tidy, type Backend, type Tensor } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { cpu, webgpu } from '../backends.js';

// multinomial draws its uniforms from the seeded Philox stream and compares them with a CDF that
// every backend rounds alike (webgpu's f32 sums carry their rounding error, so each prefix is the
// exact sum rounded once, as backend-cpu's double accumulator gives): the same seed gives the same
// samples as backend-cpu, with and without replacement.
const LOGITS = Array.from({ length: 4 * 65 }, (_, i) => Math.sin(i * 0.37) * 3 + Math.cos(i * 1.1));

async function sample(be: Backend, fromLogits: boolean): Promise<number[][]> {
  setBackend(be);
  manualSeed(1234);
  const probsHost = Array.from(await tidy(() => tensor(LOGITS, { shape: [4, 65] }).div(0.8).softmax(-1)).data());
  const outs = tidy(() => {
    const logits = tensor(LOGITS, { shape: [4, 65] });
    // the same probabilities everywhere (uploaded), or each backend's own softmax of the logits
    const probs = fromLogits ? logits.div(0.8).softmax(-1) : tensor(probsHost, { shape: [4, 65] });
    return [
      probs.multinomial(200, { replacement: true }),
      probs.multinomial(65),
      logits.exp().multinomial(20, { replacement: true }),
      probs.select(0, 2).multinomial(1),
    ];
  });
  const data = await Promise.all(outs.map(async (t: Tensor) => Array.from(await t.data())));
  outs.forEach((t) => t.dispose());
  return data;
}

describe('multinomial', () => {
  it('gives backend-cpu\'s samples for the same seed and probabilities', async () => {
    const want = await sample(cpu, false);
    expect(want[0].length).toBe(800);
    expect(await sample(await webgpu(), false)).toEqual(want);
  });
  it('and from each backend\'s own softmax of the same logits', async () => {
    expect(await sample(await webgpu(), true)).toEqual(await sample(cpu, true));
  });
});
