import { isFloat } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import { checkOptions, type OptionKeys } from '../options.js';
import { normDims } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import type { Dims } from './reduce.js';
import { where } from './elementwise.js';
import { filled } from './dispatch.js';

/** Options of {@link variance} and {@link std}, as PyTorch 2.x's keyword arguments. */
export interface VarOptions {
  /** Subtracted from the number of elements in the divisor (Bessel's correction). Default: 1. */
  correction?: number;
  /** Keep the reduced dims with size 1. Default: false. */
  keepdim?: boolean;
}

export const VAR_OPTIONS: OptionKeys<VarOptions> = { correction: true, keepdim: true };

interface Moments {
  axes: number[];
  keepdim: boolean;
  correction: number;
  /** No dim given (or a 0-d input): PyTorch's var_backward has its own rule for a divisor <= 0 there. */
  all: boolean;
}

function parse(op: string, x: Tensor, dim: Dims | null | undefined, opts: VarOptions | undefined): Moments {
  const o = checkOptions(op, opts, VAR_OPTIONS);
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: input dtype must be floating point, got ${x.dtype}; cast with .to('float32') first`);
  const correction = o.correction ?? 1;
  if (typeof correction !== 'number' || !Number.isFinite(correction)) {
    throw new ValueError(`${op}: correction must be a finite number, got ${String(correction)}`);
  }
  const axes = normDims(op, dim ?? undefined, x.ndim);
  return { axes, keepdim: o.keepdim ?? false, correction, all: dim === undefined || dim === null || x.ndim === 0 };
}

/** sum((x - mean)^2) / max(0, N - correction), without a graph. */
function varianceValue(x: Tensor, m: Moments): Tensor {
  const n = m.axes.reduce((acc, a) => acc * x.shape[a], 1);
  return noGrad(() => x.sub(x.mean(m.axes, true)).square().sum(m.axes, m.keepdim).div(Math.max(0, n - m.correction)));
}

/**
 * PyTorch's var_backward: (2 / (N - correction)) * g * (x - mean), the divisor NOT clamped at 0
 * (so N < correction flips the sign); over all dims a divisor <= 0 gives g * (x == mean ? nan : inf).
 */
function varianceGrad(g: Tensor, x: Tensor, m: Moments): Tensor {
  const n = m.axes.reduce((acc, a) => acc * x.shape[a], 1);
  const centered = x.sub(x.mean(m.axes, true));
  const gk = g.reshape(x.shape.map((d, i) => (m.axes.includes(i) ? 1 : d)));
  const dof = n - m.correction;
  if (m.all && dof <= 0) return gk.mul(where(centered.eq(0), NaN, filled(Infinity, [], x.dtype, x._ref().backend)));
  return gk.mul(2 / dof).mul(centered);
}

/**
 * The variance over `dim`, like `torch.var` in PyTorch 2.x.
 *
 * Inputs: `x` floating point; `dim` (all dims when undefined or null): a dim or a list of dims.
 *
 * Formula: var = sum((x - mean(x))^2) / max(0, N - correction), N the number of elements
 * reduced. A divisor of 0 (N <= correction, e.g. one element with the default correction) gives
 * nan, or inf where the sum is not 0, as in PyTorch; the gradient is PyTorch's
 * (2 / (N - correction)) * g * (x - mean).
 *
 * Options (defaults as PyTorch 2.x): `correction` (1): 1 is the unbiased estimate, 0 the
 * population variance (PyTorch's old `unbiased=False`); `keepdim` (false).
 *
 * Shape: x (*) to x without the reduced dims (size 1 with keepdim).
 *
 * @example
 * ```ts
 * const x = randn([4, 8], { requiresGrad: true });
 * const v = x.var(1, { correction: 0, keepdim: true });   // as LayerNorm uses it
 * v.sum().backward();
 * ```
 */
export function variance(x: Tensor, dim?: Dims | null, opts?: VarOptions): Tensor {
  const m = parse('var', x, dim, opts);
  return tidy(() => record(varianceValue(x, m), 'var', [x], [x], (g, [xs]) => [varianceGrad(g, xs, m)]));
}

/**
 * The standard deviation over `dim`, like `torch.std`: sqrt of {@link variance} with the same
 * `dim`, `correction` (1) and `keepdim` (false). Its gradient is g / (2 std) passed through the
 * variance's, and 0 where std is 0 (PyTorch's subgradient).
 *
 * Shape: x (*) to x without the reduced dims (size 1 with keepdim).
 *
 * @example
 * ```ts
 * const x = randn([3, 5], { requiresGrad: true });
 * x.std(-1).sum().backward();
 * ```
 */
export function std(x: Tensor, dim?: Dims | null, opts?: VarOptions): Tensor {
  const m = parse('std', x, dim, opts);
  return tidy(() => {
    const out = noGrad(() => varianceValue(x, m).sqrt());
    // PyTorch's std_backward: g / (2 std), 0 where std is 0, then var_backward
    return record(out, 'std', [x], [x, out], (g, [xs, os]) => [varianceGrad(where(os.eq(0), 0, g.div(os.mul(2))), xs, m)]);
  });
}
