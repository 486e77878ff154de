import { newArray, type DType, type LayerNormSpec, type TypedArray } from '@logit/core';

/** nn.LayerNorm forward per row, in doubles (types.ts `layerNorm`): out, and mean and rstd per row. */
export function layerNorm(x: TypedArray, weight: TypedArray | null, bias: TypedArray | null, spec: LayerNormSpec, dtype: DType) {
  const { rows, cols, eps } = spec;
  const out = newArray(dtype, rows * cols);
  const mean = newArray(dtype, rows);
  const rstd = newArray(dtype, rows);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += x[o + c];
    const m = sum / cols;
    let sq = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[o + c] - m;
      sq += d * d;
    }
    const rs = 1 / Math.sqrt(sq / cols + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) {
      let y = (x[o + c] - m) * rs;
      if (weight) y *= weight[c];
      if (bias) y += bias[c];
      out[o + c] = y;
    }
  }
  return { out, mean, rstd };
}

/**
 * nn.LayerNorm backward (types.ts `layerNormBackward`), in doubles. mean and rstd are read as the
 * forward stored them, so the gradient is the exact derivative of the values it returned.
 */
export function layerNormBackward(
  dy: TypedArray, x: TypedArray, mean: TypedArray, rstd: TypedArray, weight: TypedArray | null, spec: LayerNormSpec, dtype: DType,
) {
  const { rows, cols } = spec;
  const dx = newArray(dtype, rows * cols);
  const dw = new Float64Array(cols);
  const db = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    const m = mean[r];
    const rs = rstd[r];
    let sumG = 0;
    let sumGX = 0;
    for (let c = 0; c < cols; c++) {
      const g = dy[o + c];
      const xhat = (x[o + c] - m) * rs;
      const gw = weight ? g * weight[c] : g;
      sumG += gw;
      sumGX += gw * xhat;
      dw[c] += g * xhat;
      db[c] += g;
    }
    const meanG = sumG / cols;
    const meanGX = sumGX / cols;
    for (let c = 0; c < cols; c++) {
      const xhat = (x[o + c] - m) * rs;
      const gw = weight ? dy[o + c] * weight[c] : dy[o + c];
      dx[o + c] = rs * (gw - meanG - xhat * meanGX);
    }
  }
  const dweight = newArray(dtype, cols);
  const dbias = newArray(dtype, cols);
  dweight.set(dw);
  dbias.set(db);
  return { dx, dweight, dbias };
}
