/** pytorch/examples word_language_model's model.py (the recurrent models): encoder, RNN, decoder. */
import { nn, zeros, type Tensor } from '@logit/core';

export type RnnType = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';
/** The recurrent state: [h, c] for the LSTM, h otherwise. */
export type Hidden = Tensor | [Tensor, Tensor];

export interface RNNModelOptions {
  dropout?: number;
  /** Share the decoder's weight with the encoder's (needs nhid === ninp). */
  tieWeights?: boolean;
}

export class RNNModel extends nn.Module {
  readonly ntoken: number;
  readonly rnnType: RnnType;
  readonly nhid: number;
  readonly nlayers: number;
  drop: nn.Dropout;
  encoder: nn.Embedding;
  rnn: nn.LSTM | nn.GRU | nn.RNN;
  decoder: nn.Linear;

  constructor(rnnType: RnnType, ntoken: number, ninp: number, nhid: number, nlayers: number, opts: RNNModelOptions = {}) {
    super();
    const dropout = opts.dropout ?? 0.5;
    this.ntoken = ntoken;
    this.rnnType = rnnType;
    this.nhid = nhid;
    this.nlayers = nlayers;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    if (rnnType === 'LSTM') this.rnn = new nn.LSTM(ninp, nhid, { numLayers: nlayers, dropout });
    else if (rnnType === 'GRU') this.rnn = new nn.GRU(ninp, nhid, { numLayers: nlayers, dropout });
    else this.rnn = new nn.RNN(ninp, nhid, { numLayers: nlayers, nonlinearity: rnnType === 'RNN_TANH' ? 'tanh' : 'relu', dropout });
    this.decoder = new nn.Linear(nhid, ntoken);
    // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
    if (opts.tieWeights) {
      if (nhid !== ninp) throw new Error('When using the tied flag, nhid must be equal to emsize');
      this.decoder.weight = this.encoder.weight;
    }
    this.initWeights();
  }

  initWeights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  /** input [seq, batch] of word ids; returns log-probabilities [seq * batch, ntoken] and the new state. */
  forward(input: Tensor, hidden: Hidden): [Tensor, Hidden] {
    const emb = this.drop.forward(this.encoder.forward(input));
    const [output, next] = this.rnnType === 'LSTM'
      ? (this.rnn as nn.LSTM).forward(emb, hidden as [Tensor, Tensor])
      : (this.rnn as nn.GRU).forward(emb, hidden as Tensor);
    const decoded = this.decoder.forward(this.drop.forward(output)).view([-1, this.ntoken]);
    return [decoded.logSoftmax(1), next];
  }

  initHidden(bsz: number): Hidden {
    const state = (): Tensor => zeros([this.nlayers, bsz, this.nhid], { dtype: this.encoder.weight.dtype });
    return this.rnnType === 'LSTM' ? [state(), state()] : state();
  }
}
