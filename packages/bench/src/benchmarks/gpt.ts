import { gptShapes, type GptProblem, type PreparedTraining } from '../contenders/types.js';
import { timeTrainingSteps } from './time-steps.js';
import { fixedUniform } from './agreement.js';
import { parsePositiveInts } from './parse.js';
import { ratioColumns, ratioHeaders } from './ratios.js';
import type { Benchmark, BenchReport, Measurement } from './types.js';

// the model: 2 layers, 4 heads, d = 64, batch 64 x 16 tokens of a 28-symbol vocabulary
const DEFAULT_SHAPE = [64, 16, 64, 4, 2];
const VOCAB = 28;
const LR = 1e-3;
const WEIGHT_DECAY = 0.1;
const BETAS: [number, number] = [0.9, 0.95];
/** Untimed steps whose losses are compared across contenders before any timing. */
export const CHECK_STEPS = 4;
// float32 losses near ln(28) = 3.33 from two libraries agree to ~1e-6; one AdamW step at lr 1e-3
// moves the loss by ~1e-2 on a fixed batch, so a wrong gradient or update shows far above this.
const LOSS_TOLERANCE = 1e-4;

/**
 * nanoGPT's initialisation drawn from fixed streams: every matrix N(0, 0.02)-like (uniform with
 * that standard deviation), the projections into the residual stream scaled by 1/sqrt(2 nLayer),
 * LayerNorm weights 1 and biases 0, Linear biases 0; token ids and their next tokens uniform.
 */
export function gptProblem(opts: { batch: number; seq: number; nEmbd: number; nHead: number; nLayer: number; vocabSize?: number }): GptProblem {
  const shape = { vocabSize: opts.vocabSize ?? VOCAB, seq: opts.seq, nLayer: opts.nLayer, nEmbd: opts.nEmbd };
  const params: Record<string, Float32Array> = {};
  Object.entries(gptShapes(shape)).forEach(([name, dims], i) => {
    const n = dims.reduce((a, b) => a * b, 1);
    if (dims.length === 1) params[name] = new Float32Array(n).fill(name.includes('ln_') && name.endsWith('.weight') ? 1 : 0);
    else {
      const std = 0.02 / (name.endsWith('c_proj.weight') ? Math.sqrt(2 * opts.nLayer) : 1);
      params[name] = fixedUniform(n, 101 + i).map((u) => u * std * Math.sqrt(3));
    }
  });
  const tokens = opts.batch * opts.seq;
  const ids = (seed: number): Int32Array => Int32Array.from(fixedUniform(tokens, seed), (u) => Math.min(shape.vocabSize - 1, Math.floor(((u + 1) / 2) * shape.vocabSize)));
  return { ...shape, nHead: opts.nHead, batch: opts.batch, params, x: ids(61), y: ids(62), lr: LR, weightDecay: WEIGHT_DECAY, betas: BETAS };
}

/** Fails unless `losses` fall at every step and match the reference contender's step by step. */
export function checkGptLosses(name: string, losses: readonly number[], reference: { name: string; losses: readonly number[] }): void {
  for (let s = 0; s < losses.length; s++) {
    const want = reference.losses[s];
    if (!(Math.abs(losses[s] - want) <= LOSS_TOLERANCE * Math.abs(want))) {
      throw new Error(`gpt: ${name} disagrees with ${reference.name} at step ${s} (loss ${losses[s]} vs ${want})`);
    }
    if (s > 0 && !(losses[s] < losses[s - 1])) throw new Error(`gpt: ${name}'s loss did not fall at step ${s} (${losses[s - 1]} -> ${losses[s]})`);
  }
}

/** One AdamW training step of a small GPT (examples/nanogpt) against the same model in tfjs ops. */
export const gptBenchmark: Benchmark = {
  name: 'gpt',
  summary: 'training steps/s of a nanoGPT-style transformer (default 2 layers, 4 heads, d 64, batch 64 x 16 tokens, 28 symbols; cross entropy; AdamW), loss read back each step',
  options: [
    {
      flags: '--shape <batch,seq,dim,heads,layers>', description: 'batch, tokens per sequence, embedding width, heads, layers', parse: parsePositiveInts,
      default: DEFAULT_SHAPE, browserDefault: [8, 16, 64, 4, 2], defaultLabel: DEFAULT_SHAPE.join(','),
    },
  ],
  async run(ctx): Promise<BenchReport> {
    const shape = ctx.options.shape as number[];
    if (shape.length !== 5) throw new RangeError(`gpt: --shape takes batch,seq,dim,heads,layers, got ${shape.join(',')}`);
    const [batch, seq, nEmbd, nHead, nLayer] = shape;
    if (nEmbd % nHead !== 0) throw new RangeError(`gpt: dim (${nEmbd}) must be divisible by heads (${nHead})`);
    const problem = gptProblem({ batch, seq, nEmbd, nHead, nLayer });
    const ratios = ratioColumns(ctx.contenders);
    const row: BenchReport['table']['rows'][number] = { batch, seq, dim: nEmbd };
    const measurements: Measurement[] = [];
    const trainings: PreparedTraining[] = [];
    try {
      let reference: { name: string; losses: number[] } | undefined;
      for (const contender of ctx.contenders) {
        await contender.activate();
        const training = contender.gpt(problem);
        trainings.push(training);
        // the same first loss from the same weights, and the same next steps, before any timing
        const losses: number[] = [];
        for (let s = 0; s < CHECK_STEPS; s++) losses.push(await training.step());
        reference ??= { name: contender.name, losses };
        checkGptLosses(contender.name, losses, reference);
        ctx.log(`gpt ${contender.name}: losses ${losses.map((l) => l.toFixed(6)).join(', ')}`);
      }
      await timeTrainingSteps(ctx, 'gpt', { batch, seq, dim: nEmbd, heads: nHead, layers: nLayer }, trainings, row, measurements);
    } finally {
      for (const t of trainings) t.dispose();
    }
    for (const r of ratios) row[r.key] = (row[r.of] as number) / (row[r.to] as number);
    return {
      unit: 'steps/s',
      table: {
        title:
          `gpt training step (${nLayer} layers, ${nHead} heads, d ${nEmbd}, ${VOCAB} symbols; forward, cross entropy, backward, AdamW), float32, steps/s ` +
          `(median of ${ctx.timing.samples} samples, contenders interleaved, after ${CHECK_STEPS} checked + ${ctx.timing.warmup} warm-up steps; higher is better)`,
        columns: ['batch', 'seq', 'dim', ...ctx.contenders.map((c) => c.name), ...ratios.map((r) => r.key)],
        headers: ratioHeaders(ratios),
        rows: [row],
      },
      measurements,
    };
  },
};
