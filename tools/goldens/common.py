"""What the layer golden generators (conv.py, nn.py, rnn.py) share: the JSON encoding of tensors,
camelCase -> snake_case option names, and a seeded random stream with the layer-case recipe.

Each script keeps its own seed (its stream, hence its file, does not change when another script
changes) and its own `build`, which maps Logit's options to PyTorch's constructor.
"""
import math
import re

import torch

DTYPES = {'float32': torch.float32, 'float64': torch.float64}


def num(v, dtype):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    # 9 significant digits round-trip a float32 exactly and keep the file small
    return float('%.9g' % v) if dtype == 'float32' else v


def enc(t):
    dtype = {torch.float32: 'float32', torch.float64: 'float64', torch.int64: 'int32'}[t.dtype]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': [num(v, dtype) for v in t.detach().reshape(-1).tolist()]}


def snake(name):
    return re.sub(r'([A-Z])', lambda m: '_' + m.group(1).lower(), name)


class Stream:
    """A script's random numbers, from one seeded generator, in the order the script asks."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, shape):
        return torch.randn(tuple(shape), generator=self.g, dtype=torch.float64)

    def randomize(self, module):
        """Non-trivial parameters and buffers (norm layers start at ones/zeros otherwise)."""
        with torch.no_grad():
            for name, p in module.named_parameters():
                p.copy_(self.randn(p.shape) * 0.5 + (1.0 if name.endswith('weight') and p.ndim == 1 else 0.0))
            for name, b in module.named_buffers():
                if name.endswith('running_mean'):
                    b.copy_(self.randn(b.shape) * 0.3)
                elif name.endswith('running_var'):
                    b.copy_(torch.rand(b.shape, generator=self.g, dtype=torch.float64) + 0.5)
                elif name.endswith('num_batches_tracked'):
                    b.fill_(3)

    def layer_case(self, build, name, layer, args, opts, shape, mode='train', randomize_params=False, integer_input=False):
        """One layer in float32 and float64 from the same float64 state and input: state dict, input,
        output, and after backward of sum(output * w) for a recorded w, the input gradient, every
        parameter gradient and the buffers after. `build(layer, args, opts, dtype)` makes the module."""
        x64 = torch.randint(-2, 3, tuple(shape), generator=self.g).double() if integer_input else self.randn(shape)
        ref = build(layer, args, opts, 'float64')
        if randomize_params:
            self.randomize(ref)
        state64 = {k: v.detach().clone() for k, v in ref.state_dict().items()}
        w64 = None
        out = []
        for dtype in ('float32', 'float64'):
            m = build(layer, args, opts, dtype)
            m.load_state_dict({k: (v.to(DTYPES[dtype]) if v.is_floating_point() else v) for k, v in state64.items()})
            m.train(mode == 'train')
            state = {k: enc(v) for k, v in m.state_dict().items()}
            x = x64.to(DTYPES[dtype]).requires_grad_(True)
            y = m(x)
            if w64 is None:
                w64 = self.randn(y.shape)
            w = w64.to(DTYPES[dtype])
            (y * w).sum().backward()
            out.append({
                'name': f'{name} [{dtype}]', 'layer': layer, 'args': args, 'options': opts, 'mode': mode, 'dtype': dtype,
                'state': state, 'input': enc(x), 'output': enc(y), 'gradWeights': enc(w), 'gradInput': enc(x.grad),
                'gradParams': {k: enc(p.grad) for k, p in m.named_parameters()},
                'buffersAfter': {k: enc(b) for k, b in m.named_buffers()},
            })
        return out
