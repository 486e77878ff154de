import type { Tensor } from '../tensor.js';
import { load, type LoadOptions } from './load.js';
import { save, type SaveOptions } from './save.js';

// Resolved at call time from a variable, so browser bundles never see (or try to bundle) a Node
// module: core stays browser-safe, and these two helpers simply fail outside Node.
const FS_MODULE = 'node:fs/promises';

async function fs(): Promise<typeof import('node:fs/promises')> {
  return import(/* @vite-ignore */ FS_MODULE);
}

/** Node only: io.save into a file. */
export async function saveFile(path: string, stateDict: Record<string, Tensor> | Map<string, Tensor>, opts: SaveOptions = {}): Promise<void> {
  const bytes = await save(stateDict, opts);
  await (await fs()).writeFile(path, bytes);
}

/** Node only: io.load from a file. */
export async function loadFile(path: string, opts: LoadOptions = {}): Promise<Record<string, Tensor>> {
  return load(await (await fs()).readFile(path), opts);
}
