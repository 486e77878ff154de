// Generates assembly/generated/ops.ts (scripts/generate-ops.mjs), then compiles assembly/ into dist/wasm/ with the AssemblyScript compiler from npm: a SIMD build and a
// relaxed-SIMD (FMA) build, each also with shared memory for worker threads (-mt); the loader
// picks one at run time with WebAssembly.validate.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import asc from 'assemblyscript/asc';
import { writeGeneratedOps } from './generate-ops.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await writeGeneratedOps(); // op codes and dispatch from @logit/core's op lists
const out = path.join(root, 'dist', 'wasm');
mkdirSync(out, { recursive: true });

const common = [
  'assembly/index.ts', '--optimizeLevel', '3', '--shrinkLevel', '0', '--runtime', 'stub', '--noAssert',
  '--importMemory', '--initialMemory', '1', '--enable', 'simd',
  // LOGIT_WASM_NAMES=1 keeps function names in the binaries, so CPU profiles name wasm functions
  ...(process.env.LOGIT_WASM_NAMES ? ['--debug'] : []),
];
// 32768 pages = 2 GiB: pointers stay below 2^31, so they pass through JS int32 parameter blocks
const threads = ['--enable', 'threads', '--sharedMemory', '--maximumMemory', '32768'];
const variants = {
  'logit-simd.wasm': [],
  'logit-relaxed.wasm': ['--enable', 'relaxed-simd'],
  'logit-simd-mt.wasm': threads,
  'logit-relaxed-mt.wasm': ['--enable', 'relaxed-simd', ...threads],
};

for (const [file, extra] of Object.entries(variants)) {
  const { error, stderr } = await asc.main([...common, ...extra, '-o', path.join(out, file)], {
    stdout: process.stdout,
    stderr: process.stderr,
  }, { baseDir: root });
  if (error) {
    console.error(stderr.toString());
    throw new Error(`asc failed for ${file}: ${error.message}`);
  }
}
