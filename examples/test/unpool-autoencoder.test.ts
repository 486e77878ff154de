import { describe, expect, it } from 'vitest';
import { memory } from '@logit/core';
import { loadMnist, subset } from '../mnist/data.js';
import { main, parseArgs } from '../unpool-autoencoder/main.js';
import { useBackend } from './backends.js';

// The autoencoder whose decoder unpools at the encoder's max-pooling indices (MaxPool2d's
// returnIndices + MaxUnpool2d): on a small subset it learns to reconstruct digits well past the
// baseline of drawing every pixel as the training set's mean pixel.

describe('examples/unpool-autoencoder', () => {
  it('reconstructs digits better than the mean-pixel baseline, and frees what it made', async () => {
    await useBackend('wasm');
    const all = loadMnist();
    const digits = { train: subset(all.train, 2048), test: subset(all.test, 256) };
    const mean = digits.train.images.reduce((a, b) => a + b, 0) / digits.train.images.length;
    const test = digits.test.images.subarray(0, 256 * 784);
    const baseline = test.reduce((a, v) => a + (v - mean) ** 2, 0) / test.length;
    const before = memory().tensors;
    const lines: string[] = [];
    const r = await main(parseArgs(['--epochs', '2', '--limit', '2048', '--log-interval', '4']), digits, (l) => lines.push(l));
    expect(r.testLosses).toHaveLength(2);
    expect(r.testLosses[1]).toBeLessThan(r.testLosses[0]);
    expect(r.testLosses[1]).toBeLessThan(baseline / 2);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0] / 2);
    expect(lines.at(-1)).toMatch(/^epoch 2: test reconstruction loss \d\.\d{5} \(MSE per pixel\)$/);
    for (const p of r.model.parameters()) p.dispose();
    expect(memory().tensors).toBe(before);
  }, 120_000);
});
