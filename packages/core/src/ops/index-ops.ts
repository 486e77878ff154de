import { DTypeError, IndexError, ShapeError, ValueError } from '../errors.js';
import { isFloat, promoteTypes } from '../dtype.js';
import { fmt, normDim } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, filled, fromHost, wrap } from './dispatch.js';
import { cast } from './elementwise.js';
import { shapeForStack } from './shape-ops.js';
import { validateIndices } from './validate.js';

function checkIndexDType(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must have dtype int32, got ${index.dtype}`);
}

/** x[start:end:step] along dim, with Python's clamping of negative and out-of-range bounds. */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  if (x.ndim === 0) throw new IndexError('slice: cannot be applied to a 0-dim tensor (it has no dim to slice)');
  const d = normDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new ValueError(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[d];
  const clampIdx = (v: number | null | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    if (!Number.isInteger(v)) throw new ValueError(`slice: bounds must be integers, got ${v}`);
    return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  };
  const s = clampIdx(start, 0);
  const e = Math.max(clampIdx(end, n), s);
  const len = Math.ceil((e - s) / step);
  const begin = x.shape.map((_, i) => (i === d ? s : 0));
  const steps = x.shape.map((_, i) => (i === d ? step : 1));
  const shape = x.shape.map((v, i) => (i === d ? len : v));
  return tidy(() => {
    const be = backendOf('slice', x);
    const out = wrap(be, be.ops.slice(x._storage(), x.shape, begin, steps, shape, x.dtype), shape, x.dtype);
    return record(out, 'slice', [x], [], (g) => {
      const zeros = filled(0, x.shape, g.dtype, be);
      return [wrap(be, be.ops.setSlice(zeros._storage(), x.shape, g._storage(), g.shape, begin, steps, g.dtype), x.shape, g.dtype)];
    });
  });
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.ndim === 0) throw new IndexError('narrow: cannot be applied to a 0-dim tensor (it has no dim to narrow)');
  const d = normDim('narrow', dim, x.ndim);
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(start) || s < 0 || s > n) throw new IndexError(`narrow: start ${start} is out of range for dim ${dim} of size ${n}`);
  if (!Number.isInteger(length) || length < 0 || s + length > n) {
    throw new IndexError(`narrow: start (${start}) + length (${length}) exceeds dimension size (${n})`);
  }
  return slice(x, d, s, s + length);
}

/** x.select(dim, i): the i-th slice along dim, with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new IndexError('select: cannot be applied to a 0-dim tensor (it has no dim to select from)');
  const d = normDim('select', dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new IndexError(`select: index ${index} is out of range for dim ${dim} of size ${n}`);
  }
  const i = index < 0 ? index + n : index;
  return tidy(() => slice(x, d, i, i + 1).squeeze(d));
}

/**
 * Values of `x` along `dim` at the int32 positions in `index`, as torch.gather:
 * `out[i][j] = x[index[i][j]][j]` for dim 0 (likewise for other dims). `index` has x's rank, and
 * every other dim no larger than x's; the output has index's shape. Gradients scatter-add back.
 *
 * ```ts
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]], { dtype: 'int32' })); // [[1, 1], [4, 3]]
 * ```
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = checkGather('gather', x, dim, index);
  // a 0-d input has one element along its only dim, as in PyTorch
  const size = x.ndim === 0 ? 1 : x.shape[d];
  validateIndices('gather', index, size, `dim ${d} with size ${size}`);
  if (x.ndim === 0) return tidy(() => gatherKernel(x.reshape([1]), 0, index.reshape([1])).reshape([]));
  return gatherKernel(x, d, index);
}

/**
 * @internal gather for an index core generated itself (im2col windows, pooling, a class target
 * already validated): the same shape checks, but the values are trusted, so nothing is read back
 * or checked on the device. Never pass user data here; use `gather`.
 *
 *   import { gatherUnchecked } from '../../ops/index-ops.js';
 *   const cols = gatherUnchecked(planes, 2, windowIndex);
 */
export function gatherUnchecked(x: Tensor, dim: number, index: Tensor): Tensor {
  return gatherKernel(x, checkGather('gather', x, dim, index), index);
}

function checkGather(op: string, x: Tensor, dim: number, index: Tensor): number {
  checkIndexDType(op, index);
  const d = normDim(op, dim, x.ndim);
  if (index.ndim !== x.ndim) {
    throw new ShapeError(`${op}: index must have the same rank as the input (${x.ndim}), got shape ${fmt(index.shape)}`);
  }
  index.shape.forEach((s, i) => {
    if (i !== d && s > x.shape[i]) {
      throw new ShapeError(`${op}: index shape ${fmt(index.shape)} exceeds input shape ${fmt(x.shape)} at dim ${i}`);
    }
  });
  return d;
}

/**
 * @internal gather with an index core built itself (im2col windows, padding, upsampling) in a
 * hot path: in range and shaped by construction, so no shape checks and no value check. User
 * indices go through `gather`.
 */
export function gatherTrusted(x: Tensor, d: number, index: Tensor): Tensor {
  return gatherKernel(x, d, index);
}

function gatherKernel(x: Tensor, d: number, index: Tensor): Tensor {
  return tidy(() => {
    const be = backendOf('gather', x, index);
    const out = wrap(be, be.ops.gather(x._storage(), x.shape, d, index._storage(), index.shape, x.dtype), index.shape, x.dtype);
    return record(out, 'gather', [x], [index], (g, [idx]) => [
      wrap(be, be.ops.scatterAdd(idx._storage(), idx.shape, g._storage(), x.shape, d, g.dtype), x.shape, g.dtype),
    ]);
  });
}

/**
 * The slices of `x` along `dim` at the positions in the 1-D int32 `index`, in that order, as
 * torch.index_select; the output's `dim` has index's length.
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = checkIndexSelect(x, dim, index);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  validateIndices('indexSelect', index, size, `dim ${d} with size ${size}`);
  return indexSelectKernel(x, d, index);
}

/**
 * @internal indexSelect for indices already validated by the caller with its own message
 * (nn.functional.embedding) or made by core: the same shape checks, no value check.
 */
export function indexSelectUnchecked(x: Tensor, dim: number, index: Tensor): Tensor {
  return indexSelectKernel(x, checkIndexSelect(x, dim, index), index);
}

function checkIndexSelect(x: Tensor, dim: number, index: Tensor): number {
  checkIndexDType('indexSelect', index);
  if (index.ndim > 1) throw new ShapeError(`indexSelect: index must be 0-D or 1-D, got shape ${fmt(index.shape)}`);
  const d = normDim('indexSelect', dim, x.ndim);
  if (x.ndim === 0 && index.numel() !== 1) {
    throw new ShapeError(`indexSelect: an index into a 0-d tensor can have only 1 value, got ${index.numel()}`);
  }
  return d;
}

function indexSelectKernel(x: Tensor, d: number, index: Tensor): Tensor {
  if (x.ndim === 0) return tidy(() => gatherUnchecked(x.reshape([1]), 0, index.reshape([1])).reshape([]));
  return tidy(() => {
    const n = index.numel();
    const lineShape = x.shape.map((_, i) => (i === d ? n : 1));
    const full = x.shape.map((v, i) => (i === d ? n : v));
    return gatherUnchecked(x, d, index.reshape(lineShape).expand(full));
  });
}

/**
 * Joins tensors along an existing dim (default 0), as torch.cat; all other sizes must agree.
 *
 * ```ts
 * cat([zeros([2, 3]), ones([1, 3])]); // shape [3, 3]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors || tensors.length === 0) throw new ValueError('cat: expected a non-empty array of tensors');
  const rank = tensors[0].ndim;
  if (rank === 0) throw new ShapeError('cat: zero-dimensional tensors cannot be concatenated; use stack');
  const d = normDim('cat', dim, rank);
  for (const t of tensors) {
    if (t.ndim !== rank || t.shape.some((v, i) => i !== d && v !== tensors[0].shape[i])) {
      throw new ShapeError(`cat: sizes must match except in dim ${d}; got ${fmt(tensors[0].shape)} and ${fmt(t.shape)}`);
    }
  }
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  return tidy(() => {
    const parts = tensors.map((t) => cast(t, dtype));
    const be = backendOf('cat', ...parts);
    const shape = tensors[0].shape.map((v, i) => (i === d ? tensors.reduce((a, t) => a + t.shape[d], 0) : v));
    const storage = be.ops.concat(parts.map((t) => t._storage()), parts.map((t) => t.shape), d, dtype);
    const out = wrap(be, storage, shape, dtype);
    if (!isFloat(dtype)) return out;
    return record(out, 'cat', parts, [], (g) => {
      let at = 0;
      return parts.map((t) => g.slice(d, at, (at += t.shape[d])));
    });
  });
}

