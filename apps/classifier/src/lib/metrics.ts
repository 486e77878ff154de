/** One row of the training history: what the table, the charts and metrics.json show per epoch. */
export interface EpochMetrics {
  epoch: number;
  /** Mean CrossEntropyLoss over the epoch's batches, in train mode (dropout on). */
  trainLoss: number;
  trainAcc: number;
  /** Over the whole validation split, in eval mode. */
  valLoss: number;
  valAcc: number;
  seconds: number;
  /** The validation loss is the lowest so far (this epoch's weights are the checkpoint). */
  best: boolean;
  /** Why this epoch looks like overfitting, or null. */
  overfitting: string | null;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * Looks at the history so far and says, in words, if the model has started to overfit:
 * - the validation loss rose for two epochs in a row while the training loss kept falling, or
 * - training accuracy is ahead of validation accuracy, by more than 2 points at the end, and the
 *   gap widened for two epochs in a row (while validation leads, as early on with dropout and
 *   shifts, there is nothing to warn about).
 * Returns null when neither holds.
 */
export function overfittingSignal(history: readonly Pick<EpochMetrics, 'trainLoss' | 'valLoss' | 'trainAcc' | 'valAcc'>[]): string | null {
  const n = history.length;
  if (n < 3) return null;
  const [a, b, c] = history.slice(-3);
  if (c.valLoss > b.valLoss && b.valLoss > a.valLoss && c.trainLoss < b.trainLoss && b.trainLoss < a.trainLoss) {
    return `validation loss rising (${a.valLoss.toFixed(4)} -> ${c.valLoss.toFixed(4)}) while training loss falls (${a.trainLoss.toFixed(4)} -> ${c.trainLoss.toFixed(4)})`;
  }
  const gap = (m: typeof a): number => m.trainAcc - m.valAcc;
  if (gap(a) > 0 && gap(c) > 0.02 && gap(c) > gap(b) && gap(b) > gap(a)) {
    return `train/validation accuracy gap widening (${pct(gap(a))} -> ${pct(gap(c))})`;
  }
  return null;
}

/** counts[true][predicted] */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predictions[i]] += 1;
  return m;
}

/** The most frequent mistakes, e.g. "4 -> 9 (7x)". */
export function topConfusions(matrix: readonly (readonly number[])[], classNames: readonly string[], k = 3): string[] {
  const pairs: [number, number, number][] = [];
  matrix.forEach((row, t) => row.forEach((count, p) => { if (t !== p && count > 0) pairs.push([count, t, p]); }));
  pairs.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  return pairs.slice(0, k).map(([count, t, p]) => `${classNames[t]} -> ${classNames[p]} (${count}x)`);
}
