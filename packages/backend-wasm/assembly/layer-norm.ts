// Fused layer normalisation over rows of `cols` float32 values (types.ts `layerNorm` and
// `layerNormBackward`), the same arithmetic as backend-cpu's layer-norm.ts: statistics and
// gradients in doubles, values rounded to float32 once, on store. One pass over a row where the
// composed path runs about ten kernels, each allocating a tensor.

@inline function f(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + (<usize>i << 2));
}

/** out = (x - mean) * rstd * weight + bias per row; mean and rstd (one per row) for the backward. */
export function layerNorm(rows: i32, cols: i32, eps: f64, x: usize, weight: usize, bias: usize, out: usize, mean: usize, rstd: usize): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) sum += f(x, o + c);
    const m = sum / <f64>cols;
    let sq: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const d = f(x, o + c) - m;
      sq += d * d;
    }
    const rs = 1 / Math.sqrt(sq / <f64>cols + eps);
    store<f32>(mean + (<usize>r << 2), <f32>m);
    store<f32>(rstd + (<usize>r << 2), <f32>rs);
    for (let c = 0; c < cols; c++) {
      let y = (f(x, o + c) - m) * rs;
      if (weight != 0) y *= f(weight, c);
      if (bias != 0) y += f(bias, c);
      store<f32>(out + (<usize>(o + c) << 2), <f32>y);
    }
  }
}

/**
 * dx = rstd (gw - mean(gw) - xhat mean(gw xhat)) per row, gw = dy * weight; dweight and dbias
 * summed over rows in `acc` (2 * cols doubles of scratch) and stored once.
 */
export function layerNormBackward(
  rows: i32, cols: i32, dy: usize, x: usize, mean: usize, rstd: usize, weight: usize, dx: usize, dweight: usize, dbias: usize, acc: usize,
): void {
  memory.fill(acc, 0, <usize>cols << 4);
  const accB = acc + (<usize>cols << 3);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const m = f(mean, r), rs = f(rstd, r);
    let sumG: f64 = 0, sumGX: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const g = f(dy, o + c);
      const xhat = (f(x, o + c) - m) * rs;
      const gw = weight != 0 ? g * f(weight, c) : g;
      sumG += gw;
      sumGX += gw * xhat;
      const pw = acc + (<usize>c << 3), pb = accB + (<usize>c << 3);
      store<f64>(pw, load<f64>(pw) + g * xhat);
      store<f64>(pb, load<f64>(pb) + g);
    }
    const meanG = sumG / <f64>cols, meanGX = sumGX / <f64>cols;
    for (let c = 0; c < cols; c++) {
      const xhat = (f(x, o + c) - m) * rs;
      const gw = weight != 0 ? f(dy, o + c) * f(weight, c) : f(dy, o + c);
      store<f32>(dx + (<usize>(o + c) << 2), <f32>(rs * (gw - meanG - xhat * meanGX)));
    }
  }
  for (let c = 0; c < cols; c++) {
    store<f32>(dweight + (<usize>c << 2), <f32>load<f64>(acc + (<usize>c << 3)));
    store<f32>(dbias + (<usize>c << 2), <f32>load<f64>(accB + (<usize>c << 3)));
  }
}
