import { cat, getRngState, manualSeed, nn, noGrad, setRngState, tidy, zeros, type Tensor } from '@logit/core';
import type { Vocabulary } from './vocab.js';

/** A model that maps token ids (N, T) to next-character logits (N, T, V): the transformer or the bigram. */
export interface NextCharModel extends nn.Module {
  forward(x: Tensor): Tensor;
}

/** How to sample. */
export interface SampleOptions {
  /** How many names. */
  count: number;
  /** The logits are divided by it before the softmax: below 1 safer, above 1 wilder. Default 1. */
  temperature?: number;
  /** Sample only among the k likeliest next characters; 0 or >= V means all. Default 0. */
  topK?: number;
  /** Most characters of a name (the model's context less the start token). */
  maxLength: number;
  /**
   * Draw from a generator seeded with this, and put the global one back afterwards, so sampling
   * in the middle of training (the page does) leaves the training run's random numbers as they
   * were. Default: the global generator.
   */
  seed?: number;
}

/** A sampled name and whether it is one of the names the model was trained on. */
export interface SampledName {
  name: string;
  inTraining: boolean;
}

/**
 * The next-character distribution at the last position: softmax(logits / temperature), with
 * every character outside the top k set to probability 0 (its logit to -inf) when topK is set.
 * `logits` is (N, V); the result is (N, V) probabilities.
 */
export function nextCharProbabilities(logits: Tensor, temperature = 1, topK = 0): Tensor {
  return tidy(() => {
    let z = logits.div(temperature);
    const v = z.shape[1];
    if (topK > 0 && topK < v) {
      const kth = z.topk(topK, { dim: -1 }).values.narrow(1, topK - 1, 1); // (N, 1): the k-th largest logit
      z = z.maskedFill(z.lt(kth), -Infinity);
    }
    return z.softmax(1);
  });
}

/**
 * Invents names: every name starts as the boundary token; at each step the model scores the
 * next character from all the characters so far, one is drawn with `multinomial` from
 * nextCharProbabilities, until the boundary token comes out (the name ends) or `maxLength`
 * characters. All names are sampled together as one batch, in eval mode (no dropout), from the
 * seeded generator: the same seed gives the same names on every backend.
 */
export async function sampleNames(model: NextCharModel, vocab: Vocabulary, opts: SampleOptions): Promise<string[]> {
  if (opts.seed === undefined) return sampleWith(model, vocab, opts);
  const state = getRngState();
  manualSeed(opts.seed);
  try {
    return await sampleWith(model, vocab, opts);
  } finally {
    setRngState(state);
  }
}

async function sampleWith(model: NextCharModel, vocab: Vocabulary, opts: SampleOptions): Promise<string[]> {
  const { count, maxLength } = opts;
  if (count === 0) return [];
  const wasTraining = model.training;
  model.eval();
  let x = zeros([count, 1], { dtype: 'int32' });
  const rows: number[][] = Array.from({ length: count }, () => []);
  const done = new Array<boolean>(count).fill(false);
  try {
    for (let step = 0; step < maxLength + 1 && done.includes(false); step++) {
      const next = tidy(() => noGrad(() => {
        const logits = model.forward(x);
        const t = logits.shape[1];
        const last = logits.narrow(1, t - 1, 1).reshape([count, vocab.size]);
        return nextCharProbabilities(last, opts.temperature ?? 1, opts.topK ?? 0).multinomial(1);
      }));
      const ids = (await next.data()) as Int32Array;
      ids.forEach((id, i) => {
        if (done[i]) return;
        if (id === 0 || rows[i].length === maxLength) done[i] = true;
        else rows[i].push(id);
      });
      const grown = cat([x, next], 1);
      x.dispose();
      next.dispose();
      x = grown;
    }
  } finally {
    x.dispose();
    model.train(wasTraining);
  }
  return rows.map((r) => vocab.decode(r));
}

/** Marks the sampled names that are in the training set (the model may have memorised them). */
export function markKnown(samples: readonly string[], training: ReadonlySet<string>): SampledName[] {
  return samples.map((name) => ({ name, inTraining: training.has(name) }));
}
