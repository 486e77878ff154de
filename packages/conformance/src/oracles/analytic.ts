import { fmtNum } from '../compare.js';
import type { CaseRun, OracleOutcome } from './oracle.js';

/** Closed-form values a case declares (moments of a distribution, identities), each within its own bound. */
export function analyticValues({ c, dtype, got }: CaseRun): OracleOutcome {
  if (!c.analytic) return {};
  const { values, within, source, of } = c.analytic(dtype);
  const stats = of ? of(got.output) : Array.from(got.output);
  let maxAbs = 0;
  let detail: string | undefined;
  values.forEach((v, i) => {
    const g = stats[i];
    const d = Math.abs(g - v);
    maxAbs = Math.max(maxAbs, Number.isNaN(d) ? Infinity : d);
    if (!(d <= within[i])) detail ??= `output[${i}]: got ${fmtNum(g)}, expected ${fmtNum(v)} within ${fmtNum(within[i])} (${source})`;
  });
  if (stats.length !== values.length) detail = `has ${stats.length} values, expected ${values.length} (${source})`;
  return { checks: [{ oracle: 'analytic', cmp: { ok: detail === undefined, maxAbs, maxRel: 0, detail: detail ? `: ${detail}` : undefined } }] };
}
