import { fusedKernel } from '../../backend/fused.js';
import { sizeOf } from '../../shape.js';
import { record } from '../../autograd/record.js';
import { backendOf, wrap } from '../../ops/dispatch.js';
import type { Tensor } from '../../tensor.js';

/**
 * layerNorm through the backend's fused `layerNorm` kernel, or null where it has none (the
 * caller then composes tensor ops). The gradient runs the fused `layerNormBackward` kernel when
 * the backend has it, else the same formula in tensor ops over (rows, cols):
 *   xhat = (x - mean) rstd;  gw = g * weight;  dx = rstd (gw - mean(gw) - xhat mean(gw xhat));
 *   dweight = sum_rows(g xhat);  dbias = sum_rows(g)
 */
export function fusedLayerNorm(x: Tensor, shape: readonly number[], weight: Tensor | null, bias: Tensor | null, eps: number): Tensor | null {
  const be = backendOf('layerNorm', x, ...(weight ? [weight] : []), ...(bias ? [bias] : []));
  const kernel = fusedKernel(be, 'layerNorm');
  const cols = sizeOf(shape);
  const rows = cols === 0 ? 0 : x.numel() / cols;
  if (!kernel || rows === 0 || cols === 0) return null;
  const spec = { rows, cols, eps };
  const dtype = x.dtype;
  const r = kernel(x._storage(), weight?._storage() ?? null, bias?._storage() ?? null, spec, dtype);
  const out = wrap(be, r.out, x.shape, dtype);
  const mean = wrap(be, r.mean, [rows, 1], dtype);
  const rstd = wrap(be, r.rstd, [rows, 1], dtype);
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const needW = weight?.requiresGrad ?? false;
  const needB = bias?.requiresGrad ?? false;
  return record(out, 'layerNorm', inputs, [x, mean, rstd, ...(weight ? [weight] : [])], (g, [xs, m, rs, w]) => {
    const backward = fusedKernel(be, 'layerNormBackward');
    let dx: Tensor, dw: Tensor, db: Tensor;
    if (backward) {
      const gr = backward(g._storage(), xs._storage(), m._storage(), rs._storage(), w?._storage() ?? null, spec, dtype);
      dx = wrap(be, gr.dx, x.shape, dtype);
      dw = wrap(be, gr.dweight, shape, dtype);
      db = wrap(be, gr.dbias, shape, dtype);
    } else {
      const g2 = g.reshape([rows, cols]);
      const xhat = xs.reshape([rows, cols]).sub(m).mul(rs);
      const gw = w ? g2.mul(w.reshape([1, cols])) : g2;
      dx = rs.mul(gw.sub(gw.mean(1, true)).sub(xhat.mul(gw.mul(xhat).mean(1, true)))).reshape(x.shape);
      dw = g2.mul(xhat).sum(0).reshape(shape);
      db = g2.sum(0).reshape(shape);
    }
    return [dx, ...(weight ? [needW ? dw : null] : []), ...(bias ? [needB ? db : null] : [])];
  });
}
