// Timing of the sampling ops on vocabulary-sized rows (logits [64, 50257], GPT-2's vocabulary):
// topk(50), a full sort, cumsum and multinomial, Logit against TensorFlow.js on cpu and wasm,
// each call read back. Median of 7 calls after one warm-up. Not a `bench` subcommand: a quick
// look, run from the repository root after `pnpm build`:
//   pnpm --filter @logit/bench exec tsx scripts/sampling-ops.mts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { manualSeed, setBackend, tensor, tidy, type Backend } from '@logit/core';
import { createBackend as cpu } from '@logit/backend-cpu';
import { createBackend as wasm } from '@logit/backend-wasm';

const [rows, vocab, k] = [64, 50257, 50];
const data = new Float32Array(rows * vocab).map((_, i) => Math.sin(i * 0.7311) * 4);

function median(f: () => void, n = 7): number {
  f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[n >> 1];
}
const ms = (v: number): string => `${v.toFixed(1)} ms`;

for (const [name, make] of [['cpu', cpu], ['wasm', wasm]] as const) {
  const be: Backend = await make();
  setBackend(be);
  const x = tensor(data, { shape: [rows, vocab] });
  const p = tidy(() => x.softmax(-1));
  manualSeed(0);
  const row = {
    topk: median(() => tidy(() => { const r = x.topk(k); r.values.dataSync(); r.indices.dataSync(); })),
    sort: median(() => tidy(() => { x.sort({ descending: true }).indices.dataSync(); })),
    cumsum: median(() => tidy(() => { x.cumsum(1).dataSync(); })),
    multinomial: median(() => tidy(() => { p.multinomial(1).dataSync(); })),
    replacement: median(() => tidy(() => { p.multinomial(1, { replacement: true }).dataSync(); })),
  };
  console.log(`logit-${name}: topk(${k}) ${ms(row.topk)}, sort ${ms(row.sort)}, cumsum ${ms(row.cumsum)}, multinomial(1) ${ms(row.multinomial)}, with replacement ${ms(row.replacement)}`);
}
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  await tf.ready();
  const x = tf.tensor2d(data, [rows, vocab]);
  const logp = tf.logSoftmax(x) as tf.Tensor2D;
  const row = {
    topk: median(() => tf.tidy(() => { const r = tf.topk(x, k); r.values.dataSync(); r.indices.dataSync(); })),
    sort: median(() => tf.tidy(() => { tf.topk(x, vocab).indices.dataSync(); }), 3),
    cumsum: median(() => tf.tidy(() => { tf.cumsum(x, 1).dataSync(); })),
    multinomial: median(() => tf.tidy(() => { tf.multinomial(logp, 1, 0, true).dataSync(); })),
  };
  console.log(`tfjs-${b}: topk(${k}) ${ms(row.topk)}, sort (topk of all) ${ms(row.sort)}, cumsum ${ms(row.cumsum)}, multinomial(1) ${ms(row.multinomial)}`);
}
