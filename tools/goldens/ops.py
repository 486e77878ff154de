#!/usr/bin/env python3
"""Golden values for Logit's sequence-model tensor ops, from PyTorch 2.x.

Writes packages/core/test/goldens/ops.json:
  cases: one entry per case, output and dtype: the op and its arguments (Logit's names, camelCase),
         the inputs, the output, and for float outputs the gradient of sum(output * w) wrt every
         float input, w a recorded upstream. Ops with two outputs (topk, sort, max(dim), max pooling) give one
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


# ---- sort / argsort / topk / max(dim) ----------------------------------------------------------

def ties(*shape):
    """Integer-valued floats in [-2, 2]: many ties."""
    return randint(-2, 3, *shape).double()


EDGE = [1.0, NAN, -1.0, NAN, INF, -0.0, 0.0, -INF, 1.0, 2.5]


def stable_sort(x, dim, descending):
    return torch.sort(x, dim=dim, descending=descending, stable=True)


def topk_stable(x, k, dim, largest):
    """topk as Logit defines it on ties: the stable sort cut to k. Its values are torch.topk's."""
    s = stable_sort(x, dim, largest)
    values, indices = s.values.narrow(dim, 0, k), s.indices.narrow(dim, 0, k)
    ref = torch.topk(x.detach(), k, dim=dim, largest=largest)
    assert torch.equal(ref.values.nan_to_num(7.5), values.detach().nan_to_num(7.5)), 'torch.topk values differ from the stable sort'
    return torch.return_types.topk((values, indices))


def sort_cases():
    vi = ('values', 'indices')
    for desc in (False, True):
        d = ' descending' if desc else ''
        case(f'sort [3,5]{d}', 'sort', {'descending': desc}, [randn(3, 5)], lambda x, desc=desc: stable_sort(x, -1, desc), picks=vi)
        case(f'sort ties [3,6]{d}', 'sort', {'descending': desc}, [ties(3, 6)], lambda x, desc=desc: stable_sort(x, -1, desc), picks=vi)
        case(f'sort nan inf and signed zeros{d}', 'sort', {'descending': desc}, [t64(EDGE)], lambda x, desc=desc: stable_sort(x, -1, desc),
             picks=vi)
        case(f'sort dim 0 [4,3]{d}', 'sort', {'dim': 0, 'descending': desc}, [ties(4, 3)], lambda x, desc=desc: stable_sort(x, 0, desc),
             picks=vi)
        case(f'sort dim 1 of [2,5,3]{d}', 'sort', {'dim': 1, 'descending': desc}, [randn(2, 5, 3)],
             lambda x, desc=desc: stable_sort(x, 1, desc), picks=vi)
        case(f'sort int32{d}', 'sort', {'descending': desc}, [randint(-3, 4, 2, 7)], lambda x, desc=desc: stable_sort(x, -1, desc),
             picks=vi, dtypes=('int32',))
        case(f'sort bool{d}', 'sort', {'descending': desc}, [bools(2, 5)], lambda x, desc=desc: stable_sort(x, -1, desc), picks=vi,
             dtypes=('bool',))
        case(f'argsort ties [2,7]{d}', 'argsort', {'descending': desc}, [ties(2, 7)],
             lambda x, desc=desc: torch.argsort(x, dim=-1, descending=desc, stable=True))
        # longer than one 2048-element block of the webgpu kernel: block sort plus a merge pass
        case(f'argsort long row with ties [1,2500]{d}', 'argsort', {'descending': desc}, [randint(-40, 41, 1, 2500).double() / 4],
             lambda x, desc=desc: torch.argsort(x, dim=-1, descending=desc, stable=True), dtypes=('float32',))
    case('sort empty row [2,0]', 'sort', {}, [randn(2, 0)], lambda x: stable_sort(x, -1, False), picks=vi)
    case('sort scalar', 'sort', {'dim': 0}, [t64(1.5)], lambda x: stable_sort(x, 0, False), picks=vi)
    case('argsort dim 0 [3,4]', 'argsort', {'dim': 0}, [randn(3, 4)], lambda x: torch.argsort(x, dim=0, stable=True))

    def tk(name, x, k, dim=-1, largest=True, dtypes=FLOATS):
        case(name, 'topk', {'k': k, 'dim': dim, 'largest': largest}, [x], lambda x: topk_stable(x, k, dim, largest), picks=vi, dtypes=dtypes)

    tk('topk k=2 [3,5]', randn(3, 5), 2)
    tk('topk k=3 smallest [3,5]', randn(3, 5), 3, largest=False)
    tk('topk k=2 dim 0 [4,3]', randn(4, 3), 2, dim=0)
    tk('topk k=3 ties (lowest index first)', ties(4, 6), 3)
    tk('topk k=4 smallest ties', ties(3, 6), 4, largest=False)
    tk('topk with nan (nan is largest)', t64(EDGE), 4)
    tk('topk smallest with nan', t64(EDGE), 4, largest=False)
    tk('topk k=0', randn(2, 4), 0)
    tk('topk k=n', randn(2, 4), 4)
    tk('topk k=2 dim 1 of [2,5,3]', randn(2, 5, 3), 2, dim=1)
    tk('topk int32 ties', randint(-2, 3, 3, 5), 2, dtypes=('int32',))

    for op in ('max', 'min'):
        f = getattr(torch, op)
        case(f'{op} dim 1 [3,5]', op, {'dim': 1}, [randn(3, 5)], lambda x, f=f: f(x, 1), picks=vi)
        case(f'{op} dim 0 keepdim ties (first index)', op, {'dim': 0, 'keepdim': True}, [ties(5, 3)],
             lambda x, f=f: f(x, 0, keepdim=True), picks=vi)
        case(f'{op} dim -1 with nan', op, {'dim': -1}, [t64([[1, NAN, 3, NAN], [2, 0, -1, 2]])], lambda x, f=f: f(x, -1), picks=vi)
        case(f'{op} int32 dim 1', op, {'dim': 1}, [randint(-3, 4, 3, 4)], lambda x, f=f: f(x, 1), picks=vi, dtypes=('int32',))


