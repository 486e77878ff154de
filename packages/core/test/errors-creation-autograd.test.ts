import { describe, test } from 'vitest';
import {
  DTypeError, ShapeError, ValueError, arange, eye, full, manualSeed, rand, randint, randn, tensor, zeros,
} from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

describe('errors: creation', () => {
  test('tensor(): ragged arrays, shape mismatch, bad dtype, non-integer int32, non-numbers', () => {
    expectCleanThrow(() => tensor([[1, 2], [3]]), ShapeError, /tensor: ragged nested array: expected 2 elements at depth 1, got 1/);
    expectCleanThrow(() => tensor([[1, 2], 3]), ShapeError, /tensor: ragged nested array/);
    expectCleanThrow(() => tensor([[[1], [2]], [3, 4]]), ShapeError, /tensor: ragged nested array: a number at depth 2, arrays expected/);
    expectCleanThrow(() => tensor([[1, 2], [[3, 4], [5, 6]]]), ShapeError, /tensor: ragged nested array: an array at depth 2, numbers expected/);
    expectCleanThrow(() => tensor([1, [2, 3]]), ShapeError, /tensor: ragged nested array: an array at depth 1, numbers expected/);
    expectCleanThrow(() => tensor([1, [2]]), ShapeError, /tensor: ragged nested array: an array at depth 1, numbers expected/);
    expectCleanThrow(() => tensor([1, 2, 3], { shape: [2, 2] }), ShapeError, /tensor: shape \[2, 2\] needs 4 elements, got 3/);
    expectCleanThrow(() => tensor([1], { dtype: 'int8' as never }), DTypeError, /tensor: unknown dtype "int8"/);
    expectCleanThrow(() => tensor([1, 2.5], { dtype: 'int32' }), ValueError, /tensor: int32 data must be integers, got 2.5 at index 1/);
    expectCleanThrow(() => tensor(['a'] as never), ValueError, /tensor: expected numbers or booleans, got string/);
    expectCleanThrow(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), DTypeError, /tensor: only floating-point tensors can require gradients, got dtype int32/);
  });

  test('full/zeros/eye: bad shapes and sizes', () => {
    expectCleanThrow(() => zeros([2, -1]), ShapeError, /zeros: shape must be an array of non-negative integers, got \[2,-1\]/);
    expectCleanThrow(() => full([1.5], 0), ShapeError, /full: shape must be an array of non-negative integers, got \[1.5\]/);
    expectCleanThrow(() => eye(-1), ValueError, /eye: n and m must be non-negative integers, got -1 and -1/);
    expectCleanThrow(() => eye(2, 1.5), ValueError, /eye: n and m must be non-negative integers, got 2 and 1.5/);
  });

  test('arange: non-finite bounds, step 0, step of the wrong sign', () => {
    expectCleanThrow(() => arange(Infinity), ValueError, /arange: end must be a finite number, got Infinity/);
    expectCleanThrow(() => arange(0, NaN), ValueError, /arange: end must be a finite number, got NaN/);
    expectCleanThrow(() => arange(0, 5, 0), ValueError, /arange: step must be nonzero/);
    expectCleanThrow(() => arange(0, 5, -1), ValueError, /arange: the range from 0 to 5 is inconsistent with the sign of step -1/);
    expectCleanThrow(() => arange(5, 0), ValueError, /arange: the range from 5 to 0 is inconsistent with the sign of step 1/);
  });

  test('random creation: dtypes and ranges', () => {
    expectCleanThrow(() => rand([2], { dtype: 'int32' }), DTypeError, /rand: dtype must be float32 or float64, got int32/);
    expectCleanThrow(() => randn([2], { dtype: 'bool' }), DTypeError, /randn: dtype must be float32 or float64, got bool/);
    expectCleanThrow(() => randint(3, 3, [2]), ValueError, /randint: expected integers low < high, got low=3, high=3/);
    expectCleanThrow(() => randint(0, 1.5, [2]), ValueError, /randint: expected integers low < high, got low=0, high=1.5/);
    expectCleanThrow(() => manualSeed(-1), ValueError, /manualSeed: seed must be a non-negative safe integer, got -1/);
  });
});

describe('errors: backward and gradients', () => {
  test('backward without a gradient on a non-scalar, and a gradient of the wrong shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const g = tensor([1, 1, 1]);
    expectCleanThrow(() => y.backward(), ShapeError, /backward: grad can be implicitly created only for scalar outputs; got shape \[2\]/, [x, y]);
    expectCleanThrow(() => y.backward(g), ShapeError, /backward: gradient has shape \[3\], expected the output's shape \[2\]/, [x, y, g]);
  });

  test('backward of a tensor outside the graph', () => {
    const x = tensor([1, 2]);
    expectCleanThrow(() => x.backward(), ValueError, /backward: the tensor does not require grad/, [x]);
    const s = tensor(3);
    expectCleanThrow(() => s.backward(), ValueError, /backward: the tensor does not require grad and has no gradFn/, [s]);
  });

  test('a second backward through a freed graph changes no .grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expectCleanThrow(() => y.backward(), ValueError, /backward: trying to backward through the graph a second time \(through 'sum'\); pass \{ retainGraph: true \}/, [x, y]);
  });

  test('assigning a .grad of the wrong shape, dtype or type', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const g3 = tensor([1, 2, 3]);
    const gi = tensor([1, 2], { dtype: 'int32' });
    expectCleanThrow(() => { x.grad = g3; }, ShapeError, /grad: assigned grad has shape \[3\], expected \[2\]/, [x, g3]);
    expectCleanThrow(() => { x.grad = gi; }, DTypeError, /grad: assigned grad has dtype int32, expected float32/, [x, gi]);
    expectCleanThrow(() => { x.grad = [1, 2] as never; }, ValueError, /grad: assigned value must be a Tensor or null/, [x]);
  });

  test('in-place update of a leaf that requires grad, and requiresGrad_ on ints', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const i = tensor([1], { dtype: 'int32' });
    expectCleanThrow(() => p.mul_(2), ValueError, /mul_: a tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in noGrad\(\)/, [p]);
    expectCleanThrow(() => i.requiresGrad_(), DTypeError, /requiresGrad_: only floating-point tensors can require gradients, got dtype int32/, [i]);
  });
});
