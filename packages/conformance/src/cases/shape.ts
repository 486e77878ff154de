import { tidy } from '@logit/core';
import type { Case } from '../types.js';
import { defineCase, input, ints } from './define.js';

// Views (reshape, squeeze...) share storage; permute and expand materialize through their kernels.
export const shapeCasesAll: Case[] = [
  defineCase('shape', { name: 'reshape [2,3,4] to [4,6]', op: 'reshape', inputs: [input([2, 3, 4])], run: ([x]) => tidy(() => x.reshape(4, 6).mul(2)), tfjs: { fn: (tf, [x]) => tf.mul(tf.reshape(x, [4, 6]), 2) } }),
  defineCase('shape', { name: 'view with -1', op: 'view', inputs: [input([2, 6])], run: ([x]) => tidy(() => x.view(-1, 3).mul(x.view(-1, 3))) }),
  defineCase('shape', { name: 'flatten 1..2 [2,3,2,2]', op: 'flatten', inputs: [input([2, 3, 2, 2])], run: ([x]) => tidy(() => x.flatten(1, 2).exp()) }),
  defineCase('shape', { name: 'squeeze and unsqueeze', op: 'squeeze', inputs: [input([3, 1, 2])], run: ([x]) => tidy(() => x.squeeze(1).unsqueeze(0).mul(3)) }),
  defineCase('shape', { name: 'permute [2,3,4] (2,0,1)', op: 'permute', inputs: [input([2, 3, 4])], run: ([x]) => x.permute(2, 0, 1), tfjs: { fn: (tf, [x]) => tf.transpose(x, [2, 0, 1]) } }),
  defineCase('shape', { name: 'permute 5-D', op: 'permute', inputs: [input([2, 1, 3, 2, 2])], run: ([x]) => x.permute(4, 2, 0, 3, 1), tfjs: { fn: (tf, [x]) => tf.transpose(x, [4, 2, 0, 3, 1]) } }),
  defineCase('shape', { name: 'permute empty [0,3]', op: 'permute', inputs: [input([0, 3])], run: ([x]) => x.T }),
  defineCase('shape', { name: 'transpose int32', op: 'transpose', dtypes: ['int32'], grad: false, inputs: [ints([2, 3])], run: ([x]) => x.transpose(0, 1) }),
  defineCase('shape', { name: 'transpose bool', op: 'transpose', dtypes: ['bool'], grad: false, inputs: [{ shape: [2, 3], dtype: 'bool', grad: false }], run: ([x]) => x.transpose(0, 1) }),
  defineCase('shape', { name: 'expand [3,1] to [2,3,4]', op: 'expand', inputs: [input([3, 1])], run: ([x]) => x.expand(2, 3, 4), tfjs: { fn: (tf, [x]) => tf.broadcastTo(x, [2, 3, 4]) } }),
  defineCase('shape', { name: 'expand scalar to [2,2]', op: 'expand', inputs: [input([])], run: ([x]) => x.expand(2, 2) }),
  defineCase('shape', { name: 'expand [1,3,1] to [4,3,2]', op: 'expand', inputs: [input([1, 3, 1])], run: ([x]) => x.expand(4, 3, 2) }),
  defineCase('shape', { name: 'expand -1 keeps a dim', op: 'expand', inputs: [input([2, 1])], run: ([x]) => x.expand(-1, 5) }),
  defineCase('shape', { name: 'expand int32', op: 'expand', dtypes: ['int32'], grad: false, inputs: [ints([1, 3])], run: ([x]) => x.expand(2, 3) }),
];
