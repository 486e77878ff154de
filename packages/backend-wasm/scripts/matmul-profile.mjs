// Where an N x N float32 matmul's time goes on the built backend (dist/): the whole public-API
// call (matmul + dataSync + dispose) against its parts, for 1 and 2 threads. Needs `pnpm build`.
// Usage: node scripts/matmul-profile.mjs [N=256] [ms per case=1500]
import { setBackend, tensor } from '@logit/core';
import { createBackend } from '../dist/index.js';

const n = Number(process.argv[2] ?? 256);
const budget = Number(process.argv[3] ?? 1500);
const spec = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
const data = (seed) => Float32Array.from({ length: n * n }, (_, i) => (((i * 2654435761 + seed) >>> 0) % 2000) / 1000 - 1);

/** Median of 7 samples of microseconds per call, each sample ~budget/7 ms. */
function time(fn) {
  for (let i = 0; i < 20; i++) fn();
  const t0 = performance.now();
  fn();
  const calls = Math.max(1, Math.ceil(budget / 7 / Math.max(performance.now() - t0, 1e-3)));
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    samples.push(((performance.now() - start) / calls) * 1000);
  }
  return samples.sort((x, y) => x - y)[3];
}

for (const threads of [1, 2]) {
  const be = await createBackend({ threads });
  setBackend(be);
  const a = tensor(data(1), { shape: [n, n] });
  const b = tensor(data(2), { shape: [n, n] });
  const sa = be.alloc('float32', n * n), sb = be.alloc('float32', n * n);
  be.write(sa, data(1)); be.write(sb, data(2));
  const rows = {
    'api: matmul + dataSync + dispose': () => { const c = a.matmul(b); c.dataSync(); c.dispose(); },
    'api: matmul + dispose': () => { const c = a.matmul(b); c.dispose(); },
    'backend: ops.matmul + readSync + free': () => { const c = be.ops.matmul(sa, sb, spec, 'float32'); be.readSync(c); be.free(c); },
    'backend: ops.matmul + free': () => { const c = be.ops.matmul(sa, sb, spec, 'float32'); be.free(c); },
  };
  const keep = be.ops.matmul(sa, sb, spec, 'float32');
  rows['readSync alone'] = () => be.readSync(keep);
  rows['Float32Array(n*n) alloc alone'] = () => new Float32Array(n * n);
  for (const [name, fn] of Object.entries(rows)) console.log(`threads=${threads} N=${n} ${name.padEnd(40)} ${time(fn).toFixed(1)} us`);
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < 500; i++) { const c = a.matmul(b); c.dataSync(); c.dispose(); }
  const cpu = process.cpuUsage(cpu0);
  console.log(`threads=${threads} process CPU per api call ${((cpu.user + cpu.system) / 500).toFixed(1)} us, wall ${((performance.now() - w0) * 2).toFixed(1)} us`);
  be.pool?.terminate?.();
}
process.exit(0);
