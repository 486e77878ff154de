import type { RandomSpec } from '../backend/types.js';

/**
 * Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11):
 * a counter-based generator, so element i of any random tensor is a pure function of
 * (key, offset, i). That is what makes `rand`, `randn` and dropout masks identical on every
 * backend, and what a GPU backend reproduces in a shader.
 */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the unsigned 64-bit product a * b. */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

/** Writes the four 32-bit outputs for counter (c0, c1, c2, c3) under key (k0, k1) into out. */
export function philox4x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array, c2 = 0, c3 = 0): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let ka = k0 >>> 0;
  let kb = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ ka) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ kb) >>> 0;
    x3 = lo0;
    ka = (ka + W0) >>> 0;
    kb = (kb + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_32 = 4294967296;

/** u in [0, 1) with 24 random bits: exact in float32. */
export function bitsToUniform(bits: number): number {
  return (bits >>> 8) * TWO_POW_M24;
}

/**
 * The reference implementation of `Primitives.random`: writes `size` values into `out`
 * (any numeric array; values are computed in float64 and stored by assignment).
 */
export function fillRandom(spec: RandomSpec, size: number, out: { [i: number]: number }): void {
  const block = new Uint32Array(4);
  const [k0, k1] = spec.key;
  const [p0, p1] = spec.params;
  for (let base = 0, ctr = spec.offset; base < size; base += 4, ctr++) {
    philox4x32(k0, k1, ctr % TWO_POW_32, Math.floor(ctr / TWO_POW_32), block);
    const n = Math.min(4, size - base);
    if (spec.kind === 'normal') {
      for (let pair = 0; pair < 4; pair += 2) {
        // radius from (0, 1] so log never sees 0
        const r = Math.sqrt(-2 * Math.log(((block[pair] >>> 8) + 1) * TWO_POW_M24));
        const theta = 2 * Math.PI * bitsToUniform(block[pair + 1]);
        if (pair < n) out[base + pair] = p0 + p1 * r * Math.cos(theta);
        if (pair + 1 < n) out[base + pair + 1] = p0 + p1 * r * Math.sin(theta);
      }
    } else if (spec.kind === 'uniform') {
      for (let j = 0; j < n; j++) out[base + j] = p0 + (p1 - p0) * bitsToUniform(block[j]);
    } else {
      for (let j = 0; j < n; j++) out[base + j] = bitsToUniform(block[j]) < p0 ? 1 : 0;
    }
  }
}

/** How many counters a random tensor of `size` elements consumes. */
export function countersFor(size: number): number {
  return Math.ceil(size / 4);
}
