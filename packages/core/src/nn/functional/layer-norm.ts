import { ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt, sameShape } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { fusedLayerNorm } from './layer-norm-fused.js';
import { requireFloat, requireSameDType } from './util.js';

/** Options of `functional.layerNorm`, as torch.nn.functional.layer_norm's. */
export interface LayerNormOptions {
  /** Elementwise scale, of shape normalizedShape. Default none (1). */
  weight?: Tensor | null;
  /** Elementwise shift, of shape normalizedShape. Default none (0). */
  bias?: Tensor | null;
  /** Added to the variance for stability. Default 1e-5. */
  eps?: number;
}
const LAYER_NORM_OPTIONS: OptionKeys<LayerNormOptions> = { weight: true, bias: true, eps: true };

/** Options of `functional.rmsNorm`, as torch.nn.functional.rms_norm's. */
export interface RMSNormOptions {
  /** Elementwise scale, of shape normalizedShape. Default none (1). */
  weight?: Tensor | null;
  /** Added to the mean square. Default null: the machine epsilon of the input's dtype, as PyTorch 2.x. */
  eps?: number | null;
}
const RMS_NORM_OPTIONS: OptionKeys<RMSNormOptions> = { weight: true, eps: true };

/** torch.finfo(dtype).eps: 2^-23 for float32, 2^-52 for float64. */
export function machineEps(dtype: string): number {
  return dtype === 'float64' ? 2 ** -52 : 2 ** -23;
}

/** normalizedShape as an array of sizes (PyTorch's int-or-list argument). */
export function normShape(op: string, normalizedShape: number | readonly number[]): number[] {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : Array.isArray(normalizedShape) ? normalizedShape.slice() : null;
  if (!shape || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(`${op}: normalizedShape must be a non-negative integer or a non-empty array of them, got ${JSON.stringify(normalizedShape)}`);
  }
  return shape;
}

export function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new ValueError(`${op}: eps must be a finite non-negative number, got ${String(eps)}`);
  return eps;
}

/** The checks both norms share: float input whose trailing dims are normalizedShape; weight and bias of that shape. */
function checkNorm(op: string, x: Tensor, shape: readonly number[], affine: (Tensor | null | undefined)[]): void {
  requireFloat(op, x);
  if (x.ndim < shape.length || !sameShape(x.shape.slice(x.ndim - shape.length), shape)) {
    throw new ShapeError(`${op}: given normalizedShape ${fmt(shape)}, expected input with shape [*, ${shape.join(', ')}], got ${fmt(x.shape)}`);
  }
  for (const [i, t] of affine.entries()) {
    if (!t) continue;
    const what = i === 0 ? 'weight' : 'bias';
    requireSameDType(op, x, t, what);
    if (!sameShape(t.shape, shape)) throw new ShapeError(`${op}: ${what} must have shape ${fmt(shape)} (normalizedShape), got ${fmt(t.shape)}`);
  }
}

/**
 * torch.nn.functional.layer_norm: over the last normalizedShape.length dims of x,
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, with the biased variance. Runs the
 * backend's fused `layerNorm` kernels where it has them, else composes tensor ops; both agree.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], opts: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  const o = checkOptions(op, opts, LAYER_NORM_OPTIONS);
  const shape = normShape(op, normalizedShape);
  const eps = checkEps(op, o.eps ?? 1e-5);
  checkNorm(op, x, shape, [o.weight, o.bias]);
  const weight = o.weight ?? null;
  const bias = o.bias ?? null;
  return tidy(() => {
    const fused = fusedLayerNorm(x, shape, weight, bias, eps);
    if (fused) return fused;
    const axes = shape.map((_, i) => x.ndim - shape.length + i);
    const centered = x.sub(x.mean(axes, true));
    const y = centered.mul(centered.square().mean(axes, true).add(eps).rsqrt());
    const scaled = weight ? y.mul(weight) : y;
    return bias ? scaled.add(bias) : scaled;
  });
}

/**
 * torch.nn.functional.rms_norm: over the last normalizedShape.length dims of x,
 * y = x / sqrt(mean(x^2) + eps) * weight, eps defaulting to the dtype's machine epsilon.
 */
export function rmsNorm(x: Tensor, normalizedShape: number | readonly number[], opts: RMSNormOptions = {}): Tensor {
  const op = 'rmsNorm';
  const o = checkOptions(op, opts, RMS_NORM_OPTIONS);
  const shape = normShape(op, normalizedShape);
  checkNorm(op, x, shape, [o.weight]);
  const eps = o.eps === undefined || o.eps === null ? machineEps(x.dtype) : checkEps(op, o.eps);
  return tidy(() => {
    const axes = shape.map((_, i) => x.ndim - shape.length + i);
    const y = x.mul(x.square().mean(axes, true).add(eps).rsqrt());
    return o.weight ? y.mul(o.weight) : y;
  });
}
