import {
  BackendError, type DType, type GruCellGrads, type GruCellResult, type LstmCellGrads, type LstmCellResult, type RnnCellSpec,
  type Storage,
} from '@logit/core';
import type { Context } from './context.js';

// The fused recurrent steps (assembly/rnn.ts): one kernel per time step for the elementwise part
// of an LSTM or GRU cell, forward and backward, instead of a dozen composed kernels.

function float32Only(op: string, dtype: DType): void {
  if (dtype !== 'float32') throw new BackendError(`wasm: ${op} expects float32, got ${dtype}`);
}

export function makeLstmCell(cx: Context) {
  return (xg: Storage, hg: Storage, c: Storage, spec: RnnCellSpec, dtype: DType): LstmCellResult => {
    float32Only('lstmCell', dtype);
    const x = cx.st(xg, 'lstmCell').ptr + 4 * spec.xOffset;
    const n = spec.batch * spec.hidden;
    const h = cx.own(dtype, n), cNew = cx.own(dtype, n), gates = cx.own(dtype, 4 * n);
    if (n > 0) cx.k.lstmCell(spec.batch, spec.hidden, x, cx.st(hg, 'lstmCell').ptr, cx.st(c, 'lstmCell').ptr, h.ptr, cNew.ptr, gates.ptr);
    return { h, c: cNew, gates };
  };
}

export function makeLstmCellBackward(cx: Context) {
  return (gates: Storage, c: Storage, cNew: Storage, dh: Storage, dc: Storage, spec: RnnCellSpec, dtype: DType): LstmCellGrads => {
    const op = 'lstmCellBackward';
    float32Only(op, dtype);
    const n = spec.batch * spec.hidden;
    const dgates = cx.own(dtype, 4 * n), dcPrev = cx.own(dtype, n);
    if (n > 0) {
      cx.k.lstmCellBackward(spec.batch, spec.hidden, cx.st(gates, op).ptr, cx.st(c, op).ptr, cx.st(cNew, op).ptr, cx.st(dh, op).ptr, cx.st(dc, op).ptr, dgates.ptr, dcPrev.ptr);
    }
    return { dgates, dc: dcPrev };
  };
}

export function makeGruCell(cx: Context) {
  return (xg: Storage, hg: Storage, bhh: Storage | null, h: Storage, spec: RnnCellSpec, dtype: DType): GruCellResult => {
    float32Only('gruCell', dtype);
    const x = cx.st(xg, 'gruCell').ptr + 4 * spec.xOffset;
    const n = spec.batch * spec.hidden;
    const hNew = cx.own(dtype, n), gates = cx.own(dtype, 4 * n);
    const b = bhh === null ? 0 : cx.st(bhh, 'gruCell').ptr;
    if (n > 0) cx.k.gruCell(spec.batch, spec.hidden, x, cx.st(hg, 'gruCell').ptr, b, cx.st(h, 'gruCell').ptr, hNew.ptr, gates.ptr);
    return { h: hNew, gates };
  };
}

export function makeGruCellBackward(cx: Context) {
  return (gates: Storage, h: Storage, dh: Storage, spec: RnnCellSpec, dtype: DType): GruCellGrads => {
    const op = 'gruCellBackward';
    float32Only(op, dtype);
    const n = spec.batch * spec.hidden;
    const dxg = cx.own(dtype, 3 * n), dhg = cx.own(dtype, 3 * n), dhPrev = cx.own(dtype, n);
    if (n > 0) cx.k.gruCellBackward(spec.batch, spec.hidden, cx.st(gates, op).ptr, cx.st(h, op).ptr, cx.st(dh, op).ptr, dxg.ptr, dhg.ptr, dhPrev.ptr);
    return { dxg, dhg, dh: dhPrev };
  };
}
