import { ConfigError } from '../config.js';

/** Everything that decides a names training run; the CLI flags and the page's controls map onto it. */
export interface NamesConfig {
  /** Embedding width of the transformer. */
  width: number;
  heads: number;
  layers: number;
  dropout: number;
  /** Peak learning rate of AdamW. */
  lr: number;
  weightDecay: number;
  /** Steps of linear warm-up from lr / 100 before the cosine decay. */
  warmupSteps: number;
  /** The cosine decay ends at lr * minLrFactor after `epochs` epochs. */
  minLrFactor: number;
  /** Clip the gradient norm to this before each step (0 = no clipping). */
  clipNorm: number;
  batchSize: number;
  epochs: number;
  /** Stop after this many epochs without a lower validation loss (0 = never stop early). */
  patience: number;
  seed: number;
  /** Fractions of the names for train / validation / test. */
  split: readonly [number, number, number];
  /** Names sampled after training. */
  samples: number;
  /** Divides the logits before sampling: below 1 safer, above 1 wilder. */
  temperature: number;
  /** Sample only among the k likeliest next characters (0 = all). */
  topK: number;
}

/**
 * Defaults measured on a 2-core machine with backend-wasm (see the README): a 2-layer, 4-head,
 * width-64 transformer, 5 epochs of AdamW at batch 32 with warm-up and cosine decay. Dropout is
 * off: a run this short does not overfit, and every dropout mask costs random numbers.
 */
export const NAMES_DEFAULTS: NamesConfig = {
  width: 64,
  heads: 4,
  layers: 2,
  dropout: 0,
  lr: 6e-3,
  weightDecay: 0.01,
  warmupSteps: 30,
  minLrFactor: 0.1,
  clipNorm: 0,
  batchSize: 32,
  epochs: 5,
  patience: 2,
  seed: 0,
  split: [0.8, 0.1, 0.1],
  samples: 20,
  temperature: 1,
  topK: 0,
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new ConfigError(message);
}

/** Fills in defaults and checks every value; throws ConfigError naming the first bad one. */
export function resolveNamesConfig(partial: Partial<NamesConfig> = {}): NamesConfig {
  const c: NamesConfig = { ...NAMES_DEFAULTS, ...partial };
  const int = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;
  check(int(c.width, 1), `width must be a positive integer, got ${c.width}`);
  check(int(c.heads, 1), `heads must be a positive integer, got ${c.heads}`);
  check(c.width % c.heads === 0, `heads (${c.heads}) must divide the width (${c.width})`);
  check(int(c.layers, 1), `layers must be a positive integer, got ${c.layers}`);
  check(c.dropout >= 0 && c.dropout < 1, `dropout must be in [0, 1), got ${c.dropout}`);
  check(c.lr > 0 && Number.isFinite(c.lr), `lr must be a positive number, got ${c.lr}`);
  check(c.weightDecay >= 0 && Number.isFinite(c.weightDecay), `weight decay must be a non-negative number, got ${c.weightDecay}`);
  check(int(c.warmupSteps, 0), `warm-up steps must be a non-negative integer, got ${c.warmupSteps}`);
  check(c.minLrFactor >= 0 && c.minLrFactor <= 1, `the final learning-rate factor must be in [0, 1], got ${c.minLrFactor}`);
  check(c.clipNorm >= 0 && Number.isFinite(c.clipNorm), `clip norm must be a non-negative number, got ${c.clipNorm}`);
  check(int(c.batchSize, 1), `batch size must be a positive integer, got ${c.batchSize}`);
  check(int(c.epochs, 1), `epochs must be a positive integer, got ${c.epochs}`);
  check(int(c.patience, 0), `patience must be a non-negative integer, got ${c.patience}`);
  check(Number.isSafeInteger(c.seed) && c.seed >= 0, `seed must be a non-negative integer, got ${c.seed}`);
  const [tr, va, te] = c.split;
  check(
    c.split.length === 3 && c.split.every((f) => f > 0) && Math.abs(tr + va + te - 1) < 1e-9,
    `split must be three positive fractions summing to 1 (train, validation, test), got ${c.split.join(', ')}`,
  );
  check(int(c.samples, 0), `samples must be a non-negative integer, got ${c.samples}`);
  check(c.temperature > 0 && Number.isFinite(c.temperature), `temperature must be a positive number, got ${c.temperature}`);
  check(int(c.topK, 0), `top-k must be a non-negative integer (0 = off), got ${c.topK}`);
  return c;
}
