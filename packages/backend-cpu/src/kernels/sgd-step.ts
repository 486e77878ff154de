import { newArray, type DType, type SgdStepSpec, type TypedArray } from '@logit/core';

const same = (v: number): number => v;

/**
 * One SGD update, elementwise. Every intermediate is rounded to the dtype (float32 through
 * Math.fround) and scalars are rounded as core's composition rounds them when it lifts them to
 * tensors, so this kernel and the composed path give the same bits.
 */
export function sgdStep(
  param: TypedArray, grad: TypedArray, momentumBuffer: TypedArray | null, size: number, spec: SgdStepSpec, dtype: DType,
): { param: TypedArray; momentumBuffer: TypedArray | null } {
  const r = dtype === 'float32' ? Math.fround : same;
  const { momentum, nesterov, maximize } = spec;
  const lr = r(spec.lr), wd = r(spec.weightDecay), mom = r(momentum), keep = r(1 - spec.dampening);
  const out = newArray(dtype, size);
  const buf = momentum !== 0 ? newArray(dtype, size) : null;
  for (let i = 0; i < size; i++) {
    let d = maximize ? -grad[i] : grad[i];
    if (wd !== 0) d = r(d + r(param[i] * wd));
    if (buf) {
      const b = momentumBuffer ? r(r(momentumBuffer[i] * mom) + r(d * keep)) : d;
      buf[i] = b;
      d = nesterov ? r(d + r(b * mom)) : b;
    }
    out[i] = param[i] - r(d * lr);
  }
  return { param: out, momentumBuffer: buf };
}
