import { isFloat } from '../dtype.js';
import { DTypeError, IndexError, ValueError } from '../errors.js';
import { fmt, normDims } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import type { Dims } from './reduce.js';
import { where } from './elementwise.js';

/** The order of a norm: a number (0, 1, 2, Infinity, -Infinity or any other p) or 'fro'. */
export type NormOrd = number | 'fro' | 'nuc';

function order(p: NormOrd): number {
  if (p === 'fro') return 2;
  if (p === 'nuc') throw new ValueError("norm: p='nuc' (the nuclear norm, a sum of singular values) is not supported");
  if (typeof p !== 'number' || Number.isNaN(p)) throw new ValueError(`norm: p must be a number or 'fro', got ${String(p)}`);
  return p;
}

function value(x: Tensor, p: number, axes: number[], keepdim: boolean): Tensor {
  const a = x.abs();
  if (p === Infinity) return a.amax(axes, keepdim);
  if (p === -Infinity) return a.amin(axes, keepdim);
  if (p === 0) return x.ne(0).to(x.dtype).sum(axes, keepdim);
  if (p === 1) return a.sum(axes, keepdim);
  if (p === 2) return a.square().sum(axes, keepdim).sqrt();
  return a.pow(p).sum(axes, keepdim).pow(1 / p);
}

/** PyTorch's norm_backward, case by case, with g and the norm already at x's rank (kept dims). */
function grad(g: Tensor, x: Tensor, n: Tensor, p: number, axes: number[]): Tensor {
  if (p === 0) return x.mul(0);
  if (p === 1) return x.sign().mul(g);
  // the subgradient 0 where the norm is 0 (x = 0), where x / norm would be nan
  if (p === 2) return g.mul(where(n.eq(0), 0, x.div(n)));
  if (!Number.isFinite(p)) {
    // amax/amin of |x|: the gradient is shared by the elements equal to the norm (or nan)
    const a = x.abs();
    const mask = a.eq(n).maximum(a.isnan()).to(x.dtype); // bool maximum is a logical or
    return x.sign().mul(g.div(mask.sum(axes, true)).mul(mask));
  }
  if (p < 1) return x.sign().mul(where(x.eq(0), 0, x.abs().pow(p - 1))).mul(g).mul(n.pow(1 - p));
  const scale = where(n.eq(0), 0, g.div(n.pow(p - 1)));
  return (p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2))).mul(scale);
}

/**
 * The vector p-norm over dims, like `torch.norm` / `torch.linalg.vector_norm`:
 * (sum |x|^p)^(1/p); p = Infinity is max |x|, -Infinity min |x|, 0 the count of nonzeros, and
 * 'fro' (the default) is p = 2 (over all elements, or the given dims).
 *
 * Inputs: `x` floating point; `p` ('fro'); `dim` (all when undefined or null); `keepdim`
 * (false). 'nuc' (a matrix norm) is not supported.
 *
 * Gradient: PyTorch's, including its subgradients: 0 at a zero vector for p = 2 (and for
 * p > 1), sign(x) for p = 1, the gradient shared evenly among the elements that reach the max
 * (or min) for +-Infinity, and 0 for p = 0.
 *
 * Shape: x (*) to x without the reduced dims (size 1 with keepdim).
 *
 * @example
 * ```ts
 * const w = randn([4, 3], { requiresGrad: true });
 * const penalty = w.norm(2, 1).sum();        // the 2-norm of each row
 * penalty.backward();
 * ```
 */
export function norm(x: Tensor, p: NormOrd = 'fro', dim?: Dims | null, keepdim = false): Tensor {
  if (!isFloat(x.dtype)) throw new DTypeError(`norm: input dtype must be floating point, got ${x.dtype}; cast with .to('float32') first`);
  const ord = order(p);
  const axes = normDims('norm', dim ?? undefined, x.ndim);
  if (!Number.isFinite(ord) && axes.some((a) => x.shape[a] === 0)) {
    throw new IndexError(`norm: cannot compute the ${ord > 0 ? '' : '-'}inf norm over an empty dim (input shape ${fmt(x.shape)}): the max has no identity`);
  }
  return tidy(() => {
    const out = noGrad(() => value(x, ord, axes, keepdim));
    return record(out, 'norm', [x], [x, out], (g, [xs, os]) => {
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return [grad(g.reshape(kept), xs, os.reshape(kept), ord, axes)];
    });
  });
}
