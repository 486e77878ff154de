import { DTypeError, IndexError, ShapeError, ValueError } from '../../errors.js';
import { fmt, sameShape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { validateValues } from '../../ops/validate.js';

/**
 * How NLLLoss and CrossEntropyLoss see an input of class scores: (C), (N, C) or (N, C, d1, ..., dk)
 * is row-major (batch, classes, inner) with inner = d1 * ... * dk (1 for the first two forms), and
 * the class-index target has the 'none' output's shape: (), (N) or (N, d1, ..., dk).
 */
export interface ClassLayout {
  batch: number;
  classes: number;
  inner: number;
  /** Dim of the input that holds the classes: 0 for unbatched input, else 1. */
  classDim: number;
  /** Shape of the per-element losses ('none'): the target's shape. */
  outShape: number[];
}

export function classLayout(loss: string, input: Tensor): ClassLayout {
  if (input.ndim < 1) {
    throw new ShapeError(`${loss}: input must have 1 or more dims ((C), (N, C) or (N, C, d1, ...)), got a 0-d tensor`);
  }
  const unbatched = input.ndim === 1;
  const batch = unbatched ? 1 : input.shape[0];
  const classes = input.shape[unbatched ? 0 : 1];
  const rest = unbatched ? [] : input.shape.slice(2);
  const inner = rest.reduce((a, b) => a * b, 1);
  return { batch, classes, inner, classDim: unbatched ? 0 : 1, outShape: unbatched ? [] : [batch, ...rest] };
}

/** ignoreIndex is an integer (any: PyTorch's default is -100). */
export function checkIgnoreIndex(loss: string, ignoreIndex: unknown): number {
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) throw new ValueError(`${loss}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  return ignoreIndex;
}

/** Checks an int32 class-index target against the input, as PyTorch's nll_loss does. */
export function checkClassTarget(loss: string, input: Tensor, target: Tensor, layout: ClassLayout, ignoreIndex: number): void {
  checkIgnoreIndex(loss, ignoreIndex);
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${loss}: class-index target must have dtype int32, got ${target.dtype} of shape ${fmt(target.shape)}`);
  }
  if (input.ndim === 1 && target.ndim !== 0) {
    throw new ShapeError(`${loss}: for an unbatched input of shape ${fmt(input.shape)} the target must be 0-d, got shape ${fmt(target.shape)}`);
  }
  if (input.ndim >= 2) {
    if (target.ndim === 0 || target.shape[0] !== layout.batch) {
      throw new ShapeError(`${loss}: expected input batch size (${layout.batch}) to match target batch size (${target.ndim ? target.shape[0] : 'a 0-d target'})`);
    }
    if (!sameShape(target.shape, layout.outShape)) {
      throw new ShapeError(`${loss}: expected a target of shape ${fmt(layout.outShape)} for input of shape ${fmt(input.shape)}, got ${fmt(target.shape)}`);
    }
  }
}

/**
 * Every target in [0, classes) or equal to ignoreIndex, on the target's backend (see
 * Primitives.validate). Called after every other check of the call, so that an asynchronous
 * device, which reports bad values later, fails a call with two problems as backend-cpu does.
 */
export function checkTargetRange(loss: string, target: Tensor, classes: number, ignoreIndex: number): void {
  validateValues(target, {
    min: 0,
    max: classes - 1,
    except: ignoreIndex,
    error: (v) => new IndexError(`${loss}: target ${v} is out of bounds (expected 0 <= target < ${classes}, or ignoreIndex ${ignoreIndex})`),
  });
}
