import { ValueError } from '../../errors.js';
import { checkOptions } from '../../options.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { INTERPOLATE_OPTIONS, interpolate, type InterpolateMode, type InterpolateOptions } from '../functional/upsample.js';

/** Options of nn.Upsample: those of nn.functional.interpolate. */
export type UpsampleOptions = InterpolateOptions;

/**
 * Upsamples the spatial dims of (N, C, L) or (N, C, H, W) input, to `size` or by `scaleFactor`
 * (output = floor(size * scaleFactor)), with mode 'nearest': each output pixel copies input pixel
 * floor(i * inSize / outSize), as PyTorch's 'nearest' does. The gradient sums each output's
 * gradient back onto the pixel it copied. The same as nn.functional.interpolate.
 *
 * Options: `size` or `scaleFactor` (exactly one; a number or one per spatial dim), `mode`
 * ('nearest', the only mode so far).
 *
 * Shape: (N, C, H, W) -> (N, C, H_out, W_out), H_out = size or floor(H * scaleFactor).
 *
 * @example
 * const up = new nn.Upsample({ scaleFactor: 2 });
 * const y = up.forward(randn([1, 3, 4, 4], { requiresGrad: true }));   // [1, 3, 8, 8]
 * y.sum().backward();
 */
export class Upsample extends Module {
  /** The output's spatial size (a number, or one per spatial dim); null when scaleFactor is given. */
  readonly size: number | readonly number[] | null;
  /** The multiplier of each spatial size (a number, or one per spatial dim); null when size is given. */
  readonly scaleFactor: number | readonly number[] | null;
  /** The interpolation: 'nearest' (the default and, so far, the only one). */
  readonly mode: InterpolateMode;

  constructor(opts: UpsampleOptions = {}) {
    super();
    const o = checkOptions('Upsample', opts, INTERPOLATE_OPTIONS);
    this.size = o.size ?? null;
    this.scaleFactor = o.scaleFactor ?? null;
    this.mode = o.mode ?? 'nearest';
    if (this.mode !== 'nearest') throw new ValueError(`Upsample: mode '${String(this.mode)}' is not supported yet; only 'nearest' is`);
    if ((this.size === null) === (this.scaleFactor === null)) throw new ValueError('Upsample: give exactly one of size and scaleFactor');
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, { size: this.size, scaleFactor: this.scaleFactor, mode: this.mode });
  }
}
