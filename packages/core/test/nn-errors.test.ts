import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { DTypeError, ShapeError, ValueError, nn, randn, tensor } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

const F = nn.functional;

describe('layers reject bad input with a clear error, before any state changes', () => {
  test('Linear', (ctx) => {
    needs(ctx, 'float64');
    const fc = new nn.Linear(4, 3);
    const x = randn([2, 5]);
    expectCleanThrow(() => fc.forward(x), ShapeError, /^Linear: input has 5 features in its last dim, expected 4 \(shape \[2, 5\]\)$/, [x, fc.weight]);
    const xi = tensor([[1, 2, 3, 4]], { dtype: 'int32' });
    expectCleanThrow(() => fc.forward(xi), DTypeError, /^Linear: input must be floating point .* got dtype int32/, [xi]);
    const x64 = randn([2, 4], { dtype: 'float64' });
    expectCleanThrow(() => fc.forward(x64), DTypeError, /^Linear: weight has dtype float32 but the input has dtype float64/, [x64]);
    const s = tensor(1);
    expectCleanThrow(() => fc.forward(s), ShapeError, /^Linear: input must have at least 1 dimension/, [s]);
    expect(() => new nn.Linear(-1, 3)).toThrow(/^Linear: inFeatures must be an integer >= 0, got -1$/);
    expect(() => new nn.Linear(2.5, 3)).toThrow(ValueError);
    expect(() => new nn.Linear(2, 3, { dtype: 'int32' as never })).toThrow(DTypeError);
    const w = randn([3, 4]);
    const b = randn([4]);
    const x2 = randn([2, 4]);
    const w1 = randn([4]);
    expectCleanThrow(() => F.linear(x2, w, b), ShapeError, /^linear: bias must have shape \[3\], got \[4\]$/, [x2, w, b]);
    expectCleanThrow(() => F.linear(x2, w1), ShapeError, /^linear: weight must be 2-D/, [x2, w1]);
  });

  test('Conv2d', () => {
    const conv = new nn.Conv2d(3, 4, 3);
    const x = randn([2, 5, 8, 8]);
    expectCleanThrow(() => conv.forward(x), ShapeError, /^Conv2d: input has 5 channels \(shape \[2, 5, 8, 8\]\), expected 3/, [x]);
    const flat = randn([2, 3]);
    expectCleanThrow(() => conv.forward(flat), ShapeError, /^Conv2d: expected a 3-D \(C, H, W\) or 4-D \(N, C, H, W\) input, got shape \[2, 3\]$/, [flat]);
    const small = randn([1, 3, 2, 8]);
    expectCleanThrow(() => conv.forward(small), ShapeError, /^Conv2d: kernel size 3 .* larger than the padded input size 2/, [small]);
    expect(() => new nn.Conv2d(3, 4, 0)).toThrow(/^Conv2d: kernelSize must be an integer >= 1, got 0$/);
    expect(() => new nn.Conv2d(3, 4, [3, 3, 3] as never)).toThrow(/kernelSize must be an integer or a pair/);
    expect(() => new nn.Conv2d(3, 4, 3, { stride: 0 })).toThrow(ValueError);
    expect(() => new nn.Conv2d(3, 4, 3, { padding: -1 })).toThrow(/padding must be an integer >= 0/);
    expect(() => new nn.Conv2d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(/padding='same' is not supported for strided convolutions/);
    expect(() => new nn.Conv2d(3, 4, 3, { padding: 'full' as never })).toThrow(ValueError);
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/^Conv2d: inChannels \(3\) must be divisible by groups \(2\)$/);
    expect(() => new nn.Conv2d(4, 3, 3, { groups: 2 })).toThrow(/outChannels \(3\) must be divisible by groups \(2\)/);
    const w = randn([4, 3, 3]);
    const img = randn([1, 3, 5, 5]);
    expectCleanThrow(() => F.conv2d(img, w), ShapeError, /^conv2d: weight must be 4-D/, [img, w]);
  });

  test('MaxPool2d', () => {
    expect(() => new nn.MaxPool2d(2, { padding: 2 })).toThrow(/padding should be at most half of the kernel size/);
    expect(() => new nn.MaxPool2d(0)).toThrow(ValueError);
    const pool = new nn.MaxPool2d(3);
    const x = randn([4, 4]);
    expectCleanThrow(() => pool.forward(x), ShapeError, /^MaxPool2d: expected a 3-D .* got shape \[4, 4\]$/, [x]);
    const small = randn([1, 1, 2, 5]);
    expectCleanThrow(() => pool.forward(small), ShapeError, /^MaxPool2d: kernel size 3 .* larger than the padded input size 2/, [small]);
  });

  test('BatchNorm1d', () => {
    const bn = new nn.BatchNorm1d(3);
    const x4 = randn([2, 3, 4, 4]);
    expectCleanThrow(() => bn.forward(x4), ShapeError, /^BatchNorm1d: expected 2D \(N, C\) or 3D \(N, C, L\) input, got shape \[2, 3, 4, 4\]$/, [x4]);
    const wrong = randn([4, 5]);
    expectCleanThrow(() => bn.forward(wrong), ShapeError, /^BatchNorm1d: input has 5 channels in dim 1, expected 3/, [wrong]);
    // one value per channel cannot be normalised in training; the counter must not move
    const one = randn([1, 3]);
    const state = [bn.runningMean!, bn.runningVar!, bn.numBatchesTracked!];
    expectCleanThrow(() => bn.forward(one), ValueError, /expected more than 1 value per channel when training, got input of shape \[1, 3\]/, [one, ...state]);
    expect(bn.numBatchesTracked!.itemSync()).toBe(0);
    bn.eval();
    expect(bn.forward(one).shape).toEqual([1, 3]);
    expect(() => new nn.BatchNorm1d(0)).toThrow(ValueError);
    expect(() => new nn.BatchNorm1d(3, { eps: -1 })).toThrow(/eps must be a non-negative number/);
    const rm = randn([4]);
    const rv = randn([3]);
    const x2 = randn([2, 3]);
    expectCleanThrow(() => F.batchNorm(x2, rm, rv), ShapeError, /^batchNorm: runningMean must have shape \[3\]/, [x2, rm, rv]);
    expectCleanThrow(() => F.batchNorm(x2, null, null), ValueError, /required when training is false/, [x2]);
  });

  test('activations', () => {
    expect(() => new nn.GELU({ approximate: 'fast' as never })).toThrow(/^GELU: approximate must be 'none' or 'tanh', got "fast"$/);
    expect(() => new nn.LeakyReLU(NaN)).toThrow(ValueError);
    const xi = tensor([1, 2], { dtype: 'int32' });
    expectCleanThrow(() => F.gelu(xi), DTypeError, /^gelu: input must be floating point/, [xi]);
    expect(() => new nn.Softmax(2).forward(randn([2, 2]))).toThrow(/softmax/);
    expect(() => new nn.Flatten(3).forward(randn([2, 2]))).toThrow(/flatten/);
  });
});
