/**
 * A port of pytorch/examples' word_language_model (main.py) to Logit: an RNN/LSTM/GRU language
 * model trained with truncated backpropagation through time, gradient-norm clipping and a plain
 * SGD update, the learning rate divided by 4 whenever validation loss stops improving, and the
 * best model saved (safetensors) and evaluated on the test split.
 *
 *   pnpm --filter @logit/examples word-lm -- --epochs 6 --tied
 *   pnpm --filter @logit/examples word-lm -- --model GRU --backend wasm --dry-run
 *
 * The default corpus is data/logit-docs: this repository's own documentation (make-corpus.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { io, manualSeed, memory, nn, noGrad, setBackend, tidy, type Tensor } from '@logit/core';
import { batchify, Corpus, getBatch } from './data.js';
import { RNNModel, type Hidden, type RnnType } from './model.js';

const OPTIONS = {
  data: { type: 'string', default: join(import.meta.dirname, 'data', 'logit-docs') },
  model: { type: 'string', default: 'LSTM' },
  emsize: { type: 'string', default: '200' },
  nhid: { type: 'string', default: '200' },
  nlayers: { type: 'string', default: '2' },
  lr: { type: 'string', default: '20' },
  clip: { type: 'string', default: '0.25' },
  epochs: { type: 'string', default: '40' },
  batch_size: { type: 'string', default: '20' },
  bptt: { type: 'string', default: '35' },
  dropout: { type: 'string', default: '0.2' },
  tied: { type: 'boolean', default: false },
  seed: { type: 'string', default: '1111' },
  'log-interval': { type: 'string', default: '200' },
  save: { type: 'string', default: 'model.safetensors' },
  'dry-run': { type: 'boolean', default: false },
  backend: { type: 'string', default: 'cpu' },
} as const;

export interface RunResult {
  ntokens: number;
  /** The loss of every training batch, in order. */
  trainLosses: number[];
  valLosses: number[];
  testLoss: number;
  /** memory().storages after each training batch: flat when nothing leaks. */
  liveStorages: number[];
}

/** detach() of the state, so backward stops at the start of the next window (repackage_hidden). */
function repackageHidden(h: Hidden): Hidden {
  return Array.isArray(h) ? [h[0].detach(), h[1].detach()] : h.detach();
}

