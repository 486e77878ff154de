import type { Primitives } from './types.js';

/** Every primitive a backend must implement. Typed exhaustively: adding one to Primitives fails here until listed. */
const names: { [K in keyof Primitives]: true } = {
  unary: true, binary: true, compare: true, where: true, cast: true, reduce: true, argReduce: true,
  matmul: true, gather: true, scatterAdd: true, permute: true, expand: true, slice: true,
  setSlice: true, concat: true, fill: true, random: true, scan: true, argsort: true, validate: true,
};
/** The names of the {@link Primitives} every backend implements, e.g. to list what a backend ran. */
export const PRIMITIVE_NAMES = Object.keys(names) as (keyof Primitives)[];
