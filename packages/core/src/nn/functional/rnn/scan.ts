import { noGrad } from '../../../autograd/grad-mode.js';
import { record } from '../../../autograd/record.js';
import { tidy } from '../../../memory/scope.js';
import { bmm } from '../../../ops/matmul.js';
import { cat, stack } from '../../../ops/index-ops.js';
import type { Tensor } from '../../../tensor.js';
import { gruStep, gruStepBackward, lstmStep, lstmStepBackward, simpleStep, simpleStepBackward, type RnnMode } from './steps.js';

/**
 * One layer in one direction over a whole sequence, as one autograd node (as cuDNN and PyTorch's
 * fused RNN ops do it): the forward runs the steps under noGrad and saves what each step's
 * backward reads; the backward runs backpropagation through time step by step and then forms
 * the weight gradient with one product over all steps, dW_hh = sum_t dG_t^T h_{t-1}.
 */
export interface ScanArgs {
  mode: RnnMode;
  /** [T, batch, gates * hidden]: the input projection of every step (see steps.ts for its biases). */
  xg: Tensor;
  /** [batch, hidden]: the initial state, and the LSTM's initial cell state. */
  h0: Tensor;
  c0: Tensor | null;
  /** [gates * hidden, hidden]. */
  whh: Tensor;
  /** The GRU's b_hh ([3 * hidden]); the other modes fold it into xg. */
  bhh: Tensor | null;
  /** Run from the last step to the first (the reverse direction of a bidirectional layer). */
  reverse: boolean;
}

/**
 * Returns the states h_t at each position, [T, batch, hidden], with the LSTM's last cell state
 * appended as row T ([T + 1, batch, hidden]): one tensor, so that one node carries every
 * gradient into the sequence (the caller slices out the output, h_N and c_N).
 */
export function scan(a: ScanArgs): Tensor {
  const { mode, xg, h0, c0, whh, bhh, reverse } = a;
  const T = xg.shape[0];
  const order = Array.from({ length: T }, (_, i) => (reverse ? T - 1 - i : i));
  const hs: Tensor[] = new Array<Tensor>(T);
  const gates: Tensor[] = new Array<Tensor>(T);
  const cs: Tensor[] = new Array<Tensor>(T);
  return tidy(() => {
    noGrad(() => {
      let h = h0;
      let c = c0;
      for (const t of order) {
        const s = tidy(() => {
          const hg = bmm(h, whh, false, true);
          if (mode === 'LSTM') return lstmStep(xg, t, hg, c!);
          if (mode === 'GRU') return gruStep(xg, t, hg, bhh, h);
          return { h: simpleStep(mode, xg, t, hg), c: null, gates: null };
        });
        hs[t] = h = s.h;
        if (s.gates) gates[t] = s.gates;
        if ('c' in s && s.c) cs[t] = c = s.c;
      }
    });
    const last = mode === 'LSTM' ? [cs[order[T - 1]]] : [];
    const packed = noGrad(() => stack([...hs, ...last], 0));
    const inputs = [xg, h0, ...(c0 ? [c0] : []), whh, ...(bhh ? [bhh] : [])];
    const need = inputs.map((t) => t.requiresGrad);
    // fixed slots first (h0 stands in for the c0 that only the LSTM has), then per-step lists
    const saved = [h0, c0 ?? h0, whh, ...hs, ...(mode === 'LSTM' || mode === 'GRU' ? gates : []), ...(mode === 'LSTM' ? cs : [])];
    return record(packed, mode, inputs, saved, (g, s) => backward(a, order, need, g, s));
  });
}

/** Backpropagation through time: the gradients of [xg, h0, (c0), whh, (bhh)]. */
function backward(a: ScanArgs, order: number[], need: boolean[], g: Tensor, saved: Tensor[]): (Tensor | null)[] {
  const { mode } = a;
  const T = order.length;
  const [h0, c0, whh] = saved;
  const hs = saved.slice(3, 3 + T);
  const gates = saved.slice(3 + T, 3 + 2 * T);
  const cs = saved.slice(3 + 2 * T, 3 + 3 * T);
  const prevOf = (k: number, list: Tensor[], first: Tensor): Tensor => (k === 0 ? first : list[order[k - 1]]);
  const needC0 = mode === 'LSTM' ? need[2] : false;
  const needH0 = need[1];
  const dxg: Tensor[] = new Array<Tensor>(T);
  const dhg: Tensor[] = new Array<Tensor>(T);
  let dhNext: Tensor | null = null;
  let dc: Tensor | null = mode === 'LSTM' ? g.select(0, T) : null;
  for (let k = T - 1; k >= 0; k--) {
    const t = order[k];
    // the earliest step needs the product only for h0's gradient
    const wantDh = k > 0 || needH0;
    const r = tidy(() => {
      const dh = dhNext ? g.select(0, t).add(dhNext) : g.select(0, t);
      if (mode === 'LSTM') {
        const b = lstmStepBackward(gates[t], prevOf(k, cs, c0), cs[t], dh, dc!);
        return { dx: b.dgates, dhh: b.dgates, dc: k > 0 || needC0 ? b.dc : null, dh: wantDh ? bmm(b.dgates, whh, false, false) : null };
      }
      if (mode === 'GRU') {
        const b = gruStepBackward(gates[t], prevOf(k, hs, h0), dh);
        return { dx: b.dxg, dhh: b.dhg, dc: null, dh: wantDh ? b.dh.add(bmm(b.dhg, whh, false, false)) : null };
      }
      const d = simpleStepBackward(mode, hs[t], dh);
      return { dx: d, dhh: d, dc: null, dh: wantDh ? bmm(d, whh, false, false) : null };
    });
    dxg[t] = r.dx;
    dhg[t] = r.dhh;
    // the previous step's carries are consumed: free them now rather than at the end of backward
    dhNext?.dispose();
    dc?.dispose();
    dhNext = r.dh;
    dc = r.dc;
  }
  const dX = stack(dxg, 0);
  const dHG = mode === 'GRU' ? stack(dhg, 0) : dX;
  const iW = 1 + (mode === 'LSTM' ? 2 : 1);
  let dW: Tensor | null = null;
  if (need[iW]) {
    const [, B, G] = dHG.shape;
    const H = h0.shape[1];
    // h_{t-1} of every position: h0 then the states shifted by one step in processing order
    const first = h0.unsqueeze(0);
    const prev = T === 1 ? first : a.reverse ? cat([stack(hs.slice(1), 0), first], 0) : cat([first, stack(hs.slice(0, T - 1), 0)], 0);
    dW = bmm(dHG.reshape([T * B, G]), prev.reshape([T * B, H]), true, false);
  }
  const dB = a.bhh && need[iW + 1] ? dHG.sum([0, 1]) : null;
  return [dX, needH0 ? dhNext : null, ...(mode === 'LSTM' ? [needC0 ? dc : null] : []), dW, ...(a.bhh ? [dB] : [])];
}
