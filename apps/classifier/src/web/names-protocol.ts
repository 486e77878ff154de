import type { BackendChoice } from '../lib/backends.js';
import type { SequenceLossAnatomy } from '../lib/names/anatomy.js';
import type { NamesConfig } from '../lib/names/config.js';
import type { SampledName } from '../lib/names/sample.js';
import type { NamesEpochMetrics } from '../lib/names/trainer.js';

/** Page -> names worker. */
export type ToNamesWorker =
  | { type: 'train'; backend: BackendChoice; config: Partial<NamesConfig>; /** URL of the name list, one a line. */ namesUrl: string }
  | { type: 'stop' }
  /** Sample names now, at this temperature (the slider). */
  | { type: 'sample'; temperature: number }
  /** Take the loss of this name apart (a validation name by default). */
  | { type: 'inspect'; name: string };

/** Names worker -> page. */
export type FromNamesWorker =
  | { type: 'status'; text: string }
  | { type: 'started'; backend: string; reason: string | null; model: string; sizes: { names: number; train: number; val: number; test: number }; epochs: number; baselineVal: number; firstValName: string }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'epoch'; metrics: NamesEpochMetrics }
  | { type: 'samples'; samples: SampledName[]; temperature: number; /** Where in training they were drawn, e.g. "epoch 2, batch 100". */ when: string }
  | { type: 'anatomy'; anatomy: SequenceLossAnatomy; vocabSize: number }
  | { type: 'done'; testLoss: number; baselineTest: number; bestEpoch: number; stopReason: string; trainSeconds: number }
  | { type: 'error'; message: string; /** The inspect box's name was refused; training goes on. */ inspect?: boolean };
