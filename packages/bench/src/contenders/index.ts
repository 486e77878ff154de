import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createBackend as createCpuBackend } from '@logit/backend-cpu';
import { createBackend as createWasmBackend } from '@logit/backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { logitContender } from './logit.js';
import { tfjsContender } from './tfjs.js';
import type { Contender } from './types.js';

export type {
  CnnProblem, Contender, GptProblem, LayerProblem, LstmLayerWeights, LstmLmProblem, MlpProblem, PreparedCase, PreparedTraining,
} from './types.js';
export { CNN_SHAPES, gptShapes } from './types.js';

// tfjs-wasm loads its .wasm files from a folder it is told; in Node, its own dist folder.
// (It runs single-threaded in Node: tfjs turns its threads off there.)
setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);

/**
 * Every column the benchmarks can fill, in print order. A new backend adds one line here and
 * its tfjs counterpart (e.g. logit-webgpu compared with tfjs-webgpu).
 */
export const CONTENDERS: readonly Contender[] = [
  logitContender('logit-cpu', () => createCpuBackend(), 'tfjs-cpu'),
  tfjsContender('tfjs-cpu', 'cpu'),
  logitContender('logit-wasm', () => createWasmBackend(), 'tfjs-wasm'),
  // Threads split matmuls of at least 80^3 multiply-adds: in mlp, the first layer's products.
  logitContender('logit-wasm-2t', () => createWasmBackend({ threads: 2 }), 'tfjs-wasm'),
  tfjsContender('tfjs-wasm', 'wasm'),
];

/**
 * The contenders `names` asks for, in that order; without names, every contender whose
 * `benchmarks` includes `benchmark` (or that has no such list).
 */
export function selectContenders(names: readonly string[] | undefined, benchmark?: string): Contender[] {
  if (!names || names.length === 0) {
    return CONTENDERS.filter((c) => benchmark === undefined || !c.benchmarks || c.benchmarks.includes(benchmark));
  }
  return names.map((name) => {
    const found = CONTENDERS.find((c) => c.name === name);
    if (!found) throw new Error(`unknown contender '${name}' (known: ${CONTENDERS.map((c) => c.name).join(', ')})`);
    return found;
  });
}