# ---- cumsum / cumprod --------------------------------------------------------------------------

def scan_cases():
    case('cumsum dim 1 [3,4]', 'cumsum', {'dim': 1}, [randn(3, 4)], lambda x: torch.cumsum(x, 1))
    case('cumsum dim 0 [3,4]', 'cumsum', {'dim': 0}, [randn(3, 4)], lambda x: torch.cumsum(x, 0))
    case('cumsum dim 1 of [2,3,4]', 'cumsum', {'dim': 1}, [randn(2, 3, 4)], lambda x: torch.cumsum(x, 1))
    case('cumsum long row [2,300]', 'cumsum', {'dim': -1}, [randn(2, 300)], lambda x: torch.cumsum(x, -1))
    case('cumsum with nan and inf', 'cumsum', {'dim': -1}, [t64([[1, NAN, 2, 3], [INF, 1, -INF, 2]])], lambda x: torch.cumsum(x, -1))
    case('cumsum scalar', 'cumsum', {'dim': 0}, [t64(2.5)], lambda x: torch.cumsum(x, 0))
    case('cumsum empty [0,3]', 'cumsum', {'dim': 1}, [randn(0, 3)], lambda x: torch.cumsum(x, 1))
    case('cumsum int32', 'cumsum', {'dim': 1}, [randint(-5, 6, 3, 5)], lambda x: torch.cumsum(x, 1), dtypes=('int32',))
    case('cumsum bool counts as int', 'cumsum', {'dim': 0}, [bools(6)], lambda x: torch.cumsum(x, 0), dtypes=('bool',))
    case('cumprod dim 1 [3,4]', 'cumprod', {'dim': 1}, [randn(3, 4)], lambda x: torch.cumprod(x, 1))
    case('cumprod dim 0 [4,3]', 'cumprod', {'dim': 0}, [randn(4, 3)], lambda x: torch.cumprod(x, 0))
    # zeros: the gradient at the first zero of a row is not a division by it
    z = t64([[2, 0, 3, 4, 0.5], [0, 1.5, 2, -1, 3], [1, 2, 0, 0, 5], [-1, 0.5, 2, 3, 0]])
    case('cumprod with zeros (first, second, last position)', 'cumprod', {'dim': 1}, [z], lambda x: torch.cumprod(x, 1))
    case('cumprod with zeros dim 0', 'cumprod', {'dim': 0}, [z.t().contiguous()], lambda x: torch.cumprod(x, 0))
    case('cumprod int32', 'cumprod', {'dim': 1}, [randint(-3, 4, 2, 5)], lambda x: torch.cumprod(x, 1), dtypes=('int32',))


