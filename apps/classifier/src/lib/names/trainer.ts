import { io, manualSeed, nn, noGrad, optim, tidy, type Tensor } from '@logit/core';
import { runEpochs } from '../epochs.js';
import type { EpochMetrics } from '../metrics.js';
import { CheckpointError } from '../trainer.js';
import { BigramModel } from './bigram.js';
import type { NamesConfig } from './config.js';
import { batchTensors, encodeNames, shuffledBatches, type NameSplits } from './data.js';
import { NamesTransformer, type NamesModelOptions } from './model.js';
import { markKnown, sampleNames, type NextCharModel, type SampledName } from './sample.js';

/**
 * One epoch of the names task. Losses are CrossEntropyLoss in nats per character (the mean over
 * every predicted character, end token included, padding excluded); accuracy is how often the
 * likeliest next character is the true one.
 */
export interface NamesEpochMetrics extends EpochMetrics {
  /** exp(trainLoss): as uncertain as a uniform choice among this many characters. */
  trainPerplexity: number;
  valPerplexity: number;
  /** The learning rate at the end of the epoch. */
  lr: number;
}

/** Loss and next-character accuracy of a model over a list of names. */
export interface NamesEvaluation {
  /** Mean CrossEntropyLoss per predicted character (nats). */
  loss: number;
  perplexity: number;
  accuracy: number;
  /** Characters predicted: letters plus one end token per name. */
  characters: number;
}

/** What a names run ends with: the history, the restored best epoch, and test numbers next to the bigram's. */
export interface NamesTrainResult {
  history: NamesEpochMetrics[];
  bestEpoch: number;
  stopReason: 'epochs' | 'early-stopping' | 'stopped';
  trainSeconds: number;
  test: NamesEvaluation;
  /** The bigram baseline on the same validation and test names. */
  baseline: { val: NamesEvaluation; test: NamesEvaluation };
}

/** How the CLI and the page's worker watch a names run. Every hook may be async. */
export interface NamesTrainHooks {
  onBatch?(p: { epoch: number; batch: number; batches: number; loss: number }): void | Promise<void>;
  onEpoch?(m: NamesEpochMetrics): void | Promise<void>;
  /** Called with the safetensors bytes of each new best model (lowest validation loss). */
  onCheckpoint?(bytes: Uint8Array, m: NamesEpochMetrics): void | Promise<void>;
  /** Checked between batches: return true to stop. */
  shouldStop?(): boolean;
}

const EVAL_BATCH = 512;

/**
 * A names training run: the transformer, AdamW with warm-up and cosine decay, and the bigram
 * baseline. Shared by the CLI and the page's worker, so both train alike and, with the same
 * seed and backend, get the same numbers.
 *
 * Each step: a batch of names as (N, T) ids, logits (N, T, V) from the model, permuted to
 * (N, V, T) — classes in dim 1, as CrossEntropyLoss wants — and the loss against (N, T) targets
 * whose padding is IGNORE_INDEX, so the mean runs over real characters only. Early stopping
 * watches the validation loss and restores the best epoch's weights.
 */
export class NamesTrainingRun {
  readonly model: NamesTransformer;
  readonly bigram: BigramModel;
  readonly optimizer: optim.AdamW;
  readonly scheduler: optim.lrScheduler.CosineAnnealingLR | optim.lrScheduler.SequentialLR;
  readonly lossFn = new nn.CrossEntropyLoss();
  readonly trainingSet: ReadonlySet<string>;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;

