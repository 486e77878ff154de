import { arange, nn, ones, type Tensor } from '@logit/core';

/** The shape of the names transformer; a checkpoint records it. */
export interface NamesModelOptions {
  /** Symbols, boundary token included (28 for the English first names). */
  vocabSize: number;
  /** Context length: the most positions the model sees (longest name + 1 = 16). */
  blockSize: number;
  /** Embedding width (d_model). */
  width: number;
  heads: number;
  layers: number;
  /** Dropout after the embeddings, on attention probabilities, in and after each block's feed-forward. */
  dropout: number;
}

/**
 * A small causal (decoder-only) transformer over characters, built from Logit's nn modules:
 *
 *   token embedding + position embedding -> Dropout
 *   -> `layers` x TransformerEncoderLayer (pre-norm, causal self-attention, feed-forward 4 x width, ReLU)
 *   -> LayerNorm -> Linear(width, vocabSize)
 *
 * Input: token ids (N, T) int32, T <= blockSize. Output: logits (N, T, V), position t scoring
 * the character that follows x[0..t]. The causal mask keeps position t from attending to later
 * ones, which is also why padding at the end of a name never changes the real positions.
 * CrossEntropyLoss wants the classes in dim 1: pass `logits.permute(0, 2, 1)`, shape (N, V, T).
 */
export class NamesTransformer extends nn.Module {
  readonly tokenEmbedding: nn.Embedding;
  readonly positionEmbedding: nn.Embedding;
  readonly drop: nn.Dropout;
  readonly layers: nn.ModuleList;
  readonly norm: nn.LayerNorm;
  readonly head: nn.Linear;

  constructor(readonly options: NamesModelOptions) {
    super();
    const { vocabSize, blockSize, width, heads, layers, dropout } = options;
    this.tokenEmbedding = new nn.Embedding(vocabSize, width);
    this.registerName('tokenEmbedding', 'token_embedding');
    this.positionEmbedding = new nn.Embedding(blockSize, width);
    this.registerName('positionEmbedding', 'position_embedding');
    this.drop = new nn.Dropout(dropout);
    this.layers = new nn.ModuleList(Array.from({ length: layers }, () => new nn.TransformerEncoderLayer(width, heads, {
      dimFeedforward: 4 * width, dropout, batchFirst: true, normFirst: true,
    })));
    this.norm = new nn.LayerNorm(width);
    this.head = new nn.Linear(width, vocabSize);
  }

  forward(x: Tensor): Tensor {
    const t = x.shape[1];
    if (t > this.options.blockSize) throw new RangeError(`NamesTransformer: ${t} positions is more than the context of ${this.options.blockSize}`);
    // true above the diagonal: position i may not attend to j > i (nn.Transformer.generate_square_subsequent_mask, as bools)
    const causal = ones([t, t], { dtype: 'bool' }).triu(1);
    const positions = this.positionEmbedding.forward(arange(0, t, 1, { dtype: 'int32' }));
    let h = this.drop.forward(this.tokenEmbedding.forward(x).add(positions));
    for (const layer of this.layers) h = (layer as nn.TransformerEncoderLayer).forward(h, { srcMask: causal, isCausal: true });
    return this.head.forward(this.norm.forward(h));
  }

  /** "transformer 2 layers x 4 heads, width 64, context 16, 104,924 parameters". */
  describe(): string {
    const { layers, heads, width, blockSize, dropout } = this.options;
    const params = this.parameters().reduce((n, p) => n + p.numel(), 0);
    return `transformer ${layers} layers x ${heads} heads, width ${width}, context ${blockSize}, dropout ${dropout}, ${params.toLocaleString('en-US')} parameters`;
  }
}
