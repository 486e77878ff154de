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
