#!/work/.venv-torch/bin/python
"""Golden values for Logit's sequence-model layers, from PyTorch 2.x.

Writes packages/core/test/goldens/transformer.json:
  cases:      per layer, functional or loss and option combination, in float32 and float64: the
              module's state dict (PyTorch's names), the inputs (float, int32 indices, bool and
              float masks), the output, and after backward of sum(output * w) for a recorded w,
              the gradient of every float input and every parameter. A call with two outputs
              (MultiheadAttention's [output, weights]) records them flattened and joined.
  containers: named_parameters / named_modules / state_dict keys / apply order of ModuleList,
              ModuleDict, shared modules and tied weights, and what load_state_dict reports.
Options are written in Logit's camelCase and converted to PyTorch's keyword names here.

Run: /work/.venv-torch/bin/python tools/goldens/transformer.py
"""
import json
import math
import os
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'goldens', 'transformer.json')
DTYPES = {'float32': torch.float32, 'float64': torch.float64}
FACTORY = {'Embedding', 'LayerNorm', 'RMSNorm', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder', 'Linear'}
INF = float('inf')

g = torch.Generator().manual_seed(1107)


def num(v, dtype):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if dtype in ('int32', 'bool'):
        return int(v)
    return float('%.9g' % v) if dtype == 'float32' else v


def enc(t):
    dtype = {torch.float32: 'float32', torch.float64: 'float64', torch.int64: 'int32', torch.int32: 'int32', torch.bool: 'bool'}[t.dtype]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': [num(v, dtype) for v in t.detach().reshape(-1).tolist()]}


def randn(*shape):
    return torch.randn(tuple(shape), generator=g, dtype=torch.float64)


def ints(lo, hi, *shape):
    return torch.randint(lo, hi, tuple(shape), generator=g)


def snake(name):
    return re.sub(r'([A-Z])', lambda m: '_' + m.group(1).lower(), name)


class In:
    """One input: its value (float64, int or bool) and where it goes: 'arg' (positional),
    'option' (a forward/function keyword) or 'ctor' (a constructor keyword, e.g. a loss weight)."""

    def __init__(self, name, value, role='arg', grad=None):
        self.name, self.value, self.role = name, value, role
        self.grad = value.is_floating_point() if grad is None else grad

    def at(self, dtype):
        v = self.value.detach().clone()
        return (v.to(DTYPES[dtype]) if v.is_floating_point() else v).requires_grad_(self.grad)


def build(layer, args, opts, dtype, ctor_inputs):
    kwargs = {snake(k): v for k, v in opts.items()}
    for i in ctor_inputs:
        kwargs[snake(i.name)] = i.at(dtype)
    if layer in FACTORY:
        kwargs['dtype'] = DTYPES[dtype]
    if layer == 'TransformerEncoder':
        inner = dict(kwargs.pop('layer'))
        norm = kwargs.pop('norm', None)
        enc_layer = nn.TransformerEncoderLayer(*inner.pop('args'), **{snake(k): v for k, v in inner.items()}, dtype=DTYPES[dtype])
        return nn.TransformerEncoder(enc_layer, *args, norm=nn.LayerNorm(norm, dtype=DTYPES[dtype]) if norm else None,
                                     enable_nested_tensor=False)
    return getattr(nn, layer)(*args, **kwargs)


def randomize(module):
    """Non-trivial parameters: PyTorch zero-initialises attention biases and norms start at 1/0."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith('weight') and p.ndim == 1:
                p.copy_(1 + 0.3 * randn(*p.shape))
            elif name.endswith('bias'):
                p.copy_(0.3 * randn(*p.shape))


FUNCTIONS = {
    'scaledDotProductAttention': lambda a, o: F.scaled_dot_product_attention(*a, **o),
    'embedding': lambda a, o: F.embedding(*a, **o),
    'layerNorm': lambda a, o: F.layer_norm(*a, **o),
    'rmsNorm': lambda a, o: F.rms_norm(*a, **o),
    'silu': lambda a, o: F.silu(*a, **o),
}


def joined(y):
    if isinstance(y, tuple):
        return torch.cat([t.reshape(-1) for t in y if t is not None])
    return y


def run_case(name, layer, inputs, args=(), options=None, forward=None, mode='train', kind='module', randomize_params=True,
             dtypes=('float32', 'float64')):
    options = options or {}
    forward = forward or {}
    ctor_inputs = [i for i in inputs if i.role == 'ctor']
    state64 = None
    if kind == 'module':
        ref = build(layer, list(args), options, 'float64', ctor_inputs)
        if randomize_params:
            randomize(ref)
        state64 = {k: v.detach().clone() for k, v in ref.state_dict().items()}
    w64 = None
    out = []
    for dtype in dtypes:
        xs = {i.name: i.at(dtype) for i in inputs}
        pos = [xs[i.name] for i in inputs if i.role == 'arg']
        kw = {snake(k): v for k, v in forward.items()}
        kw.update({snake(i.name): xs[i.name] for i in inputs if i.role == 'option'})
        if kind == 'module':
            m = build(layer, list(args), options, dtype, ctor_inputs)
            m.load_state_dict({k: (v.to(DTYPES[dtype]) if v.is_floating_point() else v) for k, v in state64.items()})
            m.train(mode == 'train')
            y = joined(m(*pos, **kw))
            params = dict(m.named_parameters())
            state = {k: enc(v) for k, v in m.state_dict().items()}
        else:
            a = pos + list(args)
            y = joined(FUNCTIONS[layer](a, kw))
            params, state = {}, {}
        if w64 is None:
            w64 = randn(*y.shape)
        w = w64.to(DTYPES[dtype])
        (y * w).sum().backward()
        out.append({
            'name': f'{name} [{dtype}]', 'kind': kind, 'layer': layer, 'args': list(args), 'options': options, 'forward': forward,
            'mode': mode, 'dtype': dtype, 'state': state,
            'inputs': [{'name': i.name, 'role': i.role, 'grad': i.grad, 'value': enc(xs[i.name])} for i in inputs],
            'output': enc(y), 'gradWeights': enc(w),
            'gradInputs': [enc(xs[i.name].grad) if i.grad and xs[i.name].grad is not None else None for i in inputs],
            'gradParams': {k: enc(p.grad) for k, p in params.items() if p.grad is not None},
        })
    return out


def causal_float(n):
    return nn.Transformer.generate_square_subsequent_mask(n, dtype=torch.float64)


def cases():
    c = []
    # Embedding: repeated indices accumulate; the padding row gets no gradient
    idx = torch.tensor([[1, 3, 3, 0, 9], [3, 7, 1, 1, 2]])
    c += run_case('Embedding 10x4 repeated indices', 'Embedding', [In('input', idx)], args=[10, 4])
    c += run_case('Embedding paddingIdx 0', 'Embedding', [In('input', torch.tensor([[0, 2, 5, 0], [5, 5, 1, 0]]))], args=[6, 3], options={'paddingIdx': 0})
    c += run_case('Embedding paddingIdx -2', 'Embedding', [In('input', torch.tensor([2, 4, 4, 3, 1]))], args=[5, 2], options={'paddingIdx': -2})
    c += run_case('functional embedding paddingIdx 1', 'embedding', [In('input', torch.tensor([[1, 0], [2, 1]])), In('weight', randn(3, 4))],
                  forward={'paddingIdx': 1}, kind='function')
    # LayerNorm and RMSNorm
    c += run_case('LayerNorm 8', 'LayerNorm', [In('input', randn(2, 5, 8))], args=[8])
    c += run_case('LayerNorm [3,4]', 'LayerNorm', [In('input', randn(2, 3, 4) * 3 + 1)], args=[[3, 4]])
    c += run_case('LayerNorm no affine eps 1e-3', 'LayerNorm', [In('input', randn(4, 6))], args=[6], options={'elementwiseAffine': False, 'eps': 1e-3})
    c += run_case('LayerNorm bias false', 'LayerNorm', [In('input', randn(3, 5))], args=[5], options={'bias': False})
    c += run_case('LayerNorm offset input', 'LayerNorm', [In('input', randn(3, 16) + 10)], args=[16])
    c += run_case('LayerNorm 1-D input', 'LayerNorm', [In('input', randn(7))], args=[7])
    c += run_case('functional layerNorm weight bias', 'layerNorm', [In('input', randn(2, 3, 6)), In('weight', randn(6), 'option'), In('bias', randn(6), 'option')],
                  args=[[6]], kind='function')
    c += run_case('RMSNorm 6 eps default', 'RMSNorm', [In('input', randn(3, 4, 6))], args=[6])
    c += run_case('RMSNorm [2,3] eps 1e-4', 'RMSNorm', [In('input', randn(4, 2, 3))], args=[[2, 3]], options={'eps': 1e-4})
    c += run_case('RMSNorm no affine', 'RMSNorm', [In('input', randn(5, 4))], args=[4], options={'elementwiseAffine': False})
    c += run_case('functional rmsNorm weight', 'rmsNorm', [In('input', randn(3, 5)), In('weight', randn(5), 'option')], args=[[5]], kind='function')
    c += run_case('SiLU', 'SiLU', [In('input', randn(3, 5) * 3)])
    c += run_case('Identity', 'Identity', [In('input', randn(2, 3))])
    c += sdpa_cases()
    c += mha_cases()
    c += encoder_cases()
    c += loss_cases()
    return c


def sdpa(name, q, k, v, *mask, **forward):
    ins = [In('query', q), In('key', k), In('value', v)] + [In('attnMask', m, 'option', grad=False) for m in mask]
    return run_case(name, 'scaledDotProductAttention', ins, forward=forward, kind='function')


def sdpa_cases():
    c = []
    c += sdpa('sdpa [2,3,4,8]', randn(2, 3, 4, 8), randn(2, 3, 4, 8), randn(2, 3, 4, 8))
    c += sdpa('sdpa L 5 S 7 Ev 6', randn(2, 5, 8), randn(2, 7, 8), randn(2, 7, 6))
    c += sdpa('sdpa isCausal', randn(2, 2, 6, 4), randn(2, 2, 6, 4), randn(2, 2, 6, 4), isCausal=True)
    c += sdpa('sdpa isCausal L 3 S 5 (top-left)', randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 4), isCausal=True)
    c += sdpa('sdpa isCausal L 5 S 3', randn(1, 5, 4), randn(1, 3, 4), randn(1, 3, 4), isCausal=True)
    c += sdpa('sdpa scale 0.3', randn(2, 4, 5), randn(2, 4, 5), randn(2, 4, 5), scale=0.3)
    bool_mask = torch.tensor([[True, False, True, True], [False, False, False, False], [True, True, False, True]])
    c += sdpa('sdpa bool mask with a fully masked row', randn(2, 3, 4), randn(2, 4, 4), randn(2, 4, 3), bool_mask)
    fmask = randn(2, 1, 3, 4)
    fmask[0, 0, 2, :] = -INF
    fmask[1, 0, 0, 1] = -INF
    c += sdpa('sdpa float mask broadcast over heads, a -inf row', randn(2, 2, 3, 4), randn(2, 2, 4, 4), randn(2, 2, 4, 4), fmask)
    pad = torch.tensor([[False, False, True, True, True], [True, True, True, True, True]]).logical_not()
    c += sdpa('sdpa key padding bool [N,1,1,S], a fully padded item', randn(2, 2, 3, 4), randn(2, 2, 5, 4), randn(2, 2, 5, 4), pad.reshape(2, 1, 1, 5))
    return c


def mha(name, args, opts, q, k=None, v=None, mode='train', **forward):
    ins = [In('query', q)]
    ins += [In('key', k if k is not None else q.clone()), In('value', v if v is not None else q.clone())]
    for key in ('keyPaddingMask', 'attnMask'):
        if key in forward:
            ins.append(In(key, forward.pop(key), 'option', grad=False))
    return run_case(name, 'MultiheadAttention', ins, args=args, options=opts, forward=forward, mode=mode)


def mha_cases():
    c = []
    x = randn(2, 5, 8)
    c += mha('MHA self batchFirst weights averaged', [8, 2], {'batchFirst': True}, x)
    c += mha('MHA seq-first cross L 4 S 6 no weights', [8, 4], {}, randn(4, 3, 8), randn(6, 3, 8), randn(6, 3, 8), needWeights=False)
    c += mha('MHA per-head weights', [6, 3], {'batchFirst': True}, randn(2, 4, 6), averageAttnWeights=False)
    kpm = torch.tensor([[False, False, False, True, True], [False, True, False, False, True]])
    c += mha('MHA keyPaddingMask bool', [8, 2], {'batchFirst': True}, randn(2, 5, 8), keyPaddingMask=kpm)
    full = torch.tensor([[False, False, True, True, True], [True, True, True, True, True]])
    c += mha('MHA keyPaddingMask fully padded item, no weights (zeros)', [8, 2], {'batchFirst': True}, randn(2, 5, 8), keyPaddingMask=full, needWeights=False)
    c += mha('MHA keyPaddingMask fully padded item, weights (nan)', [8, 2], {'batchFirst': True}, randn(2, 5, 8), keyPaddingMask=full)
    causal_bool = torch.ones(5, 5, dtype=torch.bool).triu(1)
    c += mha('MHA attnMask bool causal', [8, 2], {'batchFirst': True}, randn(2, 5, 8), attnMask=causal_bool)
    c += mha('MHA attnMask float 3-D (N*H, L, S) and padding', [8, 2], {'batchFirst': True}, randn(2, 4, 8), attnMask=randn(4, 4, 4),
             keyPaddingMask=torch.tensor([[0.0, 0.0, -INF, 0.0], [0.0, 0.0, 0.0, -1.5]], dtype=torch.float64))
    c += mha('MHA isCausal hint no weights', [8, 2], {'batchFirst': True}, randn(2, 5, 8), attnMask=causal_float(5), isCausal=True, needWeights=False)
    c += mha('MHA bias false', [8, 2], {'bias': False}, randn(3, 2, 8))
    c += mha('MHA kdim 5 vdim 3', [8, 2], {'kdim': 5, 'vdim': 3, 'batchFirst': True}, randn(2, 4, 8), randn(2, 6, 5), randn(2, 6, 3))
    c += mha('MHA unbatched', [6, 2], {}, randn(4, 6), keyPaddingMask=torch.tensor([False, False, True, False]))
    c += mha('MHA dropout 0.5 eval', [8, 2], {'dropout': 0.5, 'batchFirst': True}, randn(2, 3, 8), mode='eval')
    return c


def layer_case(name, args, opts, x, mode='train', **forward):
    ins = [In('src', x)]
    for key in ('srcKeyPaddingMask', 'srcMask', 'mask'):
        if key in forward:
            ins.append(In(key, forward.pop(key), 'option', grad=False))
    layer = 'TransformerEncoder' if 'layer' in opts else 'TransformerEncoderLayer'
    return run_case(name, layer, ins, args=args, options=opts, forward=forward, mode=mode)


def encoder_cases():
    c = []
    base = {'dimFeedforward': 16, 'dropout': 0.0}
    c += layer_case('EncoderLayer post-norm relu seq-first', [8, 2], base, randn(5, 2, 8))
    c += layer_case('EncoderLayer normFirst gelu batchFirst', [8, 2], {**base, 'activation': 'gelu', 'normFirst': True, 'batchFirst': True}, randn(2, 5, 8))
    c += layer_case('EncoderLayer causal srcMask isCausal', [8, 4], {**base, 'batchFirst': True, 'normFirst': True}, randn(2, 6, 8),
                    srcMask=causal_float(6), isCausal=True)
    c += layer_case('EncoderLayer srcKeyPaddingMask bool', [8, 2], {**base, 'batchFirst': True}, randn(2, 5, 8),
                    srcKeyPaddingMask=torch.tensor([[False, False, False, True, True], [False, False, False, False, False]]))
    c += layer_case('EncoderLayer bool srcMask and padding, fully padded item', [8, 2], {**base, 'batchFirst': True, 'normFirst': True}, randn(2, 4, 8),
                    srcMask=torch.ones(4, 4, dtype=torch.bool).triu(1),
                    srcKeyPaddingMask=torch.tensor([[False, False, True, True], [True, True, True, True]]))
    c += layer_case('EncoderLayer bias false layerNormEps 1e-3', [6, 3], {**base, 'bias': False, 'layerNormEps': 1e-3}, randn(4, 2, 6))
    c += layer_case('EncoderLayer default dropout, eval', [8, 2], {'dimFeedforward': 12}, randn(3, 2, 8), mode='eval')
    c += layer_case('EncoderLayer unbatched', [4, 2], {**base}, randn(3, 4))
    enc_layer = {'args': [8, 2], 'dimFeedforward': 16, 'dropout': 0.0, 'batchFirst': True, 'normFirst': True, 'activation': 'gelu'}
    c += layer_case('Encoder 2 layers pre-norm + final norm, causal', [2], {'layer': enc_layer, 'norm': 8}, randn(2, 5, 8),
                    mask=causal_float(5), isCausal=True)
    c += layer_case('Encoder 3 layers post-norm, padding', [3], {'layer': {'args': [8, 2], 'dimFeedforward': 16, 'dropout': 0.0}}, randn(4, 2, 8),
                    srcKeyPaddingMask=torch.tensor([[False, False, False, True], [False, True, True, True]]))
    return c


def loss_cases():
    """CrossEntropyLoss on (N, C, T) logits: the sequence-model case, padding positions ignored."""
    c = []
    n, classes, t = 4, 10, 6
    target = ints(1, classes, n, t)
    lengths = [6, 4, 2, 1]
    for b, length in enumerate(lengths):
        target[b, length:] = -100
    logits = randn(n, classes, t) * 2
    ce = lambda name, tgt, opts, *ctor: run_case(name, 'CrossEntropyLoss', [In('input', logits), In('target', tgt)] + list(ctor),
                                                  options=opts, randomize_params=False)
    c += ce('seq CE (N,C,T) ignoreIndex -100 padding mean', target, {})
    c += ce('seq CE (N,C,T) padding sum', target, {'reduction': 'sum'})
    c += ce('seq CE (N,C,T) padding none', target, {'reduction': 'none'})
    pad0 = target.clone()
    pad0[pad0 == -100] = 0
    c += ce('seq CE (N,C,T) ignoreIndex 0 (a pad token) smoothing 0.1', pad0, {'ignoreIndex': 0, 'labelSmoothing': 0.1})
    c += ce('seq CE (N,C,T) padding weight', target, {}, In('weight', torch.rand(classes, generator=g, dtype=torch.float64) + 0.5, 'ctor', grad=False))
    return c


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(5, 3)
        self.proj = nn.Linear(3, 3)
        self.lm_head = nn.Linear(3, 5, bias=False)
        self.lm_head.weight = self.wte.weight


def containers():
    out = {}
    a, b, c, d = nn.Linear(1, 1), nn.Linear(1, 2), nn.Linear(1, 3), nn.Linear(1, 4)
    lst = nn.ModuleList([a])
    lst.append(b)
    lst.extend([c])
    lst.insert(1, d)
    lst.insert(3, a)
    out['moduleList'] = {'namedParameters': [k for k, _ in lst.named_parameters()], 'stateDict': list(lst.state_dict().keys()),
                         'namedModules': [k for k, _ in lst.named_modules()], 'outFeatures': [m.out_features for m in lst]}
    md = nn.ModuleDict({'b': nn.Linear(1, 1)})
    md['10'] = nn.Linear(1, 2)
    md.update([('a', nn.Linear(1, 3))])
    md['b'] = nn.Linear(1, 5)
    out['moduleDict'] = {'keys': list(md.keys()), 'namedParameters': [k for k, _ in md.named_parameters()]}
    seq = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU(), nn.Tanh()))
    order = []
    seq.apply(lambda m: order.append(type(m).__name__))
    out['applyOrder'] = order
    m = Tied()
    r = m.load_state_dict({'lm_head.weight': torch.full((5, 3), 7.0)}, strict=False)
    out['tied'] = {'namedParameters': [k for k, _ in m.named_parameters()], 'stateDict': list(m.state_dict().keys()),
                   'loadSecondNameOnly': {'missingKeys': r.missing_keys, 'unexpectedKeys': r.unexpected_keys, 'value': m.wte.weight[0, 0].item()}}
    sd = m.state_dict()
    both = {'lm_head.weight': torch.full((5, 3), 2.0), 'proj.weight': sd['proj.weight'], 'proj.bias': sd['proj.bias'], 'wte.weight': torch.full((5, 3), 1.0)}
    m.load_state_dict(both)
    out['tied']['loadBothNames'] = m.wte.weight[0, 0].item()
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
    encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False)
    out['encoder'] = {'layerStateDict': list(layer.state_dict().keys()), 'encoderStateDict': list(encoder.state_dict().keys()),
                      'mhaKdim': [k for k, _ in nn.MultiheadAttention(8, 2, kdim=5, vdim=3).named_parameters()]}
    return out


def rms_norm_eps():
    """RMSNorm's default eps is the input dtype's machine epsilon: visible on tiny inputs."""
    x = randn(3, 4) * 1e-4
    out = {'input': enc(x)}
    for dtype in DTYPES:
        out[dtype] = enc(nn.RMSNorm(4, dtype=DTYPES[dtype])(x.to(DTYPES[dtype])))
    return out


def main():
    cs = cases()
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cs, 'containers': containers(), 'rmsNormEps': rms_norm_eps()}, f, separators=(',', ':'))
    print(f'wrote {len(cs)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
