import { describe, test } from 'vitest';
import { cat, stack, tensor, type Tensor } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

type Fn = (x: Tensor) => Tensor;

// Each view/layout op is followed by a product with a fixed tensor of the result's shape through
// the weighted sum, so a gradient routed to the wrong element is caught.
describe('gradcheck: shape ops', () => {
  const cases: [string, number[], Fn][] = [
    ['reshape', [2, 3, 4], (x) => x.reshape(4, 6)],
    ['reshape with -1', [2, 3, 4], (x) => x.reshape([-1, 3])],
    ['view', [2, 6], (x) => x.view(3, 4)],
    ['flatten all', [2, 3, 4], (x) => x.flatten()],
    ['flatten 1..2', [2, 3, 4], (x) => x.flatten(1)],
    ['squeeze all', [2, 1, 3, 1], (x) => x.squeeze()],
    ['squeeze dim', [2, 1, 3, 1], (x) => x.squeeze(1)],
    ['unsqueeze', [2, 3], (x) => x.unsqueeze(1)],
    ['unsqueeze -1 of a scalar', [], (x) => x.unsqueeze(-1)],
    ['transpose', [2, 3, 4], (x) => x.transpose(0, 2)],
    ['permute', [2, 3, 4], (x) => x.permute(2, 0, 1)],
    ['permute (array form)', [2, 3, 4], (x) => x.permute([1, 2, 0])],
    ['T of a matrix', [3, 4], (x) => x.T],
    ['T of a 3-D tensor', [2, 3, 4], (x) => x.T],
    ['expand a size-1 dim', [3, 1], (x) => x.expand(3, 4)],
    ['expand with new leading dims and -1', [1, 3], (x) => x.expand([2, 4, -1])],
    ['expand a scalar', [], (x) => x.expand(2, 3)],
    ['chain: permute, reshape, transpose', [2, 3, 4], (x) => x.permute(1, 0, 2).reshape(3, 8).transpose(0, 1).mul(x.sum())],
  ];
  for (const [name, shape, fn] of cases) test(name, async () => gradcheck(fn, [input(shape)]));
});

describe('gradcheck: slicing and indexing', () => {
  const x = input([4, 5]);
  const cases: [string, Fn][] = [
    ['slice dim 0', (t) => t.slice(0, 1, 3)],
    ['slice with step', (t) => t.slice(1, 0, 5, 2)],
    ['slice with negative bounds', (t) => t.slice(1, -4, -1)],
    ['slice with negative bounds and step 3', (t) => t.slice(0, -4, null, 3)],
    ['slice out-of-range end clamps', (t) => t.slice(1, 2, 100)],
    ['narrow', (t) => t.narrow(1, 1, 3)],
    ['narrow negative start', (t) => t.narrow(0, -2, 2)],
    ['select', (t) => t.select(1, 2)],
    ['select negative index', (t) => t.select(0, -1)],
    ['select the same row twice (accumulates)', (t) => t.select(0, 1).mul(t.select(0, 1))],
  ];
  for (const [name, fn] of cases) test(name, async () => gradcheck(fn, [x]));

  test('gather along each dim, with repeated indices', async () => {
    const i0 = tensor([[0, 3, 3, 1, 0], [2, 2, 0, 1, 3]], { dtype: 'int32' });
    const i1 = tensor([[4, 4], [0, 1], [2, 2], [3, 0]], { dtype: 'int32' });
    await gradcheck((t) => t.gather(0, i0), [x]);
    await gradcheck((t) => t.gather(1, i1), [x]);
    await gradcheck((t) => t.gather(-1, i1.slice(0, 0, 2)), [x]);
    i0.dispose();
    i1.dispose();
  });

  test('indexSelect along each dim, with repeated indices and a 0-D index', async () => {
    const idx = tensor([3, 0, 3], { dtype: 'int32' });
    await gradcheck((t) => t.indexSelect(0, idx), [x]);
    await gradcheck((t) => t.indexSelect(1, idx), [x]);
    const one = tensor(2, { dtype: 'int32' });
    await gradcheck((t) => t.indexSelect(1, one), [x]);
    idx.dispose();
    one.dispose();
  });
});

describe('gradcheck: cat and stack', () => {
  test('cat along dim 0, dim 1 and a negative dim, three inputs', async () => {
    const a = input([2, 3], undefined, -2, 2, 1);
    const b = input([1, 3], undefined, -2, 2, 2);
    const c = input([2, 2], undefined, -2, 2, 4);
    await gradcheck((p, q) => cat([p, q, p], 0), [a, b]);
    await gradcheck((p, r) => cat([p, r], 1), [a, c]);
    await gradcheck((p, r) => cat([r, p], -1), [a, c]);
  });

  test('stack along a new first, middle and last dim', async () => {
    const a = input([2, 3], undefined, -2, 2, 1);
    const b = input([2, 3], undefined, -2, 2, 2);
    for (const d of [0, 1, 2, -1]) await gradcheck((p, q) => stack([p, q], d), [a, b]);
  });
});
