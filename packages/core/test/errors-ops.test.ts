import { describe, test } from 'vitest';
import { needs } from './helpers/needs.js';
import {
  DTypeError, IndexError, ShapeError, ValueError, cat, clamp, logSoftmax, matmul, softmax, stack, tensor, where,
} from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

const a23 = () => tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });

describe('errors: elementwise and broadcasting', () => {
  test('incompatible shapes name the op and both shapes', () => {
    const a = a23();
    const b = tensor([1, 2, 3, 4]);
    expectCleanThrow(() => a.add(b), ShapeError, /add: shapes \[2, 3\] and \[4\] cannot be broadcast together \(dimension -1: 3 vs 4/, [a, b]);
    const col = tensor([[1], [2], [3]]);
    const c2 = tensor([true, false]);
    expectCleanThrow(() => a.mul(col), ShapeError, /mul: shapes \[2, 3\] and \[3, 1\]/, [a, col]);
    expectCleanThrow(() => a.lt(b), ShapeError, /lt: shapes \[2, 3\] and \[4\]/, [a, b]);
    expectCleanThrow(() => where(c2, a, 0), ShapeError, /where: shapes \[2\] and \[2, 3\]/, [a, c2]);
  });

  test('dtypes an op cannot take', () => {
    const a = a23();
    const i = tensor([1, 0, 1], { dtype: 'int32' });
    const bl = tensor([true, false]);
    expectCleanThrow(() => where(i, a, 0), DTypeError, /where: condition must have dtype bool, got int32/, [a, i]);
    expectCleanThrow(() => bl.add(bl), DTypeError, /add: not supported for two bool tensors/, [bl]);
    expectCleanThrow(() => bl.neg(), DTypeError, /neg: not supported for bool tensors \(got dtype bool\)/, [bl]);
  });

  test('clamp without bounds', () => {
    const a = a23();
    expectCleanThrow(() => clamp(a), ValueError, /clamp: at least one of min and max must be given/, [a]);
  });
});

describe('errors: reductions and dims', () => {
  test('dims out of range, repeated dims', () => {
    const a = a23();
    expectCleanThrow(() => a.sum(2), IndexError, /sum: dim 2 is out of range for a tensor of rank 2 \(expected a dim in \[-2, 1\]\)/, [a]);
    expectCleanThrow(() => a.mean([0, -2]), ValueError, /mean: dim \[0,-2\] repeats a dimension/, [a]);
    expectCleanThrow(() => a.max(-3), IndexError, /max: dim -3 is out of range for a tensor of rank 2/, [a]);
    expectCleanThrow(() => a.amin([0, 5]), IndexError, /amin: dim 5 is out of range/, [a]);
    expectCleanThrow(() => a.argmax(2), IndexError, /argmax: dim 2 is out of range/, [a]);
    expectCleanThrow(() => a.logsumexp(4), IndexError, /logsumexp: dim 4 is out of range/, [a]);
  });

  test('empty reductions without identity, wrong dtypes', () => {
    const e = tensor(new Float32Array(0), { shape: [0, 2] });
    const i = tensor([1, 2], { dtype: 'int32' });
    const b = tensor([true]);
    expectCleanThrow(() => e.amax(0), IndexError, /amax: cannot reduce over dim 0 of size 0 \(input shape \[0, 2\]\)/, [e]);
    expectCleanThrow(() => e.max(0), IndexError, /max: cannot reduce over dim 0 of size 0/, [e]);
    expectCleanThrow(() => e.argmax(), IndexError, /argmax: cannot reduce over dim 0 of size 0/, [e]);
    expectCleanThrow(() => i.mean(), DTypeError, /mean: input dtype must be floating point, got int32/, [i]);
    expectCleanThrow(() => b.argmax(), DTypeError, /argmax: not supported for bool tensors/, [b]);
    expectCleanThrow(() => b.amax(), DTypeError, /amax: not supported for bool tensors/, [b]);
  });
});

describe('errors: matmul', () => {
  test('shapes, ranks and dtypes', (ctx) => {
    needs(ctx, 'float64');
    const a = a23();
    const b = tensor(new Float32Array(20), { shape: [4, 5] });
    expectCleanThrow(() => matmul(a, b), ShapeError, /matmul: shapes \[2, 3\] and \[4, 5\] cannot be multiplied \(3 columns vs 4 rows\)/, [a, b]);
    const v = tensor([1, 2]);
    const s = tensor(2);
    expectCleanThrow(() => a.matmul(v), ShapeError, /matmul: shapes \[2, 3\] and \[2\] cannot be multiplied/, [a, v]);
    expectCleanThrow(() => a.matmul(s), ShapeError, /matmul: both arguments need at least 1 dimension, got shapes \[2, 3\] and \[\]/, [a, s]);
    const x = tensor(new Float32Array(24), { shape: [2, 3, 4] });
    const y = tensor(new Float32Array(60), { shape: [3, 4, 5] });
    expectCleanThrow(() => x.matmul(y), ShapeError, /matmul: shapes \[2\] and \[3\] cannot be broadcast/, [x, y]);
    const i = tensor([[1, 2, 3]], { dtype: 'int32' }).T;
    expectCleanThrow(() => a.matmul(i), DTypeError, /matmul: expected floating-point inputs, got float32 and int32/, [a, i]);
    const d = tensor(new Float64Array(3));
    expectCleanThrow(() => a.matmul(d), DTypeError, /matmul: both inputs must have the same dtype, got float32 and float64/, [a, d]);
  });
});

describe('errors: shape ops', () => {
  test('reshape, view, permute, transpose, expand, flatten, squeeze, unsqueeze', () => {
    const a = a23();
    expectCleanThrow(() => a.reshape(4), ShapeError, /reshape: shape \[4\] is invalid for input of size 6/, [a]);
    expectCleanThrow(() => a.view(-1, -1), ShapeError, /view: invalid shape \[-1, -1\]/, [a]);
    expectCleanThrow(() => a.reshape(4, -1), ShapeError, /reshape: shape \[4, -1\] is invalid for input of size 6/, [a]);
    expectCleanThrow(() => a.permute(0), ShapeError, /permute: got 1 dims \[0\] for a tensor of rank 2/, [a]);
    expectCleanThrow(() => a.permute(1, 1), ValueError, /permute: dims \[1, 1\] repeat a dimension/, [a]);
    expectCleanThrow(() => a.transpose(0, 2), IndexError, /transpose: dim 2 is out of range for a tensor of rank 2/, [a]);
    expectCleanThrow(() => a.expand(4, 3), ShapeError, /expand: the size of dim 0 \(2\) must match the new size \(4\) unless it is 1; shape \[2, 3\] to \[4, 3\]/, [a]);
    expectCleanThrow(() => a.expand(3), ShapeError, /expand: the number of sizes \(1\) must be at least the tensor's rank \(2\)/, [a]);
    expectCleanThrow(() => a.flatten(1, 0), ValueError, /flatten: startDim \(1\) must not come after endDim \(0\)/, [a]);
    expectCleanThrow(() => a.squeeze(2), IndexError, /squeeze: dim 2 is out of range/, [a]);
    expectCleanThrow(() => a.unsqueeze(3), IndexError, /unsqueeze: dim 3 is out of range for a tensor of rank 3/, [a]);
    expectCleanThrow(() => a.size(2), IndexError, /size: dim 2 is out of range for rank 2/, [a]);
  });
});

describe('errors: index ops', () => {
  test('slice, narrow, select', () => {
    const a = a23();
    expectCleanThrow(() => a.slice(1, 0, 2, 0), ValueError, /slice: step must be a positive integer, got 0/, [a]);
    expectCleanThrow(() => a.slice(2, 0, 1), IndexError, /slice: dim 2 is out of range/, [a]);
    expectCleanThrow(() => a.narrow(1, 2, 2), IndexError, /narrow: start \(2\) \+ length \(2\) exceeds dimension size \(3\)/, [a]);
    expectCleanThrow(() => a.select(0, 2), IndexError, /select: index 2 is out of range for dim 0 of size 2/, [a]);
    expectCleanThrow(() => a.select(1, -4), IndexError, /select: index -4 is out of range for dim 1 of size 3/, [a]);
  });

  test('gather and indexSelect', () => {
    const a = a23();
    const fi = tensor([[0, 1]]);
    const big = tensor([[0, 7]], { dtype: 'int32' });
    const neg = tensor([-1], { dtype: 'int32' });
    const i2 = tensor([[0]], { dtype: 'int32' });
    expectCleanThrow(() => a.gather(1, fi), DTypeError, /gather: index must have dtype int32, got float32/, [a, fi]);
    expectCleanThrow(() => a.gather(1, big), IndexError, /gather: index 7 is out of bounds for dim 1 with size 3/, [a, big]);
    expectCleanThrow(() => a.gather(1, neg), ShapeError, /gather: index must have the same rank as the input \(2\), got shape \[1\]/, [a, neg]);
    expectCleanThrow(() => a.indexSelect(0, neg), IndexError, /indexSelect: index -1 is out of bounds for dim 0 with size 2/, [a, neg]);
    expectCleanThrow(() => a.indexSelect(0, i2), ShapeError, /indexSelect: index must be 0-D or 1-D, got shape \[1, 1\]/, [a, i2]);
  });

  test('cat and stack', () => {
    const a = a23();
    const b = tensor(new Float32Array(8), { shape: [2, 4] });
    expectCleanThrow(() => cat([a, b]), ShapeError, /cat: sizes must match except in dim 0; got \[2, 3\] and \[2, 4\]/, [a, b]);
    expectCleanThrow(() => cat([a, b], 2), IndexError, /cat: dim 2 is out of range/, [a, b]);
    expectCleanThrow(() => cat([]), ValueError, /cat: expected a non-empty array of tensors/);
    const s = tensor(1);
    expectCleanThrow(() => cat([s, s]), ShapeError, /cat: zero-dimensional tensors cannot be concatenated/, [s]);
    expectCleanThrow(() => stack([a, b]), ShapeError, /stack: all tensors must have the same shape, got \[2, 3\] and \[2, 4\]/, [a, b]);
    expectCleanThrow(() => stack([a, a], 3), IndexError, /stack: dim 3 is out of range for a tensor of rank 3/, [a]);
  });
});

describe('errors: softmax', () => {
  test('dims out of range, fused or not', () => {
    const a = a23();
    expectCleanThrow(() => softmax(a, 2), IndexError, /softmax: dim 2 is out of range for a tensor of rank 2/, [a]);
    expectCleanThrow(() => logSoftmax(a, -3), IndexError, /logSoftmax: dim -3 is out of range for a tensor of rank 2/, [a]);
  });
});
