"""Golden values for Logit's second round of optim, from PyTorch 2.x (the version is recorded in
the file): Adagrad and Adadelta trajectories, a recheck of SGD/Adam/AdamW/RMSprop under this
PyTorch, the lr (and momentum) sequence of every lr scheduler, nn.utils.clip_grad_norm_ and
clip_grad_value_, and the error messages of the new classes.

Run with the python that has torch 2.x:
    /work/.venv-torch/bin/python tools/goldens/optim2.py
Writes packages/core/test/goldens/optim2.json.

Trajectories follow tools/goldens/optim.py: three parameters of shapes [3], [2, 3] and [] (0-d),
six steps of fixed gradients (a different scale per step), the third parameter without a
gradient at steps 0 and 3. Options and state keys are written in Logit's camelCase.

Scheduler sequences: an SGD (or Adam) optimizer with one or two groups, the lrs right after the
scheduler(s) are built, then after each epoch (optimizer.step() then scheduler.step()). Lambdas
are named here and in the test (LAMBDAS), since a function cannot travel in JSON.
"""
import json
import math
import os

import torch
from torch.optim import lr_scheduler as S

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'packages', 'core', 'test', 'goldens', 'optim2.json')

SHAPES = [[3], [2, 3], []]
STEPS = 6
GRAD_SCALES = [1.0, 0.1, 2.0, 0.01, 1.0, 0.5]
NO_GRAD = {(2, 0), (2, 3)}
DTYPES = {'float32': torch.float32, 'float64': torch.float64}

CLASSES = {
    'SGD': torch.optim.SGD,
    'Adam': torch.optim.Adam,
    'AdamW': torch.optim.AdamW,
    'RMSprop': torch.optim.RMSprop,
    'Adagrad': torch.optim.Adagrad,
    'Adadelta': torch.optim.Adadelta,
}

CAMEL = {
    'weight_decay': 'weightDecay', 'lr_decay': 'lrDecay', 'initial_accumulator_value': 'initialAccumulatorValue',
    'momentum_buffer': 'momentumBuffer', 'exp_avg': 'expAvg', 'exp_avg_sq': 'expAvgSq',
    'max_exp_avg_sq': 'maxExpAvgSq', 'square_avg': 'squareAvg', 'grad_avg': 'gradAvg',
    'acc_delta': 'accDelta', 'sum': 'sum', 'step': 'step', 'initial_lr': 'initialLr',
    'max_lr': 'maxLr', 'min_lr': 'minLr', 'max_momentum': 'maxMomentum', 'base_momentum': 'baseMomentum',
}
SNAKE = {v: k for k, v in CAMEL.items()}
# group keys PyTorch keeps that Logit has no use for
SKIP_GROUP_KEYS = {'foreach', 'differentiable', 'capturable', 'fused', 'params', 'decoupled_weight_decay'}


def num(x):
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


def snake_options(opts):
    return {SNAKE.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}


def value_json(v, key=None):
    if v is None:
        return None
    if isinstance(v, torch.Tensor):
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
    gen = torch.Generator().manual_seed(4321)
    params = [torch.randn(s, generator=gen, dtype=torch.float64).to(dtype).requires_grad_() for s in SHAPES]
    grads = []
    for step in range(STEPS):
        row = []
        for i, s in enumerate(SHAPES):
            g = (torch.randn(s, generator=gen, dtype=torch.float64) * GRAD_SCALES[step]).to(dtype)
            row.append(None if (i, step) in NO_GRAD else g)
        grads.append(row)
    initial = [flat(p) for p in params]
    kw = snake_options(options)
    if groups is None:
        opt = CLASSES[cls](params, **kw)
    else:
        opt = CLASSES[cls]([dict(snake_options(g), params=[params[i] for i in g['params']]) for g in groups], **kw)
    # the state right after construction (Adagrad fills it eagerly)
    initial_state = state_dict_json(opt.state_dict())
    traj = []
    for row in grads:
        for p, g in zip(params, row):
            p.grad = None if g is None else g.clone()
        opt.step()
        traj.append([flat(p) for p in params])
    return {
        'name': name, 'optimizer': cls, 'dtype': dtype_name, 'options': options, 'groups': groups,
        'shapes': SHAPES, 'initial': initial,
        'grads': [[None if g is None else flat(g) for g in row] for row in grads],
        'trajectory': traj,
        'initialStateDict': initial_state,
        'stateDict': state_dict_json(opt.state_dict()),
    }


