import { DTypeError, ShapeError } from '../errors.js';
import { isFloat } from '../dtype.js';
import { broadcastShapes, fmt, sameShape, sizeOf } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, wrap } from './dispatch.js';
import { reduceTo } from './elementwise.js';

/**
 * Batched op(a) @ op(b) on the last two dims, op = transpose when the flag is set; leading dims
 * broadcast. The transpose is a flag to the kernel, never a copy, so x.T on the hot path is free.
 */
export function bmm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return tidy(() => {
    const [p, q] = a.shape.slice(-2);
    const [r, s] = b.shape.slice(-2);
    const [m, k] = transA ? [q, p] : [p, q];
    const [k2, n] = transB ? [s, r] : [r, s];
    if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ (${k} vs ${k2})`);
    const batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batch = sizeOf(batchShape);
    const fit = (t: Tensor): [Tensor, number] => {
      const tb = t.shape.slice(0, -2);
      const inner = t.shape.slice(-2);
      if (sizeOf(tb) === 1) return [t, 0];
      if (sameShape(tb, batchShape)) return [t, sizeOf(inner)];
      return [t.expand([...batchShape, ...inner]), sizeOf(inner)];
    };
    const [af, aStride] = fit(a);
    const [bf, bStride] = fit(b);
    const be = backendOf('matmul', af, bf);
    const spec = { batch, m, n, k, transA, transB, aBatchStride: aStride, bBatchStride: bStride };
    const out = wrap(be, be.ops.matmul(af._storage(), bf._storage(), spec, a.dtype), [...batchShape, m, n], a.dtype);
    return record(out, 'matmul', [a, b], [a, b], (g, [as, bs]) => [
      reduceTo(transA ? bmm(bs, g, transB, true) : bmm(g, bs, false, !transB), a.shape),
      reduceTo(transB ? bmm(g, as, true, transA) : bmm(as, g, !transA, false), b.shape),
    ]);
  });
}

/** torch.matmul: 1-D·1-D dot, matrix @ matrix, and batched products with broadcasting. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!isFloat(a.dtype) || !isFloat(b.dtype)) {
    throw new DTypeError(`matmul: expected floating-point inputs, got ${a.dtype} and ${b.dtype}`);
  }
  if (a.dtype !== b.dtype) throw new DTypeError(`matmul: both inputs must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both arguments need at least 1 dimension, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) {
    throw new ShapeError(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${ka} columns vs ${kb} rows)`);
  }
  broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return tidy(() => {
    const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
    const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
    let out = bmm(a2, b2, false, false);
    if (a.ndim === 1) out = out.squeeze(-2);
    if (b.ndim === 1) out = out.squeeze(-1);
    return out;
  });
}
