import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../src/lib/backends.js';
import { resolveConfig } from '../src/lib/config.js';
import { splitThreeWays } from '../src/lib/splits.js';
import { TrainingRun, type TrainResult } from '../src/lib/trainer.js';
import { loadEmbeddedDigits } from '../src/node/embedded.js';
import { smallSplits } from './helpers.js';

/** Everything but the wall-clock times. */
function comparable(r: TrainResult): unknown {
  return {
    history: r.history.map(({ seconds: _, ...m }) => m),
    bestEpoch: r.bestEpoch,
    stopReason: r.stopReason,
    test: { loss: r.test.loss, accuracy: r.test.accuracy, predictions: Array.from(r.test.predictions) },
    confusion: r.confusion,
  };
}

async function shortRun(seed: number): Promise<{ result: TrainResult; checkpoint: Uint8Array }> {
  // Dropout, shuffling and random shifts all draw from the seeded generator.
  const run = new TrainingRun(smallSplits(), resolveConfig({ epochs: 2, seed, dropout: 0.3, augment: true }));
  const result = await run.fit();
  const checkpoint = await run.checkpoint();
  run.dispose();
  return { result, checkpoint };
}

describe.each<BackendName>(['cpu', 'wasm'])('determinism on %s', (backend) => {
  let seven: ReturnType<typeof shortRun> | null = null;
  const runSeven = (): ReturnType<typeof shortRun> => (seven ??= shortRun(7));
  beforeAll(() => useBackend(backend));

  it('same seed, same backend: identical metrics, predictions and weights twice in a row', async () => {
    const a = await runSeven();
    const b = await shortRun(7);
    expect(comparable(b.result)).toEqual(comparable(a.result));
    expect(Buffer.from(b.checkpoint).equals(Buffer.from(a.checkpoint))).toBe(true);
    expect(a.result.history[1].valAcc).toBeGreaterThan(0.8);
  });

  it('another seed gives other numbers (so the check above can fail)', async () => {
    const a = await runSeven();
    const c = await shortRun(8);
    expect(c.result.history[0].trainLoss).not.toBe(a.result.history[0].trainLoss);
  });
});

describe('the data split', () => {
  it('the seeded split of the embedded digits is the same every time and disjoint', () => {
    const all = loadEmbeddedDigits();
    const s1 = splitThreeWays(all, [0.8, 0.1, 0.1], 0);
    const s2 = splitThreeWays(all, [0.8, 0.1, 0.1], 0);
    expect([s1.train.count, s1.val.count, s1.test.count]).toEqual([8000, 1000, 1000]);
    expect(Buffer.from(s2.test.images).equals(Buffer.from(s1.test.images))).toBe(true);
    const s3 = splitThreeWays(all, [0.8, 0.1, 0.1], 1);
    expect(Buffer.from(s3.test.images).equals(Buffer.from(s1.test.images))).toBe(false);
    // every class shows up in every split
    for (const s of [s1.train, s1.val, s1.test]) expect(new Set(s.labels).size).toBe(10);
  });
});
