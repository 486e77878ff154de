import type { Backend, DType, Storage } from '@logit/core';
import type { Tolerance } from '../types.js';

/** One host input of a kernel call; `dtype` defaults to the call's data dtype. */
export interface KernelInput {
  /** The values, rounded to the input's dtype before upload (bool: 0 or 1). */
  data: ArrayLike<number>;
  /** The storage dtype of this input (an index tensor's int32); default the call's data dtype. */
  dtype?: DType;
}

/** One call of a kernel on uploaded inputs. */
export interface KernelCall {
  /** Shapes and options, for messages: "[3,4] + [4]". */
  what: string;
  /** The host inputs, uploaded in order and passed to `run` as `xs`. */
  inputs: readonly KernelInput[];
  /** The dtype of the outputs when it is fixed (cast's target); by default float outputs follow the data dtype. */
  out?: DType;
  /** Float32 closeness of this call when it depends on its sizes (a sum of k terms); overrides the case's. */
  tol?: Tolerance;
  /**
   * Calls the kernel on `be` with `xs` uploaded. `dtype` is the data dtype: the case's on the
   * tested backend, float64 on the reference run of a float case. Several outputs (a fused kernel's
   * result) come back as an array; null entries are outputs the kernel does not produce.
   */
  run(be: Backend, xs: Storage[], dtype: DType): Storage | readonly (Storage | null)[];
}

/** The kernels a case can exercise: a primitive, or a fused kernel as 'fused.<name>'. */
export type KernelName = string;

/** A group of calls of one kernel at each of its dtypes, checked against backend-cpu in float64. */
export interface KernelCase {
  /** Unique in the suite, e.g. "binary add, broadcasting"; the dtype is appended when run. */
  name: string;
  /** The kernel the calls exercise, e.g. 'binary' or 'fused.crossEntropy'. */
  kernel: KernelName;
  /** The data dtypes the case runs at, one result each. */
  dtypes: readonly DType[];
  /** Other dtypes the backend must store for the case (a cast to float64). */
  requires?: readonly DType[];
  /** The calls at one dtype; data is generated from fixed seeds, so every run sees the same. */
  calls(dtype: DType): KernelCall[];
  /** Closeness for float results (default KERNEL_TOLERANCE); integer and bool results are always exact. */
  tol?: Partial<Record<DType, Tolerance>>;
  /** Compare zeros by sign (-0 vs 0). */
  signedZeros?: boolean;
  /**
   * Why a float32 result may legitimately differ from backend-cpu's at the same dtype (a sum in
   * another order): exempts the case from the `exact` option.
   */
  inexact?: string;
  /** Why only a backend that claims `exact` is held to this case (subnormals, overflow); others report it unsupported. */
  exactOnly?: string;
}

/**
 * How a kernel case ended at one dtype: 'pass', 'fail', or 'unsupported' (the backend does not
 * store a dtype the case needs or declare its fused kernel, or the case needs `exact`).
 */
export type KernelStatus = 'pass' | 'fail' | 'unsupported';

/** The outcome of one kernel case at one dtype, as {@link runKernelCase} returns it. */
export interface KernelResult {
  /** The case's name with the dtype appended, e.g. "binary add, broadcasting [float32]". */
  name: string;
  /** The kernel the case exercises. */
  kernel: KernelName;
  /** The data dtype it ran at. */
  dtype: DType;
  /** Whether it passed, failed or could not run; `message` says why for the latter two. */
  status: KernelStatus;
  /** For a failure: the call and the first element out of tolerance; for unsupported: why. */
  message?: string;
  /** The calls whose outputs were compared (0 when the case did not run or running its calls threw). */
  calls: number;
}
