import { data, manualSeed, tensor, type Tensor } from '@logit/core';
import { DIGIT_CLASSES, subsetOf, type ImageSet, type Splits } from './images.js';

/** A dataset of just indices, so randomSplit (seeded, the same on every backend) picks the rows. */
function indexDataset(n: number): data.Dataset<number> {
  return { length: n, get: (i: number) => i };
}

/**
 * Splits one labelled set into train / validation / test with core's seeded randomSplit, the way
 * the embedded 10,000 digits are used. The same seed gives the same split on every backend.
 */
export function splitThreeWays(
  all: ImageSet,
  fractions: readonly [number, number, number],
  seed: number,
  name = 'mnist (embedded, 10,000 digits)',
  classNames: readonly string[] = DIGIT_CLASSES,
): Splits {
  manualSeed(seed);
  const [train, val, test] = data.randomSplit(indexDataset(all.count), fractions).map((s) => subsetOf(all, s.indices));
  return { name, classNames, train, val, test };
}

/** Holds out `valFraction` of a training file for validation; the test file stays as it is. */
export function splitTrainVal(
  trainAll: ImageSet,
  test: ImageSet,
  valFraction: number,
  seed: number,
  name: string,
  classNames: readonly string[],
): Splits {
  manualSeed(seed);
  const [train, val] = data.randomSplit(indexDataset(trainAll.count), [1 - valFraction, valFraction]).map((s) => subsetOf(trainAll, s.indices));
  return { name, classNames, train, val, test };
}

/** Images as float32 (N, rows*cols) in 0..1 and labels as int32 (N), on the current backend. */
export function toTensors(set: ImageSet): { x: Tensor; y: Tensor } {
  const pixels = new Float32Array(set.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = set.images[i] / 255;
  return {
    x: tensor(pixels, { shape: [set.count, set.rows * set.cols] }),
    y: tensor(Int32Array.from(set.labels), { shape: [set.count], dtype: 'int32' }),
  };
}

/** Mean and standard deviation of the pixels (in 0..1), computed in float64 on the host. */
export function pixelStats(set: ImageSet): { mean: number; std: number } {
  let sum = 0;
  let sumSq = 0;
  for (const b of set.images) {
    const v = b / 255;
    sum += v;
    sumSq += v * v;
  }
  const n = set.images.length;
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(sumSq / n - mean * mean, 1e-12)) };
}
