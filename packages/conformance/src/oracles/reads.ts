import { check, valuesOf, type CaseRun, type OracleOutcome } from './oracle.js';

/** `readSync`, where the backend has it, returns exactly what `read` does. */
export function syncAsyncReads({ c, got }: CaseRun): OracleOutcome {
  if (!got.outputSync) return {};
  return { checks: [check('readSync', { output: got.outputSync, grads: got.gradsSync ?? [] }, valuesOf(got), { rtol: 0, atol: 0 }, c.signedZeros)] };
}
