#!/usr/bin/env python3
"""Golden values for Logit's recurrent layers and cells, from PyTorch 2.x.

Writes packages/core/test/goldens/rnn.json:
  cases: per module (RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell) and option combination, in
         float32 and float64: the module's state dict (PyTorch's names), the input, the initial
         states (or none), the outputs ([output, h_n] or [output, h_n, c_n] for the layers;
         [h'] or [h', c'] for the cells), and after backward of sum_k sum(outputs[k] * w[k]) for
         recorded w, the gradients of the input, of each initial state and of every parameter.
Options are written in Logit's camelCase and converted to PyTorch's keyword names here.

Run: /work/.venv-torch/bin/python tools/goldens/rnn.py   (any torch 2.x)
"""
import json
import os

import torch
import torch.nn as nn

from common import DTYPES, Stream, enc, snake

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'goldens', 'rnn.json')
CELLS = {'RNNCell', 'LSTMCell', 'GRUCell'}

rng = Stream(1212)
randn = rng.randn


def build(module, args, opts, dtype):
    kwargs = {snake(k): v for k, v in opts.items()}
    return getattr(nn, module)(*args, **kwargs, dtype=DTYPES[dtype])


def state_shapes(module, args, opts, input_shape):
    """Shapes of the initial states PyTorch expects for this input."""
    hidden = args[1]
    if module in CELLS:
        lead = input_shape[:-1]
        n = 2 if module == 'LSTMCell' else 1
        return [lead + [hidden]] * n
    dirs = 2 if opts.get('bidirectional') else 1
    layers = opts.get('numLayers', 1)
    batched = len(input_shape) == 3
    batch = [input_shape[0 if opts.get('batchFirst') else 1]] if batched else []
    n = 2 if module == 'LSTM' else 1
    return [[layers * dirs] + batch + [hidden]] * n


def call(m, module, x, states):
    """Runs the module; returns the list of output tensors."""
    if module == 'LSTMCell':
        return list(m(x, tuple(states) if states else None))
    if module in CELLS:
        return [m(x, states[0] if states else None)]
    if module == 'LSTM':
        out, (h, c) = m(x, tuple(states) if states else None)
        return [out, h, c]
    out, h = m(x, states[0] if states else None)
    return [out, h]


def case(name, module, args, opts, input_shape, with_states=True, mode='train'):
    torch.manual_seed(len(name))
    ref = build(module, args, opts, 'float64')
    state64 = {k: v.detach().clone() for k, v in ref.state_dict().items()}
    x64 = randn(input_shape)
    s64 = [randn(s) * 0.5 for s in state_shapes(module, args, opts, input_shape)] if with_states else []
    w64 = None
    out = []
    for dtype in ('float32', 'float64'):
        m = build(module, args, opts, dtype)
        m.load_state_dict({k: v.to(DTYPES[dtype]) for k, v in state64.items()})
        m.train(mode == 'train')
        x = x64.to(DTYPES[dtype]).requires_grad_(True)
        states = [s.to(DTYPES[dtype]).requires_grad_(True) for s in s64]
        ys = call(m, module, x, states)
        if w64 is None:
            w64 = [randn(y.shape) for y in ys]
        w = [wk.to(DTYPES[dtype]) for wk in w64]
        sum((y * wk).sum() for y, wk in zip(ys, w)).backward()
        out.append({
            'name': f'{name} [{dtype}]', 'module': module, 'args': args, 'options': opts, 'mode': mode, 'dtype': dtype,
            'state': {k: enc(v) for k, v in m.state_dict().items()},
            'input': enc(x), 'states': [enc(s) for s in states],
            'outputs': [enc(y) for y in ys], 'upstream': [enc(wk) for wk in w],
            'gradInput': enc(x.grad), 'gradStates': [enc(s.grad) for s in states],
            'gradParams': {k: enc(p.grad) for k, p in m.named_parameters()},
        })
    return out


