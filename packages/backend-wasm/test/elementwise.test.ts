import { BINARY_OPS, COMPARE_OPS, UNARY_OPS, sizeOf, type DType, type Shape } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { DTYPES, expectSame, onAll, randomData } from './helpers.js';

/**
 * Every op is compared bit for bit. Transcendental float32 ops run in f64 with AssemblyScript's
 * Math (musl) where backend-cpu uses V8's (fdlibm); both are within an ulp of the exact double,
 * and rounding to float32 has hidden every such difference we measured (0 of 200,000 inputs per
 * op, |x| up to 90), so no tolerance is needed.
 */
const SIZES = [0, 1, 3, 4, 7, 33, 1000];

describe('unary', () => {
  const big = randomData('float32', 20000, 99).map((v) => v * 15);
  for (const op of UNARY_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} ${dtype} matches backend-cpu`, () => {
        for (const size of SIZES) {
          const x = randomData(dtype, size, size * 31 + 7, true);
          const [ref, outs] = onAll([[x, dtype]], (be, [s]) => be.ops.unary(op, s, size, dtype));
          for (const out of outs) {
            expectSame(out, ref, `${op} size ${size}`);
          }
        }
        if (dtype === 'float32') {
          const [ref, outs] = onAll([[big, dtype]], (be, [s]) => be.ops.unary(op, s, big.length, dtype));
          outs.forEach((o) => expectSame(o, ref, `${op} on 20000 values in [-45, 45]`));
        }
      });
    }
  }
});

/** Shape pairs: same shape, scalars, broadcasting on either side and both, size-0 dims. */
const PAIRS: [Shape, Shape][] = [
  [[], []], [[5], []], [[], [5]], [[7], [7]], [[3, 4], [4]], [[3, 4], [3, 1]], [[3, 1], [1, 5]],
  [[2, 3, 4], [3, 1]], [[2, 1, 4], [1, 3, 1]], [[4, 1], [1]], [[0, 3], [3]], [[2, 0], [2, 1]],
  [[1, 1, 9], [9]], [[64, 130], [130]], [[5, 2, 3, 2], [2, 1, 2]], [[1], [1, 1]],
];

const outShape = (a: Shape, b: Shape): number[] => {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
};

describe('binary', () => {
  for (const op of BINARY_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} ${dtype} matches backend-cpu exactly with broadcasting`, () => {
        PAIRS.forEach(([as, bs], n) => {
          const out = outShape(as, bs);
          const a = randomData(dtype, sizeOf(as), n * 2 + 1, true);
          const b = randomData(dtype, sizeOf(bs), n * 2 + 2, true);
          if (op === 'pow' && dtype === 'int32') b.forEach((v, i) => (b[i] = Math.abs(v) % 5)); // small exponents: large powers pass 2^53 and wrap by rounding
          const [ref, outs] = onAll([[a, dtype], [b, dtype]], (be, [sa, sb]) => be.ops.binary(op, sa, as, sb, bs, out, dtype));
          outs.forEach((o) => expectSame(o, ref, `${op} ${JSON.stringify([as, bs])}`));
        });
      });
    }
  }
});

describe('compare and where', () => {
  for (const op of COMPARE_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} ${dtype} matches backend-cpu exactly`, () => {
        PAIRS.forEach(([as, bs], n) => {
          const a = randomData(dtype, sizeOf(as), n + 11, true);
          const b = dtype === 'bool' ? randomData(dtype, sizeOf(bs), n + 12) : a.slice(0, sizeOf(bs)).reverse(); // equal values occur
          if (b.length < sizeOf(bs)) return;
          const [ref, outs] = onAll([[a, dtype], [b, dtype]], (be, [sa, sb]) => be.ops.compare(op, sa, as, sb, bs, outShape(as, bs), dtype));
          outs.forEach((o) => expectSame(o, ref, `${op} ${JSON.stringify([as, bs])}`));
        });
      });
    }
  }

  for (const dtype of DTYPES) {
    it(`where ${dtype} matches backend-cpu exactly with three-way broadcasting`, () => {
      const triples: [Shape, Shape, Shape][] = [
        [[], [], []], [[4], [4], [4]], [[3, 1], [1, 4], [4]], [[2, 3, 4], [4], [3, 1]], [[0, 2], [2], []], [[5, 1], [], [5, 6]],
      ];
      triples.forEach(([cs, as, bs], n) => {
        const out = outShape(outShape(cs, as), bs);
        const c = randomData('bool', sizeOf(cs), n + 21);
        const a = randomData(dtype, sizeOf(as), n + 22, true);
        const b = randomData(dtype, sizeOf(bs), n + 23, true);
        const [ref, outs] = onAll([[c, 'bool'], [a, dtype], [b, dtype]], (be, [sc, sa, sb]) => be.ops.where(sc, cs, sa, as, sb, bs, out, dtype));
        outs.forEach((o) => expectSame(o, ref, `where ${JSON.stringify([cs, as, bs])}`));
      });
    });
  }
});

describe('cast and fill', () => {
  for (const from of DTYPES) {
    for (const to of DTYPES) {
      it(`cast ${from} -> ${to} matches backend-cpu exactly`, () => {
        const x = randomData(from, 301, 5, true);
        if (from === 'float32') x.set([3e9, -3e9, 2147483648, -2147483649, 1e20, 7.9, -7.9, NaN, Infinity, -Infinity]);
        const [ref, outs] = onAll([[x, from]], (be, [s]) => be.ops.cast(s, x.length, from, to));
        outs.forEach((o) => expectSame(o, ref));
      });
    }
  }

  it('fill stores what a typed array of the dtype would', () => {
    const values = [0, -0, 1, -2.5, 2.7, 1e10, -3e9, 1 / 3, NaN, Infinity, -Infinity];
    for (const dtype of DTYPES as DType[]) {
      for (const v of values) {
        for (const size of [0, 1, 5, 17]) {
          const [ref, outs] = onAll([], (be) => be.ops.fill(v, size, dtype));
          outs.forEach((o) => expectSame(o, ref, `fill(${v}, ${size}, ${dtype})`));
        }
      }
    }
  });
});
