import type { DType } from '@logit/core';
import { decodeAll, type Encoded } from '../oracles/torch.js';
import type { InputSpec } from '../types.js';

/** Golden entries come in float32/float64 pairs named "... [float32]" or "... [mean, float32]". */
export function baseName(name: string): string {
  return name.replace(/, (float32|float64)\]$/, ']').replace(/ \[(float32|float64)\]$/, '');
}

export function groupByBase<T extends { name: string; dtype: string }>(cases: readonly T[]): Map<string, Partial<Record<DType, T>>> {
  const groups = new Map<string, Partial<Record<DType, T>>>();
  for (const c of cases) {
    const key = baseName(c.name);
    const g = groups.get(key) ?? {};
    g[c.dtype as DType] = c;
    groups.set(key, g);
  }
  return groups;
}

/** An input whose values come from the golden of the dtype being run. */
export function goldenInput<T>(group: Partial<Record<DType, T>>, pick: (c: T) => Encoded, grad: boolean): InputSpec {
  const any = Object.values(group)[0] as T;
  const e = pick(any);
  const isFloatInput = e.dtype === 'float32' || e.dtype === 'float64';
  return {
    shape: e.shape,
    dtype: isFloatInput ? undefined : e.dtype,
    values: (d: DType) => decodeAll(pick((group[d] ?? any) as T)),
    grad: grad && isFloatInput,
  };
}

export const dtypesOf = (group: Partial<Record<DType, unknown>>): DType[] => Object.keys(group) as DType[];
