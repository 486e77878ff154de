import { describe, expect, test } from 'vitest';
import { nn, randn, zeros } from '@logit/core';

// Normalisation layers on a batch of 0, as PyTorch 2.13 takes them (values printed by torch):
// BatchNorm trains on it without touching its running statistics (the counter still moves), and
// GroupNorm's output and gradients are empty, its weight and bias gradients zeros.

describe('an empty batch', () => {
  test('BatchNorm1d and BatchNorm2d train on it and keep their running statistics', () => {
    const bn1 = new nn.BatchNorm1d(3);
    const y1 = bn1.forward(zeros([0, 3]));
    expect(y1.shape).toEqual([0, 3]);
    expect(bn1.runningMean!.dataSync()).toEqual(new Float32Array([0, 0, 0]));
    expect(bn1.runningVar!.dataSync()).toEqual(new Float32Array([1, 1, 1]));
    expect(bn1.numBatchesTracked!.itemSync()).toBe(1);

    const bn2 = new nn.BatchNorm2d(2);
    const x = zeros([0, 2, 3, 3]).requiresGrad_();
    const y2 = bn2.forward(x);
    expect(y2.shape).toEqual([0, 2, 3, 3]);
    y2.sum().backward();
    expect(x.grad!.shape).toEqual([0, 2, 3, 3]);
    expect(bn2.weight!.grad!.dataSync()).toEqual(new Float32Array([0, 0]));
    expect(bn2.bias!.grad!.dataSync()).toEqual(new Float32Array([0, 0]));
    expect(bn2.runningMean!.dataSync()).toEqual(new Float32Array([0, 0]));
    expect(bn2.runningVar!.dataSync()).toEqual(new Float32Array([1, 1]));
  });

  test('BatchNorm1d with a cumulative average (momentum null) keeps the average of the batches before', () => {
    const bn = new nn.BatchNorm1d(3, { momentum: null });
    bn.forward(randn([4, 3]));
    const mean = bn.runningMean!.dataSync().slice();
    const variance = bn.runningVar!.dataSync().slice();
    bn.forward(zeros([0, 3]));
    expect(bn.runningMean!.dataSync()).toEqual(mean);
    expect(bn.runningVar!.dataSync()).toEqual(variance);
    expect(bn.numBatchesTracked!.itemSync()).toBe(2);
  });

  test('GroupNorm gives an empty output and zero gradients for weight and bias', () => {
    const gn = new nn.GroupNorm(2, 4);
    const x = zeros([0, 4, 3]).requiresGrad_();
    const y = gn.forward(x);
    expect(y.shape).toEqual([0, 4, 3]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual([0, 4, 3]);
    expect(gn.weight!.grad!.dataSync()).toEqual(new Float32Array([0, 0, 0, 0]));
    expect(gn.bias!.grad!.dataSync()).toEqual(new Float32Array([0, 0, 0, 0]));
    expect(nn.functional.groupNorm(zeros([2, 4, 0]), 2).shape).toEqual([2, 4, 0]);
  });
});
