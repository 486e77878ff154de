/**
 * Trains the nanoGPT-style character model on first names and samples new ones: nanoGPT's
 * `train.py` (shakespeare_char settings scaled down for a CPU) as a Logit program.
 *
 *   pnpm --filter @logit/examples nanogpt                       # wasm, about a minute on 2 cores
 *   pnpm --filter @logit/examples nanogpt --backend cpu --max-iters 500 --out names.safetensors
 *   pnpm --filter @logit/examples nanogpt --help
 */
import { Command, Option } from 'commander';
import { full, io, manualSeed, noGrad, tidy, type Tensor } from '@logit/core';
import { BACKENDS, releaseBackend, useBackend, type BackendName } from '../common/backend.js';
import { integer, isMain, number } from '../common/cli.js';
import { getBatch, namesCorpus, trainValSplit } from './data.js';
import { GPT, type GPTConfig } from './model.js';
import { trainStep, warmupCosine } from './training.js';

/** Everything `train.ts` can be told, with nanoGPT's names in camelCase. */
export interface TrainArgs extends Omit<GPTConfig, 'vocabSize'> {
  backend: BackendName;
  batchSize: number;
  learningRate: number;
  maxIters: number;
  warmupIters: number;
  /** Where the cosine reaches minLr; defaults to maxIters. */
  lrDecayIters: number | null;
  minLr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  gradClip: number;
  evalInterval: number;
  evalIters: number;
  logInterval: number;
  seed: number;
  /** Checkpoint (safetensors; the config in its metadata), written at the end. */
  out: string | null;
  /** Names sampled at the end, and how. */
  samples: number;
  temperature: number;
  topK: number | null;
}

const positive = number((n) => n > 0, 'a positive number');
const probability = number((n) => n >= 0 && n < 1, 'a number in [0, 1)');

/** The command line, with defaults sized for about a minute on wasm. */
export function buildProgram(): Command {
  return new Command('nanogpt')
    .description('Train a nanoGPT-style character model on English first names, then sample new names.')
    .addOption(new Option('--backend <name>', 'compute backend').choices(BACKENDS).default('wasm'))
    .addOption(new Option('--batch-size <n>', 'sequences per step').argParser(integer(1)).default(32))
    .addOption(new Option('--block-size <n>', 'context length in characters').argParser(integer(1)).default(16))
    .addOption(new Option('--n-layer <n>', 'transformer blocks').argParser(integer(1)).default(2))
    .addOption(new Option('--n-head <n>', 'attention heads').argParser(integer(1)).default(4))
    .addOption(new Option('--n-embd <n>', 'embedding width (a multiple of --n-head)').argParser(integer(1)).default(64))
    .addOption(new Option('--dropout <p>', 'dropout probability').argParser(probability).default(0))
    .addOption(new Option('--no-bias', 'no biases in Linear and LayerNorm layers'))
    .addOption(new Option('--learning-rate <lr>', 'peak learning rate').argParser(positive).default(1e-2))
    .addOption(new Option('--max-iters <n>', 'training steps').argParser(integer(1)).default(1000))
    .addOption(new Option('--warmup-iters <n>', 'steps of linear warm-up').argParser(integer(1)).default(50))
    .addOption(new Option('--lr-decay-iters <n>', 'step at which the cosine reaches --min-lr (default: --max-iters)').argParser(integer(1)))
    .addOption(new Option('--min-lr <lr>', 'learning rate at the end of the decay').argParser(number((n) => n >= 0, 'a number >= 0')).default(1e-3))
    .addOption(new Option('--weight-decay <wd>', 'AdamW weight decay of the 2-D parameters').argParser(number((n) => n >= 0, 'a number >= 0')).default(0.1))
    .addOption(new Option('--beta1 <b>', 'AdamW beta1').argParser(probability).default(0.9))
    .addOption(new Option('--beta2 <b>', 'AdamW beta2').argParser(probability).default(0.99))
    .addOption(new Option('--grad-clip <norm>', 'clip the gradients\' total norm to this (0: off)').argParser(number((n) => n >= 0, 'a number >= 0')).default(1))
    .addOption(new Option('--eval-interval <n>', 'estimate train and val loss every n steps').argParser(integer(1)).default(250))
    .addOption(new Option('--eval-iters <n>', 'batches per loss estimate').argParser(integer(1)).default(20))
    .addOption(new Option('--log-interval <n>', 'print the loss every n steps').argParser(integer(1)).default(50))
    .addOption(new Option('--seed <n>', 'random seed (initial weights, batches, sampling)').argParser(integer(0)).default(1337))
    .addOption(new Option('--out <file>', 'write the trained weights here (.safetensors, PyTorch\'s names)'))
    .addOption(new Option('--samples <n>', 'names to sample at the end').argParser(integer(0)).default(10))
    .addOption(new Option('--temperature <t>', 'sampling temperature').argParser(positive).default(0.8))
    .addOption(new Option('--top-k <k>', 'sample among the k most likely characters').argParser(integer(1)))
    .showHelpAfterError()
    .allowExcessArguments(false);
}