SPECS = [
    # name, module, [inputSize, hiddenSize], options, input shape, initial states given
    ('RNN tanh', 'RNN', [3, 4], {}, [5, 2, 3], True),
    ('RNN relu 2 layers', 'RNN', [3, 4], {'nonlinearity': 'relu', 'numLayers': 2}, [5, 2, 3], False),
    ('RNN bidirectional batchFirst', 'RNN', [3, 4], {'bidirectional': True, 'batchFirst': True}, [2, 5, 3], True),
    ('RNN bias false unbatched', 'RNN', [3, 4], {'bias': False}, [5, 3], True),
    ('LSTM', 'LSTM', [3, 4], {}, [5, 2, 3], True),
    ('LSTM no initial state', 'LSTM', [3, 4], {}, [4, 3, 3], False),
    ('LSTM 2 layers bidirectional', 'LSTM', [3, 4], {'numLayers': 2, 'bidirectional': True}, [4, 2, 3], True),
    ('LSTM 2 layers batchFirst', 'LSTM', [3, 4], {'numLayers': 2, 'batchFirst': True}, [2, 5, 3], False),
    ('LSTM bias false', 'LSTM', [3, 4], {'bias': False}, [5, 2, 3], True),
    ('LSTM unbatched', 'LSTM', [3, 4], {}, [5, 3], True),
    ('LSTM unbatched bidirectional no initial state', 'LSTM', [3, 4], {'bidirectional': True}, [4, 3], False),
    ('LSTM 2 layers dropout 0.5 eval', 'LSTM', [3, 4], {'numLayers': 2, 'dropout': 0.5}, [4, 2, 3], True, 'eval'),
    ('LSTM seq 12 hidden 8', 'LSTM', [5, 8], {}, [12, 3, 5], True),
    ('GRU', 'GRU', [3, 4], {}, [5, 2, 3], True),
    ('GRU no initial state', 'GRU', [3, 4], {}, [4, 3, 3], False),
    ('GRU 2 layers bidirectional batchFirst', 'GRU', [3, 4], {'numLayers': 2, 'bidirectional': True, 'batchFirst': True}, [2, 4, 3], False),
    ('GRU bias false', 'GRU', [3, 4], {'bias': False}, [5, 2, 3], True),
    ('GRU unbatched', 'GRU', [3, 4], {}, [5, 3], True),
    ('GRU 3 layers', 'GRU', [3, 4], {'numLayers': 3}, [3, 2, 3], True),
    # hidden sizes that are not a multiple of 4 (SIMD kernels finish each row with scalar code)
    ('LSTM hidden 7', 'LSTM', [3, 7], {}, [4, 2, 3], True),
    ('GRU hidden 6 bidirectional', 'GRU', [3, 6], {'bidirectional': True}, [4, 2, 3], True),
    ('RNNCell tanh', 'RNNCell', [3, 4], {}, [2, 3], True),
    ('RNNCell relu bias false no state', 'RNNCell', [3, 4], {'nonlinearity': 'relu', 'bias': False}, [3, 3], False),
    ('RNNCell unbatched', 'RNNCell', [3, 4], {}, [3], True),
    ('LSTMCell', 'LSTMCell', [3, 4], {}, [2, 3], True),
    ('LSTMCell no state', 'LSTMCell', [3, 4], {}, [3, 3], False),
    ('LSTMCell unbatched bias false', 'LSTMCell', [3, 4], {'bias': False}, [3], True),
    ('GRUCell', 'GRUCell', [3, 4], {}, [2, 3], True),
    ('GRUCell bias false no state', 'GRUCell', [3, 4], {'bias': False}, [3, 3], False),
    ('GRUCell unbatched', 'GRUCell', [3, 4], {}, [3], True),
]


def names():
    """Parameter names of a 2-layer bidirectional module, as named_parameters() lists them."""
    return {m: [k for k, _ in getattr(nn, m)(3, 4, num_layers=2, bidirectional=True).named_parameters()] for m in ('RNN', 'LSTM', 'GRU')}


def main():
    cases = []
    for spec in SPECS:
        cases += case(*spec)
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'names': names(), 'cases': cases}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
