import { describe, expect, test } from 'vitest';
import { DTypeError, IndexError, ShapeError, ValueError, nn, tensor, type Tensor } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

// MaxUnpool2d/1d: values and gradients against PyTorch are conformance's (tools/goldens/ops.py on
// every backend); here the round trip with max pooling, Logit's rule for a position written
// twice, outputSize, and the errors.

const F = nn.functional;
const values = (t: Tensor): number[] => Array.from(t.dataSync());

describe('max unpooling', () => {
  test('puts each max back where max pooling found it, zeros elsewhere; the gradient is gathered', () => {
    const x = tensor([[[[1, 5, 2, 0, 4], [3, 4, 9, 8, 1], [7, 7, 1, 1, 2], [6, 0, 1, 2, 3]]]], { requiresGrad: true });
    const [y, where] = new nn.MaxPool2d(2, { returnIndices: true }).forward(x);
    const unpool = new nn.MaxUnpool2d(2);
    // the default output size, (2 - 1) * 2 + 2 = 4 columns, cannot hold the 9 found in column 3
    expect(() => unpool.forward(y, where)).toThrow(/^MaxUnpool2d: index 18 is out of bounds for an output plane of 4x4/);
    const back = unpool.forward(y, where, [4, 5]);
    expect(back.shape).toEqual([1, 1, 4, 5]);
    expect(values(back)).toEqual([0, 5, 0, 0, 0, 0, 0, 9, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
    back.mul(tensor([[[[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20]]]])).sum().backward();
    // through the unpooling (gather at the indices) and the pooling (scatter to the argmax)
    expect(values(x.grad!)).toEqual([0, 2, 0, 0, 0, 0, 0, 8, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0, 19, 0]);
  });

  test('a position named twice keeps the later value; both values get its gradient', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6]]]], { requiresGrad: true });
    const i = tensor([[[[0, 0, 5], [5, 1, 0]]]], { dtype: 'int32' });
    const y = F.maxUnpool2d(x, i, 2);
    expect(y.shape).toEqual([1, 1, 4, 6]);
    expect(values(y).slice(0, 6)).toEqual([6, 5, 0, 0, 0, 4]);
    y.mul(tensor(Array.from({ length: 24 }, (_, k) => k + 1)).reshape([1, 1, 4, 6])).sum().backward();
    expect(values(x.grad!)).toEqual([1, 1, 6, 6, 2, 1]);
  });

  test('1-D, unbatched, and outputSize as (L) or the whole shape', () => {
    const [y, where] = F.maxPool1d(tensor([[3, 1, 2, 8, 8, 0, 5]]), 2, { returnIndices: true });
    expect(values(F.maxUnpool1d(y, where, 2))).toEqual([3, 0, 0, 8, 8, 0]);
    expect(values(F.maxUnpool1d(y, where, 2, { outputSize: [7] }))).toEqual([3, 0, 0, 8, 8, 0, 0]);
    // (N, C, L) also names L; (C, L) does not, as in PyTorch's _unpool_output_size
    expect(new nn.MaxUnpool1d(2).forward(y, where, [5, 1, 7]).shape).toEqual([1, 7]);
    expect(() => F.maxUnpool1d(y, where, 2, { outputSize: [1, 7] })).toThrow(/^maxUnpool1d: outputSize must hold 1 or 3 non-negative integers, got \[1, 7\]$/);
  });

  test('bad input: a clear error, nothing changed', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    const far = tensor([[[[0, 16], [2, 5]]]], { dtype: 'int32' });
    expectCleanThrow(() => F.maxUnpool2d(x, far, 2), IndexError, /^maxUnpool2d: index 16 is out of bounds for an output plane of 4x4 \(expected 0 <= index < 16\)$/, [x, far]);
    const floats = tensor([[[[0, 1], [2, 3]]]]);
    expectCleanThrow(() => F.maxUnpool2d(x, floats, 2), DTypeError, /^maxUnpool2d: indices must be int32/, [x, floats]);
    const short = tensor([[[[0, 1]]]], { dtype: 'int32' });
    expectCleanThrow(() => F.maxUnpool2d(x, short, 2), ShapeError, /^maxUnpool2d: indices must have the input's shape \[1, 1, 2, 2\], got \[1, 1, 1, 2\]$/, [x, short]);
    const ok = tensor([[[[0, 1], [2, 3]]]], { dtype: 'int32' });
    expectCleanThrow(() => F.maxUnpool2d(x, ok, 2, { outputSize: [6, 4] }), ValueError, /^maxUnpool2d: invalid outputSize \[6, 4\] \(dim 0 must be between 2 and 6, exclusive\)$/, [x, ok]);
    expect(() => F.maxUnpool2d(x, ok, 2, { output_size: [4, 4] } as never)).toThrow(/did you mean 'outputSize'/);
    const flat = tensor([1, 2]);
    const flatIdx = tensor([0, 1], { dtype: 'int32' });
    expectCleanThrow(() => F.maxUnpool2d(flat, flatIdx, 2), ShapeError, /^maxUnpool2d: expected a 3-D \(C, H, W\) or 4-D/, [flat, flatIdx]);
  });
});
