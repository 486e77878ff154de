import { record } from '../../autograd/record.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { tidy } from '../../memory/scope.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { where } from '../../ops/elementwise.js';
import { backendOf, fromHost, wrap } from '../../ops/dispatch.js';
import { cat, gatherUnchecked } from '../../ops/index-ops.js';
import { argsort } from '../../ops/sort.js';
import { validateIndices } from '../../ops/validate.js';
import { single, type IntOrPair, type IntOrSingle } from './conv.js';
import { pair, requireFloat } from './util.js';

/** Options of MaxUnpool2d and nn.functional.maxUnpool2d. */
export interface MaxUnpool2dOptions {
  /** The pooling's stride. Default: kernelSize. */
  stride?: IntOrPair | null;
  /** The pooling's padding. Default 0. */
  padding?: IntOrPair;
  /**
   * The output's (H, W), or its whole shape: for a pooling whose input size the default
   * (H_in - 1) * stride - 2 padding + kernelSize does not give back. Each must be within stride
   * of the default. Default: the default.
   */
  outputSize?: readonly number[] | null;
}

/** Options of MaxUnpool1d and nn.functional.maxUnpool1d. */
export interface MaxUnpool1dOptions {
  /** The pooling's stride. Default: kernelSize. */
  stride?: IntOrSingle | null;
  /** The pooling's padding. Default 0. */
  padding?: IntOrSingle;
  /** The output's L, or its whole shape; within stride of (L_in - 1) * stride - 2 padding + kernelSize. */
  outputSize?: readonly number[] | null;
}

export const MAX_UNPOOL2D_OPTIONS: OptionKeys<MaxUnpool2dOptions> = { stride: true, padding: true, outputSize: true };
export const MAX_UNPOOL1D_OPTIONS: OptionKeys<MaxUnpool1dOptions> = { stride: true, padding: true, outputSize: true };

/** An unpooling's geometry, 1-D as height 1. */
export interface UnpoolSettings {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  outputSize: readonly number[] | null;
}

/** @internal MaxUnpool2d's options resolved. */
export function maxUnpool2dSettings(op: string, kernelSize: IntOrPair, o: MaxUnpool2dOptions): UnpoolSettings {
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  return { kernel, stride: pair(op, 'stride', o.stride ?? kernel, 1), padding: pair(op, 'padding', o.padding ?? 0, 0), outputSize: o.outputSize ?? null };
}

/** @internal MaxUnpool1d's options as a 2-D unpooling of height 1. */
export function maxUnpool1dSettings(op: string, kernelSize: IntOrSingle, o: MaxUnpool1dOptions): UnpoolSettings {
  const k = single(op, 'kernelSize', kernelSize, 1);
  return { kernel: [1, k], stride: [1, single(op, 'stride', o.stride ?? k, 1)], padding: [0, single(op, 'padding', o.padding ?? 0, 0)], outputSize: o.outputSize ?? null };
}

/** PyTorch's _unpool_output_size for the `spatial` trailing dims. */
function outputSizeOf(op: string, x: Tensor, s: UnpoolSettings, spatial: 1 | 2): [number, number] {
  const inSize = spatial === 2 ? x.shape.slice(-2) : [1, x.shape[x.ndim - 1]];
  const dflt = [0, 1].map((d) => (inSize[d] - 1) * s.stride[d] + s.kernel[d] - 2 * s.padding[d]);
  if (s.outputSize === null) {
    if (dflt.some((v) => v < 0)) throw new ValueError(`${op}: the output size ${fmt(dflt.slice(2 - spatial))} would be negative (input shape ${fmt(x.shape)})`);
    return dflt as [number, number];
  }
  const given = Array.from(s.outputSize);
  const spatialSize = given.length === spatial + 2 ? given.slice(2) : given;
  if (spatialSize.length !== spatial || !spatialSize.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ValueError(`${op}: outputSize must hold ${spatial} or ${spatial + 2} non-negative integers, got ${fmt(given)}`);
  }
  const size = spatial === 2 ? spatialSize : [1, spatialSize[0]];
  for (let d = 2 - spatial; d < 2; d++) {
    const lo = dflt[d] - s.stride[d];
    const hi = dflt[d] + s.stride[d];
    if (!(lo < size[d] && size[d] < hi)) {
      throw new ValueError(`${op}: invalid outputSize ${fmt(given)} (dim ${d - (2 - spatial)} must be between ${lo} and ${hi}, exclusive)`);
    }
  }
  return size as [number, number];
}

/**
 * @internal Max unpooling of (N, C, ...) or (C, ...) input: zeros of the output size, with each
 * input value written at its plane's position in `indices`. Where several values name one
 * position the last in the plane's order wins (PyTorch leaves that to the order of its threads;
 * indices from a pooling name a position only with equal values); the gradient of every input
 * value is the output gradient at its position, as PyTorch's.
 */
