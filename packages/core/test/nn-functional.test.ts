import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { memory, nn, randn, tensor, tidy, type Tensor } from '@logit/core';
import { gradcheck, input, values } from './helpers/gradcheck.js';

// nn.functional against independent float64 loops (forward) and finite differences (gradient).

const F = nn.functional;

function f64(shape: number[], seed: number): Tensor {
  return tensor(Float64Array.from(values(shape.reduce((a, b) => a * b, 1), -2, 2, seed)), { shape, dtype: 'float64' });
}

function expectAllClose(actual: ArrayLike<number>, expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])))) {
      expect.fail(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

interface Geo {
  stride: [number, number];
  pad: [number, number, number, number]; // top, bottom, left, right
  dilation: [number, number];
}

/** Direct convolution: out[n, o, i, j] = b[o] + sum over c in o's group, ki, kj. */
function convRef(x: Tensor, w: Tensor, b: Tensor | null, g: Geo, groups: number): { data: number[]; shape: number[] } {
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  const xd = x.dataSync();
  const wdat = w.dataSync();
  const bd = b?.dataSync();
  const oh = Math.floor((h + g.pad[0] + g.pad[1] - g.dilation[0] * (kh - 1) - 1) / g.stride[0]) + 1;
  const ow = Math.floor((wd + g.pad[2] + g.pad[3] - g.dilation[1] * (kw - 1) - 1) / g.stride[1]) + 1;
  const out: number[] = [];
  const og = o / groups;
  for (let bn = 0; bn < n; bn++)
    for (let oc = 0; oc < o; oc++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = bd ? bd[oc] : 0;
          const grp = Math.floor(oc / og);
          for (let ci = 0; ci < cg; ci++)
            for (let ki = 0; ki < kh; ki++)
              for (let kj = 0; kj < kw; kj++) {
                const r = i * g.stride[0] - g.pad[0] + ki * g.dilation[0];
                const s = j * g.stride[1] - g.pad[2] + kj * g.dilation[1];
                if (r < 0 || r >= h || s < 0 || s >= wd) continue;
                acc += xd[((bn * c + grp * cg + ci) * h + r) * wd + s] * wdat[((oc * cg + ci) * kh + ki) * kw + kj];
              }
          out.push(acc);
        }
  return { data: out, shape: [n, o, oh, ow] };
}

function poolRef(x: Tensor, k: [number, number], g: Geo, oh: number, ow: number): number[] {
  const [n, c, h, wd] = x.shape;
  const xd = x.dataSync();
  const out: number[] = [];
  for (let p = 0; p < n * c; p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let m = -Infinity;
        for (let ki = 0; ki < k[0]; ki++)
          for (let kj = 0; kj < k[1]; kj++) {
            const r = i * g.stride[0] - g.pad[0] + ki * g.dilation[0];
            const s = j * g.stride[1] - g.pad[2] + kj * g.dilation[1];
            if (r >= 0 && r < h && s >= 0 && s < wd) m = Math.max(m, xd[(p * h + r) * wd + s]);
          }
        out.push(m);
      }
  return out;
}

describe('nn.functional forward against direct loops (float64)', () => {
  const cases: [string, number[], number[], nn.functional.Conv2dOptions, Geo][] = [
    ['plain', [2, 3, 5, 6], [4, 3, 3, 3], {}, { stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1] }],
    ['stride, padding, dilation', [1, 2, 9, 8], [3, 2, 3, 2], { stride: [2, 3], padding: [2, 1], dilation: [2, 1] }, { stride: [2, 3], pad: [2, 2, 1, 1], dilation: [2, 1] }],
    ["'same' with an even kernel (extra pad bottom/right)", [1, 2, 5, 5], [2, 2, 4, 2], { padding: 'same' }, { stride: [1, 1], pad: [1, 2, 0, 1], dilation: [1, 1] }],
    ['groups 3', [2, 6, 4, 4], [9, 2, 2, 2], { groups: 3, padding: 1 }, { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1] }],
  ];
  test.for(cases)('conv2d %s', ([_n, xs, ws, opts, geo], ctx) => {
    needs(ctx, 'float64');
    const x = f64(xs, 1);
    const w = f64(ws, 2);
    const b = f64([ws[0]], 3);
    const ref = convRef(x, w, b, geo, opts.groups ?? 1);
    const y = F.conv2d(x, w, b, opts);
    expect(y.shape).toEqual(ref.shape);
    expectAllClose(y.dataSync(), ref.data);
  });

  test('maxPool2d with stride, padding, dilation and ceilMode', (ctx) => {
    needs(ctx, 'float64');
    const x = f64([2, 3, 7, 8], 4);
    const y = F.maxPool2d(x, [3, 2], { stride: [2, 3], padding: [1, 1], dilation: [2, 1], ceilMode: true });
    // H: ceil((7 + 2 - 4 - 1) / 2) + 1 = 3. W: ceil((8 + 2 - 1 - 1) / 3) + 1 = 4, but that window would
    // start at 3 * 3 = 9 >= 8 + 1 (past the input), so PyTorch drops it: 3 (torch gives [2, 3, 3, 3])
    expect(y.shape).toEqual([2, 3, 3, 3]);
    expectAllClose(y.dataSync(), poolRef(x, [3, 2], { stride: [2, 3], pad: [1, 1, 1, 1], dilation: [2, 1] }, 3, 3));
  });

  test('linear on 3-D input equals x @ W^T + b row by row', (ctx) => {
    needs(ctx, 'float64');
    const x = f64([2, 3, 4], 5);
    const w = f64([5, 4], 6);
    const b = f64([5], 7);
    const y = F.linear(x, w, b);
    const xd = x.dataSync();
    const wd = w.dataSync();
    const bd = b.dataSync();
    const ref: number[] = [];
    for (let r = 0; r < 6; r++) for (let o = 0; o < 5; o++) ref.push(bd[o] + [0, 1, 2, 3].reduce((a, k) => a + xd[r * 4 + k] * wd[o * 4 + k], 0));
    expect(y.shape).toEqual([2, 3, 5]);
    expectAllClose(y.dataSync(), ref);
  });

  test('batchNorm in eval uses the running stats; in training the batch statistics', (ctx) => {
    needs(ctx, 'float64');
    const x = f64([4, 2, 3], 8);
    const rm = tensor([0.5, -1], { dtype: 'float64' });
    const rv = tensor([2, 0.25], { dtype: 'float64' });
    const wt = tensor([1.5, -0.5], { dtype: 'float64' });
    const bs = tensor([0.1, 0.2], { dtype: 'float64' });
    const xd = x.dataSync();
    const evalRef = Array.from(xd, (v, i) => {
      const c = Math.floor(i / 3) % 2;
      return ((v - [0.5, -1][c]) / Math.sqrt([2, 0.25][c] + 1e-5)) * [1.5, -0.5][c] + [0.1, 0.2][c];
    });
    expectAllClose(F.batchNorm(x, rm, rv, { weight: wt, bias: bs }).dataSync(), evalRef);
    const mean = [0, 1].map((c) => Array.from(xd).filter((_, i) => Math.floor(i / 3) % 2 === c).reduce((a, v) => a + v, 0) / 12);
    const vars = [0, 1].map((c) => Array.from(xd).filter((_, i) => Math.floor(i / 3) % 2 === c).reduce((a, v) => a + (v - mean[c]) ** 2, 0) / 12);
    const trainRef = Array.from(xd, (v, i) => {
      const c = Math.floor(i / 3) % 2;
      return (v - mean[c]) / Math.sqrt(vars[c] + 1e-5);
    });
    expectAllClose(F.batchNorm(x, rm, rv, { training: true, momentum: 0.25 }).dataSync(), trainRef);
    expectAllClose(rm.dataSync(), [0.75 * 0.5 + 0.25 * mean[0], 0.75 * -1 + 0.25 * mean[1]]);
    expectAllClose(rv.dataSync(), [0.75 * 2 + 0.25 * vars[0] * (12 / 11), 0.75 * 0.25 + 0.25 * vars[1] * (12 / 11)]);
  });

  test('the functional forms equal the modules', () => {
    const x = randn([3, 6]);
    const same = (a: Tensor, b: Tensor) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    same(F.relu(x), new nn.ReLU().forward(x));
    same(F.leakyRelu(x, 0.3), new nn.LeakyReLU(0.3).forward(x));
    same(F.gelu(x, { approximate: 'tanh' }), new nn.GELU({ approximate: 'tanh' }).forward(x));
    same(F.sigmoid(x), new nn.Sigmoid().forward(x));
    same(F.tanh(x), new nn.Tanh().forward(x));
    same(F.softmax(x, 1), new nn.Softmax(1).forward(x));
    same(F.logSoftmax(x, 0), new nn.LogSoftmax(0).forward(x));
    expect(F.flatten(randn([2, 3, 4]), 1).shape).toEqual([2, 12]);
    const fc = new nn.Linear(6, 2);
    same(F.linear(x, fc.weight, fc.bias), fc.forward(x));
  });
});

