import { isFloat } from '../dtype.js';
import { IndexError, ValueError } from '../errors.js';
import { checkOptions, type OptionKeys } from '../options.js';
import { normDim } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, wrap } from './dispatch.js';
import { cast } from './elementwise.js';

/** Two tensors of one shape: values and their int32 positions along the dim (PyTorch's namedtuple). */
export interface ValuesIndices {
  /** The values (sorted, the top k, or the max/min along the dim), of the input's dtype. */
  values: Tensor;
  /** Where each value lies along the dim in the input, int32. */
  indices: Tensor;
}

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** The dim to sort along. Default: -1. */
  dim?: number;
  /** Largest first. Default: false. */
  descending?: boolean;
  /** Accepted for PyTorch compatibility: Logit's sort is always stable. Default: false. */
  stable?: boolean;
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** The dim to pick along. Default: -1. */
  dim?: number;
  /** The k largest (true) or smallest (false). Default: true. */
  largest?: boolean;
  /** Accepted for PyTorch compatibility: the result is always sorted. Default: true. */
  sorted?: boolean;
}

export const SORT_OPTIONS: OptionKeys<SortOptions> = { dim: true, descending: true, stable: true };
export const TOPK_OPTIONS: OptionKeys<TopkOptions> = { dim: true, largest: true, sorted: true };

/** The stable sorting permutation along d (a 0-d tensor is one element). */
function permutation(op: string, x: Tensor, d: number, descending: boolean): Tensor {
  const src = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const shape = x.ndim === 0 ? [1] : x.shape;
  const be = backendOf(op, src);
  return wrap(be, be.ops.argsort(src._storage(), shape, d, descending, src.dtype), x.shape, 'int32');
}

/** x's elements at `index` along d; the gradient goes back to the positions taken. */
export function takeAlong(op: string, x: Tensor, d: number, index: Tensor): Tensor {
  const be = backendOf(op, x, index);
  const xs = x.ndim === 0 ? [1] : x.shape;
  const is = index.ndim === 0 ? [1] : index.shape;
  const out = wrap(be, be.ops.gather(x._storage(), xs, d, index._storage(), is, x.dtype), index.shape, x.dtype);
  if (!isFloat(x.dtype)) return out;
  return record(out, op, [x], [index], (g, [idx]) => [
    wrap(be, be.ops.scatterAdd(idx._storage(), is, g._storage(), xs, d, g.dtype), x.shape, g.dtype),
  ]);
}

/**
 * Sorts along a dim, like `torch.sort(stable=True)`: returns `{ values, indices }` (indices
 * int32), equal values in their input order (also when descending), -0 equal to 0, and nan
 * above every number (last ascending, first descending), as PyTorch sorts.
 *
 * Inputs: `x` of any dtype. Options (defaults as PyTorch): `dim` (-1), `descending` (false),
 * `stable` (false; accepted, the sort is always stable). The values' gradient flows back to the
 * position each value came from.
 *
 * Shape: values and indices have x's shape.
 *
 * @example
 * ```ts
 * const x = randn([2, 5], { requiresGrad: true });
 * const { values, indices } = x.sort({ descending: true });
 * values.narrow(1, 0, 2).sum().backward();   // gradient to the two largest of each row
 * ```
 */
export function sort(x: Tensor, opts?: SortOptions): ValuesIndices {
  const o = checkOptions('sort', opts, SORT_OPTIONS);
  const d = normDim('sort', o.dim ?? -1, x.ndim);
  return tidy(() => {
    const indices = permutation('sort', x, d, o.descending ?? false);
    return { values: takeAlong('sort', x, d, indices), indices };
  });
}

/**
 * The int32 positions that sort x along a dim, like `torch.argsort(stable=True)`: the `indices`
 * of {@link sort}, with the same options (`dim` -1, `descending` false, `stable`).
 *
 * Shape: x's shape.
 *
 * @example
 * ```ts
 * const logits = randn([1, 10], { requiresGrad: true });
 * const order = logits.argsort({ descending: true });      // best first
 * logits.gather(1, order.narrow(1, 0, 3)).sum().backward();
 * ```
 */
export function argsort(x: Tensor, opts?: SortOptions): Tensor {
  const o = checkOptions('argsort', opts, SORT_OPTIONS);
  const d = normDim('argsort', o.dim ?? -1, x.ndim);
  return tidy(() => permutation('argsort', x, d, o.descending ?? false));
}

/**
 * The k largest (or smallest) elements along a dim, like `torch.topk`: `{ values, indices }`,
 * sorted best first. Ties go to the lower index first (PyTorch's CPU kernel picks among tied
 * values in no fixed order; this is its stable-sort choice), and nan counts as the largest value.
 *
 * Inputs: `x` of any dtype; `k` an integer in [0, size of dim]. Options (defaults as PyTorch):
 * `dim` (-1), `largest` (true), `sorted` (true; accepted, the result is always sorted). The
 * values' gradient flows back to the positions picked.
 *
 * Shape: x (..., n, ...) to values and indices (..., k, ...).
 *
 * @example
 * ```ts
 * const logits = randn([2, 65], { requiresGrad: true });
 * const { values, indices } = logits.topk(5);         // the 5 best tokens per row
 * values.sum().backward();
 * ```
 */
export function topk(x: Tensor, k: number, opts?: TopkOptions): ValuesIndices {
  const o = checkOptions('topk', opts, TOPK_OPTIONS);
  const d = normDim('topk', o.dim ?? -1, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (typeof k !== 'number' || !Number.isInteger(k)) throw new ValueError(`topk: k must be an integer, got ${String(k)}`);
  if (k < 0 || k > n) throw new IndexError(`topk: k (${k}) is out of range for dim ${o.dim ?? -1} of size ${n} (expected 0 <= k <= ${n})`);
  return tidy(() => {
    const order = permutation('topk', x, d, o.largest ?? true);
    const indices = x.ndim === 0 ? order : order.narrow(d, 0, k);
    return { values: takeAlong('topk', x, d, indices), indices };
  });
}
