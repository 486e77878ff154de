import { isDType, isFloat, type DType } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import { checkOptions, type OptionKeys } from '../options.js';
import { checkShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { filled } from './dispatch.js';

/** Options of `newZeros`, `newOnes` and `newFull`: PyTorch's `dtype` and `requires_grad`. */
export interface NewTensorOptions {
  /** Default: the source tensor's dtype. */
  dtype?: DType;
  /** Default: false. */
  requiresGrad?: boolean;
}

const NEW_OPTIONS: OptionKeys<NewTensorOptions> = { dtype: true, requiresGrad: true };

/**
 * A tensor of `shape` filled with `value`, with `src`'s dtype (unless given) on `src`'s backend,
 * like `torch.Tensor.new_full`: how code makes a buffer that matches an input wherever it lives.
 */
export function newFilled(op: string, src: Tensor, shape: readonly number[], value: number | boolean, opts?: NewTensorOptions): Tensor {
  const o = checkOptions(op, opts, NEW_OPTIONS);
  const s = checkShape(op, shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`${op}: value must be a number, got ${typeof value}`);
  if (o.dtype !== undefined && !isDType(o.dtype)) throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(o.dtype)} (expected float32, float64, int32 or bool)`);
  const dtype = o.dtype ?? src.dtype;
  if (o.requiresGrad && !isFloat(dtype)) throw new DTypeError(`${op}: only floating-point tensors can require gradients, got dtype ${dtype}`);
  const t = filled(Number(value), s, dtype, src._ref().backend, op);
  return o.requiresGrad ? t.requiresGrad_(true) : t;
}
