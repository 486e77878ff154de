import { fusedKernel } from '../backend/fused.js';
import { floatDType } from '../dtype.js';
import { normDim } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, wrap } from './dispatch.js';
import { cast } from './elementwise.js';
import { extreme } from './reduce.js';

/**
 * log(softmax(x)) along dim, computed stably as (x - max) - log(sum(exp(x - max))). Uses the
 * backend's fused `logSoftmax` when it has one; the gradient is g - softmax(x) * sum(g) either way.
 * As in PyTorch, a row holding nan or +inf, or only -inf, comes out nan everywhere.
 */
function composedLogSoftmax(x: Tensor, d: number): Tensor {
  // an empty tensor has no row to normalize (and max over a size-0 dim has no identity)
  if (x.numel() === 0) return x.clone();
  const shifted = x.sub(extreme('max', x, d, true));
  return shifted.sub(shifted.exp().sum(d, true).log());
}

/**
 * `log(softmax(x))` along `dim`, computed stably as `x - logsumexp(x, dim)` (a backend's fused
 * kernel where it has one), as torch.log_softmax.
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = normDim('logSoftmax', dim, x.ndim);
  return tidy(() => {
    const xf = cast(x, floatDType(x.dtype));
    const be = backendOf('logSoftmax', xf);
    const fused = fusedKernel(be, 'logSoftmax');
    const out = fused
      ? wrap(be, fused(xf._storage(), kernelShape(xf), d, xf.dtype), xf.shape, xf.dtype)
      : noGrad(() => composedLogSoftmax(xf, d));
    return record(out, 'logSoftmax', [xf], [out], (g, [o]) => [g.sub(o.exp().mul(g.sum(d, true)))]);
  });
}

/** softmax along dim; fused when the backend has it, otherwise exp(logSoftmax(x)). */
export function softmax(x: Tensor, dim: number): Tensor {
  const d = normDim('softmax', dim, x.ndim);
  return tidy(() => {
    const xf = cast(x, floatDType(x.dtype));
    const be = backendOf('softmax', xf);
    const fused = fusedKernel(be, 'softmax');
    const out = fused
      ? wrap(be, fused(xf._storage(), kernelShape(xf), d, xf.dtype), xf.shape, xf.dtype)
      : noGrad(() => logSoftmax(xf, d).exp());
    return record(out, 'softmax', [xf], [out], (g, [o]) => [o.mul(g.sub(g.mul(o).sum(d, true)))]);
  });
}

/** A 0-d tensor is one row of length 1 to a kernel that works along an axis. */
function kernelShape(x: Tensor): readonly number[] {
  return x.ndim === 0 ? [1] : x.shape;
}
