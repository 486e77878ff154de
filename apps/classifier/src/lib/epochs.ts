import { overfittingSignal, type EpochMetrics } from './metrics.js';

/** A training pass's mean loss and accuracy, or a validation's (which may carry more). */
export interface EpochScore {
  loss: number;
  accuracy: number;
}

/** What the epoch loop needs from a task: its passes, its checkpoints and its extra metrics. */
export interface EpochLoop<M extends EpochMetrics, V extends EpochScore> {
  epochs: number;
  /** Stop after this many epochs without a better validation loss; 0 never stops early. */
  patience: number;
  /** One training pass; null when the caller asked to stop. */
  trainEpoch(epoch: number): Promise<EpochScore | null>;
  validate(): Promise<V>;
  /** The task's metrics row from the shared fields (it may add its own). */
  metrics(base: EpochMetrics, train: EpochScore, val: V): M;
  /** The weights of the current model, saved for the best epoch. */
  checkpoint(m: M): Promise<Uint8Array>;
  /** Puts saved weights back into the model. */
  restore(bytes: Uint8Array): void;
  onCheckpoint?(bytes: Uint8Array, m: M): unknown;
  onEpoch?(m: M): unknown;
}

/** What the loop did: every epoch's metrics, the best epoch (its weights restored) and why it stopped. */
export interface EpochLoopResult<M> {
  history: M[];
  bestEpoch: number;
  stopReason: 'epochs' | 'early-stopping' | 'stopped';
  trainSeconds: number;
}

/**
 * The loop both of the app's tasks train with: train, validate, flag overfitting, checkpoint the
 * best validation loss, stop early after `patience` epochs without improvement, and leave the
 * best weights in the model.
 */
export async function runEpochs<M extends EpochMetrics, V extends EpochScore>(loop: EpochLoop<M, V>): Promise<EpochLoopResult<M>> {
  const history: M[] = [];
  let best: { loss: number; epoch: number; bytes: Uint8Array } | null = null;
  let stopReason: EpochLoopResult<M>['stopReason'] = 'epochs';
  const started = performance.now();
  for (let epoch = 1; epoch <= loop.epochs; epoch++) {
    const t0 = performance.now();
    const fitted = await loop.trainEpoch(epoch);
    if (fitted === null) {
      stopReason = 'stopped';
      break;
    }
    const val = await loop.validate();
    const isBest = best === null || val.loss < best.loss;
    const m = loop.metrics({
      epoch, trainLoss: fitted.loss, trainAcc: fitted.accuracy, valLoss: val.loss, valAcc: val.accuracy,
      seconds: (performance.now() - t0) / 1000, best: isBest, overfitting: null,
    }, fitted, val);
    m.overfitting = overfittingSignal([...history, m]);
    history.push(m);
    if (isBest) {
      best = { loss: val.loss, epoch, bytes: await loop.checkpoint(m) };
      await loop.onCheckpoint?.(best.bytes, m);
    }
    await loop.onEpoch?.(m);
    if (loop.patience > 0 && best && epoch - best.epoch >= loop.patience) {
      stopReason = 'early-stopping';
      break;
    }
  }
  const trainSeconds = (performance.now() - started) / 1000;
  if (best && best.epoch !== history.at(-1)?.epoch) loop.restore(best.bytes);
  return { history, bestEpoch: best?.epoch ?? 0, stopReason, trainSeconds };
}
