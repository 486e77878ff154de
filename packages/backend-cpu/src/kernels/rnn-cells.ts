import { newArray, type DType, type RnnCellSpec, type TypedArray } from '@logit/core';

// The fused recurrent steps (lstmCell, gruCell and their backward; formulas in @logit/core's
// backend types). Each unit is computed in doubles and rounded once when stored, where core's
// composition rounds after every op: both agree to the dtype's precision.

/** sigmoid without overflow: exp only ever sees a non-positive argument (as the unary kernel). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function lstmCell(xg: TypedArray, hg: TypedArray, c: TypedArray, spec: RnnCellSpec, dtype: DType) {
  const { batch, hidden: H, xOffset } = spec;
  const h = newArray(dtype, batch * H);
  const cNew = newArray(dtype, batch * H);
  const gates = newArray(dtype, batch * 4 * H);
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * H;
    const x = xOffset + row;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(xg[x + j] + hg[row + j]);
      const f = sigmoid(xg[x + H + j] + hg[row + H + j]);
      const g = Math.tanh(xg[x + 2 * H + j] + hg[row + 2 * H + j]);
      const o = sigmoid(xg[x + 3 * H + j] + hg[row + 3 * H + j]);
      const cj = f * c[b * H + j] + i * g;
      cNew[b * H + j] = cj;
      h[b * H + j] = o * Math.tanh(cj);
      gates[row + j] = i;
      gates[row + H + j] = f;
      gates[row + 2 * H + j] = g;
      gates[row + 3 * H + j] = o;
    }
  }
  return { h, c: cNew, gates };
}

export function lstmCellBackward(gates: TypedArray, c: TypedArray, cNew: TypedArray, dh: TypedArray, dc: TypedArray, spec: RnnCellSpec, dtype: DType) {
  const { batch, hidden: H } = spec;
  const dgates = newArray(dtype, batch * 4 * H);
  const dcPrev = newArray(dtype, batch * H);
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const i = gates[row + j], f = gates[row + H + j], g = gates[row + 2 * H + j], o = gates[row + 3 * H + j];
      const tc = Math.tanh(cNew[k]);
      const dct = dc[k] + dh[k] * o * (1 - tc * tc);
      dgates[row + j] = dct * g * i * (1 - i);
      dgates[row + H + j] = dct * c[k] * f * (1 - f);
      dgates[row + 2 * H + j] = dct * i * (1 - g * g);
      dgates[row + 3 * H + j] = dh[k] * tc * o * (1 - o);
      dcPrev[k] = dct * f;
    }
  }
  return { dgates, dc: dcPrev };
}

export function gruCell(xg: TypedArray, hg: TypedArray, bhh: TypedArray | null, h: TypedArray, spec: RnnCellSpec, dtype: DType) {
  const { batch, hidden: H, xOffset } = spec;
  const hNew = newArray(dtype, batch * H);
  const gates = newArray(dtype, batch * 4 * H);
  for (let b = 0; b < batch; b++) {
    const x = xOffset + b * 3 * H;
    const hrow = b * 3 * H;
    const grow = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const r = sigmoid(xg[x + j] + (hg[hrow + j] + (bhh ? bhh[j] : 0)));
      const z = sigmoid(xg[x + H + j] + (hg[hrow + H + j] + (bhh ? bhh[H + j] : 0)));
      const hn = hg[hrow + 2 * H + j] + (bhh ? bhh[2 * H + j] : 0);
      const n = Math.tanh(xg[x + 2 * H + j] + r * hn);
      hNew[b * H + j] = (1 - z) * n + z * h[b * H + j];
      gates[grow + j] = r;
      gates[grow + H + j] = z;
      gates[grow + 2 * H + j] = n;
      gates[grow + 3 * H + j] = hn;
    }
  }
  return { h: hNew, gates };
}

export function gruCellBackward(gates: TypedArray, h: TypedArray, dh: TypedArray, spec: RnnCellSpec, dtype: DType) {
  const { batch, hidden: H } = spec;
  const dxg = newArray(dtype, batch * 3 * H);
  const dhg = newArray(dtype, batch * 3 * H);
  const dhPrev = newArray(dtype, batch * H);
  for (let b = 0; b < batch; b++) {
    const grow = b * 4 * H;
    const row = b * 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const r = gates[grow + j], z = gates[grow + H + j], n = gates[grow + 2 * H + j], hn = gates[grow + 3 * H + j];
      const dn = dh[k] * (1 - z) * (1 - n * n);
      const dz = dh[k] * (h[k] - n) * z * (1 - z);
      const dr = dn * hn * r * (1 - r);
      dxg[row + j] = dr;
      dxg[row + H + j] = dz;
      dxg[row + 2 * H + j] = dn;
      dhg[row + j] = dr;
      dhg[row + H + j] = dz;
      dhg[row + 2 * H + j] = dn * r;
      dhPrev[k] = dh[k] * z;
    }
  }
  return { dxg, dhg, dh: dhPrev };
}
