import type { LstmLmProblem, PreparedTraining } from '../contenders/index.js';
import { timeTrainingSteps } from './time-steps.js';
import { fixedUniform } from './agreement.js';
import { ratioColumns, ratioHeaders } from './ratios.js';
import type { Benchmark, BenchOption, BenchReport, Measurement } from './types.js';

/** Untimed steps whose losses are compared across contenders before any timing. */
export const RNN_CHECK_STEPS = 4;
// losses near ln(vocab) that agree to ~1e-6 in float32; one step at lr 1 moves them by ~1e-2
const LOSS_TOLERANCE = 1e-4;
const LR = 1;

const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} expects a positive integer, got '${value}'`);
  return n;
};

const option = (name: string, description: string, dflt: number, browserDefault: number): BenchOption => ({
  flags: `--${name} <n>`, description, parse: positiveInt(name), default: dflt, browserDefault, defaultLabel: `${dflt}; ${browserDefault} with --browser`,
});

export interface LstmLmSizes {
  vocab: number;
  embed: number;
  hidden: number;
  layers: number;
  seq: number;
  batch: number;
}

/**
 * word_language_model's initialisation from fixed streams: embedding and decoder weight in
 * U(-0.1, 0.1), decoder bias 0, LSTM weights in U(-1/√hidden, 1/√hidden); tokens from a fixed
 * stream, each target the next token.
 */
export function lstmLmProblem(s: LstmLmSizes, lr = LR): LstmLmProblem {
  const { vocab, embed, hidden, layers, seq, batch } = s;
  const scaled = (n: number, seed: number, bound: number): Float32Array => fixedUniform(n, seed).map((u) => u * bound);
  const k = 1 / Math.sqrt(hidden);
  const lstm = Array.from({ length: layers }, (_, l) => ({
    wih: scaled(4 * hidden * (l === 0 ? embed : hidden), 100 + l, k),
    whh: scaled(4 * hidden * hidden, 200 + l, k),
    bih: scaled(4 * hidden, 300 + l, k),
    bhh: scaled(4 * hidden, 400 + l, k),
  }));
  const stream = Int32Array.from(fixedUniform(batch * (seq + 1), 7), (u) => Math.min(vocab - 1, Math.floor(((u + 1) / 2) * vocab)));
  const tokens = new Int32Array(batch * seq);
  const targets = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < seq; t++) {
      tokens[b * seq + t] = stream[b * (seq + 1) + t];
      targets[b * seq + t] = stream[b * (seq + 1) + t + 1];
    }
  }
  return {
    ...s, lr, lstm, tokens, targets,
    embedding: scaled(vocab * embed, 1, 0.1),
    decoderWeight: scaled(vocab * hidden, 2, 0.1),
    decoderBias: new Float32Array(vocab),
  };
}

/** Fails unless `losses` fall at every step and match the reference contender's step by step. */
export function checkRnnLosses(name: string, losses: readonly number[], reference: { name: string; losses: readonly number[] }): void {
  for (let s = 0; s < losses.length; s++) {
    const want = reference.losses[s];
    if (!(Math.abs(losses[s] - want) <= LOSS_TOLERANCE * Math.abs(want))) {
      throw new Error(`rnn: ${name} disagrees with ${reference.name} at step ${s} (loss ${losses[s]} vs ${want})`);
    }
    if (s > 0 && !(losses[s] < losses[s - 1])) throw new Error(`rnn: ${name}'s loss did not fall at step ${s} (${losses[s - 1]} -> ${losses[s]})`);
  }
}

/** One SGD step of an LSTM language model (pytorch/examples word_language_model's shape). */
export const rnnBenchmark: Benchmark = {
  name: 'rnn',
  summary: 'training steps/s of an LSTM language model (embedding, 2 LSTM layers, linear decoder; cross entropy; SGD), loss read back each step',
  options: [
    option('vocab', 'vocabulary size (embedding rows, decoder outputs)', 1000, 200),
    option('embed', 'embedding size', 64, 16),
    option('hidden', 'LSTM hidden size', 128, 32),
    option('layers', 'LSTM layers', 2, 2),
    option('seq', 'sequence length (BPTT window)', 35, 8),
    option('batch', 'batch size', 20, 4),
  ],
  async run(ctx): Promise<BenchReport> {
    const sizes = ctx.options as unknown as LstmLmSizes;
    const problem = lstmLmProblem(sizes);
    const ratios = ratioColumns(ctx.contenders);
    const measurements: Measurement[] = [];
    const row: BenchReport['table']['rows'][number] = { seq: sizes.seq, batch: sizes.batch };
    const trainings: PreparedTraining[] = [];
    try {
      let reference: { name: string; losses: number[] } | undefined;
      for (const contender of ctx.contenders) {
        await contender.activate();
        const training = contender.lstmLm(problem);
        trainings.push(training);
        const losses: number[] = [];
        for (let s = 0; s < RNN_CHECK_STEPS; s++) losses.push(await training.step());
        reference ??= { name: contender.name, losses };
        checkRnnLosses(contender.name, losses, reference);
        ctx.log(`rnn ${contender.name}: losses ${losses.map((v) => v.toFixed(5)).join(', ')}`);
      }
      await timeTrainingSteps(ctx, 'rnn', { seq: sizes.seq, batch: sizes.batch }, trainings, row, measurements);
    } finally {
      for (const t of trainings) t.dispose();
    }
    for (const r of ratios) row[r.key] = (row[r.of] as number) / (row[r.to] as number);
    const { vocab, embed, hidden, layers } = sizes;
    return {
      unit: 'steps/s',
      table: {
        title:
          `rnn: LSTM language model training step (embedding ${embed}, ${layers} LSTM layers of ${hidden}, decoder over a vocabulary of ${vocab}; ` +
          `cross entropy over every position; SGD lr ${LR}), float32, steps/s (median of ${ctx.timing.samples} samples, contenders interleaved, ` +
          `after ${RNN_CHECK_STEPS} checked + ${ctx.timing.warmup} warm-up steps; higher is better)`,
        columns: ['seq', 'batch', ...ctx.contenders.map((c) => c.name), ...ratios.map((r) => r.key)],
        headers: ratioHeaders(ratios),
        rows: [row],
      },
      measurements,
    };
  },
};
