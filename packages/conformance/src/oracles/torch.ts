import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DType } from '@logit/core';

/** A tensor as tools/goldens/*.py encode it: nan and infinities as strings. */
export interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

export function decode(v: number | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

export const decodeAll = (e: Encoded): number[] => e.data.map(decode);

// dist/data/ in the published package (scripts/copy-goldens.mjs); core's test/goldens in the repo.
const CANDIDATES = ['./data/', '../../dist/data/', '../../../core/test/goldens/', '../../core/test/goldens/'];

/** The PyTorch golden file of that name (losses.json, nn.json), or null where it does not exist yet. */
export function loadGoldens<T>(name: string): T | null {
  for (const dir of CANDIDATES) {
    const file = fileURLToPath(new URL(dir + name, import.meta.url));
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  }
  return null;
}
