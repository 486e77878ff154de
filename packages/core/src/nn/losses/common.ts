import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { isFloat } from '../../dtype.js';
import { broadcastShapes, fmt, sameShape } from '../../shape.js';
import { cast } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor.js';

/** How a loss combines its per-element values, as PyTorch's `reduction` argument. */
export type Reduction = 'none' | 'mean' | 'sum';

const REDUCTIONS: readonly string[] = ['none', 'mean', 'sum'];

export function checkReduction(loss: string, reduction: unknown): Reduction {
  if (typeof reduction !== 'string' || !REDUCTIONS.includes(reduction)) {
    throw new ValueError(`${loss}: reduction must be 'none', 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
  }
  return reduction as Reduction;
}

/** 'none' keeps the per-element losses; 'mean' of no elements is nan, as in PyTorch. */
export function applyReduction(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? losses.sum() : losses.mean();
}

export function requireFloatInput(loss: string, t: Tensor, what: string): void {
  if (!isFloat(t.dtype)) {
    throw new DTypeError(`${loss}: ${what} must be floating point (float32 or float64), got dtype ${t.dtype}`);
  }
}

/** Losses are not differentiated with respect to their weights (PyTorch refuses it too). */
function requireConstant(loss: string, t: Tensor, what: string): void {
  if (t.requiresGrad) {
    throw new ValueError(`${loss}: ${what} must not require grad; the loss is not differentiable with respect to ${what} (as in PyTorch)`);
  }
}

/** A per-class weight: 1-D of C elements, used in the input's dtype. */
export function checkClassWeight(loss: string, weight: Tensor | null | undefined, classes: number, input: Tensor): Tensor | null {
  if (weight === null || weight === undefined) return null;
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    throw new ShapeError(`${loss}: weight must be 1-D with one value for each of the ${classes} classes, got shape ${fmt(weight.shape)}`);
  }
  requireFloatInput(loss, weight, 'weight');
  requireConstant(loss, weight, 'weight');
  return cast(weight, input.dtype);
}

/** An elementwise weight (BCE's weight, posWeight) that broadcasts to the input's shape without growing it. */
export function checkBroadcastWeight(loss: string, w: Tensor | null | undefined, input: Tensor, what: string): Tensor | null {
  if (w === null || w === undefined) return null;
  let shape: number[] | null = null;
  try {
    shape = broadcastShapes(loss, w.shape, input.shape);
  } catch {
    shape = null;
  }
  if (!shape || !sameShape(shape, input.shape)) {
    throw new ShapeError(`${loss}: ${what} of shape ${fmt(w.shape)} must broadcast to the input's shape ${fmt(input.shape)}`);
  }
  requireFloatInput(loss, w, what);
  requireConstant(loss, w, what);
  return cast(w, input.dtype);
}

/** The elementwise losses (MSE, BCE) take a target of exactly the input's shape. */
export function requireSameShape(loss: string, input: Tensor, target: Tensor, note = ''): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(`${loss}: target shape ${fmt(target.shape)} must equal the input shape ${fmt(input.shape)}${note}`);
  }
}
