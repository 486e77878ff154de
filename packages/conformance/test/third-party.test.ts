import { describe, expect, test } from 'vitest';
import { runConformance } from '../src/index.js';
import { createBackend } from './example/tiny-backend.js';

// The worked example of docs/backend-authors.md passes, and what it lacks is reported from what it
// declares: float64 cases are unsupported (its dtypes), logSoftmax and crossEntropy are composed.
describe('a third-party backend wrapping backend-cpu with its own fused softmax', () => {
  test('passes every case it supports', async () => {
    const report = await runConformance({ createBackend });
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => `${r.name}: ${r.message}`)).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(500);

    const unsupported = report.results.filter((r) => r.status === 'unsupported');
    expect(unsupported.length).toBeGreaterThan(0);
    expect(unsupported.every((r) => r.dtype === 'float64' || /float64/.test(r.message ?? ''))).toBe(true);

    const softmax = report.results.filter((r) => r.op === 'softmax' && r.status === 'pass');
    expect(softmax.every((r) => r.kernels.includes('fused.softmax') && r.fusedChecked)).toBe(true);
    const logSoftmax = report.results.filter((r) => r.op === 'logSoftmax' && r.status === 'pass');
    expect(logSoftmax.some((r) => r.kernels.some((k) => k.startsWith('fused.')))).toBe(false);
    expect(report.fused).toEqual(['softmax']);
    // the whole suite, with TensorFlow.js: minutes on a loaded 2-core machine (as the catalogue test's)
  }, 900_000);
});