const disposeHidden = (h: Hidden): void => (Array.isArray(h) ? h.forEach((t) => t.dispose()) : h.dispose());

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<RunResult> {
  const { values: args } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const num = (k: keyof typeof OPTIONS): number => Number(args[k]);
  if (args.backend === 'wasm') setBackend(await (await import('@logit/backend-wasm')).createBackend());
  else setBackend(await (await import('@logit/backend-cpu')).createBackend());
  manualSeed(num('seed'));

  const corpus = new Corpus(args.data);
  const evalBatchSize = 10;
  const bsz = num('batch_size');
  const bptt = num('bptt');
  const clip = num('clip');
  const [trainData, valData, testData] = tidy(() => [batchify(corpus.train, bsz), batchify(corpus.valid, evalBatchSize), batchify(corpus.test, evalBatchSize)]);

  const ntokens = corpus.dictionary.length;
  const model = new RNNModel(args.model as RnnType, ntokens, num('emsize'), num('nhid'), num('nlayers'), { dropout: num('dropout'), tieWeights: args.tied });
  const criterion = new nn.NLLLoss();
  const result: RunResult = { ntokens, trainLosses: [], valLosses: [], testLoss: NaN, liveStorages: [] };
  let lr = num('lr');

  const train = async (epoch: number): Promise<void> => {
    model.train();
    let totalLoss = 0;
    let start = performance.now();
    let hidden = model.initHidden(bsz);
    const batches = Math.ceil((trainData.shape[0] - 1) / bptt);
    for (let batch = 0, i = 0; i < trainData.shape[0] - 1; batch++, i += bptt) {
      const prev = hidden;
      const { loss, next } = tidy(() => {
        const { data, target } = getBatch(trainData, i, bptt);
        // Starting each batch, we detach the hidden state from how it was previously produced.
        // If we didn't, the model would try backpropagating all the way to start of the dataset.
        model.zeroGrad();
        const [output, next] = model.forward(data, repackageHidden(prev));
        const loss = criterion.forward(output, target);
        loss.backward();
        // clipGradNorm_ helps prevent the exploding gradient problem in RNNs / LSTMs.
        nn.utils.clipGradNorm_(model.parameters(), clip);
        noGrad(() => {
          for (const p of model.parameters()) p.sub_(p.grad!.mul(lr));
        });
        return { loss, next };
      });
      disposeHidden(prev);
      hidden = next;
      const value = await loss.item();
      loss.dispose();
      result.trainLosses.push(value);
      result.liveStorages.push(memory().storages);
      totalLoss += value;
      const interval = num('log-interval');
      if (batch % interval === 0 && batch > 0) {
        const curLoss = totalLoss / interval;
        const ms = (performance.now() - start) / interval;
        log(`| epoch ${String(epoch).padStart(3)} | ${String(batch).padStart(5)}/${String(batches).padStart(5)} batches | lr ${lr.toFixed(2).padStart(5)} | ms/batch ${ms.toFixed(2).padStart(5)} | loss ${curLoss.toFixed(2).padStart(5)} | ppl ${Math.exp(curLoss).toFixed(2).padStart(8)}`);
        totalLoss = 0;
        start = performance.now();
      }
      if (args['dry-run']) break;
    }
    disposeHidden(hidden);
  };

  const evaluate = async (source: Tensor): Promise<number> => {
    model.eval();
    let totalLoss = 0;
    let hidden = model.initHidden(evalBatchSize);
    for (let i = 0; i < source.shape[0] - 1; i += bptt) {
      const prev = hidden;
      const { loss, next } = noGrad(() => tidy(() => {
        const { data, target } = getBatch(source, i, bptt);
        const [output, next] = model.forward(data, prev);
        return { loss: criterion.forward(output, target).mul(data.shape[0]), next };
      }));
      disposeHidden(prev);
      hidden = next;
      totalLoss += await loss.item();
      loss.dispose();
    }
    disposeHidden(hidden);
    return totalLoss / (source.shape[0] - 1);
  };

  let bestVal: number | null = null;
  for (let epoch = 1; epoch <= num('epochs'); epoch++) {
    const epochStart = performance.now();
    await train(epoch);
    const valLoss = await evaluate(valData);
    result.valLosses.push(valLoss);
    log('-'.repeat(89));
    log(`| end of epoch ${String(epoch).padStart(3)} | time: ${((performance.now() - epochStart) / 1000).toFixed(2).padStart(5)}s | valid loss ${valLoss.toFixed(2).padStart(5)} | valid ppl ${Math.exp(valLoss).toFixed(2).padStart(8)}`);
    log('-'.repeat(89));
    // Save the model if the validation loss is the best we've seen so far.
    if (bestVal === null || valLoss < bestVal) {
      const state = model.stateDict();
      writeFileSync(args.save, await io.save(state));
      Object.values(state).forEach((t) => t.dispose());
      bestVal = valLoss;
    } else {
      // Anneal the learning rate if no improvement has been seen in the validation dataset.
      lr /= 4;
    }
  }

  // Load the best saved model and run it on the test data.
  tidy(() => model.loadStateDict(io.load(readFileSync(args.save))));
  result.testLoss = await evaluate(testData);
  log('='.repeat(89));
  log(`| End of training | test loss ${result.testLoss.toFixed(2).padStart(5)} | test ppl ${Math.exp(result.testLoss).toFixed(2).padStart(8)}`);
  log('='.repeat(89));

  for (const t of [trainData, valData, testData, corpus.train, corpus.valid, corpus.test]) t.dispose();
  for (const p of model.parameters()) p.dispose();
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
