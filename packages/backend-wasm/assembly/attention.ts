// Fused scaled dot-product attention forward (types.ts `attention`), float32 in and out: per
// query row, the scores against every key (an f32x4 dot product, in the order backend-cpu sums
// them only up to float rounding), a stable softmax in doubles (a row of only -inf is 0s or nan
// as `nanRows` says), and the probability-weighted sum of the value rows. `score` is scratch for
// s doubles. Replaces about nine kernels of the composed path (two batched matmuls, scale, mask,
// the row max and the masked-row fix-up, softmax) and the tensors between them.

@inline function dot(a: usize, b: usize, e: i32): f64 {
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c + 4 <= e; c += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>c << 2)), v128.load(b + (<usize>c << 2))));
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; c < e; c++) s += <f64>load<f32>(a + (<usize>c << 2)) * <f64>load<f32>(b + (<usize>c << 2));
  return s;
}

export function attention(
  batch: i32, l: i32, s: i32, e: i32, ev: i32, scale: f64, causal: bool, maskStride: i32, nanRows: bool,
  q: usize, k: usize, v: usize, mask: usize, out: usize, probs: usize, score: usize,
): void {
  for (let b = 0; b < batch; b++) {
    const qb = q + (<usize>(b * l * e) << 2), kb = k + (<usize>(b * s * e) << 2), vb = v + (<usize>(b * s * ev) << 2);
    const mb = mask + (<usize>(b * maskStride) << 2);
    for (let i = 0; i < l; i++) {
      const qi = qb + (<usize>(i * e) << 2);
      let max: f64 = -Infinity;
      for (let j = 0; j < s; j++) {
        let sc: f64;
        if (causal && j > i) sc = -Infinity;
        else {
          sc = scale * dot(qi, kb + (<usize>(j * e) << 2), e);
          if (mask != 0) sc += <f64>load<f32>(mb + (<usize>(i * s + j) << 2));
        }
        store<f64>(score + (<usize>j << 3), sc);
        if (sc > max || sc != sc) max = sc;
      }
      const pRow = probs + (<usize>((b * l + i) * s) << 2);
      const oRow = out + (<usize>((b * l + i) * ev) << 2);
      if (max == -Infinity) {
        const fill: f32 = nanRows ? NaN : 0;
        for (let j = 0; j < s; j++) store<f32>(pRow + (<usize>j << 2), fill);
        for (let c = 0; c < ev; c++) store<f32>(oRow + (<usize>c << 2), fill);
        continue;
      }
      let sum: f64 = 0;
      for (let j = 0; j < s; j++) {
        const p = Math.exp(load<f64>(score + (<usize>j << 3)) - max);
        store<f64>(score + (<usize>j << 3), p);
        sum += p;
      }
      memory.fill(oRow, 0, <usize>ev << 2);
      for (let j = 0; j < s; j++) {
        const p = <f32>(load<f64>(score + (<usize>j << 3)) / sum);
        store<f32>(pRow + (<usize>j << 2), p);
        const vj = vb + (<usize>(j * ev) << 2);
        const pv = f32x4.splat(p);
        let c = 0;
        for (; c + 4 <= ev; c += 4) {
          const at = <usize>c << 2;
          v128.store(oRow + at, f32x4.add(v128.load(oRow + at), f32x4.mul(pv, v128.load(vj + at))));
        }
        for (; c < ev; c++) {
          const at = <usize>c << 2;
          store<f32>(oRow + at, load<f32>(oRow + at) + p * load<f32>(vj + at));
        }
      }
    }
  }
}

/** acc[0..n) += a * x[0..n), float32, four lanes at a time. */
@inline function axpy(acc: usize, a: f32, x: usize, n: i32): void {
  const av = f32x4.splat(a);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const at = <usize>c << 2;
    v128.store(acc + at, f32x4.add(v128.load(acc + at), f32x4.mul(av, v128.load(x + at))));
  }
  for (; c < n; c++) {
    const at = <usize>c << 2;
    store<f32>(acc + at, load<f32>(acc + at) + a * load<f32>(x + at));
  }
}

/**
 * Its gradient (types.ts `attentionBackward`): per query row dP_i (f32x4 dot products), dS_i =
 * scale p_i (dP_i - dP_i . p_i) (the row's sum in doubles, in `ds`: s doubles of scratch), then
 * dq_i, dk and dv accumulated in float32 with f32x4 multiply-adds, as the composed path's
 * matmuls accumulate.
 */
export function attentionBackward(
  batch: i32, l: i32, s: i32, e: i32, ev: i32, scale: f64,
  g: usize, q: usize, k: usize, v: usize, probs: usize, dq: usize, dk: usize, dv: usize, ds: usize,
): void {
  memory.fill(dk, 0, <usize>(batch * s * e) << 2);
  memory.fill(dv, 0, <usize>(batch * s * ev) << 2);
  memory.fill(dq, 0, <usize>(batch * l * e) << 2);
  for (let b = 0; b < batch; b++) {
    const kb = k + (<usize>(b * s * e) << 2), vb = v + (<usize>(b * s * ev) << 2);
    const dkb = dk + (<usize>(b * s * e) << 2), dvb = dv + (<usize>(b * s * ev) << 2);
    for (let i = 0; i < l; i++) {
      const row = b * l + i;
      const gi = g + (<usize>(row * ev) << 2), pi = probs + (<usize>(row * s) << 2);
      const qi = q + (<usize>(row * e) << 2), dqi = dq + (<usize>(row * e) << 2);
      let dpp: f64 = 0; // dP_i . p_i
      for (let j = 0; j < s; j++) {
        const dp = dot(gi, vb + (<usize>(j * ev) << 2), ev);
        store<f64>(ds + (<usize>j << 3), dp);
        dpp += dp * <f64>load<f32>(pi + (<usize>j << 2));
      }
      for (let j = 0; j < s; j++) {
        const p = load<f32>(pi + (<usize>j << 2));
        const dsj = <f32>(<f64>p * (load<f64>(ds + (<usize>j << 3)) - dpp) * scale);
        axpy(dqi, dsj, kb + (<usize>(j * e) << 2), e);
        axpy(dkb + (<usize>(j * e) << 2), dsj, qi, e);
        axpy(dvb + (<usize>(j * ev) << 2), p, gi, ev);
      }
    }
  }
}
