import type { Tensor } from '../tensor.js';
import type { ValuesIndices } from './sort.js';

/**
 * `torch.max`: the max of all elements (a 0-d tensor), or along `dim` the `{ values, indices }`
 * pair (indices int32: the first occurrence on ties, a nan wins; the values' gradient goes to
 * that index). `keepdim` (false) keeps the reduced dim with size 1.
 *
 * Shape: () without dim; x without `dim` (size 1 with keepdim) for both values and indices.
 *
 * @example
 * ```ts
 * const logits = randn([4, 10], { requiresGrad: true });
 * const { values, indices } = max(logits, 1);    // best score and class per row
 * values.sum().backward();                       // gradient 1 at each row's argmax
 * ```
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.max() : x.max(dim, keepdim);
}

/**
 * `torch.min`: the min of all elements, or `{ values, indices }` along `dim`; as {@link max}.
 *
 * @example
 * ```ts
 * const d = randn([3, 5], { requiresGrad: true });
 * min(d, -1).values.sum().backward();
 * ```
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.min() : x.min(dim, keepdim);
}
