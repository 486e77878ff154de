/**
 * Trains in a Web Worker so the page stays responsive: the same TrainingRun as the Node CLI, fed
 * the embedded digits (fetched as gzipped IDX files), reporting every batch and epoch by message.
 */
import { lossAnatomy, predictProbabilities } from '../lib/anatomy.js';
import { chooseBackend } from '../lib/backends.js';
import { resolveConfig } from '../lib/config.js';
import { imageSetFromIdx, parseIdx } from '../lib/idx.js';
import type { ImageSet, Splits } from '../lib/images.js';
import { splitThreeWays } from '../lib/splits.js';
import { TrainingRun } from '../lib/trainer.js';
import type { FromWorker, ToWorker } from './protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

let digits: Promise<ImageSet> | null = null;
let run: TrainingRun | null = null;
let splits: Splits | null = null;
let stopRequested = false;
let busy = false;
let inspected = 0;

async function fetchIdx(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url.href} (HTTP ${res.status})`);
  let bytes = new Uint8Array(await res.arrayBuffer());
  // Some servers decode .gz themselves (Content-Encoding); otherwise the bytes still start 1f 8b.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  }
  return bytes;
}

function loadDigits(dataUrl: string): Promise<ImageSet> {
  digits ??= (async () => {
    const [images, labels] = await Promise.all([
      fetchIdx(new URL('mnist-images-idx3-ubyte.gz', dataUrl)),
      fetchIdx(new URL('mnist-labels-idx1-ubyte.gz', dataUrl)),
    ]);
    return imageSetFromIdx(parseIdx(images, 'mnist images'), parseIdx(labels, 'mnist labels'), { images: 'mnist images', labels: 'mnist labels' });
  })();
  return digits;
}

async function inspect(index: number): Promise<void> {
  if (!run || !splits) return;
  const { val } = splits;
  const i = ((index % val.count) + val.count) % val.count;
  inspected = i;
  const size = val.rows * val.cols;
  const image = val.images.slice(i * size, (i + 1) * size);
  const anatomy = await lossAnatomy(run.model, Float32Array.from(image, (b) => b / 255), val.labels[i]);
  post({ type: 'inspection', inspection: { index: i, image, anatomy } });
}

/** Lets queued messages (Stop, a drawn digit) in between batches. */
const breathe = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function train(msg: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  busy = true;
  stopRequested = false;
  try {
    const config = resolveConfig(msg.config);
    post({ type: 'status', text: msg.backend === 'auto' ? 'starting the fastest backend that works here…' : `starting the ${msg.backend} backend…` });
    const { backend, reason } = await chooseBackend(msg.backend);
    post({ type: 'status', text: 'loading the digits…' });
    const all = await loadDigits(msg.dataUrl);
    run?.dispose();
    splits = splitThreeWays(all, config.split, config.seed);
    run = new TrainingRun(splits, config);
    post({
      type: 'started', backend: backend.name, reason, model: run.model.describe(), dataset: splits.name,
      sizes: { train: splits.train.count, val: splits.val.count, test: splits.test.count },
      batches: run.batchesPerEpoch, epochs: config.epochs, classNames: splits.classNames,
    });
    await inspect(inspected);
    const result = await run.fit({
      onBatch: async (p) => {
        post({ type: 'batch', ...p });
        if (p.batch % 4 === 0) await breathe();
      },
      onEpoch: async (metrics) => {
        post({ type: 'epoch', metrics });
        await inspect(inspected);
      },
      shouldStop: () => stopRequested,
    });
    await inspect(inspected);
    post({
      type: 'done', testAccuracy: result.test.accuracy, testLoss: result.test.loss, bestEpoch: result.bestEpoch,
      stopReason: result.stopReason, trainSeconds: result.trainSeconds, confusion: result.confusion,
    });
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  } finally {
    busy = false;
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  const fail = (e: unknown): void => post({ type: 'error', message: (e as Error).message });
  switch (msg.type) {
    case 'train':
      if (!busy) void train(msg);
      break;
    case 'stop':
      stopRequested = true;
      break;
    case 'inspect':
      inspect(msg.index).catch(fail);
      break;
    case 'predict':
      if (run) predictProbabilities(run.model, msg.pixels).then((probabilities) => post({ type: 'prediction', probabilities }), fail);
      break;
  }
};
