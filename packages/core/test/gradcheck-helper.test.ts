import { describe, expect, test } from 'vitest';
import { gradcheck, input, numericGrads } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

describe('the gradient checker itself', () => {
  test('accepts a correct gradient', async () => {
    await gradcheck((x) => x.mul(x), [input([2, 3])]);
  });

  test('rejects a gradient that is half what it should be', async () => {
    // detach() hides one of the two paths from autograd: the true gradient is 2x, autograd sees x
    await expect(gradcheck((x) => x.detach().mul(x), [input([2, 3])])).rejects.toThrow(/gradcheck: input 0 element 0/);
  });

  test('rejects a gradient wrong in a single element', async () => {
    // x * x[1] with x[1] detached: every element but index 1 has the right gradient
    await expect(gradcheck((x) => x.mul(x.select(0, 1).detach()), [input([3])])).rejects.toThrow(/element 1:/);
  });

  test('central differences reproduce a known derivative to 1e-9', () => {
    const [[g0, g1]] = numericGrads((x) => x.pow(3), [{ data: [1.5, -2], shape: [2] }], [1, 1]);
    expect(Math.abs(g0 - 3 * 1.5 ** 2)).toBeLessThan(1e-9);
    expect(Math.abs(g1 - 3 * 4)).toBeLessThan(1e-9);
  });
});
