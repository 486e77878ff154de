import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import type { IntOrPair } from '../functional/conv.js';
import { maxPool2dImpl, type MaxPool2dOptions } from '../functional/pool.js';
import { WindowCache } from '../functional/im2col.js';
import { ValueError } from '../../errors.js';
import { pair } from '../functional/util.js';

/**
 * 2-D max pooling: the max of each kernelSize window of every channel. The gradient goes to
 * the position of the max (the first one in row-major order on ties), as in PyTorch.
 *
 * Options: `stride` (default kernelSize), `padding` (0; implicit -inf, at most half the
 * kernel), `dilation` (1), `ceilMode` (false).
 *
 * Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out) with
 * H_out = floor((H + 2 padding - dilation (kH - 1) - 1) / stride) + 1 (ceil with ceilMode).
 *
 * @example
 * const pool = new nn.MaxPool2d(2);
 * const y = pool.forward(randn([1, 3, 8, 8], { requiresGrad: true }));   // [1, 3, 4, 4]
 * y.sum().backward();
 */
export class MaxPool2d extends Module {
  /** The window's (kH, kW). */
  readonly kernelSize: [number, number];
  /** Step between windows, (sH, sW). */
  readonly stride: [number, number];
  /** Implicit -inf padding on each side, (pH, pW). */
  readonly padding: [number, number];
  /** Spacing between window taps, (dH, dW). */
  readonly dilation: [number, number];
  /** Round the output size up instead of down. */
  readonly ceilMode: boolean;
  private readonly windows = new WindowCache();

  /**
   * @param kernelSize - The window size: a number or (kH, kW).
   * @param opts - `stride` (kernelSize), `padding` (0), `dilation` (1), `ceilMode` (false).
   */
  constructor(kernelSize: IntOrPair, opts: MaxPool2dOptions = {}) {
    super();
    const op = 'MaxPool2d';
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = pair(op, 'stride', opts.stride ?? this.kernelSize, 1);
    this.padding = pair(op, 'padding', opts.padding ?? 0, 0);
    this.dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
    this.ceilMode = opts.ceilMode ?? false;
    if (this.padding[0] * 2 > this.kernelSize[0] || this.padding[1] * 2 > this.kernelSize[1]) {
      throw new ValueError(
        `${op}: padding should be at most half of the kernel size, got padding [${this.padding.join(', ')}] for kernel [${this.kernelSize.join(', ')}]`,
      );
    }
  }

  /** The max of each window of `x`: (N, C, H, W) -> (N, C, H_out, W_out), or unbatched (C, H, W). */
  forward(x: Tensor): Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    return maxPool2dImpl('MaxPool2d', x, this.kernelSize, opts, this.windows);
  }
}
