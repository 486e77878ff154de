#!/usr/bin/env python3
"""Golden values for Logit's sequence-model tensor ops, from PyTorch 2.x.

Writes packages/core/test/goldens/ops.json:
  cases: one entry per case, output and dtype: the op and its arguments (Logit's names, camelCase),
         the inputs, the output, and for float outputs the gradient of sum(output * w) wrt every
         float input, w a recorded upstream. Ops with two outputs (topk, sort, max(dim)) give one
         entry per output, named '... values' / '... indices' (`pick`). Ops that return several
         tensors (split, chunk) are written as cat([piece_i * (i + 1)], dim), so the values show
         where each piece starts, and the piece shapes are recorded in `pieces`.
         `indicesFrom` says where indices come from when PyTorch's own are not a stable choice:
         torch.topk on CPU picks among tied values in no fixed order (topk([1, 3, 3, 2, 3], 2) gives
         indices [2, 4]); Logit returns the lowest indices first, which is
         torch.sort(descending=..., stable=True) cut to k: that is what is recorded for ties.

Run: /work/.venv-torch/bin/python tools/goldens/ops.py
"""
import json
import math
import os
import warnings

import torch

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'goldens', 'ops.json')
DTYPES = {'float32': torch.float32, 'float64': torch.float64}
FLOATS = ('float32', 'float64')
INF = float('inf')
NAN = float('nan')

g = torch.Generator().manual_seed(1111)
# var/std with a divisor <= 0 warn; those cases are there on purpose
warnings.filterwarnings('ignore', message='.*degrees of freedom is <= 0.*')


def num(v, dtype):
    if dtype in ('int32', 'bool'):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    # 9 significant digits round-trip a float32 exactly and keep the file small
    return float('%.9g' % v) if dtype == 'float32' else v


def jsonable(v):
    """Arguments as JSON: infinities and nan as strings, as tensors are encoded."""
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return num(v, 'float64')
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    return v


def enc(t):
    if t is None:
        return None
    dtype = {torch.float32: 'float32', torch.float64: 'float64', torch.int64: 'int32', torch.int32: 'int32', torch.bool: 'bool'}[t.dtype]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': [num(v, dtype) for v in t.detach().reshape(-1).tolist()]}


def randn(*shape):
    return torch.randn(tuple(shape), generator=g, dtype=torch.float64)


def randint(lo, hi, *shape):
    return torch.randint(lo, hi, tuple(shape), generator=g)


def bools(*shape):
    return torch.rand(tuple(shape), generator=g) < 0.5


def t64(values):
    return torch.tensor(values, dtype=torch.float64)


cases = []


def case(name, op, args, inputs, fn, dtypes=FLOATS, picks=(None,), grad=None, extra=None):
    """Runs fn(*inputs) per dtype. Float64 inputs are cast to the dtype (the case's float inputs);
    int and bool inputs stay. `grad[i]` False keeps input i out of the gradients; `picks` names the
    outputs of a tuple-returning op; `extra(out)` adds fields to each entry."""
    upstream = {}
    for dtype in dtypes:
        xs = []
        for i, x in enumerate(inputs):
            if x.is_floating_point():
                target = DTYPES[dtype] if dtype in DTYPES else torch.float32
                x = x.to(target).clone()
                if dtype in DTYPES and (grad is None or grad[i]):
                    x.requires_grad_(True)
            else:
                x = x.clone()
            xs.append(x)
        for pick in picks:
            out = fn(*xs)
            if pick is not None:
                out = getattr(out, pick)
            entry = {'name': f'{name}{" " + pick if pick else ""} [{dtype}]', 'op': op, 'args': jsonable(args), 'pick': pick,
                     'dtype': dtype, 'inputs': [enc(x) for x in xs], 'gradInputs': [bool(x.requires_grad) for x in xs],
                     'output': enc(out), 'upstream': None, 'grads': [None] * len(xs)}
            if out.is_floating_point() and out.requires_grad:
                if pick not in upstream:
                    upstream[pick] = randn(*out.shape)
                w = upstream[pick].to(out.dtype)
                for x in xs:
                    x.grad = None
                (out * w).sum().backward()
                entry['upstream'] = enc(w)
                entry['grads'] = [enc(x.grad) if x.requires_grad else None for x in xs]
            if extra:
                entry.update(extra(xs))
            cases.append(entry)


