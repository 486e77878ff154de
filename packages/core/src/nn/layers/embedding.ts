import { ShapeError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { arange, zeros } from '../../ops/creation.js';
import { where } from '../../ops/elementwise.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { normal_ } from '../init.js';
import { EMBEDDING_OPTIONS, embedding, normPaddingIdx, type EmbeddingOptions } from '../functional/embedding.js';
import { checkInt, requireFloat } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of `nn.Embedding`: the functional ones plus the weight's dtype. */
export interface EmbeddingLayerOptions extends EmbeddingOptions, FactoryOptions {}
const LAYER_OPTIONS: OptionKeys<EmbeddingLayerOptions> = { ...EMBEDDING_OPTIONS, dtype: true };

/** Options of `nn.Embedding.fromPretrained`. */
export interface FromPretrainedOptions extends EmbeddingOptions {
  /** Keep the weight fixed (requiresGrad false). Default true, as in PyTorch. */
  freeze?: boolean;
}
const PRETRAINED_OPTIONS: OptionKeys<FromPretrainedOptions> = { ...EMBEDDING_OPTIONS, freeze: true };

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, like torch.nn.Embedding:
 * each int32 index of the input picks one row of `weight`. The usual first layer of a sequence
 * model (token ids to vectors).
 *
 * Inputs: `numEmbeddings` (the vocabulary size), `embeddingDim`.
 *
 * out[..., :] = weight[input[...], :]. The gradient of the weight adds the upstream gradient of
 * every position into the row it picked, so a token seen twice gets both; the `paddingIdx` row
 * never gets a gradient.
 *
 * Parameters: `weight` [numEmbeddings, embeddingDim], drawn from N(0, 1) (seeded), with the
 * paddingIdx row set to zeros.
 *
 * Options: `paddingIdx` (default none; negative counts from the end and is stored as
 * numEmbeddings + paddingIdx), `dtype` ('float32'). Not supported yet: `maxNorm`, `normType`,
 * `scaleGradByFreq`, `sparse`.
 *
 * Shape: input (*) of int32 indices in [0, numEmbeddings); output (*, embeddingDim).
 *
 * @example
 * const emb = new nn.Embedding(10, 3, { paddingIdx: 0 });
 * const y = emb.forward(tensor([[1, 2, 0], [4, 4, 9]], { dtype: 'int32' }));   // [2, 3, 3]
 * y.sum().backward();       // emb.weight.grad: row 4 holds 2s, row 0 (padding) stays 0
 */
export class Embedding extends Module {
  /** The number of rows (the vocabulary size). */
  readonly numEmbeddings: number;
  /** The size of each row. */
  readonly embeddingDim: number;
  /** The padding row, always in [0, numEmbeddings), or null. */
  readonly paddingIdx: number | null;
  /** The learnable table, shape [numEmbeddings, embeddingDim]. */
  weight: Tensor;

  /**
   * @param numEmbeddings - The number of rows.
   * @param embeddingDim - The size of each row.
   * @param opts - `paddingIdx` (none; negative counts from the end), `dtype` ('float32').
   */
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingLayerOptions = {}) {
    super();
    const op = 'Embedding';
    const o = checkOptions(op, opts, LAYER_OPTIONS);
    this.numEmbeddings = checkInt(op, 'numEmbeddings', numEmbeddings, 0);
    this.embeddingDim = checkInt(op, 'embeddingDim', embeddingDim, 0);
    this.paddingIdx = normPaddingIdx(op, o.paddingIdx, numEmbeddings);
    this.weight = Parameter(zeros([numEmbeddings, embeddingDim], { dtype: paramDType(op, o) }));
    this.resetParameters();
  }

  /** Re-draws the weight from N(0, 1) (seeded) and zeroes the padding row, as PyTorch does. */
  resetParameters(): void {
    normal_(this.weight);
    const pad = this.paddingIdx;
    if (pad === null) return;
    const w = this.weight;
    noGrad(() => tidy(() => w.copy_(where(arange(this.numEmbeddings, undefined, 1, { dtype: 'int32' }).eq(pad).unsqueeze(1), 0, w))));
  }

  /**
   * An Embedding whose weight is `embeddings` (2-D; the module holds a detached view of it, so
   * the caller keeps ownership of the tensor passed in). Options: `freeze` (default true: the
   * weight gets no gradient), `paddingIdx` (the row is left as given, as in PyTorch).
   *
   * @example
   * const emb = nn.Embedding.fromPretrained(tensor([[1, 2], [3, 4], [5, 6]]), { freeze: false });
   * emb.forward(tensor([2, 0], { dtype: 'int32' })).sum().backward();   // emb.weight.grad rows 0, 2: 1s
   */
  static fromPretrained(embeddings: Tensor, opts: FromPretrainedOptions = {}): Embedding {
    const op = 'Embedding.fromPretrained';
    const { freeze = true, ...rest } = checkOptions(op, opts, PRETRAINED_OPTIONS);
    requireFloat(op, embeddings, 'embeddings');
    if (embeddings.ndim !== 2) throw new ShapeError(`${op}: embeddings must be 2-D [numEmbeddings, embeddingDim], got shape ${fmt(embeddings.shape)}`);
    const [num, dim] = embeddings.shape;
    const e = new Embedding(num, dim, { ...rest, dtype: embeddings.dtype as 'float32' | 'float64' });
    e.weight.dispose();
    e.weight = Parameter(embeddings.detach(), !freeze);
    return e;
  }

  /** The rows of `weight` at the int32 indices in `input`: shape (*) -> (*, embeddingDim). */
  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }
}
