import { tidy } from '../../../memory/scope.js';
import { cat, stack } from '../../../ops/index-ops.js';
import type { Tensor } from '../../../tensor.js';
import { dropout } from '../dropout.js';
import { linear } from '../linear.js';
import { scan } from './scan.js';
import type { RnnMode } from './steps.js';

/** One layer-direction's parameters, as PyTorch names them: weight_ih_lK, weight_hh_lK, bias_ih_lK, bias_hh_lK. */
export interface CellWeights {
  wih: Tensor;
  whh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
}

export interface StackArgs {
  mode: RnnMode;
  /** [T, batch, features], time-major. */
  x: Tensor;
  /** [layers * directions, batch, hidden]. */
  h0: Tensor;
  c0: Tensor | null;
  /** Indexed layer * directions + direction, as PyTorch orders them. */
  weights: CellWeights[];
  numLayers: number;
  bidirectional: boolean;
  /** Dropout on each layer's output but the last's (in training only). */
  dropout: number;
  training: boolean;
}

export interface StackResult {
  /** [T, batch, directions * hidden]: the last layer's states. */
  output: Tensor;
  /** [layers * directions, batch, hidden]: the last state of each layer-direction. */
  hN: Tensor;
  cN: Tensor | null;
}

/**
 * The input projection of one layer-direction for every step at once: [T, batch, gates * hidden]
 * from one matmul. The GRU keeps b_hh for its cell (the n gate scales it by r); the LSTM and the
 * plain RNN fold it into this bias, since their cell only ever adds it.
 */
export function project(mode: RnnMode, x: Tensor, w: CellWeights): Tensor {
  const [T, B, F] = x.shape;
  const bias = mode === 'GRU' ? w.bih : w.bih && w.bhh ? w.bih.add(w.bhh) : (w.bih ?? w.bhh);
  const xg = linear(x.reshape([T * B, F]), w.wih, bias);
  return xg.reshape([T, B, xg.shape[1]]);
}

/** A multi-layer, optionally bidirectional recurrence (nn.RNN, nn.LSTM, nn.GRU's forward). */
export function runLayers(a: StackArgs): StackResult {
  return tidy(() => {
    const { mode, numLayers } = a;
    const dirs = a.bidirectional ? 2 : 1;
    const T = a.x.shape[0];
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    let input = a.x;
    for (let layer = 0; layer < numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const k = layer * dirs + d;
        const w = a.weights[k];
        const packed = scan({
          mode, xg: project(mode, input, w), h0: a.h0.select(0, k), c0: a.c0 ? a.c0.select(0, k) : null,
          whh: w.whh, bhh: mode === 'GRU' ? w.bhh : null, reverse: d === 1,
        });
        const out = mode === 'LSTM' ? packed.narrow(0, 0, T) : packed;
        outs.push(out);
        hN.push(out.select(0, d === 1 ? 0 : T - 1));
        if (mode === 'LSTM') cN.push(packed.select(0, T));
      }
      input = dirs === 1 ? outs[0] : cat(outs, 2);
      if (layer < numLayers - 1 && a.training && a.dropout > 0) input = dropout(input, a.dropout, true);
    }
    return { output: input, hN: stack(hN, 0), cN: mode === 'LSTM' ? stack(cN, 0) : null };
  });
}
