import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { zeros } from '../../ops/creation.js';
import { filled } from '../../ops/dispatch.js';
import { tidy } from '../../memory/scope.js';
import { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { uniform_ } from '../init.js';
import { checkDropoutP } from '../functional/dropout.js';
import { checkInt, requireFloat } from '../functional/util.js';
import { runLayers, type CellWeights } from '../functional/rnn/layers.js';
import { GATES, type RnnMode } from '../functional/rnn/steps.js';
import { paramDType, type FactoryOptions, type FloatDType } from './factory.js';

/** Options shared by nn.RNN, nn.LSTM and nn.GRU (PyTorch's keyword arguments, camelCase). */
export interface RNNBaseOptions extends FactoryOptions {
  /** Recurrent layers stacked, each reading the previous one's output sequence. Default 1. */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh. Default true. */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature]. Default false. */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output but the last's, in training mode. Default 0. */
  dropout?: number;
  /** Also run each layer from the last step to the first and concatenate both. Default false. */
  bidirectional?: boolean;
}

const NAMES: Record<RnnMode, string> = { RNN_TANH: 'RNN', RNN_RELU: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/**
 * What nn.RNN, nn.LSTM and nn.GRU share: the parameters, created with PyTorch's names and in its
 * order (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then the `_reverse` ones, then layer
 * 1, ...) and initialised from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), and the forward's
 * checks and layout (unbatched input, batchFirst).
 */
export abstract class RNNBase extends Module {
  /** PyTorch's mode names: 'RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'. */
  readonly mode: RnnMode;
  /** Features of each input step. */
  readonly inputSize: number;
  /** Features of the state h (and c). */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the layers have b_ih and b_hh. */
  readonly bias: boolean;
  /** Input and output are [batch, seq, feature]. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers (training only). */
  readonly dropout: number;
  /** Whether each layer also runs backwards. */
  readonly bidirectional: boolean;
  /** @internal the parameter names, layer-direction by layer-direction (PyTorch's _flat_weights_names). */
  protected readonly weightNames: string[][] = [];

  protected constructor(mode: RnnMode, inputSize: number, hiddenSize: number, opts: RNNBaseOptions) {
    super();
    const op = NAMES[mode];
    this.mode = mode;
    this.inputSize = checkInt(op, 'inputSize', inputSize, 0);
    this.hiddenSize = checkInt(op, 'hiddenSize', hiddenSize, 1);
    this.numLayers = checkInt(op, 'numLayers', opts.numLayers ?? 1, 1);
    this.bias = checkBool(op, 'bias', opts.bias ?? true);
    this.batchFirst = checkBool(op, 'batchFirst', opts.batchFirst ?? false);
    this.dropout = checkDropoutP(op, opts.dropout ?? 0);
    this.bidirectional = checkBool(op, 'bidirectional', opts.bidirectional ?? false);
    const dtype = paramDType(op, opts);
    const gates = GATES[mode] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const self = this as unknown as Record<string, Tensor>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const inSize = layer === 0 ? inputSize : hiddenSize * dirs;
        const shapes: [string, number[]][] = [[`weight_ih${sfx}`, [gates, inSize]], [`weight_hh${sfx}`, [gates, hiddenSize]]];
        if (this.bias) shapes.push([`bias_ih${sfx}`, [gates]], [`bias_hh${sfx}`, [gates]]);
        for (const [name, shape] of shapes) self[name] = Parameter(zeros(shape, { dtype }));
        this.weightNames.push(shapes.map(([name]) => name));
      }
    }
    this.resetParameters();
  }

  /** Re-draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) (seeded), as PyTorch does. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  /**
   * The parameters of each layer-direction, [weight_ih, weight_hh, bias_ih, bias_hh] (the biases
   * only with `bias`), like PyTorch's `all_weights`.
   */
  get allWeights(): Tensor[][] {
    const self = this as unknown as Record<string, Tensor>;
    return this.weightNames.map((names) => names.map((n) => self[n]));
  }

  /** A no-op kept for ports of PyTorch code (cuDNN's weight compaction has no counterpart here). */
  flattenParameters(): void {}

  private get dtype(): FloatDType {
    return (this.allWeights[0][0].dtype as FloatDType);
  }

  private cellWeights(): CellWeights[] {
    return this.allWeights.map(([wih, whh, bih, bhh]) => ({ wih, whh, bih: bih ?? null, bhh: bhh ?? null }));
  }

  /**
   * @internal The forward shared by the three modules: checks, then layout to [T, batch, F],
   * zeros for missing initial states, the recurrence, and the layout back.
   */
  protected run(input: Tensor, h0: Tensor | null | undefined, c0: Tensor | null | undefined): { output: Tensor; hN: Tensor; cN: Tensor | null } {
    const op = NAMES[this.mode];
    if (!(input instanceof Tensor)) throw new ValueError(`${op}: input must be a Tensor, got ${typeof input}`);
    requireFloat(op, input);
    if (input.dtype !== this.dtype) {
      throw new DTypeError(`${op}: input has dtype ${input.dtype} but the parameters have dtype ${this.dtype}; they must match`);
    }
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new ShapeError(`${op}: expected input to be 2-D (unbatched [seq, feature]) or 3-D (batched), got shape ${fmt(input.shape)}`);
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${op}: input.size(-1) must be equal to inputSize. Expected ${this.inputSize}, got ${input.shape[input.ndim - 1]}`);
    }
    const batched = input.ndim === 3;
    const T = batched && this.batchFirst ? input.shape[1] : input.shape[0];
    if (T === 0) throw new ValueError(`${op}: expected sequence length to be larger than 0, got input of shape ${fmt(input.shape)}`);
    const B = batched ? (this.batchFirst ? input.shape[0] : input.shape[1]) : 1;
    const stateShape = [this.numLayers * (this.bidirectional ? 2 : 1), ...(batched ? [B] : []), this.hiddenSize];
    const states = this.mode === 'LSTM' ? [['hx', h0], ['cx', c0]] as const : [['hx', h0]] as const;
    for (const [what, s] of states) {
      if (s === null || s === undefined) continue;
      if (!(s instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor, got ${typeof s}`);
      if (s.ndim !== stateShape.length) {
        const want = batched ? 'For batched 3-D input, hx should also be 3-D' : 'For unbatched 2-D input, hx should also be 2-D';
        throw new ShapeError(`${op}: ${want}, got ${what} of shape ${fmt(s.shape)}`);
      }
      if (s.shape.some((v, i) => v !== stateShape[i])) {
        throw new ShapeError(`${op}: expected ${what} of shape ${fmt(stateShape)}, got ${fmt(s.shape)}`);
      }
      if (s.dtype !== input.dtype) throw new DTypeError(`${op}: ${what} has dtype ${s.dtype} but the input has dtype ${input.dtype}; they must match`);
    }
    return tidy(() => {
      const be = input._ref().backend;
      const state = (s: Tensor | null | undefined): Tensor => {
        if (!s) return filled(0, [stateShape[0], B, this.hiddenSize], input.dtype, be);
        return batched ? s : s.unsqueeze(1);
      };
      const x = !batched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
      const r = runLayers({
        mode: this.mode, x, h0: state(h0), c0: this.mode === 'LSTM' ? state(c0) : null, weights: this.cellWeights(),
        numLayers: this.numLayers, bidirectional: this.bidirectional, dropout: this.dropout, training: this.training,
      });
      const output = !batched ? r.output.squeeze(1) : this.batchFirst ? r.output.transpose(0, 1) : r.output;
      const unbatch = (s: Tensor | null): Tensor | null => (s && !batched ? s.squeeze(1) : s);
      return { output, hN: unbatch(r.hN)!, cN: unbatch(r.cN) };
    });
  }
}

function checkBool(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValueError(`${op}: ${name} must be a boolean, got ${String(v)}`);
  return v;
}
