import { newArray, type CrossEntropySpec, type DType, type TypedArray } from '@logit/core';
import { logSoftmaxRow } from './log-softmax.js';

export interface CrossEntropyArrays {
  loss: TypedArray;
  logProbs: TypedArray;
  weightSum: TypedArray;
}

/**
 * Fused cross entropy with class-index targets over (batch, classes, inner) logits, in doubles:
 * one log-softmax per entry, then the weighted NLL and label-smoothing terms. The two terms are
 * summed separately and combined only after reduction, as PyTorch does, so inf and nan land where
 * PyTorch puts them (e.g. all entries ignored: 'mean' is 0/0 = nan, 'sum' is 0).
 */
export function crossEntropy(x: TypedArray, target: Int32Array, weight: TypedArray | null, spec: CrossEntropySpec, dtype: DType): CrossEntropyArrays {
  const { batch, classes, inner, ignoreIndex, labelSmoothing: e, reduction } = spec;
  const entries = batch * inner;
  const logProbs = newArray(dtype, x.length);
  const perEntry = new Float64Array(entries);
  let nllSum = 0;
  let smoothSum = 0;
  let weightSum = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < inner; i++) {
      const start = b * classes * inner + i;
      logSoftmaxRow(x, logProbs, start, classes, inner);
      const n = b * inner + i;
      const y = target[n];
      if (y === ignoreIndex) continue;
      const wy = weight ? weight[y] : 1;
      const nll = -wy * logProbs[start + y * inner];
      weightSum += wy;
      nllSum += nll;
      let smooth = 0;
      if (e !== 0) {
        for (let c = 0; c < classes; c++) smooth -= (weight ? weight[c] : 1) * logProbs[start + c * inner];
        smoothSum += smooth;
      }
      perEntry[n] = e === 0 ? nll : (1 - e) * nll + (e / classes) * smooth;
    }
  }
  let loss: TypedArray;
  if (reduction === 'none') {
    loss = newArray(dtype, entries);
    loss.set(perEntry);
  } else {
    const div = reduction === 'mean' ? weightSum : 1;
    const total = e === 0 ? nllSum / div : (1 - e) * (nllSum / div) + (smoothSum / div) * (e / classes);
    loss = newArray(dtype, 1);
    loss[0] = total;
  }
  const ws = newArray(dtype, 1);
  ws[0] = weightSum;
  return { loss, logProbs, weightSum: ws };
}
