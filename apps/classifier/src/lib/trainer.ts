import { data, io, manualSeed, nn, noGrad, optim, tidy, type Tensor } from '@logit/core';
import { randomShift } from './augment.js';
import type { TrainConfig } from './config.js';
import type { ImageSet, Splits } from './images.js';
import { runEpochs } from './epochs.js';
import { confusionMatrix, type EpochMetrics } from './metrics.js';
import { Classifier, type ModelOptions } from './model.js';
import { pixelStats, toTensors } from './splits.js';

/** How the Node CLI and the browser worker watch a run. Every hook may be async. */
export interface TrainHooks {
  onBatch?(p: { epoch: number; batch: number; batches: number; loss: number }): void | Promise<void>;
  onEpoch?(m: EpochMetrics): void | Promise<void>;
  /** Called with the safetensors bytes of each new best model (lowest validation loss). */
  onCheckpoint?(bytes: Uint8Array, m: EpochMetrics): void | Promise<void>;
  /** Checked between batches: return true to stop (the page's Stop button). */
  shouldStop?(): boolean;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  predictions: Int32Array;
  labels: Uint8Array;
}

export interface TrainResult {
  history: EpochMetrics[];
  bestEpoch: number;
  stopReason: 'epochs' | 'early-stopping' | 'stopped';
  trainSeconds: number;
  test: Evaluation;
  confusion: number[][];
}

const EVAL_BATCH = 500;

/**
 * One training run: the model, its optimizer and the data on the current backend. Shared by the
 * Node CLI and the browser worker, so both train the same way and get the same numbers.
 *
 * The loss is nn.CrossEntropyLoss on the model's logits, which is LogSoftmax followed by NLLLoss
 * (see lossAnatomy). Early stopping watches the validation loss: after `patience` epochs
 * without a new lowest value, training stops and the best epoch's weights are restored.
 */
export class TrainingRun {
  readonly model: Classifier;
  readonly optimizer: optim.Optimizer;
  readonly lossFn = new nn.CrossEntropyLoss();
  private readonly train: { x: Tensor; y: Tensor };
  private readonly loader: data.DataLoader;

  /** `checkpoint`: safetensors bytes of an earlier run's model (`--resume`). */
  constructor(readonly splits: Splits, readonly config: TrainConfig, checkpoint?: Uint8Array) {
    manualSeed(config.seed);
    const { rows, cols } = splits.train;
    const stats = pixelStats(splits.train);
    const options: ModelOptions = {
      kind: config.model, hidden: config.hidden, dropout: config.dropout, rows, cols,
      numClasses: splits.classNames.length, mean: stats.mean, std: stats.std,
    };
    this.model = new Classifier(options);
    if (checkpoint) loadCheckpoint(this.model, checkpoint);
    if (config.freeze) this.model.freezeAllButHead();
    const params = this.model.parameters().filter((p) => p.requiresGrad);
    this.optimizer = config.optimizer === 'adam'
      ? new optim.Adam(params, { lr: config.lr })
      : new optim.SGD(params, { lr: config.lr, momentum: config.momentum });
    this.train = toTensors(splits.train);
    this.loader = new data.DataLoader(new data.TensorDataset(this.train.x, this.train.y), { batchSize: config.batchSize, shuffle: true });
  }

  get batchesPerEpoch(): number {
    return this.loader.length;
  }

  /** Trains up to `config.epochs` epochs, then evaluates the best weights on the test split. */
  async fit(hooks: TrainHooks = {}): Promise<TrainResult> {
    const run = await runEpochs({
      epochs: this.config.epochs, patience: this.config.patience,
      trainEpoch: (epoch) => this.trainEpoch(epoch, hooks),
      validate: () => this.evaluate(this.splits.val),
      metrics: (base) => base,
      checkpoint: (m) => this.checkpoint(m),
      restore: (bytes) => loadCheckpoint(this.model, bytes),
      onCheckpoint: hooks.onCheckpoint, onEpoch: hooks.onEpoch,
    });
    const test = await this.evaluate(this.splits.test);
    return { ...run, test, confusion: confusionMatrix(test.labels, test.predictions, this.splits.classNames.length) };
  }

