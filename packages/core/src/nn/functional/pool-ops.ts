import type { Pool2dSpec } from '../../backend/types.js';
import { fusedKernel } from '../../backend/fused.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { backendOf, fromHost, wrap } from '../../ops/dispatch.js';
import { where } from '../../ops/elementwise.js';
import { gatherUnchecked } from '../../ops/index-ops.js';
import type { Tensor } from '../../tensor.js';
import { unfoldWindows, type WindowCache, type WindowGeometry } from './im2col.js';

/**
 * Max and average pooling of 4-D input, recorded for autograd: the backend's fused kernels where
 * it has them (`maxPool2d` with its argmax, `maxPool2dBackward`; `avgPool2d` with
 * `avgPool2dBackward`), else composed from primitives over the im2col windows (a gather, then a
 * max or sum over the taps), whose gradient autograd derives.
 */

function geometry(s: Pool2dSpec): WindowGeometry {
  return { kernel: s.kernel, stride: s.stride, dilation: s.dilation, padBefore: s.padding, out: s.outSize };
}

const outShape = (x: Tensor, s: Pool2dSpec): number[] => [x.shape[0], x.shape[1], ...s.outSize];

/** Gradient of max pooling: each output's gradient added at its argmax (`indices`, flat per plane). */
function maxPoolBackward(g: Tensor, indices: Tensor, inShape: readonly number[], s: Pool2dSpec): Tensor {
  const be = backendOf('maxPool2d', g, indices);
  const fused = fusedKernel(be, 'maxPool2dBackward');
  if (fused) return wrap(be, fused(g._storage(), indices._storage(), s, g.dtype), inShape, g.dtype);
  const plane = s.inSize[0] * s.inSize[1];
  const idxShape = [s.planes, s.outSize[0] * s.outSize[1]];
  return wrap(be, be.ops.scatterAdd(indices._storage(), idxShape, g._storage(), [s.planes, plane], 1, g.dtype), inShape, g.dtype);
}

/** A max pooling's output and, for each output, its argmax: row * inW + col in its input plane (int32). */
export interface MaxPoolResult {
  out: Tensor;
  indices: Tensor;
}

/**
 * For each (tap, window), row-major (taps, windows): `position`, where the tap is in the input
 * plane (row * inW + col), and `tap`, the tap itself. A tap in the padding gets its window's
 * first tap inside the input instead in both, which is what PyTorch reports (and sends the
 * gradient to) for a window whose maximum is -inf: only then can a padded tap win, on a tie.
 */
function tapTables(s: Pool2dSpec): { position: Int32Array; tap: Int32Array } {
  const [oh, ow] = s.outSize;
  const [kh, kw] = s.kernel;
  const [inH, inW] = s.inSize;
  const windows = oh * ow;
  const position = new Int32Array(kh * kw * windows);
  const tap = new Int32Array(kh * kw * windows);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const win = i * ow + j;
      let first = -1;
      for (let t = 0; t < kh * kw; t++) {
        const r = i * s.stride[0] - s.padding[0] + Math.floor(t / kw) * s.dilation[0];
        const c = j * s.stride[1] - s.padding[1] + (t % kw) * s.dilation[1];
        const inside = r >= 0 && r < inH && c >= 0 && c < inW;
        if (inside && first < 0) first = t;
        position[t * windows + win] = inside ? r * inW + c : -1;
        tap[t * windows + win] = inside ? t : -1;
      }
      for (let t = 0; t < kh * kw; t++) {
        if (tap[t * windows + win] < 0) {
          tap[t * windows + win] = first;
          position[t * windows + win] = position[first * windows + win];
        }
      }
    }
  }
  return { position, tap };
}

/**
 * Max pooling of 4-D x, recorded: fused kernel + argmax where the backend has it, else over
 * im2col windows (the argmax tap then mapped to its input position). The indices are computed
 * only when asked for on the composed path.
 */
