"""Golden values for Logit's optim: optimizer trajectories, scheduler lr sequences, and the
hyperparameter errors, all from PyTorch 1.13.

Run with /usr/bin/python3 (the python3 that has torch):
    /usr/bin/python3 tools/goldens/optim.py
Writes packages/core/test/goldens/optim.json.

Each trajectory: three parameters of different shapes (one 0-d), six steps of fixed gradients
(drawn once, with a different scale per step so that amsgrad's running max matters), and the
third parameter has no gradient at steps 0 and 3 (its state starts late and its step count lags).
"""
import json
import math
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'packages', 'core', 'test', 'goldens', 'optim.json')

SHAPES = [[3], [2, 3], []]
STEPS = 6
GRAD_SCALES = [1.0, 0.1, 2.0, 0.01, 1.0, 0.5]
NO_GRAD = {(2, 0), (2, 3)}  # (param index, step) pairs without a gradient
DTYPES = {'float32': torch.float32, 'float64': torch.float64}

CLASSES = {
    'SGD': torch.optim.SGD,
    'Adam': torch.optim.Adam,
    'AdamW': torch.optim.AdamW,
    'RMSprop': torch.optim.RMSprop,
}

# PyTorch keyword -> Logit option name
CAMEL = {
    'weight_decay': 'weightDecay',
    'momentum_buffer': 'momentumBuffer',
    'exp_avg': 'expAvg',
    'exp_avg_sq': 'expAvgSq',
    'max_exp_avg_sq': 'maxExpAvgSq',
    'square_avg': 'squareAvg',
    'grad_avg': 'gradAvg',
    'step': 'step',
    'initial_lr': 'initialLr',
}
# group keys PyTorch keeps that Logit has no use for
SKIP_GROUP_KEYS = {'foreach', 'differentiable', 'capturable', 'fused', 'params'}


def num(x):
    """JSON number, with nan/inf as strings."""
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def flat(t):
    return [num(v) for v in t.detach().reshape(-1).tolist()]


def camel_options(opts):
    return {CAMEL.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()}


def value_json(v, key=None):
    if v is None:
        return None
    if isinstance(v, torch.Tensor):
        # Adam keeps its step count as a 0-d tensor; Logit keeps a number
        return num(v.item()) if key == 'step' else flat(v)
    if isinstance(v, (tuple, list)):
        return [value_json(x) for x in v]
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return num(v)
    return v


def state_dict_json(sd):
    state = {str(i): {CAMEL[k]: value_json(v, k) for k, v in s.items()} for i, s in sd['state'].items()}
    groups = []
    for g in sd['param_groups']:
        out = {CAMEL.get(k, k): value_json(v) for k, v in g.items() if k not in SKIP_GROUP_KEYS}
        out['params'] = list(g['params'])
        groups.append(out)
    return {'state': state, 'paramGroups': groups}


def trajectory(name, cls, dtype_name, options, groups=None):
    dtype = DTYPES[dtype_name]
    gen = torch.Generator().manual_seed(1234)
    params = [torch.randn(s, generator=gen, dtype=torch.float64).to(dtype).requires_grad_() for s in SHAPES]
    grads = []
    for step in range(STEPS):
        row = []
        for i, s in enumerate(SHAPES):
            g = (torch.randn(s, generator=gen, dtype=torch.float64) * GRAD_SCALES[step]).to(dtype)
            row.append(None if (i, step) in NO_GRAD else g)
        grads.append(row)
    initial = [flat(p) for p in params]

    if groups is None:
        opt = CLASSES[cls](params, **options)
    else:
        opt = CLASSES[cls]([dict(g, params=[params[i] for i in g['params']]) for g in groups], **options)

    traj = []
    for row in grads:
        for p, g in zip(params, row):
            p.grad = None if g is None else g.clone()
        opt.step()
        traj.append([flat(p) for p in params])

    return {
        'name': name,
        'optimizer': cls,
        'dtype': dtype_name,
        'options': camel_options(options),
        'groups': None if groups is None else [camel_options(g) for g in groups],
        'shapes': SHAPES,
        'initial': initial,
        'grads': [[None if g is None else flat(g) for g in row] for row in grads],
        'trajectory': traj,
        'stateDict': state_dict_json(opt.state_dict()),
    }


