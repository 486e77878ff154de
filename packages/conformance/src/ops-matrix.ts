import { BINARY_OPS, COMPARE_OPS, PRIMITIVE_NAMES, UNARY_OPS } from '@logit/core';
import type { CaseResult, ConformanceReport } from './types.js';

/** One backend's column of the support matrix. */
export interface MatrixColumn {
  /** Column title, e.g. "cpu". */
  name: string;
  /** The suite's report for that backend, or why it could not start. */
  report: ConformanceReport | {
    /** Why the backend could not start. */
    error: string;
  };
}

// Ops that are one primitive kernel (or one plus the gather that moves its values: sort, topk):
// "native" on every backend that passes them.
const PRIMITIVE_OPS = new Set<string>([
  ...UNARY_OPS, ...BINARY_OPS, ...COMPARE_OPS, ...PRIMITIVE_NAMES, 'sum', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin',
  'reduce.prod', 'rand', 'randn', 'randint', 'transpose', 'slice', 'narrow', 'select', 'indexSelect',
  'sort', 'topk', 'cumsum', 'cumprod',
]);

function cell(rs: CaseResult[], fusedSomewhere: boolean): string {
  const fail = rs.filter((r) => r.status === 'fail').length;
  const ran = rs.filter((r) => r.status !== 'unsupported');
  if (fail) return `failing (${fail}/${rs.length})`;
  if (ran.length === 0) return 'unsupported';
  const fused = [...new Set(ran.flatMap((r) => r.kernels.filter((k) => k.startsWith('fused.'))))];
  const partly = ran.length < rs.length ? ` (${rs.length - ran.length} unsupported)` : '';
  if (fused.length) return `native: ${fused.map((k) => k.slice(6)).join(', ')}${partly}`;
  if (fusedSomewhere) return `composed${partly}`;
  return `${PRIMITIVE_OPS.has(rs[0].op) ? 'native' : 'composed'}${partly}`;
}

/**
 * The support matrix as markdown: one row per op of the catalogue, one column per backend.
 * native = the backend's own kernel (a primitive, or a fused kernel it declares) ran and passed;
 * composed = core built the op from primitives and it passed; failing = some cases failed.
 */
export function supportMatrix(columns: readonly MatrixColumn[]): string {
  const ok = columns.filter((c): c is { name: string; report: ConformanceReport } => 'results' in c.report);
  const ops: string[] = [];
  // error cases (family 'errors') get one summary row below, not a row per op they refuse
  for (const c of ok) for (const r of c.report.results) if (r.family !== 'errors' && !ops.includes(r.op)) ops.push(r.op);
  const byOp = ok.map((c) => {
    const m = new Map<string, CaseResult[]>();
    for (const r of c.report.results) m.set(r.op, [...(m.get(r.op) ?? []), r]);
    return m;
  });
  const lines = [`| op | ${columns.map((c) => c.name).join(' | ')} |`, `| --- | ${columns.map(() => '---').join(' | ')} |`];
  for (const op of ops) {
    const fusedSomewhere = byOp.some((m) => (m.get(op) ?? []).some((r) => r.kernels.some((k) => k.startsWith('fused.'))));
    const cells = columns.map((c) => {
      if (!('results' in c.report)) return 'did not start';
      const rs = byOp[ok.indexOf(c as (typeof ok)[number])].get(op) ?? [];
      return rs.length ? cell(rs, fusedSomewhere) : 'not run';
    });
    lines.push(`| ${op} | ${cells.join(' | ')} |`);
  }
  const errorCells = columns.map((c) => {
    if (!('results' in c.report)) return 'did not start';
    const rs = c.report.results.filter((r) => r.family === 'errors');
    const fail = rs.filter((r) => r.status === 'fail').length;
    return rs.length === 0 ? 'not run' : fail ? `failing (${fail}/${rs.length})` : `same error as cpu (${rs.length})`;
  });
  if (errorCells.some((x) => x !== 'not run')) lines.push(`| bad input (error cases) | ${errorCells.join(' | ')} |`);
  return lines.join('\n');
}
