/**
 * WGSL float functions with the edge cases WGSL leaves undefined written out, following
 * backend-cpu (JavaScript Math, i.e. IEEE double semantics rounded to float32) and PyTorch.
 * Each entry lists the helpers it calls; `mathLibrary` emits only what a shader uses.
 *
 * A negative-zero literal (-0.0) may be folded to +0 by the shader compiler (SwiftShader does),
 * so signed zeros are made from bits (zeroF) or by returning the input itself.
 */
import { TRIG } from './trig.js';

export interface MathFn {
  deps: readonly string[];
  code: string;
}

export const MATH: Record<string, MathFn> = {
  ...TRIG,
  expF: {
    deps: [],
    code: `fn expF(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  if (x > 88.72284) { return infF(); }
  if (x < -103.97208) { return 0.0; }
  return exp(x);
}`,
  },
  // Near 1 a float32 log is only absolutely accurate (WGSL allows 2^-21): there x - 1 is exact
  // (Sterbenz) and log1p's series keeps every digit of the small result.
  logF: {
    deps: ['log1pF'],
    code: `fn logF(x: f32) -> f32 {
  if (isNan(x) || x < 0.0) { return nanF(); }
  if (x == 0.0) { return -infF(); }
  if (isInf(x)) { return x; }
  if (x >= 0.5 && x <= 2.0) { return log1pF(x - 1.0); }
  return log(x);
}`,
  },
  sqrtF: {
    deps: [],
    code: `fn sqrtF(x: f32) -> f32 {
  if (isNan(x) || x < 0.0) { return nanF(); }
  if (isInf(x) || x == 0.0) { return x; }
  return sqrt(x);
}`,
  },
  // Near 0, log1p(x) = 2 atanh(s) with s = x / (2 + x), summed as a series in s^2: no 1 + x is
  // ever rounded away. (Kahan's log(1 + x) * x / ((1 + x) - 1) is exact in IEEE arithmetic, but
  // shader compilers fold (1 + x) - 1 to x and return the rounded log(1 + x).) Elsewhere 1 + x
  // keeps its precision: for x in [-1, -0.5] it is exact, beyond 1 its rounding is small.
  log1pF: {
    deps: [],
    code: `fn log1pF(x: f32) -> f32 {
  if (isNan(x) || x < -1.0) { return nanF(); }
  if (x == -1.0) { return -infF(); }
  if (isInf(x)) { return x; }
  if (x == 0.0 || x < -0.5 || x > 1.0) { return select(log(1.0 + x), x, x == 0.0); }
  let s = x / (2.0 + x);
  let s2 = s * s;
  var sum = 1.0 / 19.0;
  for (var k = 8; k >= 0; k--) { sum = 1.0 / f32(2 * k + 1) + s2 * sum; }
  return 2.0 * s * sum;
}`,
  },
  // Taylor series below 0.5 in magnitude (|x|^11 / 11! is under an ulp there), exp(x) - 1 above,
  // where there is no cancellation to repair: no identity for the compiler to fold.
  expm1F: {
    deps: ['expF'],
    code: `fn expm1F(x: f32) -> f32 {
  if (isNan(x) || x == 0.0) { return x; } // keeps -0
  if (abs(x) >= 0.5) { return expF(x) - 1.0; }
  var sum = 1.0;
  for (var k = 11; k >= 2; k--) { sum = 1.0 + x * sum / f32(k); }
  return x * sum;
}`,
  },
  zeroF: {
    deps: [],
    code: 'fn zeroF(negative: bool) -> f32 { return bitcast<f32>(select(0u, 0x80000000u, negative)); }',
  },
  divF: {
    deps: ['zeroF'],
    code: `fn divF(a: f32, b: f32) -> f32 {
  if (b == 0.0) {
    if (isNan(a) || a == 0.0) { return nanF(); }
    let neg = (a < 0.0) != signBit(b);
    return select(infF(), -infF(), neg);
  }
  if (isInf(b)) {
    if (isNan(a) || isInf(a)) { return nanF(); }
    return zeroF(signBit(a) != signBit(b));
  }
  return a / b;
}`,
  },
  sigmoidF: {
    deps: ['expF', 'divF'],
    code: `fn sigmoidF(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + expF(-x)); }
  let e = expF(x);
  return e / (1.0 + e);
}`,
  },
  tanhF: {
    deps: ['expm1F'],
    code: `fn tanhF(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  if (abs(x) > 9.0) { return select(-1.0, 1.0, x > 0.0); }
  let e = expm1F(2.0 * x);
  return e / (e + 2.0);
}`,
  },
  // The all-positive series below 3 (no cancellation), then the Laplace continued fraction for
  // erfc; beyond 4 erfc is under half an ulp of 1 in float32.
  erfF: {
    deps: ['expF'],
    code: `fn erfF(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  let ax = abs(x);
  if (ax < 2.5) {
    let x2 = x * x;
    var term = x;
    var sum = x;
    for (var n = 1; n < 60; n++) {
      term = term * (2.0 * x2) / f32(2 * n + 1);
      sum = sum + term;
      if (abs(term) < 1e-8 * abs(sum)) { break; }
    }
    return 1.1283791670955126 * expF(-x2) * sum;
  }
  if (ax >= 4.0) { return select(-1.0, 1.0, x > 0.0); }
  var f = ax;
  for (var n = 40; n >= 1; n--) { f = ax + f32(n) * 0.5 / f; }
  let erfc = 0.5641895835477563 * expF(-ax * ax) / f;
  return select(erfc - 1.0, 1.0 - erfc, x > 0.0);
}`,
  },
  // pow as C and PyTorch (and backend-cpu): pow(1, y) = 1 even for nan y, pow(-1, +-inf) = 1. Products by squaring for integer exponents up to 1024
  // (at most ~20 roundings), exp2(y * log2|x|) otherwise, and every special case spelled out. exp2/log2 lose
  // |y * log2|x|| * 2^-24 relative: 2.5 ** 88 came out 4e-6 off that way, products are within 1e-6.
  powF: {
    deps: [],
    code: `fn powF(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (isNan(x) || isNan(y)) { return nanF(); }
  let yInt = floor(y) == y;
  let yOdd = yInt && abs(y) < 16777216.0 && (i32(y) & 1) != 0;
  let ax = abs(x);
  if (isInf(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, infF(), (ax > 1.0) == (y > 0.0));
  }
  var r: f32;
  if (ax == 0.0) {
    r = select(0.0, infF(), y < 0.0);
  } else if (isInf(x)) {
    r = select(0.0, infF(), y > 0.0);
  } else if (yInt && abs(y) <= 1024.0) {
    var n = u32(abs(y));
    var b = ax;
    r = 1.0;
    loop {
      if ((n & 1u) != 0u) { r = r * b; }
      n = n >> 1u;
      if (n == 0u) { break; }
      b = b * b;
    }
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = exp2(y * log2(ax));
  }
  if (signBit(x)) {
    // a finite negative base needs an integer exponent; -0 and -inf only flip sign for odd ones
    if (ax != 0.0 && !isInf(x) && !yInt) { return nanF(); }
    if (yOdd) { r = -r; }
  }
  return r;
}`,
  },
  // int32 powers as PyTorch computes them: wrapping products (2147483647 ** 2 is 1); a negative exponent truncates.
  powI: {
    deps: [],
    code: `fn powI(x: i32, y: i32) -> i32 {
  if (y < 0) {
    if (x == 1) { return 1; }
    if (x == -1) { return select(1, -1, (y & 1) != 0); }
    return 0;
  }
  var r = 1;
  var b = x;
  var n = u32(y);
  loop {
    if (n == 0u) { break; }
    if ((n & 1u) != 0u) { r = r * b; }
    b = b * b;
    n = n >> 1u;
  }
  return r;
}`,
  },
  maxF: {
    deps: [],
    code: 'fn maxF(a: f32, b: f32) -> f32 { if (isNan(a) || isNan(b)) { return nanF(); } return max(a, b); }',
  },
  minF: {
    deps: [],
    code: 'fn minF(a: f32, b: f32) -> f32 { if (isNan(a) || isNan(b)) { return nanF(); } return min(a, b); }',
  },
  divI: {
    deps: [],
    code: 'fn divI(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } return a / b; }',
  },
};

/** The helpers named in `code` (as `name(`), with their dependencies, in dependency order. */
export function mathLibrary(code: string): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const d of MATH[name].deps) visit(d);
    out.push(MATH[name].code);
  };
  for (const name of Object.keys(MATH)) if (code.includes(`${name}(`)) visit(name);
  return out.join('\n');
}