/** Joins same-shaped tensors along a new dim inserted at `dim` (default 0), as torch.stack. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors || tensors.length === 0) throw new ValueError('stack: expected a non-empty array of tensors');
  shapeForStack('stack', tensors.map((t) => t.shape));
  const d = normDim('stack', dim, tensors[0].ndim + 1);
  return tidy(() => cat(tensors.map((t) => t.unsqueeze(d)), d));
}

/** oneHot(t, numClasses): int32 class indices to an int32 one-hot tensor with a new last dim. */
export function oneHot(t: Tensor, numClasses = -1): Tensor {
  checkIndexDType('oneHot', t);
  const be = backendOf('oneHot', t);
  let c = numClasses;
  if (c === -1) {
    if (!be.readSync) throw new ValueError(`oneHot: backend '${be.name}' cannot read synchronously; pass numClasses explicitly`);
    const v = be.readSync(t._storage()) as Int32Array;
    if (v.length === 0) throw new ValueError('oneHot: cannot infer numClasses from an empty tensor; pass numClasses');
    c = v.reduce((a, b) => Math.max(a, b), 0) + 1;
  }
  if (!Number.isInteger(c) || c < 1) throw new ValueError(`oneHot: numClasses must be a positive integer or -1, got ${numClasses}`);
  validateIndices('oneHot', t, c, `numClasses ${c}`);
  return tidy(() => {
    const classes = fromHost(Array.from({ length: c }, (_, i) => i), [c], 'int32', be);
    return t.unsqueeze(-1).eq(classes).to('int32');
  });
}

/**
 * @internal x.indexSelect(dim, index) for an index core computed on the host (padding modes,
 * nearest upsampling), in range by construction: one trusted gather, whose gradient is a scatter-add.
 */
export function indexSelectTrusted(x: Tensor, dim: number, index: ArrayLike<number>): Tensor {
  return tidy(() => {
    const n = index.length;
    const be = backendOf('indexSelect', x);
    const line = fromHost(index, x.shape.map((_, i) => (i === dim ? n : 1)), 'int32', be);
    return gatherTrusted(x, dim, line.expand(x.shape.map((v, i) => (i === dim ? n : v))));
  });
}
