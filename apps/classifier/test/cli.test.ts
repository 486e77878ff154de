import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { io } from '@logit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../src/lib/idx.js';
import { smallSplits } from './helpers.js';
import { runCli } from './run-cli.js';

const appDir = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'classifier-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bad flags: a clear message and exit code 2', () => {
  it.each([
    [['--epochs', 'nope'], /option '-e, --epochs <n>' argument 'nope' is invalid\. expected an integer >= 1, got 'nope'/],
    [['--epochs', '0'], /expected an integer >= 1, got '0'/],
    [['--lr', '-0.1'], /option '--lr <rate>' argument '-0\.1' is invalid\. expected a positive number/],
    [['--dropout', '1.5'], /expected a probability in \[0, 1\), got '1\.5'/],
    [['--backend', 'tpu'], /argument 'tpu' is invalid\. Allowed choices are auto, cpu, wasm, webgpu/],
    [['--model', 'rnn'], /Allowed choices are mlp, cnn/],
    [['--optimizer', 'lbfgs'], /Allowed choices are adam, sgd/],
    [['--batchsize', '32'], /unknown option '--batchsize'\n\(Did you mean --batch-size\?\)/],
    [['extra'], /too many arguments/],
  ])('%j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/run with --help/);
    expect(r.out).toBe('');
  });

  it('--help lists every flag and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--task', '--width', '--heads', '--layers', '--temperature', '--top-k', '--samples', '--backend', '--epochs', '--batch-size', '--lr', '--optimizer', '--hidden', '--dropout', '--patience', '--augment', '--no-augment', '--seed', '--out', '--data', '--resume', '--freeze', '--model']) {
      expect(r.out).toContain(flag);
    }
  });

  it('the real process exits with status 2', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/node/bin.ts', '--epochs', 'many'], { cwd: appDir, encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/argument 'many' is invalid/);
  });
});

/** One line on stderr, exit code 2, nothing on stdout, no stack trace. */
function expectUserError(r: { code: number; out: string; err: string }, message: RegExp): void {
  expect(r.err.trimEnd()).toMatch(message);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
}

/** A folder of the four IDX files with `train` training and `test` test images. */
function idxFolder(name: string, train: number, test: number): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const s = smallSplits(train, 0, test);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([train, 28, 28], s.train.images));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([train], s.train.labels));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([test, 28, 28], s.test.images));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([test], s.test.labels));
  return dir;
}

describe('what the user named cannot be used: one line and exit code 2, before training starts', () => {
  const file = join(work, 'a-file.txt');
  const garbage = join(work, 'garbage.safetensors');
  beforeAll(() => {
    writeFileSync(file, 'not a folder');
    writeFileSync(garbage, Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256));
  });

  it.each([
    ['a data folder with no test images', () => ['--data', idxFolder('no-test', 50, 0)], /^error: .*no-test\/t10k-images-idx3-ubyte: holds no images$/],
    ['a data folder with no training images', () => ['--data', idxFolder('no-train', 0, 20)], /^error: .*no-train\/train-images-idx3-ubyte: holds no images$/],
    ['too few training images to hold out validation', () => ['--data', idxFolder('five', 5, 20)], /^error: .*five: 5 training images cannot be split into training and 10% validation images that are both non-empty$/],
    ['a data folder that is missing', () => ['--data', join(tmpdir(), 'no-such-mnist-folder')], /^error: --data .*no-such-mnist-folder: no such folder$/],
    ['a hidden layer too wide to allocate', () => ['--hidden', '100000000'], /^error: hidden must be an integer in 1\.\.65536 \(a wider layer would not fit in memory\), got 100000000$/],
    ['--out naming a file', () => ['--out', file], /^error: --out .*a-file\.txt: it is a file, not a folder$/],
    ['--out inside a file', () => ['--out', join(file, 'run')], /^error: --out .*a-file\.txt\/run: .*a-file\.txt is a file, not a folder$/],
    ['--resume of a file that is not a checkpoint', () => ['--resume', garbage], /^error: --resume .*garbage\.safetensors: not a safetensors checkpoint \(io\.load: invalid safetensors file: .*\)$/],
    ['--resume of a folder', () => ['--resume', work], /^error: --resume .*: that is a folder; give the \.safetensors file a run wrote/],
    ['--resume of a file that is missing', () => ['--resume', join(tmpdir(), 'no-such.safetensors')], /^error: --resume .*no-such\.safetensors: no such file$/],
  ])('%s', async (_, args, message) => {
    const a = args();
    const out = a.includes('--out') ? [] : ['--out', join(work, 'unused')];
    expectUserError(await runCli([...a, ...out, '--epochs', '1', '--no-progress']), message);
  });

  it('--out under /proc stops at once (Node 20\'s recursive mkdir spins there forever)', () => {
    const t0 = Date.now();
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/node/bin.ts', '--out', '/proc/logit-cli-test/run', '--no-progress'], { cwd: appDir, encoding: 'utf8', timeout: 60_000 });
    expect(p.signal).toBeNull(); // not killed by the timeout
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/^error: --out \/proc\/logit-cli-test\/run: cannot create the folder \/proc/);
    expect(p.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('the real process takes `-- <flags>` as pnpm passes them, and exits 2 on a bad one', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/node/bin.ts', '--', '--epochs', 'many'], { cwd: appDir, encoding: 'utf8' });
    expect(p.stderr).toMatch(/argument 'many' is invalid/);
    expect(p.status).toBe(2);
  });
});