# ---- norm --------------------------------------------------------------------------------------

def norm_cases():
    x = randn(3, 4)
    for p in (1, 2, INF, -INF, 0, 3, 0.5, 1.5):
        case(f'norm p={p} all [3,4]', 'norm', {'p': p}, [x], lambda x, p=p: torch.norm(x, p))
        case(f'norm p={p} dim 1 [3,4]', 'norm', {'p': p, 'dim': 1}, [x], lambda x, p=p: torch.norm(x, p, dim=1))
    case('norm fro default [2,3,4]', 'norm', {}, [randn(2, 3, 4)], lambda x: torch.norm(x))
    case("norm 'fro' dims [0,2] keepdim", 'norm', {'p': 'fro', 'dim': [0, 2], 'keepdim': True}, [randn(2, 3, 4)],
         lambda x: torch.norm(x, 'fro', dim=[0, 2], keepdim=True))
    case('norm p=2 dim -1 keepdim [2,5]', 'norm', {'p': 2, 'dim': -1, 'keepdim': True}, [randn(2, 5)],
         lambda x: torch.norm(x, 2, dim=-1, keepdim=True))
    # at zero: p = 2 has the subgradient 0, p = 1 sign(0) = 0, inf splits among the ties
    zero_rows = t64([[0, 0, 0], [3, -4, 0], [0, 0, 0]])
    for p in (2, 1, INF, -INF, 3, 0.5, 1.5, 0):
        case(f'norm p={p} at a zero row', 'norm', {'p': p, 'dim': 1}, [zero_rows], lambda x, p=p: torch.norm(x, p, dim=1))
    case('norm p=2 of a zero vector', 'norm', {'p': 2}, [torch.zeros(4, dtype=torch.float64)], lambda x: torch.norm(x, 2))
    case('norm p=inf with ties', 'norm', {'p': INF, 'dim': 1}, [t64([[2, -2, 1], [-3, 3, 3]])], lambda x: torch.norm(x, INF, dim=1))


# ---- repeat, viewAs, new*, bmm, outer ------------------------------------------------------------

