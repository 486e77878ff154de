import { afterEach, describe, test } from 'vitest';
import { logSoftmax, setFusedKernelsEnabled, softmax } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

afterEach(() => setFusedKernelsEnabled(true));

// backend-cpu has fused softmax/logSoftmax; with fused kernels off core composes primitives.
for (const fused of [true, false]) {
  describe(`gradcheck: softmax and logSoftmax (fused kernels ${fused ? 'on' : 'off'})`, () => {
    const x = input([2, 3, 4], undefined, -3, 3);
    for (const dim of [0, 1, -1]) {
      test(`softmax dim ${dim}`, async () => {
        setFusedKernelsEnabled(fused);
        await gradcheck((t) => softmax(t, dim), [x]);
      });
      test(`logSoftmax dim ${dim}`, async () => {
        setFusedKernelsEnabled(fused);
        await gradcheck((t) => t.logSoftmax(dim), [x]);
      });
    }
    test('large logits (stability) and a 1-D input', async () => {
      setFusedKernelsEnabled(fused);
      await gradcheck((t) => logSoftmax(t.mul(200), 1), [input([2, 3])]);
      await gradcheck((t) => t.softmax(0), [input([5])]);
    });
  });
}
