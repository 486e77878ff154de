#!/usr/bin/env python3
"""20 SGD steps of an LSTM and a GRU sequence classifier in PyTorch, as a fixture for Logit.

Each model is a 2-layer recurrent network (batch_first, dropout 0) reading [batch, seq, 5]
features, and a Linear(16 -> 4) head on every step's output; the loss is CrossEntropyLoss over
every (batch, step) position against the class whose feature has the largest running sum so far
(a task a recurrent net can learn); the optimizer is SGD(lr 0.3, momentum 0.9). Every step takes
a new batch.

Writes packages/core/test/fixtures/rnn-sgd.safetensors (written by PyTorch's safetensors):
  lstm.rnn.*, lstm.head.*, gru.rnn.*, gru.head.*   the initial weights (PyTorch's names), F32
  inputs    [20, 4, 9, 5] F32      one batch per step
  targets   [20, 4, 9] I64         class indices
  losses.lstm, losses.gru [20] F64 the float32 loss of each step, before its update

Run: /work/.venv-torch/bin/python tools/goldens/rnn_sgd.py   (any torch 2.x; the file records the version)
"""
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'test', 'fixtures', 'rnn-sgd.safetensors')
STEPS, BATCH, SEQ, FEATURES, HIDDEN, CLASSES = 20, 4, 9, 5, 16, 4
LR, MOMENTUM = 0.3, 0.9


class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.rnn = getattr(nn, kind)(FEATURES, HIDDEN, num_layers=2, batch_first=True, dropout=0.0)
        self.head = nn.Linear(HIDDEN, CLASSES)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out)


def train(kind, inputs, targets):
    torch.manual_seed({'LSTM': 1, 'GRU': 2}[kind])
    net = Net(kind)
    initial = {f'{kind.lower()}.{k}': v.detach().clone() for k, v in net.state_dict().items()}
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for step in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(net(inputs[step]).reshape(-1, CLASSES), targets[step].reshape(-1))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return initial, torch.tensor(losses, dtype=torch.float64)


def main():
    g = torch.Generator().manual_seed(2025)
    inputs = torch.randn(STEPS, BATCH, SEQ, FEATURES, generator=g)
    # a learnable task: the class at step t is the argmax of the running sum of the first features
    targets = inputs[..., :CLASSES].cumsum(dim=2).argmax(dim=-1)
    tensors = {'inputs': inputs, 'targets': targets}
    for kind in ('LSTM', 'GRU'):
        initial, losses = train(kind, inputs, targets)
        tensors.update(initial)
        tensors[f'losses.{kind.lower()}'] = losses
        print(kind, 'first and last loss', losses[0].item(), losses[-1].item())
    save_file({k: v.contiguous() for k, v in tensors.items()}, OUT, metadata={'torch': torch.__version__})
    print('wrote', os.path.relpath(OUT))


if __name__ == '__main__':
    main()
