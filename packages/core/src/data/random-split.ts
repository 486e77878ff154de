import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { randpermIndices } from '../ops/randperm.js';
import { Subset, type Dataset } from './dataset.js';

/** Python's math.isclose with its default rel_tol. */
function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Splits a dataset into non-overlapping random subsets, like torch.utils.data.random_split.
 *
 * `lengths` are either the subset sizes (non-negative integers summing to the dataset's length)
 * or fractions summing to 1: then each subset gets floor(N * fraction) samples and the remainder
 * is handed out one by one, round-robin from the first subset (PyTorch's rule). The order comes
 * from a permutation drawn from the seeded Philox generator (see manualSeed), so a split is the
 * same on every backend.
 *
 *   manualSeed(42);
 *   const [train, val] = data.randomSplit(ds, [0.8, 0.2]);
 */
export function randomSplit<T = Tensor[]>(dataset: Dataset<T>, lengths: readonly number[]): Subset<T>[] {
  const n = dataset.length;
  if (!Array.isArray(lengths) || lengths.length === 0 || !lengths.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ValueError(`randomSplit: lengths must be a non-empty array of finite numbers, got ${JSON.stringify(lengths)}`);
  }
  let sizes = lengths.slice();
  const total = sizes.reduce((a, b) => a + b, 0);
  if (isClose(total, 1) && total <= n) {
    sizes = sizes.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new ValueError(`randomSplit: fraction at index ${i} is not between 0 and 1, got ${frac}`);
      return Math.floor(n * frac);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
  }
  sizes.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) {
      throw new ValueError(`randomSplit: length at index ${i} must be a non-negative integer (or all lengths fractions summing to 1), got ${v}`);
    }
  });
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) {
    throw new ValueError(`randomSplit: sum of input lengths (${sum}) does not equal the length of the input dataset (${n})`);
  }
  const perm = randpermIndices(n, 'randomSplit');
  let at = 0;
  return sizes.map((len) => new Subset(dataset, perm.subarray(at, (at += len))));
}