CASES = [
    ('adagrad_default', 'Adagrad', dict(), None),
    ('adagrad_lr_decay', 'Adagrad', dict(lr=0.1, lrDecay=0.05), None),
    ('adagrad_wd_initial_acc', 'Adagrad', dict(lr=0.05, weightDecay=0.1, initialAccumulatorValue=0.5), None),
    ('adagrad_eps_maximize', 'Adagrad', dict(lr=0.2, eps=1e-3, maximize=True, lrDecay=0.1), None),
    ('adagrad_groups', 'Adagrad', dict(lr=0.01, initialAccumulatorValue=0.1),
     [dict(params=[0], lr=0.3, lrDecay=0.2), dict(params=[1, 2], weightDecay=0.5, eps=1e-6)]),
    ('adadelta_default', 'Adadelta', dict(), None),
    ('adadelta_lr_rho', 'Adadelta', dict(lr=0.5, rho=0.8), None),
    ('adadelta_eps_wd', 'Adadelta', dict(eps=1e-3, weightDecay=0.1), None),
    ('adadelta_maximize_rho1', 'Adadelta', dict(lr=2.0, rho=1.0, maximize=True), None),
    ('adadelta_maximize_rho0', 'Adadelta', dict(rho=0.0, maximize=True, weightDecay=0.2), None),
    ('adadelta_groups', 'Adadelta', dict(lr=1.0),
     [dict(params=[0, 2], rho=0.5), dict(params=[1], lr=0.1, eps=1e-4, weightDecay=0.3)]),
    # the optimizers of the first round, rechecked under this PyTorch
    ('recheck_sgd_nesterov_wd', 'SGD', dict(lr=0.1, momentum=0.9, nesterov=True, weightDecay=0.05), None),
    ('recheck_adam_amsgrad_wd_maximize', 'Adam', dict(lr=0.02, betas=[0.8, 0.9], eps=1e-3, weightDecay=0.2, amsgrad=True, maximize=True), None),
    ('recheck_adam_default', 'Adam', dict(), None),
    ('recheck_adamw_amsgrad', 'AdamW', dict(lr=0.05, weightDecay=0.3, amsgrad=True), None),
    ('recheck_adamw_default', 'AdamW', dict(), None),
    ('recheck_rmsprop_centered_momentum_wd', 'RMSprop', dict(lr=0.02, alpha=0.9, eps=1e-4, centered=True, momentum=0.5, weightDecay=0.1), None),
]

# ---- lr schedulers --------------------------------------------------------------------------

