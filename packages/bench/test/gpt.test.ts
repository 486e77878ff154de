import { readFileSync } from 'node:fs';
import { createBackend } from '@logit/backend-cpu';
import { io, memory, setBackend } from '@logit/core';
import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../src/benchmarks/index.js';
import { checkGptLosses, CHECK_STEPS, gptBenchmark, gptProblem } from '../src/benchmarks/gpt.js';
import { CONTENDERS, gptShapes, selectContenders, type Contender, type GptProblem } from '../src/contenders/index.js';

const quick = { warmup: 1, samples: 2, minSampleMs: 0 };
const context = (contenders: Contender[], shape: number[]): BenchContext => ({ contenders, timing: quick, options: { shape }, log: () => {} });

// examples/nanogpt's PyTorch fixture (tools/goldens/nanogpt.py): initial weights, batches, losses
const examples = new URL('../../../examples/test/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('goldens/nanogpt.json', examples), 'utf8'));

/** The bench problem on PyTorch's initial weights and first batch (the fixture's model: d 32, 4 x 16 tokens). */
async function torchProblem(): Promise<GptProblem> {
  const c = golden.config;
  setBackend(await createBackend()); // to read the fixtures; each contender then activates its own
  const state = io.load(readFileSync(new URL('fixtures/nanogpt-init.safetensors', examples)));
  const batches = io.load(readFileSync(new URL('fixtures/nanogpt-batches.safetensors', examples)));
  const shape = { vocabSize: c.vocab_size, seq: c.block_size, nLayer: c.n_layer, nEmbd: c.n_embd };
  const params: Record<string, Float32Array> = {};
  for (const name of Object.keys(gptShapes(shape))) params[name] = (await state[name].data()) as Float32Array;
  const [x, y] = [batches.x.select(0, 0), batches.y.select(0, 0)];
  const problem: GptProblem = {
    ...shape, nHead: c.n_head, batch: golden.batch, params,
    x: (await x.data()) as Int32Array, y: (await y.data()) as Int32Array, lr: 1e-3, weightDecay: 0.1, betas: [0.9, 0.95],
  };
  for (const t of [...Object.values(state), ...Object.values(batches), x, y]) t.dispose();
  return problem;
}

describe('bench gpt', { timeout: 120_000 }, () => {
  it.each(CONTENDERS.map((c) => [c.name, c] as const))('%s computes PyTorch\'s first loss from PyTorch\'s weights, then trains', async (_, contender) => {
    const problem = await torchProblem();
    await contender.activate();
    const training = contender.gpt(problem);
    const losses: number[] = [];
    for (let s = 0; s < 3; s++) losses.push(await training.step());
    training.dispose();
    expect(Math.abs(losses[0] - golden.losses[0]) / golden.losses[0]).toBeLessThan(1e-6);
    expect(losses[2]).toBeLessThan(losses[1]);
    expect(losses[1]).toBeLessThan(losses[0]);
  });

  it('logit and tfjs take the same AdamW steps, weight decay on the 2-D parameters only', async () => {
    // a large lr and decay, so that decay (4% a step; on LayerNorm weights it would show too) moves the loss
    const problem = { ...gptProblem({ batch: 4, seq: 8, nEmbd: 16, nHead: 2, nLayer: 2 }), lr: 0.02, weightDecay: 2 };
    const run = async (name: string, p: GptProblem): Promise<number[]> => {
      const [contender] = selectContenders([name]);
      await contender.activate();
      const training = contender.gpt(p);
      const losses: number[] = [];
      for (let s = 0; s < 6; s++) losses.push(await training.step());
      training.dispose();
      return losses;
    };
    const logit = await run('logit-cpu', problem);
    const tfjs = await run('tfjs-cpu', problem);
    const noDecay = await run('logit-cpu', { ...problem, weightDecay: 0 });
    expect(() => checkGptLosses('tfjs-cpu', tfjs, { name: 'logit-cpu', losses: logit })).not.toThrow();
    tfjs.forEach((l, s) => expect(Math.abs(l - logit[s]) / logit[s]).toBeLessThan(1e-5));
    expect(Math.max(...noDecay.map((l, s) => Math.abs(l - logit[s]) / logit[s]))).toBeGreaterThan(1e-3);
    expect(Math.abs(logit[0] - Math.log(28))).toBeLessThan(0.05); // small initial weights: near-uniform predictions
  });

  it.each(CONTENDERS.filter((c) => c.name.startsWith('logit')).map((c) => [c.name, c] as const))('%s frees everything it made', async (_, contender) => {
    await contender.activate();
    const before = memory();
    const training = contender.gpt(gptProblem({ batch: 2, seq: 4, nEmbd: 8, nHead: 2, nLayer: 1 }));
    for (let s = 0; s < 3; s++) await training.step();
    training.dispose();
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().storages).toBe(before.storages);
  });

  it('fills one steps/s column per default contender and the logit/tfjs ratios', async () => {
    const report = await gptBenchmark.run(context(selectContenders(undefined, 'gpt'), [2, 8, 16, 2, 1]));
    const names = ['logit-cpu', 'tfjs-cpu', 'logit-wasm', 'logit-wasm-2t', 'tfjs-wasm'];
    expect(report.table.columns).toEqual(['batch', 'seq', 'dim', ...names, 'logit-cpu/tfjs-cpu', 'logit-wasm/tfjs-wasm', 'logit-wasm-2t/tfjs-wasm']);
    const [row] = report.table.rows;
    for (const name of names) expect(row[name]).toBeGreaterThan(0);
    expect(row['logit-wasm/tfjs-wasm']).toBeCloseTo((row['logit-wasm'] as number) / (row['tfjs-wasm'] as number), 12);
  });

  it('refuses to time a contender that trains differently', async () => {
    const [logit] = CONTENDERS;
    const wrong: Contender = { ...logit, name: 'wrong', gpt: (p) => logit.gpt({ ...p, lr: 2 * p.lr }) };
    await expect(gptBenchmark.run(context([logit, wrong], [2, 8, 16, 2, 1]))).rejects.toThrow(/wrong disagrees with logit-cpu at step 1/);
    expect(CHECK_STEPS).toBeGreaterThanOrEqual(3);
  });
});
