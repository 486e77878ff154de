import { describe, expect, test } from 'vitest';
import { cos } from '../src/optim/lr-scheduler/cos.js';
import { loadOptim2 } from './helpers/optim-golden.js';

// The cosine schedules' cos against CPython's math.cos (the platform libm) from
// tools/goldens/optim2.py: at the arguments schedules produce (π·t/T, π·pct) they agree bit for
// bit; at random points they differ at most by one ulp, only where libm is itself not correctly
// rounded (checked against a 60-digit evaluation when the goldens were written: three points).

const golden = loadOptim2<{ cos: { schedule: [number, number][]; random: [number, number][] } }>();

const ulp = (x: number): number => {
  const b = new Float64Array([Math.abs(x)]);
  const i = new BigInt64Array(b.buffer);
  i[0] += 1n;
  return b[0] - Math.abs(x);
};

describe('cos (lr schedules)', () => {
  test(`equals libm's cos at every schedule argument (${golden.cos.schedule.length} points)`, () => {
    const wrong = golden.cos.schedule.filter(([x, c]) => !Object.is(cos(x), c));
    expect(wrong).toEqual([]);
  });

  test('is within one ulp of libm at random points in [-100, 100] and [-1e6, 1e6], and equal at almost all', () => {
    let differ = 0;
    for (const [x, c] of golden.cos.random) {
      const mine = cos(x);
      if (mine !== c) differ++;
      expect(Math.abs(mine - c), `cos(${x})`).toBeLessThanOrEqual(ulp(c));
    }
    expect(differ).toBeLessThanOrEqual(3);
  });

  test('non-finite input gives nan; exact values stay exact', () => {
    expect(cos(Infinity)).toBeNaN();
    expect(cos(NaN)).toBeNaN();
    expect(cos(0)).toBe(1);
    expect(cos(-0)).toBe(1);
    expect(cos(Math.PI)).toBe(-1);
  });
});
