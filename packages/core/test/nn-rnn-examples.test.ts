import { expect, test } from 'vitest';
import { nn, randn, type Tensor } from '@logit/core';

// The @example blocks of the recurrent layers' TSDoc, run as written (plus checks of what they claim).

test('RNN', () => {
  const rnn = new nn.RNN(10, 20, { numLayers: 2 });
  const input = randn([5, 3, 10]);
  const h0 = randn([2, 3, 20]);
  const [output, hn] = rnn.forward(input, h0);
  expect([output.shape, hn.shape]).toEqual([[5, 3, 20], [2, 3, 20]]);
  output.sum().backward();
  expect(rnn.parameters().every((p) => p.grad !== null)).toBe(true);
});

test('LSTM', () => {
  const lstm = new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true });
  const input = randn([3, 5, 10]);
  const [output, [hn, cn]] = lstm.forward(input);
  expect([output.shape, hn.shape, cn.shape]).toEqual([[3, 5, 20], [2, 3, 20], [2, 3, 20]]);
  output.sum().add(cn.sum()).backward();
  expect(lstm.parameters().every((p) => p.grad !== null)).toBe(true);
});

test('GRU', () => {
  const gru = new nn.GRU(10, 20, { bidirectional: true });
  const input = randn([5, 3, 10]);
  const [output, hn] = gru.forward(input);
  expect([output.shape, hn.shape]).toEqual([[5, 3, 40], [2, 3, 20]]);
  output.sum().backward();
});

test('RNNCell and GRUCell', () => {
  for (const cell of [new nn.RNNCell(10, 20), new nn.GRUCell(10, 20)]) {
    const x = randn([6, 3, 10]);
    let hx = randn([3, 20]);
    for (let t = 0; t < 6; t++) hx = cell.forward(x.select(0, t), hx);
    hx.sum().backward();
    expect(cell.weight_hh.grad!.shape).toEqual([cell instanceof nn.GRUCell ? 60 : 20, 20]);
  }
});

test('LSTMCell', () => {
  const cell = new nn.LSTMCell(10, 20);
  const x = randn([2, 3, 10]);
  let [hx, cx]: [Tensor, Tensor] = [randn([3, 20]), randn([3, 20])];
  for (let t = 0; t < 2; t++) [hx, cx] = cell.forward(x.select(0, t), [hx, cx]);
  hx.sum().backward();
  expect(cell.weight_ih.grad!.shape).toEqual([80, 10]);
});
