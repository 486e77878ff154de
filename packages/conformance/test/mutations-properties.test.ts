import { describe, expect, test } from 'vitest';
import { createCpuBackend } from '@logit/backend-cpu';
import { newArray, sizeOf, type Backend, type DType, type Storage, type TypedArray } from '@logit/core';
import { createKernelEnvironment, runConformance, runKernelCase, selectKernelCases, ravel, unravel } from '../src/index.js';
import type { ConformanceReport } from '../src/types.js';
import { wrapBackend } from './helpers/wrap.js';

// Defects of the kinds that slip past cases written for the common path: each breaks backend-cpu
// in one category, on inputs its ordinary cases never hold, and must be caught by the property
// cases (test/mutations.test.ts has the earlier categories). Categories, not particular defects:
// accumulation over repeated indices, tie-breaking on 1-D inputs, the parameters of the random
// kinds, accuracy in saturation regions and tails, and 0-d inputs.

const failing = (r: ConformanceReport): ConformanceReport['results'] => r.results.filter((x) => x.status === 'fail');
const failingOps = (r: ConformanceReport): Set<string> => new Set(failing(r).map((x) => x.op));

/** A storage of `be` holding host values as `dtype`. */
function put(be: Backend, values: ArrayLike<number>, dtype: DType): Storage {
  const a = newArray(dtype, values.length);
  a.set(Array.from(values));
  const s = be.alloc(dtype, a.length);
  be.write(s, a);
  return s;
}

/** Runs the catalogue on a mutant, restricted to `include`. */
const catalogue = (createBackend: () => Backend, include: (string | RegExp)[]) => runConformance({ createBackend, include, tfjs: false });

/** The kernel kit's cases of one kernel on a mutant: the names of those that fail. */
async function kitFailures(createBackend: () => Backend, kernel: string): Promise<string[]> {
  const env = await createKernelEnvironment(createBackend);
  const failed: string[] = [];
  for (const { kc, dtype, name } of selectKernelCases([kernel])) {
    if ((await runKernelCase(env, kc, dtype)).status === 'fail') failed.push(name);
  }
  return failed;
}

/** A unary op whose float results are replaced where `mutate` says so (computed on the host). */
function unaryMutant(name: string, op: string, mutate: (x: number, y: number) => number): () => Backend {
  return () => {
    const cpu = createCpuBackend();
    return wrapBackend(cpu, name, {
      ops: (o) => ({
        unary: (u, x, size, dtype) => {
          const out = o.unary(u, x, size, dtype);
          if (u !== op || (dtype !== 'float32' && dtype !== 'float64')) return out;
          const xs = cpu.readSync!(x);
          const ys = cpu.readSync!(out).map((y, i) => mutate(xs[i], y));
          cpu.free(out);
          return put(cpu, ys, dtype);
        },
      }),
    });
  };
}

