#!/usr/bin/python3
"""Golden values for Logit's nn layers, from PyTorch 1.13.

Writes packages/core/test/goldens/nn.json:
  cases:      per layer and option combination, in float32 and float64: the module's state dict
              (PyTorch's names), the input, the output, and after backward of sum(output * w)
              for a recorded w, the input gradient and every parameter gradient; for BatchNorm
              also the buffers after the forward.
  batchnorm:  BatchNorm1d over several training steps (running stats and num_batches_tracked
              after each) and then in eval mode.
  nested:     a custom module (fc1, net = Sequential(...), fc2): named_parameters() names,
              state_dict() keys and values, and one forward/backward.
Options are written in Logit's camelCase and converted to PyTorch's keyword names here.

Run: /usr/bin/python3 tools/goldens/nn.py
"""
import json
import os

import torch
import torch.nn as nn

from common import DTYPES, Stream, enc, snake

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'goldens', 'nn.json')
# layers that take a dtype (they have parameters or buffers)
FACTORY = {'Linear', 'Conv2d', 'BatchNorm1d'}

rng = Stream(2024)
randn = rng.randn


def build(layer, args, opts, dtype):
    kwargs = {snake(k): v for k, v in opts.items()}
    if layer in FACTORY:
        kwargs['dtype'] = DTYPES[dtype]
    return getattr(nn, layer)(*args, **kwargs)


randomize = rng.randomize


def layer_case(name, layer, args, opts, shape, mode='train', randomize_params=False, integer_input=False):
    return rng.layer_case(build, name, layer, args, opts, shape, mode, randomize_params, integer_input)


SPECS = [
    ('Linear 4->3', 'Linear', [4, 3], {}, [2, 4]),
    ('Linear no bias', 'Linear', [4, 3], {'bias': False}, [5, 4]),
    ('Linear 3-D input', 'Linear', [4, 3], {}, [2, 3, 4]),
    ('Linear 1-D input', 'Linear', [4, 3], {}, [4]),
    ('Linear 16->8 batch 7', 'Linear', [16, 8], {}, [7, 16]),
    ('ReLU', 'ReLU', [], {}, [3, 5]),
    ('LeakyReLU default', 'LeakyReLU', [], {}, [3, 5]),
    ('LeakyReLU 0.2', 'LeakyReLU', [0.2], {}, [2, 3, 4]),
    ('Tanh', 'Tanh', [], {}, [3, 5]),
    ('Sigmoid', 'Sigmoid', [], {}, [3, 5]),
    ('GELU erf', 'GELU', [], {}, [4, 6]),
    ('GELU tanh', 'GELU', [], {'approximate': 'tanh'}, [4, 6]),
    ('Softmax dim 1', 'Softmax', [1], {}, [3, 5]),
    ('Softmax dim -1 3-D', 'Softmax', [-1], {}, [2, 3, 4]),
    ('Softmax dim 0', 'Softmax', [0], {}, [3, 5]),
    ('LogSoftmax dim 1', 'LogSoftmax', [1], {}, [3, 5]),
    ('LogSoftmax dim -1 3-D', 'LogSoftmax', [-1], {}, [2, 3, 4]),
    ('Flatten default', 'Flatten', [], {}, [2, 3, 4, 5]),
    ('Flatten 0..2', 'Flatten', [0, 2], {}, [2, 3, 4, 5]),
    ('Conv2d 3->4 k3', 'Conv2d', [3, 4, 3], {}, [2, 3, 6, 6]),
    ('Conv2d stride 2 padding 1', 'Conv2d', [3, 4, 3], {'stride': 2, 'padding': 1}, [2, 3, 7, 7]),
    ('Conv2d dilation 2 padding 2', 'Conv2d', [2, 3, 3], {'dilation': 2, 'padding': 2}, [1, 2, 7, 6]),
    ('Conv2d kernel [2,3] stride [2,1] padding [1,0]', 'Conv2d', [2, 3, [2, 3]], {'stride': [2, 1], 'padding': [1, 0]}, [2, 2, 5, 6]),
    ('Conv2d groups 2 no bias', 'Conv2d', [4, 6, 3], {'groups': 2, 'bias': False}, [2, 4, 5, 5]),
    ("Conv2d padding 'same' kernel [3,4]", 'Conv2d', [2, 3, [3, 4]], {'padding': 'same'}, [2, 2, 5, 6]),
    ("Conv2d padding 'valid'", 'Conv2d', [2, 2, 2], {'padding': 'valid'}, [1, 2, 4, 4]),
    ('Conv2d unbatched', 'Conv2d', [3, 2, 3], {'padding': 1}, [3, 5, 5]),
    ('Conv2d 1x1', 'Conv2d', [5, 3, 1], {}, [2, 5, 3, 3]),
    ('MaxPool2d 2', 'MaxPool2d', [2], {}, [2, 3, 6, 6]),
    ('MaxPool2d 3 stride 2 padding 1', 'MaxPool2d', [3], {'stride': 2, 'padding': 1}, [2, 2, 7, 7]),
    ('MaxPool2d kernel [2,3] stride [1,2] dilation [2,1]', 'MaxPool2d', [[2, 3]], {'stride': [1, 2], 'dilation': [2, 1]}, [1, 2, 6, 7]),
    ('MaxPool2d ceilMode', 'MaxPool2d', [2], {'stride': 2, 'ceilMode': True}, [1, 2, 5, 5]),
    ('MaxPool2d ceilMode padding 1', 'MaxPool2d', [3], {'stride': 2, 'padding': 1, 'ceilMode': True}, [1, 2, 6, 6]),
    ('MaxPool2d unbatched', 'MaxPool2d', [2], {'stride': 1}, [2, 4, 4]),
    ('BatchNorm1d train (N, C)', 'BatchNorm1d', [3], {}, [6, 3]),
    ('BatchNorm1d train (N, C, L)', 'BatchNorm1d', [3], {}, [4, 3, 5]),
    ('BatchNorm1d eps 1e-3 momentum 0.3', 'BatchNorm1d', [4], {'eps': 1e-3, 'momentum': 0.3}, [5, 4]),
    ('BatchNorm1d affine false', 'BatchNorm1d', [3], {'affine': False}, [4, 3, 2]),
    ('BatchNorm1d no running stats', 'BatchNorm1d', [3], {'trackRunningStats': False}, [5, 3]),
]
EVAL_SPECS = [
    ('Dropout eval', 'Dropout', [0.5], {}, [3, 4]),
    ('BatchNorm1d eval (N, C)', 'BatchNorm1d', [3], {}, [6, 3]),
    ('BatchNorm1d eval (N, C, L)', 'BatchNorm1d', [3], {}, [2, 3, 4]),
    ('BatchNorm1d eval no running stats', 'BatchNorm1d', [3], {'trackRunningStats': False}, [5, 3]),
]


