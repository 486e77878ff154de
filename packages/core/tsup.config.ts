import { defineConfig } from 'tsup';

// The JavaScript is one bundle; the types are not (tsconfig.build.json emits one .d.ts per source
// file after tsup). A bundled .d.ts reaches the classes of `nn` and `optim` only through aliases,
// and TypeScript cannot name those: a user's exported class with an `nn.Linear` field failed
// declaration emit (TS4029) in their library or composite project.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
