import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { zeros } from '../../ops/creation.js';
import { filled } from '../../ops/dispatch.js';
import { tidy } from '../../memory/scope.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { uniform_ } from '../init.js';
import { checkInt, requireFloat } from '../functional/util.js';
import { project } from '../functional/rnn/layers.js';
import { scan } from '../functional/rnn/scan.js';
import { GATES, type RnnMode } from '../functional/rnn/steps.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options shared by nn.RNNCell, nn.LSTMCell and nn.GRUCell. */
export interface RNNCellBaseOptions extends FactoryOptions {
  /** Learn the biases b_ih and b_hh. Default true. */
  bias?: boolean;
}

/** Options of nn.RNNCell: the shared ones and the nonlinearity. */
export interface RNNCellOptions extends RNNCellBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

const CELL_KEYS: OptionKeys<RNNCellBaseOptions> = { bias: true, dtype: true };
const RNN_CELL_KEYS: OptionKeys<RNNCellOptions> = { ...CELL_KEYS, nonlinearity: true };
const NAMES: Record<RnnMode, string> = { RNN_TANH: 'RNNCell', RNN_RELU: 'RNNCell', LSTM: 'LSTMCell', GRU: 'GRUCell' };

/**
 * What the three cells share: parameters `weight_ih` [G hiddenSize, inputSize], `weight_hh`
 * [G hiddenSize, hiddenSize], `bias_ih` and `bias_hh` [G hiddenSize] (G gate blocks), all from
 * U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), and the forward: one step of the matching
 * recurrent layer (the same kernels, so a cell unrolled by hand matches the layer).
 */
export abstract class RNNCellBase extends Module {
  /** PyTorch's mode names: 'RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'. */
  readonly mode: RnnMode;
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the state h (and c). */
  readonly hiddenSize: number;
  /** Whether the cell has b_ih and b_hh. */
  readonly bias: boolean;
  /** [G hiddenSize, inputSize]. */
  weight_ih: Tensor;
  /** [G hiddenSize, hiddenSize]. */
  weight_hh: Tensor;
  /** [G hiddenSize], or null without bias. */
  bias_ih: Tensor | null;
  /** [G hiddenSize], or null without bias. */
  bias_hh: Tensor | null;

  protected constructor(mode: RnnMode, inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions) {
    super();
    const op = NAMES[mode];
    this.mode = mode;
    this.inputSize = checkInt(op, 'inputSize', inputSize, 0);
    this.hiddenSize = checkInt(op, 'hiddenSize', hiddenSize, 1);
    const bias = opts.bias ?? true;
    if (typeof bias !== 'boolean') throw new ValueError(`${op}: bias must be a boolean, got ${String(bias)}`);
    this.bias = bias;
    const dtype = paramDType(op, opts);
    const g = GATES[mode] * hiddenSize;
    this.weight_ih = Parameter(zeros([g, inputSize], { dtype }));
    this.weight_hh = Parameter(zeros([g, hiddenSize], { dtype }));
    this.bias_ih = bias ? Parameter(zeros([g], { dtype })) : null;
    this.bias_hh = bias ? Parameter(zeros([g], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) (seeded), as PyTorch does. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  /** @internal one step: h' (and the LSTM's c'), in the input's layout. */
  protected step(input: Tensor, h: Tensor | null | undefined, c: Tensor | null | undefined): [Tensor, Tensor | null] {
    const op = NAMES[this.mode];
    if (!(input instanceof Tensor)) throw new ValueError(`${op}: input must be a Tensor, got ${typeof input}`);
    requireFloat(op, input);
    if (input.dtype !== this.weight_ih.dtype) {
      throw new DTypeError(`${op}: input has dtype ${input.dtype} but the parameters have dtype ${this.weight_ih.dtype}; they must match`);
    }
    if (input.ndim !== 1 && input.ndim !== 2) throw new ShapeError(`${op}: Expected input to be 1D or 2D, got ${input.ndim}D input of shape ${fmt(input.shape)}`);
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${op}: input has inconsistent input_size: got ${input.shape[input.ndim - 1]} expected ${this.inputSize}`);
    }
    const batched = input.ndim === 2;
    const B = batched ? input.shape[0] : 1;
    const stateShape = batched ? [B, this.hiddenSize] : [this.hiddenSize];
    for (const [what, s] of [['hx', h], ['cx', c]] as const) {
      if (s === null || s === undefined) continue;
      if (!(s instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor, got ${typeof s}`);
      if (s.ndim !== stateShape.length || s.shape.some((v, i) => v !== stateShape[i])) {
        throw new ShapeError(`${op}: expected ${what} of shape ${fmt(stateShape)} for input of shape ${fmt(input.shape)}, got ${fmt(s.shape)}`);
      }
      if (s.dtype !== input.dtype) throw new DTypeError(`${op}: ${what} has dtype ${s.dtype} but the input has dtype ${input.dtype}; they must match`);
    }
    return tidy(() => {
      const be = input._ref().backend;
      const state = (s: Tensor | null | undefined): Tensor => (!s ? filled(0, [B, this.hiddenSize], input.dtype, be) : batched ? s : s.unsqueeze(0));
      const x = (batched ? input : input.unsqueeze(0)).unsqueeze(0);
      const w = { wih: this.weight_ih, whh: this.weight_hh, bih: this.bias_ih, bhh: this.bias_hh };
      const lstm = this.mode === 'LSTM';
      const packed = scan({
        mode: this.mode, xg: project(this.mode, x, w), h0: state(h), c0: lstm ? state(c) : null,
        whh: this.weight_hh, bhh: this.mode === 'GRU' ? this.bias_hh : null, reverse: false,
      });
      const out = (k: number): Tensor => (batched ? packed.select(0, k) : packed.select(0, k).squeeze(0));
      return [out(0), lstm ? out(1) : null];
    });
  }
}