def misc_cases():
    case('repeat [2,3] by (2,1,2)', 'repeat', {'sizes': [2, 1, 2]}, [randn(2, 3)], lambda x: x.repeat(2, 1, 2))
    case('repeat [3] by (2,2)', 'repeat', {'sizes': [2, 2]}, [randn(3)], lambda x: x.repeat(2, 2))
    case('repeat [2,2] by (1,3)', 'repeat', {'sizes': [1, 3]}, [randn(2, 2)], lambda x: x.repeat(1, 3))
    case('repeat with a 0 repeat', 'repeat', {'sizes': [0, 2]}, [randn(2, 2)], lambda x: x.repeat(0, 2))
    case('repeat scalar by (3)', 'repeat', {'sizes': [3]}, [t64(1.5)], lambda x: x.repeat(3))
    case('repeat int32', 'repeat', {'sizes': [2, 2]}, [randint(-5, 6, 2, 3)], lambda x: x.repeat(2, 2), dtypes=('int32',))
    case('viewAs [2,6] as [3,4]', 'viewAs', {'shape': [3, 4]}, [randn(2, 6)], lambda x: x.view_as(torch.empty(3, 4)))
    for op in ('newZeros', 'newOnes'):
        fn = {'newZeros': 'new_zeros', 'newOnes': 'new_ones'}[op]
        case(f'{op} [2,3] of float', op, {'shape': [2, 3]}, [randn(4)], lambda x, fn=fn: getattr(x, fn)((2, 3)))
        case(f'{op} of int32 keeps int32', op, {'shape': [3]}, [randint(0, 3, 2)], lambda x, fn=fn: getattr(x, fn)((3,)), dtypes=('int32',))
    case('newFull [2,2] 7.5', 'newFull', {'shape': [2, 2], 'value': 7.5}, [randn(3)], lambda x: x.new_full((2, 2), 7.5))
    case('newFull -inf', 'newFull', {'shape': [3], 'value': -INF}, [randn(1)], lambda x: x.new_full((3,), -INF))
    case('bmm [3,2,4] @ [3,4,5]', 'bmm', {}, [randn(3, 2, 4), randn(3, 4, 5)], lambda a, b: torch.bmm(a, b))
    case('bmm batch 1', 'bmm', {}, [randn(1, 3, 3), randn(1, 3, 2)], lambda a, b: torch.bmm(a, b))
    case('bmm empty inner dim', 'bmm', {}, [randn(2, 3, 0), randn(2, 0, 4)], lambda a, b: torch.bmm(a, b))
    case('outer [3] x [4]', 'outer', {}, [randn(3), randn(4)], lambda a, b: torch.outer(a, b))
    case('outer [1] x [5]', 'outer', {}, [randn(1), randn(5)], lambda a, b: torch.outer(a, b))
    case('outer int32', 'outer', {}, [randint(-5, 6, 3), randint(-5, 6, 2)], lambda a, b: torch.outer(a, b), dtypes=('int32',))


# ---- max pooling with return_indices ----------------------------------------------------------

class Pooled:
    """F.max_pool*d(..., return_indices=True)'s (output, indices) under the names `picks` reads."""
    def __init__(self, pair):
        self.values, self.indices = pair


def pool_cases():
    vi = ('values', 'indices')

    def mp2(name, x, k, **kw):
        args = {'kernelSize': k, **{camel(key): v for key, v in kw.items()}}
        case(name, 'maxPool2d', args, [x], lambda x: Pooled(torch.nn.functional.max_pool2d(x, k, return_indices=True, **kw)), picks=vi)

    def mp1(name, x, k, **kw):
        args = {'kernelSize': k, **{camel(key): v for key, v in kw.items()}}
        case(name, 'maxPool1d', args, [x], lambda x: Pooled(torch.nn.functional.max_pool1d(x, k, return_indices=True, **kw)), picks=vi)

    mp2('maxPool2d indices 2 [2,3,6,7]', randn(2, 3, 6, 7), 2)
    mp2('maxPool2d indices 3 stride 2 padding 1 [1,2,7,7]', randn(1, 2, 7, 7), 3, stride=2, padding=1)
    mp2('maxPool2d indices kernel [2,3] stride [1,2] dilation [2,1]', randn(1, 2, 6, 7), [2, 3], stride=[1, 2], dilation=[2, 1])
    mp2('maxPool2d indices ceilMode padding 1', randn(1, 2, 6, 6), 3, stride=2, padding=1, ceil_mode=True)
    mp2('maxPool2d indices unbatched [2,5,5]', randn(2, 5, 5), 2, stride=1)
    # ties go to the first position in the window's row-major scan
    mp2('maxPool2d indices ties overlapping', ties(1, 2, 5, 5), 3, stride=1)
    # a window of -inf reports its first position inside the input, padding or not
    mp2('maxPool2d indices -inf windows padding 1', t64([[[[-INF, -INF, 1.0, 2.0], [-INF, -INF, 3.0, 0.5], [4.0, -1.0, 2.0, 2.0],
                                                            [0.0, -2.0, 2.0, 1.0]]]]), 2, stride=2, padding=1)
    # PyTorch's kernels let every nan replace the max: the last nan of a window wins
    mp2('maxPool2d indices nan (the last nan wins)', t64([[[[1.0, NAN, NAN, 2.0], [NAN, 0.0, 3.0, 0.5], [INF, NAN, -INF, 1.0],
                                                            [2.0, INF, 0.0, -1.0]]]]), 2)
    mp1('maxPool1d indices 3 stride 2 padding 1 [2,2,9]', randn(2, 2, 9), 3, stride=2, padding=1)
    mp1('maxPool1d indices dilation 2 unbatched [2,9]', randn(2, 9), 3, stride=1, dilation=2)
    mp1('maxPool1d indices ties', ties(1, 3, 8), 2, stride=1)