describe('the property cases catch a subtly broken backend', () => {
  test('scatterAdd that keeps the last of repeated indices instead of their sum, in 1-D only', async () => {
    // only a 1-D index (the gradient of a 1-D gather or indexSelect) loses the sum; n-D ones accumulate
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-scatter-last-1d', {
        ops: (o) => ({
          scatterAdd: (index, indexShape, src, outShape, axis, dtype) => {
            if (indexShape.length !== 1) return o.scatterAdd(index, indexShape, src, outShape, axis, dtype);
            const idx = cpu.readSync!(index);
            const s = cpu.readSync!(src);
            const out: TypedArray = newArray(dtype, sizeOf(outShape));
            for (let i = 0; i < idx.length; i++) out[ravel([...unravel(i, indexShape).slice(0, axis), idx[i]], outShape)] = s[i];
            return put(cpu, out, dtype);
          },
        }),
      });
    };
    const report = await catalogue(make, ['indices', 'gather', 'indexSelect', 'exp [3,4]']);
    for (const op of ['gather', 'scatterAdd']) expect(failingOps(report).has(op), op).toBe(true);
    expect(failing(report).some((r) => r.name.startsWith('gather [5] dim 0, all equal'))).toBe(true);
    // the 2-D and 3-D gathers with repeated indices, and everything else, pass
    for (const n of ['gather dim 1 (repeated indices) [float32]', 'gather [3,4] dim 1, all equal [float64]', 'exp [3,4] [float32]']) {
      expect(report.results.find((r) => r.name === n)?.status, n).toBe('pass');
    }
    expect(await kitFailures(make, 'scatterAdd')).toContain('scatterAdd along each axis, repeated indices accumulate [float32]');
  });

  test('argmax and argmin that take the last of tied values in 1-D inputs only', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-tie-1d', {
        ops: (o) => ({
          argReduce: (op, x, shape, axis, dtype) => {
            if (shape.length !== 1) return o.argReduce(op, x, shape, axis, dtype);
            const v = cpu.readSync!(x);
            let at = 0;
            for (let j = 1; j < v.length; j++) if (op === 'argmax' ? v[j] >= v[at] : v[j] <= v[at]) at = j;
            return put(cpu, [at], 'int32');
          },
        }),
      });
    };
    const report = await catalogue(make, ['ties', /^argmax/, /^argmin/]);
    const failed = failing(report).map((r) => r.name);
    // the flattened ("over all") and 1-D tie cases fail; the 2-D and 3-D ones along a dim pass
    expect(failed).toContain('argmax ties [7] dim 0 [float32]');
    expect(failed).toContain('argmin ties [3,4] over all [float64]');
    expect(failed).toContain('max ties [4] dim 0 [float32]'); // the gradient goes to the wrong element
    expect(failed.every((n) => / over all | \[\d+\] dim 0 /.test(n))).toBe(true);
    expect(report.results.find((r) => r.name === 'argmax ties [3,4] dim 1 [float32]')?.status).toBe('pass');
    expect(await kitFailures(make, 'argReduce')).toContain('argReduce argmax, every axis, ties and nan [float32]');
  });

  test('random kinds that ignore a parameter their defaults do not exercise', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-random-params', {
        ops: (o) => ({
          random: (spec, size, dtype) => {
            const [a, b] = spec.params;
            // uniform as low + high * u (right for low = 0), normal without std (right for std = 1),
            // bernoulli's p rounded to one decimal (right for 0.3 and 0.7)
            const params: [number, number] = spec.kind === 'uniform' ? [a, a + b] : spec.kind === 'normal' ? [a, 1] : [Math.round(a * 10) / 10, b];
            return o.random({ ...spec, params }, size, dtype);
          },
        }),
      });
    };
    const report = await catalogue(make, ['random', 'creation', 'rand', 'nn.Dropout p 0.3']);
    const ops = failingOps(report);
    for (const op of ['random.uniform', 'random.normal', 'random.bernoulli']) expect(ops.has(op), op).toBe(true);
    // the old default-parameter cases still pass through the same broken kernel
    for (const n of ['rand [4,5] [float32]', 'randn [3,5] [float64]', 'nn.Dropout p 0.3 train (seeded) [float32]']) {
      expect(report.results.find((r) => r.name === n)?.status, n).toBe('pass');
    }
    expect(failing(report).some((r) => r.oracle === 'analytic' || r.oracle === 'cpu-f64')).toBe(true);
  });

  test('bounded activations flushed in their saturation regions, and tails computed the naive way', async () => {
    const cases: [string, () => Backend, string][] = [
      ['sigmoid', unaryMutant('mut-sigmoid-flush', 'sigmoid', (x, y) => (x < -15 ? 0 : x > 15 ? 1 : y)), 'sigmoid in ulps'],
      ['tanh', unaryMutant('mut-tanh-clamp', 'tanh', (x, y) => (Math.abs(x) > 5 ? Math.sign(x) : y)), 'tanh in ulps'],
      // zeros keep their sign; every other value is computed the naive way, which cancels near 0
      ['expm1', unaryMutant('mut-expm1-naive', 'expm1', (x, y) => (x === 0 ? y : Math.exp(x) - 1)), 'expm1 in ulps'],
      ['log1p', unaryMutant('mut-log1p-naive', 'log1p', (x, y) => (x === 0 ? y : Math.log(1 + x))), 'log1p in ulps'],
      ['erf', unaryMutant('mut-erf-tail', 'erf', (x, y) => (Math.abs(x) > 2.5 ? Math.sign(x) : y)), 'erf in ulps'],
    ];
    for (const [op, make, accuracyCase] of cases) {
      const report = await catalogue(make, [op]);
      expect(failingOps(report), op).toEqual(new Set([op]));
      // the ordinary cases pass; the whole-range accuracy case catches the defect
      expect(failing(report).some((r) => r.name.startsWith(accuracyCase)), op).toBe(true);
      for (const shape of ['[3,4]', '[2,1,3,2]']) expect(report.results.find((r) => r.name === `${op} ${shape} [float32]`)?.status, `${op} ${shape}`).toBe('pass');
    }
  });

  test('amax and amin over a 0-d input that give the reduction\'s identity instead of the element', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-reduce-0d', {
        ops: (o) => ({
          reduce: (op, x, shape, axes, dtype) =>
            shape.length === 0 && (op === 'max' || op === 'min') ? o.fill(op === 'max' ? -Infinity : Infinity, 1, dtype) : o.reduce(op, x, shape, axes, dtype),
        }),
      });
    };
    const report = await catalogue(make, ['edge-shapes', 'reduce']);
    const failed = failing(report).map((r) => r.name);
    for (const n of ['amax 0-d [float32]', 'amin 0-d [float64]']) expect(failed, n).toContain(n);
    expect(failed.every((n) => n.includes(' 0-d ')), failed.join(', ')).toBe(true);
  });
});
