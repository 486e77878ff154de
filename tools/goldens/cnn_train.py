#!/usr/bin/env python3
"""A small CNN with BatchNorm2d and ConvTranspose2d trained for 20 SGD steps in PyTorch 2.x: the
initial weights, the batch and the loss of every step, for Logit's training test (issue 12).

Writes
  packages/core/test/fixtures/cnn-train.safetensors  the model's state dict before training
                                                      (PyTorch's keys, BatchNorm buffers included),
                                                      plus `input` (8, 1, 8, 8) and `target` (8,)
  packages/core/test/goldens/cnn-train.json          torch version, hyperparameters, 20 losses
                                                      and the running stats after the last step
test/cnn-train.test.ts builds the same model in Logit, loads the file, trains the same way on
backend-cpu and compares every loss to 1e-4 relative.

Run: /work/.venv-torch/bin/python tools/goldens/cnn_train.py   (torch 2.x and safetensors)
"""
import json
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
FIXTURE = os.path.join(ROOT, 'packages', 'core', 'test', 'fixtures', 'cnn-train.safetensors')
GOLDEN = os.path.join(ROOT, 'packages', 'core', 'test', 'goldens', 'cnn-train.json')
STEPS, LR, MOMENTUM = 20, 0.01, 0.9


class Net(nn.Module):
    """Encoder (conv, batch norm, pool, strided conv), decoder (transposed conv, batch norm), classifier."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        h = self.pool(torch.relu(self.bn1(self.conv1(x))))  # (N, 4, 4, 4)
        h = torch.relu(self.conv2(h))  # (N, 8, 2, 2)
        h = torch.relu(self.bn2(self.up(h)))  # (N, 4, 4, 4)
        return self.fc(torch.flatten(h, 1))


def main():
    torch.manual_seed(12)
    model = Net()
    x = torch.randn(8, 1, 8, 8)
    target = torch.randint(0, 3, (8,))
    initial = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    save_file({**initial, 'input': x, 'target': target}, FIXTURE)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    buffers = {k: v.reshape(-1).tolist() for k, v in model.state_dict().items() if 'running' in k}
    with open(GOLDEN, 'w') as f:
        json.dump({'torch': torch.__version__, 'steps': STEPS, 'lr': LR, 'momentum': MOMENTUM, 'losses': losses,
                   'buffersAfter': buffers}, f, indent=1)
    print(f'wrote {os.path.relpath(FIXTURE)} and {os.path.relpath(GOLDEN)}: losses {losses[0]:.5f} -> {losses[-1]:.5f}')


if __name__ == '__main__':
    main()
