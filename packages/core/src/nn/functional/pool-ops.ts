import type { Pool2dSpec } from '../../backend/types.js';
import { fusedKernel } from '../../backend/fused.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { backendOf, fromHost, wrap } from '../../ops/dispatch.js';
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

/** Max pooling of 4-D x, recorded: fused kernel + argmax where the backend has it, else over im2col windows. */
export function maxPool2dOp(x: Tensor, s: Pool2dSpec, cache: WindowCache | null): Tensor {
  return tidy(() => {
    const be = backendOf('maxPool2d', x);
    const fused = fusedKernel(be, 'maxPool2d');
    const shape = outShape(x, s);
    if (!fused) {
      const [n, c] = x.shape;
      // taps are outermost in kernel row-major order, so ties go to the first tap, as PyTorch scans
      const taps = unfoldWindows(x, geometry(s), -Infinity, cache);
      return taps.reshape([n, c, s.kernel[0] * s.kernel[1], -1]).max(2).values.reshape(shape);
    }
    const r = fused(x._storage(), s, x.dtype);
    const out = wrap(be, r.out, shape, x.dtype);
    const indices = wrap(be, r.indices, shape, 'int32');
    return record(out, 'maxPool2d', [x], [indices], (g, [idx]) => [maxPoolBackward(g, idx, x.shape, s)]);
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
      return taps.reshape([n, c, s.kernel[0] * s.kernel[1], -1]).sum(2).reshape(shape).div(divisors);
    }
    const out = wrap(be, forward(x._storage(), s, x.dtype), shape, x.dtype);
    return record(out, 'avgPool2d', [x], [], (g) => [wrap(be, backward(g._storage(), s, g.dtype), x.shape, g.dtype)]);
  });
}
