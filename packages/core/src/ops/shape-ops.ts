import { ShapeError, ValueError } from '../errors.js';
import { fmt, normDim, sizeOf, type Shape } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { backendOf, wrap } from './dispatch.js';
import { reduceTo } from './elementwise.js';

/** Resolves one -1 in a requested shape, PyTorch style. */
function inferShape(op: string, requested: readonly number[], size: number): number[] {
  const shape = requested.slice();
  const free = shape.indexOf(-1);
  if (shape.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== free))) {
    throw new ShapeError(`${op}: invalid shape ${fmt(requested)} (sizes must be non-negative integers, with at most one -1)`);
  }
  if (free >= 0) {
    const rest = sizeOf(shape.filter((_, i) => i !== free));
    if (rest === 0 || size % rest !== 0) throw new ShapeError(`${op}: shape ${fmt(requested)} is invalid for input of size ${size}`);
    shape[free] = size / rest;
  }
  if (sizeOf(shape) !== size) throw new ShapeError(`${op}: shape ${fmt(requested)} is invalid for input of size ${size}`);
  return shape;
}

/** A view: same storage, new shape. */
export function reshape(x: Tensor, requested: readonly number[], op = 'reshape'): Tensor {
  const shape = inferShape(op, requested, x.numel());
  const out = Tensor._fromRef(x._ref().retain(), shape, x.dtype);
  return record(out, op, [x], [], (g) => [g.reshape(x.shape)]);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1], 'flatten');
  const s = normDim('flatten', startDim, x.ndim);
  const e = normDim('flatten', endDim, x.ndim);
  if (s > e) throw new ValueError(`flatten: startDim (${startDim}) must not come after endDim (${endDim})`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape, 'flatten');
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? x.shape.map((_, i) => i) : (typeof dim === 'number' ? [dim] : dim).map((d) => normDim('squeeze', d, x.ndim));
  return reshape(x, x.shape.filter((d, i) => !(d === 1 && dims.includes(i))), 'squeeze');
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(x, shape, 'unsqueeze');
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new ShapeError(`permute: got ${dims.length} dims ${fmt(dims)} for a tensor of rank ${x.ndim}; give each dim once`);
  }
  const perm = dims.map((d) => normDim('permute', d, x.ndim));
  if (new Set(perm).size !== perm.length) throw new ValueError(`permute: dims ${fmt(dims)} repeat a dimension`);
  if (perm.every((p, i) => p === i)) return reshape(x, x.shape, 'permute');
  return tidy(() => {
    const be = backendOf('permute', x);
    const shape = perm.map((p) => x.shape[p]);
    const out = wrap(be, be.ops.permute(x._storage(), x.shape, perm, x.dtype), shape, x.dtype);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return record(out, 'permute', [x], [], (g) => [g.permute(inverse)]);
  });
}

export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  // rank 0 and 1: dims in range (0 and -1 for a scalar, as PyTorch) give the tensor back
  if (x.ndim < 2) {
    normDim('transpose', d0, x.ndim);
    normDim('transpose', d1, x.ndim);
    return reshape(x, x.shape, 'transpose');
  }
  const a = normDim('transpose', d0, x.ndim);
  const b = normDim('transpose', d1, x.ndim);
  const perm = x.shape.map((_, i) => i);
  [perm[a], perm[b]] = [perm[b], perm[a]];
  return permute(x, perm);
}

/** Broadcasts to a bigger shape (materialized); -1 keeps a size. Gradient sums back. */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) {
    throw new ShapeError(`expand: the number of sizes (${sizes.length}) must be at least the tensor's rank (${x.ndim})`);
  }
  const lead = sizes.length - x.ndim;
  const shape = sizes.map((s, i) => {
    const cur = i < lead ? undefined : x.shape[i - lead];
    if (s === -1) {
      if (cur === undefined) throw new ShapeError(`expand: -1 is not allowed for the new leading dim ${i}`);
      return cur;
    }
    if (!Number.isInteger(s) || s < 0) throw new ShapeError(`expand: invalid size ${s} at dim ${i}`);
    if (cur !== undefined && cur !== s && cur !== 1) {
      throw new ShapeError(`expand: the size of dim ${i} (${cur}) must match the new size (${s}) unless it is 1; shape ${fmt(x.shape)} to ${fmt(sizes)}`);
    }
    return s;
  });
  if (shape.length === x.ndim && shape.every((d, i) => d === x.shape[i])) return reshape(x, shape, 'expand');
  return tidy(() => {
    const be = backendOf('expand', x);
    const out = wrap(be, be.ops.expand(x._storage(), x.shape, shape, x.dtype), shape, x.dtype);
    return record(out, 'expand', [x], [], (g) => [reduceTo(g, x.shape)]);
  });
}

export function shapeForStack(op: string, shapes: readonly Shape[]): void {
  for (const s of shapes) {
    if (s.length !== shapes[0].length || s.some((d, i) => d !== shapes[0][i])) {
      throw new ShapeError(`${op}: all tensors must have the same shape, got ${fmt(shapes[0])} and ${fmt(s)}`);
    }
  }
}

/**
 * Repeats the tensor along each dim, like `torch.Tensor.repeat` (numpy's tile): `sizes` has at
 * least x's rank; extra leading sizes add new dims. out[i] = x[i % size] along every dim.
 * Gradients sum over the copies.
 *
 * Shape: (d_0, ..., d_k) with sizes (r_0, ..., r_k) to (r_0 * d_0, ..., r_k * d_k).
 *
 * @example
 * ```ts
 * const x = randn([2, 3], { requiresGrad: true });
 * x.repeat(2, 1, 2).sum().backward();     // shape [2, 2, 6]; x.grad = 4 everywhere
 * ```
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) {
    throw new ShapeError(`repeat: the number of repeats (${sizes.length}) must be at least the tensor's rank (${x.ndim}); got ${fmt(sizes)} for shape ${fmt(x.shape)}`);
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new ValueError(`repeat: repeats must be non-negative integers, got ${fmt(sizes)}`);
  const lead = sizes.length - x.ndim;
  const dims = [...new Array<number>(lead).fill(1), ...x.shape];
  return tidy(() => {
    // (1, d0, 1, d1, ...) broadcast to (r0, d0, r1, d1, ...): row-major, that is the tiling
    const spread = x.reshape(dims.flatMap((d) => [1, d]));
    return spread.expand(dims.flatMap((d, i) => [sizes[i], d])).reshape(dims.map((d, i) => d * sizes[i]));
  });
}
