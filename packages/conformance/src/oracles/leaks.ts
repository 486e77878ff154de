import { fail, type CaseRun, type OracleOutcome } from './oracle.js';

/** Core's memory() and the backend's memory() are the same after the case as before it. */
export function leaks(run: CaseRun): OracleOutcome {
  return run.got.leaked ? fail('leak', run.got.leaked) : {};
}
