/**
 * A SegNet-style convolutional autoencoder on the MNIST digits: the encoder's max pooling keeps
 * where each maximum was (`returnIndices`), and the decoder's `MaxUnpool2d` puts the values back
 * at those positions before each decoding convolution: the usual PyTorch pairing of
 * `nn.MaxPool2d(2, return_indices=True)` with `nn.MaxUnpool2d(2)`. It learns to reconstruct the
 * digits (mean squared error on pixels in 0..1) with Adam.
 *
 *   pnpm --filter @logit/examples unpool-autoencoder                 # 2 epochs on wasm
 *   pnpm --filter @logit/examples unpool-autoencoder --epochs 1 --backend cpu
 */
import { Command, Option } from 'commander';
import { data, manualSeed, nn, noGrad, optim, tensor, tidy, type Tensor } from '@logit/core';
import { BACKENDS, releaseBackend, useBackend, type BackendName } from '../common/backend.js';
import { integer, isMain, number } from '../common/cli.js';
import { loadMnist, type DigitArrays } from '../mnist/data.js';

const F = nn.functional;

/** conv 1->8, pool (indices kept), conv 8->16, pool; unpool, conv 16->8, unpool, conv 8->1, sigmoid. */
export class AutoEncoder extends nn.Module {
  enc1 = new nn.Conv2d(1, 8, 3, { padding: 1 });
  enc2 = new nn.Conv2d(8, 16, 3, { padding: 1 });
  pool = new nn.MaxPool2d(2, { returnIndices: true });
  unpool = new nn.MaxUnpool2d(2);
  dec2 = new nn.Conv2d(16, 8, 3, { padding: 1 });
  dec1 = new nn.Conv2d(8, 1, 3, { padding: 1 });

  /** x (N, 1, 28, 28) in 0..1 -> its reconstruction, the same shape. */
  forward(x: Tensor): Tensor {
    const [p1, where1] = this.pool.forward(F.relu(this.enc1.forward(x)));    // (N, 8, 14, 14)
    const [p2, where2] = this.pool.forward(F.relu(this.enc2.forward(p1)));   // (N, 16, 7, 7)
    const u2 = this.unpool.forward(p2, where2);                               // (N, 16, 14, 14)
    const u1 = this.unpool.forward(F.relu(this.dec2.forward(u2)), where1);    // (N, 8, 28, 28)
    return F.sigmoid(this.dec1.forward(u1));
  }
}

export interface Args {
  batchSize: number;
  epochs: number;
  lr: number;
  seed: number;
  limit: number;
  logInterval: number;
  backend: BackendName;
}

export function buildProgram(): Command {
  return new Command('unpool-autoencoder')
    .description('A convolutional autoencoder whose decoder unpools at the encoder\'s max-pooling indices')
    .addOption(new Option('--batch-size <N>', 'input batch size').argParser(integer(1)).default(64))
    .addOption(new Option('--epochs <N>', 'number of epochs to train').argParser(integer(1)).default(2))
    .addOption(new Option('--lr <LR>', 'Adam learning rate').argParser(number((n) => n > 0, 'a positive number')).default(3e-3))
    .addOption(new Option('--seed <S>', 'random seed').argParser(integer(0)).default(1))
    .addOption(new Option('--limit <N>', 'train on the first N training digits (0: all)').argParser(integer(0)).default(0))
    .addOption(new Option('--log-interval <N>', 'batches between log lines').argParser(integer(1)).default(20))
    .addOption(new Option('--backend <name>', 'compute backend').choices(BACKENDS).default('wasm'))
    .showHelpAfterError()
    .allowExcessArguments(false);
}

export function parseArgs(argv: readonly string[], program = buildProgram().exitOverride()): Args {
  return program.parse(argv as string[], { from: 'user' }).opts<Args>();
}

function images(a: DigitArrays, limit: number): Tensor {
  const n = limit > 0 ? Math.min(limit, a.count) : a.count;
  return tensor(a.images.subarray(0, n * 784), { shape: [n, 1, 28, 28] });
}

/** Trains and returns the logged training losses and each epoch's test loss (MSE per pixel). */
export async function main(args: Args, digits: { train: DigitArrays; test: DigitArrays } = loadMnist(), log: (s: string) => void = console.log): Promise<{ model: AutoEncoder; losses: number[]; testLosses: number[] }> {
  manualSeed(args.seed);
  const train = images(digits.train, args.limit);
  const test = images(digits.test, args.limit > 0 ? Math.max(1, args.limit >> 2) : 0);
  const loader = new data.DataLoader(new data.TensorDataset(train), { batchSize: args.batchSize, shuffle: true });
  const model = new AutoEncoder();
  const optimizer = new optim.Adam(model.parameters(), { lr: args.lr });
  const losses: number[] = [];
  const testLosses: number[] = [];
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    model.train();
    let batch = 0;
    for (const [x] of loader) {
      const loss = tidy(() => {
        optimizer.zeroGrad();
        const loss = F.mseLoss(model.forward(x), x);
        loss.backward();
        optimizer.step();
        return loss;
      });
      x.dispose();
      if (batch % args.logInterval === 0) {
        losses.push(await loss.item());
        log(`epoch ${epoch} batch ${batch}/${loader.length}: reconstruction loss ${losses.at(-1)!.toFixed(5)}`);
      }
      loss.dispose();
      batch++;
    }
    model.eval();
    const testLoss = noGrad(() => tidy(() => F.mseLoss(model.forward(test), test)));
    testLosses.push(await testLoss.item());
    testLoss.dispose();
    log(`epoch ${epoch}: test reconstruction loss ${testLosses.at(-1)!.toFixed(5)} (MSE per pixel)`);
  }
  optimizer.dispose();
  train.dispose();
  test.dispose();
  return { model, losses, testLosses };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), buildProgram());
  const backend = await useBackend(args.backend);
  const { model } = await main(args);
  for (const p of model.parameters()) p.dispose();
  releaseBackend(backend);
}
