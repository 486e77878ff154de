/**
 * pytorch/examples' `mnist/main.py` in Logit: the same Net, Adadelta with StepLR, the same flags
 * and the same log lines.
 *
 *   pnpm --filter @logit/examples mnist                      # 14 epochs on wasm
 *   pnpm --filter @logit/examples mnist --epochs 1 --backend cpu --save-model
 *   pnpm --filter @logit/examples mnist --help
 */
import { Command, Option } from 'commander';
import { data, io, manualSeed, nn, noGrad, optim, tidy, type Tensor } from '@logit/core';
import { BACKENDS, releaseBackend, useBackend, type BackendName } from '../common/backend.js';
import { integer, isMain, number } from '../common/cli.js';
import { loadMnist, mnistDataset, type DigitArrays } from './data.js';

const F = nn.functional;

/** The network of main.py: two 3x3 convolutions, max pooling, dropout, two Linear layers, log-softmax. */
export class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, { stride: 1 });
  conv2 = new nn.Conv2d(32, 64, 3, { stride: 1 });
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  /** x (N, 1, 28, 28) -> log-probabilities (N, 10). */
  forward(x: Tensor): Tensor {
    x = F.relu(this.conv1.forward(x));
    x = F.relu(this.conv2.forward(x));
    x = F.maxPool2d(x, 2);
    x = this.dropout1.forward(x);
    x = x.flatten(1);
    x = F.relu(this.fc1.forward(x));
    x = this.dropout2.forward(x);
    return F.logSoftmax(this.fc2.forward(x), 1);
  }
}

/** main.py's arguments, camelCased, plus the backend. */
export interface Args {
  batchSize: number;
  testBatchSize: number;
  epochs: number;
  lr: number;
  gamma: number;
  dryRun: boolean;
  seed: number;
  logInterval: number;
  saveModel: boolean;
  backend: BackendName;
}

/** main.py's argparse flags, with its defaults. */
export function buildProgram(): Command {
  return new Command('mnist')
    .description('Logit MNIST Example (pytorch/examples mnist/main.py)')
    .addOption(new Option('--batch-size <N>', 'input batch size for training').argParser(integer(1)).default(64))
    .addOption(new Option('--test-batch-size <N>', 'input batch size for testing').argParser(integer(1)).default(1000))
    .addOption(new Option('--epochs <N>', 'number of epochs to train').argParser(integer(1)).default(14))
    .addOption(new Option('--lr <LR>', 'learning rate').argParser(number((n) => n > 0, 'a positive number')).default(1.0))
    .addOption(new Option('--gamma <M>', 'learning rate step gamma').argParser(number((n) => n > 0, 'a positive number')).default(0.7))
    .addOption(new Option('--dry-run', 'quickly check a single pass').default(false))
    .addOption(new Option('--seed <S>', 'random seed').argParser(integer(0)).default(1))
    .addOption(new Option('--log-interval <N>', 'how many batches to wait before logging training status').argParser(integer(1)).default(10))
    .addOption(new Option('--save-model', 'for saving the current model').default(false))
    .addOption(new Option('--backend <name>', 'compute backend').choices(BACKENDS).default('wasm'))
    .showHelpAfterError()
    .allowExcessArguments(false);
}

export function parseArgs(argv: readonly string[], program = buildProgram().exitOverride()): Args {
  return program.parse(argv as string[], { from: 'user' }).opts<Args>();
}

/** One epoch of training, logging like main.py; returns the logged losses. */
export async function train(args: Args, model: Net, loader: data.DataLoader, optimizer: optim.Optimizer, epoch: number, log: (s: string) => void): Promise<number[]> {
  model.train();
  const logged: number[] = [];
  const size = loader.dataset.length;
  let batchIdx = 0;
  for (const [x, target] of loader) {
    const loss = tidy(() => {
      optimizer.zeroGrad();
      const loss = F.nllLoss(model.forward(x), target);
      loss.backward();
      optimizer.step();
      return loss;
    });
    const batch = x.shape[0];
    x.dispose();
    target.dispose();
    if (batchIdx % args.logInterval === 0) {
      const value = await loss.item();
      logged.push(value);
      const seen = batchIdx * batch;
      log(`Train Epoch: ${epoch} [${seen}/${size} (${((100 * batchIdx) / loader.length).toFixed(0)}%)]\tLoss: ${value.toFixed(6)}`);
      if (args.dryRun) {
        loss.dispose();
        break;
      }
    }
    loss.dispose();
    batchIdx++;
  }
  return logged;
}

/** The test loop: summed NLL (reduction 'sum') and the number of correct predictions. */
export async function test(model: Net, loader: data.DataLoader, log: (s: string) => void): Promise<{ loss: number; correct: number }> {
  model.eval();
  let testLoss = 0;
  let correct = 0;
  for (const [x, target] of loader) {
    const [loss, right] = noGrad(() => tidy(() => {
      const output = model.forward(x);
      const pred = output.argmax(1, true);
      return [F.nllLoss(output, target, { reduction: 'sum' }), pred.eq(target.view(pred.shape)).sum()];
    }));
    testLoss += await loss.item();
    correct += await right.item();
    for (const t of [x, target, loss, right]) t.dispose();
  }
  const n = loader.dataset.length;
  testLoss /= n;
  log(`\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${n} (${((100 * correct) / n).toFixed(0)}%)\n`);
  return { loss: testLoss, correct };
}

/** main.py's main(): train for `epochs` with Adadelta, the learning rate times gamma after each. */
export async function main(args: Args, digits: { train: DigitArrays; test: DigitArrays } = loadMnist(), log: (s: string) => void = console.log): Promise<{ model: Net; tests: { loss: number; correct: number }[] }> {
  manualSeed(args.seed);
  const trainSet = mnistDataset(digits.train);
  const testSet = mnistDataset(digits.test);
  const trainLoader = new data.DataLoader(trainSet, { batchSize: args.batchSize, shuffle: true });
  const testLoader = new data.DataLoader(testSet, { batchSize: args.testBatchSize });

  const model = new Net();
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });
  const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: args.gamma });
  const tests = [];
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    await train(args, model, trainLoader, optimizer, epoch, log);
    tests.push(await test(model, testLoader, log));
    scheduler.step();
  }
  if (args.saveModel) {
    const state = model.stateDict();
    await io.saveFile('mnist_cnn.safetensors', state);
    for (const t of Object.values(state)) t.dispose();
  }
  for (const t of [...trainSet.tensors, ...testSet.tensors]) t.dispose();
  return { model, tests };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), buildProgram());
  const backend = await useBackend(args.backend);
  await main(args);
  releaseBackend(backend);
}
