import { describe, expect, test } from 'vitest';
import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend, CrossEntropySpec, Storage } from '@logit/core';
import { runConformance } from '../src/index.js';
import type { ConformanceReport } from '../src/types.js';
import { wrapBackend } from './helpers/wrap.js';

// Each test breaks one kernel of backend-cpu in a subtle way and asserts that the suite reports
// failures that name the broken op, while leaving unrelated ops passing.

const failingOps = (r: ConformanceReport): Set<string> => new Set(r.results.filter((x) => x.status === 'fail').map((x) => x.op));

async function run(createBackend: () => Backend, include: string[]): Promise<ConformanceReport> {
  return runConformance({ createBackend, include, tfjs: false });
}

const readF = (be: Backend, s: Storage): Float32Array | Float64Array | Int32Array => be.readSync!(s) as Float32Array;

/** A new storage of the base backend holding `data`. */
function store(be: Backend, data: Float32Array | Float64Array | Int32Array, dtype: 'float32' | 'float64' | 'int32'): Storage {
  const s = be.alloc(dtype, data.length);
  be.write(s, data);
  return s;
}

describe('the suite catches a subtly broken backend', () => {
  test('a fused logSoftmax off by 1e-4', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-logsoftmax', {
        fused: (f) => ({
          logSoftmax: (x, shape, axis, dtype) => {
            const out = f.logSoftmax!(x, shape, axis, dtype);
            const shifted = readF(cpu, out).map((v) => v + 1e-4);
            cpu.free(out);
            return store(cpu, shifted, dtype as 'float32');
          },
        }),
      });
    };
    const report = await run(make, ['logSoftmax', 'add [3,4] [3,4]']);
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    expect(failingOps(report)).toEqual(new Set(['logSoftmax']));
    // both the float64 reference and the composed path disagree with it
    expect(failed.some((r) => r.oracle === 'cpu-f64' || r.oracle.startsWith('composed'))).toBe(true);
    expect(failed.find((r) => r.dtype === 'float32')).toBeDefined();
  });

  test('a reduce that mis-sums one broadcast pattern breaks broadcasting gradients', async () => {
    // sum over two non-adjacent axes (how the gradient of b in [2,1,3] + [1,4,1] is reduced) drops the last axis' sum
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-broadcast-grad', {
        ops: (o) => ({
          reduce: (op, x, shape, axes, dtype) =>
            op === 'sum' && axes.length === 2 && axes[1] - axes[0] > 1 ? brokenSum(cpu, o, x, shape, axes, dtype) : o.reduce(op, x, shape, axes, dtype),
        }),
      });
    };
    const report = await run(make, ['add [2,1,3] [1,4,1]', 'mul [3,4] [3,4]']);
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.op)).toContain('add');
    expect(failed.every((r) => r.name.startsWith('add [2,1,3] [1,4,1]'))).toBe(true);
    expect(failed[0].message).toMatch(/grad of input 1/);
  });

  test('a max that drops nan', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-max-nan', {
        ops: (o) => ({
          reduce: (op, x, shape, axes, dtype) => {
            if (op !== 'max') return o.reduce(op, x, shape, axes, dtype);
            const data = readF(cpu, x).map((v) => (Number.isNaN(v) ? -Infinity : v));
            const clean = store(cpu, data, dtype as 'float32');
            const out = o.reduce(op, clean, shape, axes, dtype);
            cpu.free(clean);
            return out;
          },
        }),
      });
    };
    const report = await run(make, ['max', 'sum all']);
    // (maxPool2d's composed path used to take this max over its windows and failed too; it now
    // picks each window's tap by arg-reduction and gathers it, PyTorch's nan rule included)
    expect(failingOps(report)).toEqual(new Set(['max']));
    expect(report.results.find((r) => r.name === 'max with nan [2,3] [float32]')?.status).toBe('fail');
  });

  test('a matmul that ignores transB for batched products', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-matmul-trans', {
        ops: (o) => ({ matmul: (a, b, spec, dtype) => o.matmul(a, b, spec.batch > 1 && spec.transB ? { ...spec, transB: false } : spec, dtype) }),
      });
    };
    const report = await run(make, ['matmul']);
    expect(failingOps(report)).toEqual(new Set(['matmul']));
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.some((r) => r.name.startsWith('matmul [2,3,4] [2,4,3]'))).toBe(true);
    expect(report.results.find((r) => r.name === 'matmul [3,4] [4,5] [float32]')?.status).toBe('pass');
  });

  test('a kernel that leaks a buffer', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-leak', {
        ops: (o) => ({
          unary: (op, x, size, dtype) => {
            if (op === 'exp') cpu.alloc(dtype, Math.max(1, size)); // a scratch buffer never freed
            return o.unary(op, x, size, dtype);
          },
        }),
      });
    };
    const report = await run(make, ['exp', 'neg']);
    expect(failingOps(report)).toContain('exp');
    // every failure ran the leaking kernel (logsumexp does, through exp); neg and expm1 stay clean
    for (const f of report.results.filter((x) => x.status === 'fail')) expect(f.kernels).toContain('unary.exp');
    expect(failingOps(report).has('neg') || failingOps(report).has('expm1')).toBe(false);
    const r = report.results.find((x) => x.name === 'exp [3,4] [float32]')!;
    expect(r.oracle).toBe('leak');
    expect(r.message).toMatch(/leaked .*1 backend storage/);
  });

  test('a fused crossEntropy that ignores ignoreIndex', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-ce-ignore', {
        fused: (f) => ({
          crossEntropy: (logits, target, weight, spec: CrossEntropySpec, dtype) => {
            // treats every ignored entry as class 0 and counts it
            const t = (cpu.readSync!(target) as Int32Array).map((v) => (v === spec.ignoreIndex ? 0 : v));
            const t2 = store(cpu, t, 'int32');
            const r = f.crossEntropy!(logits, t2, weight, { ...spec, ignoreIndex: -12345 }, dtype);
            cpu.free(t2);
            return r;
          },
        }),
      });
    };
    const report = await run(make, ['nn.CrossEntropyLoss', 'nn.NLLLoss']);
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failingOps(report)).toEqual(new Set(['nn.CrossEntropyLoss']));
    // every case with an ignored entry fails (the K-dim golden has some too); the class-probability cases skip the kernel
    expect(failed.some((r) => r.name.startsWith('nn.ce ignore some'))).toBe(true);
    expect(failed.some((r) => r.name.startsWith('nn.ce K-dim (2,3,2,2)'))).toBe(true);
    expect(failed.every((r) => r.kernels.includes('fused.crossEntropy'))).toBe(true);
    expect(report.results.filter((r) => r.name.startsWith('nn.ce probs')).every((r) => r.status === 'pass')).toBe(true);
    // cases without ignored entries still pass through the same broken kernel
    expect(report.results.find((r) => r.name === 'nn.ce basic [mean] [float32]')?.status).toBe('pass');
  });
  test('a fused sgdStep that forgets the momentum buffer after the first step', async () => {
    // every step restarts the buffer from the gradient: right on step 1, wrong from step 2 on
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-sgd-step', {
        fused: (f) => ({ sgdStep: (p, g, _buf, size, spec, dtype) => f.sgdStep!(p, g, null, size, spec, dtype) }),
      });
    };
    const report = await run(make, ['optim.SGD', 'add [3,4] [3,4]']);
    expect(failingOps(report)).toEqual(new Set(['optim.SGD']));
    const failed = report.results.filter((r) => r.status === 'fail');
    // the plain-SGD cases have no buffer to forget, so they still pass
    expect(failed.every((r) => !r.name.includes('plain'))).toBe(true);
    expect(failed.length).toBeGreaterThan(2);
  });

  test('a fused adamStep whose beta2 is 0.1% off after the first step', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-adam-step', {
        fused: (f) => ({
          adamStep: (p, g, state, size, spec, dtype) => f.adamStep!(p, g, state, size, { ...spec, beta2: spec.step > 1 ? spec.beta2 * 0.999 : spec.beta2 }, dtype),
        }),
      });
    };
    const report = await run(make, ['optim.Adam', 'add [3,4] [3,4]']);
    expect(failingOps(report)).toEqual(new Set(['optim.Adam', 'optim.AdamW']));
  });
});

/** Sums the first axis only, then takes index 0 along the second: wrong for non-adjacent axes. */
function brokenSum(cpu: Backend, o: Backend['ops'], x: Storage, shape: readonly number[], axes: readonly number[], dtype: Parameters<Backend['ops']['reduce']>[4]): Storage {
  const partial = o.reduce('sum', x, shape, [axes[0]], dtype);
  const pShape = shape.filter((_, i) => i !== axes[0]);
  const axis2 = axes[1] - 1;
  const begin = pShape.map(() => 0);
  const out = pShape.map((d, i) => (i === axis2 ? 1 : d));
  const sliced = o.slice(partial, pShape, begin, pShape.map(() => 1), out, dtype);
  cpu.free(partial);
  return sliced;
}