LAMBDAS = {
    'warmup5': lambda e: min(1.0, (e + 1) / 5),
    'decay95': lambda e: 0.95 ** e,
    'halfEvery3': lambda e: 0.5 ** (e // 3),
    'const09': lambda e: 0.9,
    'alternate': lambda e: 1.0 if e % 2 else 0.5,
}


def make_optimizer(kind, lrs, extra=None):
    ps = [torch.zeros(2, requires_grad=True) for _ in lrs]
    extra = extra or {}
    groups = [dict(params=[p], lr=lr) for p, lr in zip(ps, lrs)]
    if kind == 'SGD':
        return torch.optim.SGD(groups, lr=lrs[0], **snake_options(extra))
    return CLASSES[kind](groups, **snake_options(extra))


def build_scheduler(opt, spec):
    kind, o = spec['kind'], dict(spec.get('options', {}))
    kw = {SCHED_KW.get(k, k): v for k, v in o.items() if k not in ('lrLambda',)}
    if 'lrLambda' in o:
        lam = o['lrLambda']
        kw['lr_lambda'] = [LAMBDAS[n] for n in lam] if isinstance(lam, list) else LAMBDAS[lam]
    if kind == 'SequentialLR':
        subs = [build_scheduler(opt, s) for s in spec['schedulers']]
        return S.SequentialLR(opt, subs, milestones=o['milestones'], **({'last_epoch': o['lastEpoch']} if 'lastEpoch' in o else {}))
    return getattr(S, kind)(opt, **kw)


SCHED_KW = {
    'stepSize': 'step_size', 'gamma': 'gamma', 'lastEpoch': 'last_epoch', 'tMax': 'T_max', 'etaMin': 'eta_min',
    'startFactor': 'start_factor', 'endFactor': 'end_factor', 'totalIters': 'total_iters', 'milestones': 'milestones',
    'maxLr': 'max_lr', 'totalSteps': 'total_steps', 'epochs': 'epochs', 'stepsPerEpoch': 'steps_per_epoch',
    'pctStart': 'pct_start', 'annealStrategy': 'anneal_strategy', 'cycleMomentum': 'cycle_momentum',
    'baseMomentum': 'base_momentum', 'maxMomentum': 'max_momentum', 'divFactor': 'div_factor',
    'finalDivFactor': 'final_div_factor', 'threePhase': 'three_phase', 'mode': 'mode', 'factor': 'factor',
    'patience': 'patience', 'threshold': 'threshold', 'thresholdMode': 'threshold_mode', 'cooldown': 'cooldown',
    'minLr': 'min_lr', 'eps': 'eps',
}


def momentum_of(opt):
    out = []
    for g in opt.param_groups:
        if 'betas' in g:
            out.append(num(g['betas'][0]))
        elif 'momentum' in g:
            out.append(num(g['momentum']))
    return out


def scheduler_case(name, spec, lrs, epochs=30, optimizer='SGD', optimizer_options=None, metrics=None, initial_lr=None):
    opt = make_optimizer(optimizer, lrs, optimizer_options)
    if initial_lr is not None:
        for g, lr in zip(opt.param_groups, initial_lr):
            g['initial_lr'] = lr
    sched = build_scheduler(opt, spec)
    lr_seq = [[num(g['lr']) for g in opt.param_groups]]
    last = [[num(v) for v in sched.get_last_lr()]]
    mom = [momentum_of(opt)]
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        lr_seq.append([num(g['lr']) for g in opt.param_groups])
        last.append([num(v) for v in sched.get_last_lr()])
        mom.append(momentum_of(opt))
    return {
        'name': name, 'spec': spec, 'lrs': lrs, 'optimizer': optimizer, 'optimizerOptions': optimizer_options or {},
        'initialLr': initial_lr, 'metrics': None if metrics is None else [num(m) for m in metrics], 'lr': lr_seq, 'lastLr': last,
        'momentum': mom if any(mom) else None,
    }


def plateau_metrics():
    m = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6]
    return m + [0.6] * 15


def sp(kind, **options):
    return {'kind': kind, 'options': options}


