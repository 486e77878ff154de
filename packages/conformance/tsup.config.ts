import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/vitest.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['vitest'],
  // tfjs-core's gradient registrations ship only as ESM files with extensionless imports, which
  // Node cannot load; bundling them registers into tfjs-core's global registry (tf.grad needs it)
  noExternal: [/register_all_gradients/],
});
