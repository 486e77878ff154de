import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import type { Tensor } from '../../tensor.js';
import { RNNBase, type RNNBaseOptions } from './rnn-base.js';

/** Options of nn.RNN: the shared ones and the nonlinearity. */
export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** Options of nn.LSTM: the shared ones (projSize is not supported yet). */
export interface LSTMOptions extends RNNBaseOptions {
  /** LSTM with projections (h_t = W_hr h_t). Default 0: none. */
  projSize?: number;
}

/** Options of nn.GRU: the shared ones. */
export type GRUOptions = RNNBaseOptions;

const BASE_KEYS: OptionKeys<RNNBaseOptions> = { numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, dtype: true };
const RNN_KEYS: OptionKeys<RNNOptions> = { ...BASE_KEYS, nonlinearity: true };
const LSTM_KEYS: OptionKeys<LSTMOptions> = { ...BASE_KEYS, projSize: 'LSTM with projections (projSize > 0) is not implemented yet; use projSize 0' };
const GRU_KEYS: OptionKeys<GRUOptions> = BASE_KEYS;

/**
 * An Elman recurrent network (torch.nn.RNN): for each element of the input sequence, each layer
 * computes
 *
 *   h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
 *
 * (relu in place of tanh with `nonlinearity: 'relu'`), where x_t is the input at step t for the
 * first layer and the previous layer's h_t (after dropout, in training) for the others.
 *
 * Inputs of `forward(input, hx?)`: `input` [L, N, inputSize] ([N, L, inputSize] with batchFirst,
 * [L, inputSize] unbatched); `hx` the initial states [numLayers * D, N, hiddenSize]
 * ([numLayers * D, hiddenSize] unbatched), zeros when omitted. D = 2 when bidirectional, else 1.
 * Returns `[output, hN]`: output [L, N, D * hiddenSize] (batch first with batchFirst) holds the
 * last layer's h_t of every step, both directions concatenated; hN [numLayers * D, N, hiddenSize]
 * the final state of each layer-direction (never batch first, as in PyTorch).
 *
 * Parameters, with PyTorch's names so that state dicts move between the libraries:
 * `weight_ih_l{k}` [hiddenSize, inputSize] for k = 0, else [hiddenSize, D * hiddenSize];
 * `weight_hh_l{k}` [hiddenSize, hiddenSize]; `bias_ih_l{k}`, `bias_hh_l{k}` [hiddenSize]; the
 * reverse direction's end in `_reverse`. All start from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * Options: `numLayers` (1), `nonlinearity` ('tanh'), `bias` (true), `batchFirst` (false),
 * `dropout` (0), `bidirectional` (false), `dtype` ('float32').
 *
 * Shape: see the inputs; L is the sequence length, N the batch size.
 *
 * @example
 * const rnn = new nn.RNN(10, 20, { numLayers: 2 });
 * const input = randn([5, 3, 10]);
 * const h0 = randn([2, 3, 20]);
 * const [output, hn] = rnn.forward(input, h0);   // [5, 3, 20], [2, 3, 20]
 * output.sum().backward();
 */
export class RNN extends RNNBase {
  /** 'tanh' or 'relu'. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    checkOptions('RNN', opts, RNN_KEYS);
    const nonlinearity = opts.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ValueError(`RNN: unknown nonlinearity '${String(nonlinearity)}'; select from 'tanh' or 'relu'`);
    }
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** Runs the sequence from `hx` (zeros when omitted): `[output, hN]`. */
  /** Runs the sequence from `hx` (zeros when omitted): `[output, hN]`. */
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const r = this.run(input, hx, null);
    return [r.output, r.hN];
  }
}

