import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setBackend } from '@logit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { trainMlp } from '../browser/training.js';
import { createCpuBackend } from '@logit/backend-cpu';
import { runKernel } from '@logit/conformance/vitest';
import { createBackend } from '../../src/index.js';

const cpu = createCpuBackend();
const webgpu = createBackend();

// Dawn-node's instance lives only as long as the JS object create() returned. Before the backend
// held it, a garbage collection while the device worked crashed the process inside Dawn's
// ProcessEvents after ~100-200 submits. These runs force collections between thousands of
// submits and readbacks, so a regression crashes this suite.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

afterAll(() => setBackend(cpu));

describe('Dawn-node stays up across thousands of submits and garbage collections', () => {
  it('3000 submit + readback rounds of a kernel, with a forced GC every 100', async () => {
    const be = await webgpu;
    const start = be.stats.submits;
    const x = Float32Array.from({ length: 64 }, (_, i) => i - 20);
    for (let round = 0; round < 3000; round++) {
      const got = await runKernel(be, [[x, 'float32']], ([s]) => be.ops.binary('add', s, [64], s, [64], [64], 'float32'));
      if (got[round % 64] !== 2 * x[round % 64]) throw new Error(`round ${round}: got ${got[round % 64]}, want ${2 * x[round % 64]}`);
      if (round % 100 === 0) gc();
    }
    expect(be.stats.submits - start).toBeGreaterThanOrEqual(3000);
  });

  it('MLP training in Node matches backend-cpu within 1e-4, with GCs between runs', async () => {
    setBackend(await webgpu);
    gc();
    const gpuLosses = await trainMlp();
    gc();
    setBackend(cpu);
    const cpuLosses = await trainMlp();
    expect(cpuLosses[7]).toBeLessThan(cpuLosses[0]);
    gpuLosses.forEach((l, i) => expect(Math.abs(l - cpuLosses[i]), `step ${i}: gpu ${l}, cpu ${cpuLosses[i]}`).toBeLessThanOrEqual(1e-4));
  });
});
