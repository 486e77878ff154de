import { ShapeError, ValueError } from '../errors.js';
import { fmt, normDim } from '../shape.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { narrow } from './index-ops.js';

function pieces(x: Tensor, d: number, sizes: readonly number[]): Tensor[] {
  let at = 0;
  return tidy(() => sizes.map((s) => narrow(x, d, (at += s) - s, s)));
}

function checkRank(op: string, x: Tensor): void {
  if (x.ndim === 0) throw new ShapeError(`${op}: expects a tensor with at least 1 dimension, got a 0-d tensor`);
}

/**
 * Splits a tensor into pieces along `dim`, like `torch.split`.
 *
 * Inputs: `x` of any dtype, at least 1-D. `splitSizeOrSections`: a number s gives pieces of s
 * elements along dim, the last one smaller when s does not divide the size (0 only for a dim of
 * size 0); an array gives the size of each piece and must sum to the dim's size. `dim` (0).
 * Each piece is a new tensor (a copy, not a view as in PyTorch); gradients flow back into x.
 *
 * Shape: x (..., n, ...) to pieces (..., s_i, ...).
 *
 * @example
 * ```ts
 * const qkv = randn([2, 5, 12], { requiresGrad: true });
 * const [q, k, v] = qkv.split(4, -1);               // three [2, 5, 4] pieces
 * q.mul(k).add(v).sum().backward();
 * ```
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  checkRank('split', x);
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d];
  if (typeof splitSizeOrSections === 'number') {
    const s = splitSizeOrSections;
    if (!Number.isInteger(s) || s < 0) throw new ValueError(`split: splitSize must be a non-negative integer, got ${s}`);
    if (s === 0 && n !== 0) throw new ValueError(`split: splitSize can only be 0 if the size of dim ${dim} is 0, got size ${n}`);
    const count = Math.max(1, Math.ceil(n / Math.max(s, 1)));
    return pieces(x, d, Array.from({ length: count }, (_, i) => Math.min(s, n - i * s)));
  }
  if (!Array.isArray(splitSizeOrSections)) {
    throw new ValueError(`split: expected a number or an array of sizes, got ${typeof splitSizeOrSections}`);
  }
  const sizes = splitSizeOrSections as readonly number[];
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new ValueError(`split: split sizes must be non-negative integers, got ${fmt(sizes)}`);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n) {
    throw new ValueError(`split: split sizes ${fmt(sizes)} must sum exactly to ${n} (the size of dim ${dim}), got ${total}`);
  }
  return pieces(x, d, sizes);
}

/**
 * Splits a tensor into `chunks` pieces along `dim`, like `torch.chunk`: each piece has
 * ceil(n / chunks) elements along dim and the last one the rest, so fewer than `chunks` pieces
 * come back when the size does not allow more (6 elements in 4 chunks give 3 pieces of 2). A dim
 * of size 0 gives `chunks` empty pieces. `dim` (0). Gradients flow back into x.
 *
 * Shape: x (..., n, ...) to pieces (..., ceil(n / chunks), ...) and a smaller last one.
 *
 * @example
 * ```ts
 * const x = randn([6, 3], { requiresGrad: true });
 * const [a, b] = x.chunk(2);                          // two [3, 3] pieces
 * a.sub(b).square().sum().backward();
 * ```
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkRank('chunk', x);
  if (!Number.isInteger(chunks) || chunks < 1) throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normDim('chunk', dim, x.ndim);
  const n = x.shape[d];
  if (n === 0) return pieces(x, d, new Array<number>(chunks).fill(0));
  return split(x, Math.ceil(n / chunks), d);
}
