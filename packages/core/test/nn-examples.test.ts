import { expect, test } from 'vitest';
import { nn, randn } from '@logit/core';

// The @example blocks of the layers' TSDoc, run as written (plus checks of what they claim).

test('Linear', () => {
  const fc = new nn.Linear(20, 30);
  const y = fc.forward(randn([128, 20]));
  expect(y.shape).toEqual([128, 30]);
  y.sum().backward();
  expect(fc.weight.grad!.shape).toEqual([30, 20]);
});

test('activations', () => {
  const y = new nn.ReLU().forward(randn([2, 3], { requiresGrad: true }));
  y.sum().backward();
  new nn.LeakyReLU(0.2).forward(randn([2, 3], { requiresGrad: true })).sum().backward();
  new nn.Tanh().forward(randn([4], { requiresGrad: true })).sum().backward();
  new nn.Sigmoid().forward(randn([4], { requiresGrad: true })).sum().backward();
  new nn.GELU({ approximate: 'tanh' }).forward(randn([4], { requiresGrad: true })).sum().backward();
  const p = new nn.Softmax(-1).forward(randn([2, 5], { requiresGrad: true }));
  p.select(1, 0).sum().backward();
  const logp = new nn.LogSoftmax(1).forward(randn([2, 5], { requiresGrad: true }));
  logp.select(1, 0).sum().backward();
});

test('Dropout and Flatten', () => {
  const drop = new nn.Dropout(0.2);
  const y = drop.forward(randn([20, 16], { requiresGrad: true }));
  y.sum().backward();
  const f = new nn.Flatten().forward(randn([32, 1, 5, 5], { requiresGrad: true }));
  expect(f.shape).toEqual([32, 25]);
  f.sum().backward();
});

test('Sequential', () => {
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  model.forward(randn([2, 4])).sum().backward();
  expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
});

test('Conv2d and MaxPool2d', () => {
  const conv = new nn.Conv2d(3, 8, 3, { padding: 1 });
  const y = conv.forward(randn([2, 3, 16, 16]));
  expect(y.shape).toEqual([2, 8, 16, 16]);
  y.sum().backward();
  const pool = new nn.MaxPool2d(2);
  const p = pool.forward(randn([1, 3, 8, 8], { requiresGrad: true }));
  expect(p.shape).toEqual([1, 3, 4, 4]);
  p.sum().backward();
});

test('BatchNorm1d', () => {
  const bn = new nn.BatchNorm1d(4);
  const y = bn.forward(randn([8, 4]).requiresGrad_());
  y.square().sum().backward();
  expect(bn.weight!.grad!.shape).toEqual([4]);
});
