import type { Backend, DType, Shape, Storage } from '@logit/core';
import type { KernelCall, KernelCase, KernelInput } from '../types.js';

/** Every dtype a kernel may be asked for; a case at a dtype the backend does not store is unsupported. */
export const ALL_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
export const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64'];

/** A kernel case: `calls(dtype)` lists what to run; the runner compares each with backend-cpu in float64. */
export function kernelCase(
  kernel: string, name: string, dtypes: readonly DType[], calls: (dtype: DType) => KernelCall[], more: Partial<KernelCase> = {},
): KernelCase {
  return { kernel, name, dtypes, calls, ...more };
}

/** One call; inputs given as host arrays (data dtype) or `{ data, dtype }`. */
export function call(
  what: string, inputs: readonly (ArrayLike<number> | KernelInput)[], run: (be: Backend, xs: Storage[], dtype: DType) => Storage | readonly (Storage | null)[], out?: DType,
): KernelCall {
  const ins = inputs.map((x) => ('data' in (x as object) && !ArrayBuffer.isView(x) ? (x as KernelInput) : { data: x as ArrayLike<number> }));
  return { what, inputs: ins, run, out };
}

/** An int32 input (indices). */
export const int32 = (data: ArrayLike<number>): KernelInput => ({ data, dtype: 'int32' });
/** A bool input (a condition). */
export const bool = (data: ArrayLike<number>): KernelInput => ({ data, dtype: 'bool' });

export const fmtShape = (s: Shape): string => `[${s.join(',')}]`;
