import { manualSeed, nn } from '@logit/core';
import type { Case, TfjsOracle } from '../types.js';
import { EDGE_VALUES, defineCase, input } from './define.js';
import { layerGoldenCases, tfjsFor, type LayerGolden } from './layers.js';

// Convolution, pooling and normalisation layers (issue 12). The golden cases come from
// tools/goldens/conv.py (PyTorch 2.x) with no code per case; the fused conv2d/maxPool2d/avgPool2d
// kernels a backend declares are compared with core's composition of primitives by the runner.
// The cases below the goldens add shapes the goldens are too small for: channel and position
// counts past the blocking of a tiled matmul (K > 256, P > 256), odd sizes that end vectors
// partway, and nan/inf inside pooling windows.

/** No option among `keys` set away from its default (1 for stride-like options, 0 for paddings). */
const plain = (o: Record<string, unknown>, keys: string[]): boolean =>
  keys.every((k) => o[k] === undefined || o[k] === (k === 'groups' || k === 'dilation' ? 1 : 0));
const nhwc = (tf: any, x: any) => tf.transpose(x, [0, 2, 3, 1]); // eslint-disable-line @typescript-eslint/no-explicit-any
const nchw = (tf: any, x: any) => tf.transpose(x, [0, 3, 1, 2]); // eslint-disable-line @typescript-eslint/no-explicit-any

/** TensorFlow.js versions of the layers where tfjs-core has the op with PyTorch's meaning. */
function tfjsConv(g: LayerGolden): TfjsOracle | undefined {
  const o = g.options;
  const rank = g.input.shape.length;
  switch (g.layer) {
    case 'Conv2d':
      return o.paddingMode === undefined ? tfjsFor(g) : undefined;
    case 'Conv1d': {
      if (rank !== 3 || typeof o.padding === 'string' || o.paddingMode !== undefined || !plain(o, ['groups', 'dilation'])) return undefined;
      const pad = (o.padding as number | undefined) ?? 0;
      const stride = (o.stride as number | undefined) ?? 1;
      return {
        fn: (tf, [x, w, b]) => {
          const y = tf.conv1d(tf.transpose(x, [0, 2, 1]), tf.transpose(w, [2, 1, 0]), stride, pad === 0 ? 'valid' : pad);
          return tf.transpose(b ? tf.add(y, b) : y, [0, 2, 1]);
        },
      };
    }
    case 'ConvTranspose2d': {
      if (rank !== 4 || !plain(o, ['groups', 'dilation', 'padding', 'outputPadding']) || Array.isArray(o.stride)) return undefined;
      const stride = (o.stride as number | undefined) ?? 1;
      const [n, , oh, ow] = g.output.shape;
      return {
        fn: (tf, [x, w, b]) => {
          const y = tf.conv2dTranspose(nhwc(tf, x), tf.transpose(w, [2, 3, 1, 0]), [n, oh, ow, w.shape[1]], stride, 'valid');
          return nchw(tf, b ? tf.add(y, b) : y);
        },
      };
    }
    case 'AvgPool2d': {
      if (rank !== 4 || !plain(o, ['padding']) || o.ceilMode || o.divisorOverride) return undefined;
      const k = g.args[0] as number | [number, number];
      const stride = (o.stride as number | [number, number] | undefined) ?? k;
      return { fn: (tf, [x]) => nchw(tf, tf.avgPool(nhwc(tf, x), k, stride, 'valid')) };
    }
    case 'MaxPool1d': {
      if (rank !== 3 || !plain(o, ['padding', 'dilation']) || o.ceilMode) return undefined;
      const k = g.args[0] as number;
      const stride = (o.stride as number | undefined) ?? k;
      return {
        fn: (tf, [x]) => {
          const y = tf.maxPool(tf.expandDims(tf.transpose(x, [0, 2, 1]), 1), [1, k], [1, stride], 'valid');
          return tf.transpose(tf.squeeze(y, [1]), [0, 2, 1]);
        },
      };
    }
    case 'Upsample': {
      if (rank !== 4) return undefined;
      const [, , oh, ow] = g.output.shape;
      return {
        fn: (tf, [x]) => nchw(tf, tf.image.resizeNearestNeighbor(nhwc(tf, x), [oh, ow])),
        differs: "tfjs's ResizeNearestNeighborGrad sends gradients back by its own rounding, not the pixels its forward read, when the ratio is not an integer",
      };
    }
    default:
      return undefined;
  }
}

