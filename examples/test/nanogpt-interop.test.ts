import { readFileSync } from 'node:fs';
import { io, noGrad, tidy, ValueError, type Tensor } from '@logit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GPT } from '../nanogpt/model.js';
import { useBackend } from './backends.js';
import { disposeModel, golden, goldenConfig, gptFrom, loadFixture, probeBatch } from './nanogpt-fixture.js';

/** PyTorch's view of the Logit-written weights (tools/goldens/nanogpt_from_logit.py). */
const fromLogit: { torch: string; strict: { missing: string[]; unexpected: string[] }; logits: number[]; loss: number } = JSON.parse(
  readFileSync(new URL('goldens/nanogpt-from-logit.json', import.meta.url), 'utf8'),
);

/** The model's logits and loss on the golden's probe batch, in eval mode. */
async function probe(model: GPT): Promise<{ logits: Float32Array; loss: number }> {
  model.eval();
  const { x, y } = probeBatch();
  const out = noGrad(() => tidy(() => model.forward(x, y)));
  const result = { logits: (await out.logits.data()) as Float32Array, loss: await out.loss!.item() };
  for (const t of [x, y, out.logits, out.loss!]) t.dispose();
  return result;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

// float32 logits of magnitude ~5 computed in two libraries: a few ulps apart (measured 1e-6)
const LOGIT_TOLERANCE = 1e-5;

describe('nanoGPT state dicts move between Logit and PyTorch (tied weights included)', () => {
  beforeAll(() => useBackend('cpu'));

  it('has PyTorch\'s state-dict keys in PyTorch\'s order and its named_parameters()', () => {
    const model = new GPT(goldenConfig());
    const state = model.stateDict();
    expect(Object.keys(state)).toEqual(golden.stateDictKeys);
    // the tied weight: one parameter (listed once, under its first name), two state-dict entries
    expect(model.namedParameters().map(([n]) => n)).toEqual(golden.namedParameters);
    expect(model.lmHead.weight).toBe(model.wte.weight);
    for (const t of Object.values(state)) t.dispose();
    disposeModel(model);
  });

  it(`loads PyTorch ${golden.torch}'s trained weights strictly and reproduces its logits and loss`, async () => {
    const model = gptFrom('nanogpt-torch-trained.safetensors');
    const file = loadFixture('nanogpt-torch-trained.safetensors');
    expect(model.lmHead.weight).toBe(model.wte.weight);
    expect(maxAbsDiff(await model.wte.weight.data(), await file['lm_head.weight'].data())).toBe(0);
    const { logits, loss } = await probe(model);
    expect(maxAbsDiff(logits, golden.probe.logits)).toBeLessThanOrEqual(LOGIT_TOLERANCE);
    expect(loss).toBeCloseTo(golden.probe.loss, 5);
    for (const t of Object.values(file)) t.dispose();
    disposeModel(model);
  });

  it('refuses a state dict with a missing or unexpected key, naming every one, and changes nothing', async () => {
    const model = gptFrom('nanogpt-init.safetensors');
    const before = await model.wpe.weight.data();
    const state: Record<string, Tensor> = loadFixture('nanogpt-torch-trained.safetensors');
    state['lm_head.weight'].dispose();
    delete state['lm_head.weight'];
    state['transformer.h.2.ln_1.weight'] = state['transformer.h.1.ln_1.weight'].clone();
    expect(() => model.loadStateDict(state)).toThrow(ValueError);
    expect(() => model.loadStateDict(state)).toThrow(/lm_head\.weight[\s\S]*transformer\.h\.2\.ln_1\.weight|transformer\.h\.2\.ln_1\.weight[\s\S]*lm_head\.weight/);
    expect(maxAbsDiff(await model.wpe.weight.data(), before)).toBe(0);
    for (const t of Object.values(state)) t.dispose();
    disposeModel(model);
  });

  it(`weights trained in Logit load into PyTorch strictly, which computes Logit's logits (checked with PyTorch ${fromLogit.torch})`, async () => {
    expect(fromLogit.strict).toEqual({ missing: [], unexpected: [] });
    const file = loadFixture('nanogpt-logit-trained.safetensors');
    // written by io.save under exactly PyTorch's keys, the tied weight under both of its names
    expect(Object.keys(file).sort()).toEqual([...golden.stateDictKeys].sort());
    expect(maxAbsDiff(await file['lm_head.weight'].data(), await file['transformer.wte.weight'].data())).toBe(0);
    for (const t of Object.values(file)) t.dispose();

    const model = gptFrom('nanogpt-logit-trained.safetensors');
    const { logits, loss } = await probe(model);
    // the fixture is what today's code computes: the probe Logit recorded when it wrote the file
    const recorded = loadFixture('nanogpt-logit-probe.safetensors');
    expect(maxAbsDiff(logits, await recorded.logits.data())).toBeLessThanOrEqual(1e-6);
    // and PyTorch, given the same file, computes the same logits
    expect(maxAbsDiff(logits, fromLogit.logits)).toBeLessThanOrEqual(LOGIT_TOLERANCE);
    expect(loss).toBeCloseTo(fromLogit.loss, 5);
    for (const t of Object.values(recorded)) t.dispose();
    disposeModel(model);
  });

  it('io.save and io.load round-trip the model, tied weight included', async () => {
    const model = gptFrom('nanogpt-torch-trained.safetensors');
    const state = model.stateDict();
    const bytes = await io.save(state);
    for (const t of Object.values(state)) t.dispose();
    const copy = new GPT(goldenConfig());
    const loaded = io.load(bytes);
    copy.loadStateDict(loaded);
    for (const t of Object.values(loaded)) t.dispose();
    expect(copy.lmHead.weight).toBe(copy.wte.weight);
    const [a, b] = [await probe(model), await probe(copy)];
    expect(maxAbsDiff(a.logits, b.logits)).toBe(0);
    disposeModel(model);
    disposeModel(copy);
  });
});
