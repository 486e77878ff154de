import { DTypeError, ValueError } from '../errors.js';
import { isFloat } from '../dtype.js';
import { fmt } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { tidy } from '../memory/scope.js';
import { rand, randn } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { checkOptions, type OptionKeys } from '../options.js';

/**
 * torch.nn.init: fill a tensor in place (outside autograd) from the seeded generator, so that
 * `manualSeed(s)` makes every model's initial weights reproducible on every backend.
 */

/** PyTorch's nonlinearity names (camelCase spellings are accepted too). */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'leakyRelu' | 'selu';

/** Which fan a Kaiming init preserves: inputs ('fan_in', forward pass) or outputs ('fan_out', backward pass); camelCase spellings accepted. */
export type FanMode = 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';

const GAIN_ONE = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid']);

/** torch.nn.init.calculate_gain: the recommended scale for a nonlinearity. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (GAIN_ONE.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new ValueError(`calculateGain: negative slope ${slope} is not a valid number`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unsupported nonlinearity '${nonlinearity}'`);
  }
}

/** fan_in = size(1) * receptive field, fan_out = size(0) * receptive field, as PyTorch computes them. */
export function calculateFanInAndFanOut(t: Tensor): {
  /** size(1) times the receptive field (the product of the dims after the first two). */
  fanIn: number;
  /** size(0) times the receptive field. */
  fanOut: number;
} {
  if (t.ndim < 2) {
    throw new ValueError(`init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape ${fmt(t.shape)})`);
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fanOf(t: Tensor, mode: FanMode): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  if (mode === 'fan_in' || mode === 'fanIn') return fanIn;
  if (mode === 'fan_out' || mode === 'fanOut') return fanOut;
  throw new ValueError(`init: mode '${mode}' not supported, please use one of fan_in, fan_out`);
}

function floatTarget(op: string, t: Tensor): void {
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: expected a floating-point tensor, got dtype ${t.dtype}`);
}

/** Writes src into t outside autograd; t keeps its identity (and its place in a module). */
function fill(t: Tensor, make: () => Tensor): Tensor {
  noGrad(() => tidy(() => void t.copy_(make())));
  return t;
}

/** Fills t with U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  floatTarget('uniform_', t);
  if (!(a <= b)) throw new ValueError(`uniform_: expected a <= b, got a=${a}, b=${b}`);
  return fill(t, () => rand(t.shape, { dtype: t.dtype }).mul(b - a).add(a));
}

/** Fills t with N(mean, std^2). */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  floatTarget('normal_', t);
  if (!(std >= 0)) throw new ValueError(`normal_: std must be non-negative, got ${std}`);
  return fill(t, () => randn(t.shape, { dtype: t.dtype }).mul(std).add(mean));
}

/** Fills `t` with `value` in place, without recording a gradient; returns `t`. */
export function constant_(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

/** Fills `t` with 0 in place; returns `t`. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` with 1 in place; returns `t`. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Xavier/Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(t, -a, a);
}

/** Xavier/Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** Options of `kaimingUniform_` and `kaimingNormal_`. */
export interface KaimingOptions {
  /** Negative slope of the leaky_relu that follows (only used with 'leaky_relu'). Default 0. */
  a?: number;
  /** 'fan_in' (default) keeps the forward variance, 'fan_out' the backward variance. */
  mode?: FanMode;
  /** Default 'leaky_relu', as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

const KAIMING_OPTIONS: OptionKeys<KaimingOptions> = { a: true, mode: true, nonlinearity: true };

function kaimingStd(op: string, t: Tensor, opts: KaimingOptions): number | null {
  opts = checkOptions(op, opts, KAIMING_OPTIONS);
  floatTarget(op, t);
  // PyTorch warns and does nothing for zero-element tensors (e.g. Linear(0, n)).
  if (t.numel() === 0) return null;
  const fan = fanOf(t, opts.mode ?? 'fan_in');
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan);
}

/** Kaiming/He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const std = kaimingStd('kaimingUniform_', t, opts);
  if (std === null) return t;
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound);
}

/** Kaiming/He normal: N(0, std^2), std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const std = kaimingStd('kaimingNormal_', t, opts);
  if (std === null) return t;
  return normal_(t, 0, std);
}
