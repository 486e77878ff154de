// Fused optimizer updates over float32 parameters, four lanes at a time. The heap rounds every
// block up to 16 bytes (src/heap.ts), so the last vector stays inside each storage's own block:
// the padding lanes compute garbage that nobody reads. Each f32 add/mul/div/sqrt rounds exactly
// as core's composition (one binary kernel per step) rounds, so both paths give the same bits.

@inline function splat(v: f64): v128 {
  return f32x4.splat(<f32>v);
}

/** torch.optim.SGD for one parameter (see sgdStep in @logit/core's backend types). buf/outBuf 0: none. */
export function sgdStep(
  n: i32, param: usize, grad: usize, buf: usize, outParam: usize, outBuf: usize,
  lr: f64, momentum: f64, dampening: f64, weightDecay: f64, nesterov: bool, maximize: bool,
): void {
  const vlr = splat(lr), vwd = splat(weightDecay), vmom = splat(momentum), vkeep = splat(1 - dampening);
  const bytes = (<usize>n) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const p = v128.load(param + o);
    let d = v128.load(grad + o);
    if (maximize) d = f32x4.neg(d);
    if (weightDecay != 0) d = f32x4.add(d, f32x4.mul(p, vwd));
    if (outBuf != 0) {
      const b = buf != 0 ? f32x4.add(f32x4.mul(v128.load(buf + o), vmom), f32x4.mul(d, vkeep)) : d;
      v128.store(outBuf + o, b);
      d = nesterov ? f32x4.add(d, f32x4.mul(b, vmom)) : b;
    }
    v128.store(outParam + o, f32x4.sub(p, f32x4.mul(d, vlr)));
  }
}

/**
 * torch.optim.Adam / AdamW for one parameter at step `step` (see adamStep in @logit/core's
 * backend types). vmax is the amsgrad running max (0: none yet, zeros); outVmax 0 without amsgrad.
 */
export function adamStep(
  n: i32, param: usize, grad: usize, m: usize, v: usize, vmax: usize,
  outParam: usize, outM: usize, outV: usize, outVmax: usize,
  lr: f64, beta1: f64, beta2: f64, eps: f64, weightDecay: f64, decoupled: bool, maximize: bool, step: f64,
): void {
  const decay = splat(1 - lr * weightDecay), vwd = splat(weightDecay);
  const b1 = splat(beta1), c1 = splat(1 - beta1), b2 = splat(beta2), c2 = splat(1 - beta2);
  const stepSize = splat(lr / (1 - Math.pow(beta1, step)));
  const sqrtBc2 = splat(Math.sqrt(1 - Math.pow(beta2, step)));
  const veps = splat(eps);
  const zero = f32x4.splat(0);
  const bytes = (<usize>n) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    let p = v128.load(param + o);
    let g = v128.load(grad + o);
    if (maximize) g = f32x4.neg(g);
    if (decoupled) p = f32x4.mul(p, decay);
    else if (weightDecay != 0) g = f32x4.add(g, f32x4.mul(p, vwd));
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(g, c1));
    let vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(g, c2), g));
    v128.store(outM + o, mi);
    v128.store(outV + o, vi);
    if (outVmax != 0) {
      // wasm's f32x4.max passes nan on, as torch.maximum does
      vi = f32x4.max(vmax != 0 ? v128.load(vmax + o) : zero, vi);
      v128.store(outVmax + o, vi);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), sqrtBc2), veps);
    v128.store(outParam + o, f32x4.sub(p, f32x4.div(f32x4.mul(mi, stepSize), denom)));
  }
}
