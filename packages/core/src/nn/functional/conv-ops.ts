import type { Conv2dSpec } from '../../backend/types.js';
import { fusedKernel } from '../../backend/fused.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { backendOf, wrap } from '../../ops/dispatch.js';
import { bmm } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';
import { foldWindows, unfoldWindows, type WindowCache, type WindowGeometry } from './im2col.js';

/**
 * The three products of a 2-D convolution -- forward, input gradient, weight gradient -- each
 * the backend's fused kernel where it has one (`conv2d`, `conv2dBackwardInput`,
 * `conv2dBackwardWeight`), else composed from primitives: im2col (one gather), a batched matmul,
 * and for the input gradient col2im (one scatter-add). Inputs are 4-D and already validated;
 * padding is zero padding (other modes were applied by the caller).
 */

function geometry(s: Conv2dSpec): WindowGeometry {
  return { kernel: s.kernel, stride: s.stride, dilation: s.dilation, padBefore: s.padding, out: s.outSize };
}

const outShape = (s: Conv2dSpec): number[] => [s.batch, s.outChannels, ...s.outSize];
const inShape = (s: Conv2dSpec): [number, number, number, number] => [s.batch, s.inChannels, ...s.inSize];

/** Multiply-add sizes of the grouped products: (N, G, Og, P) = (G, Og, K) @ (N, G, K, P). */
function dims(s: Conv2dSpec) {
  const g = s.groups;
  return { n: s.batch, g, og: s.outChannels / g, k: (s.inChannels / g) * s.kernel[0] * s.kernel[1], p: s.outSize[0] * s.outSize[1] };
}

/** y = conv(x, w) + b, not recorded. */
export function conv2dValue(x: Tensor, w: Tensor, b: Tensor | null, s: Conv2dSpec, cache: WindowCache | null = null): Tensor {
  const be = backendOf('conv2d', x, w);
  const fused = fusedKernel(be, 'conv2d');
  if (fused) return wrap(be, fused(x._storage(), w._storage(), b ? b._storage() : null, s, x.dtype), outShape(s), x.dtype);
  return noGrad(() => tidy(() => {
    const { n, g, og, k, p } = dims(s);
    const cols = unfoldWindows(x, geometry(s), 0, cache).reshape([n, g, k, p]);
    const y = bmm(w.reshape([g, og, k]), cols, false, false).reshape(outShape(s));
    return b ? y.add(b.reshape([1, s.outChannels, 1, 1])) : y;
  }));
}

/** dL/dx of conv2d given dL/dy (also ConvTranspose2d's forward), not recorded. */
export function conv2dInputValue(gy: Tensor, w: Tensor, s: Conv2dSpec, cache: WindowCache | null = null): Tensor {
  const be = backendOf('conv2d', gy, w);
  const fused = fusedKernel(be, 'conv2dBackwardInput');
  if (fused) return wrap(be, fused(gy._storage(), w._storage(), s, gy.dtype), inShape(s), gy.dtype);
  return noGrad(() => tidy(() => {
    const { n, g, og, k, p } = dims(s);
    const cols = bmm(w.reshape([g, og, k]), gy.reshape([n, g, og, p]), true, false);
    return foldWindows(cols.reshape([n, s.inChannels, -1]), inShape(s), geometry(s), cache);
  }));
}

/** dL/dw of conv2d given x and dL/dy, not recorded. */
export function conv2dWeightValue(x: Tensor, gy: Tensor, s: Conv2dSpec, cache: WindowCache | null = null): Tensor {
  const be = backendOf('conv2d', x, gy);
  const fused = fusedKernel(be, 'conv2dBackwardWeight');
  const wShape = [s.outChannels, s.inChannels / s.groups, ...s.kernel];
  if (fused) return wrap(be, fused(x._storage(), gy._storage(), s, x.dtype), wShape, x.dtype);
  return noGrad(() => tidy(() => {
    const { n, g, og, k, p } = dims(s);
    const cols = unfoldWindows(x, geometry(s), 0, cache).reshape([n, g, k, p]);
    return bmm(gy.reshape([n, g, og, p]), cols, false, true).sum(0).reshape(wShape);
  }));
}

/** The bias gradient: dL/dy summed over batch and positions. */
const biasGrad = (g: Tensor): Tensor => g.sum([0, 2, 3]);

/** conv2d of 4-D x, recorded for autograd; a gradient is computed only for inputs that need one. */
export function conv2dOp(x: Tensor, w: Tensor, b: Tensor | null, s: Conv2dSpec, cache: WindowCache | null): Tensor {
  return tidy(() => {
    const out = conv2dValue(x, w, b, s, cache);
    const inputs = b ? [x, w, b] : [x, w];
    const need = inputs.map((t) => t.requiresGrad);
    return record(out, 'conv2d', inputs, [x, w], (g, [xs, ws]) => [
      need[0] ? conv2dInputValue(g, ws, s, cache) : null,
      need[1] ? conv2dWeightValue(xs, g, s, cache) : null,
      ...(b ? [need[2] ? biasGrad(g) : null] : []),
    ]);
  });
}

/**
 * conv_transpose2d of 4-D x, recorded: the input gradient of the convolution whose geometry is
 * `s` (its input is this op's output). Its own gradients are that convolution's forward (for x)
 * and weight gradient with the roles of x and dL/dy swapped.
 */
export function convTranspose2dOp(x: Tensor, w: Tensor, b: Tensor | null, s: Conv2dSpec, cache: WindowCache | null): Tensor {
  return tidy(() => {
    let out = conv2dInputValue(x, w, s, cache);
    if (b) out = noGrad(() => out.add(b.reshape([1, s.inChannels, 1, 1])));
    const inputs = b ? [x, w, b] : [x, w];
    const need = inputs.map((t) => t.requiresGrad);
    return record(out, 'convTranspose2d', inputs, [x, w], (g, [xs, ws]) => [
      need[0] ? conv2dValue(g, ws, null, s, cache) : null,
      need[1] ? conv2dWeightValue(g, xs, s, cache) : null,
      ...(b ? [need[2] ? biasGrad(g) : null] : []),
    ]);
  });
}
