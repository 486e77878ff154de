import { fusedKernel } from '../../backend/fused.js';
import { sameShape, sizeOf } from '../../shape.js';
import { record } from '../../autograd/record.js';
import { backendOf, filled, wrap } from '../../ops/dispatch.js';
import { cast, reduceTo } from '../../ops/elementwise.js';
import { bmm } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';
import type { AttendSpec } from './attention.js';

/**
 * Attention through the backend's fused `attention` kernel, or null where it has none or the
 * inputs do not fit it (batch dims that differ between q, k and v, an empty product). The mask
 * becomes one additive float mask (-inf where a bool mask is false), shared by every batch item
 * when its batch dims are all 1. The gradient is written here from the saved probabilities P:
 *   dV = P^T dO;  dP = dO V^T;  dS = P (dP - rowsum(dP P));  dQ = scale dS K;  dK = scale dS^T Q
 * and the returned probabilities (MultiheadAttention's weights) get their own node with the same dS.
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec): { out: Tensor; probs: Tensor | null } | null {
  const be = backendOf('attention', q, k, v);
  const kernel = fusedKernel(be, 'attention');
  if (!kernel) return null;
  const batchShape = q.shape.slice(0, -2);
  if (!sameShape(batchShape, k.shape.slice(0, -2)) || !sameShape(batchShape, v.shape.slice(0, -2))) return null;
  const [l, e] = q.shape.slice(-2);
  const s = k.shape[k.ndim - 2];
  const ev = v.shape[v.ndim - 1];
  const batch = sizeOf(batchShape);
  if (batch * l * s * e * ev === 0) return null;
  const dtype = q.dtype;
  let mask: Tensor | null = null;
  let maskBatchStride = 0;
  if (spec.mask) {
    const m = spec.mask;
    const additive = m.dtype === 'bool' ? filled(0, [], dtype, be).maskedFill(m.logicalNot(), -Infinity) : cast(m, dtype);
    const shared = additive.shape.slice(0, -2).every((d) => d === 1);
    mask = shared ? additive.reshape(additive.shape.slice(-2)).expand([l, s]) : additive.expand([...batchShape, l, s]);
    maskBatchStride = shared ? 0 : l * s;
  }
  const scale = spec.scale;
  const r = kernel(q._storage(), k._storage(), v._storage(), mask?._storage() ?? null, {
    batch, l, s, e, ev, scale, causal: spec.causal, maskBatchStride, maskedRows: spec.maskedRows,
  }, dtype);
  const out = wrap(be, r.out, [...batchShape, l, ev], dtype);
  const probs = wrap(be, r.probs, [...batchShape, l, s], dtype);
  const maskIn = spec.mask && spec.mask.dtype !== 'bool' && spec.mask.requiresGrad ? spec.mask : null;
  const inputs = [q, k, v, ...(maskIn ? [maskIn] : [])];
  const scoreGrads = (ds: Tensor, qs: Tensor, ks: Tensor): Tensor[] => [
    bmm(ds, ks, false, false).mul(scale),
    bmm(ds, qs, true, false).mul(scale),
  ];
  record(out, 'attention', inputs, [q, k, v, probs], (g, [qs, ks, vs, p]) => {
    const dp = bmm(g, vs, false, true);
    const ds = p.mul(dp.sub(dp.mul(p).sum(-1, true)));
    const [dq, dk] = scoreGrads(ds, qs, ks);
    return [dq, dk, bmm(p, g, true, false), ...(maskIn ? [reduceTo(ds, maskIn.shape)] : [])];
  });
  if (!spec.needProbs) {
    probs.dispose();
    return { out, probs: null };
  }
  const weightInputs = [q, k, ...(maskIn ? [maskIn] : [])];
  record(probs, 'attentionWeights', weightInputs, [q, k, probs], (g, [qs, ks, p]) => {
    const ds = p.mul(g.sub(g.mul(p).sum(-1, true)));
    return [...scoreGrads(ds, qs, ks), ...(maskIn ? [reduceTo(ds, maskIn.shape)] : [])];
  });
  return { out, probs };
}
