/**
 * A contender is one library on one backend: a column of every benchmark table. Each benchmark
 * asks the contender for a prepared case (inputs already on the backend), times it, and checks
 * its answer against the other contenders' before timing it.
 */
export interface Contender {
  /** Column name, `<library>-<backend>`, e.g. 'logit-cpu', 'tfjs-cpu'. */
  readonly name: string;
  /** The contender this one is compared with in a ratio column (e.g. logit-cpu against tfjs-cpu). */
  readonly compareTo?: string;
  /**
   * The benchmarks this column runs in when `--contenders` does not name it (default: all). A
   * column that only says something about some benchmarks stays out of the others' tables.
   */
  readonly benchmarks?: readonly string[];
  /** Makes this contender's backend the active one; called before each of its cases. */
  activate(): Promise<void>;
  /** C = A @ B for row-major float32 N x N inputs. */
  matmul(n: number, a: Float32Array, b: Float32Array): PreparedCase;
  /** The MLP of `problem` with its initial weights loaded, ready to train with plain SGD. */
  mlp(problem: MlpProblem): PreparedTraining;
  /** The LSTM language model of `problem` with its initial weights loaded, ready to train with plain SGD. */
  lstmLm(problem: LstmLmProblem): PreparedTraining;
  /** pytorch/examples' mnist Net of `problem` with its initial weights loaded, ready to train with plain SGD. */
  cnn(problem: CnnProblem): PreparedTraining;
  /**
   * Logit only: one forward + backward of a transformer block with the backend's fused kernels
   * on or off (the `layers` benchmark); each step returns sum(output * upstream).
   */
  layerStep?(problem: LayerProblem, fused: boolean): PreparedTraining;
  /** The GPT of `problem` with its initial weights loaded, ready to train with AdamW (the `gpt` benchmark). */
  gpt(problem: GptProblem): PreparedTraining;
}

/** A transformer building block on fixed data: (batch, seq, dim) activations, `heads` attention heads. */
export interface LayerProblem {
  kind: 'layerNorm' | 'attention' | 'encoderLayer';
  batch: number;
  seq: number;
  dim: number;
  heads: number;
  /** 3 * batch * seq * dim values: the input (layerNorm, encoderLayer), or q, k, v one after another. */
  x: Float32Array;
  /** batch * seq * dim weights of the output in the scalar that is backpropagated. */
  upstream: Float32Array;
}

export interface PreparedCase {
  /** One timed call: the whole job a user waits for, including reading the output back. */
  run(): void | Promise<void>;
  /**
   * One call that leaves the output in the backend (then frees it): only where the backend has
   * finished the work when the op returns (cpu, wasm); absent where it runs asynchronously.
   */
  compute?(): void;
  /** The output once, for the agreement check (not timed). */
  result(): Promise<Float32Array>;
  /** Frees the inputs. */
  dispose(): void;
}

/**
 * A classifier MLP, Linear → ReLU → … → Linear, trained on one fixed batch with cross entropy
 * (mean over the batch) and SGD without momentum. Weights are given in PyTorch's layout.
 */
export interface MlpProblem {
  /** Layer widths, input first: [784, 128, 10] is Linear(784, 128), ReLU, Linear(128, 10). */
  sizes: readonly number[];
  /** weights[l]: sizes[l+1] x sizes[l], row-major (nn.Linear's `weight`). */
  weights: readonly Float32Array[];
  /** biases[l]: sizes[l+1]. */
  biases: readonly Float32Array[];
  batch: number;
  /** batch x sizes[0], row-major. */
  x: Float32Array;
  /** batch class indices in [0, sizes[sizes.length - 1]). */
  labels: Int32Array;
  lr: number;
}

/**
 * pytorch/examples' mnist Net without its dropout layers: conv 1->32 3x3, ReLU, conv 32->64
 * 3x3, ReLU, max-pool 2, flatten, linear 9216->128, ReLU, linear 128->10, trained on one fixed
 * batch of 28x28 images with cross entropy (mean) and SGD without momentum. Weights are given
 * in PyTorch's layout (NCHW activations, conv weight (out, in, kH, kW), flatten in (C, H, W) order).
 */
export interface CnnProblem {
  batch: number;
  /** conv1.weight (32, 1, 3, 3), conv1.bias, conv2.weight (64, 32, 3, 3), conv2.bias, fc1.weight (128, 9216), fc1.bias, fc2.weight (10, 128), fc2.bias. */
  params: Record<'conv1.weight' | 'conv1.bias' | 'conv2.weight' | 'conv2.bias' | 'fc1.weight' | 'fc1.bias' | 'fc2.weight' | 'fc2.bias', Float32Array>;
  /** batch x 1 x 28 x 28, row-major. */
  x: Float32Array;
  /** batch class indices in [0, 10). */
  labels: Int32Array;
  lr: number;
}

