import { memory } from '@logit/core';
import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../src/benchmarks/index.js';
import { CHECK_STEPS, checkLosses, mlpBenchmark, mlpProblem } from '../src/benchmarks/mlp.js';
import { CONTENDERS, selectContenders, type Contender, type MlpProblem } from '../src/contenders/index.js';

const quick = { warmup: 1, samples: 2, minSampleMs: 0 };
const LAYERS = [12, 8, 5];
const context = (contenders: Contender[], batchSizes: number[]): BenchContext =>
  ({ contenders, timing: quick, options: { batchSizes, layers: LAYERS }, log: () => {} });

/**
 * The losses of `steps` SGD steps, in float64 from the definitions: h = relu(x W1ᵀ + b1) …,
 * loss = mean(logsumexp(z) − z[label]), backprop by hand, θ ← θ − lr·∂loss/∂θ.
 */
function referenceLosses(p: MlpProblem, steps: number): number[] {
  const W = p.weights.map((w) => Float64Array.from(w));
  const B = p.biases.map((b) => Float64Array.from(b));
  const L = W.length;
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    // forward, keeping every layer's input
    const acts: Float64Array[] = [Float64Array.from(p.x)];
    for (let l = 0; l < L; l++) {
      const [nIn, nOut] = [p.sizes[l], p.sizes[l + 1]];
      const h = acts[l];
      const z = new Float64Array(p.batch * nOut);
      for (let i = 0; i < p.batch; i++) for (let o = 0; o < nOut; o++) {
        let v = B[l][o];
        for (let q = 0; q < nIn; q++) v += h[i * nIn + q] * W[l][o * nIn + q];
        z[i * nOut + o] = l + 1 < L ? Math.max(v, 0) : v;
      }
      acts.push(z);
    }
    // loss and its gradient with respect to the logits
    const C = p.sizes[L];
    const logits = acts[L];
    let grad = new Float64Array(p.batch * C);
    let loss = 0;
    for (let i = 0; i < p.batch; i++) {
      const row = logits.subarray(i * C, (i + 1) * C);
      const max = Math.max(...row);
      const sum = row.reduce((acc, v) => acc + Math.exp(v - max), 0);
      loss += (max + Math.log(sum) - row[p.labels[i]]) / p.batch;
      for (let c = 0; c < C; c++) grad[i * C + c] = (Math.exp(row[c] - max) / sum - (c === p.labels[i] ? 1 : 0)) / p.batch;
    }
    losses.push(loss);
    // backward and update, last layer first
    for (let l = L - 1; l >= 0; l--) {
      const [nIn, nOut] = [p.sizes[l], p.sizes[l + 1]];
      const h = acts[l];
      const gradIn = new Float64Array(p.batch * nIn);
      for (let i = 0; i < p.batch; i++) for (let q = 0; q < nIn; q++) {
        if (l > 0 && h[i * nIn + q] <= 0) continue; // relu'(z) = 0 where the activation is 0
        for (let o = 0; o < nOut; o++) gradIn[i * nIn + q] += grad[i * nOut + o] * W[l][o * nIn + q];
      }
      for (let o = 0; o < nOut; o++) {
        let gb = 0;
        for (let i = 0; i < p.batch; i++) gb += grad[i * nOut + o];
        B[l][o] -= p.lr * gb;
        for (let q = 0; q < nIn; q++) {
          let gw = 0;
          for (let i = 0; i < p.batch; i++) gw += grad[i * nOut + o] * h[i * nIn + q];
          W[l][o * nIn + q] -= p.lr * gw;
        }
      }
      grad = gradIn;
    }
  }
  return losses;
}

describe('bench mlp', () => {
  // A larger lr than the benchmark's makes each step move the loss well beyond float32 noise.
  const problem = { ...mlpProblem(LAYERS, 6, 0.01), lr: 0.5 };
  const want = referenceLosses(problem, 4);

  it('the problem starts near ln(classes) and the float64 reference trains it', () => {
    expect(Math.abs(want[0] - Math.log(5))).toBeLessThan(0.5);
    for (let s = 1; s < want.length; s++) expect(want[s]).toBeLessThan(want[s - 1] - 1e-3);
  });

  it.each(CONTENDERS.map((c) => [c.name, c] as const))('%s trains like the float64 reference, step by step', async (_, contender) => {
    await contender.activate();
    const training = contender.mlp(problem);
    const got: number[] = [];
    for (let s = 0; s < want.length; s++) got.push(await training.step());
    training.dispose();
    for (let s = 0; s < want.length; s++) expect(got[s]).toBeCloseTo(want[s], 5);
  });

  it.each(CONTENDERS.filter((c) => c.name.startsWith('logit')).map((c) => [c.name, c] as const))(
    '%s frees everything it made',
    async (_, contender) => {
      await contender.activate();
      const before = memory();
      const training = contender.mlp(problem);
      for (let s = 0; s < 3; s++) await training.step();
      training.dispose();
      const after = memory();
      expect(after.tensors).toBe(before.tensors);
      expect(after.storages).toBe(before.storages);
    },
  );

  it('fills one steps/s column per default contender (logit-wasm-2t included) and the logit/tfjs ratios', async () => {
    const report = await mlpBenchmark.run(context(selectContenders(undefined, 'mlp'), [4, 16]));
    const names = ['logit-cpu', 'tfjs-cpu', 'logit-wasm', 'logit-wasm-2t', 'tfjs-wasm'];
    expect(report.table.columns).toEqual(['batch', ...names, 'logit-cpu/tfjs-cpu', 'logit-wasm/tfjs-wasm', 'logit-wasm-2t/tfjs-wasm']);
    expect(report.table.rows.map((r) => r.batch)).toEqual([4, 16]);
    expect(report.unit).toBe('steps/s');
    for (const row of report.table.rows) {
      for (const name of names) expect(row[name]).toBeGreaterThan(0);
      expect(row['logit-cpu/tfjs-cpu']).toBeCloseTo((row['logit-cpu'] as number) / (row['tfjs-cpu'] as number), 12);
    }
    const m = report.measurements.find((x) => x.contender === 'tfjs-cpu' && x.size.batch === 16)!;
    expect(m.score).toBeCloseTo(1000 / m.medianMs, 9);
  });

  it('refuses to time a contender that trains differently', async () => {
    const [logit] = CONTENDERS;
    // Twice the learning rate: the same first loss, then a different trajectory.
    const wrong: Contender = { ...logit, name: 'wrong', mlp: (p) => logit.mlp({ ...p, lr: 2 * p.lr }) };
    await expect(mlpBenchmark.run(context([logit, wrong], [8]))).rejects.toThrow(/wrong disagrees with logit-cpu at step 1/);
  });

  it('checks that losses fall at every step and match the reference', () => {
    const reference = { name: 'ref', losses: [2.3, 2.2, 2.1] };
    expect(() => checkLosses('ok', [2.3, 2.2, 2.1], reference)).not.toThrow();
    expect(() => checkLosses('off', [2.3, 2.2, 2.2], reference)).toThrow(/off disagrees with ref at step 2/);
    expect(() => checkLosses('flat', [2.3, 2.3, 2.3], { name: 'ref', losses: [2.3, 2.3, 2.3] })).toThrow(/flat's loss did not fall at step 1/);
    expect(CHECK_STEPS).toBeGreaterThanOrEqual(3);
  });
});
