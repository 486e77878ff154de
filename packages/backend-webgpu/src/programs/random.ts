import type { DType, RandomSpec } from '@logit/core';
import { wgslType, type KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { Meta } from '../wgsl/meta.js';

/**
 * Philox 4x32-10 in WGSL, the same generator as core's random/philox.ts: thread t computes the
 * block of counter (offset + t) and writes elements 4t..4t+3. WGSL has no 32x32->64 multiply,
 * so the high word is assembled from 16-bit halves as in the TypeScript reference.
 */
const PHILOX = /* wgsl */ `
fn mulhi(a: u32, b: u32) -> u32 {
  let aLo = a & 0xffffu; let aHi = a >> 16u;
  let bLo = b & 0xffffu; let bHi = b >> 16u;
  let lolo = aLo * bLo; let mid1 = aHi * bLo; let mid2 = aLo * bHi;
  let carry = ((lolo >> 16u) + (mid1 & 0xffffu) + (mid2 & 0xffffu)) >> 16u;
  return aHi * bHi + (mid1 >> 16u) + (mid2 >> 16u) + carry;
}
fn philox(c0: u32, c1: u32, k0: u32, k1: u32) -> vec4u {
  var x = vec4u(c0, c1, 0u, 0u);
  var ka = k0; var kb = k1;
  for (var r = 0; r < 10; r++) {
    let hi0 = mulhi(0xd2511f53u, x.x); let lo0 = 0xd2511f53u * x.x;
    let hi1 = mulhi(0xcd9e8d57u, x.z); let lo1 = 0xcd9e8d57u * x.z;
    x = vec4u(hi1 ^ x.y ^ ka, lo1, hi0 ^ x.w ^ kb, lo0);
    ka = ka + 0x9e3779b9u; kb = kb + 0xbb67ae85u;
  }
  return x;
}
/** s + t with the rounding error kept in e (Knuth's TwoSum: exact, no fused ops involved). */
fn twoSum(acc: vec2f, t: f32) -> vec2f {
  let s = acc.x + t;
  let bb = s - acc.x;
  let err = (acc.x - (s - bb)) + (t - bb);
  return vec2f(s, acc.y + err);
}`;

/**
 * uniform: low + (high - low) * u must equal backend-cpu's double arithmetic rounded once, so
 * it is computed (nearly) exactly: the host splits low into three float32 parts and d = high -
 * low into five 12-bit parts, u = k * 2^-24 is split into two 12-bit parts, every partial
 * product is then exact in float32, and TwoSum accumulates them. float32 output rounds the sum
 * once; int32 output truncates the exact value (randint), as an Int32Array store of the double.
 *   meta: [size, offsetLo, offsetHi, k0, k1, low0, low1, low2, d0..d4]
 */
const UNIFORM_VALUE = /* wgsl */ `
fn uniformValue(bits: u32) -> vec2f {
  let k = bits >> 8u;
  let uh = f32(k & 0xfff000u) * 5.9604644775390625e-8;
  let ul = f32(k & 0xfffu) * 5.9604644775390625e-8;
  var acc = vec2f(metaF(5u), 0.0);
  acc = twoSum(acc, metaF(6u));
  acc = twoSum(acc, metaF(7u));
  for (var j = 0u; j < 5u; j++) {
    acc = twoSum(acc, metaF(8u + j) * uh);
    acc = twoSum(acc, metaF(8u + j) * ul);
  }
  return acc;
}
fn uniformF(bits: u32) -> f32 {
  let v = uniformValue(bits);
  return v.x + v.y;
}
fn truncExact(v: vec2f) -> i32 {
  let total = v.x + v.y;
  if (total >= 0.0) {
    let f = floor(v.x);
    return i32(f) + i32(floor((v.x - f) + v.y));
  }
  let c = ceil(v.x);
  return i32(c) + i32(ceil((v.x - c) + v.y));
}`;

const VALUE: Record<string, (dtype: DType) => string> = {
  uniform: (dtype) => (dtype === 'int32' ? 'truncExact(uniformValue(bits[j]))' : 'uniformF(bits[j])'),
  // u < p  <=>  (bits >> 8) < ceil(p * 2^24): an exact integer test (prm[5] holds the bound).
  bernoulli: () => 'select(0.0, 1.0, (bits[j] >> 8u) < prm[5])',
};

/** x as a sum of `parts` float32 values, each of at most `bitsPerPart` significant bits (24 when null). */
function splitDouble(x: number, parts: number, bitsPerPart: number | null): number[] {
  const out: number[] = [];
  let rest = x;
  for (let i = 0; i < parts; i++) {
    let p = 0;
    if (rest !== 0) {
      const scale = 2 ** (Math.floor(Math.log2(Math.abs(rest))) - (bitsPerPart ?? 24) + 1);
      p = Math.trunc(rest / scale) * scale; // the top bits of rest, exactly; the remainder stays exact
    }
    out.push(p);
    rest -= p;
  }
  return out;
}

function store(dtype: DType, v: string): string {
  if (dtype === 'float32') return v;
  if (dtype === 'int32') return v.startsWith('truncExact') ? v : `toI32(${v})`;
  return `toBool(${v})`;
}

export function random(ctx: KernelContext, spec: RandomSpec, n: number, dtype: DType): GpuStorage {
  const out = ctx.alloc(dtype, n);
  const [p0, p1] = spec.params;
  const meta = new Meta().u(n, spec.offset % 4294967296, Math.floor(spec.offset / 4294967296), spec.key[0], spec.key[1]);
  let body: string;
  if (spec.kind === 'normal') {
    meta.f(p0, p1);
    // Box-Muller on lanes (0, 1) and (2, 3); the radius uses (k + 1) * 2^-24 in (0, 1]; sinCosF
    // because builtin sin/cos may be off by 2^-11.
    body = `
  for (var pair = 0u; pair < 4u; pair = pair + 2u) {
    let rad = sqrt(-2.0 * log(f32((bits[pair] >> 8u) + 1u) * 5.9604644775390625e-8));
    let theta = 6.283185307179586 * f32(bits[pair + 1u] >> 8u) * 5.9604644775390625e-8;
    if (base + pair < n) { out[base + pair] = ${store(dtype, 'metaF(5u) + metaF(6u) * rad * sinCosF(theta, true)')}; }
    if (base + pair + 1u < n) { out[base + pair + 1u] = ${store(dtype, 'metaF(5u) + metaF(6u) * rad * sinCosF(theta, false)')}; }
  }`;
  } else {
    if (spec.kind === 'uniform') meta.f(...splitDouble(p0, 3, null), ...splitDouble(p1 - p0, 5, 12));
    else meta.u(Math.min(16777216, Math.max(0, Math.ceil(p0 * 16777216))));
    body = `
  for (var j = 0u; j < 4u; j++) {
    if (base + j < n) { out[base + j] = ${store(dtype, VALUE[spec.kind](dtype))}; }
  }`;
  }
  const threads = ctx.engine.maxThreads;
  const program: Program = {
    label: `random ${spec.kind} ${dtype}`,
    bindings: [{ name: 'out', type: wgslType(dtype), write: true }],
    workgroupSize: threads,
    decls: PHILOX + (spec.kind === 'uniform' ? UNIFORM_VALUE : '') + mathLibrary(body),
    main: `
  let n = prm[0];
  let base = gid * 4u;
  if (base >= n) { return; }
  let lo = prm[1] + gid;
  let hi = prm[2] + select(0u, 1u, lo < gid);
  var bits = philox(lo, hi, prm[3], prm[4]);${body}`,
  };
  ctx.engine.run(program, [out], meta, ctx.engine.groupsFor(Math.ceil(n / 4), threads));
  return out;
}