SCHEDULERS = [
    # the first round's schedulers, rechecked under this PyTorch
    scheduler_case('steplr', sp('StepLR', stepSize=3, gamma=0.5), [0.1, 0.01]),
    scheduler_case('steplr_resume', sp('StepLR', stepSize=3, gamma=0.5, lastEpoch=4), [0.1], initial_lr=[0.4]),
    scheduler_case('cosine_restart', sp('CosineAnnealingLR', tMax=10, etaMin=0.001), [0.1, 0.05], epochs=45),
    scheduler_case('cosine_default_eta', sp('CosineAnnealingLR', tMax=7), [0.5]),
    scheduler_case('cosine_resume', sp('CosineAnnealingLR', tMax=10, etaMin=0.01, lastEpoch=4), [0.15], initial_lr=[0.2]),
    scheduler_case('plateau_min_rel', sp('ReduceLROnPlateau', mode='min', factor=0.5, patience=2, cooldown=2, minLr=0.01),
                   [0.1, 0.05], metrics=plateau_metrics()),
    scheduler_case('plateau_max_abs', sp('ReduceLROnPlateau', mode='max', factor=0.3, patience=1, threshold=0.05,
                                         thresholdMode='abs', cooldown=1, minLr=[0.05, 0.2], eps=1e-3),
                   [1.0, 0.5], metrics=[0.1, 0.2, 0.22, 0.24, 0.3, 0.3, 0.31, 0.4, 0.4, 0.4] + [0.4] * 20),
    scheduler_case('plateau_nan_metric', sp('ReduceLROnPlateau', patience=1), [0.1],
                   metrics=[1.0, float('nan'), float('nan'), 0.5, float('nan'), float('nan'), float('nan')] + [0.5] * 23),
    # new
    scheduler_case('lambda_warmup', sp('LambdaLR', lrLambda='warmup5'), [0.1, 0.02]),
    scheduler_case('lambda_per_group', sp('LambdaLR', lrLambda=['decay95', 'halfEvery3']), [0.1, 0.3]),
    scheduler_case('lambda_resume', sp('LambdaLR', lrLambda='decay95', lastEpoch=6), [0.05], initial_lr=[0.1]),
    scheduler_case('multiplicative', sp('MultiplicativeLR', lrLambda='const09'), [0.1, 0.01]),
    scheduler_case('multiplicative_per_group', sp('MultiplicativeLR', lrLambda=['alternate', 'decay95']), [1.0, 0.5]),
    scheduler_case('linear_default', sp('LinearLR'), [0.1, 0.03]),
    scheduler_case('linear_decreasing', sp('LinearLR', startFactor=1.0, endFactor=0.1, totalIters=7), [0.5]),
    scheduler_case('linear_to_zero', sp('LinearLR', startFactor=0.5, endFactor=0.0, totalIters=4), [0.2]),
    scheduler_case('linear_resume', sp('LinearLR', startFactor=0.25, totalIters=8, lastEpoch=3), [0.05], initial_lr=[0.1]),
    scheduler_case('exponential', sp('ExponentialLR', gamma=0.9), [0.1, 0.5]),
    scheduler_case('exponential_resume', sp('ExponentialLR', gamma=0.8, lastEpoch=2), [0.064], initial_lr=[0.1]),
    scheduler_case('multistep_repeated', sp('MultiStepLR', milestones=[3, 7, 7, 12], gamma=0.5), [0.1, 0.02]),
    scheduler_case('multistep_default_gamma', sp('MultiStepLR', milestones=[2, 20]), [1.0]),
    scheduler_case('onecycle_sgd_cos', sp('OneCycleLR', maxLr=0.1, totalSteps=30), [0.05, 0.01],
                   optimizer_options=dict(momentum=0.9)),
    scheduler_case('onecycle_adam_linear_groups', sp('OneCycleLR', maxLr=[0.01, 0.05], epochs=5, stepsPerEpoch=6,
                                                     annealStrategy='linear', pctStart=0.25, baseMomentum=0.8,
                                                     maxMomentum=[0.9, 0.95], divFactor=10.0, finalDivFactor=100.0),
                   [0.001, 0.001], optimizer='Adam'),
    scheduler_case('onecycle_three_phase', sp('OneCycleLR', maxLr=1.0, totalSteps=30, threePhase=True, pctStart=0.2),
                   [0.1], optimizer_options=dict(momentum=0.5)),
    scheduler_case('onecycle_no_momentum', sp('OneCycleLR', maxLr=0.5, totalSteps=20, cycleMomentum=False), [0.1],
                   epochs=20, optimizer='Adagrad'),
    scheduler_case('onecycle_sgd_zero_momentum', sp('OneCycleLR', maxLr=0.2, totalSteps=12), [0.1], epochs=12),
    scheduler_case('sequential_warmup_cosine', {
        'kind': 'SequentialLR', 'options': {'milestones': [5]},
        'schedulers': [sp('LinearLR', startFactor=0.01, totalIters=5), sp('CosineAnnealingLR', tMax=25, etaMin=1e-4)],
    }, [6e-4, 3e-4]),
    scheduler_case('sequential_three', {
        'kind': 'SequentialLR', 'options': {'milestones': [3, 8]},
        'schedulers': [sp('LinearLR', startFactor=0.5, totalIters=3), sp('ExponentialLR', gamma=0.9),
                       sp('StepLR', stepSize=4, gamma=0.5)],
    }, [0.1]),
    scheduler_case('sequential_multiplicative_lambda', {
        'kind': 'SequentialLR', 'options': {'milestones': [2, 6]},
        'schedulers': [sp('MultiplicativeLR', lrLambda='const09'), sp('LambdaLR', lrLambda='halfEvery3'),
                       sp('MultiplicativeLR', lrLambda='alternate')],
    }, [0.2, 0.1]),
    scheduler_case('sequential_multistep_cosine_early', {
        'kind': 'SequentialLR', 'options': {'milestones': [1]},
        'schedulers': [sp('MultiStepLR', milestones=[0, 1], gamma=0.5), sp('CosineAnnealingLR', tMax=4)],
    }, [0.3], epochs=12),
]