  /** One pass over the training split; null when hooks.shouldStop() asked to stop. */
  private async trainEpoch(epoch: number, hooks: TrainHooks): Promise<{ loss: number; accuracy: number } | null> {
    const { augment, augmentShift } = this.config;
    const { rows, cols } = this.splits.train;
    this.model.train();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batch = 0;
    for (const [xb, yb] of this.loader) {
      if (hooks.shouldStop?.()) {
        xb.dispose();
        yb.dispose();
        return null;
      }
      const input = augment ? await randomShift(xb, rows, cols, augmentShift) : xb;
      const [loss, hits] = tidy(() => {
        this.optimizer.zeroGrad();
        const logits = this.model.forward(input);
        const l = this.lossFn.forward(logits, yb);
        l.backward();
        this.optimizer.step();
        return [l.detach(), noGrad(() => logits.argmax(1).eq(yb).sum())];
      });
      const lossValue = await loss.item();
      correct += await hits.item();
      seen += yb.shape[0];
      lossSum += lossValue * yb.shape[0];
      for (const t of new Set([loss, hits, input, xb, yb])) t.dispose();
      batch += 1;
      await hooks.onBatch?.({ epoch, batch, batches: this.loader.length, loss: lossValue });
    }
    return { loss: lossSum / seen, accuracy: correct / seen };
  }

  /** Mean loss, accuracy and predictions over a split, in eval mode (dropout off), no graph. */
  async evaluate(set: ImageSet): Promise<Evaluation> {
    this.model.eval();
    const sumLoss = new nn.CrossEntropyLoss({ reduction: 'sum' });
    const { x, y } = toTensors(set);
    const predictions = new Int32Array(set.count);
    let lossSum = 0;
    for (let start = 0; start < set.count; start += EVAL_BATCH) {
      const len = Math.min(EVAL_BATCH, set.count - start);
      const [loss, pred] = tidy(() => noGrad(() => {
        const logits = this.model.forward(x.narrow(0, start, len));
        return [sumLoss.forward(logits, y.narrow(0, start, len)), logits.argmax(1)];
      }));
      lossSum += await loss.item();
      predictions.set((await pred.data()) as Int32Array, start);
      loss.dispose();
      pred.dispose();
    }
    x.dispose();
    y.dispose();
    this.model.train();
    let correct = 0;
    for (let i = 0; i < set.count; i++) if (predictions[i] === set.labels[i]) correct++;
    return { loss: lossSum / set.count, accuracy: correct / set.count, predictions, labels: set.labels };
  }

  /** The model's weights (and normalization) as safetensors bytes, with what made them. */
  async checkpoint(m?: EpochMetrics): Promise<Uint8Array> {
    const state = this.model.stateDict();
    try {
      return await io.save(state, {
        metadata: {
          format: 'logit-classifier/1',
          model: JSON.stringify(this.model.options),
          config: JSON.stringify(this.config),
          dataset: this.splits.name,
          classes: JSON.stringify(this.splits.classNames),
          ...(m ? { epoch: String(m.epoch), valLoss: String(m.valLoss), valAcc: String(m.valAcc) } : {}),
        },
      });
    } finally {
      for (const t of Object.values(state)) t.dispose();
    }
  }

  /** Frees everything the run holds: training data, optimizer state, gradients and the model. */
  dispose(): void {
    this.train.x.dispose();
    this.train.y.dispose();
    this.optimizer.dispose();
    this.model.zeroGrad();
    for (const t of [...this.model.parameters(), ...this.model.buffers()]) t.dispose();
  }
}

/** Checkpoint bytes that cannot be loaded into this model; the message says why. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/**
 * Loads checkpoint bytes into a model built with the same architecture; a checkpoint of another
 * shape (say a cnn into an mlp, or another hidden size) is a clear error, not a silent mix.
 * Throws CheckpointError for bytes that are not a checkpoint or do not fit the model.
 */
export function loadCheckpoint(model: Classifier, bytes: Uint8Array): void {
  const why = (e: unknown): string => (e as Error).message.split('\n')[0];
  let meta: Record<string, string>;
  try {
    meta = io.loadMetadata(bytes);
  } catch (e) {
    throw new CheckpointError(`not a safetensors checkpoint (${why(e)})`);
  }
  if (meta.model) {
    let saved: Partial<ModelOptions>;
    try {
      saved = JSON.parse(meta.model) as Partial<ModelOptions>;
    } catch (e) {
      throw new CheckpointError(`its 'model' metadata is not JSON (${why(e)})`);
    }
    const mine = model.options;
    for (const key of ['kind', 'hidden', 'rows', 'cols', 'numClasses'] as const) {
      if (key === 'hidden' && mine.kind === 'cnn') continue;
      if (saved[key] !== mine[key]) {
        throw new CheckpointError(`the checkpoint was saved from a model with ${key} = ${saved[key]}, this model has ${key} = ${mine[key]}; use the same --model/--hidden as the saved run`);
      }
    }
  }
  let state: Record<string, Tensor>;
  try {
    state = io.load(bytes);
  } catch (e) {
    throw new CheckpointError(`not a safetensors checkpoint (${why(e)})`);
  }
  try {
    model.loadStateDict(state);
  } catch (e) {
    throw new CheckpointError(`its weights do not fit this model (${why(e)})`);
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
}
