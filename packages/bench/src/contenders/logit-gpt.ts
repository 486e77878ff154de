import { getBackend, tensor, tidy, type Tensor } from '@logit/core';
import { GPT } from '@logit/examples/nanogpt/model';
import { gptShapes, type GptProblem, type PreparedTraining } from './types.js';

/**
 * The GPT of examples/nanogpt as its users train it: the model loaded from a state dict under
 * nanoGPT's names (the tied weight under both), AdamW over nanoGPT's two parameter groups, one
 * tidy step (zeroGrad, forward with targets, backward, step) that reads its loss back.
 */
export function logitGpt(p: GptProblem): PreparedTraining {
  const model = new GPT({ blockSize: p.seq, vocabSize: p.vocabSize, nLayer: p.nLayer, nHead: p.nHead, nEmbd: p.nEmbd, dropout: 0, bias: true });
  const shapes = gptShapes(p);
  const state: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) state[name] = tensor(p.params[name], { shape });
  state['lm_head.weight'] = state['transformer.wte.weight'];
  model.loadStateDict(state);
  for (const t of new Set(Object.values(state))) t.dispose();

  const x = tensor(p.x, { shape: [p.batch, p.seq] });
  const y = tensor(p.y, { shape: [p.batch, p.seq] });
  const opt = model.configureOptimizers(p.weightDecay, p.lr, p.betas);
  const synchronous = getBackend().readSync !== undefined;
  return {
    async step() {
      const loss = tidy(() => {
        opt.zeroGrad();
        const { loss } = model.forward(x, y);
        loss!.backward();
        opt.step();
        return loss!;
      });
      const value = synchronous ? loss.itemSync() : await loss.item();
      loss.dispose();
      return value;
    },
    dispose() {
      opt.zeroGrad();
      opt.dispose();
      for (const param of model.parameters()) param.dispose();
      x.dispose();
      y.dispose();
    },
  };
}
