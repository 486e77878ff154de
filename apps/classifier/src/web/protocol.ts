import type { LossAnatomy } from '../lib/anatomy.js';
import type { BackendChoice } from '../lib/backends.js';
import type { TrainConfig } from '../lib/config.js';
import type { EpochMetrics } from '../lib/metrics.js';

/** Page -> worker. */
export type ToWorker =
  | { type: 'train'; backend: BackendChoice; config: Partial<TrainConfig>; /** Folder URL of the gzipped IDX digits. */ dataUrl: string }
  | { type: 'stop' }
  | { type: 'inspect'; index: number }
  | { type: 'predict'; pixels: Float32Array };

/** One validation image and its loss taken apart. */
export interface Inspection {
  index: number;
  image: Uint8Array;
  anatomy: LossAnatomy;
}

/** Worker -> page. */
export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'started'; backend: string; /** Why `auto` picked it; null when picked by name. */ reason: string | null; model: string; dataset: string; sizes: { train: number; val: number; test: number }; batches: number; epochs: number; classNames: readonly string[] }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'inspection'; inspection: Inspection }
  | { type: 'done'; testAccuracy: number; testLoss: number; bestEpoch: number; stopReason: string; trainSeconds: number; confusion: number[][] }
  | { type: 'prediction'; probabilities: number[] }
  | { type: 'error'; message: string };
