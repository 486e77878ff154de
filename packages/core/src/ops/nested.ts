import type { DType, TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/** Row-major data to nested arrays (bool as true/false), like torch.Tensor.tolist. */
export function nested(data: TypedArray, shape: Shape, dtype: DType): unknown {
  const conv = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(data[0]);
  let at = 0;
  const build = (d: number): unknown[] => {
    const out: unknown[] = [];
    for (let i = 0; i < shape[d]; i++) out.push(d === shape.length - 1 ? conv(data[at++]) : build(d + 1));
    return out;
  };
  return build(0);
}
