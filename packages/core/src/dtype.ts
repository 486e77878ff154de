import { DTypeError } from './errors.js';

/** Element types. `float64` is stored by backends that list it in `Backend.dtypes` (backend-cpu). */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that holds each dtype; `bool` is one byte per element, 0 or 1. */
export interface ArrayOf {
  /** float32 data. */
  float32: Float32Array;
  /** float64 data. */
  float64: Float64Array;
  /** int32 data. */
  int32: Int32Array;
  /** bool data: 0 or 1 per byte. */
  bool: Uint8Array;
}
/** Any of the typed arrays that hold tensor data (see {@link ArrayOf}). */
export type TypedArray = ArrayOf[DType];

const ctors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Every dtype, in promotion order: bool < int32 < float32 < float64. */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

export function isDType(d: unknown): d is DType {
  return typeof d === 'string' && d in ctors;
}

/** A zero-filled typed array of `size` elements for `dtype`. */
export function newArray<D extends DType>(dtype: D, size: number): ArrayOf[D] {
  return new ctors[dtype](size) as ArrayOf[D];
}

/** Bytes per element of `dtype` (bool: 1). */
export function bytesPerElement(dtype: DType): number {
  return ctors[dtype].BYTES_PER_ELEMENT;
}

/** Whether `dtype` is floating point (float32, float64): only those can require gradients. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The dtype a typed array holds, or undefined for arrays Logit does not store. */
export function dtypeOfArray(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return undefined;
}

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** PyTorch-style type promotion between two tensors: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** The dtype float-only ops (exp, log, div, mean...) compute in: ints and bools become float32. */
export function floatDType(d: DType): DType {
  return isFloat(d) ? d : 'float32';
}

export function checkDType(op: string, what: string, got: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(got)) {
    throw new DTypeError(`${op}: ${what} has dtype ${got}, expected ${allowed.join(' or ')}`);
  }
}