describe('nn.functional gradients against finite differences (float64)', () => {
  test('conv2d: input, weight and bias, with stride, padding, dilation and groups', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }), [
      input([2, 4, 5, 5], undefined, -2, 2, 11),
      input([4, 2, 2, 3], undefined, -2, 2, 12),
      input([4], undefined, -2, 2, 13),
    ]);
  });

  test('maxPool2d with overlapping windows and padding', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }), [input([1, 2, 6, 5], undefined, -2, 2, 14)]);
  });

  test('batchNorm in training, with weight and bias', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((x, w, b) => F.batchNorm(x, null, null, { training: true, weight: w, bias: b }), [
      input([4, 3, 2], undefined, -2, 2, 15),
      input([3], undefined, -2, 2, 16),
      input([3], undefined, -2, 2, 17),
    ]);
  });

  test('linear, gelu and leakyRelu', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((x, w, b) => F.linear(x, w, b), [input([3, 4]), input([2, 4], undefined, -2, 2, 18), input([2], undefined, -2, 2, 19)]);
    await gradcheck((x) => F.gelu(x), [input([7])]);
    await gradcheck((x) => F.gelu(x, { approximate: 'tanh' }), [input([7])]);
    await gradcheck((x) => F.leakyRelu(x, 0.1), [input([7])]);
  });
});

describe('memory', () => {
  test('conv, pool and batchnorm forward/backward inside tidy leave nothing behind', () => {
    const model = new nn.Sequential(new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.MaxPool2d(2), new nn.Flatten(), new nn.BatchNorm1d(12), new nn.Linear(12, 2));
    const x = randn([4, 2, 4, 4]);
    const step = () => {
      tidy(() => model.forward(x).sum().backward());
      model.zeroGrad();
    };
    step();
    const before = memory();
    step();
    step();
    const after = memory();
    expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
  });
});
