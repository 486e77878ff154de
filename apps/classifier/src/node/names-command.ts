import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chooseBackend } from '../lib/backends.js';
import { sequenceLossAnatomy } from '../lib/names/anatomy.js';
import { resolveNamesConfig } from '../lib/names/config.js';
import { splitNames } from '../lib/names/data.js';
import { NamesTrainingRun, type NamesEpochMetrics } from '../lib/names/trainer.js';
import { historyChartSvg } from './chart.js';
import { prepareOutDir, readCheckpointFile } from './files.js';
import { loadEmbeddedNames, NAME_PACKAGES } from './names-data.js';
import { anatomyBlock, describeNamesTraining, evaluationLine, NAMES_COLUMNS, samplesBlock } from './names-report.js';
import type { CliOptions } from './options.js';
import { EpochTable, epochProgress } from './report.js';
import { bold, dim, green, yellow } from './style.js';

const log = (s = ''): void => void process.stdout.write(`${s}\n`);
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Runs `train --task names` with parsed flags; returns the process exit code. The same
 * conventions as the digits task: progress bar, epoch table, early stopping with the best
 * weights restored, best.safetensors, metrics.json and chart.svg in --out.
 */
export async function namesCommand(opts: CliOptions): Promise<number> {
  // Everything the user named is checked before the backend starts and training begins.
  const config = resolveNamesConfig(opts.names);
  const resumeBytes = opts.resume ? readCheckpointFile(opts.resume) : undefined;
  const all = loadEmbeddedNames();
  const splits = splitNames(all, config.split, config.seed, `English first names (${NAME_PACKAGES.join(' + ')})`);
  const outDir = prepareOutDir(opts.out);
  const { name: backendName, reason } = await chooseBackend(opts.backend);
  const run = new NamesTrainingRun(splits, config, resumeBytes);
  const checkpointPath = resolve(outDir, 'best.safetensors');
  const baselineVal = await run.evaluate(splits.val, run.bigram);

  log(bold('Logit names generator'));
  log(`  data      ${splits.name}: ${count(all.length)} names -> ${count(splits.train.length)} train / ${count(splits.val.length)} validation / ${count(splits.test.length)} test`);
  log(`            ${splits.vocab.size} symbols ('${splits.vocab.symbols.join('')}', '.' starts and ends a name), context ${splits.blockSize}`);
  log(`  model     ${run.model.describe()}${opts.resume ? `, resumed from ${opts.resume}` : ''}`);
  log(`  training  ${describeNamesTraining(config)}`);
  log(`  backend   ${backendName}${reason ? dim(` (${reason})`) : ''}`);
  log(`  loss      CrossEntropyLoss(logits (N, C, T), targets (N, T), ignoreIndex -100): mean nats per character; perplexity = exp(loss)`);
  log(`  baseline  bigram (character counts + 1): validation ${evaluationLine(baselineVal)}`);
  log();

  const table = new EpochTable<NamesEpochMetrics>(NAMES_COLUMNS);
  const bar = opts.progress ? epochProgress(config.epochs) : null;
  const onInterrupt = (): void => {
    bar?.stop();
    log(`\nInterrupted. The best checkpoint so far is ${checkpointPath}`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  log(table.header());
  const result = await run.fit({
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
  const best = result.history.find((m) => m.epoch === result.bestEpoch);
  log();
  if (best) log(bold(`Validation ${green(evaluationLine({ loss: best.valLoss, perplexity: best.valPerplexity }))}`) + `   bigram baseline ${evaluationLine(result.baseline.val)}`);
  log(`Test       ${evaluationLine(result.test)}   bigram baseline ${evaluationLine(result.baseline.test)}` + dim(`  — training took ${result.trainSeconds.toFixed(1)} s on ${backendName}`));
  log();

  const samples = await run.sample({ seed: config.seed });
  for (const line of samplesBlock(samples, config)) log(line);
  log();
  const anatomy = await sequenceLossAnatomy(run.model, splits.vocab, splits.val[0], splits.blockSize);
  for (const line of anatomyBlock(anatomy, splits.vocab.size)) log(line);
  log();

  const metricsPath = resolve(outDir, 'metrics.json');
  const chartPath = resolve(outDir, 'chart.svg');
  const metrics = {
    task: 'names',
    dataset: splits.name,
    sizes: { names: all.length, train: splits.train.length, validation: splits.val.length, test: splits.test.length },
    vocabulary: splits.vocab.symbols.join(''),
    backend: backendName,
    model: run.model.describe(),
    config,
    history: result.history,
    bestEpoch: result.bestEpoch,
    stopReason: result.stopReason,
    trainSeconds: result.trainSeconds,
    test: result.test,
    baseline: { model: 'bigram, counts + 1', ...result.baseline },
    samples,
    lossAnatomy: anatomy,
  };
  writeFileSync(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  writeFileSync(chartPath, await historyChartSvg(result.history, result.bestEpoch, `${run.model.describe()} on ${splits.vocab.size}-symbol names`, {
    loss: 'CrossEntropyLoss (nats/char)',
    accuracy: 'next-character accuracy',
    note: `train: mean over the epoch; validation: eval mode, after the epoch; bigram baseline ${result.baseline.val.loss.toFixed(3)} nats/char`,
  }));
  log(`Wrote ${checkpointPath}`);
  log(`      ${metricsPath}`);
  log(`      ${chartPath}`);
  log(dim('Train in the browser with live charts and names: pnpm --filter classifier dev'));
  run.dispose();
  return 0;
}