/** Parses argv (without node and the script) into TrainArgs. */
export function parseArgs(argv: readonly string[], program = buildProgram().exitOverride()): TrainArgs {
  const o = program.parse(argv as string[], { from: 'user' }).opts();
  return {
    ...(o as Omit<TrainArgs, 'out' | 'topK' | 'lrDecayIters'>),
    out: o.out ?? null,
    topK: o.topK ?? null,
    lrDecayIters: o.lrDecayIters ?? null,
  };
}

/** What a run leaves, for callers and tests. */
export interface TrainResult {
  model: GPT;
  /** The loss of every training step. */
  losses: number[];
  /** The last estimate of the validation loss. */
  valLoss: number;
  /** The sampled names. */
  names: string[];
}

/** nanoGPT's `estimate_loss`: the mean loss over evalIters batches of a split, in eval mode. */
async function estimateLoss(model: GPT, data: Tensor, a: TrainArgs): Promise<number> {
  model.eval();
  const mean = noGrad(() => tidy(() => {
    let sum: Tensor = full([], 0);
    for (let k = 0; k < a.evalIters; k++) {
      const { x, y } = getBatch(data, a.batchSize, a.blockSize);
      sum = sum.add(model.forward(x, y).loss!);
    }
    return sum.div(a.evalIters);
  }));
  model.train();
  const value = await mean.item();
  mean.dispose();
  return value;
}

/** Trains, evaluates, samples and (with --out) saves; `log` gets every line printed. */
export async function train(a: TrainArgs, log: (line: string) => void = console.log): Promise<TrainResult> {
  manualSeed(a.seed);
  const corpus = namesCorpus();
  const { train: trainData, val: valData } = trainValSplit(corpus);
  const config: GPTConfig = {
    blockSize: a.blockSize, vocabSize: corpus.chars.length, nLayer: a.nLayer, nHead: a.nHead, nEmbd: a.nEmbd, dropout: a.dropout, bias: a.bias,
  };
  const model = new GPT(config);
  log(`${corpus.train.length.toLocaleString('en-US')} + ${corpus.val.length.toLocaleString('en-US')} characters (train + val), vocabulary of ${corpus.chars.length}; ` +
    `${(model.numParams() / 1e3).toFixed(1)}K parameters (${a.nLayer} layers, ${a.nHead} heads, ${a.nEmbd} wide)`);
  const opt = model.configureOptimizers(a.weightDecay, a.learningRate, [a.beta1, a.beta2]);
  const lrDecayIters = a.lrDecayIters ?? a.maxIters;
  const sched = warmupCosine(opt, { warmupIters: Math.min(a.warmupIters, lrDecayIters - 1), lrDecayIters, minLr: a.minLr });

  const losses: number[] = [];
  let valLoss = NaN;
  let t0 = performance.now();
  let lastLog = -1;
  for (let iter = 0; iter < a.maxIters; iter++) {
    if (iter > 0 && iter % a.evalInterval === 0) {
      valLoss = await estimateLoss(model, valData, a);
      log(`step ${iter}: train loss ${(await estimateLoss(model, trainData, a)).toFixed(4)}, val loss ${valLoss.toFixed(4)}`);
    }
    const { x, y } = getBatch(trainData, a.batchSize, a.blockSize);
    const { loss, gradNorm } = trainStep(model, opt, x, y, a.gradClip);
    sched.step();
    losses.push(await loss.item());
    for (const t of [x, y, loss, gradNorm]) t?.dispose();
    if (iter % a.logInterval === 0 || iter === a.maxIters - 1) {
      const ms = (performance.now() - t0) / (iter - lastLog);
      log(`iter ${iter}: loss ${losses[iter].toFixed(4)}, time ${ms.toFixed(1)}ms per step`);
      [t0, lastLog] = [performance.now(), iter];
    }
  }
  valLoss = await estimateLoss(model, valData, a);
  log(`after ${a.maxIters} steps: val loss ${valLoss.toFixed(4)}`);

  // every name starts after a newline; 8 characters more than the longest name seen is plenty
  const names: string[] = [];
  if (a.samples > 0) {
    model.eval();
    const start = full([a.samples, 1], corpus.chars.indexOf('\n'), { dtype: 'int32' });
    const out = model.generate(start, 24, { temperature: a.temperature, topK: a.topK });
    for (const row of (await out.tolist()) as number[][]) names.push(corpus.decode(row.slice(1)).split('\n')[0]);
    start.dispose();
    out.dispose();
    log(`samples (temperature ${a.temperature}${a.topK ? `, top-${a.topK}` : ''}): ${names.join(', ')}`);
  }
  if (a.out) {
    // nanoGPT's checkpoint keeps model_args next to the weights; here they go into the file's metadata
    const state = model.stateDict();
    await io.saveFile(a.out, state, { metadata: { config: JSON.stringify(config), chars: corpus.chars.join('') } });
    for (const t of Object.values(state)) t.dispose();
    log(`wrote ${a.out} (the state dict under PyTorch's names; the config in its metadata)`);
  }
  trainData.dispose();
  valData.dispose();
  return { model, losses, valLoss, names };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), buildProgram());
  const backend = await useBackend(args.backend);
  console.log(`backend ${args.backend}`);
  await train(args);
  releaseBackend(backend);
}