/**
 * A long short-term memory network (torch.nn.LSTM): for each element of the input sequence,
 * each layer computes
 *
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *   c_t = f_t * c_{t-1} + i_t * g_t
 *   h_t = o_t * tanh(c_t)
 *
 * where x_t is the input at step t for the first layer and the previous layer's h_t (after
 * dropout, in training) for the others.
 *
 * Inputs of `forward(input, [h0, c0]?)`: `input` [L, N, inputSize] ([N, L, inputSize] with
 * batchFirst, [L, inputSize] unbatched); `h0` and `c0` the initial hidden and cell states,
 * [numLayers * D, N, hiddenSize] ([numLayers * D, hiddenSize] unbatched), zeros when omitted
 * (D = 2 when bidirectional, else 1). Returns `[output, [hN, cN]]`: output [L, N, D * hiddenSize]
 * (batch first with batchFirst), the last layer's h_t of every step; hN and cN the final states
 * of each layer-direction, shaped as h0.
 *
 * Parameters (PyTorch's names and layout, gates stacked in the order i, f, g, o):
 * `weight_ih_l{k}` [4 hiddenSize, inputSize] for k = 0, else [4 hiddenSize, D * hiddenSize];
 * `weight_hh_l{k}` [4 hiddenSize, hiddenSize]; `bias_ih_l{k}`, `bias_hh_l{k}` [4 hiddenSize]; the
 * reverse direction's end in `_reverse`. All start from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 * Backends with the fused `lstmCell` kernels run each step's elementwise part as one kernel.
 *
 * Options: `numLayers` (1), `bias` (true), `batchFirst` (false), `dropout` (0), `bidirectional`
 * (false), `dtype` ('float32'); `projSize` is not supported yet (0 only).
 *
 * Shape: see the inputs; L is the sequence length, N the batch size.
 *
 * @example
 * const lstm = new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true });
 * const input = randn([3, 5, 10]);
 * const [output, [hn, cn]] = lstm.forward(input);   // [3, 5, 20], [2, 3, 20], [2, 3, 20]
 * output.sum().add(cn.sum()).backward();
 */
export class LSTM extends RNNBase {
  /** Always 0: LSTM with projections is not supported yet. */
  readonly projSize = 0;
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    // projSize 0 is PyTorch's default and means "no projection": accepted as written in ports
    const { projSize, ...rest } = opts;
    checkOptions('LSTM', projSize === 0 ? rest : opts, LSTM_KEYS);
    super('LSTM', inputSize, hiddenSize, rest);
  }

  /** Runs the sequence from `[h0, c0]` (zeros when omitted): `[output, [hN, cN]]`. */
  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ValueError('LSTM: hx must be a pair [h0, c0] of tensors');
    }
    const r = this.run(input, hx?.[0] ?? null, hx?.[1] ?? null);
    return [r.output, [r.hN, r.cN!]];
  }
}

/**
 * A gated recurrent unit network (torch.nn.GRU): for each element of the input sequence, each
 * layer computes
 *
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
 *   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
 *
 * where x_t is the input at step t for the first layer and the previous layer's h_t (after
 * dropout, in training) for the others.
 *
 * Inputs of `forward(input, hx?)`: as for nn.RNN. Returns `[output, hN]`, as nn.RNN.
 *
 * Parameters (PyTorch's names and layout, gates stacked in the order r, z, n): `weight_ih_l{k}`
 * [3 hiddenSize, inputSize] for k = 0, else [3 hiddenSize, D * hiddenSize]; `weight_hh_l{k}`
 * [3 hiddenSize, hiddenSize]; `bias_ih_l{k}`, `bias_hh_l{k}` [3 hiddenSize]; the reverse
 * direction's end in `_reverse`. All start from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * Options: `numLayers` (1), `bias` (true), `batchFirst` (false), `dropout` (0), `bidirectional`
 * (false), `dtype` ('float32').
 *
 * Shape: see the inputs; L is the sequence length, N the batch size.
 *
 * @example
 * const gru = new nn.GRU(10, 20, { bidirectional: true });
 * const input = randn([5, 3, 10]);
 * const [output, hn] = gru.forward(input);   // [5, 3, 40], [2, 3, 20]
 * output.sum().backward();
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: GRUOptions = {}) {
    checkOptions('GRU', opts, GRU_KEYS);
    super('GRU', inputSize, hiddenSize, opts);
  }

  /** Runs the sequence from `hx` (zeros when omitted): `[output, hN]`. */
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const r = this.run(input, hx, null);
    return [r.output, r.hN];
  }
}
