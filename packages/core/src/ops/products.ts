import { ShapeError } from '../errors.js';
import { fmt } from '../shape.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';

/**
 * Batched matrix product of two 3-D tensors, like `torch.bmm`: out[b] = batch1[b] @ batch2[b].
 * Strict as PyTorch's: both must be 3-D with the same batch size (no broadcasting; use
 * {@link matmul} for that). Floating point, one dtype. Gradients flow to both.
 *
 * Shape: (b, n, m) and (b, m, p) to (b, n, p).
 *
 * @example
 * ```ts
 * const q = randn([4, 5, 8], { requiresGrad: true });
 * const k = randn([4, 8, 5], { requiresGrad: true });
 * bmm(q, k).softmax(-1).sum().backward();
 * ```
 */
export function bmm(batch1: Tensor, batch2: Tensor): Tensor {
  if (batch1.ndim !== 3) throw new ShapeError(`bmm: batch1 must be a 3-D tensor, got shape ${fmt(batch1.shape)}`);
  if (batch2.ndim !== 3) throw new ShapeError(`bmm: batch2 must be a 3-D tensor, got shape ${fmt(batch2.shape)}`);
  const [b, , m] = batch1.shape;
  if (batch2.shape[0] !== b || batch2.shape[1] !== m) {
    throw new ShapeError(`bmm: batch2 must have shape [${b}, ${m}, *] (batch1's batch size and columns), got ${fmt(batch2.shape)}`);
  }
  return matmul(batch1, batch2);
}

/**
 * The outer product of two vectors, like `torch.outer`: out[i][j] = a[i] * b[j], with the dtype
 * promotion of `mul`. Gradients flow to both.
 *
 * Shape: (n) and (m) to (n, m).
 *
 * @example
 * ```ts
 * const a = randn([3], { requiresGrad: true });
 * const b = randn([4], { requiresGrad: true });
 * outer(a, b).sum().backward();     // a.grad = sum(b) everywhere, b.grad = sum(a)
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`outer: both inputs must be 1-D, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  return tidy(() => a.unsqueeze(1).mul(b.unsqueeze(0)));
}
