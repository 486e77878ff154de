import { describe, expect, test } from 'vitest';
import { tensor, type Tensor } from '@logit/core';
import { gradAt } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

// At non-differentiable points finite differences are meaningless; PyTorch's conventions are
// asserted exactly instead (weights of 1 so the gradient is the plain local derivative).
const ones = (n: number): number[] => new Array<number>(n).fill(1);

describe('gradients at kinks follow PyTorch', () => {
  test("relu'(0) = 0 and abs'(0) = 0", async () => {
    expect(await gradAt((x) => x.relu(), [-1, 0, 2], [3], ones(3))).toEqual([0, 0, 1]);
    expect(await gradAt((x) => x.abs(), [-1, 0, 2], [3], ones(3))).toEqual([-1, 0, 1]);
  });

  test('maximum and minimum split a tie 0.5 / 0.5', async () => {
    const a = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1, 5, 0], { dtype: 'float64', requiresGrad: true });
    a.maximum(b).sum().backward();
    expect(await a.grad!.tolist()).toEqual([0.5, 0, 1]);
    expect(await b.grad!.tolist()).toEqual([0.5, 1, 0]);
    a.grad = null;
    b.grad = null;
    a.minimum(b).sum().backward();
    expect(await a.grad!.tolist()).toEqual([0.5, 1, 0]);
    expect(await b.grad!.tolist()).toEqual([0.5, 0, 1]);
    // a number operand equal to the value: the tensor side gets half
    expect(await gradAt((x) => x.maximum(1), [1, 2, 0], [3], ones(3))).toEqual([0.5, 1, 0]);
  });

  test('clamp passes the gradient at its bounds and blocks it outside', async () => {
    expect(await gradAt((x) => x.clamp(-1, 1), [-2, -1, 0, 1, 2], [5], ones(5))).toEqual([0, 1, 1, 1, 0]);
    expect(await gradAt((x) => x.clamp(0), [-1, 0, 1], [3], ones(3))).toEqual([0, 1, 1]);
    expect(await gradAt((x) => x.clamp(null, 0), [-1, 0, 1], [3], ones(3))).toEqual([1, 1, 0]);
  });

  test('amax/amin and max() share the gradient evenly among ties', async () => {
    expect(await gradAt((x) => x.amax(), [1, 3, 3, 2], [4], [1])).toEqual([0, 0.5, 0.5, 0]);
    expect(await gradAt((x) => x.max(), [1, 3, 3, 3], [4], [1])).toEqual([0, 1 / 3, 1 / 3, 1 / 3]);
    expect(await gradAt((x) => x.amin(1), [2, 1, 1, 4, 4, 5], [2, 3], [1, 1])).toEqual([0, 0.5, 0.5, 0.5, 0.5, 0]);
    expect(await gradAt((x) => x.amax([0, 1]), [7, 1, 7, 7], [2, 2], [1])).toEqual([1 / 3, 0, 1 / 3, 1 / 3]);
  });

  test('max(dim)/min(dim) give the whole gradient to the index argmax/argmin chose', async () => {
    const x = tensor([[1, 3, 3], [5, 5, 0]], { dtype: 'float64' });
    expect(await x.argmax(1).tolist()).toEqual([1, 0]);
    x.dispose();
    expect(await gradAt((t) => t.max(1).values, [1, 3, 3, 5, 5, 0], [2, 3], [1, 1])).toEqual([0, 1, 0, 1, 0, 0]);
    expect(await gradAt((t) => t.min(0).values, [2, 1, 4, 2, 1, 0], [2, 3], [1, 1, 1])).toEqual([1, 1, 0, 0, 0, 1]);
  });

  test('piecewise-constant ops give exactly zero, also at their steps', async () => {
    for (const f of [(x: Tensor) => x.sign(), (x: Tensor) => x.floor(), (x: Tensor) => x.ceil(), (x: Tensor) => x.round()]) {
      expect(await gradAt(f, [-1.5, 0, 0.5, 2], [4], ones(4))).toEqual([0, 0, 0, 0]);
    }
  });

  test('pow at zero: d/da x^2 = 0 and the exponent gets 0 where the base is 0 (PyTorch masking)', async () => {
    expect(await gradAt((x) => x.pow(2), [0, 3], [2], ones(2))).toEqual([0, 6]);
    const a = tensor([0, 0, 2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([0, 2, 0], { dtype: 'float64', requiresGrad: true });
    a.pow(b).sum().backward();
    expect(await a.grad!.tolist()).toEqual([0, 0, 0]);
    expect(await b.grad!.tolist()).toEqual([0, 0, Math.log(2)]);
  });
});
