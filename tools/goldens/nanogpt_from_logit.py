#!/work/.venv-torch/bin/python
"""Checks that a nanoGPT model trained in Logit loads into the PyTorch module strictly and computes
the same thing there (issue 11), and records PyTorch's outputs for Logit's test.

Reads (written by `cd examples && npx tsx test/write-logit-fixture.ts`)
  examples/test/fixtures/nanogpt-logit-trained.safetensors  Logit's state dict (both names of the
                                                            tied weight), the config in the metadata
  examples/test/fixtures/nanogpt-logit-probe.safetensors    x, y and the logits and loss Logit computed
Checks, failing loudly otherwise
  - GPT(config).load_state_dict(weights, strict=True) reports no missing and no unexpected key
  - the file's two names of the tied weight hold the same values, and after loading lm_head.weight
    and transformer.wte.weight are still one Parameter
  - PyTorch's logits and loss on the probe batch equal Logit's within float32 rounding
Writes
  examples/test/goldens/nanogpt-from-logit.json  torch version, PyTorch's probe logits and loss, the
                                                 largest differences found

Run: /work/.venv-torch/bin/python tools/goldens/nanogpt_from_logit.py
"""
import json
import os
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nanogpt import EXAMPLES, FIXTURES, GPT  # noqa: E402

OUT = os.path.join(EXAMPLES, 'test', 'goldens', 'nanogpt-from-logit.json')
WEIGHTS = os.path.join(FIXTURES, 'nanogpt-logit-trained.safetensors')
PROBE = os.path.join(FIXTURES, 'nanogpt-logit-probe.safetensors')
TOLERANCE = 1e-5  # float32 logits of size ~5: a few ulps after different summation orders


def main():
    with safe_open(WEIGHTS, 'pt') as f:
        meta = json.loads(f.metadata()['config'])
    config = dict(block_size=meta['blockSize'], vocab_size=meta['vocabSize'], n_layer=meta['nLayer'], n_head=meta['nHead'],
                  n_embd=meta['nEmbd'], dropout=meta['dropout'], bias=meta['bias'])
    state = load_file(WEIGHTS)
    assert torch.equal(state['lm_head.weight'], state['transformer.wte.weight']), 'the tied weight differs between its two names'

    model = GPT(config)
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys, result
    assert model.lm_head.weight is model.transformer.wte.weight, 'loading untied lm_head and wte'
    assert list(state.keys()) != [] and set(state.keys()) == set(model.state_dict().keys())

    probe = load_file(PROBE)
    model.eval()
    with torch.no_grad():
        logits, loss = model(probe['x'].long(), probe['y'].long())
    logit_diff = (logits - probe['logits']).abs().max().item()
    loss_diff = abs(loss.item() - probe['loss'].item())
    assert logit_diff <= TOLERANCE and loss_diff <= TOLERANCE, (logit_diff, loss_diff)

    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'config': config, 'strict': {'missing': result.missing_keys, 'unexpected': result.unexpected_keys},
                   'maxLogitDifference': logit_diff, 'lossDifference': loss_diff,
                   'logits': logits.reshape(-1).tolist(), 'loss': loss.item()}, f, indent=1)
    print(f'loaded strictly ({len(state)} keys, tied weight shared); PyTorch vs Logit on the probe: logits within {logit_diff:.2e}, loss within {loss_diff:.2e}')


if __name__ == '__main__':
    main()
