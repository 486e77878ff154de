import { readFileSync } from 'node:fs';
import { io, tensor, type Tensor } from '@logit/core';
import { GPT, type GPTConfig } from '../nanogpt/model.js';

const here = new URL('.', import.meta.url);

/** What tools/goldens/nanogpt.py recorded from PyTorch. */
export interface NanoGptGolden {
  torch: string;
  config: { block_size: number; vocab_size: number; n_layer: number; n_head: number; n_embd: number; dropout: number; bias: boolean };
  batch: number;
  steps: number;
  train: { lr: number; weight_decay: number; betas: [number, number]; grad_clip: number; warmup: number; start_factor: number; min_lr: number };
  chars: string;
  losses: number[];
  lrs: number[];
  gradNorms: number[];
  /** The same run in float64. */
  losses64: number[];
  gradNorms64: number[];
  stateDictKeys: string[];
  namedParameters: string[];
  probe: { x: number[][]; y: number[][]; logits: number[]; loss: number };
}

export const golden: NanoGptGolden = JSON.parse(readFileSync(new URL('goldens/nanogpt.json', here), 'utf8'));

/** The golden's GPTConfig in Logit's names. */
export function goldenConfig(): GPTConfig {
  const c = golden.config;
  return { blockSize: c.block_size, vocabSize: c.vocab_size, nLayer: c.n_layer, nHead: c.n_head, nEmbd: c.n_embd, dropout: c.dropout, bias: c.bias };
}

/** A committed safetensors fixture, loaded onto the current backend. */
export function loadFixture(name: string): Record<string, Tensor> {
  return io.load(readFileSync(new URL(`fixtures/${name}`, here)));
}

/** A GPT with the state dict of `fixture` loaded strictly (every key, the tied weight under both names). */
export function gptFrom(fixture: string): GPT {
  const model = new GPT(goldenConfig());
  const state = loadFixture(fixture);
  model.loadStateDict(state);
  for (const t of Object.values(state)) t.dispose();
  return model;
}

/** The probe batch of the golden as int32 tensors. */
export function probeBatch(): { x: Tensor; y: Tensor } {
  return { x: tensor(golden.probe.x, { dtype: 'int32' }), y: tensor(golden.probe.y, { dtype: 'int32' }) };
}

/** Frees a model's parameters (tied ones once). */
export function disposeModel(model: GPT): void {
  model.zeroGrad();
  for (const p of model.parameters()) p.dispose();
}