/**
 * An Elman RNN cell (torch.nn.RNNCell), one step of nn.RNN:
 *
 *   h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)   (relu with `nonlinearity: 'relu'`)
 *
 * Inputs of `forward(input, hx?)`: `input` [N, inputSize] or [inputSize]; `hx` [N, hiddenSize]
 * or [hiddenSize], zeros when omitted. Returns h' shaped as hx.
 *
 * Parameters: `weight_ih` [hiddenSize, inputSize], `weight_hh` [hiddenSize, hiddenSize],
 * `bias_ih`, `bias_hh` [hiddenSize], all from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * Options: `bias` (true), `nonlinearity` ('tanh'), `dtype` ('float32').
 *
 * Shape: input (N, inputSize) or (inputSize); hx and output (N, hiddenSize) or (hiddenSize).
 *
 * @example
 * const cell = new nn.RNNCell(10, 20);
 * const x = randn([6, 3, 10]);
 * let hx = randn([3, 20]);
 * for (let t = 0; t < 6; t++) hx = cell.forward(x.select(0, t), hx);
 * hx.sum().backward();
 */
export class RNNCell extends RNNCellBase {
  /** 'tanh' or 'relu'. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    checkOptions('RNNCell', opts, RNN_CELL_KEYS);
    const nonlinearity = opts.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ValueError(`RNNCell: unknown nonlinearity '${String(nonlinearity)}'; select from 'tanh' or 'relu'`);
    }
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** One step from `hx` (zeros when omitted): h'. */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.step(input, hx, null)[0];
  }
}

/**
 * A long short-term memory cell (torch.nn.LSTMCell), one step of nn.LSTM:
 *
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi),  f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg),  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g,  h' = o * tanh(c')
 *
 * Inputs of `forward(input, [hx, cx]?)`: `input` [N, inputSize] or [inputSize]; `hx`, `cx`
 * [N, hiddenSize] or [hiddenSize], zeros when omitted. Returns `[h', c']`, shaped as hx.
 *
 * Parameters (gates stacked i, f, g, o): `weight_ih` [4 hiddenSize, inputSize], `weight_hh`
 * [4 hiddenSize, hiddenSize], `bias_ih`, `bias_hh` [4 hiddenSize], all from
 * U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * Options: `bias` (true), `dtype` ('float32').
 *
 * Shape: input (N, inputSize) or (inputSize); hx, cx, h', c' (N, hiddenSize) or (hiddenSize).
 *
 * @example
 * const cell = new nn.LSTMCell(10, 20);
 * const x = randn([2, 3, 10]);
 * let [hx, cx] = [randn([3, 20]), randn([3, 20])];
 * for (let t = 0; t < 2; t++) [hx, cx] = cell.forward(x.select(0, t), [hx, cx]);
 * hx.sum().backward();
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    checkOptions('LSTMCell', opts, CELL_KEYS);
    super('LSTM', inputSize, hiddenSize, opts);
  }

  /** One step from `[hx, cx]` (zeros when omitted): `[h', c']`. */
  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, Tensor] {
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ValueError('LSTMCell: hx must be a pair [hx, cx] of tensors');
    }
    const [h, c] = this.step(input, hx?.[0] ?? null, hx?.[1] ?? null);
    return [h, c!];
  }
}

/**
 * A gated recurrent unit cell (torch.nn.GRUCell), one step of nn.GRU:
 *
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) * n + z * h
 *
 * Inputs of `forward(input, hx?)`: as for nn.RNNCell. Returns h' shaped as hx.
 *
 * Parameters (gates stacked r, z, n): `weight_ih` [3 hiddenSize, inputSize], `weight_hh`
 * [3 hiddenSize, hiddenSize], `bias_ih`, `bias_hh` [3 hiddenSize], all from
 * U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * Options: `bias` (true), `dtype` ('float32').
 *
 * Shape: input (N, inputSize) or (inputSize); hx and output (N, hiddenSize) or (hiddenSize).
 *
 * @example
 * const cell = new nn.GRUCell(10, 20);
 * const x = randn([6, 3, 10]);
 * let hx = randn([3, 20]);
 * for (let t = 0; t < 6; t++) hx = cell.forward(x.select(0, t), hx);
 * hx.sum().backward();
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    checkOptions('GRUCell', opts, CELL_KEYS);
    super('GRU', inputSize, hiddenSize, opts);
  }

  /** One step from `hx` (zeros when omitted): h'. */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.step(input, hx, null)[0];
  }
}
