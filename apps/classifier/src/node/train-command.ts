import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lossAnatomy, type LossAnatomy } from '../lib/anatomy.js';
import { chooseBackend } from '../lib/backends.js';
import { resolveConfig, type TrainConfig } from '../lib/config.js';
import type { Splits } from '../lib/images.js';
import { topConfusions } from '../lib/metrics.js';
import { splitThreeWays, splitTrainVal } from '../lib/splits.js';
import { TrainingRun, type TrainResult } from '../lib/trainer.js';
import { historyChartSvg } from './chart.js';
import { loadEmbeddedDigits } from './embedded.js';
import { prepareOutDir, readCheckpointFile } from './files.js';
import { loadIdxFolder } from './idx-files.js';
import { DataFormatError } from '../lib/idx.js';
import type { CliOptions } from './options.js';
import { confusionTable, EpochTable, epochProgress, pct } from './report.js';
import { bold, dim, green, yellow } from './style.js';

const log = (s = ''): void => void process.stdout.write(`${s}\n`);

function loadSplits(dataDir: string | null, config: TrainConfig): Splits {
  if (!dataDir) return splitThreeWays(loadEmbeddedDigits(), config.split, config.seed);
  const folder = loadIdxFolder(dataDir);
  const splits = splitTrainVal(folder.train, folder.test, config.valFraction, config.seed, folder.name, folder.classNames);
  if (splits.train.count === 0 || splits.val.count === 0) {
    const n = folder.train.count;
    throw new DataFormatError(`${dataDir}: ${n} training image${n === 1 ? '' : 's'} cannot be split into training and ${config.valFraction * 100}% validation images that are both non-empty`);
  }
  return splits;
}

function describeTraining(c: TrainConfig): string {
  const opt = c.optimizer === 'adam' ? `adam lr ${c.lr}` : `sgd lr ${c.lr} momentum ${c.momentum}`;
  const stop = c.patience > 0 ? `early stopping after ${c.patience} epochs without a better validation loss` : 'no early stopping';
  return `${opt}, batch ${c.batchSize}, up to ${c.epochs} epochs, ${stop}, ${c.augment ? `random shifts ±${c.augmentShift}px` : 'no augmentation'}, seed ${c.seed}${c.freeze ? ', last layer only (--freeze)' : ''}`;
}

/** The loss of one test image taken apart: logits -> LogSoftmax -> NLLLoss = CrossEntropyLoss. */
function printAnatomy(a: LossAnatomy, classNames: readonly string[]): void {
  log(bold(`What the loss is made of (first test image, a ${classNames[a.label]}; the model says ${classNames[a.predicted]}):`));
  log(dim('  class     logit z   LogSoftmax = z - logsumexp(z)   softmax p'));
  a.logits.forEach((z, k) => {
    const line = `  ${classNames[k].slice(0, 6).padEnd(6)} ${z.toFixed(3).padStart(9)}   ${a.logSoftmax[k].toFixed(4).padStart(14)}${' '.repeat(17)}${(a.probabilities[k] * 100).toFixed(2).padStart(6)}%`;
    log(k === a.label ? bold(`${line}  <- true class`) : line);
  });
  log(`  logsumexp(z) = ${a.logSumExp.toFixed(4)}`);
  log(`  NLLLoss(LogSoftmax(z), y) = -(${a.logSoftmax[a.label].toFixed(4)}) = ${bold(a.nll.toFixed(6))}`);
  log(`  CrossEntropyLoss(z, y)                 = ${bold(a.crossEntropy.toFixed(6))}  ${dim('(the same number: CrossEntropyLoss is LogSoftmax + NLLLoss)')}`);
}

