#!/usr/bin/env python3
"""Golden values for Logit's convolution, pooling and normalisation layers, from PyTorch 2.x.

Writes packages/core/test/goldens/conv.json:
  cases:       per layer and option combination, in float32 and float64 (the same layout as
               nn.json's cases, so the core golden test and the conformance layer cases read both):
               the module's state dict (PyTorch's names), the input, the output, and after
               backward of sum(output * w) for a recorded w, the input gradient and every parameter
               gradient; the buffers after the forward (BatchNorm2d's running stats).
  functional:  torch.nn.functional forms on explicit tensors: the arguments, output and gradients.
  batchnorm2d: BatchNorm2d over several training steps, then in eval mode.
Options are written in Logit's camelCase and converted to PyTorch's keyword names here.

Run: /work/.venv-torch/bin/python tools/goldens/conv.py   (any Python with torch 2.x)
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import DTYPES, Stream, enc, snake

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'goldens', 'conv.json')
# layers that take a dtype (they have parameters or buffers)
FACTORY = {'Conv1d', 'Conv2d', 'ConvTranspose2d', 'BatchNorm2d', 'GroupNorm'}
# options whose list values PyTorch wants as tuples
TUPLES = {'kernel_size', 'stride', 'padding', 'dilation', 'output_padding', 'scale_factor', 'size'}

rng = Stream(1212)
randn = rng.randn
randomize = rng.randomize


def torch_arg(v):
    return tuple(v) if isinstance(v, list) else v


def build(layer, args, opts, dtype):
    kwargs = {snake(k): (torch_arg(v) if snake(k) in TUPLES else v) for k, v in opts.items()}
    if layer in FACTORY:
        kwargs['dtype'] = DTYPES[dtype]
    return getattr(nn, layer)(*[torch_arg(a) for a in args], **kwargs)


def layer_case(name, layer, args, opts, shape, mode='train', randomize_params=False):
    return rng.layer_case(build, name, layer, args, opts, shape, mode, randomize_params)


SPECS = [
    # Conv1d
    ('Conv1d 3->4 k3', 'Conv1d', [3, 4, 3], {}, [2, 3, 10]),
    ('Conv1d stride 2 padding 1 dilation 2', 'Conv1d', [2, 3, 3], {'stride': 2, 'padding': 1, 'dilation': 2}, [2, 2, 11]),
    ('Conv1d groups 2 no bias', 'Conv1d', [4, 6, 2], {'groups': 2, 'bias': False}, [2, 4, 7]),
    ("Conv1d padding 'same' kernel 4", 'Conv1d', [2, 3, 4], {'padding': 'same'}, [2, 2, 9]),
    ("Conv1d padding 'valid'", 'Conv1d', [2, 2, 3], {'padding': 'valid'}, [1, 2, 6]),
    ('Conv1d paddingMode reflect', 'Conv1d', [2, 3, 3], {'padding': 2, 'paddingMode': 'reflect'}, [2, 2, 6]),
    ('Conv1d paddingMode replicate', 'Conv1d', [2, 3, 3], {'padding': 1, 'paddingMode': 'replicate'}, [2, 2, 6]),
    ('Conv1d paddingMode circular stride 2', 'Conv1d', [2, 3, 3], {'padding': 2, 'paddingMode': 'circular', 'stride': 2}, [2, 2, 7]),
    ("Conv1d padding 'same' paddingMode circular", 'Conv1d', [2, 2, 4], {'padding': 'same', 'paddingMode': 'circular'}, [1, 2, 5]),
    ('Conv1d unbatched', 'Conv1d', [3, 2, 3], {'padding': 1}, [3, 8]),
    # Conv2d: padding modes and dilation (the plain options are in nn.json)
    ('Conv2d paddingMode reflect', 'Conv2d', [2, 3, 3], {'padding': 1, 'paddingMode': 'reflect'}, [2, 2, 5, 6]),
    ('Conv2d paddingMode replicate padding [2,1]', 'Conv2d', [2, 3, 3], {'padding': [2, 1], 'paddingMode': 'replicate'}, [1, 2, 4, 5]),
    ('Conv2d paddingMode circular stride 2', 'Conv2d', [2, 3, 3], {'padding': 1, 'paddingMode': 'circular', 'stride': 2}, [2, 2, 6, 5]),
    ("Conv2d padding 'same' kernel [3,4] reflect", 'Conv2d', [2, 2, [3, 4]], {'padding': 'same', 'paddingMode': 'reflect'}, [1, 2, 5, 6]),
    ('Conv2d dilation 2 groups 2 stride [1,2] padding 2', 'Conv2d', [4, 4, 3], {'dilation': 2, 'groups': 2, 'stride': [1, 2], 'padding': 2}, [2, 4, 6, 7]),
    ('Conv2d dilation [2,3] padding [1,3]', 'Conv2d', [2, 3, [2, 3]], {'dilation': [2, 3], 'padding': [1, 3]}, [1, 2, 6, 7]),
    ('Conv2d depthwise', 'Conv2d', [3, 6, 3], {'groups': 3, 'padding': 1}, [2, 3, 5, 5]),
    ('Conv2d 5x5 stride 3', 'Conv2d', [2, 3, 5], {'stride': 3}, [2, 2, 11, 10]),
    # ConvTranspose2d
    ('ConvTranspose2d 3->2 k3', 'ConvTranspose2d', [3, 2, 3], {}, [2, 3, 4, 4]),
    ('ConvTranspose2d stride 2 padding 1 outputPadding 1', 'ConvTranspose2d', [3, 2, 3], {'stride': 2, 'padding': 1, 'outputPadding': 1}, [2, 3, 4, 5]),
    ('ConvTranspose2d k4 stride 2 padding 1 (DCGAN)', 'ConvTranspose2d', [4, 2, 4], {'stride': 2, 'padding': 1}, [2, 4, 3, 3]),
    ('ConvTranspose2d groups 2 dilation 2 no bias', 'ConvTranspose2d', [4, 6, 3], {'groups': 2, 'dilation': 2, 'bias': False}, [1, 4, 4, 3]),
    ('ConvTranspose2d kernel [2,3] stride [2,1] padding [0,1]', 'ConvTranspose2d', [2, 3, [2, 3]], {'stride': [2, 1], 'padding': [0, 1]}, [2, 2, 3, 4]),
    ('ConvTranspose2d stride 3 outputPadding 2', 'ConvTranspose2d', [2, 2, 2], {'stride': 3, 'outputPadding': 2}, [1, 2, 3, 3]),
    ('ConvTranspose2d dilation 3 outputPadding 2 (>= stride)', 'ConvTranspose2d', [2, 2, 2], {'dilation': 3, 'outputPadding': 2}, [1, 2, 3, 4]),
    ('ConvTranspose2d unbatched', 'ConvTranspose2d', [2, 3, 3], {'stride': 2}, [2, 3, 3]),
    # BatchNorm2d
    ('BatchNorm2d train', 'BatchNorm2d', [3], {}, [4, 3, 3, 4]),
    ('BatchNorm2d eps 1e-3 momentum 0.3', 'BatchNorm2d', [2], {'eps': 1e-3, 'momentum': 0.3}, [3, 2, 4, 4]),
    ('BatchNorm2d affine false', 'BatchNorm2d', [3], {'affine': False}, [2, 3, 4, 3]),
    ('BatchNorm2d no running stats', 'BatchNorm2d', [2], {'trackRunningStats': False}, [3, 2, 3, 3]),
    # GroupNorm
    ('GroupNorm 3 groups of 6', 'GroupNorm', [3, 6], {}, [2, 6, 4, 3]),
    ('GroupNorm 1 group (layer norm)', 'GroupNorm', [1, 4], {}, [3, 4, 5]),
    ('GroupNorm groups = channels (instance norm)', 'GroupNorm', [4, 4], {'eps': 1e-3}, [2, 4, 3, 3]),
    ('GroupNorm affine false', 'GroupNorm', [2, 4], {'affine': False}, [2, 4, 6]),
    # AvgPool2d
    ('AvgPool2d 2', 'AvgPool2d', [2], {}, [2, 3, 6, 6]),
    ('AvgPool2d 3 stride 2 padding 1', 'AvgPool2d', [3], {'stride': 2, 'padding': 1}, [2, 2, 7, 7]),
    ('AvgPool2d padding 1 countIncludePad false', 'AvgPool2d', [3], {'stride': 2, 'padding': 1, 'countIncludePad': False}, [1, 2, 6, 7]),
    ('AvgPool2d ceilMode', 'AvgPool2d', [2], {'ceilMode': True}, [1, 2, 5, 5]),
    ('AvgPool2d ceilMode padding 1', 'AvgPool2d', [3], {'stride': 2, 'padding': 1, 'ceilMode': True}, [1, 2, 6, 6]),
    ('AvgPool2d ceilMode padding 1 countIncludePad false', 'AvgPool2d', [3], {'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False}, [1, 2, 6, 6]),
    ('AvgPool2d divisorOverride 3', 'AvgPool2d', [2], {'divisorOverride': 3, 'padding': 1}, [1, 2, 5, 4]),
    ('AvgPool2d kernel [2,3] stride [1,2]', 'AvgPool2d', [[2, 3]], {'stride': [1, 2]}, [2, 2, 5, 7]),
    ('AvgPool2d unbatched', 'AvgPool2d', [2], {'stride': 1}, [2, 4, 4]),
    # AdaptiveAvgPool2d
    ('AdaptiveAvgPool2d 1 (global)', 'AdaptiveAvgPool2d', [1], {}, [2, 3, 5, 4]),
    ('AdaptiveAvgPool2d [3,4] from 7x9', 'AdaptiveAvgPool2d', [[3, 4]], {}, [2, 2, 7, 9]),
    ('AdaptiveAvgPool2d [null,2]', 'AdaptiveAvgPool2d', [[None, 2]], {}, [1, 2, 3, 5]),
    ('AdaptiveAvgPool2d 2 from 4x6 (even)', 'AdaptiveAvgPool2d', [2], {}, [2, 2, 4, 6]),
    ('AdaptiveAvgPool2d [4,3] upsampling 3x2', 'AdaptiveAvgPool2d', [[4, 3]], {}, [1, 2, 3, 2]),
    ('AdaptiveAvgPool2d unbatched', 'AdaptiveAvgPool2d', [[2, 3]], {}, [3, 5, 7]),
    # MaxPool1d
    ('MaxPool1d 2', 'MaxPool1d', [2], {}, [2, 3, 8]),
    ('MaxPool1d 3 stride 2 padding 1', 'MaxPool1d', [3], {'stride': 2, 'padding': 1}, [2, 2, 9]),
    ('MaxPool1d dilation 2', 'MaxPool1d', [3], {'stride': 1, 'dilation': 2}, [1, 2, 9]),
    ('MaxPool1d ceilMode', 'MaxPool1d', [2], {'ceilMode': True}, [1, 3, 7]),
    ('MaxPool1d unbatched', 'MaxPool1d', [3], {'stride': 2}, [2, 9]),
    # Upsample (nearest)
    ('Upsample scaleFactor 2', 'Upsample', [], {'scaleFactor': 2}, [1, 2, 3, 4]),
    ('Upsample size [5,7] from 3x4', 'Upsample', [], {'size': [5, 7]}, [2, 2, 3, 4]),
    ('Upsample scaleFactor [1.5,2.5]', 'Upsample', [], {'scaleFactor': [1.5, 2.5]}, [1, 2, 4, 3]),
    ('Upsample scaleFactor 0.5 (down)', 'Upsample', [], {'scaleFactor': 0.5}, [1, 2, 6, 5]),
    ('Upsample 1-D scaleFactor 3', 'Upsample', [], {'scaleFactor': 3}, [2, 3, 4]),
    ('Upsample 1-D size 7 from 3', 'Upsample', [], {'size': 7}, [1, 2, 3]),
    # Unflatten
    ('Unflatten 1 [2,3]', 'Unflatten', [1, [2, 3]], {}, [4, 6]),
    ('Unflatten -1 [2,-1,2]', 'Unflatten', [-1, [2, -1, 2]], {}, [3, 12]),
]
EVAL_SPECS = [
    ('BatchNorm2d eval', 'BatchNorm2d', [3], {}, [2, 3, 3, 3]),
    ('BatchNorm2d eval no running stats', 'BatchNorm2d', [2], {'trackRunningStats': False}, [3, 2, 2, 3]),
    ('GroupNorm eval', 'GroupNorm', [2, 4], {}, [2, 4, 3, 3]),
    ('Dropout2d eval', 'Dropout2d', [0.5], {}, [2, 3, 4, 4]),
]

# (name, function, tensor args (shapes or None), other args, options, which tensors need grad)
FUNCTIONAL = [
    ('conv1d', 'conv1d', [[2, 3, 9], [4, 3, 3], [4]], [], {'stride': 2, 'padding': 1}),
    ('conv2d padding same dilation 2', 'conv2d', [[1, 2, 6, 6], [3, 2, 3, 3], None], [], {'padding': 'same', 'dilation': 2}),
    ('convTranspose2d', 'conv_transpose2d', [[2, 4, 3, 3], [4, 3, 3, 3], [3]], [], {'stride': 2, 'padding': 1, 'outputPadding': 1}),
    ('convTranspose2d groups 2', 'conv_transpose2d', [[1, 4, 3, 4], [4, 1, 2, 2], None], [], {'groups': 2, 'stride': [1, 2]}),
    ('maxPool1d', 'max_pool1d', [[2, 2, 9]], [3], {'stride': 2, 'padding': 1}),
    ('avgPool2d', 'avg_pool2d', [[1, 2, 5, 5]], [3], {'stride': 2, 'padding': 1, 'countIncludePad': False}),
    ('adaptiveAvgPool2d', 'adaptive_avg_pool2d', [[2, 2, 5, 7]], [[2, 3]], {}),
    ('groupNorm', 'group_norm', [[2, 6, 3, 3], [6], [6]], [3], {}),
    ('interpolate nearest size', 'interpolate', [[1, 2, 4, 3]], [], {'size': [7, 5]}),
]


def functional_case(name, fn, shapes, extra, opts):
    xs64 = [randn(s) if s is not None else None for s in shapes]
    kwargs = {snake(k): (torch_arg(v) if snake(k) in TUPLES else v) for k, v in opts.items()}
    w64 = None
    out = []
    for dtype in ('float32', 'float64'):
        xs = [x.to(DTYPES[dtype]).requires_grad_(True) if x is not None else None for x in xs64]
        if fn == 'group_norm':
            y = F.group_norm(xs[0], extra[0], xs[1], xs[2])
        else:
            y = getattr(F, fn)(*xs, *[torch_arg(e) for e in extra], **kwargs)
        if w64 is None:
            w64 = randn(y.shape)
        w = w64.to(DTYPES[dtype])
        (y * w).sum().backward()
        out.append({
            'name': f'{name} [{dtype}]', 'fn': fn, 'dtype': dtype, 'extra': extra, 'options': opts,
            'inputs': [enc(x) if x is not None else None for x in xs], 'output': enc(y), 'gradWeights': enc(w),
            'grads': [enc(x.grad) if x is not None else None for x in xs],
        })
    return out


def batchnorm2d_steps(name, opts, shape, steps=3):
    out = []
    xs = [randn(shape) * 2 + 1 for _ in range(steps)]
    x_eval = randn(shape)
    kwargs = {snake(k): v for k, v in opts.items()}
    ref = nn.BatchNorm2d(shape[1], **kwargs, dtype=torch.float64)
    randomize(ref)
    with torch.no_grad():
        ref.num_batches_tracked.zero_()
    state64 = {k: v.detach().clone() for k, v in ref.state_dict().items()}
    for dtype in ('float32', 'float64'):
        m = nn.BatchNorm2d(shape[1], **kwargs, dtype=DTYPES[dtype])
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


def main():
    cases = []
    for spec in SPECS:
        cases += layer_case(*spec, randomize_params=spec[1] in ('BatchNorm2d', 'GroupNorm'))
    for spec in EVAL_SPECS:
        cases += layer_case(*spec, mode='eval', randomize_params=True)
    functional = []
    for spec in FUNCTIONAL:
        functional += functional_case(*spec)
    bn = []
    bn += batchnorm2d_steps('BatchNorm2d momentum 0.1', {}, [4, 3, 2, 3])
    bn += batchnorm2d_steps('BatchNorm2d momentum null', {'momentum': None}, [3, 2, 3, 3])
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases, 'functional': functional, 'batchnorm2d': bn}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} layer cases, {len(functional)} functional cases, {len(bn)} batchnorm runs to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
