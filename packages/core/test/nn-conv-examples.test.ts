import { expect, test } from 'vitest';
import { nn, randn } from '@logit/core';

// The @example blocks of the convolution, pooling and normalisation layers' TSDoc (and their
// functional forms), run as written, plus checks of the shapes they claim.

test('Conv1d, Conv2d and ConvTranspose2d', () => {
  const conv = new nn.Conv2d(3, 8, 3, { padding: 1 });
  const y = conv.forward(randn([2, 3, 16, 16]));
  expect(y.shape).toEqual([2, 8, 16, 16]);
  y.sum().backward();
  const conv1 = new nn.Conv1d(4, 6, 3, { padding: 1, paddingMode: 'reflect' });
  const y1 = conv1.forward(randn([2, 4, 10]));
  expect(y1.shape).toEqual([2, 6, 10]);
  y1.sum().backward();
  const up = new nn.ConvTranspose2d(8, 4, 4, { stride: 2, padding: 1 });
  const yt = up.forward(randn([2, 8, 7, 7]));
  expect(yt.shape).toEqual([2, 4, 14, 14]);
  yt.sum().backward();
  expect(up.weight.grad!.shape).toEqual([8, 4, 4, 4]);
});

test('pooling layers', () => {
  const pool1 = new nn.MaxPool1d(3, { stride: 2 });
  const p1 = pool1.forward(randn([2, 4, 11], { requiresGrad: true }));
  expect(p1.shape).toEqual([2, 4, 5]);
  p1.sum().backward();
  const avg = new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
  const pa = avg.forward(randn([1, 3, 8, 8], { requiresGrad: true }));
  expect(pa.shape).toEqual([1, 3, 4, 4]);
  pa.sum().backward();
  const adaptive = new nn.AdaptiveAvgPool2d([5, 7]);
  const pd = adaptive.forward(randn([1, 64, 8, 9], { requiresGrad: true }));
  expect(pd.shape).toEqual([1, 64, 5, 7]);
  pd.sum().backward();
});

test('BatchNorm2d, GroupNorm, Dropout2d, Upsample and Unflatten', () => {
  const bn = new nn.BatchNorm2d(3);
  bn.forward(randn([4, 3, 5, 5], { requiresGrad: true })).square().sum().backward();
  expect(bn.weight!.grad!.shape).toEqual([3]);
  const gn = new nn.GroupNorm(2, 6);
  gn.forward(randn([4, 6, 5, 5], { requiresGrad: true })).square().sum().backward();
  expect(gn.bias!.grad!.shape).toEqual([6]);
  const drop = new nn.Dropout2d(0.2);
  drop.forward(randn([8, 16, 4, 4], { requiresGrad: true })).sum().backward();
  const up = new nn.Upsample({ scaleFactor: 2 });
  const u = up.forward(randn([1, 3, 4, 4], { requiresGrad: true }));
  expect(u.shape).toEqual([1, 3, 8, 8]);
  u.sum().backward();
  const y = new nn.Unflatten(1, [2, 5, 5]).forward(randn([3, 50], { requiresGrad: true }));
  expect(y.shape).toEqual([3, 2, 5, 5]);
  y.sum().backward();
});

test('functional forms', () => {
  const F = nn.functional;
  let x = randn([2, 3, 8, 8], { requiresGrad: true });
  let w = randn([4, 3, 3, 3], { requiresGrad: true });
  const y = F.conv2d(x, w, null, { padding: 1 });
  expect(y.shape).toEqual([2, 4, 8, 8]);
  y.sum().backward();
  x = randn([2, 3, 10], { requiresGrad: true });
  w = randn([4, 3, 3], { requiresGrad: true });
  const y1 = F.conv1d(x, w, null, { stride: 2 });
  expect(y1.shape).toEqual([2, 4, 4]);
  y1.sum().backward();
  x = randn([1, 4, 5, 5], { requiresGrad: true });
  w = randn([4, 2, 3, 3], { requiresGrad: true });
  const yt = F.convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 });
  expect(yt.shape).toEqual([1, 2, 10, 10]);
  yt.sum().backward();
  const m = F.maxPool2d(randn([1, 2, 6, 6], { requiresGrad: true }), 2);
  expect(m.shape).toEqual([1, 2, 3, 3]);
  m.sum().backward();
  const m1 = F.maxPool1d(randn([2, 3, 9], { requiresGrad: true }), 3, { stride: 2 });
  expect(m1.shape).toEqual([2, 3, 4]);
  m1.sum().backward();
  const a = F.avgPool2d(randn([1, 2, 5, 5], { requiresGrad: true }), 3, { stride: 2, padding: 1 });
  expect(a.shape).toEqual([1, 2, 3, 3]);
  a.sum().backward();
  const ad = F.adaptiveAvgPool2d(randn([2, 3, 7, 9], { requiresGrad: true }), [3, 4]);
  expect(ad.shape).toEqual([2, 3, 3, 4]);
  ad.sum().backward();
  F.groupNorm(randn([2, 6, 4, 4], { requiresGrad: true }), 3).square().sum().backward();
  F.dropout2d(randn([4, 8, 5, 5], { requiresGrad: true }), 0.25).sum().backward();
  const i = F.interpolate(randn([1, 2, 3, 3], { requiresGrad: true }), { scaleFactor: 2 });
  expect(i.shape).toEqual([1, 2, 6, 6]);
  i.sum().backward();
});
