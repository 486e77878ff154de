import { memory } from '@logit/core';
import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../src/benchmarks/index.js';
import { cnnBenchmark, cnnProblem } from '../src/benchmarks/cnn.js';
import { CNN_SHAPES, CONTENDERS, selectContenders, type Contender } from '../src/contenders/index.js';

// The cnn benchmark trains pytorch/examples' mnist Net in each library from the same weights.
// Logit and TensorFlow.js are independent implementations (tfjs-wasm even takes its filter
// gradients through tf.customGrad), so their agreeing step by step checks both.

const quick = { warmup: 0, samples: 1, minSampleMs: 0 };
/** Training a conv net in plain JS (tfjs-cpu) takes seconds per step on a busy 2-core machine. */
const SLOW = 600_000;
const context = (contenders: Contender[], batchSizes: number[]): BenchContext =>
  ({ contenders, timing: quick, options: { batchSizes }, log: () => {} });

describe('bench cnn', () => {
  // a larger lr than the benchmark's makes each step move the loss well beyond float32 noise
  const problem = { ...cnnProblem(2, 0.01), lr: 0.1 };

  it('the problem has PyTorch\'s shapes and starts near ln(10)', () => {
    for (const [k, shape] of Object.entries(CNN_SHAPES)) {
      expect(problem.params[k as keyof typeof CNN_SHAPES].length, k).toBe(shape.reduce((a, b) => a * b, 1));
    }
    expect(problem.x.length).toBe(2 * 28 * 28);
    expect(problem.labels.every((l) => l >= 0 && l < 10)).toBe(true);
    const again = cnnProblem(2, 0.01).params['fc1.weight'];
    expect(again.every((v, i) => v === problem.params['fc1.weight'][i])).toBe(true);
  });

  it('every contender trains the same trajectory, and the loss falls', async () => {
    const trajectories = new Map<string, number[]>();
    for (const contender of CONTENDERS) {
      await contender.activate();
      const training = contender.cnn(problem);
      const losses: number[] = [];
      for (let s = 0; s < 3; s++) losses.push(await training.step());
      training.dispose();
      trajectories.set(contender.name, losses);
    }
    const ref = trajectories.get('tfjs-cpu')!;
    expect(Math.abs(ref[0] - Math.log(10))).toBeLessThan(0.3);
    for (let s = 1; s < ref.length; s++) expect(ref[s]).toBeLessThan(ref[s - 1] - 1e-3);
    // float32 sums in different orders drift apart by ~2e-5 after a step this large (the loss falls ~0.9):
    // the benchmark's own agreement tolerance, far below what a wrong gradient would change
    for (const [name, losses] of trajectories) {
      losses.forEach((l, s) => expect(Math.abs(l - ref[s]), `${name} step ${s}: ${l} vs tfjs-cpu ${ref[s]}`).toBeLessThan(1e-4 * Math.abs(ref[s])));
    }
  }, SLOW);

  it('logit frees everything it made', async () => {
    for (const contender of CONTENDERS.filter((c) => c.name.startsWith('logit'))) {
      await contender.activate();
      const before = memory();
      const training = contender.cnn(problem);
      for (let s = 0; s < 2; s++) await training.step();
      training.dispose();
      expect(memory().tensors, contender.name).toBe(before.tensors);
      expect(memory().storages, contender.name).toBe(before.storages);
    }
  }, SLOW);

  it('fills a steps/s column per contender and the ratios, naming the tfjs-wasm workaround', async () => {
    const names = ['logit-wasm', 'tfjs-wasm'];
    const report = await cnnBenchmark.run(context(selectContenders(names), [2]));
    expect(report.table.columns).toEqual(['batch', ...names, 'logit-wasm/tfjs-wasm']);
    expect(report.table.title).toMatch(/no Conv2DBackpropFilter kernel.*tf\.customGrad/);
    const row = report.table.rows[0];
    expect(row['logit-wasm/tfjs-wasm']).toBeCloseTo((row['logit-wasm'] as number) / (row['tfjs-wasm'] as number), 12);
  }, SLOW);
});
