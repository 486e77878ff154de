import type { DType } from '@logit/core';
import { rng } from './kernels/data.js';
import type { Case, InputSpec } from './types.js';

/** A deterministic stream in [0, 1) seeded by a string: the same case always sees the same inputs. */
export function seededStream(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return rng(h >>> 0);
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * A value as a kernel stores it in the dtype, so every oracle sees exactly the tested inputs:
 * float32 rounds, int32 truncates and wraps, bool is (v != 0) (nan is true, as in a cast).
 */
export function toDType(v: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return v | 0;
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return v;
}

export function inputDType(spec: InputSpec, caseDType: DType): DType {
  return spec.dtype ?? caseDType;
}

/** The host values of every input of a case at one dtype. */
export function inputValues(c: Case, dtype: DType): number[][] {
  return c.inputs.map((spec, i) => {
    const d = inputDType(spec, dtype);
    const n = sizeOf(spec.shape);
    let vals: readonly number[];
    if (spec.values) {
      vals = typeof spec.values === 'function' ? spec.values(dtype) : spec.values;
      if (vals.length !== n) throw new Error(`case '${c.name}': input ${i} has ${vals.length} values for shape [${spec.shape}]`);
    } else {
      const next = seededStream(`${c.name}#${i}`);
      const [lo, hi] = spec.range ?? (d === 'bool' ? [0, 2] : spec.int || d === 'int32' ? [-5, 6] : [-2, 2]);
      const integral = spec.int || d === 'int32' || d === 'bool';
      vals = Array.from({ length: n }, () => (integral ? lo + Math.floor(next() * (hi - lo)) : lo + next() * (hi - lo)));
    }
    return vals.map((v) => toDType(v, d));
  });
}

/** Seeded upstream gradient w for sum(output * w): values in [0.5, 1.5] with random signs, never 0. */
export function upstreamValues(c: Case, n: number, dtype: DType): number[] {
  const next = seededStream(`${c.name}#upstream`);
  return Array.from({ length: n }, () => toDType((next() < 0.5 ? -1 : 1) * (0.5 + next()), dtype));
}

export function isFloatDType(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

/** The inputs whose gradient a case checks, by index. */
export function gradInputs(c: Case, dtype: DType): number[] {
  if (!c.grad || !isFloatDType(dtype)) return [];
  const out: number[] = [];
  c.inputs.forEach((s, i) => {
    const d = inputDType(s, dtype);
    if (isFloatDType(d) && s.grad !== false) out.push(i);
  });
  return out;
}
