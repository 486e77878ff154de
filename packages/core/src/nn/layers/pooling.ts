import type { Tensor } from '../../tensor.js';
import { checkOptions } from '../../options.js';
import { Module } from '../module.js';
import type { IntOrPair, IntOrSingle } from '../functional/conv.js';
import {
  AVG_POOL2D_OPTIONS, MAX_POOL1D_OPTIONS, MAX_POOL2D_OPTIONS, avgPool2dSettings, checkAdaptiveSize, maxPool1dSettings, maxPool2dSettings, poolImpl, poolWithIndices,
  type AdaptiveSize, type AvgPool2dOptions, type MaxPool1dOptions, type MaxPool2dOptions, type PoolSettings,
} from '../functional/pool.js';
import { adaptiveAvgPool2d } from '../functional/adaptive-pool.js';
import { WindowCache } from '../functional/im2col.js';
import { maxUnpool1dSettings, maxUnpool2dSettings, unpoolImpl, type MaxUnpool1dOptions, type MaxUnpool2dOptions } from '../functional/unpool.js';

/**
 * 2-D max pooling: the max of each kernelSize window of every channel. The gradient goes to
 * the position of the max (the first one in row-major order on ties), as in PyTorch.
 *
 * Options: `stride` (default kernelSize), `padding` (0; implicit -inf, at most half the
 * kernel), `dilation` (1), `ceilMode` (false), `returnIndices` (false: with true, forward
 * returns [output, indices], each maximum's position row * W + col in its input plane, int32).
 *
 * Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out) with
 * H_out = floor((H + 2 padding - dilation (kH - 1) - 1) / stride) + 1 (ceil with ceilMode).
 *
 * @example
 * const pool = new nn.MaxPool2d(2);
 * const y = pool.forward(randn([1, 3, 8, 8], { requiresGrad: true }));   // [1, 3, 4, 4]
 * y.sum().backward();
 * const [out, where] = new nn.MaxPool2d(2, { returnIndices: true }).forward(randn([3, 8, 8]));   // where: int32 [3, 4, 4]
 *
 * @typeParam R - Whether forward also returns the indices (inferred from `returnIndices`).
 */
export class MaxPool2d<R extends boolean = false> extends Module {
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
  /** Whether forward returns [output, indices]. */
  readonly returnIndices: R;
  private readonly settings: PoolSettings;
  private readonly windows = new WindowCache();

  /**
   * @param kernelSize - The window size: a number or (kH, kW).
   * @param opts - `stride` (kernelSize), `padding` (0), `dilation` (1), `ceilMode` (false), `returnIndices` (false).
   */
  constructor(kernelSize: IntOrPair, opts: MaxPool2dOptions & { returnIndices?: R } = {}) {
    super();
    const o = checkOptions('MaxPool2d', opts, MAX_POOL2D_OPTIONS);
    this.settings = maxPool2dSettings('MaxPool2d', kernelSize, o);
    ({ kernel: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode } = this.settings);
    this.returnIndices = (o.returnIndices ?? false) as R;
  }

  /**
   * The max of each window of `x`: (N, C, H, W) -> (N, C, H_out, W_out), or unbatched (C, H, W);
   * with returnIndices, [output, indices].
   */
  forward(x: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    const [out, indices] = poolWithIndices('MaxPool2d', 'max', x, this.settings, 2, this.windows, this.returnIndices);
    return (indices ? [out, indices] : out) as R extends true ? [Tensor, Tensor] : Tensor;
  }
}

/**
 * 1-D max pooling: the max of each kernelSize window along the last dim of every channel; the
 * gradient goes to the position of the max (the first one on ties), as in PyTorch.
 *
 * Options: `stride` (default kernelSize), `padding` (0; implicit -inf, at most half the
 * kernel), `dilation` (1), `ceilMode` (false), `returnIndices` (false: with true, forward
 * returns [output, indices], each maximum's position along L, int32).
 *
 * Shape: (N, C, L) or (C, L) -> (N, C, L_out) with
 * L_out = floor((L + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1 (ceil with ceilMode).
 *
 * @example
 * const pool = new nn.MaxPool1d(3, { stride: 2 });
 * const y = pool.forward(randn([2, 4, 11], { requiresGrad: true }));   // [2, 4, 5]
 * y.sum().backward();
 *
 * @typeParam R - Whether forward also returns the indices (inferred from `returnIndices`).
 */