def pieces_cat(parts, dim):
    return torch.cat([p * (i + 1) for i, p in enumerate(parts)], dim)


def piece_shapes(parts):
    return {'pieces': [list(p.shape) for p in parts]}


# ---- maskedFill --------------------------------------------------------------------------------

def masked_fill_cases():
    x = randn(3, 4)
    m = bools(3, 4)
    case('maskedFill [3,4] value -inf', 'maskedFill', {'value': -INF}, [x, m], lambda x, m: x.masked_fill(m, -INF))
    case('maskedFill [3,4] value 2.5', 'maskedFill', {'value': 2.5}, [x, m], lambda x, m: x.masked_fill(m, 2.5))
    case('maskedFill mask [4] broadcast over [2,3,4]', 'maskedFill', {'value': 0.0}, [randn(2, 3, 4), t64([1, 0, 0, 1]).bool()],
         lambda x, m: x.masked_fill(m, 0.0))
    case('maskedFill x [3,4] with mask [2,1,4] gives [2,3,4]', 'maskedFill', {'value': -1.0}, [randn(3, 4), bools(2, 1, 4)],
         lambda x, m: x.masked_fill(m, -1.0))
    case('maskedFill causal mask [2,4,4] value -inf', 'maskedFill', {'value': -INF},
         [randn(2, 4, 4), torch.ones(4, 4, dtype=torch.bool).triu(1)], lambda x, m: x.masked_fill(m, -INF))
    case('maskedFill 0-d tensor value (gets a gradient)', 'maskedFill', {}, [randn(2, 5), bools(2, 5), t64(1.5)],
         lambda x, m, v: x.masked_fill(m, v))
    case('maskedFill nan value', 'maskedFill', {'value': NAN}, [randn(2, 3), bools(2, 3)], lambda x, m: x.masked_fill(m, NAN))
    case('maskedFill int32 value 7', 'maskedFill', {'value': 7}, [randint(-5, 6, 3, 3), bools(3, 3)], lambda x, m: x.masked_fill(m, 7),
         dtypes=('int32',))
    case('maskedFill int32 value 2.75 truncates', 'maskedFill', {'value': 2.75}, [randint(-5, 6, 4), bools(4)],
         lambda x, m: x.masked_fill(m, 2.75), dtypes=('int32',))
    case('maskedFill bool value true', 'maskedFill', {'value': 1}, [bools(2, 3), bools(2, 3)], lambda x, m: x.masked_fill(m, True),
         dtypes=('bool',))


# ---- tril / triu -------------------------------------------------------------------------------

def triangle_cases():
    x = randn(2, 3, 4)
    for fn in ('tril', 'triu'):
        for d in (-2, -1, 0, 1, 2):
            case(f'{fn} diagonal {d} [2,3,4]', fn, {'diagonal': d}, [x], lambda x, fn=fn, d=d: getattr(x, fn)(d))
        case(f'{fn} [4,3]', fn, {'diagonal': 0}, [randn(4, 3)], lambda x, fn=fn: getattr(x, fn)())
        case(f'{fn} diagonal 5 keeps or drops all [3,3]', fn, {'diagonal': 5}, [randn(3, 3)], lambda x, fn=fn: getattr(x, fn)(5))
        case(f'{fn} diagonal -4 [2,2,3,3]', fn, {'diagonal': -4}, [randn(2, 2, 3, 3)], lambda x, fn=fn: getattr(x, fn)(-4))
        case(f'{fn} int32 [3,4]', fn, {'diagonal': 1}, [randint(-5, 6, 3, 4)], lambda x, fn=fn: getattr(x, fn)(1), dtypes=('int32',))
        case(f'{fn} bool [3,3]', fn, {'diagonal': 0}, [torch.ones(3, 3, dtype=torch.bool)], lambda x, fn=fn: getattr(x, fn)(),
             dtypes=('bool',))
        case(f'{fn} empty [0,3]', fn, {'diagonal': 0}, [randn(0, 3)], lambda x, fn=fn: getattr(x, fn)())


