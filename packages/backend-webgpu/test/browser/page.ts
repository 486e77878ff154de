// Runs in headless Chromium: kernel checks of backend-webgpu (navigator.gpu) against backend-cpu,
// bundled by esbuild. Results are left on window.__results for the Node side to assert.
import { createCpuBackend } from '@logit/backend-cpu';
import { BINARY_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS, type Backend, type Storage, type TypedArray } from '@logit/core';
import { setBackend } from '@logit/core';
import { createBackend } from '../../src/index.js';
import { dataSyncMessage, memoryRoundTrip, trainMlp } from './training.js';

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
  for (const op of UNARY_OPS) await check(`unary ${op}`, be, [x], (b, [s]) => b.ops.unary(op, s, x.length, 'float32'));
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
  const i32 = new Int32Array([0, 1, -1, 7, -7, 2147483647, -2147483648, 46341]);
  for (const op of BINARY_OPS) await check(`binary ${op} int32`, be, [i32, i32.slice().reverse()], (b, [p, q]) => b.ops.binary(op, p, [8], q, [8], [8], 'int32'));
  const bools = new Uint8Array([0, 1, 1, 0]);
  await check('where bool cond', be, [bools, x.slice(0, 4), x.slice(4, 8)], (b, [c, p, q]) => b.ops.where(c, [4], p, [4], q, [4], [4], 'float32'));
  for (const [from, to] of [['float32', 'int32'], ['float32', 'bool'], ['int32', 'float32'], ['bool', 'int32']] as const) {
    const src = from === 'float32' ? new Float32Array([...EDGES, 3e9, -1.9]) : from === 'int32' ? i32 : bools;
    await check(`cast ${from}>${to}`, be, [src], (b, [s]) => b.ops.cast(s, src.length, from, to));
  }
  await check('slice+step', be, [m], (b, [s]) => b.ops.slice(s, [5, 7, 3], [1, 0, 2], [2, 3, 1], [2, 3, 1], 'float32'));
  await check('setSlice', be, [m, new Float32Array(6).fill(9)], (b, [s, v]) => b.ops.setSlice(s, [5, 7, 3], v, [2, 3, 1], [1, 0, 2], [2, 3, 1], 'float32'));
  await check('concat', be, [m, m], (b, xs) => b.ops.concat(xs, [[5, 7, 3], [5, 7, 3]], 1, 'float32'));
  await check('expand', be, [m.slice(0, 3)], (b, [s]) => b.ops.expand(s, [3, 1], [2, 3, 4], 'float32'));
  await check('fill int32', be, [], (b) => b.ops.fill(-2.7, 9, 'int32'));
  const idx = new Int32Array([2, 0, 1, 1, 0, 2]);
  await check('gather', be, [m.slice(0, 12), idx], (b, [s, i]) => b.ops.gather(s, [3, 4], 0, i, [2, 3], 'float32'));
  await check('scatterAdd', be, [idx, m.slice(0, 6)], (b, [i, s]) => b.ops.scatterAdd(i, [2, 3], s, [3, 3], 0, 'float32'));
  const target = new Int32Array([0, 2, 1, -100, 1]);
  const logits = Float32Array.from({ length: 5 * 4 }, (_, i) => Math.cos(i * 1.7) * 3);
  for (const reduction of ['none', 'mean', 'sum'] as const) {
    for (const labelSmoothing of [0, 0.1]) {
      const spec = { batch: 5, classes: 4, inner: 1, ignoreIndex: -100, labelSmoothing, reduction };
      await check(`crossEntropy ${reduction} e=${labelSmoothing} loss`, be, [logits, target], (b, [l, t]) => b.fused!.crossEntropy!(l, t, null, spec, 'float32').loss);
    }
  }
  await check('crossEntropy weighted logProbs', be, [logits, target, new Float32Array([1, 2, 0.5, 1])], (b, [l, t, w]) =>
    b.fused!.crossEntropy!(l, t, w, { batch: 5, classes: 4, inner: 1, ignoreIndex: -100, labelSmoothing: 0, reduction: 'mean' }, 'float32').logProbs);

  // The core API on webgpu: dataSync's error, memory back to baseline, and MLP training vs cpu.
  setBackend(be);
  const message = dataSyncMessage();
  results.push({ name: 'dataSync throws naming await t.data()', ok: !!message && message.includes('await t.data()'), detail: String(message) });
  const [before, after] = await memoryRoundTrip();
  results.push({ name: 'memory back to baseline', ok: before === after, detail: `${before} -> ${after}` });
  const gpuLosses = await trainMlp();
  const submits = be.stats.submits;
  setBackend(cpu);
  const cpuLosses = await trainMlp();
  const far = gpuLosses.filter((l, i) => !(Math.abs(l - cpuLosses[i]) <= 1e-4));
  results.push({ name: 'MLP training losses match cpu within 1e-4', ok: far.length === 0 && cpuLosses[7] < cpuLosses[0], detail: `gpu ${gpuLosses.join(', ')} cpu ${cpuLosses.join(', ')}` });
  results.push({ name: 'submits stay few', ok: true, detail: `${submits} submits, ${be.stats.dispatches} dispatches, ${be.stats.pipelines} pipelines` });
  be.destroy();
}

main().then(
  () => ((window as unknown as { __done: boolean }).__done = true),
  (e) => ((window as unknown as { __error: string }).__error = String(e?.stack ?? e)),
);
