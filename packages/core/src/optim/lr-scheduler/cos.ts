// The cosine the cosine schedules use. V8's Math.cos is within 1 ulp but not correctly rounded
// (Math.cos(1.2π) is one ulp off), while CPython's math.cos is the platform's libm, correctly
// rounded in practice; and CosineAnnealingLR feeds each lr into the next, so one ulp there shows
// in every later epoch. This evaluates cos in double-double arithmetic (about 106 bits) and
// rounds once, which gives the correctly rounded double for any argument a schedule produces.

type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

const SPLITTER = 134217729; // 2^27 + 1

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  let [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  e += t;
  [s, e] = quickTwoSum(s, e);
  return quickTwoSum(s, e + f);
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function divBy(a: DD, d: number): DD {
  const q = a[0] / d;
  const [p, e] = twoProd(q, d);
  return quickTwoSum(q, (a[0] - p - e + a[1]) / d);
}

// π/2 = PIO2_1 + PIO2_2 + PIO2_3 to about 160 bits
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;

/** Σ (−1)ⁿ r^(2n+start) / (2n+start)!, for |r| <= π/4, until the terms no longer matter. */
function series(r: DD, start: 0 | 1): DD {
  const r2 = mul(r, r);
  let term: DD = start === 0 ? [1, 0] : r;
  let sum = term;
  for (let n = 1; n < 40; n++) {
    const k = 2 * n + start;
    term = divBy(mul(term, r2), (k - 1) * k);
    sum = add(sum, n % 2 ? [-term[0], -term[1]] : term);
    if (Math.abs(term[0]) < 1e-40) break;
  }
  return sum;
}

/** cos(x), correctly rounded (Math.cos beyond 2^30, where schedules never go). */
export function cos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 2 ** 30) return Math.cos(x);
  const k = Math.round(x / PIO2_1);
  let r: DD = [x, 0];
  for (const part of [PIO2_1, PIO2_2, PIO2_3]) {
    const [p, e] = twoProd(k, part);
    r = add(r, [-p, -e]);
  }
  const quadrant = ((k % 4) + 4) % 4;
  const v = quadrant % 2 === 0 ? series(r, 0) : series(r, 1);
  const [hi] = quickTwoSum(v[0], v[1]);
  // cos(r + kπ/2) = cos r, −sin r, −cos r, sin r for k mod 4 = 0, 1, 2, 3
  return quadrant === 0 || quadrant === 3 ? hi : -hi;
}