const TFJS_MISSING: Record<string, string> = {
  Conv2d: 'tfjs conv2d has no padding modes (reflect, replicate, circular), nor dilation with groups',
  Conv1d: 'tfjs conv1d has no groups, padding modes or dilation with stride',
  ConvTranspose2d: 'tfjs conv2dTranspose has no groups, dilation, outputPadding or PyTorch-style padding',
  AvgPool2d: 'tfjs avgPool has no countIncludePad, ceilMode or divisorOverride, nor explicit padding',
  MaxPool1d: 'tfjs maxPool has no dilation or PyTorch-style explicit padding',
  AdaptiveAvgPool2d: 'tfjs-core has no adaptive pooling',
  BatchNorm2d: 'tfjs batchNorm takes precomputed moments; training-mode statistics are not one op',
  GroupNorm: 'tfjs-core has no group normalisation',
  Dropout2d: 'eval mode is the identity',
  Unflatten: 'a reshape; covered by the shape cases',
  Upsample: 'tfjs resizeNearestNeighbor takes 4-D NHWC input only',
};

const F = nn.functional;

const largerCases: Case[] = [
  defineCase('conv', {
    name: 'conv2d 32->8 k3 (K = 288 > 256) padding 1', op: 'conv2d', inputs: [input([2, 32, 6, 6]), input([8, 32, 3, 3]), input([8])],
    run: ([x, w, b]) => F.conv2d(x, w, b, { padding: 1 }),
  }),
  defineCase('conv', {
    name: 'conv2d 2->5 k3 on 20x19 (P = 323 > 256)', op: 'conv2d', inputs: [input([2, 2, 20, 19]), input([5, 2, 3, 3]), input([5])],
    run: ([x, w, b]) => F.conv2d(x, w, b),
  }),
  defineCase('conv', {
    name: 'conv2d 5->7 k3 stride 2 padding 1 on 9x9', op: 'conv2d', inputs: [input([3, 5, 9, 9]), input([7, 5, 3, 3]), input([7])],
    run: ([x, w, b]) => F.conv2d(x, w, b, { padding: 1, stride: 2 }),
  }),
  defineCase('conv', {
    name: 'conv2d 1x1 6->10', op: 'conv2d', inputs: [input([2, 6, 5, 3]), input([10, 6, 1, 1])],
    run: ([x, w]) => F.conv2d(x, w),
  }),
  defineCase('conv', {
    name: 'convTranspose2d 9->6 k3 stride 2 groups 3 on 5x6', op: 'convTranspose2d', inputs: [input([2, 9, 5, 6]), input([9, 2, 3, 3]), input([6])],
    run: ([x, w, b]) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 3 }),
  }),
  defineCase('conv', {
    name: 'maxPool2d 2 on 12x11 x 5 planes', op: 'maxPool2d', inputs: [input([1, 5, 12, 11])],
    run: ([x]) => F.maxPool2d(x, 2), fd: { skip: 'max pooling has kinks' },
  }),
  defineCase('conv', {
    name: 'maxPool2d 3 stride 2 padding 1 over nan and inf', op: 'maxPool2d', grad: false,
    inputs: [input([1, 2, 6, 6], { values: Array.from({ length: 72 }, (_, i) => EDGE_VALUES[(i * 7) % EDGE_VALUES.length]) })],
    run: ([x]) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }),
  }),
  defineCase('conv', {
    name: 'maxPool2d 2 with -inf windows', op: 'maxPool2d',
    inputs: [input([1, 1, 4, 4], { values: [-Infinity, -Infinity, 1, 2, -Infinity, -Infinity, 3, 0.5, 4, -1, 2, 2, 0, -2, 2, 1] })],
    run: ([x]) => F.maxPool2d(x, 2), fd: { skip: 'infinite inputs' },
  }),
  defineCase('conv', {
    name: 'avgPool2d 3 stride 2 padding 1 ceilMode on 11x10', op: 'avgPool2d', inputs: [input([2, 3, 11, 10])],
    run: ([x]) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  }),
  defineCase('conv', {
    name: 'nn.Dropout2d p 0.4 train (seeded)', op: 'nn.Dropout2d', inputs: [input([3, 6, 2, 2])],
    run: ([x]) => {
      manualSeed(11);
      return new nn.Dropout2d(0.4).forward(x);
    },
  }),
];

export const convCasesAll: Case[] = [...layerGoldenCases('conv.json', 'conv', tfjsConv, TFJS_MISSING), ...largerCases];
