import type { ArgReduceOp } from '../backend/types.js';
import { isFloat } from '../dtype.js';
import { DTypeError, IndexError } from '../errors.js';
import { fmt, normDim, normDims, sizeOf, type Shape } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, filled, wrap } from './dispatch.js';
import type { ValuesIndices } from './sort.js';
import { cast, where } from './elementwise.js';

export type Dims = number | readonly number[];

function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reducedShape(shape: Shape, axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** Spreads a reduced gradient back over the input's shape. */
function unreduce(g: Tensor, inShape: Shape, axes: readonly number[]): Tensor {
  return g.reshape(keptShape(inShape, axes)).expand(inShape);
}

export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return tidy(() => {
    const axes = normDims('sum', dim, x.ndim);
    const src = x.dtype === 'bool' ? cast(x, 'int32') : x;
    const be = backendOf('sum', src);
    const shape = reducedShape(x.shape, axes, keepdim);
    const out = wrap(be, be.ops.reduce('sum', src._storage(), src.shape, axes, src.dtype), shape, src.dtype);
    if (!isFloat(src.dtype)) return out;
    return record(out, 'sum', [src], [], (g) => [unreduce(g, x.shape, axes)]);
  });
}

export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`mean: input dtype must be floating point, got ${x.dtype}; cast with .to('float32') first`);
  }
  return tidy(() => {
    const axes = normDims('mean', dim, x.ndim);
    const n = axes.reduce((acc, a) => acc * x.shape[a], 1);
    return sum(x, axes, keepdim).div(n);
  });
}

function checkNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  for (const a of axes) {
    if (x.shape[a] === 0) {
      throw new IndexError(`${op}: cannot reduce over dim ${a} of size 0 (input shape ${fmt(x.shape)}); the operation has no identity`);
    }
  }
}

/** amax/amin: values over several dims; the gradient is shared evenly among tied extremes. */
export function extreme(op: 'max' | 'min', x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const name = op === 'max' ? 'amax' : 'amin';
  if (x.dtype === 'bool') throw new DTypeError(`${name}: not supported for bool tensors; cast with .to('int32') first`);
  const axes = normDims(name, dim, x.ndim);
  checkNonEmpty(name, x, axes);
  return tidy(() => {
    const be = backendOf(name, x);
    const out = wrap(be, be.ops.reduce(op, x._storage(), x.shape, axes, x.dtype), reducedShape(x.shape, axes, keepdim), x.dtype);
    if (!isFloat(x.dtype)) return out;
    return record(out, name, [x], [x, out], (g, [xs, os]) => {
      const o = unreduce(os, x.shape, axes);
      // a nan maximum selects the nan entries, as PyTorch's evenly-distributed rule does
      const mask = where(o.ne(o), xs.ne(xs), xs.eq(o)).to(x.dtype);
      const count = mask.sum(axes, true);
      return [unreduce(g, x.shape, axes).mul(mask).div(count)];
    });
  });
}

/**
 * max(x, dim) / min(x, dim): `{ values, indices }` along one dim (indices int32, the first
 * occurrence on ties, a nan wins); the values' gradient goes to the index chosen, as in PyTorch.
 */
export function extremeAlong(op: 'max' | 'min', x: Tensor, dim: number, keepdim = false): ValuesIndices {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not supported for bool tensors; cast with .to('int32') first`);
  const axis = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return tidy(() => ({ values: x.mul(1), indices: filled(0, [], 'int32', x._ref().backend) }));
  checkNonEmpty(op, x, [axis]);
  return tidy(() => {
    const be = backendOf(op, x);
    const out = wrap(be, be.ops.reduce(op, x._storage(), x.shape, [axis], x.dtype), reducedShape(x.shape, [axis], keepdim), x.dtype);
    const idx = argReduce(op === 'max' ? 'argmax' : 'argmin', x, axis, true);
    const indices = keepdim ? idx : idx.squeeze(axis);
    if (!isFloat(x.dtype)) return { values: out, indices };
    const values = record(out, op, [x], [idx], (g, [ids]) => {
      const gk = g.reshape(keptShape(x.shape, [axis]));
      const be2 = backendOf(op, gk);
      return [wrap(be2, be2.ops.scatterAdd(ids._storage(), ids.shape, gk._storage(), x.shape, axis, gk.dtype), x.shape, gk.dtype)];
    });
    return { values, indices };
  });
}

export function argReduce(op: ArgReduceOp, x: Tensor, dim?: number, keepdim = false): Tensor {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not supported for bool tensors; cast with .to('int32') first`);
  return tidy(() => {
    if (dim === undefined || x.ndim === 0) {
      if (dim !== undefined) normDim(op, dim, 0);
      checkNonEmpty(op, x.reshape([-1]), [0]);
      const flat = x.reshape([x.numel()]);
      const be = backendOf(op, flat);
      const r = wrap(be, be.ops.argReduce(op, flat._storage(), flat.shape, 0, x.dtype), [], 'int32');
      return keepdim ? r.reshape(x.shape.map(() => 1)) : r;
    }
    const axis = normDim(op, dim, x.ndim);
    checkNonEmpty(op, x, [axis]);
    const be = backendOf(op, x);
    return wrap(be, be.ops.argReduce(op, x._storage(), x.shape, axis, x.dtype), reducedShape(x.shape, [axis], keepdim), 'int32');
  });
}

/** log(sum(exp(x))) over dims, stable: the max is subtracted first (and replaced by 0 where infinite). */
export function logsumexp(input: Tensor, dim: Dims, keepdim = false): Tensor {
  return tidy(() => {
    const x = isFloat(input.dtype) ? input : cast(input, 'float32');
    const axes = normDims('logsumexp', dim, x.ndim);
    if (sizeOf(axes.map((a) => x.shape[a])) === 0) return sum(x, axes, keepdim).log();
    const m = extreme('max', x.detach(), axes, true);
    const safe = where(m.abs().eq(Infinity), 0, m);
    const r = x.sub(safe).exp().sum(axes, true).log().add(safe);
    return keepdim ? r : r.squeeze(axes);
  });
}