export class MaxPool1d<R extends boolean = false> extends Module {
  /** The window's length. */
  readonly kernelSize: number;
  /** Step between windows (default kernelSize). */
  readonly stride: number;
  /** Implicit -inf padding on each side (default 0). */
  readonly padding: number;
  /** Spacing between window taps (default 1). */
  readonly dilation: number;
  /** Round the output size up instead of down (default false). */
  readonly ceilMode: boolean;
  /** Whether forward returns [output, indices]. */
  readonly returnIndices: R;
  private readonly settings: PoolSettings;
  private readonly windows = new WindowCache();

  /**
   * @param kernelSize - The window length.
   * @param opts - `stride` (kernelSize), `padding` (0), `dilation` (1), `ceilMode` (false), `returnIndices` (false).
   */
  constructor(kernelSize: IntOrSingle, opts: MaxPool1dOptions & { returnIndices?: R } = {}) {
    super();
    const o = checkOptions('MaxPool1d', opts, MAX_POOL1D_OPTIONS);
    this.settings = maxPool1dSettings('MaxPool1d', kernelSize, o);
    const s = this.settings;
    [this.kernelSize, this.stride, this.padding, this.dilation, this.ceilMode] = [s.kernel[1], s.stride[1], s.padding[1], s.dilation[1], s.ceilMode];
    this.returnIndices = (o.returnIndices ?? false) as R;
  }

  /** The max of each window along L: (N, C, L) -> (N, C, L_out), or unbatched (C, L); with returnIndices, [output, indices]. */
  forward(x: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    const [out, indices] = poolWithIndices('MaxPool1d', 'max', x, this.settings, 1, this.windows, this.returnIndices);
    return (indices ? [out, indices] : out) as R extends true ? [Tensor, Tensor] : Tensor;
  }
}

/**
 * 2-D average pooling: the mean of each kernelSize window of every channel. With padding, the
 * padded zeros count in the divisor unless countIncludePad is false; divisorOverride replaces
 * the divisor. The gradient spreads each output's gradient evenly (by the same divisor) over
 * its window.
 *
 * Options: `stride` (default kernelSize), `padding` (0; at most half the kernel), `ceilMode`
 * (false), `countIncludePad` (true), `divisorOverride` (null).
 *
 * Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out) with
 * H_out = floor((H + 2 padding - kH) / stride) + 1 (ceil with ceilMode).
 *
 * @example
 * const pool = new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 * const y = pool.forward(randn([1, 3, 8, 8], { requiresGrad: true }));   // [1, 3, 4, 4]
 * y.sum().backward();
 */
export class AvgPool2d extends Module {
  /** The window's (kH, kW). */
  readonly kernelSize: [number, number];
  /** Step between windows, (sH, sW) (default kernelSize). */
  readonly stride: [number, number];
  /** Implicit zero padding on each side, (pH, pW) (default 0). */
  readonly padding: [number, number];
  /** Round the output size up instead of down (default false). */
  readonly ceilMode: boolean;
  /** Count the padded zeros in the divisor (default true). */
  readonly countIncludePad: boolean;
  /** Divide every window's sum by this instead; null (the default) for the window's own count. */
  readonly divisorOverride: number | null;
  private readonly settings: PoolSettings;
  private readonly windows = new WindowCache();

  constructor(kernelSize: IntOrPair, opts: AvgPool2dOptions = {}) {
    super();
    this.settings = avgPool2dSettings('AvgPool2d', kernelSize, checkOptions('AvgPool2d', opts, AVG_POOL2D_OPTIONS));
    const s = this.settings;
    ({ kernel: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad } = s);
    this.divisorOverride = s.divisorOverride || null;
  }

  forward(x: Tensor): Tensor {
    return poolImpl('AvgPool2d', 'avg', x, this.settings, 2, this.windows);
  }
}

/**
 * 2-D adaptive average pooling: averages (N, C, H, W) input down to a fixed `outputSize`
 * whatever H and W are; window i along a dim covers floor(i * H / H_out) to
 * ceil((i + 1) * H / H_out) - 1, so windows may overlap or differ in size. Often used as the
 * global pool before a classifier: `new nn.AdaptiveAvgPool2d(1)`.
 *
 * Options: `outputSize`: an integer, a pair, or null in a dim to keep the input's size there.
 *
 * Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out).
 *
 * @example
 * const pool = new nn.AdaptiveAvgPool2d([5, 7]);
 * const y = pool.forward(randn([1, 64, 8, 9], { requiresGrad: true }));   // [1, 64, 5, 7]
 * y.sum().backward();
 */