  constructor(readonly splits: NameSplits, readonly config: NamesConfig, checkpoint?: Uint8Array) {
    manualSeed(config.seed);
    const options: NamesModelOptions = {
      vocabSize: splits.vocab.size, blockSize: splits.blockSize, width: config.width, heads: config.heads,
      layers: config.layers, dropout: config.dropout,
    };
    this.model = new NamesTransformer(options);
    if (checkpoint) loadNamesCheckpoint(this.model, checkpoint);
    this.bigram = new BigramModel(splits.vocab, splits.train);
    this.trainingSet = new Set(splits.train);
    this.batchesPerEpoch = Math.ceil(splits.train.length / config.batchSize);
    const { lr, weightDecay, warmupSteps, minLrFactor, epochs } = config;
    this.optimizer = new optim.AdamW(this.model.parameters(), { lr, weightDecay });
    const total = epochs * this.batchesPerEpoch;
    const decay = new optim.lrScheduler.CosineAnnealingLR(this.optimizer, { tMax: Math.max(1, total - warmupSteps), etaMin: lr * minLrFactor });
    this.scheduler = warmupSteps === 0 ? decay : new optim.lrScheduler.SequentialLR(this.optimizer, [
      new optim.lrScheduler.LinearLR(this.optimizer, { startFactor: 0.01, totalIters: warmupSteps }),
      decay,
    ], { milestones: [warmupSteps] });
  }

  /** The current learning rate. */
  get lr(): number {
    return this.optimizer.paramGroups[0].lr;
  }

  /** Trains up to `config.epochs` epochs, then evaluates the best weights and the bigram on the test names. */
  async fit(hooks: NamesTrainHooks = {}): Promise<NamesTrainResult> {
    const run = await runEpochs({
      epochs: this.config.epochs, patience: this.config.patience,
      trainEpoch: (epoch) => this.trainEpoch(epoch, hooks),
      validate: () => this.evaluate(this.splits.val),
      metrics: (base, train, val): NamesEpochMetrics => ({ ...base, trainPerplexity: Math.exp(train.loss), valPerplexity: val.perplexity, lr: this.lr }),
      checkpoint: (m) => this.checkpoint(m),
      restore: (bytes) => loadNamesCheckpoint(this.model, bytes),
      onCheckpoint: hooks.onCheckpoint, onEpoch: hooks.onEpoch,
    });
    return {
      ...run,
      test: await this.evaluate(this.splits.test),
      baseline: { val: await this.evaluate(this.splits.val, this.bigram), test: await this.evaluate(this.splits.test, this.bigram) },
    };
  }

  /** One pass over the shuffled training names; null when hooks.shouldStop() asked to stop. */
  private async trainEpoch(epoch: number, hooks: NamesTrainHooks): Promise<{ loss: number; accuracy: number } | null> {
    const { clipNorm } = this.config;
    const batches = await shuffledBatches(this.splits.train, this.config.batchSize);
    this.model.train();
    let lossSum = 0;
    let correct = 0;
    let characters = 0;
    for (let b = 0; b < batches.length; b++) {
      if (hooks.shouldStop?.()) return null;
      const encoded = encodeNames(batches[b], this.splits.vocab);
      const [loss, hits] = tidy(() => {
        const { x, y } = batchTensors(encoded);
        this.optimizer.zeroGrad();
        const logits = this.model.forward(x); // (N, T, V)
        const l = this.lossFn.forward(logits.permute(0, 2, 1), y); // (N, V, T) against (N, T)
        l.backward();
        if (clipNorm > 0) nn.utils.clipGradNorm_(this.model.parameters(), clipNorm);
        this.optimizer.step();
        this.scheduler.step();
        return [l.detach(), noGrad(() => logits.argmax(2).eq(y).sum())];
      });
      const lossValue = await loss.item();
      correct += await hits.item();
      loss.dispose();
      hits.dispose();
      lossSum += lossValue * encoded.targets;
      characters += encoded.targets;
      await hooks.onBatch?.({ epoch, batch: b + 1, batches: batches.length, loss: lossValue });
    }
    return { loss: lossSum / characters, accuracy: correct / characters };
  }

