import { memory } from '@logit/core';
import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../src/benchmarks/index.js';
import { checkRnnLosses, lstmLmProblem, RNN_CHECK_STEPS, rnnBenchmark } from '../src/benchmarks/rnn.js';
import { CONTENDERS, selectContenders, type Contender } from '../src/contenders/index.js';

// `bench rnn` on a tiny language model: every contender (Logit's nn.Embedding + nn.LSTM +
// nn.Linear, tfjs's tf.layers model; tfjs-wasm with its custom-gradient embedding) trains the
// same function, and the benchmark refuses one that does not.

const quick = { warmup: 1, samples: 1, minSampleMs: 0 };
const SIZES = { vocab: 30, embed: 6, hidden: 8, layers: 2, seq: 5, batch: 3 };
const context = (contenders: Contender[]): BenchContext => ({ contenders, timing: quick, options: { ...SIZES }, log: () => {} });

describe('bench rnn', () => {
  const problem = lstmLmProblem(SIZES);

  it('builds word_language_model-style data: targets are the next tokens, all in the vocabulary', () => {
    expect(problem.tokens.length).toBe(SIZES.batch * SIZES.seq);
    for (let b = 0; b < SIZES.batch; b++) {
      for (let t = 0; t + 1 < SIZES.seq; t++) expect(problem.targets[b * SIZES.seq + t]).toBe(problem.tokens[b * SIZES.seq + t + 1]);
    }
    expect([...problem.tokens, ...problem.targets].every((v) => v >= 0 && v < SIZES.vocab)).toBe(true);
    expect(problem.lstm[1].wih.length).toBe(4 * SIZES.hidden * SIZES.hidden);
  });

  it.each(CONTENDERS.map((c) => [c.name, c] as const))('%s: the first loss is ln(vocab)-sized and losses fall', async (_, contender) => {
    await contender.activate();
    const training = contender.lstmLm(problem);
    const losses: number[] = [];
    for (let s = 0; s < 4; s++) losses.push(await training.step());
    training.dispose();
    expect(Math.abs(losses[0] - Math.log(SIZES.vocab))).toBeLessThan(0.3);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1]);
  }, 60_000);

  it.each(CONTENDERS.filter((c) => c.name.startsWith('logit')).map((c) => [c.name, c] as const))('%s frees everything it made', async (_, contender) => {
    await contender.activate();
    const before = memory();
    const training = contender.lstmLm(problem);
    for (let s = 0; s < 3; s++) await training.step();
    training.dispose();
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().storages).toBe(before.storages);
  });

  it('every default contender trains the same losses as logit-cpu (checked inside run), and the ratios fill in', async () => {
    const report = await rnnBenchmark.run(context(selectContenders(undefined, 'rnn')));
    const names = ['logit-cpu', 'tfjs-cpu', 'logit-wasm', 'logit-wasm-2t', 'tfjs-wasm'];
    expect(report.table.columns).toEqual(['seq', 'batch', ...names, 'logit-cpu/tfjs-cpu', 'logit-wasm/tfjs-wasm', 'logit-wasm-2t/tfjs-wasm']);
    const [row] = report.table.rows;
    for (const name of names) expect(row[name]).toBeGreaterThan(0);
    expect(row['logit-wasm/tfjs-wasm']).toBeCloseTo((row['logit-wasm'] as number) / (row['tfjs-wasm'] as number), 12);
  }, 120_000);

  it('refuses to time a contender that trains differently', async () => {
    const [logit] = CONTENDERS;
    // Twice the learning rate: the same first loss, then a different trajectory.
    const wrong: Contender = { ...logit, name: 'wrong', lstmLm: (p) => logit.lstmLm({ ...p, lr: 2 * p.lr }) };
    await expect(rnnBenchmark.run(context([logit, wrong]))).rejects.toThrow(/wrong disagrees with logit-cpu at step 1/);
  }, 60_000);

  it('checks that losses fall at every step and match the reference', () => {
    const reference = { name: 'ref', losses: [6.9, 6.8, 6.7] };
    expect(() => checkRnnLosses('ok', [6.9, 6.8, 6.7], reference)).not.toThrow();
    expect(() => checkRnnLosses('off', [6.9, 6.8, 6.71], reference)).toThrow(/off disagrees with ref at step 2/);
    expect(() => checkRnnLosses('flat', [6.9, 6.9], { name: 'ref', losses: [6.9, 6.9] })).toThrow(/flat's loss did not fall at step 1/);
    expect(RNN_CHECK_STEPS).toBeGreaterThanOrEqual(3);
  });
});
