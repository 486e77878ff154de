import { ShapeError, ValueError } from '../../errors.js';
import { fmt, normDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';

/**
 * Merges dims startDim..endDim into one (a view, no copy).
 * Options: `startDim` (default 1, so the batch dim is kept), `endDim` (default -1).
 * Shape: `(*, S_start, ..., S_end, *)` -> `(*, prod S, *)`.
 *
 * @example
 * const y = new nn.Flatten().forward(randn([32, 1, 5, 5], { requiresGrad: true }));  // [32, 25]
 * y.sum().backward();
 */
export class Flatten extends Module {
  /**
   * @param startDim - The first dim to merge. Default 1 (the batch dim is kept).
   * @param endDim - The last dim to merge. Default -1.
   */
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  /** `x` with dims startDim..endDim merged into one. */
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
}

/**
 * Splits dim `dim` into the sizes `unflattenedSize` (a view, no copy): the inverse of Flatten.
 * One size may be -1, inferred from the others. Shape: (*, S_dim, *) -> (*, U_1, ..., U_k, *)
 * with prod U = S_dim.
 *
 * @example
 * const y = new nn.Unflatten(1, [2, 5, 5]).forward(randn([3, 50], { requiresGrad: true }));  // [3, 2, 5, 5]
 * y.sum().backward();
 */
export class Unflatten extends Module {
  /** The dim to split (negative counts from the end). */
  readonly dim: number;
  /** The sizes it is split into; one may be -1, inferred from the others. */
  readonly unflattenedSize: readonly number[];
  /**
   * @param dim - The dim to split (negative counts from the end).
   * @param unflattenedSize - The sizes it becomes, whose product is its size; one may be -1.
   */
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError(`Unflatten: dim must be an integer, got ${String(dim)}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || unflattenedSize.some((s) => !Number.isInteger(s) || s < -1)) {
      throw new ValueError(`Unflatten: unflattenedSize must be a non-empty array of sizes (one may be -1), got ${JSON.stringify(unflattenedSize)}`);
    }
    if (unflattenedSize.filter((s) => s === -1).length > 1) throw new ValueError(`Unflatten: only one size may be -1, got ${JSON.stringify(unflattenedSize)}`);
    this.dim = dim;
    this.unflattenedSize = unflattenedSize.slice();
  }
  forward(x: Tensor): Tensor {
    const d = normDim('Unflatten', this.dim, x.ndim);
    const n = x.shape[d];
    const known = this.unflattenedSize.reduce((a, s) => (s === -1 ? a : a * s), 1);
    const sizes = this.unflattenedSize.map((s) => (s === -1 ? (known === 0 ? 0 : n / known) : s));
    if (!sizes.every(Number.isInteger) || sizes.reduce((a, s) => a * s, 1) !== n) {
      throw new ShapeError(`Unflatten: sizes ${fmt(this.unflattenedSize)} do not multiply to the size ${n} of dim ${this.dim} (input shape ${fmt(x.shape)})`);
    }
    return x.reshape([...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }
}
