import { describe, it } from 'vitest';
import { INT_EDGES } from '@logit/conformance';
import { expectClose, runKernel } from '@logit/conformance/vitest';
import { createBackend } from '../../src/index.js';

// int32 a ** b as PyTorch computes it: wrapping products, a negative exponent truncating toward 0.
// Not in the kit: backend-cpu stores Math.pow's double, which has lost the low bits of
// 2147483647 ** 2 by then (0 where PyTorch gives 1), so the reference here is exact BigInt math.
function wrappingPow(a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  return Int32Array.from(a, (x, i) => {
    const y = b[i];
    if (y < 0) return x === 1 ? 1 : x === -1 ? (y % 2 ? -1 : 1) : 0;
    let r = 1n;
    for (let n = 0; n < y; n++) r = BigInt.asIntN(32, r * BigInt(x));
    return Number(r);
  });
}

describe('int32 pow', () => {
  it('wraps like PyTorch on the int32 edges (division by zero, negative powers)', async () => {
    const be = await createBackend();
    const b = [0, 1, -1, 2, -2, 3, 0, 5, 7, -3, 2, 2, -1];
    const got = await runKernel(be, [[INT_EDGES, 'int32'], [b, 'int32']], ([x, y]) => be.ops.binary('pow', x, [13], y, [13], [13], 'int32'));
    expectClose(got, wrappingPow(INT_EDGES, b), {}, 'binary pow int32');
  });
});