/** Shapes of CnnProblem's parameters, PyTorch's layout. */
export const CNN_SHAPES: Record<keyof CnnProblem['params'], number[]> = {
  'conv1.weight': [32, 1, 3, 3], 'conv1.bias': [32], 'conv2.weight': [64, 32, 3, 3], 'conv2.bias': [64],
  'fc1.weight': [128, 9216], 'fc1.bias': [128], 'fc2.weight': [10, 128], 'fc2.bias': [10],
};

export interface PreparedTraining {
  /**
   * One training step: zero the gradients, forward, loss, backward, SGD update; then read the
   * loss back (every step, for every contender, so lazy or asynchronous backends finish it).
   * Returns that loss, computed before the update.
   */
  step(): number | Promise<number>;
  /** Frees the model, data and optimizer state. */
  dispose(): void;
}

/**
 * A nanoGPT-style character model (examples/nanogpt): token + position embeddings, nLayer
 * pre-norm blocks (LayerNorm, causal self-attention with one qkv projection `c_attn` and an output
 * projection `c_proj`, LayerNorm, MLP 4 * nEmbd wide with exact GELU, residuals), final LayerNorm,
 * an output layer tied to the token embedding; trained on one fixed batch with mean cross
 * entropy and AdamW (weight decay on the 2-D parameters only, as nanoGPT's two groups).
 */
export interface GptProblem {
  vocabSize: number;
  /** Tokens per sequence (also the position table's size). */
  seq: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  batch: number;
  /** nanoGPT's state dict without the tied `lm_head.weight`, PyTorch's layout (Linear weight (out, in)); shapes in {@link gptShapes}. */
  params: Record<string, Float32Array>;
  /** batch x seq token ids, and the next token of each. */
  x: Int32Array;
  y: Int32Array;
  lr: number;
  weightDecay: number;
  betas: [number, number];
}

/** The shape of every entry of GptProblem.params, in nanoGPT's state-dict order. */
export function gptShapes(p: Pick<GptProblem, 'vocabSize' | 'seq' | 'nLayer' | 'nEmbd'>): Record<string, number[]> {
  const d = p.nEmbd;
  const shapes: Record<string, number[]> = { 'transformer.wte.weight': [p.vocabSize, d], 'transformer.wpe.weight': [p.seq, d] };
  for (let l = 0; l < p.nLayer; l++) {
    const h = `transformer.h.${l}`;
    Object.assign(shapes, {
      [`${h}.ln_1.weight`]: [d], [`${h}.ln_1.bias`]: [d],
      [`${h}.attn.c_attn.weight`]: [3 * d, d], [`${h}.attn.c_attn.bias`]: [3 * d],
      [`${h}.attn.c_proj.weight`]: [d, d], [`${h}.attn.c_proj.bias`]: [d],
      [`${h}.ln_2.weight`]: [d], [`${h}.ln_2.bias`]: [d],
      [`${h}.mlp.c_fc.weight`]: [4 * d, d], [`${h}.mlp.c_fc.bias`]: [4 * d],
      [`${h}.mlp.c_proj.weight`]: [d, 4 * d], [`${h}.mlp.c_proj.bias`]: [d],
    });
  }
  return Object.assign(shapes, { 'transformer.ln_f.weight': [d], 'transformer.ln_f.bias': [d] });
}

/** One layer's LSTM weights in PyTorch's layout, gates stacked i, f, g, o. */
export interface LstmLayerWeights {
  /** 4 hidden x in, row-major (weight_ih_lK). */
  wih: Float32Array;
  /** 4 hidden x hidden (weight_hh_lK). */
  whh: Float32Array;
  /** 4 hidden each (bias_ih_lK, bias_hh_lK). */
  bih: Float32Array;
  bhh: Float32Array;
}

/**
 * A word-level language model, Embedding → LSTM layers → Linear decoder over the vocabulary,
 * trained on one fixed batch of token sequences (batch first) with cross entropy over every
 * position (mean) and SGD without momentum. Weights are given in PyTorch's layout.
 */
export interface LstmLmProblem {
  vocab: number;
  embed: number;
  hidden: number;
  layers: number;
  seq: number;
  batch: number;
  lr: number;
  /** vocab x embed (nn.Embedding's weight). */
  embedding: Float32Array;
  lstm: readonly LstmLayerWeights[];
  /** vocab x hidden and vocab (the decoder nn.Linear's weight and bias). */
  decoderWeight: Float32Array;
  decoderBias: Float32Array;
  /** batch x seq input token ids, and the next token at each position. */
  tokens: Int32Array;
  targets: Int32Array;
}
