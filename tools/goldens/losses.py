#!/usr/bin/python3
"""Golden values for Logit's losses, from PyTorch 1.13.

Writes packages/core/test/goldens/losses.json:
  cases:  inputs, options, outputs and input (and target) gradients of NLLLoss, CrossEntropyLoss,
          MSELoss, BCELoss and BCEWithLogitsLoss, each in float32 and float64. A loss with a
          non-scalar output ('none') is backpropagated with a recorded upstream gradient.
  errors: bad calls; whether PyTorch raises and with what, and which Logit error class the test
          expects (shape problems -> ShapeError, dtypes -> DTypeError, out-of-range targets ->
          IndexError, bad option values or out-of-range BCE inputs -> ValueError).

Run: /usr/bin/python3 tools/goldens/losses.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'goldens', 'losses.json')
INF = float('inf')
NAN = float('nan')


def num(v):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def enc(t):
    if t is None:
        return None
    dtype = {torch.float32: 'float32', torch.float64: 'float64', torch.int64: 'int32'}[t.dtype]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': [num(v) for v in t.detach().reshape(-1).tolist()]}


g = torch.Generator().manual_seed(1234)


def randn(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=g, dtype=torch.float64) * scale


def rand(*shape):
    return torch.rand(tuple(shape), generator=g, dtype=torch.float64)


def ints(values):
    return torch.tensor(values, dtype=torch.int64)


def probs(*shape, dim=1):
    return torch.softmax(randn(*shape), dim=dim if len(shape) > 1 else 0)


LOSSES = {
    'NLLLoss': lambda x, t, o: F.nll_loss(x, t, weight=o.get('weight'), ignore_index=o.get('ignoreIndex', -100), reduction=o.get('reduction', 'mean')),
    'CrossEntropyLoss': lambda x, t, o: F.cross_entropy(
        x, t, weight=o.get('weight'), ignore_index=o.get('ignoreIndex', -100), reduction=o.get('reduction', 'mean'),
        label_smoothing=o.get('labelSmoothing', 0.0)),
    'MSELoss': lambda x, t, o: F.mse_loss(x, t, reduction=o.get('reduction', 'mean')),
    'BCELoss': lambda x, t, o: F.binary_cross_entropy(x, t, weight=o.get('weight'), reduction=o.get('reduction', 'mean')),
    'BCEWithLogitsLoss': lambda x, t, o: F.binary_cross_entropy_with_logits(
        x, t, weight=o.get('weight'), pos_weight=o.get('posWeight'), reduction=o.get('reduction', 'mean')),
}

cases = []


def case(name, loss, x, t, reductions=('mean', 'sum', 'none'), target_grad=False, **opts):
    """One entry per (dtype, reduction): x and float t are float64 here and cast per dtype."""
    for dtype in (torch.float32, torch.float64):
        for reduction in reductions:
            xi = x.to(dtype).clone().requires_grad_(True)
            ti = t.to(dtype).clone() if t.is_floating_point() else t.clone()
            if target_grad:
                ti.requires_grad_(True)
            o = {k: (v.to(dtype) if torch.is_tensor(v) else v) for k, v in opts.items()}
            o['reduction'] = reduction
            out = LOSSES[loss](xi, ti, o)
            upstream = None if out.dim() == 0 else randn(*out.shape).to(dtype)
            out.backward(upstream)
            cases.append({
                'name': f'{name} [{reduction}, {str(dtype)[6:]}]',
                'loss': loss,
                'dtype': str(dtype)[6:],
                'options': {k: v for k, v in o.items() if not torch.is_tensor(v)},
                'weight': enc(o.get('weight')),
                'posWeight': enc(o.get('posWeight')),
                'input': enc(xi),
                'target': enc(ti),
                'targetRequiresGrad': target_grad,
                'output': enc(out),
                'upstream': enc(upstream),
                'inputGrad': enc(xi.grad),
                'targetGrad': enc(ti.grad) if target_grad else None,
            })


# ---- NLLLoss: inputs are log-probabilities (any real values are accepted) ----------------------
lp = torch.log_softmax(randn(4, 5), 1)
case('nll basic', 'NLLLoss', lp, ints([1, 0, 4, 2]))
case('nll weight', 'NLLLoss', lp, ints([1, 0, 4, 2]), weight=rand(5) + 0.1)
case('nll ignore some', 'NLLLoss', lp, ints([1, -100, 4, -100]), weight=rand(5) + 0.1)
case('nll ignoreIndex=2 (a real class)', 'NLLLoss', lp, ints([2, 0, 2, 3]), ignoreIndex=2)
case('nll all ignored', 'NLLLoss', lp, ints([-100, -100, -100, -100]))
case('nll all ignored weight', 'NLLLoss', lp, ints([7, 7, 7, 7]), ignoreIndex=7, weight=rand(5) + 0.1)
case('nll -inf entries', 'NLLLoss', torch.tensor([[-INF, -0.5, -1.0], [-0.2, -INF, -3.0], [-INF, -INF, 0.0]], dtype=torch.float64),
     ints([1, 1, -100]))
case('nll K-dim (2,3,2,2)', 'NLLLoss', torch.log_softmax(randn(2, 3, 2, 2), 1), ints([[[0, 2], [1, -100]], [[2, 2], [-100, 0]]]), weight=rand(3) + 0.1)
case('nll K-dim (2,3,4)', 'NLLLoss', torch.log_softmax(randn(2, 3, 4), 1), ints([[0, 1, 2, 1], [2, 2, 0, -100]]))
case('nll unbatched', 'NLLLoss', torch.log_softmax(randn(5), 0), ints(3), weight=rand(5) + 0.1)
case('nll unbatched ignored', 'NLLLoss', torch.log_softmax(randn(5), 0), ints(-100))

# ---- CrossEntropyLoss with class indices ---------------------------------------------------------
z = randn(4, 5, scale=2.0)
t4 = ints([1, 0, 4, 2])
w5 = rand(5) + 0.1
case('ce basic', 'CrossEntropyLoss', z, t4)
case('ce large logits', 'CrossEntropyLoss', randn(4, 5, scale=1e4), t4)
case('ce equal logits', 'CrossEntropyLoss', torch.full((3, 4), 7.5, dtype=torch.float64), ints([0, 3, 1]), labelSmoothing=0.2)
case('ce -inf not at target', 'CrossEntropyLoss', torch.tensor([[-INF, 1.0, 2.0], [0.5, -INF, -INF]], dtype=torch.float64), ints([1, 0]))
case('ce -inf at target', 'CrossEntropyLoss', torch.tensor([[-INF, 1.0, 2.0], [0.5, -INF, 0.0]], dtype=torch.float64), ints([0, 2]))
case('ce -inf with smoothing', 'CrossEntropyLoss', torch.tensor([[-INF, 1.0, 2.0], [0.5, 3.0, 0.0]], dtype=torch.float64), ints([1, 2]), labelSmoothing=0.1)
case('ce -inf at ignored row', 'CrossEntropyLoss', torch.tensor([[-INF, 1.0, 2.0], [0.5, 3.0, 0.0]], dtype=torch.float64), ints([-100, 2]), labelSmoothing=0.1)
case('ce weight', 'CrossEntropyLoss', z, t4, weight=w5)
case('ce ignore some', 'CrossEntropyLoss', z, ints([1, -100, 4, -100]))
case('ce ignoreIndex=0', 'CrossEntropyLoss', z, ints([0, 3, 0, 2]), ignoreIndex=0, weight=w5)
case('ce all ignored', 'CrossEntropyLoss', z, ints([-100, -100, -100, -100]))
case('ce all ignored smoothing weight', 'CrossEntropyLoss', z, ints([-100, -100, -100, -100]), weight=w5, labelSmoothing=0.3)
case('ce smoothing', 'CrossEntropyLoss', z, t4, labelSmoothing=0.1)
case('ce smoothing 1.0', 'CrossEntropyLoss', z, t4, labelSmoothing=1.0)
case('ce smoothing weight', 'CrossEntropyLoss', z, t4, weight=w5, labelSmoothing=0.25)
case('ce smoothing ignore', 'CrossEntropyLoss', z, ints([1, -100, 4, 2]), labelSmoothing=0.25)
case('ce smoothing weight ignore', 'CrossEntropyLoss', z, ints([-100, 0, 4, -100]), weight=w5, labelSmoothing=0.4)
case('ce K-dim (2,3,2,2)', 'CrossEntropyLoss', randn(2, 3, 2, 2), ints([[[0, 2], [1, -100]], [[2, 2], [-100, 0]]]), weight=rand(3) + 0.1, labelSmoothing=0.15)
case('ce K-dim (2,3,4)', 'CrossEntropyLoss', randn(2, 3, 4), ints([[0, 1, 2, 1], [2, 2, 0, 1]]))
case('ce unbatched', 'CrossEntropyLoss', randn(5), ints(3), weight=rand(5) + 0.1, labelSmoothing=0.2)
case('ce unbatched plain', 'CrossEntropyLoss', randn(5), ints(0))
case('ce unbatched ignored', 'CrossEntropyLoss', randn(5), ints(-100), labelSmoothing=0.2)

# ---- CrossEntropyLoss with class probabilities --------------------------------------------------
case('ce probs', 'CrossEntropyLoss', z, probs(4, 5), target_grad=True)
case('ce probs smoothing', 'CrossEntropyLoss', z, probs(4, 5), labelSmoothing=0.2, target_grad=True)
case('ce probs weight', 'CrossEntropyLoss', z, probs(4, 5), weight=w5)
case('ce probs smoothing weight', 'CrossEntropyLoss', z, probs(4, 5), weight=w5, labelSmoothing=0.3)
case('ce probs K-dim', 'CrossEntropyLoss', randn(2, 3, 2, 2), probs(2, 3, 2, 2), weight=rand(3) + 0.1, labelSmoothing=0.1)
case('ce probs unbatched', 'CrossEntropyLoss', randn(5), probs(5), labelSmoothing=0.1)
case('ce probs -inf logit, zero prob', 'CrossEntropyLoss', torch.tensor([[-INF, 1.0, 2.0], [0.5, 3.0, 0.0]], dtype=torch.float64),
     torch.tensor([[0.0, 0.3, 0.7], [0.2, 0.2, 0.6]], dtype=torch.float64))

# ---- MSELoss --------------------------------------------------------------------------------------
case('mse', 'MSELoss', randn(3, 4), randn(3, 4), target_grad=True)
case('mse 0-d', 'MSELoss', randn(), randn())
case('mse 3-d', 'MSELoss', randn(2, 2, 3, scale=100.0), randn(2, 2, 3))

# ---- BCELoss: probabilities in [0, 1], including exactly 0 and 1 (log clamped at -100) -------------
p = torch.tensor([[0.0, 0.2, 1.0], [0.999, 1e-7, 0.5]], dtype=torch.float64)
y = torch.tensor([[0.0, 1.0, 1.0], [0.3, 0.0, 0.5]], dtype=torch.float64)
case('bce', 'BCELoss', rand(3, 4), (rand(3, 4) > 0.5).double(), target_grad=True)
case('bce soft targets at 0 and 1', 'BCELoss', p, y, target_grad=True)
case('bce clamp: log(0)', 'BCELoss', torch.tensor([0.0, 1.0, 0.0, 1.0], dtype=torch.float64), torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=torch.float64))
case('bce weight broadcast (3)', 'BCELoss', p, y, weight=rand(3))
case('bce weight full', 'BCELoss', rand(2, 3), rand(2, 3), weight=rand(2, 3), target_grad=True)

# ---- BCEWithLogitsLoss -------------------------------------------------------------------------------
xl = torch.tensor([[1e4, -1e4, 30.0, -30.0], [0.5, -2.0, 100.0, -100.0]], dtype=torch.float64)
yl = torch.tensor([[0.0, 1.0, 0.0, 1.0], [0.25, 1.0, 1.0, 0.0]], dtype=torch.float64)
case('bcewl', 'BCEWithLogitsLoss', randn(3, 4, scale=3.0), rand(3, 4), target_grad=True)
case('bcewl large |x|', 'BCEWithLogitsLoss', xl, yl, target_grad=True)
case('bcewl weight', 'BCEWithLogitsLoss', xl, yl, weight=rand(4))
case('bcewl posWeight', 'BCEWithLogitsLoss', xl, yl, posWeight=rand(4) * 3, target_grad=True)
case('bcewl weight posWeight', 'BCEWithLogitsLoss', randn(2, 3, 4), rand(2, 3, 4), weight=rand(3, 1), posWeight=rand(4) * 3, target_grad=True)
case('bcewl 1-d', 'BCEWithLogitsLoss', randn(6, scale=5.0), (rand(6) > 0.5).double())

# ---- errors --------------------------------------------------------------------------------------------
errors = []


def err(name, loss, x, t, expect, **opts):
    try:
        LOSSES[loss](x, t, opts)
        raised, kind, message = False, None, None
    except Exception as e:  # noqa: BLE001 -- any raise is what is recorded
        raised, kind, message = True, type(e).__name__, str(e).split('\n')[0]
    errors.append({
        'name': name, 'loss': loss, 'expect': expect,
        'options': {k: v for k, v in opts.items() if not torch.is_tensor(v)},
        'weight': enc(opts.get('weight')), 'posWeight': enc(opts.get('posWeight')),
        'input': enc(x), 'target': enc(t),
        'torchRaises': raised, 'torchError': kind, 'torchMessage': message,
    })


x34 = randn(3, 4)
t3 = ints([0, 1, 2])
for loss in ('NLLLoss', 'CrossEntropyLoss'):
    err('target >= C', loss, x34, ints([0, 1, 4]), 'IndexError')
    err('negative target (not ignoreIndex)', loss, x34, ints([0, -1, 2]), 'IndexError')
    err('K-dim target out of range', loss, randn(3, 4, 2), ints([[0, 1], [1, 4], [0, 0]]), 'IndexError')
    err('batch size mismatch', loss, x34, ints([0, 1]), 'ShapeError')
    err('K-dim target shape mismatch', loss, randn(2, 4, 3), ints([[0, 1], [1, 1]]), 'ShapeError')
    err('unbatched input with 1-d target', loss, randn(4), ints([1]), 'ShapeError')
    err('2-d target for 2-d input', loss, x34, ints([[0], [1], [2]]), 'ShapeError')
    err('wrong weight size', loss, x34, t3, 'ShapeError', weight=torch.ones(3, dtype=torch.float64))
    err('bad reduction', loss, x34, t3, 'ValueError', reduction='avg')
    err('0-d input', loss, torch.tensor(1.0, dtype=torch.float64), ints(1), 'ShapeError')
err('nll float target', 'NLLLoss', x34, torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64), 'DTypeError')
err('ce float target of class-index shape', 'CrossEntropyLoss', x34, torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64), 'DTypeError')
err('ce float target of wrong shape', 'CrossEntropyLoss', x34, rand(3, 5), 'ShapeError')
err('ce int target of the input shape', 'CrossEntropyLoss', randn(4), ints([0, 1, 2, 3]), 'DTypeError')
err('ce labelSmoothing > 1', 'CrossEntropyLoss', x34, t3, 'ValueError', labelSmoothing=1.1)
err('ce labelSmoothing > 1, probs', 'CrossEntropyLoss', x34, probs(3, 4), 'ValueError', labelSmoothing=1.5)
err('ce labelSmoothing < 0 (PyTorch ignores it; Logit throws)', 'CrossEntropyLoss', x34, t3, 'ValueError', labelSmoothing=-0.1)
err('ce probs with ignoreIndex >= 0', 'CrossEntropyLoss', x34, probs(3, 4), 'ValueError', ignoreIndex=1)
err('ce probs wrong weight size', 'CrossEntropyLoss', x34, probs(3, 4), 'ShapeError', weight=torch.ones(3, dtype=torch.float64))
err('mse shape mismatch (PyTorch warns and broadcasts; Logit throws)', 'MSELoss', randn(3), randn(2, 3), 'ShapeError')
err('mse bad reduction', 'MSELoss', randn(3), randn(3), 'ValueError', reduction='max')
err('bce input > 1', 'BCELoss', torch.tensor([0.5, 1.5], dtype=torch.float64), torch.tensor([0.0, 1.0], dtype=torch.float64), 'ValueError')
err('bce input < 0', 'BCELoss', torch.tensor([-0.1, 0.5], dtype=torch.float64), torch.tensor([0.0, 1.0], dtype=torch.float64), 'ValueError')
err('bce input nan', 'BCELoss', torch.tensor([0.5, NAN], dtype=torch.float64), torch.tensor([0.0, 1.0], dtype=torch.float64), 'ValueError')
err('bce int target', 'BCELoss', torch.tensor([0.5, 0.5], dtype=torch.float64), ints([0, 1]), 'DTypeError')
err('bce target shape mismatch', 'BCELoss', torch.tensor([0.5, 0.5], dtype=torch.float64), torch.tensor([0.0, 1.0, 1.0], dtype=torch.float64), 'ShapeError')
err('bce weight not broadcastable', 'BCELoss', rand(2, 3), rand(2, 3), 'ShapeError', weight=rand(2))
err('bce weight broadcasts past the input', 'BCELoss', rand(3), rand(3), 'ShapeError', weight=rand(2, 3))
err('bce bad reduction', 'BCELoss', rand(3), rand(3), 'ValueError', reduction='Mean')
err('bcewl int target', 'BCEWithLogitsLoss', randn(3), ints([0, 1, 1]), 'DTypeError')
err('bcewl target shape mismatch', 'BCEWithLogitsLoss', randn(3), rand(2), 'ShapeError')
err('bcewl posWeight not broadcastable', 'BCEWithLogitsLoss', randn(2, 3), rand(2, 3), 'ShapeError', posWeight=rand(2))
err('bcewl weight broadcasts past the input', 'BCEWithLogitsLoss', randn(3), rand(3), 'ShapeError', weight=rand(2, 3))
err('bcewl bad reduction', 'BCEWithLogitsLoss', randn(3), rand(3), 'ValueError', reduction='')

with open(OUT, 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases, 'errors': errors}, f, separators=(',', ':'))
print(f'{len(cases)} cases, {len(errors)} error cases -> {os.path.normpath(OUT)}')
