import { defineConfig } from 'tsup';

// The .wasm files are built into ../wasm by scripts/build-wasm.mjs (run before tsup) and found
// at run time through new URL('../wasm/…', import.meta.url), from src/ and dist/ alike.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