# ---- clip_grad_norm_ / clip_grad_value_ ------------------------------------------------------

CLIP_SHAPES = [[3], [2, 3], [], [4]]


def clip_grads(kind, dtype):
    gen = torch.Generator().manual_seed(99)
    gs = [torch.randn(s, generator=gen, dtype=torch.float64).to(dtype) for s in CLIP_SHAPES]
    if kind == 'zeros':
        gs = [torch.zeros_like(g) for g in gs]
    elif kind == 'nan':
        gs[1][0, 2] = float('nan')
    elif kind == 'inf':
        gs[0][1] = float('-inf')
    elif kind == 'small':
        gs = [g * 1e-3 for g in gs]
    # the last parameter has no gradient
    return [gs[0], gs[1], gs[2], None]


def clip_case(name, dtype_name, max_norm, norm_type, grads_kind='random', single=False):
    dtype = DTYPES[dtype_name]
    grads = clip_grads(grads_kind, dtype)
    params = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in CLIP_SHAPES]
    for p, g in zip(params, grads):
        p.grad = None if g is None else g.clone()
    target = params[1] if single else params
    total = torch.nn.utils.clip_grad_norm_(target, max_norm, norm_type=norm_type)
    return {
        'name': name, 'dtype': dtype_name, 'maxNorm': max_norm, 'normType': num(norm_type), 'single': single,
        'shapes': CLIP_SHAPES, 'grads': [None if g is None else flat(g) for g in grads],
        'totalNorm': num(total.item()), 'totalDtype': str(total.dtype).replace('torch.', ''),
        'clipped': [None if p.grad is None else flat(p.grad) for p in params],
    }


