import type { Tolerance } from './types.js';

export interface Comparison {
  ok: boolean;
  maxAbs: number;
  maxRel: number;
  /** The first element out of tolerance, described for a message. */
  detail?: string;
}

/**
 * Compares actual with expected element by element. nan must meet nan and an infinity the same
 * infinity; finite values must satisfy |a - e| <= atol * scale + rtol * |e|, where scale is the
 * largest finite |e| (at least 1), so sums of many terms are judged against their magnitude.
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  signedZeros = false,
): Comparison {
  if (actual.length !== expected.length) {
    return { ok: false, maxAbs: Infinity, maxRel: Infinity, detail: `has ${actual.length} elements, expected ${expected.length}` };
  }
  let scale = 1;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  let maxAbs = 0;
  let maxRel = 0;
  let detail: string | undefined;
  const bad = (i: number, why: string): void => {
    detail ??= `[${i}]: got ${fmtNum(actual[i])}, expected ${fmtNum(expected[i])}${why}`;
  };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) {
        maxAbs = Infinity;
        maxRel = Infinity;
        bad(i, '');
      }
      continue;
    }
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) {
        maxAbs = Infinity;
        maxRel = Infinity;
        bad(i, '');
      }
      continue;
    }
    if (signedZeros && a === 0 && e === 0 && Object.is(a, -0) !== Object.is(e, -0)) {
      bad(i, ' (sign of zero)');
      continue;
    }
    const abs = Math.abs(a - e);
    const rel = abs / Math.max(Math.abs(e), Number.MIN_VALUE);
    maxAbs = Math.max(maxAbs, abs);
    if (e !== 0) maxRel = Math.max(maxRel, rel);
    if (tol.ulps !== undefined) {
      // at most `ulps` units in the last place of e, or the absolute floor atol where that is larger
      const ulps = abs / ulpOf(e, tol.precision ?? 53);
      if (ulps > tol.ulps && abs > tol.atol) bad(i, ` (${ulps.toPrecision(3)} ulps, at most ${tol.ulps})`);
    } else if (abs > tol.atol * scale + tol.rtol * Math.abs(e)) bad(i, ` (|diff| ${abs.toExponential(2)})`);
  }
  return { ok: detail === undefined, maxAbs, maxRel, detail };
}

/** The unit in the last place of `e` in a binary format of `precision` significand bits (subnormals keep the smallest exponent). */
export function ulpOf(e: number, precision: number): number {
  const minExp = precision === 24 ? -126 : -1022;
  const exp = e === 0 ? minExp : Math.max(Math.floor(Math.log2(Math.abs(e))), minExp);
  return 2 ** (exp - (precision - 1));
}

export function fmtNum(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return v.toPrecision(8);
}
