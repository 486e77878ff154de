/**
 * Trains a two-layer MLP on a synthetic three-arm spiral with nothing but tensors, autograd and a
 * hand-written SGD step, and prints the loss falling. (nn.Linear and optim.SGD arrive with the nn
 * issue; the sample classifier app will then replace this as `pnpm train`.)
 */
import { arange, cat, full, manualSeed, memory, noGrad, randn, setBackend, stack, tidy, zeros, type Tensor } from '@logit/core';
import { createBackend } from '@logit/backend-cpu';

const POINTS_PER_CLASS = 100;
const CLASSES = 3;
const HIDDEN = 64;
const STEPS = 1500;
const LR = 0.5;

/** CS231n's spiral: class k is an arm of radius 0..1 whose angle grows with the radius, plus noise. */
function spiral(): { x: Tensor; y: Tensor } {
  return tidy(() => {
    const xs: Tensor[] = [];
    const ys: Tensor[] = [];
    for (let k = 0; k < CLASSES; k++) {
      const r = arange(POINTS_PER_CLASS).div(POINTS_PER_CLASS - 1);
      const theta = r.mul(4).add(k * 4).add(randn([POINTS_PER_CLASS]).mul(0.2));
      xs.push(stack([r.mul(theta.sin()), r.mul(theta.cos())], 1));
      ys.push(full([POINTS_PER_CLASS], k, { dtype: 'int32' }));
    }
    return { x: cat(xs, 0), y: cat(ys, 0) };
  });
}

/** He-initialised weights as a leaf that requires grad. */
function weight(fanIn: number, fanOut: number): Tensor {
  return tidy(() => randn([fanIn, fanOut]).mul(Math.sqrt(2 / fanIn))).requiresGrad_();
}

setBackend(await createBackend());
manualSeed(0);
const { x, y } = spiral();
const params = [weight(2, HIDDEN), zeros([HIDDEN], { requiresGrad: true }), weight(HIDDEN, CLASSES), zeros([CLASSES], { requiresGrad: true })];
const [w1, b1, w2, b2] = params;
const forward = (input: Tensor): Tensor => input.matmul(w1).add(b1).relu().matmul(w2).add(b2);

console.log(`training a 2-${HIDDEN}-${CLASSES} MLP on ${CLASSES * POINTS_PER_CLASS} spiral points, full-batch SGD, lr ${LR}`);
const start = performance.now();
for (let step = 0; step <= STEPS; step++) {
  const loss = tidy(() => {
    const nll = forward(x).logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
    nll.backward();
    noGrad(() => params.forEach((p) => { p.sub_(p.grad!.mul(LR)); p.grad = null; }));
    return nll;
  });
  if (step % 150 === 0) console.log(`step ${String(step).padStart(4)}  loss ${(await loss.item()).toFixed(4)}`);
  loss.dispose();
}
const accuracy = tidy(() => forward(x).argmax(1).eq(y).float().mean());
console.log(`train accuracy ${((await accuracy.item()) * 100).toFixed(1)}%, ${((performance.now() - start) / 1000).toFixed(1)} s`);
accuracy.dispose();
console.log(`live tensors at the end: ${memory().tensors} (data and parameters)`);