def clip_cases():
    out = []
    for d in DTYPES:
        for nt in [2.0, 1.0, float('inf'), float('-inf'), 0.0, 3.0, 0.5]:
            out.append(clip_case(f'norm{num(nt)}_clips_{d}', d, 0.5, nt))
            out.append(clip_case(f'norm{num(nt)}_no_clip_{d}', d, 1e3, nt))
        out.append(clip_case(f'zeros_{d}', d, 1.0, 2.0, 'zeros'))
        out.append(clip_case(f'zeros_inf_{d}', d, 1.0, float('inf'), 'zeros'))
        out.append(clip_case(f'nan_{d}', d, 1.0, 2.0, 'nan'))
        out.append(clip_case(f'nan_inf_norm_{d}', d, 1.0, float('inf'), 'nan'))
        out.append(clip_case(f'inf_{d}', d, 1.0, 2.0, 'inf'))
        out.append(clip_case(f'inf_norm1_{d}', d, 1.0, 1.0, 'inf'))
        out.append(clip_case(f'small_{d}', d, 1.0, 2.0, 'small'))
        out.append(clip_case(f'single_tensor_{d}', d, 0.1, 2.0, single=True))
        out.append(clip_case(f'max_norm_zero_{d}', d, 0.0, 2.0))
    return out


def clip_value_cases():
    out = []
    for d, dtype in DTYPES.items():
        for kind, cv in [('random', 0.5), ('nan', 0.3), ('inf', 1.0), ('random', 0.0)]:
            grads = clip_grads(kind, dtype)
            params = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in CLIP_SHAPES]
            for p, g in zip(params, grads):
                p.grad = None if g is None else g.clone()
            torch.nn.utils.clip_grad_value_(params, cv)
            out.append({'name': f'{kind}_{cv}_{d}', 'dtype': d, 'clipValue': cv, 'shapes': CLIP_SHAPES,
                        'grads': [None if g is None else flat(g) for g in grads],
                        'clipped': [None if p.grad is None else flat(p.grad) for p in params]})
    return out


# ---- cos -------------------------------------------------------------------------------------

