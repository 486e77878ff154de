import { setBackend, type Backend } from '@logit/core';

export type BackendName = 'cpu' | 'wasm' | 'webgpu';
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** A backend that cannot run here; the message says why and what to do. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

interface BackendModule {
  createBackend(): Promise<Backend>;
}

// Literal specifiers, so bundlers include every backend (each is loaded only when chosen).
// webgpu in Node also needs the optional `webgpu` package; without it createBackend says so.
const importers: Record<BackendName, () => Promise<BackendModule>> = {
  cpu: () => import('@logit/backend-cpu'),
  wasm: () => import('@logit/backend-wasm'),
  webgpu: () => import('@logit/backend-webgpu'),
};

/**
 * Loads a backend package on demand, creates the backend and makes it current. Throws
 * BackendUnavailableError with a readable reason when the package is missing or the runtime
 * lacks what the backend needs (e.g. WebGPU without navigator.gpu).
 */
export async function useBackend(name: BackendName): Promise<Backend> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new BackendUnavailableError(`unknown backend '${name}'; choose one of ${BACKEND_NAMES.join(', ')}`);
  }
  let mod: BackendModule;
  try {
    mod = await importers[name]();
  } catch (e) {
    throw new BackendUnavailableError(
      `the ${name} backend is not available: the package @logit/backend-${name} could not be loaded ` +
        `(${(e as Error).message.split('\n')[0]}). Train on cpu or wasm instead, or install @logit/backend-${name}.`,
    );
  }
  let backend: Backend;
  try {
    backend = await mod.createBackend();
  } catch (e) {
    throw new BackendUnavailableError(`the ${name} backend could not start here: ${(e as Error).message}`);
  }
  setBackend(backend);
  return backend;
}
