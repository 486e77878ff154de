import { getBackend, nn, optim, tensor, tidy, type Tensor } from '@logit/core';
import type { LstmLmProblem, PreparedTraining } from './types.js';

/** The language model as a Logit user writes it (word_language_model's RNNModel, batch first). */
class LstmLm extends nn.Module {
  encoder: nn.Embedding;
  rnn: nn.LSTM;
  decoder: nn.Linear;
  constructor(readonly p: LstmLmProblem) {
    super();
    this.encoder = new nn.Embedding(p.vocab, p.embed);
    this.rnn = new nn.LSTM(p.embed, p.hidden, { numLayers: p.layers, batchFirst: true });
    this.decoder = new nn.Linear(p.hidden, p.vocab);
  }
  forward(tokens: Tensor): Tensor {
    const [out] = this.rnn.forward(this.encoder.forward(tokens));
    return this.decoder.forward(out.reshape([-1, this.p.hidden]));
  }
}

export function logitLstmLm(p: LstmLmProblem): PreparedTraining {
  const model = new LstmLm(p);
  tidy(() => {
    const state: Record<string, Tensor> = {
      'decoder.weight': tensor(p.decoderWeight, { shape: [p.vocab, p.hidden] }),
      'decoder.bias': tensor(p.decoderBias),
      'encoder.weight': tensor(p.embedding, { shape: [p.vocab, p.embed] }),
    };
    p.lstm.forEach((w, l) => {
      const inSize = l === 0 ? p.embed : p.hidden;
      state[`rnn.weight_ih_l${l}`] = tensor(w.wih, { shape: [4 * p.hidden, inSize] });
      state[`rnn.weight_hh_l${l}`] = tensor(w.whh, { shape: [4 * p.hidden, p.hidden] });
      // Keras's LSTM has one bias where PyTorch has two, and SGD moves two biases twice as far:
      // b_ih holds their sum and b_hh stays 0 and frozen, so both libraries train the same function
      state[`rnn.bias_ih_l${l}`] = tensor(w.bih.map((v, i) => v + w.bhh[i]));
      state[`rnn.bias_hh_l${l}`] = tensor(new Float32Array(w.bhh.length));
    });
    model.loadStateDict(state);
  });
  for (const [name, p] of model.namedParameters()) if (name.startsWith('rnn.bias_hh')) p.requiresGrad_(false);
  const tokens = tensor(p.tokens, { shape: [p.batch, p.seq], dtype: 'int32' });
  const targets = tensor(p.targets, { dtype: 'int32' });
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: p.lr });
  return {
    async step() {
      const loss = tidy(() => {
        opt.zeroGrad();
        const loss = lossFn.forward(model.forward(tokens), targets);
        loss.backward();
        opt.step();
        return loss;
      });
      const value = getBackend().readSync ? loss.itemSync() : await loss.item();
      loss.dispose();
      return value;
    },
    dispose() {
      opt.zeroGrad();
      opt.dispose();
      for (const param of model.parameters()) param.dispose();
      tokens.dispose();
      targets.dispose();
    },
  };
}
