import { BackendError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { load, type LoadOptions } from './load.js';
import { save, type SaveOptions } from './save.js';

// Resolved at call time from a variable, so browser bundles never see (or try to bundle) a Node
// module: core stays browser-safe, and these two helpers simply fail outside Node.
const FS_MODULE = 'node:fs/promises';

async function fs(op: string): Promise<typeof import('node:fs/promises')> {
  try {
    return await import(/* @vite-ignore */ FS_MODULE);
  } catch {
    throw new BackendError(`${op}: needs Node's file system; in a browser, fetch the bytes and use io.load / io.save`);
  }
}

/** Node only: io.save into a file. */
export async function saveFile(path: string, stateDict: Record<string, Tensor> | Map<string, Tensor>, opts: SaveOptions = {}): Promise<void> {
  const bytes = await save(stateDict, opts);
  await (await fs('io.saveFile')).writeFile(path, bytes);
}

/** Node only: io.load from a file. */
export async function loadFile(path: string, opts: LoadOptions = {}): Promise<Record<string, Tensor>> {
  return load(await (await fs('io.loadFile')).readFile(path), opts);
}
