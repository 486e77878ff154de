// Runs in headless Chromium: the kernel-level kit of @logit/conformance on backend-webgpu
// (navigator.gpu) and the core API on it, bundled by esbuild. Results are left on
// window.__results for the Node side to assert.
import { createCpuBackend } from '@logit/backend-cpu';
import { createKernelEnvironment, runKernelCase, selectKernelCases, STORAGE_CHECKS } from '@logit/conformance';
import { setBackend } from '@logit/core';
import { createBackend } from '../../src/index.js';
import { dataSyncMessage, memoryRoundTrip, trainMlp } from './training.js';

interface Result { name: string; ok: boolean; detail: string }
const results: Result[] = [];
(window as unknown as { __results?: Result[]; __done?: boolean; __error?: string }).__results = results;

const cpu = createCpuBackend();

async function main(): Promise<void> {
  const be = await createBackend();
  // the kernel-level kit of @logit/conformance, as test/node/kernels.test.ts runs it in Node
  for (const check of STORAGE_CHECKS) {
    const detail = await check.run(be, () => createBackend()).then(() => '', (e: Error) => e.message || String(e));
    results.push({ name: `storage: ${check.name}`, ok: detail === '', detail });
  }
  const env = await createKernelEnvironment(() => be);
  for (const { kc, dtype, name } of selectKernelCases()) {
    const r = await runKernelCase(env, kc, dtype);
    if (r.status !== 'unsupported') results.push({ name, ok: r.status === 'pass', detail: r.message ?? `${r.calls} calls` });
  }

  // The core API on webgpu: dataSync's error, memory back to baseline, and MLP training vs cpu.
  setBackend(be);
  const message = dataSyncMessage();
  results.push({ name: 'dataSync throws naming await t.data()', ok: !!message && message.includes('await t.data()'), detail: String(message) });
  const [before, after] = await memoryRoundTrip();
  results.push({ name: 'memory back to baseline', ok: before === after, detail: `${before} -> ${after}` });
  const gpuLosses = await trainMlp();
  const submits = be.stats.submits;
  setBackend(cpu);
  const cpuLosses = await trainMlp();
  const far = gpuLosses.filter((l, i) => !(Math.abs(l - cpuLosses[i]) <= 1e-4));
  results.push({ name: 'MLP training losses match cpu within 1e-4', ok: far.length === 0 && cpuLosses[7] < cpuLosses[0], detail: `gpu ${gpuLosses.join(', ')} cpu ${cpuLosses.join(', ')}` });
  results.push({ name: 'submits stay few', ok: true, detail: `${submits} submits, ${be.stats.dispatches} dispatches, ${be.stats.pipelines} pipelines` });
  be.destroy();
}

main().then(
  () => ((window as unknown as { __done: boolean }).__done = true),
  (e) => ((window as unknown as { __error: string }).__error = String(e?.stack ?? e)),
);