/** Runs `train` with parsed flags; returns the process exit code. */
export async function trainCommand(opts: CliOptions): Promise<number> {
  // Everything the user named is checked before the backend starts and training begins.
  const config = resolveConfig(opts.config);
  const resumeBytes = opts.resume ? readCheckpointFile(opts.resume) : undefined;
  const splits = loadSplits(opts.data, config);
  const outDir = prepareOutDir(opts.out);
  const { backend, reason } = await chooseBackend(opts.backend);
  const run = new TrainingRun(splits, config, resumeBytes);
  const checkpointPath = resolve(outDir, 'best.safetensors');

  log(bold('Logit digit classifier'));
  log(`  data      ${splits.name}: ${splits.train.count.toLocaleString('en-US')} train / ${splits.val.count.toLocaleString('en-US')} validation / ${splits.test.count.toLocaleString('en-US')} test`);
  log(`  model     ${run.model.describe()}${opts.resume ? `, resumed from ${opts.resume}` : ''}`);
  log(`  training  ${describeTraining(config)}`);
  log(`  backend   ${backend.name}${reason ? dim(` (${reason})`) : ''}`);
  log(`  loss      CrossEntropyLoss(logits, y) = NLLLoss(LogSoftmax(logits), y)`);
  if (backend.name === 'cpu' && !reason) log(dim('  tip: --backend wasm trains the same model about 6x faster'));
  log();

  const table = new EpochTable();
  const bar = opts.progress ? epochProgress(config.epochs) : null;
  const onInterrupt = (): void => {
    bar?.stop();
    log(`\nInterrupted. The best checkpoint so far is ${checkpointPath}`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  log(table.header());
  const result: TrainResult = await run.fit({
    onBatch: ({ epoch, batch, batches, loss }) => {
      if (batch === 1) bar?.start(epoch, batches);
      bar?.update(batch, loss);
    },
    onEpoch: (m) => {
      bar?.stop();
      log(table.row(m));
      if (m.overfitting) log(yellow(`  ⚠ epoch ${m.epoch}: the model may be overfitting: ${m.overfitting}`));
    },
    onCheckpoint: (bytes) => writeFileSync(checkpointPath, bytes),
  });
  bar?.stop();
  process.off('SIGINT', onInterrupt);
  log(table.footer());

  const last = result.history.at(-1);
  if (result.stopReason === 'early-stopping') {
    log(`Early stopping: no better validation loss for ${config.patience} epochs after epoch ${result.bestEpoch}; restored epoch ${result.bestEpoch}'s weights.`);
  } else if (last && result.bestEpoch !== last.epoch) {
    log(`Restored epoch ${result.bestEpoch}'s weights (lowest validation loss).`);
  }
  log();
  const { test } = result;
  const correct = Math.round(test.accuracy * test.labels.length);
  log(bold(`Test accuracy ${green(pct(test.accuracy))} (${correct}/${test.labels.length}), test loss ${test.loss.toFixed(4)}`) + dim(`  — training took ${result.trainSeconds.toFixed(1)} s on ${backend.name}`));
  log(confusionTable(result.confusion, splits.classNames));
  const mistakes = topConfusions(result.confusion, splits.classNames);
  if (mistakes.length) log(`Most frequent mistakes (true -> predicted): ${mistakes.join(', ')}`);
  log();

  const firstTest = new Float32Array(splits.test.rows * splits.test.cols).map((_, i) => splits.test.images[i] / 255);
  const anatomy = await lossAnatomy(run.model, firstTest, splits.test.labels[0]);
  printAnatomy(anatomy, splits.classNames);
  log();

  const metricsPath = resolve(outDir, 'metrics.json');
  const chartPath = resolve(outDir, 'chart.svg');
  const metrics = {
    dataset: splits.name,
    sizes: { train: splits.train.count, validation: splits.val.count, test: splits.test.count },
    backend: backend.name,
    model: run.model.describe(),
    config,
    history: result.history,
    bestEpoch: result.bestEpoch,
    stopReason: result.stopReason,
    trainSeconds: result.trainSeconds,
    test: { loss: test.loss, accuracy: test.accuracy },
    confusion: { classes: splits.classNames, rowsAreTrue: true, matrix: result.confusion },
    lossAnatomy: anatomy,
  };
  writeFileSync(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  writeFileSync(chartPath, await historyChartSvg(result.history, result.bestEpoch, `${run.model.describe()} on ${splits.name}`));
  log(`Wrote ${checkpointPath}`);
  log(`      ${metricsPath}`);
  log(`      ${chartPath}`);
  log(dim('Train in the browser with live charts: pnpm --filter classifier dev'));
  run.dispose();
  return 0;
}