def unpool_cases():
    F = torch.nn.functional

    def pooled(pool, x, k, **kw):
        y, i = pool(x, k, return_indices=True, **kw)
        return y.detach(), i

    # layer=True: the case runs nn.MaxUnpool*d (op 'nn.MaxUnpool2d'), else the functional form
    def up2(name, x, idx, k, layer=False, **kw):
        args = {'kernelSize': k, **{camel(key): v for key, v in kw.items()}}
        case(name, 'nn.MaxUnpool2d' if layer else 'maxUnpool2d', args, [x, idx], lambda x, i: F.max_unpool2d(x, i, k, **kw))

    def up1(name, x, idx, k, layer=False, **kw):
        args = {'kernelSize': k, **{camel(key): v for key, v in kw.items()}}
        case(name, 'nn.MaxUnpool1d' if layer else 'maxUnpool1d', args, [x, idx], lambda x, i: F.max_unpool1d(x, i, k, **kw))

    up2('maxUnpool2d 2 of maxPool2d [2,3,6,6]', *pooled(F.max_pool2d, randn(2, 3, 6, 6), 2), 2, layer=True)
    up2('maxUnpool2d 3 stride 2 padding 1 outputSize [8,8]', *pooled(F.max_pool2d, randn(1, 2, 8, 8), 3, stride=2, padding=1), 3,
        stride=2, padding=1, output_size=[8, 8])
    # overlapping windows share maxima: one position written by several values (equal ones)
    up2('maxUnpool2d overlapping pool, repeated indices', *pooled(F.max_pool2d, ties(1, 2, 5, 5), 3, stride=1), 3, stride=1)
    # (indices repeated with different values are left out: which one PyTorch keeps depends on how
    # its CPU kernel splits the work among threads, e.g. not the last of [0, 0, 5, 5, 1, 0])
    up2('maxUnpool2d unbatched [2,3,3]', *pooled(F.max_pool2d, randn(2, 6, 6), 2), 2, layer=True)
    up1('maxUnpool1d 2 of maxPool1d [2,2,8]', *pooled(F.max_pool1d, randn(2, 2, 8), 2), 2, layer=True)
    up1('maxUnpool1d outputSize [9]', *pooled(F.max_pool1d, randn(1, 3, 9), 3, stride=2), 3, stride=2, output_size=[9])


def camel(name):
    head, *rest = name.split('_')
    return head + ''.join(w.title() for w in rest)


def main():
    masked_fill_cases()
    triangle_cases()
    split_cases()
    moment_cases()
    sort_cases()
    scan_cases()
    norm_cases()
    misc_cases()
    pool_cases()
    unpool_cases()
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} entries to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
