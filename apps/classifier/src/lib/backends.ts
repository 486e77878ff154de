import { setBackend, type Backend } from '@logit/core';

export type BackendName = 'cpu' | 'wasm' | 'webgpu';
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** A backend by name, or `auto`: the fastest that starts here (see AUTO_ORDER). */
export type BackendChoice = BackendName | 'auto';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKEND_NAMES];

/**
 * What `auto` tries, fastest first. wasm trains the default MLP about 6x faster than cpu (README).
 * webgpu is not tried: the trainer reads every batch's loss back, so each step waits for a GPU
 * round trip; without a GPU (SwiftShader) one epoch took 40 s in headless Chromium, where wasm
 * trains all 20 in about 6 s. Ask for it by name.
 */
export const AUTO_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

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

/** The backend a run uses and, when `auto` chose it, why. */
export interface ChosenBackend {
  backend: Backend;
  name: BackendName;
  /** e.g. "auto: the fastest that starts here"; null when the backend was asked for by name. */
  reason: string | null;
}

/**
 * `useBackend` for a choice that may be `auto`: tries AUTO_ORDER and takes the first backend that
 * starts, saying why. Throws BackendUnavailableError when none does. (`use` is for tests.)
 */
export async function chooseBackend(choice: BackendChoice, use: (name: BackendName) => Promise<Backend> = useBackend): Promise<ChosenBackend> {
  if (choice !== 'auto') return { backend: await use(choice), name: choice, reason: null };
  const failed: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      const backend = await use(name);
      const reason = failed.length === 0 ? 'auto: the fastest that starts here' : `auto: ${failed.join('; ')}`;
      return { backend, name, reason };
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      failed.push(`${name} could not start (${e.message})`);
    }
  }
  throw new BackendUnavailableError(`no backend could start here: ${failed.join('; ')}`);
}

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
