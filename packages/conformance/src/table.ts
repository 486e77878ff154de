import type { CaseResult, ConformanceReport } from './types.js';

const e2 = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : String(v));

/** One row per op: how many cases passed, failed, were unsupported, and the worst error. */
export function opTable(report: ConformanceReport): string {
  const rows = new Map<string, CaseResult[]>();
  for (const r of report.results) rows.set(r.op, [...(rows.get(r.op) ?? []), r]);
  const width = Math.max(4, ...[...rows.keys()].map((k) => k.length));
  const lines = [`${'op'.padEnd(width)}  result`];
  for (const [op, rs] of rows) {
    const fail = rs.filter((r) => r.status === 'fail');
    const pass = rs.filter((r) => r.status === 'pass');
    const unsupported = rs.filter((r) => r.status === 'unsupported');
    const worstAbs = Math.max(0, ...rs.filter((r) => r.status !== 'unsupported').map((r) => r.maxAbsError));
    const worstRel = Math.max(0, ...rs.filter((r) => r.status !== 'unsupported').map((r) => r.maxRelError));
    const parts: string[] = [];
    if (fail.length) parts.push(`FAIL ${fail.length}/${rs.length} (max abs ${e2(worstAbs)}, rel ${e2(worstRel)})`);
    else if (pass.length) parts.push(`pass ${pass.length}/${rs.length} (max abs ${e2(worstAbs)}, rel ${e2(worstRel)})`);
    if (unsupported.length) parts.push(`unsupported ${unsupported.length}`);
    lines.push(`${op.padEnd(width)}  ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

/** Every failure, and every documented difference from an oracle, one per line. */
export function details(report: ConformanceReport, opts: { differences?: boolean } = {}): string {
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.status === 'fail') lines.push(`FAIL ${r.name} (${r.op}): ${r.message}`);
    if (opts.differences) for (const d of r.expectedDifferences) lines.push(`note ${r.name}: ${d}`);
  }
  return lines.join('\n');
}

/** One line of totals: "logit-conformance: backend 'cpu': 1091 passed, 0 failed, 0 unsupported of 1091 cases in 12.3 s". */
export function summaryLine(report: ConformanceReport): string {
  const s = report.summary;
  return `logit-conformance: backend '${report.backend}': ${s.pass} passed, ${s.fail} failed, ${s.unsupported} unsupported of ${s.total} cases in ${(s.ms / 1000).toFixed(1)} s`;
}
