import { expect } from 'vitest';
import { noGrad, tensor, tidy, type Tensor } from '@logit/core';

/**
 * Finite-difference gradient checking in float64, as torch.autograd.gradcheck does.
 *
 * The op under test may take several inputs and return a tensor of any shape: it is reduced to a
 * scalar with a fixed pseudo-random weighted sum L = sum(w * f(x)), so every output element
 * contributes with a different weight (a plain sum would hide errors that cancel). The autograd
 * gradient dL/dx is compared elementwise to the central difference
 *   (L(x + h e_i) - L(x - h e_i)) / (2h),  h = 1e-6 * max(1, |x_i|),
 * whose error is O(h^2) + O(eps * |L| / h), about 1e-10 here. The criterion is
 *   |autograd - numeric| <= 1e-6 * max(1, |numeric|).
 */
export interface GradInput {
  /** Flat values, row-major. */
  data: number[];
  shape: number[];
}

export interface GradcheckOptions {
  /** Absolute-and-relative tolerance; 1e-6 by default. Never loosened in this suite. */
  tol?: number;
  /** Base finite-difference step, scaled by max(1, |x|). */
  step?: number;
}

/** A deterministic sequence in [-1, -0.25] U [0.25, 1] (no weight near 0), seeded by n. */
export function weights(n: number, seed = 12345): number[] {
  let s = (seed ^ (n * 2654435761)) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 4294967296;
    out.push(u < 0.5 ? -(0.25 + 1.5 * u) : 0.25 + 1.5 * (u - 0.5));
  }
  return out;
}

/** Deterministic test values in [lo, hi], away from each other. */
export function values(n: number, lo = -2, hi = 2, seed = 7): number[] {
  const w = weights(n, seed);
  return w.map((v) => lo + ((v + 1) / 2) * (hi - lo));
}

export function input(shape: number[], data?: number[], lo = -2, hi = 2, seed = 7): GradInput {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = data ?? values(n, lo, hi, seed);
  if (d.length !== n) throw new Error(`input: ${d.length} values for shape [${shape}]`);
  return { data: d, shape };
}

function f64(g: GradInput, requiresGrad = false): Tensor {
  return tensor(Float64Array.from(g.data), { shape: g.shape, dtype: 'float64', requiresGrad });
}

/** L = sum(w * f(xs)) in float64 JS, without autograd. */
function lossValue(fn: (...xs: Tensor[]) => Tensor, inputs: GradInput[], w: number[]): number {
  return noGrad(() =>
    tidy(() => {
      const out = fn(...inputs.map((g) => f64(g)));
      expect(out.dtype).toBe('float64');
      const d = out.dataSync();
      let acc = 0;
      for (let i = 0; i < d.length; i++) acc += w[i] * d[i];
      return acc;
    }),
  );
}

/** The numeric gradient of every input, by central differences. */
export function numericGrads(fn: (...xs: Tensor[]) => Tensor, inputs: GradInput[], w: number[], step = 1e-6): number[][] {
  return inputs.map((g, k) =>
    g.data.map((x, i) => {
      const h = step * Math.max(1, Math.abs(x));
      const at = (v: number): number => {
        const moved = inputs.map((o, j) => (j === k ? { data: o.data.map((y, q) => (q === i ? v : y)), shape: o.shape } : o));
        return lossValue(fn, moved, w);
      };
      return (at(x + h) - at(x - h)) / (2 * h);
    }),
  );
}

/** The autograd gradient of every input for L = sum(w * f(xs)); grads must have the inputs' shapes. */
export async function autogradGrads(fn: (...xs: Tensor[]) => Tensor, inputs: GradInput[], w?: number[]): Promise<{ grads: number[][]; weights: number[] }> {
  const leaves = inputs.map((g) => f64(g, true));
  const out = fn(...leaves);
  const ws = w ?? weights(out.numel());
  tidy(() => out.mul(tensor(Float64Array.from(ws), { shape: out.shape.slice(), dtype: 'float64' })).sum().backward());
  out.dispose();
  const grads: number[][] = [];
  for (const [k, leaf] of leaves.entries()) {
    const g = leaf.grad;
    if (g === null) throw new Error(`autograd gave no gradient to input ${k}`);
    expect(g.shape, `grad shape of input ${k}`).toEqual(inputs[k].shape);
    expect(g.dtype).toBe('float64');
    grads.push(Array.from(await g.data()));
    leaf.dispose();
  }
  return { grads, weights: ws };
}

/** Asserts autograd matches central differences for every element of every input. */
export async function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: GradInput[], opts: GradcheckOptions = {}): Promise<void> {
  const tol = opts.tol ?? 1e-6;
  const { grads, weights: w } = await autogradGrads(fn, inputs);
  const numeric = numericGrads(fn, inputs, w, opts.step);
  grads.forEach((ga, k) =>
    ga.forEach((a, i) => {
      const n = numeric[k][i];
      const ok = Math.abs(a - n) <= tol * Math.max(1, Math.abs(n));
      if (!ok) throw new Error(`gradcheck: input ${k} element ${i}: autograd ${a}, numeric ${n} (|diff| ${Math.abs(a - n)})`);
    }),
  );
}

/** The autograd gradient of sum(w * f(x)) for one float64 input, to compare with exact values at kinks. */
export async function gradAt(fn: (x: Tensor) => Tensor, data: number[], shape = [data.length], w?: number[]): Promise<number[]> {
  const { grads } = await autogradGrads(fn, [{ data, shape }], w);
  return grads[0];
}
