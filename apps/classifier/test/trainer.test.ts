import { io, manualSeed, memory, randint, tensor } from '@logit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossAnatomy } from '../src/lib/anatomy.js';
import { randomShift } from '../src/lib/augment.js';
import { resolveConfig } from '../src/lib/config.js';
import { TrainingRun } from '../src/lib/trainer.js';
import { smallSplits, useCpu } from './helpers.js';

beforeAll(useCpu);

const copyOf = async (t: { data(): Promise<ArrayLike<number>> }): Promise<Float32Array> => Float32Array.from(await t.data());

describe('TrainingRun', () => {
  it('early stopping: stops `patience` epochs after the best validation loss and restores that epoch\'s weights', async () => {
    // 300 training images, a wide layer, no dropout or shifts, a large step: it overfits fast.
    const splits = smallSplits(300, 300, 300);
    const run = new TrainingRun(splits, resolveConfig({ hidden: 512, dropout: 0, augment: false, lr: 3e-3, epochs: 40, patience: 2, batchSize: 32 }));
    const checkpoints: number[] = [];
    const r = await run.fit({ onCheckpoint: (_, m) => void checkpoints.push(m.epoch) });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.history.length).toBe(r.bestEpoch + 2);
    const best = r.history[r.bestEpoch - 1];
    expect(best.valLoss).toBe(Math.min(...r.history.map((m) => m.valLoss)));
    expect(checkpoints.at(-1)).toBe(r.bestEpoch);
    // After fit, the model holds the best epoch's weights: its validation loss is that epoch's.
    expect((await run.evaluate(splits.val)).loss).toBe(best.valLoss);
    // The training loss kept falling while the validation loss rose, and the run said so.
    expect(r.history.at(-1)!.trainLoss).toBeLessThan(best.trainLoss);
    expect(r.history.some((m) => m.overfitting !== null)).toBe(true);
    run.dispose();
  });

  it('--resume: a checkpoint restores the exact weights of the saved run', async () => {
    const splits = smallSplits(600, 200, 200);
    const config = resolveConfig({ epochs: 1, augment: false });
    const first = new TrainingRun(splits, config);
    const r = await first.fit();
    const bytes = await first.checkpoint();
    const resumed = new TrainingRun(splits, { ...config, seed: 99 }, bytes);
    const a = await first.evaluate(splits.test);
    const b = await resumed.evaluate(splits.test);
    expect(b.loss).toBe(r.test.loss);
    expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
    for (const [[name, p], [, q]] of first.model.namedParameters().map((e, i) => [e, resumed.model.namedParameters()[i]] as const)) {
      expect(Array.from(await copyOf(q)), name).toEqual(Array.from(await copyOf(p)));
    }
    first.dispose();
    resumed.dispose();
  });

  it('a checkpoint of another architecture is a clear error', async () => {
    const splits = smallSplits(100, 50, 50);
    const small = new TrainingRun(splits, resolveConfig({ hidden: 16 }));
    const bytes = await small.checkpoint();
    expect(() => new TrainingRun(splits, resolveConfig({ hidden: 32 }), bytes)).toThrow(/saved from a model with hidden = 16, this model has hidden = 32/);
    expect(() => new TrainingRun(splits, resolveConfig({ model: 'cnn' }), bytes)).toThrow(/kind = mlp, this model has kind = cnn/);
    small.dispose();
  });

  it('--freeze: only the last layer changes; frozen parameters stay bit for bit the same', async () => {
    const splits = smallSplits(600, 200, 200);
    const base = new TrainingRun(splits, resolveConfig({ epochs: 1, augment: false }));
    await base.fit();
    const bytes = await base.checkpoint();
    base.dispose();

    const tuned = new TrainingRun(splits, resolveConfig({ epochs: 2, freeze: true, lr: 1e-2 }), bytes);
    const before = new Map<string, Float32Array>();
    for (const [name, p] of tuned.model.namedParameters()) before.set(name, await copyOf(p));
    expect(tuned.model.parameters().filter((p) => p.requiresGrad).length).toBe(2);
    await tuned.fit();
    for (const [name, p] of tuned.model.namedParameters()) {
      const now = await copyOf(p);
      const same = Buffer.from(now.buffer).equals(Buffer.from(before.get(name)!.buffer));
      expect(same, `${name} ${name.startsWith('head.') ? 'should have changed' : 'should be frozen'}`).toBe(!name.startsWith('head.'));
    }
    // the normalization buffers travel with the checkpoint too
    const saved = io.load(await tuned.checkpoint());
    expect(Object.keys(saved).sort()).toEqual(['body.0.bias', 'body.0.weight', 'head.bias', 'head.weight', 'normalize.mean', 'normalize.std']);
    tuned.dispose();
  });

  it('memory stays flat over epochs, and dispose() gives every tensor back', async () => {
    const before = memory();
    const run = new TrainingRun(smallSplits(300, 100, 100), resolveConfig({ epochs: 3, patience: 0 }));
    const live: number[] = [];
    await run.fit({ onEpoch: () => void live.push(memory().tensors) });
    expect(new Set(live).size).toBe(1);
    run.dispose();
    const after = memory();
    expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
  });

  it('the cnn model trains too', async () => {
    const splits = smallSplits(400, 200, 200);
    const run = new TrainingRun(splits, resolveConfig({ model: 'cnn', epochs: 1, augment: false, lr: 3e-3 }));
    const r = await run.fit();
    expect(r.history[0].valAcc).toBeGreaterThan(0.3);
    run.dispose();
  });
});

