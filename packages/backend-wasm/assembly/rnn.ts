// The fused recurrent steps (lstmCell, gruCell and their backward; formulas in @logit/core's
// backend types), over float32 rows of `hidden` units. One pass per step instead of the dozen
// elementwise kernels core composes otherwise; sigmoid and tanh in f32 (Mathf), which agree with
// the composed path's f64-then-rounded values to an ulp or two.

/** sigmoid without overflow: exp only ever sees a non-positive argument. */
@inline function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

@inline function at(p: usize, i: usize): f32 {
  return load<f32>(p + (i << 2));
}

@inline function put(p: usize, i: usize, v: f32): void {
  store<f32>(p + (i << 2), v);
}

/** xg points at this step's rows already (the caller adds xOffset). */
export function lstmCell(batch: i32, hidden: i32, xg: usize, hg: usize, c: usize, outH: usize, outC: usize, gates: usize): void {
  const H = <usize>hidden;
  for (let b: usize = 0; b < <usize>batch; b++) {
    const row = b * 4 * H;
    for (let j: usize = 0; j < H; j++) {
      const i = sigmoid(at(xg, row + j) + at(hg, row + j));
      const f = sigmoid(at(xg, row + H + j) + at(hg, row + H + j));
      const g = Mathf.tanh(at(xg, row + 2 * H + j) + at(hg, row + 2 * H + j));
      const o = sigmoid(at(xg, row + 3 * H + j) + at(hg, row + 3 * H + j));
      const k = b * H + j;
      const cj = f * at(c, k) + i * g;
      put(outC, k, cj);
      put(outH, k, o * Mathf.tanh(cj));
      put(gates, row + j, i);
      put(gates, row + H + j, f);
      put(gates, row + 2 * H + j, g);
      put(gates, row + 3 * H + j, o);
    }
  }
}

export function lstmCellBackward(batch: i32, hidden: i32, gates: usize, c: usize, cNew: usize, dh: usize, dc: usize, outDgates: usize, outDc: usize): void {
  const H = <usize>hidden;
  for (let b: usize = 0; b < <usize>batch; b++) {
    const row = b * 4 * H;
    for (let j: usize = 0; j < H; j++) {
      const k = b * H + j;
      const i = at(gates, row + j), f = at(gates, row + H + j), g = at(gates, row + 2 * H + j), o = at(gates, row + 3 * H + j);
      const tc = Mathf.tanh(at(cNew, k));
      const d = at(dh, k);
      const dct = at(dc, k) + d * o * (1 - tc * tc);
      put(outDgates, row + j, dct * g * i * (1 - i));
      put(outDgates, row + H + j, dct * at(c, k) * f * (1 - f));
      put(outDgates, row + 2 * H + j, dct * i * (1 - g * g));
      put(outDgates, row + 3 * H + j, d * tc * o * (1 - o));
      put(outDc, k, dct * f);
    }
  }
}

/** bhh 0: no bias. xg points at this step's rows already. */
export function gruCell(batch: i32, hidden: i32, xg: usize, hg: usize, bhh: usize, h: usize, outH: usize, gates: usize): void {
  const H = <usize>hidden;
  for (let b: usize = 0; b < <usize>batch; b++) {
    const row = b * 3 * H;
    const grow = b * 4 * H;
    for (let j: usize = 0; j < H; j++) {
      const br: f32 = bhh ? at(bhh, j) : 0, bz: f32 = bhh ? at(bhh, H + j) : 0, bn: f32 = bhh ? at(bhh, 2 * H + j) : 0;
      const r = sigmoid(at(xg, row + j) + (at(hg, row + j) + br));
      const z = sigmoid(at(xg, row + H + j) + (at(hg, row + H + j) + bz));
      const hn = at(hg, row + 2 * H + j) + bn;
      const n = Mathf.tanh(at(xg, row + 2 * H + j) + r * hn);
      const k = b * H + j;
      put(outH, k, (1 - z) * n + z * at(h, k));
      put(gates, grow + j, r);
      put(gates, grow + H + j, z);
      put(gates, grow + 2 * H + j, n);
      put(gates, grow + 3 * H + j, hn);
    }
  }
}

export function gruCellBackward(batch: i32, hidden: i32, gates: usize, h: usize, dh: usize, outDxg: usize, outDhg: usize, outDh: usize): void {
  const H = <usize>hidden;
  for (let b: usize = 0; b < <usize>batch; b++) {
    const row = b * 3 * H;
    const grow = b * 4 * H;
    for (let j: usize = 0; j < H; j++) {
      const k = b * H + j;
      const r = at(gates, grow + j), z = at(gates, grow + H + j), n = at(gates, grow + 2 * H + j), hn = at(gates, grow + 3 * H + j);
      const d = at(dh, k);
      const dn = d * (1 - z) * (1 - n * n);
      const dz = d * (at(h, k) - n) * z * (1 - z);
      const dr = dn * hn * r * (1 - r);
      put(outDxg, row + j, dr);
      put(outDxg, row + H + j, dz);
      put(outDxg, row + 2 * H + j, dn);
      put(outDhg, row + j, dr);
      put(outDhg, row + H + j, dz);
      put(outDhg, row + 2 * H + j, dn * r);
      put(outDh, k, d * z);
    }
  }
}
