import { nn, tensor, type Tensor } from '@logit/core';

export type ModelKind = 'mlp' | 'cnn';
export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'cnn'];

export interface ModelOptions {
  kind: ModelKind;
  /** Width of the MLP's hidden layer (the CNN ignores it). */
  hidden: number;
  /** Dropout probability before the last layer. */
  dropout: number;
  rows: number;
  cols: number;
  numClasses: number;
  /** Mean and standard deviation of the training pixels (in 0..1), applied inside the model. */
  mean: number;
  std: number;
}

/**
 * Subtracts the training set's mean pixel and divides by its standard deviation. Kept as buffers
 * inside the model so a checkpoint carries them and the drawing canvas can feed raw 0..1 pixels.
 */
class Normalize extends nn.Module {
  declare readonly mean: Tensor;
  declare readonly std: Tensor;
  constructor(mean: number, std: number) {
    super();
    this.registerBuffer('mean', tensor([mean]));
    this.registerBuffer('std', tensor([std]));
  }
  forward(x: Tensor): Tensor {
    return x.sub(this.mean).div(this.std);
  }
}

/**
 * The digit classifier: normalize, a feature extractor (`body`), and one Linear layer (`head`)
 * that maps features to one logit per class. Input: images flattened to (N, rows * cols) with
 * pixels in 0..1. Output: logits (N, numClasses) — unnormalized scores; CrossEntropyLoss applies
 * LogSoftmax and NLLLoss to them.
 *
 *   mlp: Linear(rows*cols, hidden) -> ReLU -> Dropout -> head Linear(hidden, classes)
 *   cnn: Conv(1->8, 3x3) -> ReLU -> MaxPool 2 -> Conv(8->16, 3x3) -> ReLU -> MaxPool 2 -> Flatten
 *        -> Dropout -> head Linear(16 * rows/4 * cols/4, classes)
 */
export class Classifier extends nn.Module {
  readonly normalize: Normalize;
  readonly body: nn.Sequential;
  readonly head: nn.Linear;

  constructor(readonly options: ModelOptions) {
    super();
    const { kind, hidden, dropout, rows, cols, numClasses } = options;
    this.normalize = new Normalize(options.mean, options.std);
    if (kind === 'mlp') {
      this.body = new nn.Sequential(new nn.Linear(rows * cols, hidden), new nn.ReLU(), new nn.Dropout(dropout));
      this.head = new nn.Linear(hidden, numClasses);
    } else {
      if (rows % 4 !== 0 || cols % 4 !== 0) throw new Error(`the cnn model needs image sides divisible by 4, got ${rows}x${cols}`);
      this.body = new nn.Sequential(
        new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Flatten(), new nn.Dropout(dropout),
      );
      this.head = new nn.Linear(16 * (rows / 4) * (cols / 4), numClasses);
    }
  }

  forward(x: Tensor): Tensor {
    const { kind, rows, cols } = this.options;
    let h = this.normalize.forward(x);
    if (kind === 'cnn') h = h.reshape(x.shape[0], 1, rows, cols);
    return this.head.forward(this.body.forward(h));
  }

  /** Freezes everything but the head, so training fine-tunes only the last layer. */
  freezeAllButHead(): void {
    this.body.requiresGrad_(false);
    this.head.requiresGrad_(true);
  }

  /** A one-line description, e.g. "mlp 784-256-10, dropout 0.2". */
  describe(): string {
    const { kind, hidden, dropout, rows, cols, numClasses } = this.options;
    const shape = kind === 'mlp' ? `${rows * cols}-${hidden}-${numClasses}` : `conv8-conv16-${numClasses} on ${rows}x${cols}`;
    const params = this.parameters().reduce((n, p) => n + p.numel(), 0);
    return `${kind} ${shape}, dropout ${dropout}, ${params.toLocaleString('en-US')} parameters`;
  }
}
