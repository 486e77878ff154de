// Fused cross entropy with class-index targets over (batch, classes, inner) float32 logits, the
// same arithmetic as backend-cpu's cross-entropy.ts: a log-softmax per entry (stored as float32,
// and the losses read those rounded values back), then the weighted NLL and label-smoothing
// terms in doubles, summed separately and combined after reduction as PyTorch does.

import { logSoftmaxRow } from './reduce';

const NONE = 0, MEAN = 1;

@inline function w(weight: usize, c: i32): f64 {
  return weight == 0 ? 1 : <f64>load<f32>(weight + (<usize>c << 2));
}

@inline function lp(logProbs: usize, q: i32): f64 {
  return <f64>load<f32>(logProbs + (<usize>q << 2));
}

/**
 * Writes logProbs (batch * classes * inner), loss (entries for 'none', else 1 value) and
 * weightSum (1 value); perEntry is scratch for batch * inner doubles. weight is 0 when absent.
 */
export function crossEntropy(
  batch: i32, classes: i32, inner: i32, ignoreIndex: i32, e: f64, reduction: i32,
  x: usize, target: usize, weight: usize, logProbs: usize, perEntry: usize, loss: usize, weightSum: usize,
): void {
  const entries = batch * inner;
  memory.fill(perEntry, 0, <usize>entries << 3);
  let nllSum: f64 = 0, smoothSum: f64 = 0, wSum: f64 = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < inner; i++) {
      const start = b * classes * inner + i;
      logSoftmaxRow(x, logProbs, start, classes, inner);
      const n = b * inner + i;
      const y = load<i32>(target + (<usize>n << 2));
      if (y == ignoreIndex) continue;
      const wy = w(weight, y);
      const nll = -wy * lp(logProbs, start + y * inner);
      wSum += wy;
      nllSum += nll;
      let smooth: f64 = 0;
      if (e != 0) {
        for (let c = 0; c < classes; c++) smooth -= w(weight, c) * lp(logProbs, start + c * inner);
        smoothSum += smooth;
      }
      store<f64>(perEntry + (<usize>n << 3), e == 0 ? nll : (1 - e) * nll + (e / <f64>classes) * smooth);
    }
  }
  if (reduction == NONE) {
    for (let n = 0; n < entries; n++) store<f32>(loss + (<usize>n << 2), <f32>load<f64>(perEntry + (<usize>n << 3)));
  } else {
    const div = reduction == MEAN ? wSum : 1;
    const total = e == 0 ? nllSum / div : (1 - e) * (nllSum / div) + (smoothSum / div) * (e / <f64>classes);
    store<f32>(loss, <f32>total);
  }
  store<f32>(weightSum, <f32>wSum);
}
