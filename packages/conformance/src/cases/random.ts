import { full, manualSeed, tidy, ones, rand, randint, randn, zeros, type DType } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input } from './define.js';

// fill and the counter-based random kernel: Philox 4x32-10 makes every backend draw the same
// numbers from the same seed, so the float64 reference run is an exact oracle.
const seeded = <T>(fn: () => T): T => {
  manualSeed(1234);
  return fn();
};

export const randomCasesAll: Case[] = [
  defineCase('creation', { name: 'zeros [2,3]', op: 'fill', grad: false, inputs: [], run: (_x, { dtype }) => zeros([2, 3], { dtype }), dtypes: ['float32', 'float64', 'int32', 'bool'] }),
  defineCase('creation', { name: 'ones []', op: 'fill', grad: false, inputs: [], run: (_x, { dtype }) => ones([], { dtype }), dtypes: ['float32', 'float64', 'int32', 'bool'] }),
  defineCase('creation', { name: 'full -0 and nan', op: 'fill', grad: false, inputs: [], signedZeros: true, run: (_x, { dtype }) => tidy(() => full([2], -0, { dtype }).add(full([2], NaN, { dtype }).mul(0).sum())) }),
  defineCase('creation', { name: 'full int32 -7', op: 'fill', grad: false, inputs: [], dtypes: ['int32'], run: () => full([3], -7, { dtype: 'int32' }) }),
  defineCase('creation', { name: 'full empty', op: 'fill', grad: false, inputs: [], run: (_x, { dtype }) => full([0, 2], 3, { dtype }) }),
  defineCase('random', { name: 'rand [4,5]', op: 'rand', grad: false, inputs: [], run: (_x, { dtype }) => seeded(() => rand([4, 5], { dtype })) }),
  defineCase('random', { name: 'rand odd size 7 (lanes)', op: 'rand', grad: false, inputs: [], run: (_x, { dtype }) => seeded(() => rand([7], { dtype })) }),
  defineCase('random', { name: 'randn [3,5]', op: 'randn', grad: false, inputs: [], run: (_x, { dtype }) => seeded(() => randn([3, 5], { dtype })) }),
  defineCase('random', { name: 'randint [10]', op: 'randint', grad: false, inputs: [], dtypes: ['int32'], run: () => seeded(() => randint(-3, 9, [10], { dtype: 'int32' })) }),
  defineCase('random', {
    name: 'two draws advance the stream', op: 'rand', grad: false, inputs: [],
    run: (_x, { dtype }) => seeded(() => {
      return tidy(() => rand([5], { dtype }).sum().add(randn([6], { dtype }).mul(2)));
    }),
  }),
  defineCase('random', {
    name: 'rand times input (gradient)', op: 'rand', inputs: [input([3, 4])],
    run: ([x], { dtype }) => seeded(() => {
      return tidy(() => x.mul(rand([3, 4], { dtype: dtype as DType })));
    }),
  }),
];
