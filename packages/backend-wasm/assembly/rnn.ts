// The fused recurrent steps (lstmCell, gruCell and their backward; formulas in @logit/core's
// backend types), over float32 rows of `hidden` units: one pass per time step instead of the
// dozen elementwise kernels core composes otherwise. Four units at a time with an f32x4 exp
// (Cephes' expf polynomial, only ever for arguments <= 0, so it never overflows; subnormal results
// flush to 0) from which
// sigmoid and tanh are built; a scalar loop (Mathf) finishes rows whose length is not a multiple
// of 4. Both agree with the composed path (f64, then rounded) to a few ulps.

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

@inline function ld(p: usize, i: usize): v128 {
  return v128.load(p + (i << 2));
}

@inline function st(p: usize, i: usize, v: v128): void {
  v128.store(p + (i << 2), v);
}

@inline function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/**
 * exp(x) for x <= 0 (nan passes through); 0 below -87, where float32's exp is subnormal or 0, so
 * that sigmoid(-inf) is exactly 0 as in the composed path (0 * inf is then nan in both).
 */
@inline function expNonPositive(x: v128): v128 {
  const a = f32x4.max(x, splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(a, splat(1.44269504088896341)));
  let r = f32x4.sub(a, f32x4.mul(n, splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, splat(-2.12194440e-4)));
  let y = splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(y, pow2), f32x4.lt(x, splat(-87.0)));
}

/** sigmoid(x) = (x >= 0 ? 1 : e) / (1 + e), e = exp(-|x|). */
@inline function sigmoid4(x: v128): v128 {
  const e = expNonPositive(f32x4.neg(f32x4.abs(x)));
  const num = v128.bitselect(splat(1), e, f32x4.ge(x, splat(0)));
  return f32x4.div(num, f32x4.add(splat(1), e));
}

/** tanh: Cephes' odd polynomial below |x| 0.625, else (1 - e) / (1 + e), e = exp(-2|x|), with x's sign. */
@inline function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expNonPositive(f32x4.mul(a, splat(-2)));
  const large = f32x4.div(f32x4.sub(splat(1), e), f32x4.add(splat(1), e));
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(a, splat(0.625)));
}

/** The first unit of a row that the scalar loop finishes (all of it without SIMD). */
@inline function vectorEnd(H: usize): usize {
  return ASC_FEATURE_SIMD ? H & ~(<usize>3) : 0;
}

/** xg points at this step's rows already (the caller adds xOffset). */
export function lstmCell(batch: i32, hidden: i32, xg: usize, hg: usize, c: usize, outH: usize, outC: usize, gates: usize): void {
  const H = <usize>hidden;
  for (let b: usize = 0; b < <usize>batch; b++) {
    const row = b * 4 * H;
    const vEnd = vectorEnd(H);
    for (let j: usize = 0; j < vEnd; j += 4) {
      const i = sigmoid4(f32x4.add(ld(xg, row + j), ld(hg, row + j)));
      const f = sigmoid4(f32x4.add(ld(xg, row + H + j), ld(hg, row + H + j)));
      const g = tanh4(f32x4.add(ld(xg, row + 2 * H + j), ld(hg, row + 2 * H + j)));
      const o = sigmoid4(f32x4.add(ld(xg, row + 3 * H + j), ld(hg, row + 3 * H + j)));
      const k = b * H + j;
      const cj = f32x4.add(f32x4.mul(f, ld(c, k)), f32x4.mul(i, g));
      st(outC, k, cj);
      st(outH, k, f32x4.mul(o, tanh4(cj)));
      st(gates, row + j, i);
      st(gates, row + H + j, f);
      st(gates, row + 2 * H + j, g);
      st(gates, row + 3 * H + j, o);
    }
    for (let j: usize = vEnd; j < H; j++) {
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
    const vEnd = vectorEnd(H);
    const one = splat(1);
    for (let j: usize = 0; j < vEnd; j += 4) {
      const k = b * H + j;
      const i = ld(gates, row + j), f = ld(gates, row + H + j), g = ld(gates, row + 2 * H + j), o = ld(gates, row + 3 * H + j);
      const tc = tanh4(ld(cNew, k));
      const d = ld(dh, k);
      const dct = f32x4.add(ld(dc, k), f32x4.mul(f32x4.mul(d, o), f32x4.sub(one, f32x4.mul(tc, tc))));
      st(outDgates, row + j, f32x4.mul(f32x4.mul(f32x4.mul(dct, g), i), f32x4.sub(one, i)));
      st(outDgates, row + H + j, f32x4.mul(f32x4.mul(f32x4.mul(dct, ld(c, k)), f), f32x4.sub(one, f)));
      st(outDgates, row + 2 * H + j, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
      st(outDgates, row + 3 * H + j, f32x4.mul(f32x4.mul(f32x4.mul(d, tc), o), f32x4.sub(one, o)));
      st(outDc, k, f32x4.mul(dct, f));
    }
    for (let j: usize = vEnd; j < H; j++) {
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
    const vEnd = vectorEnd(H);
    const zero = splat(0);
    for (let j: usize = 0; j < vEnd; j += 4) {
      const br = bhh ? ld(bhh, j) : zero, bz = bhh ? ld(bhh, H + j) : zero, bn = bhh ? ld(bhh, 2 * H + j) : zero;
      const r = sigmoid4(f32x4.add(ld(xg, row + j), f32x4.add(ld(hg, row + j), br)));
      const z = sigmoid4(f32x4.add(ld(xg, row + H + j), f32x4.add(ld(hg, row + H + j), bz)));
      const hn = f32x4.add(ld(hg, row + 2 * H + j), bn);
      const n = tanh4(f32x4.add(ld(xg, row + 2 * H + j), f32x4.mul(r, hn)));
      const k = b * H + j;
      st(outH, k, f32x4.add(f32x4.mul(f32x4.sub(splat(1), z), n), f32x4.mul(z, ld(h, k))));
      st(gates, grow + j, r);
      st(gates, grow + H + j, z);
      st(gates, grow + 2 * H + j, n);
      st(gates, grow + 3 * H + j, hn);
    }
    for (let j: usize = vEnd; j < H; j++) {
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
    const vEnd = vectorEnd(H);
    const one = splat(1);
    for (let j: usize = 0; j < vEnd; j += 4) {
      const k = b * H + j;
      const r = ld(gates, grow + j), z = ld(gates, grow + H + j), n = ld(gates, grow + 2 * H + j), hn = ld(gates, grow + 3 * H + j);
      const d = ld(dh, k);
      const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dz = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(ld(h, k), n)), z), f32x4.sub(one, z));
      const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, hn), r), f32x4.sub(one, r));
      st(outDxg, row + j, dr);
      st(outDxg, row + H + j, dz);
      st(outDxg, row + 2 * H + j, dn);
      st(outDhg, row + j, dr);
      st(outDhg, row + H + j, dz);
      st(outDhg, row + 2 * H + j, f32x4.mul(dn, r));
      st(outDh, k, f32x4.mul(d, z));
    }
    for (let j: usize = vEnd; j < H; j++) {
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
