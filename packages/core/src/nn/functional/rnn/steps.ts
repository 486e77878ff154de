import { fusedKernel } from '../../../backend/fused.js';
import type { RnnCellSpec } from '../../../backend/types.js';
import { backendOf, wrap } from '../../../ops/dispatch.js';
import { binary, where } from '../../../ops/elementwise.js';
import { cat } from '../../../ops/index-ops.js';
import type { Tensor } from '../../../tensor.js';

/**
 * One time step of each recurrent cell, forward and backward, on plain tensors (the caller runs
 * them under noGrad and records one autograd node per sequence). Each step runs the backend's
 * fused kernel where it has one (lstmCell, gruCell and their backward) and otherwise the same
 * formulas composed from primitives; conformance checks that both agree.
 *
 * `xg` is the input projection of every time step, [T, batch, gates * hidden], biases included
 * (for the LSTM and the plain RNN b_hh is folded in too); step t reads row block t.
 */

/** Which recurrence a layer runs, by PyTorch's mode names. */
export type RnnMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** Gate blocks per mode, as PyTorch stacks them in weight_ih / weight_hh. */
export const GATES: Record<RnnMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

const oneMinus = (x: Tensor): Tensor => binary('sub', 1, x);
const block = (x: Tensor, i: number, hidden: number): Tensor => x.narrow(1, i * hidden, hidden);

function specOf(xg: Tensor | null, t: number, h: Tensor): RnnCellSpec {
  const [batch, hidden] = h.shape;
  return { batch, hidden, xOffset: xg ? t * xg.shape[1] * xg.shape[2] : 0 };
}

/** h' = tanh or relu(xg_t + hg), hg = h W_hh^T. The output is all the backward needs. */
export function simpleStep(mode: RnnMode, xg: Tensor, t: number, hg: Tensor): Tensor {
  const pre = xg.select(0, t).add(hg);
  return mode === 'RNN_RELU' ? pre.relu() : pre.tanh();
}

/** The gradient of the pre-activation from dh and the step's output. */
export function simpleStepBackward(mode: RnnMode, hNew: Tensor, dh: Tensor): Tensor {
  // relu passes the gradient where the output is not <= 0, as PyTorch's relu backward does
  return mode === 'RNN_RELU' ? where(hNew.le(0), 0, dh) : dh.mul(oneMinus(hNew.square()));
}

export interface LstmStep {
  h: Tensor;
  c: Tensor;
  /** [batch, 4 * hidden]: i, f, g, o after their activations. */
  gates: Tensor;
}

export function lstmStep(xg: Tensor, t: number, hg: Tensor, c: Tensor): LstmStep {
  const be = backendOf('LSTM', xg, hg, c);
  const spec = specOf(xg, t, c);
  const kernel = fusedKernel(be, 'lstmCell');
  if (kernel) {
    const r = kernel(xg._storage(), hg._storage(), c._storage(), spec, c.dtype);
    return { h: wrap(be, r.h, c.shape, c.dtype), c: wrap(be, r.c, c.shape, c.dtype), gates: wrap(be, r.gates, hg.shape, c.dtype) };
  }
  const pre = xg.select(0, t).add(hg);
  const H = spec.hidden;
  const i = block(pre, 0, H).sigmoid();
  const f = block(pre, 1, H).sigmoid();
  const g = block(pre, 2, H).tanh();
  const o = block(pre, 3, H).sigmoid();
  const cNew = f.mul(c).add(i.mul(g));
  return { h: o.mul(cNew.tanh()), c: cNew, gates: cat([i, f, g, o], 1) };
}

/** dgates (of the pre-activations, [batch, 4 * hidden]) and dc of the previous cell state. */
export function lstmStepBackward(gates: Tensor, c: Tensor, cNew: Tensor, dh: Tensor, dc: Tensor): { dgates: Tensor; dc: Tensor } {
  const be = backendOf('LSTM', gates, c, cNew, dh, dc);
  const kernel = fusedKernel(be, 'lstmCellBackward');
  if (kernel) {
    const r = kernel(gates._storage(), c._storage(), cNew._storage(), dh._storage(), dc._storage(), specOf(null, 0, c), c.dtype);
    return { dgates: wrap(be, r.dgates, gates.shape, c.dtype), dc: wrap(be, r.dc, c.shape, c.dtype) };
  }
  const H = c.shape[1];
  const [i, f, g, o] = [0, 1, 2, 3].map((k) => block(gates, k, H));
  const tc = cNew.tanh();
  const dct = dc.add(dh.mul(o).mul(oneMinus(tc.square())));
  const sig = (x: Tensor): Tensor => x.mul(oneMinus(x));
  const dgates = cat([dct.mul(g).mul(sig(i)), dct.mul(c).mul(sig(f)), dct.mul(i).mul(oneMinus(g.square())), dh.mul(tc).mul(sig(o))], 1);
  return { dgates, dc: dct.mul(f) };
}

export interface GruStep {
  h: Tensor;
  /** [batch, 4 * hidden]: r, z, n and hn (the n block of h W_hh^T + b_hh). */
  gates: Tensor;
}

export function gruStep(xg: Tensor, t: number, hg: Tensor, bhh: Tensor | null, h: Tensor): GruStep {
  const be = backendOf('GRU', xg, hg, h);
  const spec = specOf(xg, t, h);
  const kernel = fusedKernel(be, 'gruCell');
  if (kernel) {
    const r = kernel(xg._storage(), hg._storage(), bhh ? bhh._storage() : null, h._storage(), spec, h.dtype);
    return { h: wrap(be, r.h, h.shape, h.dtype), gates: wrap(be, r.gates, [spec.batch, 4 * spec.hidden], h.dtype) };
  }
  const H = spec.hidden;
  const x = xg.select(0, t);
  const hb = bhh ? hg.add(bhh) : hg;
  const r = block(x, 0, H).add(block(hb, 0, H)).sigmoid();
  const z = block(x, 1, H).add(block(hb, 1, H)).sigmoid();
  const hn = block(hb, 2, H);
  const n = block(x, 2, H).add(r.mul(hn)).tanh();
  // (1 - z) * n + z * h, as PyTorch writes it
  const hNew = oneMinus(z).mul(n).add(z.mul(h));
  return { h: hNew, gates: cat([r, z, n, hn], 1) };
}

export interface GruStepGrads {
  dxg: Tensor;
  dhg: Tensor;
  /** dh * z: the part of the previous state's gradient that skips W_hh. */
  dh: Tensor;
}

export function gruStepBackward(gates: Tensor, h: Tensor, dh: Tensor): GruStepGrads {
  const be = backendOf('GRU', gates, h, dh);
  const kernel = fusedKernel(be, 'gruCellBackward');
  if (kernel) {
    const r = kernel(gates._storage(), h._storage(), dh._storage(), specOf(null, 0, h), h.dtype);
    const g3 = [h.shape[0], 3 * h.shape[1]];
    return { dxg: wrap(be, r.dxg, g3, h.dtype), dhg: wrap(be, r.dhg, g3, h.dtype), dh: wrap(be, r.dh, h.shape, h.dtype) };
  }
  const H = h.shape[1];
  const [r, z, n, hn] = [0, 1, 2, 3].map((k) => block(gates, k, H));
  const dn = dh.mul(oneMinus(z)).mul(oneMinus(n.square()));
  const dz = dh.mul(h.sub(n)).mul(z.mul(oneMinus(z)));
  const dr = dn.mul(hn).mul(r.mul(oneMinus(r)));
  return { dxg: cat([dr, dz, dn], 1), dhg: cat([dr, dz, dn.mul(r)], 1), dh: dh.mul(z) };
}
