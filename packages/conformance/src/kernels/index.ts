import type { DType, Primitives } from '@logit/core';
import { castKernelCases, compareKernelCases, fillKernelCases, whereKernelCases } from './cases/compare.js';
import { binaryKernelCases, unaryKernelCases } from './cases/elementwise.js';
import { fusedKernelCases } from './cases/fused.js';
import {
  concatKernelCases, expandKernelCases, gatherKernelCases, permuteKernelCases, scatterAddKernelCases, setSliceKernelCases, sliceKernelCases,
} from './cases/layout.js';
import { matmulKernelCases } from './cases/matmul.js';
import { randomKernelCases } from './cases/random.js';
import { argReduceKernelCases, reduceKernelCases } from './cases/reduce.js';
import { argsortKernelCases, scanKernelCases, validateKernelCases } from './cases/scan-sort.js';
import type { KernelCase } from './types.js';

/**
 * The kernel-level cases of every primitive, typed exhaustively: a primitive added to the
 * contract does not compile here until it has its entry (one function returning its cases).
 */
export const PRIMITIVE_KERNEL_CASES: { readonly [K in keyof Primitives]: () => KernelCase[] } = {
  unary: unaryKernelCases,
  binary: binaryKernelCases,
  compare: compareKernelCases,
  where: whereKernelCases,
  cast: castKernelCases,
  reduce: reduceKernelCases,
  argReduce: argReduceKernelCases,
  matmul: matmulKernelCases,
  gather: gatherKernelCases,
  scatterAdd: scatterAddKernelCases,
  permute: permuteKernelCases,
  expand: expandKernelCases,
  slice: sliceKernelCases,
  setSlice: setSliceKernelCases,
  concat: concatKernelCases,
  fill: fillKernelCases,
  random: randomKernelCases,
  scan: scanKernelCases,
  argsort: argsortKernelCases,
  validate: validateKernelCases,
};

/** Every kernel case: each primitive's, then the fused kernels' (run where a backend declares them). */
export function kernelCases(): KernelCase[] {
  return [...Object.values(PRIMITIVE_KERNEL_CASES).flatMap((f) => f()), ...fusedKernelCases()];
}

/** The kernel cases expanded per dtype, filtered like the catalogue (substring of the name or the kernel, or a RegExp). */
export function selectKernelCases(include: readonly (string | RegExp)[] = [], exclude: readonly (string | RegExp)[] = []): {
  /** The case. */
  kc: KernelCase;
  /** One of its dtypes. */
  dtype: DType;
  /** The case's name with the dtype appended, e.g. "binary add, broadcasting [float32]". */
  name: string;
}[] {
  const hit = (f: string | RegExp, kc: KernelCase, name: string) => (typeof f === 'string' ? name.includes(f) || kc.kernel === f : f.test(name) || f.test(kc.kernel));
  return kernelCases()
    .flatMap((kc) => kc.dtypes.map((dtype: DType) => ({ kc, dtype, name: `${kc.name} [${dtype}]` })))
    .filter(({ kc, name }) => (include.length === 0 || include.some((f) => hit(f, kc, name))) && !exclude.some((f) => hit(f, kc, name)));
}