export function unpoolImpl(op: string, x: Tensor, indices: Tensor, s: UnpoolSettings, spatial: 1 | 2): Tensor {
  requireFloat(op, x);
  const dimsName = spatial === 2 ? '(C, H, W)' : '(C, L)';
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(`${op}: expected a ${spatial + 1}-D ${dimsName} or ${spatial + 2}-D (N, ${dimsName.slice(1)} input, got shape ${fmt(x.shape)}`);
  }
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32 (the pooling's returnIndices), got ${indices.dtype}`);
  if (indices.ndim !== x.ndim || indices.shape.some((v, i) => v !== x.shape[i])) {
    throw new ShapeError(`${op}: indices must have the input's shape ${fmt(x.shape)}, got ${fmt(indices.shape)}`);
  }
  const [outH, outW] = outputSizeOf(op, x, s, spatial);
  const lead = x.shape.slice(0, x.ndim - spatial);
  const outShape = [...lead, ...(spatial === 2 ? [outH, outW] : [outW])];
  const planes = lead.reduce((a, b) => a * b, 1);
  const perPlane = x.numel() / Math.max(planes, 1);
  const outPlane = outH * outW;
  const be = backendOf(op, x, indices);
  const what = spatial === 2 ? `an output plane of ${outH}x${outW}` : `an output of length ${outW}`;
  if (x.numel() === 0 || outPlane === 0) {
    if (indices.numel() > 0) validateIndices(op, indices, outPlane, what);
    const out = fromHost(new Float32Array(planes * outPlane), outShape, x.dtype, be);
    return record(out, op, [x], [], () => [fromHost(new Float32Array(x.numel()), x.shape, x.dtype, be)]);
  }
  validateIndices(op, indices, outPlane, what);
  return tidy(() => {
    const idx = indices.reshape([planes, perPlane]);
    // the writers of each position, in the plane's order (argsort is stable); the last of each
    // run of equal positions is the one that wins
    const order = argsort(idx, { dim: 1 });
    const sorted = gatherUnchecked(idx, 1, order);
    const next = cat([sorted.narrow(1, 1, perPlane - 1), fromHost(new Int32Array(planes).fill(-1), [planes, 1], 'int32', be)], 1);
    const target = where(sorted.ne(next), sorted, outPlane);
    // winner + 1 at each position (one add per position; the losers go to a spare column)
    const plusOne = order.add(1);
    const won = wrap(be, be.ops.scatterAdd(target._storage(), target.shape, plusOne._storage(), [planes, outPlane + 1], 1, 'int32'), [planes, outPlane + 1], 'int32');
    const source = won.narrow(1, 0, outPlane).sub(1);
    const values = x.detach().reshape([planes, perPlane]);
    const out = where(source.ge(0), gatherUnchecked(values, 1, source.clamp(0, null)), 0).reshape(outShape);
    return record(out, op, [x], [indices], (g, [i]) => [
      gatherUnchecked(g.reshape([planes, outPlane]), 1, i.reshape([planes, perPlane])).reshape(x.shape),
    ]);
  });
}

/**
 * torch.nn.functional.max_unpool2d: a partial inverse of max pooling. Zeros of the output size
 * ((H_in - 1) * stride - 2 padding + kernelSize, or `outputSize`) with every input value written
 * at its position in `indices` (what maxPool2d's `returnIndices` gives); where two name one
 * position, the later one in the plane wins (in PyTorch, whichever of its threads writes last;
 * a pooling's indices repeat only with equal values). An index outside the output plane is an
 * IndexError.
 *
 * @example
 * const x = randn([1, 1, 4, 4]);
 * const [pooled, where] = nn.functional.maxPool2d(x, 2, { returnIndices: true });
 * const back = nn.functional.maxUnpool2d(pooled, where, 2);   // [1, 1, 4, 4]: each max in place, zeros elsewhere
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: IntOrPair, opts: MaxUnpool2dOptions = {}): Tensor {
  const o = checkOptions('maxUnpool2d', opts, MAX_UNPOOL2D_OPTIONS);
  return unpoolImpl('maxUnpool2d', x, indices, maxUnpool2dSettings('maxUnpool2d', kernelSize, o), 2);
}

/**
 * torch.nn.functional.max_unpool1d: a partial inverse of maxPool1d: zeros of length
 * (L_in - 1) * stride - 2 padding + kernelSize (or `outputSize`) with each value written at its
 * index along L (the later one wins on a repeated index).
 *
 * @example
 * const [pooled, where] = nn.functional.maxPool1d(randn([2, 3, 8]), 2, { returnIndices: true });
 * const back = nn.functional.maxUnpool1d(pooled, where, 2);   // [2, 3, 8]
 */
export function maxUnpool1d(x: Tensor, indices: Tensor, kernelSize: IntOrSingle, opts: MaxUnpool1dOptions = {}): Tensor {
  const o = checkOptions('maxUnpool1d', opts, MAX_UNPOOL1D_OPTIONS);
  return unpoolImpl('maxUnpool1d', x, indices, maxUnpool1dSettings('maxUnpool1d', kernelSize, o), 1);
}
