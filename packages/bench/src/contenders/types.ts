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
  /**
   * Logit only: one forward + backward of a transformer block with the backend's fused kernels
   * on or off (the `layers` benchmark); each step returns sum(output * upstream).
   */
  layerStep?(problem: LayerProblem, fused: boolean): PreparedTraining;
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
