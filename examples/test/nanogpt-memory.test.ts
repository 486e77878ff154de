import { manualSeed, memory, randint, type MemoryReport } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { GPT } from '../nanogpt/model.js';
import { trainStep, warmupCosine } from '../nanogpt/training.js';
import { disposeModel } from './nanogpt-fixture.js';
import { BACKEND_NAMES, useBackend, type BackendName } from './backends.js';

// The model of `pnpm bench gpt` (2 layers, 4 heads, d 64, 16 tokens, 28 symbols) trained with
// AdamW over nanoGPT's groups, clipGradNorm_ and the warm-up + cosine schedule: every op of a
// training step runs each step. What leaks does not depend on the batch, only on the code path,
// so the batch is 1: a step then costs its ~350 kernel calls, not arithmetic (about 10 ms of CPU
// on wasm, 27 ms on cpu, 200 ms on SwiftShader's WebGPU).
//
// Every step is checked: memory() (tensors, storages, bytes) must equal its value after the
// warm-up exactly, so a leak of one storage per step fails at once. What only a long run shows
// (the wasm heap or the JS heap creeping up) is checked over 2,000 steps on wasm. cpu (its
// kernels are plain JS over the same core code) runs 100 steps and webgpu 40 in CI, where the
// whole run has a time budget (2,000 take ~7 min on cpu and ~10 min on SwiftShader here);
// LOGIT_MEMORY_STEPS=2000 runs 2,000 on every backend (done: flat on all three).
const override = Number(process.env.LOGIT_MEMORY_STEPS) || 0;
const STEPS: Record<BackendName, number> = override ? { cpu: override, wasm: override, webgpu: override } : { cpu: 100, wasm: 2000, webgpu: 40 };
// Steps before the baseline: the first creates AdamW's moments, the next grow the backends'
// buffer pools to their working size.
const WARMUP = 3;
// The wasm heap is compared from here on: it grows once, by 10 pages, around step 50 (the
// allocator's free lists settle into their working size), then stays.
const HEAP_BASELINE = 200;

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * The JS heap in use once garbage is really gone: a collection, a macrotask so that
 * FinalizationRegistry callbacks (which core uses to count tensors the collector freed) run and
 * drop what they hold, then a second collection. One bare gc() leaves that work pending, and how
 * much is pending depends on the machine's load (15 MB was seen on a loaded 2-core machine).
 */
async function settledHeap(): Promise<number> {
  gc!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc!();
  return process.memoryUsage().heapUsed;
}

describe.each(BACKEND_NAMES)('nanoGPT (the bench model) on %s', (name) => {
  it(`keeps memory() exactly flat after every one of ${STEPS[name]} training steps`, { timeout: override ? 3 * 3600_000 : undefined }, async () => {
    expect(gc, 'vitest.config.ts runs the tests with --expose-gc').toBeTypeOf('function');
    const backend = await useBackend(name);
    manualSeed(0);
    const model = new GPT({ blockSize: 16, vocabSize: 28, nLayer: 2, nHead: 4, nEmbd: 64, dropout: 0, bias: true });
    const opt = model.configureOptimizers(0.1, 1e-3, [0.9, 0.95]);
    const sched = warmupCosine(opt, { warmupIters: Math.min(100, STEPS[name] >> 2), lrDecayIters: STEPS[name], minLr: 1e-4 });
    const x = randint(0, 28, [1, 16], { dtype: 'int32' });
    const y = randint(0, 28, [1, 16], { dtype: 'int32' });
    const wasmHeap = (): number | undefined => (backend as { wasmMemory?: WebAssembly.Memory }).wasmMemory?.buffer.byteLength;

    let baseline: MemoryReport | null = null;
    let heap = 0;
    let heapBase = 0;
    let first = NaN;
    let last = NaN;
    try {
      for (let step = 0; step < STEPS[name]; step++) {
        const { loss, gradNorm } = trainStep(model, opt, x, y, 1);
        sched.step();
        // reading every step would make SwiftShader wait each time; the last read syncs the rest
        if (step === 0 || step === STEPS[name] - 1 || name !== 'webgpu') last = await loss.item();
        if (step === 0) first = last;
        loss.dispose();
        gradNorm?.dispose();
        if (step === Math.min(HEAP_BASELINE, STEPS[name] >> 1)) heap = wasmHeap() ?? 0;
        // the JS heap from half-way: what grows once (V8's code and feedback for a step's functions,
        // tables sized on first use) has grown by then; a leak grows with every step. Collecting
        // every 100 steps keeps the garbage between collections the same whatever the machine's
        // load: V8 sizes some tables for the most garbage it has seen at once (8 MB more of them
        // when it ran 1,000 steps uncollected on a loaded machine), which a leak check would
        // otherwise read as growth.
        if (step === STEPS[name] >> 1) heapBase = await settledHeap();
        else if (step % 100 === 99) await settledHeap();
        if (step === WARMUP - 1) baseline = memory();
        else if (baseline) {
          const now = memory();
          if (now.tensors !== baseline.tensors || now.storages !== baseline.storages || now.bytes !== baseline.bytes) {
            expect(now, `memory() after step ${step}`).toEqual(baseline);
          }
        }
      }
      expect(memory()).toEqual(baseline);
      expect(wasmHeap() ?? 0, `the wasm heap did not grow after step ${HEAP_BASELINE}`).toBe(heap);
      // a leaked tensor object per kernel call would be ~70 KB a step, 70 MB over wasm's second
      // 1,000 steps; what is left is a few hundred KB
      expect((await settledHeap()) - heapBase, 'JS heap growth over the second half (bytes)').toBeLessThan(8 * 2 ** 20);
      expect(last).toBeLessThan(first - 1); // it trained: one batch, memorised
    } finally {
      // freed even when an expectation fails, so that the next backend's count starts clean
      x.dispose();
      y.dispose();
      opt.dispose();
      disposeModel(model);
    }
  });
});
