import type { FusedKernels } from '../../backend/types.js';
import { record } from '../../autograd/record.js';
import { backendOf, fromHost, wrap } from '../../ops/dispatch.js';
import { where } from '../../ops/elementwise.js';
import { gatherUnchecked } from '../../ops/index-ops.js';
import type { Tensor } from '../../tensor.js';
import type { ClassCall } from './nll-loss.js';

/**
 * Cross entropy with class-index targets through the backend's fused `crossEntropy` kernel. The
 * kernel returns the loss, the log-probabilities and the 'mean' divisor; the gradient is written
 * here with tensor ops, so a backend only supplies the forward. With p = softmax(x), target y,
 * smoothing e, class weights w (all 1 without a weight), W = sum_c w_c and C classes, the
 * gradient of one entry's loss is
 *   dl/dx_j = p_j * ((1 - e) w_y + e W / C) - (1 - e) w_y [j == y] - (e / C) w_j
 * scaled by the upstream gradient ('none'), by it ('sum') or by it over the divisor ('mean'),
 * and exactly 0 for ignored entries: PyTorch's gradient of (1 - e) * NLL(logSoftmax(x)) + e / C *
 * the smoothing term.
 */
export function fusedClassLoss(kernel: FusedKernels['crossEntropy'], input: Tensor, target: Tensor, call: ClassCall, labelSmoothing: number): Tensor {
  const { batch, classes, inner, outShape } = call.layout;
  const { reduction, ignoreIndex, weight } = call;
  const dtype = input.dtype;
  const be = backendOf('crossEntropy', input, target);
  const x3 = input.reshape([batch, classes, inner]);
  const res = kernel(x3._storage(), target._storage(), weight ? weight._storage() : null, { batch, classes, inner, ignoreIndex, labelSmoothing, reduction }, dtype);
  const loss = wrap(be, res.loss, reduction === 'none' ? outShape : [], dtype);
  const logProbs = wrap(be, res.logProbs, [batch, classes, inner], dtype);
  const weightSum = wrap(be, res.weightSum, [], dtype);
  const t3 = target.reshape([batch, 1, inner]);
  const saved = weight ? [logProbs, t3, weightSum, weight] : [logProbs, t3, weightSum];
  return record(loss, 'crossEntropy', [x3], saved, (g, [lp, t, wsum, w]) => {
    const e = labelSmoothing;
    const mask = t.ne(ignoreIndex);
    const safe = where(mask, t, 0);
    const wy = w ? gatherUnchecked(w, 0, safe.reshape([batch * inner])).reshape([batch, 1, inner]) : mask.to(dtype);
    const scale = reduction === 'none' ? g.reshape([batch, 1, inner]) : reduction === 'sum' ? g : g.div(wsum);
    const coef = where(mask, scale, 0);
    const isTarget = fromHost(Array.from({ length: classes }, (_, c) => c), [1, classes, 1], 'int32', be).eq(safe);
    const sumW = w ? w.sum() : classes;
    const pCoef = e === 0 ? wy : wy.mul(1 - e).add(w ? (sumW as Tensor).mul(e / classes) : e);
    // with e = 0 (the default) both coefficients are wy * coef: computed once, no multiply by 1
    const targetCoef = (e === 0 ? wy : wy.mul(1 - e)).mul(coef);
    const probCoef = e === 0 ? targetCoef : pCoef.mul(coef);
    let grad = lp.exp().mul(probCoef).sub(where(isTarget, targetCoef, 0));
    if (e !== 0) grad = grad.sub((w ? w.reshape([1, classes, 1]).mul(coef) : coef).mul(e / classes));
    return [grad];
  });
}