def batchnorm_steps(name, opts, shape, steps=4):
    out = []
    xs = [randn(shape) * 2 + 1 for _ in range(steps)]
    x_eval = randn(shape)
    ref = nn.BatchNorm1d(shape[1], **{snake(k): v for k, v in opts.items()}, dtype=torch.float64)
    randomize(ref)
    with torch.no_grad():
        ref.num_batches_tracked.zero_()
    state64 = {k: v.detach().clone() for k, v in ref.state_dict().items()}
    for dtype in ('float32', 'float64'):
        m = nn.BatchNorm1d(shape[1], **{snake(k): v for k, v in opts.items()}, dtype=DTYPES[dtype])
        m.load_state_dict({k: (v.to(DTYPES[dtype]) if v.is_floating_point() else v) for k, v in state64.items()})
        state = {k: enc(v) for k, v in m.state_dict().items()}
        record = []
        m.train()
        for x in xs:
            y = m(x.to(DTYPES[dtype]))
            record.append({'input': enc(x.to(DTYPES[dtype])), 'output': enc(y), 'buffers': {k: enc(b) for k, b in m.named_buffers()}})
        m.eval()
        xe = x_eval.to(DTYPES[dtype])
        out.append({'name': f'{name} [{dtype}]', 'options': opts, 'dtype': dtype, 'numFeatures': shape[1], 'state': state,
                    'steps': record, 'evalInput': enc(xe), 'evalOutput': enc(m(xe))})
    return out


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8, dtype=torch.float64)
        self.net = nn.Sequential(nn.Linear(8, 8, dtype=torch.float64), nn.ReLU(), nn.BatchNorm1d(8, dtype=torch.float64),
                                 nn.Linear(8, 6, bias=False, dtype=torch.float64))
        self.fc2 = nn.Linear(6, 3, dtype=torch.float64)

    def forward(self, x):
        return self.fc2(self.net(torch.tanh(self.fc1(x))))


def nested():
    torch.manual_seed(7)
    m = Net()
    x = randn([5, 4]).requires_grad_(True)
    y = m(x)
    w = randn(y.shape)
    (y * w).sum().backward()
    return {
        'namedParameters': [k for k, _ in m.named_parameters()],
        'namedBuffers': [k for k, _ in m.named_buffers()],
        'stateDictKeys': list(m.state_dict().keys()),
        'namedModules': [k for k, _ in m.named_modules()],
        # the state before the forward (the buffers have moved since): rebuild it from a fresh copy
        'input': enc(x), 'output': enc(y), 'gradWeights': enc(w), 'gradInput': enc(x.grad),
        'gradParams': {k: enc(p.grad) for k, p in m.named_parameters()},
        'buffersAfter': {k: enc(b) for k, b in m.named_buffers()},
    }


def nested_state():
    torch.manual_seed(7)
    return {k: enc(v) for k, v in Net().state_dict().items()}


def main():
    cases = []
    for spec in SPECS:
        cases += layer_case(*spec, randomize_params=spec[1] == 'BatchNorm1d')
    for spec in EVAL_SPECS:
        cases += layer_case(*spec, mode='eval', randomize_params=True)
    # integer-valued inputs make ties: the gradient must go to the first max of each window
    cases += layer_case('MaxPool2d ties', 'MaxPool2d', [3], {'stride': 1}, [1, 2, 5, 5], integer_input=True)
    cases += layer_case('MaxPool2d ties overlapping stride 2', 'MaxPool2d', [3], {'stride': 2, 'padding': 1}, [1, 1, 6, 6], integer_input=True)
    bn = []
    bn += batchnorm_steps('BatchNorm1d momentum 0.1 (N, C)', {}, [8, 3])
    bn += batchnorm_steps('BatchNorm1d momentum null (N, C, L)', {'momentum': None}, [4, 3, 5])
    bn += batchnorm_steps('BatchNorm1d momentum 0.5 affine false', {'momentum': 0.5, 'affine': False}, [6, 2])
    nest = nested()
    nest['state'] = nested_state()
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases, 'batchnorm': bn, 'nested': nest}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} layer cases, {len(bn)} batchnorm runs to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
