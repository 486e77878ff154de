import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io } from '@logit/core';
import { main } from '../word-language-model/main.js';

// The word_language_model port, run for a few dozen BPTT windows on the shipped corpus with a
// small tied LSTM: it learns (the training loss falls from ln(vocabulary)), memory stays flat
// across windows (the state is detached between them), and the best model is saved and reloaded.

const dir = mkdtempSync(join(tmpdir(), 'word-lm-'));
const small = ['--emsize', '16', '--nhid', '16', '--bptt', '20', '--batch_size', '16', '--log-interval', '1000'];

describe('examples/word-language-model', () => {
  it('trains a tied 2-layer LSTM for two epochs: the loss falls, memory stays flat, the best model is saved', async () => {
    const save = join(dir, 'lstm.safetensors');
    const lines: string[] = [];
    const r = await main([...small, '--epochs', '2', '--tied', '--save', save], (l) => lines.push(l));
    expect(Math.abs(r.trainLosses[0] - Math.log(r.ntokens))).toBeLessThan(0.3);
    const last = r.trainLosses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(last).toBeLessThan(r.trainLosses[0] - 0.5);
    expect(r.valLosses.length).toBe(2);
    expect(r.valLosses.every(Number.isFinite)).toBe(true);
    expect(r.testLoss).toBeLessThan(Math.log(r.ntokens));
    // the same live storages after every window: each window's graph and old state are freed
    expect(new Set(r.liveStorages.slice(1)).size).toBe(1);
    expect(lines.some((l) => /\| End of training \| test loss/.test(l))).toBe(true);
    const state = io.load(readFileSync(save));
    expect(Object.keys(state)).toContain('rnn.weight_hh_l1');
    expect(Array.from(state['decoder.weight'].dataSync())).toEqual(Array.from(state['encoder.weight'].dataSync()));
    Object.values(state).forEach((t) => t.dispose());
  }, 300_000);

  it.each([['GRU'], ['RNN_TANH'], ['RNN_RELU']])('--model %s --dry-run runs one window per epoch', async (model) => {
    const r = await main([...small, '--model', model, '--epochs', '1', '--dry-run', '--save', join(dir, `${model}.safetensors`)], () => {});
    expect(r.trainLosses.length).toBe(1);
    expect(Number.isFinite(r.testLoss)).toBe(true);
  }, 120_000);
});
