import '@tensorflow/tfjs-backend-cpu';
import { createBackend as createCpuBackend } from '@logit/backend-cpu';
import { logitContender } from './logit.js';
import { tfjsContender } from './tfjs.js';
import type { Contender } from './types.js';

export type { Contender, PreparedCase } from './types.js';

/**
 * Every column the benchmarks can fill, in print order. A new backend adds one line here (and
 * its tfjs counterpart, e.g. logit-wasm compared with tfjs-wasm).
 */
export const CONTENDERS: readonly Contender[] = [
  logitContender('logit-cpu', () => createCpuBackend(), 'tfjs-cpu'),
  tfjsContender('tfjs-cpu', 'cpu'),
];

export function selectContenders(names: readonly string[] | undefined): Contender[] {
  if (!names || names.length === 0) return [...CONTENDERS];
  return names.map((name) => {
    const found = CONTENDERS.find((c) => c.name === name);
    if (!found) throw new Error(`unknown contender '${name}' (known: ${CONTENDERS.map((c) => c.name).join(', ')})`);
    return found;
  });
}
