/** The pieces of nanoGPT's `train.py` that the training script and the tests share. */
import { nn, optim, tidy, type Tensor } from '@logit/core';
import type { GPT } from './model.js';

/** Options of {@link warmupCosine}. */
export interface ScheduleOptions {
  /** Steps of linear warm-up, from `startFactor * lr` to lr. */
  warmupIters: number;
  /** The step at which the cosine reaches `minLr` (nanoGPT's lr_decay_iters). */
  lrDecayIters: number;
  minLr: number;
  /** The first step's fraction of the learning rate. Default 1 / warmupIters. */
  startFactor?: number;
}

/**
 * Linear warm-up, then cosine decay to `minLr`: nanoGPT's `get_lr` written as PyTorch's
 * schedulers, `SequentialLR([LinearLR, CosineAnnealingLR])`. Call `step()` after each
 * `opt.step()`.
 */
export function warmupCosine(opt: optim.Optimizer, o: ScheduleOptions): optim.lrScheduler.SequentialLR {
  const { lrScheduler } = optim;
  const warmup = new lrScheduler.LinearLR(opt, { startFactor: o.startFactor ?? 1 / o.warmupIters, totalIters: o.warmupIters });
  const cosine = new lrScheduler.CosineAnnealingLR(opt, { tMax: o.lrDecayIters - o.warmupIters, etaMin: o.minLr });
  return new lrScheduler.SequentialLR(opt, [warmup, cosine], { milestones: [o.warmupIters] });
}

/** What one training step leaves: the loss before the update, and the gradients' total norm before clipping. */
export interface StepResult {
  loss: Tensor;
  gradNorm: Tensor | null;
}

/**
 * One step of nanoGPT's loop: forward with targets, backward, clip the gradients' total norm
 * to `gradClip` (0: no clipping), AdamW update. Every temporary is freed; the two tensors
 * returned are the caller's to read and dispose.
 */
export function trainStep(model: GPT, opt: optim.Optimizer, x: Tensor, y: Tensor, gradClip: number): StepResult {
  return tidy(() => {
    const { loss } = model.forward(x, y);
    opt.zeroGrad();
    loss!.backward();
    const gradNorm = gradClip > 0 ? nn.utils.clipGradNorm_(model.parameters(), gradClip) : null;
    opt.step();
    return { loss: loss!, gradNorm };
  });
}
