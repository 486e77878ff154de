import type { MlpProblem, PreparedTraining } from '../contenders/index.js';
import { fixedUniform } from './agreement.js';
import { parsePositiveInts } from './parse.js';
import { ratioColumns, ratioHeaders } from './ratios.js';
import { timeTrainingSteps } from './time-steps.js';
import type { Benchmark, BenchReport, Measurement } from './types.js';

const SIZES = [784, 128, 10];
const LR = 0.01;
const DEFAULT_BATCHES = [64];
/** Untimed steps whose losses are compared across contenders before any timing. */
export const CHECK_STEPS = 5;
// float32 losses near 2.3 that agree to ~1e-6; one SGD step at lr 0.01 moves the loss by ~1e-2,
// so a wrong gradient or update shows up far above this.
const LOSS_TOLERANCE = 1e-4;

/**
 * Weights drawn like nn.Linear's default init (U(-1/√in, 1/√in) for weight and bias), pixels in
 * [0, 1), and labels, all from fixed streams so that every run trains the same problem.
 */
export function mlpProblem(sizes: readonly number[], batch: number, lr: number): MlpProblem {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const bound = 1 / Math.sqrt(sizes[l]);
    weights.push(fixedUniform(sizes[l] * sizes[l + 1], 11 + l).map((u) => u * bound));
    biases.push(fixedUniform(sizes[l + 1], 21 + l).map((u) => u * bound));
  }
  const x = fixedUniform(batch * sizes[0], 31).map((u) => (u + 1) / 2);
  const classes = sizes[sizes.length - 1];
  const labels = Int32Array.from(fixedUniform(batch, 41), (u) => Math.min(classes - 1, Math.floor(((u + 1) / 2) * classes)));
  return { sizes, weights, biases, batch, x, labels, lr };
}

/** Fails unless `losses` fall at every step and match the reference contender's step by step. */
export function checkLosses(name: string, losses: readonly number[], reference: { name: string; losses: readonly number[] }): void {
  for (let s = 0; s < losses.length; s++) {
    const want = reference.losses[s];
    if (!(Math.abs(losses[s] - want) <= LOSS_TOLERANCE * Math.abs(want))) {
      throw new Error(`mlp: ${name} disagrees with ${reference.name} at step ${s} (loss ${losses[s]} vs ${want})`);
    }
    if (s > 0 && !(losses[s] < losses[s - 1])) {
      throw new Error(`mlp: ${name}'s loss did not fall at step ${s} (${losses[s - 1]} -> ${losses[s]})`);
    }
  }
}

/** One SGD training step of an MLP classifier, as each library's users write it. */
export const mlpBenchmark: Benchmark = {
  name: 'mlp',
  summary: `training steps/s of an MLP (default ${SIZES.join('-')}: Linear, ReLU, Linear; cross entropy; SGD lr ${LR}), loss read back each step`,
  options: [
    { flags: '--batch-sizes <list>', description: 'comma-separated batch sizes', parse: parsePositiveInts, default: DEFAULT_BATCHES, defaultLabel: DEFAULT_BATCHES.join(',') },
    { flags: '--layers <list>', description: 'layer widths, input first (ReLU between Linears)', parse: parsePositiveInts, default: SIZES, defaultLabel: SIZES.join(',') },
  ],
  async run(ctx): Promise<BenchReport> {
    const batches = ctx.options.batchSizes as number[];
    const sizes = ctx.options.layers as number[];
    if (sizes.length < 2) throw new RangeError(`mlp: --layers needs at least 2 widths, got ${sizes.join(',')}`);
    const ratios = ratioColumns(ctx.contenders);
    const measurements: Measurement[] = [];
    const rows: BenchReport['table']['rows'] = [];

    for (const batch of batches) {
      const problem = mlpProblem(sizes, batch, LR);
      const row: BenchReport['table']['rows'][number] = { batch };
      let reference: { name: string; losses: number[] } | undefined;
      const trainings: PreparedTraining[] = [];
      try {
        for (const contender of ctx.contenders) {
          await contender.activate();
          const training = contender.mlp(problem);
          trainings.push(training);
          // Train a few steps and check them before timing: a fast wrong step must not produce a number.
          const losses: number[] = [];
          for (let s = 0; s < CHECK_STEPS; s++) losses.push(await training.step());
          reference ??= { name: contender.name, losses };
          checkLosses(contender.name, losses, reference);
        }
        await timeTrainingSteps(ctx, `mlp batch=${batch}`, { batch }, trainings, row, measurements, [1, 2]);
      } finally {
        for (const t of trainings) t.dispose();
      }
      for (const r of ratios) row[r.key] = (row[r.of] as number) / (row[r.to] as number);
      rows.push(row);
    }

    return {
      unit: 'steps/s',
      table: {
        title:
          `mlp ${sizes.join('-')} training step (forward, cross entropy, backward, SGD), float32, steps/s ` +
          `(median of ${ctx.timing.samples} samples, contenders interleaved, after ${CHECK_STEPS} checked + ${ctx.timing.warmup} warm-up steps; higher is better)`,
        columns: ['batch', ...ctx.contenders.map((c) => c.name), ...ratios.map((r) => r.key)],
        headers: ratioHeaders(ratios),
        rows,
      },
      measurements,
    };
  },
};
