import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from '@logit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'classifier-names-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A tiny model for one or two epochs over the whole name list: seconds, not the default's minute.
const TINY = ['--width', '16', '--heads', '2', '--layers', '1', '--no-progress'];

describe('pnpm train --task names', () => {
  const out = join(work, 'run');
  let first: { code: number; out: string; err: string };
  beforeAll(async () => {
    first = await runCli(['--task', 'names', ...TINY, '--epochs', '2', '--out', out, '--samples', '10', '--temperature', '0.8', '--top-k', '5']);
  });

  it('prints the setup with the bigram baseline, the epoch table in nats/char and perplexity, samples and the loss taken apart', () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const o = first.out;
    expect(o).toMatch(/8,422 names -> 6,738 train \/ 842 validation \/ 842 test/);
    expect(o).toMatch(/28 symbols \('\.-abcdefghijklmnopqrstuvwxyz'/);
    expect(o).toMatch(/backend {3}wasm \(auto: the fastest that starts here\)/);
    expect(o).toMatch(/baseline {2}bigram \(character counts \+ 1\): validation 2\.43\d\d nats\/char \(perplexity 11\.\d\d\)/);
    expect(o).toMatch(/│ epoch │ train nats\/ch \(ppl\) │ {3}val nats\/ch \(ppl\) │/);
    // each row: loss and exp(loss) side by side
    const rows = [...o.matchAll(/│ +\d │ +(\d\.\d{4}) \((\d+\.\d\d)\) │ +(\d\.\d{4}) \((\d+\.\d\d)\) │/g)];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      // the table prints the loss to 4 decimals and the perplexity to 2: they agree within those roundings
      const within = (ppl: string, loss: string) => Math.abs(Number(ppl) - Math.exp(Number(loss))) <= 0.005 + Math.exp(Number(loss)) * 5e-5 + 1e-9;
      expect(within(r[2], r[1]), `${r[2]} vs exp(${r[1]})`).toBe(true);
      expect(within(r[4], r[3]), `${r[4]} vs exp(${r[3]})`).toBe(true);
    }
    expect(o).toMatch(/10 names sampled \(temperature 0\.8, top-k 5, seed 0; \* = a name of the training set, \d+ of 10\)/);
    expect(o).toMatch(/What the loss is made of \(validation name "[a-z-]+", padded to 16 positions\)/);
    expect(o).toMatch(/padding: target -100 = ignoreIndex, not counted/);
    const mean = /mean of the \d+ NLL terms .* = (\d+\.\d{6})/.exec(o)![1];
    const nct = /CrossEntropyLoss\(logits \(1, 28, 16\), targets \(1, 16\), ignoreIndex -100\) += (\d+\.\d{6})/.exec(o)![1];
    const flat = /CrossEntropyLoss\(logits \(16, 28\), targets \(16\), ignoreIndex -100\), flattened += (\d+\.\d{6})/.exec(o)![1];
    expect(nct).toBe(mean);
    expect(flat).toBe(mean);
  });

  it('writes metrics.json (history, baseline, samples marked, anatomy), chart.svg and a names checkpoint', () => {
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.task).toBe('names');
    expect(m.sizes).toEqual({ names: 8422, train: 6738, validation: 842, test: 842 });
    expect(m.history).toHaveLength(2);
    expect(m.history[1].valPerplexity).toBeCloseTo(Math.exp(m.history[1].valLoss), 10);
    expect(m.history[1].valLoss).toBeLessThan(m.baseline.val.loss + 0.3);
    expect(m.config).toMatchObject({ width: 16, heads: 2, layers: 1, temperature: 0.8, topK: 5, samples: 10, epochs: 2 });
    expect(m.samples).toHaveLength(10);
    const training = new Set<string>();
    for (const s of m.samples) if (s.inTraining) training.add(s.name);
    expect(first.out.match(/\*/g)!.length).toBeGreaterThanOrEqual(training.size);
    expect(m.lossAnatomy.crossEntropyNCT).toBeCloseTo(m.lossAnatomy.meanNll, 5);
    const svg = readFileSync(join(out, 'chart.svg'), 'utf8');
    for (const text of ['nats/char', 'next-character accuracy', 'bigram baseline']) expect(svg).toContain(text);
    const bytes = readFileSync(join(out, 'best.safetensors'));
    expect(io.loadMetadata(bytes).format).toBe('logit-names/1');
    expect(io.load(bytes)['token_embedding.weight'].shape).toEqual([28, 16]);
  });

  it('--resume continues from the names checkpoint', async () => {
    const r = await runCli(['--task', 'names', ...TINY, '--epochs', '1', '--out', join(work, 'resumed'), '--resume', join(out, 'best.safetensors'), '--samples', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/resumed from .*best\.safetensors/);
    const m0 = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const m1 = JSON.parse(readFileSync(join(work, 'resumed', 'metrics.json'), 'utf8'));
    // starting from trained weights, the first epoch ends below where a fresh first epoch did
    expect(m1.history[0].valLoss).toBeLessThan(m0.history[0].valLoss);
  });
});

/** One line on stderr (commander adds its --help hint), exit code 2, nothing on stdout. */
function expectUserError(r: { code: number; out: string; err: string }, message: RegExp): void {
  expect(r.err.trimEnd()).toMatch(message);
  expect(r.err.trimEnd().split('\n').filter((l) => !l.startsWith('(run with --help')).length).toBe(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
}

describe('bad names flags: one line and exit code 2, before training starts', () => {
  it.each([
    [['--task', 'words'], /argument 'words' is invalid\. Allowed choices are digits, names/],
    [['--task', 'names', '--temperature', '0'], /option '--temperature <t>' argument '0' is invalid\. expected a positive number, got '0'/],
    [['--task', 'names', '--top-k', '-1'], /option '--top-k <k>' argument '-1' is invalid\. expected an integer >= 0, got '-1'/],
    [['--task', 'names', '--samples', 'x'], /argument 'x' is invalid\. expected an integer >= 0/],
    [['--task', 'names', '--heads', '3'], /^error: heads \(3\) must divide the width \(64\)$/],
    [['--task', 'names', '--hidden', '64'], /^error: --hidden is a flag of the digits task; it does nothing with --task names/],
    [['--task', 'names', '--data', '.'], /^error: --data is a flag of the digits task; it does nothing with --task names/],
    [['--temperature', '0.5'], /^error: --temperature is a flag of the names task; it does nothing with --task digits/],
    [['--top-k', '3'], /^error: --top-k is a flag of the names task/],
  ])('%j', async (args, message) => {
    expectUserError(await runCli([...args, '--out', join(work, 'unused'), '--no-progress']), message);
  });

  it('--resume of a digits checkpoint or of a names model of another width', async () => {
    const digits = join(work, 'digits');
    expect((await runCli(['--epochs', '1', '--hidden', '8', '--no-augment', '--out', digits, '--no-progress'])).code).toBe(0);
    expectUserError(await runCli(['--task', 'names', ...TINY, '--resume', join(digits, 'best.safetensors'), '--out', join(work, 'x')]),
      /^error: --resume .*best\.safetensors: not a checkpoint of the names task \(its format is 'logit-classifier\/1', a names run writes 'logit-names\/1'\)$/);
    expectUserError(await runCli(['--task', 'names', '--width', '32', '--heads', '2', '--layers', '1', '--resume', join(work, 'run', 'best.safetensors'), '--out', join(work, 'y')]),
      /^error: --resume .*best\.safetensors: the checkpoint was saved from a model with width = 16, this model has width = 32; use the same --width\/--heads\/--layers as the saved run$/);
  });
});
