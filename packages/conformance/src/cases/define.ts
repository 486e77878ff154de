import type { DType } from '@logit/core';
import type { Case, InputSpec } from '../types.js';

/** The floating-point dtypes a case usually runs at: float32, and float64 where the backend stores it. */
export const FLOATS: readonly DType[] = ['float32', 'float64'];

/** Values that break naive kernels: infinities, nan, signed zeros, huge and tiny magnitudes, halves. */
export const EDGE_VALUES: readonly number[] = [Infinity, -Infinity, NaN, -0, 0, 1e30, -1e30, 1e-30, -1e-30, 2.5, -0.5, 0.5];

/** One case of a family; defaults: both float dtypes, gradients checked. */
export function defineCase(family: string, c: Omit<Case, 'family' | 'dtypes'> & { dtypes?: readonly DType[] }): Case {
  return { grad: true, dtypes: FLOATS, ...c, family };
}

/** A float input of a shape, with optional range or explicit values. */
export function input(shape: readonly number[], more: Partial<InputSpec> = {}): InputSpec {
  return { shape, ...more };
}

/**
 * An int32 input of `shape`: the given values, or integers generated in `range` (default [-5, 6)).
 * Never differentiated.
 */
export function ints(shape: readonly number[], values?: readonly number[], range: readonly [number, number] = [-5, 6]): InputSpec {
  return { shape, dtype: 'int32', values, range, grad: false };
}

/** A bool input of `shape`: the given values (0 or 1), or generated ones. Never differentiated. */
export function bools(shape: readonly number[], values?: readonly number[]): InputSpec {
  return { shape, dtype: 'bool', values, grad: false };
}

/** Shapes every elementwise op runs on: a scalar, an empty tensor, a vector, a matrix and a 4-D tensor. */
export const ELEMENTWISE_SHAPES: readonly (readonly number[])[] = [[], [0, 3], [5], [3, 4], [2, 1, 3, 2]];

export const shapeName = (s: readonly number[]): string => `[${s.join(',')}]`;
