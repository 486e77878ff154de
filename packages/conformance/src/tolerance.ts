import type { DType } from '@logit/core';
import type { Tolerance } from './types.js';

/**
 * Default tolerances against the float64 reference (rounded to the tested dtype) and PyTorch:
 * float32 within 1e-5 relative (plus 1e-6 of the result's magnitude), the level of PyTorch's
 * own float32 tests; float64 within 1e-9; integers and bools exactly.
 */
export const DEFAULT_TOLERANCES: Record<DType, Tolerance> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-9, atol: 1e-12 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** Central differences in float64 carry O(h^2) truncation and O(eps/h) rounding error. */
export const FD_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-6 };

/** TensorFlow.js computes in float32 with its own formulas (e.g. erf, sums in a different order). */
export const TFJS_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

export function looser(a: Tolerance, b: Tolerance): Tolerance {
  return { rtol: Math.max(a.rtol, b.rtol), atol: Math.max(a.atol, b.atol) };
}