describe('a run on a folder of IDX files', () => {
  const data = join(work, 'mnist');
  const out = join(work, 'run');
  let first: { code: number; out: string; err: string };

  beforeAll(async () => {
    const s = smallSplits(1000, 0, 200);
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data);
    const put = (name: string, dims: number[], bytes: Uint8Array, gz: boolean): void =>
      writeFileSync(join(data, gz ? `${name}.gz` : name), gz ? gzipSync(encodeIdx(dims, bytes)) : encodeIdx(dims, bytes));
    put('train-images-idx3-ubyte', [1000, 28, 28], s.train.images, true);
    put('train-labels-idx1-ubyte', [1000], s.train.labels, true);
    put('t10k-images-idx3-ubyte', [200, 28, 28], s.test.images, false);
    put('t10k-labels-idx1-ubyte', [200], s.test.labels, false);
    first = await runCli(['--data', data, '--epochs', '3', '--out', out, '--no-progress', '--seed', '1']);
  });

  it('prints the setup, the epoch table, test accuracy, the confusion matrix and the loss taken apart', () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/data {6}mnist \(.*, 1,000 train \+ 200 test\): 900 train \/ 100 validation \/ 200 test/);
    expect(first.out).toMatch(/backend {3}wasm \(auto: the fastest that starts here\)/);
    expect(first.out).toMatch(/│ epoch │ train loss │ {3}val loss │ train acc │ {3}val acc │/);
    expect(first.out).toMatch(/│ {5}3 │/);
    expect(first.out).toMatch(/Test accuracy \d+\.\d\d% \(\d+\/200\)/);
    expect(first.out).toMatch(/│ true \\ pred │/);
    expect(first.out).toMatch(/NLLLoss\(LogSoftmax\(z\), y\) = -\(-?\d+\.\d{4}\) = (\d+\.\d{6})/);
    const nll = /NLLLoss\(LogSoftmax\(z\), y\) = .* = (\d+\.\d{6})/.exec(first.out)![1];
    const ce = /CrossEntropyLoss\(z, y\) += (\d+\.\d{6})/.exec(first.out)![1];
    expect(ce).toBe(nll);
  });

  it('writes metrics.json, chart.svg and a loadable best checkpoint', () => {
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.history).toHaveLength(3);
    expect(m.history[2].valAcc).toBeGreaterThan(0.7);
    expect(m.backend).toBe('wasm'); // --backend auto, the default
    expect(m.sizes).toEqual({ train: 900, validation: 100, test: 200 });
    expect(m.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(200);
    const diagonal = m.confusion.matrix.reduce((s: number, row: number[], i: number) => s + row[i], 0);
    expect(diagonal / 200).toBeCloseTo(m.test.accuracy, 10);
    expect(m.lossAnatomy.nll).toBeCloseTo(m.lossAnatomy.crossEntropy, 6);

    const svg = readFileSync(join(out, 'chart.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['CrossEntropyLoss', 'accuracy', 'train', 'validation', 'epoch']) expect(svg).toContain(text);
    // two panels x (train, validation): four lines of one point per epoch
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(4);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(4 * 3);

    const state = io.load(readFileSync(join(out, 'best.safetensors')));
    expect(state['head.weight'].shape).toEqual([10, 128]);
    expect(io.loadMetadata(readFileSync(join(out, 'best.safetensors'))).epoch).toBe(String(m.bestEpoch));
  });

  it('--resume --freeze fine-tunes the last layer of the saved model only', async () => {
    const out2 = join(work, 'tuned');
    const r = await runCli(['--data', data, '--epochs', '1', '--out', out2, '--no-progress', '--resume', join(out, 'best.safetensors'), '--freeze', '--lr', '0.01']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/resumed from .*best\.safetensors/);
    expect(r.out).toMatch(/last layer only \(--freeze\)/);
    const a = io.load(readFileSync(join(out, 'best.safetensors')));
    const b = io.load(readFileSync(join(out2, 'best.safetensors')));
    expect(Array.from(b['body.0.weight'].dataSync())).toEqual(Array.from(a['body.0.weight'].dataSync()));
    expect(Array.from(b['head.weight'].dataSync())).not.toEqual(Array.from(a['head.weight'].dataSync()));
  });

  it('a backend that cannot start here (webgpu in Node with no Vulkan driver) is a clear error with exit code 1', async () => {
    // An ICD list naming no file leaves the Vulkan loader (and so Dawn) without a driver, GPU or not.
    const icd = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = join(work, 'no-such-icd.json');
    try {
      const r = await runCli(['--backend', 'webgpu', '--data', data, '--out', join(work, 'gpu-run'), '--no-progress']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/the webgpu backend could not start here: webgpu: requestAdapter\(\) returned no adapter\. In Node without a GPU install a Vulkan driver/);
    } finally {
      if (icd === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = icd;
    }
  });

  it('a corrupt data file is one line naming it, exit code 2', async () => {
    const bad = join(work, 'bad');
    cpSync(data, bad, { recursive: true });
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), encodeIdx([200], new Uint8Array(200)).subarray(0, 150));
    expectUserError(await runCli(['--data', bad, '--out', join(work, 'bad-run'), '--no-progress']),
      /t10k-labels-idx1-ubyte: truncated: dimensions \[200\] need 200 data bytes, the file has 142/);
  });

  it('a checkpoint of another model is one line, exit code 2', async () => {
    expectUserError(await runCli(['--data', data, '--hidden', '64', '--out', join(work, 'other'), '--resume', join(out, 'best.safetensors')]),
      /^error: --resume .*best\.safetensors: the checkpoint was saved from a model with hidden = 128, this model has hidden = 64; use the same --model\/--hidden as the saved run$/);
  });

  it('relative paths in the flags start where the command was typed, not in apps/classifier', async () => {
    cpSync(data, join(work, 'typed-here', 'mnist'), { recursive: true });
    const r = await runCli(['--data', 'mnist', '--out', 'out', '--epochs', '1', '--no-progress'], join(work, 'typed-here'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(work, 'typed-here', 'out', 'metrics.json'), 'utf8')).toContain('"dataset": "mnist (');
    expectUserError(await runCli(['--data', 'elsewhere', '--no-progress'], work), new RegExp(`^error: --data ${work}/elsewhere: no such folder$`));
  });

  it('`pnpm train -- <flags>`: the leading -- pnpm passes on is not an argument', async () => {
    // `pnpm train -- --epochs 1` runs bin.ts with ['--', '--epochs', '1'] (checked with pnpm 12.4.2)
    const r = await runCli(['--', '--data', data, '--epochs', '1', '--out', join(work, 'dashdash'), '--no-progress']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/up to 1 epochs/);
  });
});
