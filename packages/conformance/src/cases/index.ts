import { cat, gather, indexSelect, oneHot, stack } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input, ints } from './define.js';

// slice backward runs setSlice, gather/indexSelect backward run scatterAdd, cat runs concat.
export const indexCasesAll: Case[] = [
  defineCase('index', { name: 'slice dim 1 [1:4]', op: 'slice', inputs: [input([3, 5])], run: ([x]) => x.slice(1, 1, 4), tfjs: { fn: (tf, [x]) => tf.slice(x, [0, 1], [3, 3]) } }),
  defineCase('index', { name: 'slice with step 2 and negative start', op: 'slice', inputs: [input([2, 7, 2])], run: ([x]) => x.slice(1, -6, null, 2) }),
  defineCase('index', { name: 'slice to empty', op: 'slice', inputs: [input([3, 4])], run: ([x]) => x.slice(0, 2, 2) }),
  defineCase('index', { name: 'narrow dim 0', op: 'narrow', inputs: [input([5, 2])], run: ([x]) => x.narrow(0, 1, 3) }),
  defineCase('index', { name: 'select dim -1', op: 'select', inputs: [input([3, 4])], run: ([x]) => x.select(-1, 2) }),
  defineCase('index', { name: 'slice int32', op: 'slice', dtypes: ['int32'], grad: false, inputs: [ints([4, 3])], run: ([x]) => x.slice(0, 1, 4, 2) }),
  defineCase('index', {
    name: 'gather dim 1 (repeated indices)', op: 'gather', inputs: [input([3, 4]), ints([3, 5], [0, 3, 3, 1, 0, 2, 2, 2, 1, 0, 3, 0, 1, 1, 3])],
    run: ([x, i]) => gather(x, 1, i),
  }),
  defineCase('index', { name: 'gather dim 0 3-D', op: 'gather', inputs: [input([3, 2, 2]), ints([2, 2, 2], [2, 0, 1, 1, 0, 0, 2, 2])], run: ([x, i]) => x.gather(0, i) }),
  defineCase('index', { name: 'gather empty index', op: 'gather', inputs: [input([3, 4]), ints([3, 0], [])], run: ([x, i]) => gather(x, 1, i) }),
  defineCase('index', {
    name: 'indexSelect dim 0 (repeats)', op: 'indexSelect', inputs: [input([4, 3]), ints([5], [3, 0, 3, 1, 3])], run: ([x, i]) => indexSelect(x, 0, i),
    tfjs: { fn: (tf, [x, i]) => tf.gather(x, i, 0) },
  }),
  defineCase('index', { name: 'indexSelect dim 1', op: 'indexSelect', inputs: [input([2, 4]), ints([2], [3, 1])], run: ([x, i]) => x.indexSelect(1, i), tfjs: { fn: (tf, [x, i]) => tf.gather(x, i, 1) } }),
  defineCase('index', { name: 'indexSelect int32', op: 'indexSelect', dtypes: ['int32'], grad: false, inputs: [ints([4, 2]), ints([3], [1, 1, 0])], run: ([x, i]) => x.indexSelect(0, i) }),
  defineCase('index', { name: 'cat dim 1', op: 'cat', inputs: [input([2, 3]), input([2, 1]), input([2, 2])], run: (xs) => cat(xs, 1), tfjs: { fn: (tf, xs) => tf.concat(xs, 1) } }),
  defineCase('index', { name: 'cat dim 0 with an empty part', op: 'cat', inputs: [input([0, 3]), input([2, 3])], run: (xs) => cat(xs, 0) }),
  defineCase('index', { name: 'cat int32 dim -1', op: 'cat', dtypes: ['int32'], grad: false, inputs: [ints([2, 2]), ints([2, 3])], run: (xs) => cat(xs, -1) }),
  defineCase('index', { name: 'stack dim 1', op: 'stack', inputs: [input([2, 3]), input([2, 3])], run: (xs) => stack(xs, 1), tfjs: { fn: (tf, xs) => tf.stack(xs, 1) } }),
  defineCase('index', { name: 'oneHot', op: 'oneHot', dtypes: ['int32'], grad: false, inputs: [ints([4], [0, 3, 1, 3])], run: ([t]) => oneHot(t, 5), tfjs: { fn: (tf, [t]) => tf.oneHot(t, 5) } }),
];