export function maxPool2dOp(x: Tensor, s: Pool2dSpec, cache: WindowCache | null, withIndices = false): MaxPoolResult {
  return tidy(() => {
    const be = backendOf('maxPool2d', x);
    const fused = fusedKernel(be, 'maxPool2d');
    const shape = outShape(x, s);
    if (!fused) {
      const [n, c] = x.shape;
      const windows = s.outSize[0] * s.outSize[1];
      const k = s.kernel[0] * s.kernel[1];
      // taps are outermost in kernel row-major order, so ties go to the first tap, as PyTorch scans
      const taps = unfoldWindows(x, geometry(s), -Infinity, cache).reshape([n, c, k, windows]);
      const first = taps.max(2).indices;
      // PyTorch's kernels let every nan replace the max, so the last nan of a window wins: the
      // largest tap number among the nan taps, where there is one
      const order = fromHost(Int32Array.from({ length: k }, (_, t) => t), [k, 1], 'int32', be);
      const nanTap = where(taps.isnan(), order, -1).max(2).values;
      const tables = tapTables(s);
      const inside = fromHost(tables.tap, [k, windows], 'int32', be);
      const tap = gatherUnchecked(inside, 0, where(nanTap.ge(0), nanTap, first).reshape([n * c, windows])).reshape([n, c, 1, windows]);
      // the values at the chosen taps, so the gradient goes where PyTorch sends it
      const out = gatherUnchecked(taps, 2, tap).reshape(shape);
      if (!withIndices) return { out, indices: tap };
      const position = fromHost(tables.position, [k, windows], 'int32', be);
      return { out, indices: gatherUnchecked(position, 0, tap.reshape([n * c, windows])).reshape(shape) };
    }
    const r = fused(x._storage(), s, x.dtype);
    const out = wrap(be, r.out, shape, x.dtype);
    const indices = wrap(be, r.indices, shape, 'int32');
    return { out: record(out, 'maxPool2d', [x], [indices], (g, [idx]) => [maxPoolBackward(g, idx, x.shape, s)]), indices };
  });
}

/** PyTorch's avg_pool2d divisor of every output position, (outH, outW). */
export function avgPoolDivisors(s: Pool2dSpec): Float64Array {
  const [oh, ow] = s.outSize;
  const out = new Float64Array(oh * ow);
  const span = (i: number, d: 0 | 1): [number, number] => {
    const lo = i * s.stride[d] - s.padding[d];
    const hi = Math.min(lo + s.kernel[d], s.inSize[d] + s.padding[d]);
    return [lo, hi];
  };
  for (let i = 0; i < oh; i++) {
    const [h0, h1] = span(i, 0);
    for (let j = 0; j < ow; j++) {
      const [w0, w1] = span(j, 1);
      const inside = (Math.min(h1, s.inSize[0]) - Math.max(h0, 0)) * (Math.min(w1, s.inSize[1]) - Math.max(w0, 0));
      out[i * ow + j] = s.divisorOverride || (s.countIncludePad ? (h1 - h0) * (w1 - w0) : inside);
    }
  }
  return out;
}

/** Average pooling of 4-D x, recorded: fused forward and backward where the backend has both, else over im2col windows. */
export function avgPool2dOp(x: Tensor, s: Pool2dSpec, cache: WindowCache | null): Tensor {
  return tidy(() => {
    const be = backendOf('avgPool2d', x);
    const forward = fusedKernel(be, 'avgPool2d');
    const backward = fusedKernel(be, 'avgPool2dBackward');
    const shape = outShape(x, s);
    if (!forward || !backward) {
      const [n, c] = x.shape;
      const taps = unfoldWindows(x, geometry(s), 0, cache);
      const divisors = fromHost(avgPoolDivisors(s), s.outSize, x.dtype, be);
      return taps.reshape([n, c, s.kernel[0] * s.kernel[1], s.outSize[0] * s.outSize[1]]).sum(2).reshape(shape).div(divisors);
    }
    const out = wrap(be, forward(x._storage(), s, x.dtype), shape, x.dtype);
    return record(out, 'avgPool2d', [x], [], (g) => [wrap(be, backward(g._storage(), s, g.dtype), x.shape, g.dtype)]);
  });
}
