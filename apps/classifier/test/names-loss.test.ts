import { nn, noGrad, tensor, tidy } from '@logit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../src/lib/backends.js';
import { sequenceLossAnatomy } from '../src/lib/names/anatomy.js';
import { resolveNamesConfig } from '../src/lib/names/config.js';
import { batchTensors, encodeNames } from '../src/lib/names/data.js';
import { NamesTrainingRun } from '../src/lib/names/trainer.js';
import { IGNORE_INDEX } from '../src/lib/names/vocab.js';
import { smallNameSplits } from './helpers.js';

/** The model's logits (N, T, V) for a batch, read back as numbers. */
async function logitsOf(run: NamesTrainingRun, names: readonly string[], length: number): Promise<{ z: Float32Array; y: Int32Array; t: number }> {
  const enc = encodeNames(names, run.splits.vocab, length);
  run.model.eval();
  const out = tidy(() => noGrad(() => run.model.forward(batchTensors(enc).x)));
  const z = (await out.data()) as Float32Array;
  out.dispose();
  return { z, y: enc.y, t: enc.t };
}

/** -log softmax(z_row)[target] in float64, from the float32 logits. */
function nll64(z: Float32Array, offset: number, v: number, target: number): { lse: number; term: number } {
  let max = -Infinity;
  for (let c = 0; c < v; c++) max = Math.max(max, z[offset + c]);
  let s = 0;
  for (let c = 0; c < v; c++) s += Math.exp(z[offset + c] - max);
  const lse = max + Math.log(s);
  return { lse, term: lse - z[offset + target] };
}

const close = (a: number, b: number, rel = 2e-6): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe.each<BackendName>(['cpu', 'wasm'])('the loss panel on %s', (backend) => {
  let run: NamesTrainingRun;
  beforeAll(async () => {
    await useBackend(backend);
    // A trained model, so the logits are far from uniform and each position's term differs.
    run = new NamesTrainingRun(smallNameSplits(400), resolveNamesConfig({ width: 32, heads: 4, layers: 1, epochs: 2, patience: 0, warmupSteps: 5 }));
    await run.fit();
    return () => run.dispose();
  });

  it('each shown term is -LogSoftmax of the true next character; their mean over non-ignored positions is CrossEntropyLoss on (N, C, T) and on (N*T, C)', async () => {
    const { val, vocab, blockSize } = run.splits;
    const name = val.find((n) => n.length >= 4 && n.length <= blockSize - 4)!;
    const a = await sequenceLossAnatomy(run.model, vocab, name, blockSize);
    const v = vocab.size;
    const { z, y, t } = await logitsOf(run, [name], blockSize);
    expect(t).toBe(blockSize);
    expect(a.positions).toHaveLength(blockSize);
    expect(a.counted).toBe(name.length + 1);
    let sum = 0;
    a.positions.forEach((p, i) => {
      expect(p.ignored).toBe(y[i] === IGNORE_INDEX);
      expect(p.ignored).toBe(i > name.length);
      if (p.ignored) {
        expect(p.nll).toBe(0); // NLLLoss({ reduction: 'none' }) gives 0 where the target is ignored
        expect(p.logit).toBeNull();
        return;
      }
      const ref = nll64(z, i * v, v, y[i]);
      expect(p.target).toBe(vocab.show(y[i]));
      close(p.logit!, z[i * v + y[i]]);
      close(p.logSumExp, ref.lse, 5e-6);
      close(p.logSoftmax!, -ref.term, 5e-6);
      close(p.nll, ref.term, 5e-6);
      sum += ref.term;
    });
    const mean64 = sum / a.counted;
    close(a.meanNll, mean64, 5e-6);
    close(a.crossEntropyNCT, mean64, 5e-6);
    close(a.crossEntropyFlat, mean64, 5e-6);
    // Averaging over every position instead (padding counted with the '.' target) is another number.
    expect(Math.abs(a.paddingCounted - mean64)).toBeGreaterThan(0.05);
    // The terms are not all alike: the identity is not a constant's mean.
    const terms = a.positions.filter((p) => !p.ignored).map((p) => p.nll);
    expect(Math.max(...terms) - Math.min(...terms)).toBeGreaterThan(0.5);
  });

  it('a padded batch of names of different lengths: (N, C, T), flattened (N*T, C) and float64 agree, and differ from averaging over padding', async () => {
    const names = run.splits.val.slice(0, 6);
    expect(new Set(names.map((n) => n.length)).size).toBeGreaterThan(1);
    const { z, y, t } = await logitsOf(run, names, run.splits.blockSize);
    const v = run.splits.vocab.size;
    const n = names.length;
    let sum = 0;
    let counted = 0;
    let sumAll = 0;
    for (let i = 0; i < n * t; i++) {
      sumAll += nll64(z, i * v, v, y[i] === IGNORE_INDEX ? 0 : y[i]).term;
      if (y[i] === IGNORE_INDEX) continue;
      sum += nll64(z, i * v, v, y[i]).term;
      counted += 1;
    }
    expect(counted).toBe(names.reduce((s, name) => s + name.length + 1, 0));
    const [nct, flat] = await Promise.all(tidy(() => {
      const logits = tensor(z, { shape: [n, t, v] });
      const targets = tensor(y, { shape: [n, t], dtype: 'int32' });
      const ce = new nn.CrossEntropyLoss({ ignoreIndex: IGNORE_INDEX });
      return [ce.forward(logits.permute(0, 2, 1), targets), ce.forward(logits.reshape([n * t, v]), targets.reshape([n * t]))];
    }).map(async (s) => {
      const value = await s.item();
      s.dispose();
      return value;
    }));
    close(nct, sum / counted, 5e-6);
    close(flat, sum / counted, 5e-6);
    expect(Math.abs(sumAll / (n * t) - sum / counted)).toBeGreaterThan(0.05);
  });
});