export class AdaptiveAvgPool2d extends Module {
  /** The output's (H_out, W_out); null in a dim keeps the input's size there. */
  readonly outputSize: [number | null, number | null];

  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = checkAdaptiveSize('AdaptiveAvgPool2d', outputSize);
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

/**
 * A partial inverse of MaxPool2d: zeros of the pooling's input size with each value written back
 * at its position in `indices` (MaxPool2d's `returnIndices`); where two name one position, the
 * later one in the plane wins (PyTorch: whichever thread writes last; a pooling's indices repeat
 * only with equal values). The gradient of each value is the
 * output's gradient at its position.
 *
 * Options: `stride` (default kernelSize), `padding` (0) — the pooling's.
 *
 * Shape: (N, C, H_in, W_in) or (C, H_in, W_in) with indices of the same shape -> (N, C, H_out,
 * W_out), H_out = (H_in - 1) * stride - 2 padding + kH unless forward's `outputSize` says otherwise
 * (within stride of it: a pooling with floor division can map several sizes to one).
 *
 * @example
 * const pool = new nn.MaxPool2d(2, { returnIndices: true });
 * const unpool = new nn.MaxUnpool2d(2);
 * const [y, where] = pool.forward(randn([1, 3, 9, 9]));   // [1, 3, 4, 4]
 * const back = unpool.forward(y, where, [9, 9]);            // [1, 3, 9, 9]
 */
export class MaxUnpool2d extends Module {
  /** The pooling window's (kH, kW). */
  readonly kernelSize: [number, number];
  /** The pooling's (sH, sW). */
  readonly stride: [number, number];
  /** The pooling's (pH, pW). */
  readonly padding: [number, number];

  /**
   * @param kernelSize - The pooling window: a number or (kH, kW).
   * @param opts - `stride` (kernelSize), `padding` (0).
   */
  constructor(kernelSize: IntOrPair, opts: Omit<MaxUnpool2dOptions, 'outputSize'> = {}) {
    super();
    const o = checkOptions('MaxUnpool2d', opts, { stride: true, padding: true });
    ({ kernel: this.kernelSize, stride: this.stride, padding: this.padding } = maxUnpool2dSettings('MaxUnpool2d', kernelSize, o));
  }

  /**
   * `x` with each value written at its position in `indices` (int32, x's shape), the rest zeros.
   *
   * @param outputSize - The output's (H, W) or whole shape, when the default is not the pooling's input size.
   */
  forward(x: Tensor, indices: Tensor, outputSize: readonly number[] | null = null): Tensor {
    const s = { kernel: this.kernelSize, stride: this.stride, padding: this.padding, outputSize };
    return unpoolImpl('MaxUnpool2d', x, indices, s, 2);
  }
}

/**
 * A partial inverse of MaxPool1d: zeros of the pooling's input length with each value written
 * back at its index along L (MaxPool1d's `returnIndices`; the later one wins on a repeated index).
 *
 * Shape: (N, C, L_in) or (C, L_in) -> (N, C, L_out), L_out = (L_in - 1) * stride - 2 padding +
 * kernelSize unless forward's `outputSize` says otherwise.
 *
 * @example
 * const [y, where] = new nn.MaxPool1d(2, { returnIndices: true }).forward(randn([2, 3, 8]));
 * const back = new nn.MaxUnpool1d(2).forward(y, where);   // [2, 3, 8]
 */
export class MaxUnpool1d extends Module {
  /** The pooling window's length. */
  readonly kernelSize: number;
  /** The pooling's stride. */
  readonly stride: number;
  /** The pooling's padding. */
  readonly padding: number;

  /**
   * @param kernelSize - The pooling window's length.
   * @param opts - `stride` (kernelSize), `padding` (0).
   */
  constructor(kernelSize: IntOrSingle, opts: Omit<MaxUnpool1dOptions, 'outputSize'> = {}) {
    super();
    const s = maxUnpool1dSettings('MaxUnpool1d', kernelSize, checkOptions('MaxUnpool1d', opts, { stride: true, padding: true }));
    [this.kernelSize, this.stride, this.padding] = [s.kernel[1], s.stride[1], s.padding[1]];
  }

  /**
   * `x` with each value written at its index in `indices` (int32, x's shape), the rest zeros.
   *
   * @param outputSize - The output's L or whole shape, when the default is not the pooling's input length.
   */
  forward(x: Tensor, indices: Tensor, outputSize: readonly number[] | null = null): Tensor {
    const s = { kernel: [1, this.kernelSize] as [number, number], stride: [1, this.stride] as [number, number], padding: [0, this.padding] as [number, number], outputSize };
    return unpoolImpl('MaxUnpool1d', x, indices, s, 1);
  }
}
