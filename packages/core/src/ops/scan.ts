import type { ScanOp } from '../backend/types.js';
import { isFloat } from '../dtype.js';
import { normDim } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, filled, wrap } from './dispatch.js';
import { cast, where } from './elementwise.js';
import { cat } from './index-ops.js';

/** The backend's scan along d, without a graph; bool counts as int32 (PyTorch: int64). */
function scanRaw(op: ScanOp, x: Tensor, d: number, reverse: boolean): Tensor {
  const src = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const be = backendOf(op === 'sum' ? 'cumsum' : 'cumprod', src);
  const shape = x.ndim === 0 ? [1] : x.shape;
  return wrap(be, be.ops.scan(op, src._storage(), shape, d, reverse, src.dtype), x.shape, src.dtype);
}

/** Sum from each position to the end of the dim: the gradient of cumsum. */
function reversedCumsum(g: Tensor, d: number): Tensor {
  return scanRaw('sum', g, d, true);
}

/**
 * The cumulative sum along `dim`, like `torch.cumsum`: out[i] = x[0] + ... + x[i].
 *
 * Inputs: `x` of any dtype (bool and int32 sum as int32, where PyTorch gives int64); `dim`.
 * Gradient: the sum of g from each position to the end of the dim.
 *
 * Shape: x's shape.
 *
 * @example
 * ```ts
 * const probs = randn([2, 6]).softmax(-1);
 * const cdf = probs.cumsum(-1);                   // the last column is 1
 * const x = randn([4], { requiresGrad: true });
 * x.cumsum(0).sum().backward();                   // x.grad = [4, 3, 2, 1]
 * ```
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = normDim('cumsum', dim, x.ndim);
  return tidy(() => {
    const out = scanRaw('sum', x, d, false);
    if (!isFloat(out.dtype)) return out;
    return record(out, 'cumsum', [x], [], (g) => [reversedCumsum(g, d)]);
  });
}

/**
 * PyTorch's O(n) cumprod gradient, zeros included (y = cumprod(x), w = y * g, z the first zero
 * of a row): before z, reversedCumsum(w) / x; at z, y[z - 1] times sum over j in [z, next zero)
 * of g[j] * prod(x(z, j]); after z, 0 (every later product holds x[z] = 0).
 */
function cumprodGrad(g: Tensor, x: Tensor, y: Tensor, d: number): Tensor {
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (n <= 1) return g;
  const isZero = x.eq(0);
  const zerosSoFar = scanRaw('sum', isZero, d, false);
  const beforeZero = zerosSoFar.eq(0);
  const lead = where(beforeZero, reversedCumsum(where(beforeZero, y.mul(g), 0), d).div(x), 0);
  const firstZero = isZero.mul(zerosSoFar.eq(1));
  const afterFirst = zerosSoFar.eq(1).mul(firstZero.logicalNot());
  const tail = scanRaw('prod', where(afterFirst, x, 1), d, false).mul(where(zerosSoFar.eq(1), g, 0)).sum(d, true);
  const ones = filled(1, x.shape.map((s, i) => (i === d ? 1 : s)), x.dtype, x._ref().backend);
  const yBefore = cat([ones, y.narrow(d, 0, n - 1)], d);
  return lead.add(where(firstZero, tail.mul(yBefore), 0));
}

/**
 * The cumulative product along `dim`, like `torch.cumprod`: out[i] = x[0] * ... * x[i].
 *
 * Inputs: `x` of any dtype (bool and int32 multiply as int32, wrapping on overflow). Gradient:
 * PyTorch's, exact with zeros in the input (no division by a zero).
 *
 * Shape: x's shape.
 *
 * @example
 * ```ts
 * const x = tensor([2, 0, 3, 4], { requiresGrad: true });
 * x.cumprod(0).sum().backward();                  // x.grad = [1, 32, 0, 0], as PyTorch
 * ```
 */
export function cumprod(x: Tensor, dim: number): Tensor {
  const d = normDim('cumprod', dim, x.ndim);
  return tidy(() => {
    const out = scanRaw('prod', x, d, false);
    if (!isFloat(out.dtype)) return out;
    return record(out, 'cumprod', [x], [x, out], (g, [xs, ys]) => [cumprodGrad(g, xs, ys, d)]);
  });
}