def cos_samples():
    """math.cos (the platform libm, correctly rounded in practice) at the arguments the cosine
    schedules produce (pi * t / T, pi * pct) and at random points, for Logit's correctly rounded cos."""
    xs = []
    for T in [3, 7, 10, 14, 25, 100, 900, 4096]:
        xs += [math.pi * t / T for t in range(0, 4 * T + 1, max(1, T // 50))]
        xs += [(t * math.pi) / T for t in range(0, 4 * T + 1, max(1, T // 50))]
        xs += [math.pi / T]
    xs += [math.pi * ((s - 5.0) / (19 - 5.0)) for s in range(5, 21)]
    gen = torch.Generator().manual_seed(7)
    rand = (torch.rand(2000, generator=gen, dtype=torch.float64) * 200 - 100).tolist()
    rand += (torch.rand(200, generator=gen, dtype=torch.float64) * 2e6 - 1e6).tolist()
    return {'schedule': [[x, math.cos(x)] for x in xs], 'random': [[x, math.cos(x)] for x in rand]}


# ---- errors -----------------------------------------------------------------------------------

def msg(fn):
    try:
        fn()
    except (ValueError, TypeError, RuntimeError, KeyError) as e:
        return str(e)
    raise AssertionError('PyTorch accepted it')


def errors():
    p = torch.zeros(2, requires_grad=True)

    def opt_err(cls, **kw):
        return msg(lambda: CLASSES[cls]([p], **kw))

    sgd = torch.optim.SGD([p], lr=0.1)
    adagrad = torch.optim.Adagrad([p])
    out = {
        'adagradLr': opt_err('Adagrad', lr=-0.1),
        'adagradLrDecay': opt_err('Adagrad', lr_decay=-0.5),
        'adagradWeightDecay': opt_err('Adagrad', weight_decay=-0.5),
        'adagradInitialAccumulator': opt_err('Adagrad', initial_accumulator_value=-1.0),
        'adagradEps': opt_err('Adagrad', eps=-1e-3),
        'adadeltaLr': opt_err('Adadelta', lr=-1.0),
        'adadeltaRho': opt_err('Adadelta', rho=1.5),
        'adadeltaRhoNegative': opt_err('Adadelta', rho=-0.1),
        'adadeltaEps': opt_err('Adadelta', eps=-1e-3),
        'adadeltaWeightDecay': opt_err('Adadelta', weight_decay=-0.5),
        'linearStart': msg(lambda: S.LinearLR(sgd, start_factor=0.0)),
        'linearEnd': msg(lambda: S.LinearLR(sgd, end_factor=1.5)),
        'lambdaCount': msg(lambda: S.LambdaLR(sgd, lr_lambda=[LAMBDAS['decay95']] * 2)),
        'multiplicativeCount': msg(lambda: S.MultiplicativeLR(sgd, lr_lambda=[LAMBDAS['decay95']] * 3)),
        'sequentialMilestones': msg(lambda: S.SequentialLR(sgd, [S.ExponentialLR(sgd, 0.9), S.ExponentialLR(sgd, 0.8)], milestones=[])),
        'sequentialEmpty': msg(lambda: S.SequentialLR(sgd, [], milestones=[])),
        'sequentialPlateau': msg(lambda: S.SequentialLR(sgd, [S.ReduceLROnPlateau(sgd), S.ExponentialLR(sgd, 0.9)], milestones=[2])),
        'sequentialOtherOptimizer': msg(lambda: S.SequentialLR(sgd, [S.ExponentialLR(adagrad, 0.9)], milestones=[])),
        'oneCycleTotal': msg(lambda: S.OneCycleLR(sgd, max_lr=0.1)),
        'oneCycleTotalSteps': msg(lambda: S.OneCycleLR(sgd, max_lr=0.1, total_steps=0)),
        'oneCycleEpochs': msg(lambda: S.OneCycleLR(sgd, max_lr=0.1, epochs=0, steps_per_epoch=3)),
        'oneCycleStepsPerEpoch': msg(lambda: S.OneCycleLR(sgd, max_lr=0.1, epochs=2, steps_per_epoch=-1)),
        'oneCyclePct': msg(lambda: S.OneCycleLR(sgd, max_lr=0.1, total_steps=10, pct_start=1.5)),
        'oneCycleAnneal': msg(lambda: S.OneCycleLR(sgd, max_lr=0.1, total_steps=10, anneal_strategy='exp')),
        'oneCycleMaxLrCount': msg(lambda: S.OneCycleLR(sgd, max_lr=[0.1, 0.2], total_steps=10)),
        'oneCycleNoMomentum': msg(lambda: S.OneCycleLR(adagrad, max_lr=0.1, total_steps=10)),
    }
    one = S.OneCycleLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1), max_lr=0.1, total_steps=3)
    for _ in range(3):
        one.step()
    out['oneCyclePastEnd'] = msg(one.step)
    q = torch.zeros(2, requires_grad=True)
    q.grad = torch.tensor([float('nan'), 1.0])
    out['clipNonfinite'] = msg(lambda: torch.nn.utils.clip_grad_norm_([q], 1.0, error_if_nonfinite=True))
    q.grad = torch.tensor([float('inf'), 1.0])
    out['clipNonfiniteInfNorm'] = msg(lambda: torch.nn.utils.clip_grad_norm_([q], 1.0, norm_type='inf', error_if_nonfinite=True))
    return out


def main():
    torch.set_num_threads(1)
    data = {
        'torch': torch.__version__,
        'trajectories': [trajectory(f'{name}_{d}', cls, d, opts, groups) for name, cls, opts, groups in CASES for d in DTYPES],
        'schedulers': SCHEDULERS,
        'clipGradNorm': clip_cases(),
        'clipGradValue': clip_value_cases(),
        'errors': errors(),
        'cos': cos_samples(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT}: {len(data["trajectories"])} trajectories, {len(data["schedulers"])} schedulers, '
          f'{len(data["clipGradNorm"])} clip_grad_norm_, {len(data["clipGradValue"])} clip_grad_value_, '
          f'{len(data["errors"])} errors')


if __name__ == '__main__':
    main()
