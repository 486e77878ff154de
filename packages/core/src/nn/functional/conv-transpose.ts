import type { Conv2dSpec } from '../../backend/types.js';
import { ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import type { IntOrPair } from './conv.js';
import { convTranspose2dOp } from './conv-ops.js';
import type { WindowCache } from './im2col.js';
import { checkInt, pair, requireFloat, requireSameDType } from './util.js';

/** Options of nn.functional.convTranspose2d (torch.nn.functional.conv_transpose2d's keyword arguments). */
export interface ConvTranspose2dOptions {
  /** Default 1. */
  stride?: IntOrPair;
  /** dilation * (kernelSize - 1) - padding zeros are added to both sides of the input. Default 0. */
  padding?: IntOrPair;
  /** Extra size added to one side (bottom, right) of the output; less than stride or dilation. Default 0. */
  outputPadding?: IntOrPair;
  /** Channels are split into this many independent groups. Default 1. */
  groups?: number;
  /** Spacing between kernel taps. Default 1. */
  dilation?: IntOrPair;
}

/** The keys nn.functional.convTranspose2d accepts. */
export const CONV_TRANSPOSE2D_OPTIONS: OptionKeys<ConvTranspose2dOptions> = {
  stride: true, padding: true, outputPadding: true, groups: true, dilation: true,
};

/** ConvTranspose2d's options resolved to pairs. */
export interface TransposeSettings {
  stride: [number, number];
  padding: [number, number];
  outputPadding: [number, number];
  dilation: [number, number];
  groups: number;
}

/** ConvTranspose2d's options resolved to pairs and checked (outputPadding below stride or dilation). */
export function transposeSettings(op: string, opts: ConvTranspose2dOptions): TransposeSettings {
  const stride = pair(op, 'stride', opts.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const outputPadding = pair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
  for (const d of [0, 1]) {
    if (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d]) {
      throw new ValueError(
        `${op}: outputPadding must be smaller than either stride or dilation, got outputPadding ${fmt(outputPadding)}, stride ${fmt(stride)}, dilation ${fmt(dilation)}`,
      );
    }
  }
  return { stride, dilation, outputPadding, padding: pair(op, 'padding', opts.padding ?? 0, 0), groups: checkInt(op, 'groups', opts.groups ?? 1, 1) };
}

/** @internal conv_transpose2d of (N, C, H, W) or (C, H, W) input, validated, as a recorded op. */
export function convTranspose2dImpl(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, s: TransposeSettings, cache: WindowCache | null): Tensor {
  requireFloat(op, x);
  requireSameDType(op, x, weight, 'weight');
  requireSameDType(op, x, bias, 'bias');
  if (weight.ndim !== 4) throw new ShapeError(`${op}: weight must be 4-D [in, out / groups, kH, kW], got shape ${fmt(weight.shape)}`);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${fmt(x.shape)}`);
  const [inC, outPerGroup, kh, kw] = weight.shape;
  const c = x.shape[x.ndim - 3];
  if (c !== inC) throw new ShapeError(`${op}: input has ${c} channels (shape ${fmt(x.shape)}), expected ${inC} (weight ${fmt(weight.shape)})`);
  if (inC % s.groups !== 0) throw new ValueError(`${op}: in channels (${inC}) must be divisible by groups (${s.groups})`);
  if (kh < 1 || kw < 1) throw new ShapeError(`${op}: kernel size must be positive, got weight shape ${fmt(weight.shape)}`);
  const outC = outPerGroup * s.groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outC)) throw new ShapeError(`${op}: bias must have shape [${outC}], got ${fmt(bias.shape)}`);
  const [h, w] = x.shape.slice(-2);
  const size = (d: 0 | 1, n: number, k: number): number =>
    (n - 1) * s.stride[d] - 2 * s.padding[d] + s.dilation[d] * (k - 1) + s.outputPadding[d] + 1;
  const out: [number, number] = [size(0, h, kh), size(1, w, kw)];
  if (out[0] < 1 || out[1] < 1) {
    throw new ShapeError(`${op}: the output size ${fmt(out)} is not positive (input shape ${fmt(x.shape)}, kernel [${kh}, ${kw}], padding ${fmt(s.padding)})`);
  }
  return tidy(() => {
    const x4 = x.ndim === 4 ? x : x.unsqueeze(0);
    // the convolution whose input gradient this is: input (N, outC, out), output (N, inC, H, W)
    const spec: Conv2dSpec = {
      batch: x4.shape[0], inChannels: outC, outChannels: inC, groups: s.groups, inSize: out, outSize: [h, w],
      kernel: [kh, kw], stride: s.stride, padding: s.padding, dilation: s.dilation,
    };
    const y = convTranspose2dOp(x4, weight, bias, spec, cache);
    return x.ndim === 4 ? y : y.squeeze(0);
  });
}

/**
 * torch.nn.functional.conv_transpose2d: the transposed convolution ("deconvolution") of
 * (N, C_in, H, W) (or unbatched) input with weight (C_in, C_out / groups, kH, kW), plus bias
 * (C_out): the gradient of conv2d with respect to its input, so each input pixel spreads its
 * value times the kernel over a stride-spaced patch of the output.
 *
 * Output size: (H - 1) stride - 2 padding + dilation (kH - 1) + outputPadding + 1.
 *
 * @example
 * const x = randn([1, 4, 5, 5], { requiresGrad: true });
 * const w = randn([4, 2, 3, 3], { requiresGrad: true });
 * const y = nn.functional.convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 });   // [1, 2, 10, 10]
 * y.sum().backward();
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose2dOptions = {}): Tensor {
  const o = checkOptions('convTranspose2d', opts, CONV_TRANSPOSE2D_OPTIONS);
  return convTranspose2dImpl('convTranspose2d', x, weight, bias, transposeSettings('convTranspose2d', o), null);
}
