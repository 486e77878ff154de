import { newArray, type AttentionSpec, type DType, type TypedArray } from '@logit/core';

/**
 * Scaled dot-product attention forward (types.ts `attention`), in doubles: scores of one query
 * row against every key, a numerically stable softmax over them (the max subtracted; a row of
 * only -inf is 0s or nan as spec.maskedRows says), then the probability-weighted sum of values.
 */
export function attention(q: TypedArray, k: TypedArray, v: TypedArray, mask: TypedArray | null, spec: AttentionSpec, dtype: DType) {
  const { batch, l, s, e, ev, scale, causal, maskBatchStride, maskedRows } = spec;
  const out = newArray(dtype, batch * l * ev);
  const probs = newArray(dtype, batch * l * s);
  const score = new Float64Array(s);
  const acc = new Float64Array(ev);
  for (let b = 0; b < batch; b++) {
    const qb = b * l * e, kb = b * s * e, vb = b * s * ev, mb = b * maskBatchStride;
    for (let i = 0; i < l; i++) {
      const qi = qb + i * e;
      let max = -Infinity;
      for (let j = 0; j < s; j++) {
        let sc: number;
        if (causal && j > i) sc = -Infinity;
        else {
          let dot = 0;
          const kj = kb + j * e;
          for (let c = 0; c < e; c++) dot += q[qi + c] * k[kj + c];
          sc = scale * dot + (mask ? mask[mb + i * s + j] : 0);
        }
        score[j] = sc;
        if (sc > max || sc !== sc) max = sc;
      }
      const pRow = (b * l + i) * s;
      const oRow = (b * l + i) * ev;
      if (max === -Infinity) {
        const fill = maskedRows === 'zero' ? 0 : NaN;
        for (let j = 0; j < s; j++) probs[pRow + j] = fill;
        for (let c = 0; c < ev; c++) out[oRow + c] = fill;
        continue;
      }
      let sum = 0;
      for (let j = 0; j < s; j++) {
        score[j] = Math.exp(score[j] - max);
        sum += score[j];
      }
      acc.fill(0);
      for (let j = 0; j < s; j++) {
        const p = score[j] / sum;
        probs[pRow + j] = p;
        const vj = vb + j * ev;
        for (let c = 0; c < ev; c++) acc[c] += p * v[vj + c];
      }
      for (let c = 0; c < ev; c++) out[oRow + c] = acc[c];
    }
  }
  return { out, probs };
}
