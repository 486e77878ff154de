import { defineConfig } from 'tsup';

// The .wasm files are built into dist/wasm by scripts/build-wasm.mjs (run before tsup, so the clean
// step keeps them) and found at run time through new URL('../dist/wasm/…', import.meta.url), which
// resolves to the same folder from src/ (tests) and from dist/ (the bundle).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: ['!wasm/**'],
  target: 'es2022',
});
