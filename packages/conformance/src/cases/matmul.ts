import { matmul, tidy } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input, shapeName } from './define.js';

// Every transpose flag is reached: forward takes none, the gradients take transA or transB, and
// x.T @ y passes a permuted copy; batched shapes exercise batch strides and broadcasting (stride 0).
const SHAPES: readonly [readonly number[], readonly number[]][] = [
  [[3, 4], [4, 5]],
  [[1, 1], [1, 1]],
  [[4], [4]],
  [[4], [4, 3]],
  [[2, 3, 4], [4, 5]],
  [[3, 4], [2, 4, 2]],
  [[2, 1, 3, 4], [3, 4, 2]],
  [[2, 3, 4], [2, 4, 3]],
  [[0, 4], [4, 3]],
  [[3, 0], [0, 2]],
  [[17, 9], [9, 13]],
];

export const matmulCasesAll: Case[] = [
  ...SHAPES.map(([a, b]) =>
    defineCase('matmul', {
      name: `matmul ${shapeName(a)} ${shapeName(b)}`, op: 'matmul', inputs: [input(a), input(b)], run: ([x, y]) => matmul(x, y),
      tfjs: a.length >= 2 && b.length >= 2 && a.length === b.length && a.every((v) => v > 0) ? { fn: (tf, [x, y]) => tf.matMul(x, y) } : undefined,
    }),
  ),
  defineCase('matmul', { name: 'matmul x.T @ y', op: 'matmul', inputs: [input([4, 3]), input([4, 2])], run: ([x, y]) => tidy(() => x.T.matmul(y)), tfjs: { fn: (tf, [x, y]) => tf.matMul(x, y, true, false) } }),
  defineCase('matmul', { name: 'matmul x @ y.T', op: 'matmul', inputs: [input([3, 4]), input([2, 4])], run: ([x, y]) => tidy(() => x.matmul(y.T)), tfjs: { fn: (tf, [x, y]) => tf.matMul(x, y, false, true) } }),
  // A long inner dimension of 0.1s: a single running float32 sum drifts (each addition rounds the
  // same way), 1.5e-4 relative at K = 16,384 and 6e-4 at 65,536, far outside the 1e-5 tolerance;
  // summing in blocks keeps it near 2e-6 whatever K is. K stays small: on SwiftShader one thread
  // walks all of K, and WebGPU's old kernel already failed here.
  defineCase('matmul', {
    name: 'matmul long K [2,16384] @ [16384,3] (accuracy independent of K)', op: 'matmul', dtypes: ['float32'], grad: false,
    inputs: [input([2, 16384], { values: () => Array.from({ length: 2 * 16384 }, (_, i) => (i < 16384 ? 0.1 : 0.3)) }), input([16384, 3], { values: () => Array.from({ length: 16384 * 3 }, (_, i) => [1, 0.7, 3][i % 3]) })],
    run: ([x, y]) => x.matmul(y),
  }),
  defineCase('matmul', {
    name: 'matmul edge values', op: 'matmul', fd: { skip: 'edge values' },
    inputs: [input([2, 3], { values: [Infinity, 1, 0, NaN, 1e30, -1e30] }), input([3, 2], { values: [1, 0, 2, 1e-30, -1, 1] })],
    run: ([x, y]) => x.matmul(y),
  }),
];
