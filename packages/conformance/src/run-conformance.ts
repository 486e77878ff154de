import { createCpuBackend } from '@logit/backend-cpu';
import { getBackend, hasBackend, setBackend, setFusedKernelsEnabled, type Backend, type DType } from '@logit/core';
import { CATALOGUE, expandCases } from './catalogue.js';
import { runCase, type CaseEnvironment } from './run-case.js';
import { DEFAULT_TOLERANCES } from './tolerance.js';
import { traceBackend } from './trace.js';
import type { Case, CaseFilter, CaseResult, ConformanceOptions, ConformanceReport } from './types.js';

const asList = (f: CaseFilter | readonly CaseFilter[] | undefined): CaseFilter[] => (f === undefined ? [] : Array.isArray(f) ? [...f] : [f as CaseFilter]);

function matches(f: CaseFilter, c: Case, name: string): boolean {
  if (typeof f === 'function') return f(c);
  if (typeof f === 'string') return name.includes(f) || c.op === f || c.family === f;
  return f.test(name) || f.test(c.op) || f.test(c.family);
}

/** The cases (per dtype) an include/exclude pair selects. */
export function selectCases(include?: ConformanceOptions['include'], exclude?: ConformanceOptions['exclude']) {
  const inc = asList(include);
  const exc = asList(exclude);
  return expandCases(CATALOGUE).filter(({ c, name }) => (inc.length === 0 || inc.some((f) => matches(f, c, name))) && !exc.some((f) => matches(f, c, name)));
}

/** A session: the tested backend (traced), the float64 reference, and the settings. */
export async function createEnvironment(opts: ConformanceOptions): Promise<CaseEnvironment> {
  const backend = await opts.createBackend();
  return {
    tested: traceBackend(backend),
    reference: createCpuBackend(),
    tolerances: { ...DEFAULT_TOLERANCES, ...opts.tolerances } as Record<DType, (typeof DEFAULT_TOLERANCES)[DType]>,
    tfjs: opts.tfjs ?? true,
  };
}

/** Runs one case at one dtype, restoring the caller's backend and fused-kernel setting afterwards. */
export async function runOne(env: CaseEnvironment, c: Case, dtype: DType): Promise<CaseResult> {
  const previous: Backend | null = hasBackend() ? getBackend() : null;
  try {
    return await runCase(c, dtype, env);
  } finally {
    setFusedKernelsEnabled(true);
    if (previous) setBackend(previous);
  }
}

/**
 * Runs the conformance suite against a backend and returns a structured report: per case (and
 * dtype) pass / fail / unsupported, the largest absolute and relative error, the oracles used,
 * and why it failed. Nothing is thrown for a failing case; a backend whose factory throws rejects.
 *
 *   const report = await runConformance({ createBackend });
 *   if (report.summary.fail) console.log(report.results.filter((r) => r.status === 'fail'));
 */
export async function runConformance(opts: ConformanceOptions): Promise<ConformanceReport> {
  const t0 = performance.now();
  const env = await createEnvironment(opts);
  const results: CaseResult[] = [];
  for (const { c, dtype } of selectCases(opts.include, opts.exclude)) {
    const r = await runOne(env, c, dtype);
    results.push(r);
    opts.onResult?.(r);
  }
  const count = (s: CaseResult['status']): number => results.filter((r) => r.status === s).length;
  const be = env.tested.backend;
  return {
    backend: be.name,
    dtypes: be.dtypes,
    fused: Object.keys(be.fused ?? {}),
    results,
    summary: { total: results.length, pass: count('pass'), fail: count('fail'), unsupported: count('unsupported'), ms: performance.now() - t0 },
  };
}
