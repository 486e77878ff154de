import { memory } from '@logit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../src/lib/backends.js';
import { resolveNamesConfig, type NamesConfig } from '../src/lib/names/config.js';
import { NamesTrainingRun, type NamesTrainResult } from '../src/lib/names/trainer.js';
import type { SampledName } from '../src/lib/names/sample.js';
import { smallNameSplits } from './helpers.js';

/** Everything but the wall-clock times. */
function comparable(r: NamesTrainResult): unknown {
  return { history: r.history.map(({ seconds: _, ...m }) => m), bestEpoch: r.bestEpoch, stopReason: r.stopReason, test: r.test, baseline: r.baseline };
}

async function shortRun(seed: number): Promise<{ result: NamesTrainResult; samples: SampledName[]; checkpoint: Uint8Array }> {
  // Dropout, shuffling, initial weights and sampling all draw from the seeded generator.
  const run = new NamesTrainingRun(smallNameSplits(300, seed), resolveNamesConfig({ width: 32, heads: 4, layers: 1, epochs: 2, dropout: 0.1, warmupSteps: 5, seed }));
  const result = await run.fit();
  const samples = await run.sample({ seed, count: 20 });
  const checkpoint = await run.checkpoint();
  run.dispose();
  return { result, samples, checkpoint };
}

describe.each<BackendName>(['cpu', 'wasm'])('names determinism on %s', (backend) => {
  let first: ReturnType<typeof shortRun> | null = null;
  const runFirst = (): ReturnType<typeof shortRun> => (first ??= shortRun(5));
  beforeAll(() => useBackend(backend));

  it('same seed, same backend: identical metrics, samples and weights twice in a row', async () => {
    const a = await runFirst();
    const b = await shortRun(5);
    expect(comparable(b.result)).toEqual(comparable(a.result));
    expect(b.samples).toEqual(a.samples);
    expect(Buffer.from(b.checkpoint).equals(Buffer.from(a.checkpoint))).toBe(true);
    // it learned something: below the uniform guess over the symbols, log(V)
    expect(a.result.history[1].valLoss).toBeLessThan(Math.log(28) - 0.3);
    expect(a.samples.filter((s) => s.name.length > 0).length).toBeGreaterThan(10);
  });

  it('another seed gives other numbers and names (so the check above can fail)', async () => {
    const a = await runFirst();
    const c = await shortRun(6);
    expect(c.result.history[0].trainLoss).not.toBe(a.result.history[0].trainLoss);
    expect(c.samples.map((s) => s.name)).not.toEqual(a.samples.map((s) => s.name));
  });
});

describe('overfitting', () => {
  beforeAll(() => useBackend('wasm'));

  it('a wide model on 120 training names overfits: validation loss turns up while training loss falls, and the run warns', async () => {
    const config: Partial<NamesConfig> = { width: 64, heads: 4, layers: 2, lr: 1e-2, weightDecay: 0, warmupSteps: 0, minLrFactor: 1, batchSize: 16, epochs: 14, patience: 0, dropout: 0 };
    const run = new NamesTrainingRun(smallNameSplits(200), resolveNamesConfig(config));
    const warnings: string[] = [];
    const r = await run.fit({ onEpoch: (m) => void (m.overfitting && warnings.push(m.overfitting)) });
    const trainLosses = r.history.map((m) => m.trainLoss);
    const bestVal = Math.min(...r.history.map((m) => m.valLoss));
    const last = r.history.at(-1)!;
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/validation loss rising .* while training loss falls|accuracy gap widening/);
    expect(last.trainLoss).toBeLessThan(trainLosses[0] - 0.5);
    expect(last.valLoss).toBeGreaterThan(bestVal + 0.05); // it really turned up
    expect(last.trainLoss).toBeLessThan(last.valLoss - 0.2);
    // the best epoch's weights are restored: the test split is scored with them
    expect(r.bestEpoch).toBeLessThan(last.epoch);
    run.dispose();
  });

  it('memory stays flat over epochs, and dispose() gives every tensor back', async () => {
    const before = memory();
    const run = new NamesTrainingRun(smallNameSplits(200), resolveNamesConfig({ width: 16, heads: 2, layers: 1, epochs: 3, patience: 0 }));
    const live: number[] = [];
    await run.fit({ onEpoch: () => void live.push(memory().tensors) });
    await run.sample({ seed: 1, count: 5 });
    expect(new Set(live).size).toBe(1);
    run.dispose();
    const after = memory();
    expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
  });
});
