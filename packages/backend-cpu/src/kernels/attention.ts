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

/**
 * Its gradient (types.ts `attentionBackward`), in doubles, one query row at a time: dP_i from g_i
 * and the values, dS_i = p_i (dP_i - dP_i . p_i), then dq_i, and the rows' shares of dk and dv.
 */
export function attentionBackward(g: TypedArray, q: TypedArray, k: TypedArray, v: TypedArray, probs: TypedArray, spec: AttentionSpec, dtype: DType) {
  const { batch, l, s, e, ev, scale } = spec;
  const dq = new Float64Array(batch * l * e);
  const dk = new Float64Array(batch * s * e);
  const dv = new Float64Array(batch * s * ev);
  const ds = new Float64Array(s);
  for (let b = 0; b < batch; b++) {
    const kb = b * s * e, vb = b * s * ev;
    for (let i = 0; i < l; i++) {
      const row = b * l + i;
      const gi = row * ev, pi = row * s, qi = row * e;
      let dot = 0;
      for (let j = 0; j < s; j++) {
        let dp = 0;
        for (let c = 0; c < ev; c++) dp += g[gi + c] * v[vb + j * ev + c];
        ds[j] = dp;
        dot += dp * probs[pi + j];
      }
      for (let j = 0; j < s; j++) {
        const p = probs[pi + j];
        const dsj = p * (ds[j] - dot) * scale;
        for (let c = 0; c < e; c++) {
          dq[qi + c] += dsj * k[kb + j * e + c];
          dk[kb + j * e + c] += dsj * q[qi + c];
        }
        for (let c = 0; c < ev; c++) dv[vb + j * ev + c] += p * g[gi + c];
      }
    }
  }
  const out = (d: Float64Array): TypedArray => {
    const a = newArray(dtype, d.length);
    a.set(d);
    return a;
  };
  return { dq: out(dq), dk: out(dk), dv: out(dv) };
}
