import { data, manualSeed, randperm, tensor, type Tensor } from '@logit/core';
import { IGNORE_INDEX, Vocabulary } from './vocab.js';

/** The names split three ways, with the vocabulary of all of them. */
export interface NameSplits {
  readonly name: string;
  readonly vocab: Vocabulary;
  readonly train: readonly string[];
  readonly val: readonly string[];
  readonly test: readonly string[];
  /** Longest name + 1: the sequence length that holds any name with its start token. */
  readonly blockSize: number;
}

/**
 * A seeded split by name (data.randomSplit over the indices, as the digits use), so a name is
 * in exactly one split and the same seed gives the same split on every backend.
 */
export function splitNames(names: readonly string[], fractions: readonly [number, number, number], seed: number, name = 'English first names'): NameSplits {
  manualSeed(seed);
  const indices: data.Dataset<number> = { length: names.length, get: (i: number) => i };
  const [train, val, test] = data.randomSplit(indices, fractions).map((s) => Array.from(s.indices, (i) => names[i]));
  const blockSize = Math.max(...names.map((n) => n.length)) + 1;
  return { name, vocab: Vocabulary.of(names), train, val, test, blockSize };
}

/**
 * A batch of names as model input and targets, each (N, T) int32 row-major, T = the longest
 * name in the batch + 1 (or `length`):
 *
 *   name "ada":  x = .  a  d  a  .  .  ...      (the boundary token starts the name; padding repeats it)
 *                y = a  d  a  .  -100 -100 ... (the next character; the boundary ends the name;
 *                                                padding is IGNORE_INDEX, which the loss skips)
 *
 * Position t predicts y[t] from x[0..t]. Padding sits after the end, so a causal model never
 * sees it when predicting a real position.
 */
export interface EncodedBatch {
  x: Int32Array;
  y: Int32Array;
  n: number;
  t: number;
  /** Positions whose target is not IGNORE_INDEX: the characters the loss averages over. */
  targets: number;
}

/**
 * Encodes names as an EncodedBatch (see above): padded to the longest name + 1, or to `length`
 * (the model's context, as the loss panel shows it). A character outside `vocab` is a DataFormatError.
 */
export function encodeNames(names: readonly string[], vocab: Vocabulary, length?: number): EncodedBatch {
  const longest = names.reduce((m, s) => Math.max(m, s.length), 0);
  const t = length ?? longest + 1;
  if (t < longest + 1) throw new RangeError(`encodeNames: length ${t} cannot hold a name of ${longest} characters plus its start token`);
  const x = new Int32Array(names.length * t);
  const y = new Int32Array(names.length * t).fill(IGNORE_INDEX);
  let targets = 0;
  names.forEach((name, row) => {
    const ids = vocab.encode(name);
    for (let i = 0; i <= ids.length; i++) {
      x[row * t + i] = i === 0 ? 0 : ids[i - 1];
      y[row * t + i] = i < ids.length ? ids[i] : 0;
    }
    targets += ids.length + 1;
  });
  return { x, y, n: names.length, t, targets };
}

/** The batch as tensors on the current backend. */
export function batchTensors(b: EncodedBatch): { x: Tensor; y: Tensor } {
  return {
    x: tensor(b.x, { shape: [b.n, b.t], dtype: 'int32' }),
    y: tensor(b.y, { shape: [b.n, b.t], dtype: 'int32' }),
  };
}

/**
 * One epoch's batches: a seeded permutation of the training names (core's randperm, so every
 * backend shuffles alike) cut into batches of `batchSize` (the last may be smaller).
 */
export async function shuffledBatches(names: readonly string[], batchSize: number): Promise<string[][]> {
  const permT = randperm(names.length);
  const perm = (await permT.data()) as Int32Array;
  permT.dispose();
  const batches: string[][] = [];
  for (let start = 0; start < perm.length; start += batchSize) {
    batches.push(Array.from(perm.subarray(start, start + batchSize), (i) => names[i]));
  }
  return batches;
}
