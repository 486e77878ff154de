/**
 * Trains the names task in a Web Worker: the same NamesTrainingRun as `pnpm train --task names`,
 * reporting every batch and epoch, sampling names as it trains (every SAMPLE_EVERY batches and
 * after each epoch) and taking one name's loss apart after each epoch.
 */
import { chooseBackend } from '../lib/backends.js';
import { sequenceLossAnatomy } from '../lib/names/anatomy.js';
import { resolveNamesConfig } from '../lib/names/config.js';
import { splitNames } from '../lib/names/data.js';
import { NamesTrainingRun } from '../lib/names/trainer.js';
import type { FromNamesWorker, ToNamesWorker } from './names-protocol.js';

const post = (m: FromNamesWorker): void => (self as unknown as Worker).postMessage(m);

/** Batches between live samples while training. */
const SAMPLE_EVERY = 50;

let names: Promise<string[]> | null = null;
let run: NamesTrainingRun | null = null;
let stopRequested = false;
let busy = false;
let temperature = 1;
let inspected = '';
let progress = 'before training';
/**
 * Sampling and inspecting switch the model to eval mode and back: never in the middle of a
 * training step. While training, a request waits for the next batch boundary (these flags);
 * otherwise requests run one at a time, in order (the queue).
 */
let sampleWanted = false;
let inspectWanted: string | null = null;
let queue: Promise<void> = Promise.resolve();
const serial = (job: () => Promise<void>): Promise<void> => (queue = queue.then(job, job));

function loadNames(url: string): Promise<string[]> {
  names ??= fetch(url).then(async (res) => {
    if (!res.ok) throw new Error(`could not load ${url} (HTTP ${res.status})`);
    return (await res.text()).split('\n').filter((n) => n !== '');
  });
  return names;
}

async function sample(): Promise<void> {
  if (!run) return;
  // a fixed seed: between two samples only the model (or the temperature) changed
  const samples = await run.sample({ seed: run.config.seed, temperature });
  post({ type: 'samples', samples, temperature, when: progress });
}

async function inspect(name: string): Promise<void> {
  if (!run) return;
  try {
    const anatomy = await sequenceLossAnatomy(run.model, run.splits.vocab, name, run.splits.blockSize);
    inspected = name;
    post({ type: 'anatomy', anatomy, vocabSize: run.splits.vocab.size });
  } catch (e) {
    post({ type: 'error', message: (e as Error).message, inspect: true });
  }
}

/** Lets queued messages (Stop, the slider) in between batches. */
const breathe = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function train(msg: Extract<ToNamesWorker, { type: 'train' }>): Promise<void> {
  busy = true;
  stopRequested = false;
  try {
    const config = resolveNamesConfig(msg.config);
    post({ type: 'status', text: msg.backend === 'auto' ? 'starting the fastest backend that works here…' : `starting the ${msg.backend} backend…` });
    const { name: backend, reason } = await chooseBackend(msg.backend);
    post({ type: 'status', text: 'loading the names…' });
    const all = await loadNames(msg.namesUrl);
    run?.dispose();
    const splits = splitNames(all, config.split, config.seed);
    run = new NamesTrainingRun(splits, config);
    const current = run;
    const baseline = await run.evaluate(splits.val, run.bigram);
    inspected = splits.val[0];
    progress = 'before training';
    post({
      type: 'started', backend, reason, model: run.model.describe(), epochs: config.epochs, baselineVal: baseline.loss, firstValName: inspected,
      sizes: { names: all.length, train: splits.train.length, val: splits.val.length, test: splits.test.length },
    });
    await serial(sample);
    await serial(() => inspect(inspected));
    const result = await current.fit({
      onBatch: async (p) => {
        post({ type: 'batch', ...p });
        if (p.batch % SAMPLE_EVERY === 0 || sampleWanted) {
          sampleWanted = false;
          progress = `epoch ${p.epoch}, batch ${p.batch} of ${p.batches}`;
          await serial(sample);
        }
        if (inspectWanted !== null) {
          const name = inspectWanted;
          inspectWanted = null;
          await serial(() => inspect(name));
        }
        if (p.batch % 4 === 0) await breathe();
      },
      onEpoch: async (metrics) => {
        post({ type: 'epoch', metrics });
        progress = `after epoch ${metrics.epoch}`;
        await serial(sample);
        await serial(() => inspect(inspected));
      },
      shouldStop: () => stopRequested,
    });
    progress = `the best epoch's weights (${result.bestEpoch})`;
    await serial(sample);
    await serial(() => inspect(inspected));
    post({
      type: 'done', testLoss: result.test.loss, baselineTest: result.baseline.test.loss, bestEpoch: result.bestEpoch,
      stopReason: result.stopReason, trainSeconds: result.trainSeconds,
    });
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  } finally {
    busy = false;
  }
}

self.onmessage = (ev: MessageEvent<ToNamesWorker>) => {
  const msg = ev.data;
  const fail = (e: unknown): void => post({ type: 'error', message: (e as Error).message });
  switch (msg.type) {
    case 'train':
      if (!busy) void train(msg);
      break;
    case 'stop':
      stopRequested = true;
      break;
    case 'sample':
      temperature = msg.temperature;
      if (busy) sampleWanted = true;
      else serial(sample).catch(fail);
      break;
    case 'inspect': {
      const name = msg.name.trim().toLowerCase();
      if (busy) inspectWanted = name;
      else serial(() => inspect(name)).catch(fail);
      break;
    }
  }
};