describe('randomShift', () => {
  it('moves each image by its own seeded offset and fills with background', async () => {
    const rows = 5;
    const cols = 4;
    const n = 6;
    const pixels = Float32Array.from({ length: n * rows * cols }, (_, i) => i + 1);
    manualSeed(3);
    const offsets = Array.from((await randint(-2, 3, [n, 2], { dtype: 'int32' }).data()) as Int32Array);
    manualSeed(3);
    const shifted = await copyOf(await randomShift(tensor(pixels, { shape: [n, rows * cols] }), rows, cols, 2));
    for (let s = 0; s < n; s++) {
      const [dy, dx] = [offsets[2 * s], offsets[2 * s + 1]];
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const inside = r - dy >= 0 && r - dy < rows && c - dx >= 0 && c - dx < cols;
          const expected = inside ? pixels[s * rows * cols + (r - dy) * cols + (c - dx)] : 0;
          expect(shifted[s * rows * cols + r * cols + c]).toBe(expected);
        }
      }
    }
    expect(new Set(offsets).size).toBeGreaterThan(1);
  });
});

describe('lossAnatomy', () => {
  it('LogSoftmax, softmax, NLL and CrossEntropyLoss of one sample agree with float64 math on its logits', async () => {
    const splits = smallSplits(300, 100, 100);
    const run = new TrainingRun(splits, resolveConfig({ epochs: 1 }));
    await run.fit();
    const pixels = Float32Array.from(splits.val.images.subarray(0, 784), (b) => b / 255);
    const label = splits.val.labels[0];
    const a = await lossAnatomy(run.model, pixels, label);
    const z = a.logits;
    const max = Math.max(...z);
    const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
    expect(a.logSumExp).toBeCloseTo(lse, 5);
    z.forEach((v, k) => {
      expect(a.logSoftmax[k]).toBeCloseTo(v - lse, 5);
      expect(a.probabilities[k]).toBeCloseTo(Math.exp(v - lse), 6);
    });
    expect(a.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
    expect(a.nll).toBe(-a.logSoftmax[label]);
    expect(Math.abs(a.crossEntropy - a.nll)).toBeLessThanOrEqual(1e-6 * Math.max(1, a.nll));
    expect(a.crossEntropy).toBeCloseTo(lse - z[label], 5);
    expect(a.predicted).toBe(z.indexOf(max));
    run.dispose();
  });
});
