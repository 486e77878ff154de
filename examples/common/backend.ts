import { setBackend, type Backend } from '@logit/core';

/** The backends an example can run on (`--backend`). */
export const BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Creates the named backend and makes it current. Each package is imported only when chosen;
 * webgpu in Node also needs the `webgpu` package (and a GPU, or SwiftShader's Vulkan driver).
 */
export async function useBackend(name: BackendName): Promise<Backend> {
  const backend = await {
    cpu: async () => (await import('@logit/backend-cpu')).createBackend(),
    wasm: async () => (await import('@logit/backend-wasm')).createBackend(),
    webgpu: async () => (await import('@logit/backend-webgpu')).createBackend(),
  }[name]();
  setBackend(backend);
  return backend;
}

/** Frees what the backend holds outside the JS heap (webgpu's device), where it has a way to. */
export function releaseBackend(backend: Backend): void {
  (backend as Backend & { destroy?: () => void }).destroy?.();
}