CASES = [
    # SGD
    ('sgd_plain', 'SGD', dict(lr=0.1), None),
    ('sgd_momentum', 'SGD', dict(lr=0.1, momentum=0.9), None),
    ('sgd_momentum_dampening', 'SGD', dict(lr=0.05, momentum=0.9, dampening=0.5), None),
    ('sgd_nesterov', 'SGD', dict(lr=0.1, momentum=0.8, nesterov=True), None),
    ('sgd_weight_decay', 'SGD', dict(lr=0.1, weight_decay=0.1), None),
    ('sgd_nesterov_wd_maximize', 'SGD', dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05, maximize=True), None),
    ('sgd_groups', 'SGD', dict(lr=0.1, momentum=0.9),
     [dict(params=[0, 1], lr=0.01), dict(params=[2], momentum=0.5, dampening=0.2)]),
    ('sgd_groups_lr_only_in_groups', 'SGD', dict(),
     [dict(params=[0], lr=0.2), dict(params=[1, 2], lr=0.03, weight_decay=0.5)]),
    # Adam
    ('adam_default', 'Adam', dict(), None),
    ('adam_lr_wd', 'Adam', dict(lr=0.05, weight_decay=0.1), None),
    ('adam_amsgrad', 'Adam', dict(lr=0.05, amsgrad=True), None),
    ('adam_maximize', 'Adam', dict(lr=0.05, maximize=True), None),
    ('adam_amsgrad_maximize_wd_betas', 'Adam', dict(lr=0.02, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.2, amsgrad=True, maximize=True), None),
    ('adam_groups', 'Adam', dict(lr=0.01),
     [dict(params=[0], lr=0.1, amsgrad=True), dict(params=[1, 2], betas=(0.5, 0.6))]),
    # AdamW
    ('adamw_default', 'AdamW', dict(), None),
    ('adamw_lr_wd', 'AdamW', dict(lr=0.05, weight_decay=0.3), None),
    ('adamw_amsgrad', 'AdamW', dict(lr=0.05, amsgrad=True), None),
    ('adamw_amsgrad_maximize', 'AdamW', dict(lr=0.05, betas=(0.7, 0.95), eps=1e-4, amsgrad=True, maximize=True), None),
    ('adamw_groups', 'AdamW', dict(lr=0.01),
     [dict(params=[0, 2], weight_decay=0.5), dict(params=[1], lr=0.2, amsgrad=True)]),
    # RMSprop
    ('rmsprop_default', 'RMSprop', dict(), None),
    ('rmsprop_centered', 'RMSprop', dict(lr=0.01, centered=True), None),
    ('rmsprop_momentum', 'RMSprop', dict(lr=0.01, momentum=0.9), None),
    ('rmsprop_centered_momentum_wd', 'RMSprop', dict(lr=0.02, alpha=0.9, eps=1e-4, centered=True, momentum=0.5, weight_decay=0.1), None),
    ('rmsprop_maximize', 'RMSprop', dict(lr=0.01, maximize=True, momentum=0.3), None),
    ('rmsprop_groups', 'RMSprop', dict(lr=0.01),
     [dict(params=[0], centered=True), dict(params=[1, 2], lr=0.001, alpha=0.5)]),
]


def dummy_optimizer(lrs):
    ps = [torch.zeros(2, requires_grad=True) for _ in lrs]
    return torch.optim.SGD([dict(params=[p], lr=lr) for p, lr in zip(ps, lrs)], lr=lrs[0])


def scheduler_sequence(name, kind, lrs, options, epochs=30, metrics=None):
    opt = dummy_optimizer(lrs)
    if kind == 'StepLR':
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=options['stepSize'], gamma=options.get('gamma', 0.1))
    elif kind == 'CosineAnnealingLR':
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=options['tMax'], eta_min=options.get('etaMin', 0))
    else:
        kw = dict(mode='mode', factor='factor', patience='patience', threshold='threshold',
                  thresholdMode='threshold_mode', cooldown='cooldown', minLr='min_lr', eps='eps')
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **{kw[k]: v for k, v in options.items()})
    seq = [[g['lr'] for g in opt.param_groups]]
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        seq.append([num(g['lr']) for g in opt.param_groups])
    return {'name': name, 'scheduler': kind, 'lrs': lrs, 'options': options, 'metrics': metrics, 'sequence': seq}


def plateau_metrics():
    # improves, stalls (patience runs out), improves by less than the threshold, stalls through
    # cooldown, and keeps stalling until min_lr stops the decay
    m = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6]
    m += [0.6] * 15
    return m


