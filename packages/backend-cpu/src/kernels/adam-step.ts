import { newArray, type AdamStepSpec, type DType, type TypedArray } from '@logit/core';

const same = (v: number): number => v;

export interface AdamArrays {
  expAvg: TypedArray;
  expAvgSq: TypedArray;
  maxExpAvgSq: TypedArray | null;
}

/**
 * One Adam/AdamW update, elementwise. As in sgd-step.ts, intermediates and scalars are rounded
 * to the dtype exactly where core's composition rounds them, so both paths give the same bits.
 */
export function adamStep(
  param: TypedArray, grad: TypedArray, state: AdamArrays, size: number, spec: AdamStepSpec, dtype: DType,
): AdamArrays & { param: TypedArray } {
  const r = dtype === 'float32' ? Math.fround : same;
  const { beta1, beta2, decoupled, amsgrad, maximize } = spec;
  const decay = decoupled ? r(1 - spec.lr * spec.weightDecay) : 1;
  const wd = decoupled ? 0 : r(spec.weightDecay);
  const b1 = r(beta1), c1 = r(1 - beta1), b2 = r(beta2), c2 = r(1 - beta2);
  const stepSize = r(spec.lr / (1 - beta1 ** spec.step));
  const sqrtBc2 = r(Math.sqrt(1 - beta2 ** spec.step));
  const eps = r(spec.eps);
  const p = newArray(dtype, size), m = newArray(dtype, size), v = newArray(dtype, size);
  const vmax = amsgrad ? newArray(dtype, size) : null;
  const { expAvg, expAvgSq, maxExpAvgSq } = state;
  for (let i = 0; i < size; i++) {
    let g = maximize ? -grad[i] : grad[i];
    let x = param[i];
    if (decoupled) x = r(x * decay);
    else if (wd !== 0) g = r(g + r(x * wd));
    const mi = r(r(expAvg[i] * b1) + r(g * c1));
    let vi = r(r(expAvgSq[i] * b2) + r(r(g * c2) * g));
    m[i] = mi;
    v[i] = vi;
    if (vmax) {
      // Math.max passes nan on, as torch.maximum does
      vi = Math.max(maxExpAvgSq ? maxExpAvgSq[i] : 0, vi);
      vmax[i] = vi;
    }
    const denom = r(r(r(Math.sqrt(vi)) / sqrtBc2) + eps);
    p[i] = x - r(r(mi * stepSize) / denom);
  }
  return { param: p, expAvg: m, expAvgSq: v, maxExpAvgSq: vmax };
}
