import { describe, expect, it } from 'vitest';
import { fixedUniform, relativeError } from '../src/benchmarks/agreement.js';
import { ratioColumns, ratioHeaders } from '../src/benchmarks/ratios.js';
import type { Contender } from '../src/contenders/index.js';
import { renderTable } from '../src/table.js';
import { measure, measureInterleaved, median } from '../src/timing.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values, of unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('rejects an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('measure', () => {
  it('runs warm-up, three probe calls, then samples x callsPerSample timed calls', async () => {
    let calls = 0;
    const t = await measure(() => { calls++; }, { warmup: 3, samples: 4, minSampleMs: 0 });
    expect(t.callsPerSample).toBe(1);
    expect(t.samplesMs).toHaveLength(4);
    expect(calls).toBe(3 + 3 + 4);
    expect(t.medianMs).toBe(median(t.samplesMs));
  });
  it('repeats a fast call until a sample lasts minSampleMs, and awaits async calls', async () => {
    // A fake clock that only advances when an awaited call finishes: 2 ms per call.
    let clock = 0;
    const call = async () => {
      await Promise.resolve();
      clock += 2;
    };
    const t = await measure(call, { warmup: 1, samples: 3, minSampleMs: 20 }, () => clock);
    expect(t.callsPerSample).toBe(10);
    expect(t.samplesMs).toEqual([2, 2, 2]);
    expect(t.medianMs).toBe(2);
  });
  it('sizes samples by the median probe call, so one slow first call does not make them short', async () => {
    // 1 ms per call, except the first probe call (just after warm-up) takes 30 ms
    let clock = 0;
    let calls = 0;
    const call = () => {
      calls++;
      clock += calls === 2 ? 30 : 1;
    };
    const t = await measure(call, { warmup: 1, samples: 3, minSampleMs: 20 }, () => clock);
    expect(t.callsPerSample).toBe(20);
    expect(t.samplesMs).toEqual([1, 1, 1]);
  });
});

describe('measureInterleaved', () => {
  it('warms up and probes each case, then takes sample s of every case before sample s + 1', async () => {
    const log: string[] = [];
    let clock = 0;
    // Case a costs 1 ms per call, case b 5 ms; activation is free and logged.
    const timed = (name: string, ms: number) => ({
      activate: () => log.push(`activate ${name}`),
      run: async () => {
        await Promise.resolve();
        clock += ms;
        log.push(name);
      },
    });
    const [ta, tb] = await measureInterleaved([timed('a', 1), timed('b', 5)], { warmup: 1, samples: 2, minSampleMs: 4 }, () => clock);
    expect(ta.callsPerSample).toBe(4);
    expect(tb.callsPerSample).toBe(1);
    expect(ta.samplesMs).toEqual([1, 1]);
    expect(tb.samplesMs).toEqual([5, 5]);
    const sample = ['activate a', 'a', 'a', 'a', 'a', 'activate b', 'b'];
    // warm-up 1 call, probe 3 calls
    expect(log).toEqual(['activate a', 'a', 'a', 'a', 'a', 'activate b', 'b', 'b', 'b', 'b', ...sample, ...sample]);
  });
});

describe('agreement', () => {
  it('measures the largest difference relative to the reference scale', () => {
    const ref = new Float32Array([1, -4, 2]);
    expect(relativeError(new Float32Array([1, -4, 2]), ref)).toBe(0);
    expect(relativeError(new Float32Array([1, -3, 2]), ref)).toBe(0.25);
    expect(relativeError(new Float32Array([1, NaN, 2]), ref)).toBe(Infinity);
    expect(relativeError(new Float32Array([1, 2]), ref)).toBe(Infinity);
  });
  it('gives the same inputs for the same seed, uniform in [-1, 1)', () => {
    const a = fixedUniform(10_000, 7);
    expect(fixedUniform(10_000, 7)).toEqual(a);
    expect(fixedUniform(10_000, 8)).not.toEqual(a);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(Math.abs(a.reduce((s, v) => s + v, 0) / a.length)).toBeLessThan(0.05);
  });
});

describe('table', () => {
  it('prints headers, right-aligned cells and - for missing values', () => {
    const text = renderTable({ title: 'demo', columns: ['N', 'x', 'y'], rows: [{ N: 128, x: 5.5612, y: null }, { N: 1024, x: 123.4 }] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('demo');
    expect(lines.some((l) => /│\s+N │\s+x │\s+y │/.test(l))).toBe(true);
    expect(lines.some((l) => /│\s+128 │\s+5\.56 │\s+- │/.test(l))).toBe(true);
    expect(lines.some((l) => /│\s+1024 │\s+123 │\s+- │/.test(l))).toBe(true);
  });
  it('adds a ratio column only where both contenders run', () => {
    const c = (name: string, compareTo?: string) => ({ name, compareTo }) as Contender;
    expect(ratioColumns([c('logit-cpu', 'tfjs-cpu'), c('tfjs-cpu')])).toEqual([
      { key: 'logit-cpu/tfjs-cpu', of: 'logit-cpu', to: 'tfjs-cpu', header: 'logit-cpu/\ntfjs-cpu' },
    ]);
    expect(ratioColumns([c('logit-cpu', 'tfjs-cpu')])).toEqual([]);
  });
  it('prints a ratio header on two lines, keyed by the ratio', () => {
    const c = (name: string, compareTo?: string) => ({ name, compareTo }) as Contender;
    const ratios = ratioColumns([c('logit-wasm-2t', 'tfjs-wasm'), c('tfjs-wasm')]);
    const text = renderTable({ title: 't', columns: ['N', ratios[0].key], headers: ratioHeaders(ratios), rows: [{ N: 1, [ratios[0].key]: 2 }] });
    const lines = text.split('\n');
    expect(lines.some((l) => /│\s+N │ logit-wasm-2t\/ │/.test(l))).toBe(true);
    expect(lines.some((l) => /│\s+│\s+tfjs-wasm │/.test(l))).toBe(true);
    expect(lines.some((l) => /│\s+1 │\s+2 │/.test(l))).toBe(true);
  });
});
