import { setBackend, type Backend } from '@logit/core';

/** The backends every example test runs on. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

const created = new Map<BackendName, Promise<Backend>>();

/**
 * Creates a backend once per test file and makes it current. webgpu runs in Node on the `webgpu`
 * package (Dawn); without a GPU on SwiftShader, which vitest.config.ts points Vulkan at. When no
 * adapter can be found createBackend throws: the test fails, it is never skipped.
 */
export async function useBackend(name: BackendName): Promise<Backend> {
  if (!created.has(name)) {
    const make = {
      cpu: async () => (await import('@logit/backend-cpu')).createBackend(),
      wasm: async () => (await import('@logit/backend-wasm')).createBackend(),
      webgpu: async () => (await import('@logit/backend-webgpu')).createBackend(),
    }[name];
    created.set(name, make());
  }
  const backend = await created.get(name)!;
  setBackend(backend);
  return backend;
}
