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
