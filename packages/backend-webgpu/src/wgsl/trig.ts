/**
 * sin and cos in WGSL, accurate to float32 rounding for every finite float32. Builtin sin/cos
 * may be off by 2^-11 near zero and are undefined for large arguments (SwiftShader's cos(1e30)
 * is 1; the true value is -0.6116), so the argument is reduced here: Cody-Waite by pi/2 in three
 * exact parts below 8192, Payne-Hanek (an exact integer product with the bits of 2/pi) above,
 * then Taylor polynomials on [-pi/4, pi/4].
 */
import type { MathFn } from './math.js';

/** pi/2 as three float32 parts of 12 significant bits each, so k * part is exact for |k| < 2^12. */
const PIO2 = (() => {
  const parts: string[] = [];
  let rest = Math.PI / 2;
  for (let i = 0; i < 3; i++) {
    const scale = 2 ** (Math.floor(Math.log2(Math.abs(rest))) - 11);
    const p = i < 2 ? Math.trunc(rest / scale) * scale : Math.fround(rest);
    parts.push(p.toExponential(17));
    rest -= p;
  }
  return parts;
})();

/** Leading zero bits before 2/pi's bits in the table, so a window may start left of the point. */
const PAD_BITS = 16;

/**
 * floor(2/pi * 2^(256 - PAD_BITS - 1)) as eight u32 words, most significant first: table bit j
 * (from the top) is 2/pi's bit j - PAD_BITS after the point. pi comes from Machin's formula
 * (16 atan(1/5) - 4 atan(1/239)) in 384-bit fixed point, so the table is computed, not copied.
 */
export const TWO_OVER_PI_WORDS: readonly number[] = (() => {
  const F = 384n;
  const atanInv = (n: bigint): bigint => {
    let sum = 0n;
    let power = (1n << F) / n; // 1 / n^(2k+1), scaled
    for (let k = 0n; power !== 0n; k++) {
      sum += (k % 2n === 0n ? power : -power) / (2n * k + 1n);
      power /= n * n;
    }
    return sum;
  };
  const piScaled = 16n * atanInv(5n) - 4n * atanInv(239n);
  const table = (2n << (F + BigInt(256 - PAD_BITS - 1))) / piScaled;
  return Array.from({ length: 8 }, (_, i) => Number((table >> BigInt(32 * (7 - i))) & 0xffffffffn));
})();

const hex = (w: number): string => `0x${w.toString(16).padStart(8, '0')}u`;

export const TRIG: Record<string, MathFn> = {
  // (lo, hi) of the 64-bit product of two u32, from 16-bit halves.
  mulWideU: {
    deps: [],
    code: `fn mulWideU(a: u32, b: u32) -> vec2u {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2u((mid << 16u) | (ll & 0xffffu), ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u));
}`,
  },
  // |x| = m * 2^E with m < 2^24 an integer. Bits of 2/pi more than 2 places left of 2^-E add
  // multiples of 4 to x * 2/pi, so only a 96-bit window P starting there matters:
  // x * 2/pi = m * P / 2^94 (mod 4), and m * P mod 2^96 is 2 quadrant bits and 94 fraction bits.
  // Returns (r, k): |x| = k * pi/2 + r with |r| <= pi/4, k in 0..3.
  reduceLargeF: {
    deps: ['mulWideU'],
    code: `var<private> TWO_OVER_PI: array<u32, 8> = array<u32, 8>(${TWO_OVER_PI_WORDS.map(hex).join(', ')});
fn twoOverPiWord(a: u32, sh: u32) -> u32 {
  if (sh == 0u) { return TWO_OVER_PI[a]; }
  return (TWO_OVER_PI[a] << sh) | (TWO_OVER_PI[a + 1u] >> (32u - sh));
}
fn reduceLargeF(x: f32) -> vec2f {
  let bits = bitcast<u32>(x) & 0x7fffffffu;
  let m = (bits & 0x7fffffu) | 0x800000u;
  let j = (bits >> 23u) - ${150 + 1 - PAD_BITS}u; // table bit of 2/pi's bit E - 1, E = exponent - 150
  let a = j >> 5u;
  let sh = j & 31u;
  let lo = mulWideU(m, twoOverPiWord(a + 2u, sh));
  let mid = mulWideU(m, twoOverPiWord(a + 1u, sh));
  let w0 = lo.x;
  let w1 = lo.y + mid.x;
  // + 2^93 rounds to the nearest quadrant; the fraction is then (low 94 bits) - 2^93
  let w2 = mid.y + m * twoOverPiWord(a, sh) + select(0u, 1u, w1 < lo.y) + 0x20000000u;
  let k = w2 >> 30u;
  var h = (w2 & 0x3fffffffu) - 0x20000000u;
  var m1 = w1;
  var m0 = w0;
  let negative = (h & 0x80000000u) != 0u;
  if (negative) { // two's complement of the 96-bit value: its magnitude
    m0 = ~w0 + 1u;
    let c0 = select(0u, 1u, w0 == 0u);
    m1 = ~w1 + c0;
    h = ~h + select(0u, 1u, c0 == 1u && w1 == 0u);
  }
  // the magnitude in units of a quadrant: h 2^-30 + m1 2^-62 + m0 2^-94, from its two leading words
  var f: f32;
  if (h != 0u) { f = f32(h) * ${2 ** -30} + f32(m1) * ${2 ** -62}; }
  else if (m1 != 0u) { f = f32(m1) * ${2 ** -62} + f32(m0) * ${2 ** -94}; }
  else { f = f32(m0) * ${2 ** -94}; }
  return vec2f(select(f, -f, negative) * 1.5707963267948966, f32(k));
}`,
  },
  sinCosF: {
    deps: ['reduceLargeF'],
    code: `fn sinCosF(x: f32, wantCos: bool) -> f32 {
  if (isNan(x) || isInf(x)) { return nanF(); }
  if (x == 0.0) { return select(x, 1.0, wantCos); } // sin(-0) is -0: the reduction below would give +0
  var r: f32;
  var k: i32;
  if (abs(x) < 8192.0) {
    let kf = round(x * 0.6366197723675814);
    r = ((x - kf * ${PIO2[0]}) - kf * ${PIO2[1]}) - kf * ${PIO2[2]};
    k = i32(kf);
  } else {
    let red = reduceLargeF(x);
    r = select(red.x, -red.x, x < 0.0); // sin is odd, cos even: reduce |x| and mirror
    k = select(i32(red.y), -i32(red.y), x < 0.0);
  }
  let r2 = r * r;
  let s = r + r * r2 * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-0.0001984126984126984 + r2 * 2.7557319223985893e-6)));
  let c = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * 2.48015873015873e-5)));
  let q = (k + select(0, 1, wantCos)) & 3;
  if (q == 0) { return s; }
  if (q == 1) { return c; }
  if (q == 2) { return -s; }
  return -c;
}`,
  },
};