SCHEDULERS = [
    ('steplr', 'StepLR', [0.1, 0.01], dict(stepSize=3, gamma=0.5), None),
    ('steplr_default_gamma', 'StepLR', [1.0], dict(stepSize=7), None),
    ('cosine_restart', 'CosineAnnealingLR', [0.1, 0.05], dict(tMax=10, etaMin=0.001), None),
    ('cosine_default_eta', 'CosineAnnealingLR', [0.5], dict(tMax=7), None),
    ('plateau_min_rel', 'ReduceLROnPlateau', [0.1, 0.05],
     dict(mode='min', factor=0.5, patience=2, cooldown=2, minLr=0.01), plateau_metrics()),
    ('plateau_defaults', 'ReduceLROnPlateau', [0.1], dict(), [1.0] * 30),
    ('plateau_max_abs', 'ReduceLROnPlateau', [1.0],
     dict(mode='max', factor=0.3, patience=1, threshold=0.05, thresholdMode='abs', cooldown=1, minLr=0.05, eps=1e-3),
     [0.1, 0.2, 0.22, 0.24, 0.3, 0.3, 0.31, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.5,
      0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
    ('plateau_max_rel_eps', 'ReduceLROnPlateau', [0.001],
     dict(mode='max', factor=0.9, patience=0, eps=5e-5),
     [float(i % 3) for i in range(30)]),
]


def error_case(name, cls, options, groups=None):
    p = torch.zeros(2, requires_grad=True)
    try:
        if groups is None:
            CLASSES[cls]([p], **options)
        else:
            CLASSES[cls]([dict(g, params=[p]) for g in groups], **options)
    except (ValueError, TypeError) as e:
        return {'name': name, 'optimizer': cls, 'options': camel_options(options),
                'groups': None if groups is None else [camel_options(g) for g in groups], 'message': str(e)}
    raise AssertionError(f'{name}: PyTorch accepted {options}')


ERRORS = [
    error_case('sgd_negative_lr', 'SGD', dict(lr=-0.1)),
    error_case('sgd_negative_momentum', 'SGD', dict(lr=0.1, momentum=-0.5)),
    error_case('sgd_negative_weight_decay', 'SGD', dict(lr=0.1, weight_decay=-0.25)),
    error_case('sgd_nesterov_without_momentum', 'SGD', dict(lr=0.1, nesterov=True)),
    error_case('sgd_nesterov_with_dampening', 'SGD', dict(lr=0.1, momentum=0.9, dampening=0.5, nesterov=True)),
    error_case('sgd_missing_lr', 'SGD', dict()),
    error_case('sgd_missing_lr_in_group', 'SGD', dict(), groups=[dict(momentum=0.9)]),
    error_case('adam_negative_lr', 'Adam', dict(lr=-0.5)),
    error_case('adam_negative_eps', 'Adam', dict(eps=-0.5)),
    error_case('adam_beta0_too_big', 'Adam', dict(betas=(1.5, 0.999))),
    error_case('adam_beta1_negative', 'Adam', dict(betas=(0.9, -0.5))),
    error_case('adam_negative_weight_decay', 'Adam', dict(weight_decay=-0.5)),
    error_case('adamw_negative_lr', 'AdamW', dict(lr=-0.5)),
    error_case('adamw_beta1_too_big', 'AdamW', dict(betas=(0.9, 1.5))),
    error_case('adamw_negative_weight_decay', 'AdamW', dict(weight_decay=-0.5)),
    error_case('rmsprop_negative_lr', 'RMSprop', dict(lr=-0.5)),
    error_case('rmsprop_negative_eps', 'RMSprop', dict(eps=-0.5)),
    error_case('rmsprop_negative_momentum', 'RMSprop', dict(momentum=-0.5)),
    error_case('rmsprop_negative_weight_decay', 'RMSprop', dict(weight_decay=-0.5)),
    error_case('rmsprop_negative_alpha', 'RMSprop', dict(alpha=-0.5)),
]


def structural_errors():
    p, q = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
    out = {}

    def msg(fn):
        try:
            fn()
        except (ValueError, TypeError) as e:
            return str(e)
        raise AssertionError('PyTorch accepted it')

    out['emptyParams'] = msg(lambda: torch.optim.SGD([], lr=0.1))
    out['duplicateAcrossGroups'] = msg(lambda: torch.optim.SGD([dict(params=[p]), dict(params=[q, p])], lr=0.1))
    out['nonLeaf'] = msg(lambda: torch.optim.SGD([p * 2], lr=0.1))
    one = torch.optim.SGD([p, q], lr=0.1)
    two = torch.optim.SGD([dict(params=[p]), dict(params=[q])], lr=0.1)
    out['groupCount'] = msg(lambda: one.load_state_dict(two.state_dict()))
    other = torch.optim.SGD([p], lr=0.1)
    out['groupSize'] = msg(lambda: one.load_state_dict(other.state_dict()))
    opt = torch.optim.SGD([p], lr=0.1)
    out['plateauFactor'] = msg(lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=1.0))
    out['plateauMode'] = msg(lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode='middle'))
    out['plateauThresholdMode'] = msg(lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, threshold_mode='ratio'))
    out['plateauMinLrCount'] = msg(lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1, 0.2]))
    return out


def main():
    torch.set_num_threads(1)
    data = {
        'torch': torch.__version__,
        'trajectories': [trajectory(f'{name}_{d}', cls, d, opts, groups)
                         for name, cls, opts, groups in CASES for d in DTYPES],
        'schedulers': [scheduler_sequence(*s[:4], metrics=s[4]) for s in SCHEDULERS],
        'errors': ERRORS,
        'structuralErrors': structural_errors(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT}: {len(data["trajectories"])} trajectories, {len(data["schedulers"])} schedulers, '
          f'{len(data["errors"])} errors')


if __name__ == '__main__':
    main()
