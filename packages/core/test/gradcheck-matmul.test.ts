import { describe, test } from 'vitest';
import { matmul } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

// Every torch.matmul form: dot, vector-matrix, matrix-vector, matrix-matrix, batched with broadcasting.
const FORMS: [string, number[], number[]][] = [
  ['1D . 1D', [4], [4]],
  ['1D @ 2D', [3], [3, 5]],
  ['2D @ 1D', [2, 3], [3]],
  ['2D @ 2D', [2, 3], [3, 4]],
  ['3D @ 3D', [2, 3, 4], [2, 4, 2]],
  ['[2,1,3,4] @ [5,4,2]', [2, 1, 3, 4], [5, 4, 2]],
  ['[3,4] @ [2,4,5]', [3, 4], [2, 4, 5]],
  ['[2,3,4] @ [4]', [2, 3, 4], [4]],
  ['[4] @ [2,4,3]', [4], [2, 4, 3]],
  ['[1,2,3] @ [3,3,2]', [1, 2, 3], [3, 3, 2]],
];

describe('gradcheck: matmul', () => {
  for (const [name, sa, sb] of FORMS) {
    test(name, async () => {
      await gradcheck((a, b) => matmul(a, b), [input(sa, undefined, -2, 2, 3), input(sb, undefined, -2, 2, 9)]);
    });
  }
  test('with transposed operands (x.T, transpose)', async () => {
    await gradcheck((a, b) => a.T.matmul(b), [input([3, 2]), input([3, 4], undefined, -2, 2, 9)]);
    await gradcheck((a, b) => a.matmul(b.transpose(-1, -2)), [input([2, 2, 3]), input([2, 4, 3], undefined, -2, 2, 9)]);
  });
});
