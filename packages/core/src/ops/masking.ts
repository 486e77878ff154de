import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { broadcastShapes, fmt } from '../shape.js';
import { tidy } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { backendOf, filled, fromHost } from './dispatch.js';
import { cast, where } from './elementwise.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A number as `dtype` stores it, as PyTorch converts a fill value (ints truncate; out of range throws). */
function fillValue(op: string, value: number, dtype: Tensor['dtype']): number {
  if (typeof value !== 'number') throw new ValueError(`${op}: value must be a number or a 0-d tensor, got ${typeof value}`);
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'int32') {
    const v = Math.trunc(value);
    if (!Number.isFinite(v) || v < INT32_MIN || v > INT32_MAX) {
      throw new ValueError(`${op}: value ${value} cannot be converted to int32 without overflow`);
    }
    return v;
  }
  return value;
}

/**
 * Fills elements of `x` with `value` where `mask` is true, like `torch.Tensor.masked_fill`; the
 * input is not modified.
 *
 * Inputs: `x` of any dtype; `mask` a bool tensor broadcastable with `x` (the output has their
 * broadcast shape); `value` a number (converted to x's dtype: truncated for int32, refused when
 * out of range) or a 0-d tensor (cast to x's dtype; it receives the gradient of every filled
 * element).
 *
 * Formula: out = where(mask, value, x). Gradient: g where the mask is false for x, and the sum of
 * g where it is true for a tensor value.
 *
 * Shape: x (*), mask broadcastable with x, output broadcast(x, mask).
 *
 * @example
 * ```ts
 * const scores = randn([4, 4], { requiresGrad: true });
 * const causal = ones([4, 4]).triu(1).bool();            // true above the diagonal
 * const attn = scores.maskedFill(causal, -Infinity).softmax(-1);
 * attn.sum().backward();
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  if (!(mask instanceof Tensor)) throw new DTypeError('maskedFill: mask must be a bool Tensor');
  if (mask.dtype !== 'bool') {
    throw new DTypeError(`maskedFill: mask must have dtype bool, got ${mask.dtype}; build it with a comparison or .bool()`);
  }
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new ShapeError(`maskedFill: value must be a number or a 0-d tensor, got a tensor of shape ${fmt(value.shape)}`);
  }
  broadcastShapes('maskedFill', x.shape, mask.shape);
  const v = value instanceof Tensor ? null : fillValue('maskedFill', value, x.dtype);
  const be = backendOf('maskedFill', x, mask, ...(value instanceof Tensor ? [value] : []));
  return tidy(() => {
    const fill = value instanceof Tensor ? cast(value, x.dtype) : filled(v!, [], x.dtype, be);
    return where(mask, fill, x);
  });
}

/** The bool mask of a (rows, cols) matrix that keeps j - i <= diagonal (lower) or >= diagonal (upper). */
function triangle(op: string, x: Tensor, diagonal: number): Tensor {
  if (x.ndim < 2) throw new ShapeError(`${op}: input must have at least 2 dimensions, got shape ${fmt(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new ValueError(`${op}: diagonal must be an integer, got ${diagonal}`);
  const [rows, cols] = x.shape.slice(-2);
  const be = backendOf(op, x);
  return tidy(() => {
    // j - i from two small host vectors, compared on the device: O(rows + cols) host work
    const i = fromHost(Array.from({ length: rows }, (_, k) => k), [rows, 1], 'int32', be, op);
    const j = fromHost(Array.from({ length: cols }, (_, k) => k), [1, cols], 'int32', be, op);
    const offset = j.sub(i);
    const keep = op === 'tril' ? offset.le(diagonal) : offset.ge(diagonal);
    return where(keep, x, filled(0, [], x.dtype, be));
  });
}

/**
 * The lower triangle of the last two dims, like `torch.tril`: elements with column - row <=
 * `diagonal` are kept, the rest become 0.
 *
 * Inputs: `x` of any dtype with at least 2 dims (leading dims are a batch); `diagonal` (0): 0 is
 * the main diagonal, a positive value keeps that many diagonals above it, a negative value drops
 * that many below it. Gradient: the lower triangle of g.
 *
 * Shape: `(*, m, n)` to `(*, m, n)`.
 *
 * @example
 * ```ts
 * const x = randn([2, 3, 3], { requiresGrad: true });
 * x.tril(-1).sum().backward();       // strictly below the diagonal
 * ```
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/**
 * The upper triangle of the last two dims, like `torch.triu`: elements with column - row >=
 * `diagonal` are kept, the rest become 0. `diagonal` (0) as in {@link tril}. Gradient: the
 * upper triangle of g.
 *
 * Shape: `(*, m, n)` to `(*, m, n)`.
 *
 * @example
 * ```ts
 * const x = randn([4, 4], { requiresGrad: true });
 * x.triu(1).sum().backward();        // strictly above the diagonal
 * ```
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}
