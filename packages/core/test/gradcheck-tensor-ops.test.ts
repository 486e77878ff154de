import { describe, test } from 'vitest';
import { cat, tensor, type Tensor } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

type Fn = (x: Tensor) => Tensor;

const mask34 = () => tensor([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]].map((r) => r.map(Boolean)));

describe('gradcheck: maskedFill, tril, triu', () => {
  const cases: [string, number[], Fn][] = [
    ['maskedFill with a number', [3, 4], (x) => x.maskedFill(mask34(), 2.5)],
    ['maskedFill with a broadcast mask', [2, 3, 4], (x) => x.maskedFill(tensor([true, false, false, true]), -1)],
    ['maskedFill where x broadcasts to the mask', [1, 4], (x) => x.maskedFill(mask34(), 0)],
    ['tril batched', [2, 3, 4], (x) => x.tril()],
    ['tril diagonal -1', [2, 3, 4], (x) => x.tril(-1)],
    ['tril diagonal 2', [4, 3], (x) => x.tril(2)],
    ['triu batched', [2, 3, 4], (x) => x.triu()],
    ['triu diagonal 1', [3, 4], (x) => x.triu(1)],
    ['triu diagonal -2', [2, 4, 3], (x) => x.triu(-2)],
  ];
  for (const [name, shape, fn] of cases) test(name, async () => gradcheck(fn, [input(shape)]));

  test('maskedFill with a 0-d tensor value: both get gradients', async () => {
    await gradcheck((x, v) => x.maskedFill(mask34(), v), [input([3, 4]), input([], [0.75])]);
  });
});

describe('gradcheck: split and chunk (each piece weighted differently)', () => {
  const weighted = (parts: Tensor[], d: number): Tensor => cat(parts.map((p, i) => p.mul(i + 1).square()), d);
  const cases: [string, number[], Fn][] = [
    ['split 2 of 5', [5, 3], (x) => weighted(x.split(2), 0)],
    ['split sizes [1,0,3] dim -1', [2, 4], (x) => weighted(x.split([1, 0, 3], -1), -1)],
    ['chunk 3 of [2,7] dim 1', [2, 7], (x) => weighted(x.chunk(3, 1), 1)],
    ['only the second piece used', [6, 2], (x) => x.chunk(3)[1].exp()],
  ];
  for (const [name, shape, fn] of cases) test(name, async () => gradcheck(fn, [input(shape)]));
});

describe('gradcheck: var and std', () => {
  const cases: [string, number[], Fn][] = [
    ['var all', [3, 4], (x) => x.var()],
    ['var dim 1', [3, 4], (x) => x.var(1)],
    ['var dims [0,2] keepdim correction 0', [2, 3, 4], (x) => x.var([0, 2], { correction: 0, keepdim: true })],
    ['var correction 2', [3, 5], (x) => x.var(-1, { correction: 2 })],
    ['var correction 0.5', [4, 3], (x) => x.var(0, { correction: 0.5 })],
    ['std all', [3, 4], (x) => x.std()],
    ['std dim 0 keepdim', [3, 4], (x) => x.std(0, { keepdim: true })],
    ['std dims [1,2] correction 0', [2, 3, 4], (x) => x.std([1, 2], { correction: 0 })],
    ['var times x (non-linear upstream)', [3, 4], (x) => x.var(1, { keepdim: true }).mul(x)],
  ];
  for (const [name, shape, fn] of cases) test(name, async () => gradcheck(fn, [input(shape)]));
});

describe('gradcheck: sort, topk, max(dim), cumsum, cumprod', () => {
  const cases: [string, number[], Fn][] = [
    ['sort values', [3, 5], (x) => x.sort().values],
    ['sort descending dim 0', [4, 3], (x) => x.sort({ dim: 0, descending: true }).values],
    ['topk k=2', [3, 5], (x) => x.topk(2).values],
    ['topk smallest dim 1 of 3-D', [2, 4, 3], (x) => x.topk(3, { dim: 1, largest: false }).values],
    ['max(dim) values', [3, 5], (x) => x.max(1).values],
    ['min(dim) values keepdim', [3, 5], (x) => x.min(0, true).values],
    ['cumsum dim 1', [3, 4], (x) => x.cumsum(1)],
    ['cumsum dim 0 of 3-D', [3, 2, 4], (x) => x.cumsum(0)],
    ['cumprod dim 1', [3, 4], (x) => x.cumprod(1)],
    ['cumprod dim 0', [4, 3], (x) => x.cumprod(0)],
    ['cumsum then square (non-linear upstream)', [2, 5], (x) => x.cumsum(-1).square()],
  ];
  for (const [name, shape, fn] of cases) test(name, async () => gradcheck(fn, [input(shape)]));

  test('cumprod through zeros: one, two, and at the ends of a row', async () => {
    const data = [2, 0, 3, 4, 0.5, 0, 1.5, 2, -1, 3, 1, 2, 0, 0, 5, -1, 0.5, 2, 3, 0];
    await gradcheck((x) => x.cumprod(1), [input([4, 5], data)]);
    await gradcheck((x) => x.cumprod(0).mul(x), [input([5, 4], data)]);
  });
});

describe('gradcheck: norm, repeat, viewAs, bmm, outer', () => {
  const cases: [string, number[], Fn][] = [
    ['norm default (fro)', [3, 4], (x) => x.norm()],
    ['norm p=1 dim 1', [3, 4], (x) => x.norm(1, 1)],
    ['norm p=2 dims [0,2] keepdim', [2, 3, 4], (x) => x.norm(2, [0, 2], true)],
    ['norm p=3 dim 0', [3, 4], (x) => x.norm(3, 0)],
    ['norm p=0.5', [3, 4], (x) => x.norm(0.5, -1)],
    ['norm p=1.5', [3, 4], (x) => x.norm(1.5, -1)],
    ['norm p=inf (no ties)', [3, 4], (x) => x.norm(Infinity, 1)],
    ['norm p=-inf (no ties)', [3, 4], (x) => x.norm(-Infinity, 1)],
    ['repeat (2, 1, 2)', [2, 3], (x) => x.repeat(2, 1, 2)],
    ['repeat a vector (3, 2)', [4], (x) => x.repeat([3, 2])],
    ['viewAs', [2, 6], (x) => x.viewAs(x.newZeros([3, 4])).exp()],
    ['outer with itself', [4], (x) => x.outer(x.mul(2))],
  ];
  for (const [name, shape, fn] of cases) test(name, async () => gradcheck(fn, [input(shape)]));
  test('bmm, both inputs', async () => gradcheck((a, b) => a.bmm(b), [input([3, 2, 4]), input([3, 4, 5], undefined, -2, 2, 9)]));
});
