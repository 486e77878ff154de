import { describe, expect, test } from 'vitest';
import { DTypeError, ShapeError, ValueError, nn, randn, tensor } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

// Issue 12's layers reject bad input with a typed error naming the op, what was given and what
// was expected, before anything changes (expectCleanThrow checks inputs and memory()).

const F = nn.functional;

describe('convolutions', () => {
  test('Conv1d', () => {
    const conv = new nn.Conv1d(3, 4, 3);
    const x = randn([2, 5, 8]);
    expectCleanThrow(() => conv.forward(x), ShapeError, /^Conv1d: input has 5 channels \(shape \[2, 5, 8\]\), expected 3/, [x]);
    const img = randn([1, 3, 4, 4]);
    expectCleanThrow(() => conv.forward(img), ShapeError, /^Conv1d: expected a 2-D \(C, L\) or 3-D \(N, C, L\) input, got shape \[1, 3, 4, 4\]$/, [img]);
    const short = randn([1, 3, 2]);
    expectCleanThrow(() => conv.forward(short), ShapeError, /^Conv1d: kernel size 3 .* larger than the padded input size 2/, [short]);
    expect(() => new nn.Conv1d(3, 4, [3, 3] as never)).toThrow(/^Conv1d: kernelSize must be an integer or a 1-tuple/);
    expect(() => new nn.Conv1d(3, 4, 3, { paddingMode: 'mirror' as never })).toThrow(/^Conv1d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got "mirror"$/);
    expect(() => new nn.Conv1d(3, 4, 3, { padding_mode: 'reflect' } as never)).toThrow(/did you mean 'paddingMode'/);
    expect(() => new nn.Conv1d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(/padding='same' is not supported for strided convolutions/);
  });

  test('padding modes check the padding against the input size', () => {
    const conv = new nn.Conv2d(1, 1, 3, { padding: 3, paddingMode: 'reflect' });
    const x = randn([1, 1, 3, 5]);
    expectCleanThrow(() => conv.forward(x), ShapeError, /^Conv2d: padding 3 with padding mode 'reflect' must be smaller than the input size 3 of dim 2/, [x]);
    const circ = new nn.Conv1d(1, 1, 2, { padding: 4, paddingMode: 'circular' });
    const y = randn([1, 1, 3]);
    expectCleanThrow(() => circ.forward(y), ShapeError, /^Conv1d: padding 4 with padding mode 'circular' must be at most the input size 3/, [y]);
  });

  test('ConvTranspose2d', () => {
    const up = new nn.ConvTranspose2d(4, 2, 3, { stride: 2 });
    const x = randn([1, 3, 5, 5]);
    expectCleanThrow(() => up.forward(x), ShapeError, /^ConvTranspose2d: input has 3 channels \(shape \[1, 3, 5, 5\]\), expected 4 \(weight \[4, 2, 3, 3\]\)$/, [x]);
    expect(() => new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(
      /^ConvTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding \[2, 2\], stride \[2, 2\], dilation \[1, 1\]$/,
    );
    expect(() => new nn.ConvTranspose2d(4, 2, 3, { paddingMode: 'reflect' as never })).toThrow(/only paddingMode 'zeros' is supported for transposed convolutions/);
    expect(() => new nn.ConvTranspose2d(4, 3, 3, { groups: 2 })).toThrow(/^ConvTranspose2d: outChannels \(3\) must be divisible by groups \(2\)$/);
    const shrink = new nn.ConvTranspose2d(1, 1, 1, { padding: 2 });
    const one = randn([1, 1, 2, 2]);
    expectCleanThrow(() => shrink.forward(one), ShapeError, /^ConvTranspose2d: the output size \[-2, -2\] is not positive/, [one]);
    const w = randn([4, 2, 3, 3]);
    const b = randn([4]);
    const xs = randn([1, 4, 3, 3]);
    expectCleanThrow(() => F.convTranspose2d(xs, w, b), ShapeError, /^convTranspose2d: bias must have shape \[2\], got \[4\]$/, [xs, w, b]);
    const xi = tensor([[[[1]]]], { dtype: 'int32' });
    const w1 = randn([1, 1, 1, 1]);
    expectCleanThrow(() => F.convTranspose2d(xi, w1), DTypeError, /^convTranspose2d: input must be floating point/, [xi, w1]);
  });
});

describe('pooling', () => {
  test('AvgPool2d, MaxPool1d and AdaptiveAvgPool2d', () => {
    expect(() => new nn.AvgPool2d(2, { padding: 2 })).toThrow(/^AvgPool2d: padding should be at most half of the kernel size/);
    expect(() => new nn.AvgPool2d(2, { divisorOverride: 0 })).toThrow(/^AvgPool2d: divisorOverride must be a non-zero integer or null, got 0$/);
    expect(() => new nn.AvgPool2d(2, { countIncludePadding: false } as never)).toThrow(/unknown option 'countIncludePadding'/);
    const avg = new nn.AvgPool2d(3);
    const small = randn([1, 1, 2, 5]);
    expectCleanThrow(() => avg.forward(small), ShapeError, /^AvgPool2d: kernel size 3 .* larger than the padded input size 2/, [small]);
    const pool = new nn.MaxPool1d(2);
    const img = randn([1, 2, 3, 4]);
    expectCleanThrow(() => pool.forward(img), ShapeError, /^MaxPool1d: expected a 2-D \(C, L\) or 3-D \(N, C, L\) input, got shape \[1, 2, 3, 4\]$/, [img]);
    expect(() => new nn.AdaptiveAvgPool2d(0)).toThrow(/^AdaptiveAvgPool2d: outputSize must be an integer >= 1, got 0$/);
    expect(() => new nn.AdaptiveAvgPool2d([1, 2, 3] as never)).toThrow(/outputSize must be an integer, null or a pair/);
    const empty = randn([1, 2, 0, 3]);
    expectCleanThrow(() => F.adaptiveAvgPool2d(empty, 2), ShapeError, /^adaptiveAvgPool2d: expected non-empty spatial dims/, [empty]);
  });
});

describe('normalisation, dropout, upsampling, unflatten', () => {
  test('BatchNorm2d and GroupNorm', () => {
    const bn = new nn.BatchNorm2d(3);
    const x = randn([2, 3, 4]);
    expectCleanThrow(() => bn.forward(x), ShapeError, /^BatchNorm2d: expected 4D \(N, C, H, W\) input, got shape \[2, 3, 4\]$/, [x, bn.runningMean!]);
    const one = randn([1, 3, 1, 1]);
    expectCleanThrow(() => bn.forward(one), ValueError, /^BatchNorm2d: expected more than 1 value per channel when training/, [one, bn.runningMean!, bn.numBatchesTracked!]);
    expect(() => new nn.GroupNorm(4, 6)).toThrow(/^GroupNorm: numChannels \(6\) must be divisible by numGroups \(4\)$/);
    const gn = new nn.GroupNorm(2, 4);
    const bad = randn([2, 6, 3]);
    expectCleanThrow(() => gn.forward(bad), ShapeError, /^GroupNorm: input has 6 channels in dim 1, expected 4 \(shape \[2, 6, 3\]\)$/, [bad]);
    expectCleanThrow(() => F.groupNorm(bad, 4), ValueError, /^groupNorm: the number of channels \(6\) must be divisible by numGroups \(4\)/, [bad]);
    const w = randn([3]);
    const y = randn([2, 4, 3]);
    expectCleanThrow(() => F.groupNorm(y, 2, w), ShapeError, /^groupNorm: weight must have shape \[4\]/, [y, w]);
  });

  test('Dropout2d, Upsample and Unflatten', () => {
    expect(() => new nn.Dropout2d(1.5)).toThrow(/^Dropout2d: dropout probability has to be between 0 and 1, but got 1.5$/);
    const flat = randn([4, 5]);
    expectCleanThrow(() => new nn.Dropout2d(0.5).forward(flat), ShapeError, /^dropout2d: expected a 4-D \(N, C, H, W\) or 3-D \(N, C, L\) input, got shape \[4, 5\]$/, [flat]);
    expect(() => new nn.Upsample({ size: 4, scaleFactor: 2 })).toThrow(/^Upsample: give exactly one of size and scaleFactor$/);
    expect(() => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' as never })).toThrow(/^Upsample: mode 'bilinear' is not supported yet; only 'nearest' is$/);
    expect(() => new nn.Upsample({ scaleFactor: 2, alignCorners: true })).toThrow(/option 'alignCorners' is not supported yet/);
    const img = randn([1, 2, 3, 3]);
    expectCleanThrow(() => F.interpolate(img, { size: [4, 4, 4] }), ValueError, /^interpolate: size must be a positive integer or 2 of them for input with 2 spatial dim\(s\)/, [img]);
    expectCleanThrow(() => F.interpolate(img, { scaleFactor: 0.1 }), ValueError, /^interpolate: the output size \[0, 0\] must be positive/, [img]);
    const u = new nn.Unflatten(1, [4, -1]);
    const odd = randn([2, 6]);
    expectCleanThrow(() => u.forward(odd), ShapeError, /^Unflatten: sizes \[4, -1\] do not multiply to the size 6 of dim 1 \(input shape \[2, 6\]\)$/, [odd]);
    expect(() => new nn.Unflatten(1, [-1, -1])).toThrow(/only one size may be -1/);
  });
});
