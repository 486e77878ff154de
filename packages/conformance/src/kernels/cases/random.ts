import type { RandomSpec } from '@logit/core';
import type { KernelCase } from '../types.js';
import { ALL_DTYPES, call, kernelCase } from './define.js';

// Counter-based random numbers: Philox 4x32-10 makes the stream a function of (key, offset), so
// every backend must produce the values backend-cpu does, at odd sizes and offsets past 2^32 too.

const SPECS: readonly RandomSpec[] = [
  { kind: 'uniform', key: [12345, 678], offset: 0, params: [0, 1] },
  { kind: 'uniform', key: [1, 2], offset: 2 ** 32 + 5, params: [-3, 7] },
  { kind: 'normal', key: [9, 9], offset: 17, params: [0.5, 2] },
  { kind: 'normal', key: [0x12345678, 0x9abcdef0], offset: 2 ** 32 - 1, params: [0, 1] },
  { kind: 'bernoulli', key: [4, 2], offset: 3, params: [0.3, 0] },
  { kind: 'bernoulli', key: [7, 1], offset: 0, params: [0.9, 0] },
];

const randomCase = kernelCase('random', 'random, every kind with its parameters', ALL_DTYPES, () =>
  SPECS.flatMap((spec) => [0, 1, 3, 4, 5, 1001].map((n) =>
    call(`${spec.kind}(${spec.params}) key ${spec.key} offset ${spec.offset} size ${n}`, [], (be, _xs, d) => be.ops.random(spec, n, d)))),
{
  // Box-Muller's log, sqrt and cos in float32 are a few ulps off the double ones
  tol: { float32: { rtol: 1e-5, atol: 1e-6 } },
});

export const randomKernelCases = (): KernelCase[] => [randomCase];
