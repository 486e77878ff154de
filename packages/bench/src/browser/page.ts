// The bench page: runs in headless Chromium (bundled by esbuild, see run.ts). Runs one benchmark
// with the same code as the Node CLI, on logit-webgpu and tfjs-webgpu in this one page, so both
// use the browser's one WebGPU adapter. Results are left on window.__results for run.ts.
import '@tensorflow/tfjs-backend-webgpu';
import { createBackend, type WebGpuBackend } from '@logit/backend-webgpu';
import * as tf from '@tensorflow/tfjs';
import { BENCHMARKS } from '../benchmarks/index.js';
import { logitContender } from '../contenders/logit.js';
import { tfjsContender } from '../contenders/tfjs.js';
import { installGpuCounters, withGpuProfile, type GpuProfiles } from './gpu-counters.js';
import type { AdapterSummary, PageConfig, PageResults } from './protocol.js';

type PageWindow = { __config: PageConfig; __results?: PageResults; __done?: boolean; __error?: string };
const win = window as unknown as PageWindow;

function summarize(info: GPUAdapterInfo | undefined): AdapterSummary {
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', device: info?.device ?? '', description: info?.description ?? '' };
}

function adapterInfoOf(device: GPUDevice | undefined): GPUAdapterInfo | undefined {
  return (device as (GPUDevice & { adapterInfo?: GPUAdapterInfo }) | undefined)?.adapterInfo;
}

async function main(): Promise<void> {
  const config = win.__config;
  const bench = BENCHMARKS.find((b) => b.name === config.benchmark);
  if (!bench) throw new Error(`no benchmark '${config.benchmark}' (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  installGpuCounters();

  let logitBackend: WebGpuBackend | undefined;
  const contenders = [
    logitContender('logit-webgpu', async () => (logitBackend = await createBackend()), 'tfjs-webgpu'),
    // tfjs-webgpu's dataSync reads through a canvas and warns that it is slow: its users await data().
    tfjsContender('tfjs-webgpu', 'webgpu', 'async'),
  ];
  const profiles: GpuProfiles = {};
  // a benchmark may run only some columns (`layers` runs Logit alone): only those report an adapter
  const activated = new Set<string>();
  const report = await bench.run({
    contenders: contenders.map((c) => withGpuProfile({ ...c, activate: () => (activated.add(c.name), c.activate()) }, profiles)),
    timing: config.timing,
    options: config.options,
    log: (line) => console.log(line),
  });

  // Both requested 'high-performance' from navigator.gpu; the adapters must be the same one.
  // GPUDevice.adapterInfo (Chromium 132+) names the adapter a device was made from.
  const tfBackend = tf.findBackend('webgpu') as unknown as { device?: GPUDevice } | null;
  win.__results = {
    report,
    profiles,
    adapters: {
      ...(activated.has('logit-webgpu') ? { 'logit-webgpu': summarize(adapterInfoOf(logitBackend?.device)) } : {}),
      ...(activated.has('tfjs-webgpu') ? { 'tfjs-webgpu': summarize(adapterInfoOf(tfBackend?.device)) } : {}),
    },
    userAgent: navigator.userAgent,
  };
  win.__done = true;
}

main().catch((e: unknown) => {
  win.__error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
});