# ---- split / chunk -----------------------------------------------------------------------------

def split_cases():
    def sp(name, shape, arg, dim, dtypes=FLOATS):
        x = randn(*shape) if dtypes == FLOATS else randint(-5, 6, *shape)
        case(name, 'split', {'split': arg, 'dim': dim}, [x], lambda x: pieces_cat(torch.split(x, arg, dim), dim), dtypes=dtypes,
             extra=lambda xs: piece_shapes(torch.split(xs[0], arg, dim)))

    sp('split size 2 of 5 (uneven) dim 0', [5, 3], 2, 0)
    sp('split size 3 of 6 dim -1', [2, 3, 6], 3, -1)
    sp('split size 10 of 5 (one piece)', [5, 2], 10, 0)
    sp('split sizes [3,0,4] dim 1', [2, 7], [3, 0, 4], 1)
    sp('split sizes [1,2] dim 0 [3,2,2]', [3, 2, 2], [1, 2], 0)
    sp('split int32 size 2 dim 1', [2, 5], 2, 1, dtypes=('int32',))

    def ch(name, shape, chunks, dim):
        case(name, 'chunk', {'chunks': chunks, 'dim': dim}, [randn(*shape)], lambda x: pieces_cat(torch.chunk(x, chunks, dim), dim),
             extra=lambda xs: piece_shapes(torch.chunk(xs[0], chunks, dim)))

    ch('chunk 5 into 3 (2,2,1)', [5, 2], 3, 0)
    ch('chunk 6 into 4 gives 3 pieces', [6], 4, 0)
    ch('chunk 3 into 5 dim 1 gives 3 pieces', [2, 3], 5, 1)
    ch('chunk [2,8] into 4 dim -1', [2, 8], 4, -1)
    ch('chunk of an empty dim gives empty pieces', [0, 3], 3, 0)


# ---- var / std ---------------------------------------------------------------------------------

def moment_cases():
    x = randn(3, 4)
    x234 = randn(2, 3, 4)
    for fn in ('var', 'std'):
        f = getattr(torch, fn)
        case(f'{fn} all [3,4]', fn, {}, [x], lambda x, f=f: f(x))
        for c in (0, 1, 2):
            case(f'{fn} dim 1 correction {c} [3,4]', fn, {'dim': 1, 'correction': c}, [x], lambda x, f=f, c=c: f(x, 1, correction=c))
        case(f'{fn} dims [0,2] keepdim [2,3,4]', fn, {'dim': [0, 2], 'keepdim': True}, [x234],
             lambda x, f=f: f(x, [0, 2], keepdim=True))
        case(f'{fn} dim -1 correction 0.5', fn, {'dim': -1, 'correction': 0.5}, [x], lambda x, f=f: f(x, -1, correction=0.5))
        # a dim of size 1: correction 1 divides by 0 (nan), correction 0 gives 0 with gradient 0 (var) or nan (std)
        x31 = randn(3, 1)
        for c in (0, 1, 2):
            case(f'{fn} over a dim of size 1 correction {c}', fn, {'dim': 1, 'correction': c}, [x31],
                 lambda x, f=f, c=c: f(x, 1, correction=c))
        case(f'{fn} correction 2 of 2 elements (divisor 0: inf)', fn, {'dim': 0, 'correction': 2}, [randn(2, 3)],
             lambda x, f=f: f(x, 0, correction=2))
        case(f'{fn} with nan', fn, {'dim': 1}, [t64([[1, NAN, 2], [0.5, 1.5, -1]])], lambda x, f=f: f(x, 1))
        case(f'{fn} of a constant row', fn, {'dim': 1}, [t64([[2, 2, 2], [1, -1, 0.5]])], lambda x, f=f: f(x, 1))
        case(f'{fn} scalar', fn, {'correction': 0}, [t64(1.5)], lambda x, f=f: f(x, correction=0))


def main():
    masked_fill_cases()
    triangle_cases()
    split_cases()
    moment_cases()
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} entries to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
