import { describe, test } from 'vitest';
import { type Tensor } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

type Fn = (x: Tensor) => Tensor;

const x234 = input([2, 3, 4]);

describe('gradcheck: sum and mean', () => {
  const cases: [string, Fn][] = [
    ['sum all', (x) => x.sum()],
    ['sum dim 1', (x) => x.sum(1)],
    ['sum dim -1 keepdim', (x) => x.sum(-1, true)],
    ['sum dims [0, 2]', (x) => x.sum([0, 2])],
    ['sum dims [0, 2] keepdim', (x) => x.sum([0, 2], true)],
    ['mean all', (x) => x.mean()],
    ['mean dim 0', (x) => x.mean(0)],
    ['mean dims [1, 2] keepdim', (x) => x.mean([1, 2], true)],
    ['sum of a product (non-linear upstream)', (x) => x.mul(x).sum(1).mul(x.mean([1, 2]).unsqueeze(1))],
  ];
  for (const [name, fn] of cases) test(name, async () => gradcheck(fn, [x234]));
  test('scalar input', async () => {
    await gradcheck((x) => x.sum(), [input([], [1.25])]);
    await gradcheck((x) => x.mean(0), [input([], [1.25])]);
  });
});

describe('gradcheck: max/min along a dim, amax/amin over dims (no ties)', () => {
  const cases: [string, Fn][] = [
    ['max all', (x) => x.max()],
    ['min all', (x) => x.min()],
    ['max dim 1', (x) => x.max(1).values],
    ['min dim -1 keepdim', (x) => x.min(-1, true).values],
    ['max dim 0 times x', (x) => x.max(0, true).values.mul(x)],
    ['amax dims [0, 2]', (x) => x.amax([0, 2])],
    ['amin dims [1, 2] keepdim', (x) => x.amin([1, 2], true)],
    ['amax all', (x) => x.amax()],
    ['amin dim 1', (x) => x.amin(1)],
  ];
  for (const [name, fn] of cases) test(name, async () => gradcheck(fn, [x234]));
});

describe('gradcheck: logsumexp', () => {
  const cases: [string, Fn][] = [
    ['dim 1', (x) => x.logsumexp(1)],
    ['dims [0, 2] keepdim', (x) => x.logsumexp([0, 2], true)],
    ['dim -1 of large values (stabilized)', (x) => x.mul(300).logsumexp(-1)],
  ];
  for (const [name, fn] of cases) test(name, async () => gradcheck(fn, [x234]));
});
