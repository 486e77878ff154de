import { check, fail, refDType, roundTo, valuesOf, type CaseRun, type OracleOutcome } from './oracle.js';

/** The same program on backend-cpu in float64, rounded to the tested dtype: shape, dtype, output and gradients. */
export function cpuFloat64({ c, dtype, ref, got, tol }: CaseRun): OracleOutcome {
  if (got.shape.join() !== ref.shape.join()) return fail('cpu-f64', `output shape [${got.shape}], expected [${ref.shape}]`);
  if (got.dtype !== ref.dtype && refDType(got.dtype) !== ref.dtype) return fail('cpu-f64', `output dtype ${got.dtype}, expected ${ref.dtype}`);
  const expected = { output: roundTo(ref.output, got.dtype), grads: ref.grads.map((g) => (g ? roundTo(g, dtype) : null)) };
  return { checks: [check('cpu-f64', valuesOf(got), expected, tol, c.signedZeros)] };
}
