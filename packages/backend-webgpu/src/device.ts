import { BackendError } from '@logit/core';

/** Options of `createBackend`. */
export interface WebGpuBackendOptions {
  /** An adapter to use; by default one is requested from `navigator.gpu` (or the `webgpu` package in Node). */
  adapter?: GPUAdapter;
  /** Passed to `requestAdapter` when no adapter is given. Default: 'high-performance'. */
  powerPreference?: GPUPowerPreference;
  /** A device to use as is (its limits are taken as they are); the backend then owns nothing. */
  device?: GPUDevice;
}

// Limits a compute backend wants as large as the adapter allows: the defaults (128 MiB bindings,
// 16 KiB workgroup storage) are far below what most adapters offer.
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupsPerDimension',
] as const;

/**
 * The Node `GPU` (one Dawn instance per process), held here for the life of the process. Dawn's
 * instance lives only as long as the JS object `create()` returned: once that object was
 * garbage collected, the next submits crashed inside Dawn's InstanceBase::ProcessEvents
 * (futex/mutex errors, segfaults or aborts after ~100-200 submits) while the device was still
 * in use. Holding it, thousands of submits run clean (see README, "Node on SwiftShader").
 */
let nodeGpu: GPU | null = null;

/**
 * The browser's `navigator.gpu`, or in Node the `webgpu` package (Dawn), imported only when
 * there is no navigator.gpu so a browser bundle never touches a Node module.
 */
async function findGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (nodeGpu) return nodeGpu;
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (!isNode) {
    throw new BackendError('webgpu: navigator.gpu is missing: this browser has no WebGPU (in Chromium, enable it or use a secure context)');
  }
  // A variable specifier keeps bundlers from pulling the Node-only package into browser builds.
  const spec = 'webgpu';
  let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  try {
    mod = await import(/* @vite-ignore */ spec);
  } catch (e) {
    throw new BackendError(`webgpu: in Node this backend needs the 'webgpu' package (npm i webgpu@0.6.2); importing it failed: ${(e as Error).message}`);
  }
  // Dawn's objects check `instanceof` against these classes, so they must be global.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  nodeGpu = mod.create([]);
  return nodeGpu;
}

/** The device to run on: the given one, or a new one from the given or a requested adapter. */
export async function acquireDevice(
  options: WebGpuBackendOptions,
): Promise<{ device: GPUDevice; owned: boolean; adapter: GPUAdapter | null }> {
  if (options.device) return { device: options.device, owned: false, adapter: null };
  let adapter = options.adapter ?? null;
  if (!adapter) {
    const gpu = await findGpu();
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
    if (!adapter) {
      throw new BackendError(
        'webgpu: requestAdapter() returned no adapter. In Node without a GPU install a Vulkan driver ' +
          '(Debian: apt-get install chromium-common libvulkan1, then VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json); ' +
          'in Chromium pass --enable-unsafe-webgpu where WebGPU is not on by default',
      );
    }
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) {
    const v = (adapter.limits as unknown as Record<string, number>)[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  try {
    return { device: await adapter.requestDevice({ requiredLimits }), owned: true, adapter };
  } catch (e) {
    throw new BackendError(`webgpu: requestDevice failed: ${(e as Error).message}`);
  }
}
