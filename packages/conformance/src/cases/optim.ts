import { cat, nn, optim, tidy, type Tensor } from '@logit/core';
import type { Case, Program } from '../types.js';
import { defineCase, input } from './define.js';

// Optimizer steps: the fused `sgdStep`/`adamStep` kernels where a backend has them, else core's
// composition (the runner runs both and compares them, and checks both for leaks). Input 0 is
// the parameter, input 1 holds one gradient per step (stacked on dim 0); the output is the
// parameter after every step, compared with the float64 reference. Sizes that are not a multiple
// of 4 reach the tails of vectorized kernels.

const STEPS = 4;

type Make = (params: Tensor[]) => { step(): unknown; dispose(): void };

function stepsOf(make: Make) {
  return ([x, grads]: Tensor[]): Program => {
    const p = tidy(() => x.detach().clone()).requiresGrad_();
    const opt = make([p]);
    for (let s = 0; s < STEPS; s++) {
      p.grad = tidy(() => grads.select(0, s));
      opt.step();
    }
    return { output: p, wrt: [], dispose: () => opt.dispose() };
  };
}

function optimCase(op: string, name: string, shape: number[], make: Make): Case {
  return defineCase('optim', {
    name: `${op} ${name} ${STEPS} steps [${shape.join(',')}]`, op, grad: false,
    inputs: [input(shape), input([STEPS, ...shape])],
    run: stepsOf(make),
  });
}

export const optimCasesAll: Case[] = [
  optimCase('optim.SGD', 'plain', [7], (ps) => new optim.SGD(ps, { lr: 0.1 })),
  optimCase('optim.SGD', 'momentum dampening weightDecay', [3, 5], (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 })),
  optimCase('optim.SGD', 'nesterov weightDecay maximize', [9], (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.05, maximize: true })),
  optimCase('optim.SGD', 'scalar parameter', [], (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.5 })),
  optimCase('optim.Adam', 'lr 0.1', [2, 5], (ps) => new optim.Adam(ps, { lr: 0.1 })),
  optimCase('optim.Adam', 'weightDecay amsgrad maximize betas eps', [11], (ps) => new optim.Adam(ps, { lr: 0.02, betas: [0.8, 0.9], eps: 1e-3, weightDecay: 0.2, amsgrad: true, maximize: true })),
  optimCase('optim.AdamW', 'weightDecay amsgrad', [3, 3], (ps) => new optim.AdamW(ps, { lr: 0.05, weightDecay: 0.3, amsgrad: true })),
  optimCase('optim.AdamW', 'default options', [6], (ps) => new optim.AdamW(ps)),
  optimCase('optim.Adagrad', 'default options', [7], (ps) => new optim.Adagrad(ps)),
  optimCase('optim.Adagrad', 'lrDecay weightDecay initialAccumulatorValue eps maximize', [3, 5], (ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.5, eps: 1e-3, maximize: true })),
  optimCase('optim.Adadelta', 'default options', [9], (ps) => new optim.Adadelta(ps)),
  optimCase('optim.Adadelta', 'lr rho eps weightDecay maximize', [2, 5], (ps) => new optim.Adadelta(ps, { lr: 0.5, rho: 0.8, eps: 1e-3, weightDecay: 0.2, maximize: true })),
  optimCase('optim.Adadelta', 'scalar parameter', [], (ps) => new optim.Adadelta(ps, { rho: 0.5 })),
  ...clipCases(),
];

// nn.utils.clipGradNorm_ / clipGradValue_ on the backend, with no read-back: inputs are the
// gradients of two parameters; the output is the total norm followed by both clipped gradients.
function clipCase(name: string, clip: (ps: Tensor[]) => Tensor | null): Case {
  return defineCase('optim', {
    name, op: name.split(' ')[0], grad: false,
    inputs: [input([3, 4]), input([5])],
    run: (gs: Tensor[]): Tensor => {
      const ps = gs.map((g) => tidy(() => g.detach().mul(0)).requiresGrad_());
      ps.forEach((p, i) => (p.grad = tidy(() => gs[i].detach().clone())));
      const total = clip(ps);
      const out = tidy(() => cat([...(total ? [total.reshape([1])] : []), ...ps.map((p) => p.grad!.flatten())]));
      total?.dispose();
      for (const p of ps) p.dispose();
      return out;
    },
  });
}

function clipCases(): Case[] {
  return [
    clipCase('nn.utils.clipGradNorm_ norm 2 clips', (ps) => nn.utils.clipGradNorm_(ps, 0.5)),
    clipCase('nn.utils.clipGradNorm_ norm 2 leaves small gradients', (ps) => nn.utils.clipGradNorm_(ps, 1e3)),
    clipCase('nn.utils.clipGradNorm_ norm inf', (ps) => nn.utils.clipGradNorm_(ps, 0.3, { normType: Infinity })),
    clipCase('nn.utils.clipGradNorm_ norm 1', (ps) => nn.utils.clipGradNorm_(ps, 1, { normType: 1 })),
    clipCase('nn.utils.clipGradNorm_ norm 3', (ps) => nn.utils.clipGradNorm_(ps, 1, { normType: 3 })),
    clipCase('nn.utils.clipGradNorm_ norm 0', (ps) => nn.utils.clipGradNorm_(ps, 4, { normType: 0 })),
    clipCase('nn.utils.clipGradValue_', (ps) => {
      nn.utils.clipGradValue_(ps, 0.7);
      return null;
    }),
  ];
}