  /** Mean loss per character and next-character accuracy over `names`, in eval mode, no graph. */
  async evaluate(names: readonly string[], model: NextCharModel = this.model): Promise<NamesEvaluation> {
    const wasTraining = model.training;
    model.eval();
    const sumLoss = new nn.CrossEntropyLoss({ reduction: 'sum' });
    let lossSum = 0;
    let correct = 0;
    let characters = 0;
    for (let start = 0; start < names.length; start += EVAL_BATCH) {
      const encoded = encodeNames(names.slice(start, start + EVAL_BATCH), this.splits.vocab);
      const [loss, hits] = tidy(() => noGrad(() => {
        const { x, y } = batchTensors(encoded);
        const logits = model.forward(x);
        return [sumLoss.forward(logits.permute(0, 2, 1), y), logits.argmax(2).eq(y).sum()];
      }));
      lossSum += await loss.item();
      correct += await hits.item();
      characters += encoded.targets;
      loss.dispose();
      hits.dispose();
    }
    model.train(wasTraining);
    const loss = lossSum / characters;
    return { loss, perplexity: Math.exp(loss), accuracy: correct / characters, characters };
  }

  /** New names from the model (or the bigram), marked when they are training names. */
  async sample(opts: { count?: number; temperature?: number; topK?: number; seed?: number; model?: NextCharModel } = {}): Promise<SampledName[]> {
    const names = await sampleNames(opts.model ?? this.model, this.splits.vocab, {
      count: opts.count ?? this.config.samples,
      temperature: opts.temperature ?? this.config.temperature,
      topK: opts.topK ?? this.config.topK,
      maxLength: this.splits.blockSize - 1,
      seed: opts.seed,
    });
    return markKnown(names, this.trainingSet);
  }

  /** The model's weights as safetensors bytes, with its shape, the settings and the vocabulary. */
  async checkpoint(m?: NamesEpochMetrics): Promise<Uint8Array> {
    const state = this.model.stateDict();
    try {
      return await io.save(state, {
        metadata: {
          format: 'logit-names/1',
          model: JSON.stringify(this.model.options),
          config: JSON.stringify(this.config),
          dataset: this.splits.name,
          vocabulary: this.splits.vocab.symbols.join(''),
          ...(m ? { epoch: String(m.epoch), valLoss: String(m.valLoss) } : {}),
        },
      });
    } finally {
      for (const t of Object.values(state)) t.dispose();
    }
  }

  /** Frees the optimizer state, gradients, the model and the bigram table. */
  dispose(): void {
    this.optimizer.dispose();
    this.model.zeroGrad();
    const tensors = new Set<Tensor>([...this.model.parameters(), ...this.model.buffers(), ...this.bigram.parameters()]);
    for (const t of tensors) t.dispose();
  }
}

/**
 * Loads checkpoint bytes into a transformer of the same shape. Bytes of another task, or of a
 * model of another shape, are a CheckpointError naming what differs, not a silent mix.
 */
export function loadNamesCheckpoint(model: NamesTransformer, bytes: Uint8Array): void {
  let meta: Record<string, string>;
  try {
    meta = io.loadMetadata(bytes);
  } catch (e) {
    throw new CheckpointError(`not a safetensors checkpoint (${(e as Error).message.split('\n')[0]})`);
  }
  if (meta.format !== 'logit-names/1') {
    throw new CheckpointError(`not a checkpoint of the names task (its format is '${meta.format ?? 'not recorded'}', a names run writes 'logit-names/1')`);
  }
  let saved: Partial<NamesModelOptions> = {};
  try {
    saved = JSON.parse(meta.model ?? '{}') as Partial<NamesModelOptions>;
  } catch {
    throw new CheckpointError(`its 'model' metadata is not JSON`);
  }
  for (const key of ['vocabSize', 'blockSize', 'width', 'heads', 'layers'] as const) {
    if (saved[key] !== model.options[key]) {
      throw new CheckpointError(`the checkpoint was saved from a model with ${key} = ${saved[key]}, this model has ${key} = ${model.options[key]}; use the same --width/--heads/--layers as the saved run`);
    }
  }
  const state = io.load(bytes);
  try {
    model.loadStateDict(state);
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
}
