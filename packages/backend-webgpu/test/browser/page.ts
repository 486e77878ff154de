// Runs in headless Chromium: kernel checks of backend-webgpu (navigator.gpu) against backend-cpu,
// bundled by esbuild. Results are left on window.__results for the Node side to assert.
import { createCpuBackend } from '@logit/backend-cpu';
import { BINARY_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS, type Backend, type Storage, type TypedArray } from '@logit/core';
import { createBackend } from '../../src/index.js';

interface Result { name: string; ok: boolean; detail: string }
const results: Result[] = [];
(window as unknown as { __results?: Result[]; __done?: boolean; __error?: string }).__results = results;

const cpu = createCpuBackend();
const EDGES = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-6, 20, -20, 88, 100, 1e30, Infinity, -Infinity, NaN];

function close(g: number, w: number): boolean {
  if (Number.isNaN(w)) return Number.isNaN(g);
  if (!Number.isFinite(w)) return g === w;
  return Math.abs(g - w) <= 1e-5 + 2e-5 * Math.abs(w);
}

async function check(name: string, be: Backend, inputs: TypedArray[], call: (b: Backend, xs: Storage[]) => Storage): Promise<void> {
  const run = async (b: Backend): Promise<TypedArray> => {
    const xs = inputs.map((d) => {
      const s = b.alloc(d instanceof Float32Array ? 'float32' : d instanceof Int32Array ? 'int32' : 'bool', d.length);
      b.write(s, d);
      return s;
    });
    const out = call(b, xs);
    const data = await b.read(out);
    for (const s of [...xs, out]) b.free(s);
    return data;
  };
  const want = await run(cpu);
  const got = await run(be);
  const bad: string[] = [];
  if (got.length !== want.length || got.constructor !== want.constructor) bad.push(`got ${got.constructor.name}(${got.length}), want ${want.constructor.name}(${want.length})`);
  for (let i = 0; i < want.length && bad.length < 4; i++) if (!close(got[i], want[i])) bad.push(`[${i}] got ${got[i]}, want ${want[i]}`);
  results.push({ name, ok: bad.length === 0, detail: bad.join('; ') });
}

async function main(): Promise<void> {
  const be = await createBackend();
  const x = new Float32Array(EDGES);
  for (const op of UNARY_OPS) {
    const input = op === 'sin' || op === 'cos' ? x.filter((v) => !(Math.abs(v) >= 8192)) : x;
    await check(`unary ${op}`, be, [input], (b, [s]) => b.ops.unary(op, s, input.length, 'float32'));
  }
  for (const op of BINARY_OPS) await check(`binary ${op}`, be, [x, x], (b, [p, q]) => b.ops.binary(op, p, [x.length, 1], q, [x.length], [x.length, x.length], 'float32'));
  for (const op of COMPARE_OPS) await check(`compare ${op}`, be, [x, x], (b, [p, q]) => b.ops.compare(op, p, [x.length, 1], q, [x.length], [x.length, x.length], 'float32'));
  const m = Float32Array.from({ length: 5 * 7 * 3 }, (_, i) => Math.sin(i) + 1);
  for (const op of REDUCE_OPS) await check(`reduce ${op}`, be, [m], (b, [s]) => b.ops.reduce(op, s, [5, 7, 3], [0, 2], 'float32'));
  await check('argmax', be, [m], (b, [s]) => b.ops.argReduce('argmax', s, [5, 7, 3], 1, 'float32'));
  const a = Float32Array.from({ length: 2 * 67 * 33 }, (_, i) => Math.cos(i));
  const bm = Float32Array.from({ length: 33 * 70 }, (_, i) => Math.sin(i * 0.7));
  await check('matmul batch-broadcast tB', be, [a, bm], (b, [p, q]) => b.ops.matmul(p, q, { batch: 2, m: 67, n: 70, k: 33, transA: false, transB: true, aBatchStride: 67 * 33, bBatchStride: 0 }, 'float32'));
  await check('permute', be, [m], (b, [s]) => b.ops.permute(s, [5, 7, 3], [2, 0, 1], 'float32'));
  await check('softmax', be, [m], (b, [s]) => be === b ? b.fused!.softmax!(s, [5, 7, 3], 1, 'float32') : b.fused!.softmax!(s, [5, 7, 3], 1, 'float32'));
  await check('logSoftmax', be, [m], (b, [s]) => b.fused!.logSoftmax!(s, [5, 7, 3], 2, 'float32'));
  await check('random uniform', be, [], (b) => b.ops.random({ kind: 'uniform', key: [7, 9], offset: 3, params: [-0.37, 2.9] }, 1001, 'float32'));
  await check('random normal', be, [], (b) => b.ops.random({ kind: 'normal', key: [7, 9], offset: 3, params: [0, 1] }, 1001, 'float32'));
  be.destroy();
}

main().then(
  () => ((window as unknown as { __done: boolean }).__done = true),
  (e) => ((window as unknown as { __error: string }).__error = String(e?.stack ?? e)),
);
