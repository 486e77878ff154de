import { DTypeError } from '../../errors.js';

/** The dtype of a layer's parameters, like PyTorch's `dtype=` factory argument. */
export type FloatDType = 'float32' | 'float64';

/** The `dtype` option every layer with parameters takes. */
export interface FactoryOptions {
  /** Default 'float32'. */
  dtype?: FloatDType;
}

export function paramDType(op: string, opts: FactoryOptions): FloatDType {
  const d = opts.dtype ?? 'float32';
  if (d !== 'float32' && d !== 'float64') throw new DTypeError(`${op}: parameters must be float32 or float64, got dtype ${String(d)}`);
  return d;
}
