import type { Check, OracleOutcome } from './oracles/oracle.js';
import type { CaseResult } from './types.js';

/**
 * The one verdict of a case from its oracles' outcomes, in oracle order: the first failure (an
 * oracle's own, or a comparison out of tolerance that is not a documented difference) fails the
 * case and names its oracle; otherwise it passes with the largest errors seen and the oracle that
 * had the largest. Documented differences and notes go to `expectedDifferences` either way.
 */
export function verdict(result: CaseResult, outcomes: readonly OracleOutcome[]): CaseResult {
  const checks: Check[] = [];
  let worst = -1;
  for (const o of outcomes) {
    result.expectedDifferences.push(...(o.notes ?? []));
    result.fusedChecked ||= o.fusedChecked ?? false;
    if (o.failure) return failed(result, checks, o.failure.oracle, o.failure.message);
    for (const k of o.checks ?? []) {
      checks.push(k);
      if (k.expected) {
        const seen = k.cmp.ok ? `agrees here (max abs ${k.cmp.maxAbs.toExponential(2)})` : `differs: ${k.cmp.detail}`;
        result.expectedDifferences.push(`${k.oracle}: expected difference (${k.expected}); ${seen}`);
        continue;
      }
      if (!k.cmp.ok) return failed(result, checks, k.oracle, `${k.oracle}: ${k.cmp.detail}`);
      if (Number.isFinite(k.cmp.maxAbs) && k.cmp.maxAbs > worst) {
        worst = k.cmp.maxAbs;
        result.oracle = k.oracle;
      }
      result.maxAbsError = Math.max(result.maxAbsError, k.cmp.maxAbs);
      result.maxRelError = Math.max(result.maxRelError, k.cmp.maxRel);
    }
  }
  result.oracles = oracleNames(checks);
  return result;
}

function failed(result: CaseResult, checks: Check[], oracle: string, message: string): CaseResult {
  result.status = 'fail';
  result.oracle = oracle;
  result.message = message;
  result.oracles = oracleNames(checks);
  return result;
}

const oracleNames = (checks: readonly Check[]): string[] => [...new Set(checks.map((k) => k.oracle.split(' ')[0]))];
