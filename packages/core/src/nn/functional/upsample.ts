import { ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import { indexSelectTrusted } from '../../ops/index-ops.js';
import type { Tensor } from '../../tensor.js';
import { requireFloat } from './util.js';

/** Interpolation modes; only 'nearest' is implemented so far. */
export type InterpolateMode = 'nearest';

/** Options of nn.functional.interpolate and nn.Upsample. */
export interface InterpolateOptions {
  /** Output size of the spatial dims (a number for each, or one number for all). Give this or scaleFactor. */
  size?: number | readonly number[] | null;
  /** Multiplier of each spatial size (output = floor(size * scaleFactor)). Give this or size. */
  scaleFactor?: number | readonly number[] | null;
  /** Default 'nearest' (the only mode so far). */
  mode?: InterpolateMode;
  /** Not used by 'nearest' (PyTorch refuses it there too). */
  alignCorners?: boolean | null;
  /** Not supported yet. */
  recomputeScaleFactor?: boolean | null;
}

/** The keys interpolate and Upsample accept; the interpolating modes' options say why not yet. */
export const INTERPOLATE_OPTIONS: OptionKeys<InterpolateOptions> = {
  size: true, scaleFactor: true, mode: true,
  alignCorners: "only the interpolating modes (linear, bilinear, bicubic) take it, and they are not supported yet; 'nearest' does not",
  recomputeScaleFactor: 'recomputing the scale from the output size is not supported yet; the given scaleFactor is used',
};

function perDim(op: string, name: string, v: number | readonly number[], dims: number, integer: boolean): number[] {
  const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : Array.isArray(v) ? v.slice() : null;
  if (!list || list.length !== dims || list.some((e) => typeof e !== 'number' || !(e > 0) || !Number.isFinite(e) || (integer && !Number.isInteger(e)))) {
    throw new ValueError(`${op}: ${name} must be a positive ${integer ? 'integer' : 'number'} or ${dims} of them for input with ${dims} spatial dim(s), got ${JSON.stringify(v)}`);
  }
  return list;
}

/**
 * The input position output position i reads, PyTorch's nearest_idx: same size and exact
 * doubling are exact; otherwise floor(i * scale) in float32 arithmetic, with scale = 1 / scaleFactor
 * when one was given, else inSize / outSize.
 */
function nearestIndex(outSize: number, inSize: number, scaleFactor: number | null): number[] {
  if (outSize === inSize) return Array.from({ length: outSize }, (_, i) => i);
  if (outSize === 2 * inSize) return Array.from({ length: outSize }, (_, i) => i >> 1);
  const scale = scaleFactor !== null ? Math.fround(1 / scaleFactor) : Math.fround(Math.fround(inSize) / outSize);
  return Array.from({ length: outSize }, (_, i) => Math.min(Math.floor(Math.fround(Math.fround(i) * scale)), inSize - 1));
}

/**
 * torch.nn.functional.interpolate with mode 'nearest': resizes the spatial dims of (N, C, L) or
 * (N, C, H, W) input to `size`, or by `scaleFactor` (output = floor(size * scaleFactor)); each
 * output pixel copies the input pixel floor(i * inSize / outSize) (PyTorch's 'nearest', not
 * 'nearest-exact'). The gradient sums back onto the pixels read.
 *
 * @example
 * const x = randn([1, 2, 3, 3], { requiresGrad: true });
 * const y = nn.functional.interpolate(x, { scaleFactor: 2 });   // [1, 2, 6, 6]
 * y.sum().backward();
 */
export function interpolate(x: Tensor, opts: InterpolateOptions = {}): Tensor {
  const op = 'interpolate';
  const o = checkOptions(op, opts, INTERPOLATE_OPTIONS);
  if ((o.mode ?? 'nearest') !== 'nearest') {
    throw new ValueError(`${op}: mode '${String(o.mode)}' is not supported yet; only 'nearest' is`);
  }
  requireFloat(op, x);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`${op}: expected a 3-D (N, C, L) or 4-D (N, C, H, W) input for mode 'nearest', got shape ${fmt(x.shape)}`);
  }
  const hasSize = o.size !== undefined && o.size !== null;
  const hasScale = o.scaleFactor !== undefined && o.scaleFactor !== null;
  if (hasSize === hasScale) throw new ValueError(`${op}: give exactly one of size and scaleFactor`);
  const dims = x.ndim - 2;
  const inSizes = x.shape.slice(2);
  const scales = hasScale ? perDim(op, 'scaleFactor', o.scaleFactor!, dims, false) : null;
  const outSizes = scales ? inSizes.map((n, d) => Math.floor(n * scales[d])) : perDim(op, 'size', o.size!, dims, true);
  if (outSizes.some((n) => n < 1)) throw new ValueError(`${op}: the output size ${fmt(outSizes)} must be positive (input shape ${fmt(x.shape)})`);
  return tidy(() => {
    let y = x;
    inSizes.forEach((n, d) => {
      if (outSizes[d] === n) return;
      y = indexSelectTrusted(y, 2 + d, nearestIndex(outSizes[d], n, scales ? scales[d] : null));
    });
    return y === x ? x.mul(1) : y;
  });
}
