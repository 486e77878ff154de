import { CNN_SHAPES, type CnnProblem, type PreparedTraining } from '../contenders/types.js';
import { fixedUniform } from './agreement.js';
import { CHECK_STEPS, checkLosses } from './mlp.js';
import { parsePositiveInts } from './parse.js';
import { ratioColumns, ratioHeaders } from './ratios.js';
import { timeTrainingSteps } from './time-steps.js';
import type { Benchmark, BenchReport, Measurement } from './types.js';

const LR = 0.01;
const DEFAULT_BATCHES = [32];

/** Fan-in of a parameter's layer: the weight's size over its output dim (the bias shares its weight's). */
const FAN_IN: Record<keyof CnnProblem['params'], number> = {
  'conv1.weight': 9, 'conv1.bias': 9, 'conv2.weight': 288, 'conv2.bias': 288, 'fc1.weight': 9216, 'fc1.bias': 9216, 'fc2.weight': 128, 'fc2.bias': 128,
};

/**
 * pytorch/examples' mnist Net with PyTorch's default init (U(-1/√fanIn, 1/√fanIn) for weights and
 * biases), images in [0, 1) and labels, all from fixed streams so that every run trains the same problem.
 */
export function cnnProblem(batch: number, lr: number): CnnProblem {
  const params = {} as CnnProblem['params'];
  Object.entries(CNN_SHAPES).forEach(([key, shape], i) => {
    const k = key as keyof CnnProblem['params'];
    const bound = 1 / Math.sqrt(FAN_IN[k]);
    params[k] = fixedUniform(shape.reduce((a, b) => a * b, 1), 51 + i).map((u) => u * bound);
  });
  const x = fixedUniform(batch * 28 * 28, 61).map((u) => (u + 1) / 2);
  const labels = Int32Array.from(fixedUniform(batch, 71), (u) => Math.min(9, Math.floor(((u + 1) / 2) * 10)));
  return { batch, params, x, labels, lr };
}

/** One SGD training step of pytorch/examples' mnist Net, as each library's users write it. */
export const cnnBenchmark: Benchmark = {
  name: 'cnn',
  summary: `training steps/s of pytorch/examples' mnist Net (conv 1->32 3x3, conv 32->64 3x3, max-pool 2, linear 9216->128, linear 128->10; cross entropy; SGD lr ${LR}), loss read back each step`,
  options: [
    { flags: '--batch-sizes <list>', description: 'comma-separated batch sizes', parse: parsePositiveInts, default: DEFAULT_BATCHES, defaultLabel: DEFAULT_BATCHES.join(',') },
  ],
  async run(ctx): Promise<BenchReport> {
    const batches = ctx.options.batchSizes as number[];
    const ratios = ratioColumns(ctx.contenders);
    const measurements: Measurement[] = [];
    const rows: BenchReport['table']['rows'] = [];
    for (const batch of batches) {
      const problem = cnnProblem(batch, LR);
      const row: BenchReport['table']['rows'][number] = { batch };
      let reference: { name: string; losses: number[] } | undefined;
      const trainings: PreparedTraining[] = [];
      try {
        for (const contender of ctx.contenders) {
          await contender.activate();
          const training = contender.cnn(problem);
          trainings.push(training);
          // the same weights give the same first losses in both libraries, and they fall: checked before timing
          const losses: number[] = [];
          for (let s = 0; s < CHECK_STEPS; s++) losses.push(await training.step());
          reference ??= { name: contender.name, losses };
          checkLosses(contender.name, losses, reference);
          ctx.log(`cnn batch=${batch} ${contender.name}: first losses ${losses.map((l) => l.toFixed(5)).join(', ')}`);
        }
        await timeTrainingSteps(ctx, `cnn batch=${batch}`, { batch }, trainings, row, measurements);
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
          `cnn: pytorch/examples' mnist Net training step (forward, cross entropy, backward, SGD), float32, steps/s ` +
          `(median of ${ctx.timing.samples} samples, contenders interleaved, after ${CHECK_STEPS} checked + ${ctx.timing.warmup} warm-up steps whose losses agree across contenders; higher is better).\n` +
          'tfjs-wasm: tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so its conv filter gradients come from tf.customGrad (conv2d on transposed tensors)',
        columns: ['batch', ...ctx.contenders.map((c) => c.name), ...ratios.map((r) => r.key)],
        headers: ratioHeaders(ratios),
        rows,
      },
      measurements,
    };
  },
};
