import { expect, test } from 'vitest';
import { nn, randn, tensor, type Tensor } from '@logit/core';

// The @example blocks of the layers' TSDoc, run as written (plus checks of what they claim).

test('Linear', () => {
  const fc = new nn.Linear(20, 30);
  const y = fc.forward(randn([128, 20]));
  expect(y.shape).toEqual([128, 30]);
  y.sum().backward();
  expect(fc.weight.grad!.shape).toEqual([30, 20]);
});

test('activations', () => {
  const y = new nn.ReLU().forward(randn([2, 3], { requiresGrad: true }));
  y.sum().backward();
  new nn.LeakyReLU(0.2).forward(randn([2, 3], { requiresGrad: true })).sum().backward();
  new nn.Tanh().forward(randn([4], { requiresGrad: true })).sum().backward();
  new nn.Sigmoid().forward(randn([4], { requiresGrad: true })).sum().backward();
  new nn.GELU({ approximate: 'tanh' }).forward(randn([4], { requiresGrad: true })).sum().backward();
  const p = new nn.Softmax(-1).forward(randn([2, 5], { requiresGrad: true }));
  p.select(1, 0).sum().backward();
  const logp = new nn.LogSoftmax(1).forward(randn([2, 5], { requiresGrad: true }));
  logp.select(1, 0).sum().backward();
});

test('Dropout and Flatten', () => {
  const drop = new nn.Dropout(0.2);
  const y = drop.forward(randn([20, 16], { requiresGrad: true }));
  y.sum().backward();
  const f = new nn.Flatten().forward(randn([32, 1, 5, 5], { requiresGrad: true }));
  expect(f.shape).toEqual([32, 25]);
  f.sum().backward();
});

test('Sequential', () => {
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  model.forward(randn([2, 4])).sum().backward();
  expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
});

test('Conv2d and MaxPool2d', () => {
  const conv = new nn.Conv2d(3, 8, 3, { padding: 1 });
  const y = conv.forward(randn([2, 3, 16, 16]));
  expect(y.shape).toEqual([2, 8, 16, 16]);
  y.sum().backward();
  const pool = new nn.MaxPool2d(2);
  const p = pool.forward(randn([1, 3, 8, 8], { requiresGrad: true }));
  expect(p.shape).toEqual([1, 3, 4, 4]);
  p.sum().backward();
});

test('BatchNorm1d', () => {
  const bn = new nn.BatchNorm1d(4);
  const y = bn.forward(randn([8, 4]).requiresGrad_());
  y.square().sum().backward();
  expect(bn.weight!.grad!.shape).toEqual([4]);
});

test('ModuleList and ModuleDict', () => {
  class MLP extends nn.Module {
    layers = new nn.ModuleList([new nn.Linear(4, 8), new nn.Linear(8, 8), new nn.Linear(8, 2)]);
    forward(x: Tensor): Tensor {
      for (const layer of this.layers) x = layer.forward(x).relu();
      return x;
    }
  }
  const model = new MLP();
  expect(model.namedParameters()[0][0]).toBe('layers.0.weight');
  model.forward(randn([3, 4])).sum().backward();
  class TwoHeads extends nn.Module {
    body = new nn.Linear(4, 8);
    heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
    forward(x: Tensor): Tensor {
      const h = this.body.forward(x).relu();
      return this.heads.get('cls').forward(h).sum().add(this.heads.get('reg').forward(h).sum());
    }
  }
  const two = new TwoHeads();
  expect(two.namedParameters().map(([n]) => n).at(-1)).toBe('heads.reg.bias');
  two.forward(randn([2, 4])).backward();
  two.apply((m) => {
    if (m instanceof nn.Linear) nn.init.zeros_(m.bias!);
  });
  expect(Array.from(two.body.bias!.dataSync())).toEqual(new Array(8).fill(0));
});

test('Embedding', () => {
  const emb = new nn.Embedding(10, 3, { paddingIdx: 0 });
  const y = emb.forward(tensor([[1, 2, 0], [4, 4, 9]], { dtype: 'int32' }));
  expect(y.shape).toEqual([2, 3, 3]);
  y.sum().backward();
  const g = Array.from(emb.weight.grad!.dataSync());
  expect(g.slice(12, 15)).toEqual([2, 2, 2]);
  expect(g.slice(0, 3)).toEqual([0, 0, 0]);
  const pre = nn.Embedding.fromPretrained(tensor([[1, 2], [3, 4], [5, 6]]), { freeze: false });
  pre.forward(tensor([2, 0], { dtype: 'int32' })).sum().backward();
  expect(Array.from(pre.weight.grad!.dataSync())).toEqual([1, 1, 0, 0, 1, 1]);
});

test('LayerNorm, RMSNorm, SiLU, Identity', () => {
  const ln = new nn.LayerNorm(8);
  const y = ln.forward(randn([2, 5, 8], { requiresGrad: true }));
  const m = Array.from(y.mean(-1).dataSync());
  m.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-6));
  y.square().sum().backward();
  expect(ln.weight!.grad!.shape).toEqual([8]);
  const norm = new nn.RMSNorm([4]);
  norm.forward(randn([3, 4], { requiresGrad: true })).sum().backward();
  new nn.SiLU().forward(randn([4], { requiresGrad: true })).sum().backward();
  const x = randn([2, 3], { requiresGrad: true });
  new nn.Identity().forward(x).sum().backward();
  expect(Array.from(x.grad!.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
});

test('attention and the transformer layers', () => {
  const q = randn([2, 4, 8, 16], { requiresGrad: true });
  const a = nn.functional.scaledDotProductAttention(q, randn([2, 4, 8, 16]), randn([2, 4, 8, 16]), { isCausal: true });
  a.sum().backward();
  expect(q.grad!.shape).toEqual([2, 4, 8, 16]);
  const mha = new nn.MultiheadAttention(16, 4, { batchFirst: true });
  const x = randn([2, 5, 16], { requiresGrad: true });
  const [y, w] = mha.forward(x, x, x);
  expect([y.shape, w!.shape]).toEqual([[2, 5, 16], [2, 5, 5]]);
  y.sum().backward();
  const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true, normFirst: true });
  const z = layer.forward(randn([2, 5, 16], { requiresGrad: true }));
  expect(z.shape).toEqual([2, 5, 16]);
  z.sum().backward();
  const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true }), 2, { norm: new nn.LayerNorm(16) });
  encoder.forward(randn([2, 5, 16], { requiresGrad: true })).sum().backward();
});
