#!/usr/bin/python3
"""safetensors interop between PyTorch 1.13 and Logit's io.save / io.load, both directions.

There is no `safetensors` Python package here, so the format is written and read with
struct + json + tensor bytes, following the spec: an 8-byte little-endian header length, a JSON
header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}, then the raw
little-endian bytes, which the tensors must cover contiguously.

1. PyTorch -> Logit. Writes
     packages/core/test/fixtures/torch-state.safetensors   (F32, F64, I64, I32, BOOL, F16, BF16,
                                                            a 0-d and an empty tensor)
     packages/core/test/goldens/io.json                    (the values Logit must load from it)
   test/io-torch.test.ts loads the file and compares.

2. Logit -> PyTorch. test/io-torch.test.ts builds a state dict, saves it with io.save and checks
   that the result equals the committed packages/core/test/fixtures/logit-state.safetensors byte
   for byte. This script reads that committed file back with torch and asserts every value
   (expected values are computed here, independently, from the same formulas).

Run (from the repo root):
    /usr/bin/python3 tools/goldens/io.py
After changing what the Logit side writes, refresh its fixture first, then run this script:
    cd packages/core && LOGIT_WRITE_FIXTURES=1 npx vitest run test/io-torch.test.ts && cd ../..
    /usr/bin/python3 tools/goldens/io.py
"""
import json
import math
import os
import struct

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
FIXTURES = os.path.join(ROOT, 'packages', 'core', 'test', 'fixtures')
GOLDEN = os.path.join(ROOT, 'packages', 'core', 'test', 'goldens', 'io.json')

# safetensors dtype names; the reference writer orders tensors by this enum, descending, then name
ST_ORDER = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64']
TO_ST = {torch.bool: 'BOOL', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int32: 'I32',
         torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}
FROM_ST = {v: k for k, v in TO_ST.items()}
# what each dtype becomes in Logit
LOGIT_DTYPE = {'BOOL': 'bool', 'F16': 'float32', 'BF16': 'float32', 'I32': 'int32', 'F32': 'float32',
               'F64': 'float64', 'I64': 'int32'}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: write its bits
        t = t.view(torch.int16)
    return t.numpy().astype(t.numpy().dtype.newbyteorder('<')).tobytes()


def write_safetensors(path, tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ST_ORDER.index(TO_ST[kv[1].dtype]), kv[0]))
    header, blobs, at = {}, [], 0
    if metadata is not None:
        header['__metadata__'] = metadata
    for name, t in items:
        b = raw_bytes(t)
        header[name] = {'dtype': TO_ST[t.dtype], 'shape': list(t.shape), 'data_offsets': [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    js = json.dumps(header, separators=(',', ':')).encode('utf-8')
    js += b' ' * (-len(js) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(js)) + js + b''.join(blobs))


def read_safetensors(path):
    """A strict reader: every check the spec asks of a loader, asserted."""
    with open(path, 'rb') as f:
        buf = f.read()
    assert len(buf) >= 8, 'file too short'
    (n,) = struct.unpack('<Q', buf[:8])
    assert 8 + n <= len(buf), 'header length past the end of the file'
    assert (8 + n) % 8 == 0, 'data region not 8-aligned'
    header = json.loads(buf[8:8 + n].decode('utf-8'))
    assert isinstance(header, dict)
    metadata = header.pop('__metadata__', None)
    data = buf[8 + n:]
    spans = sorted((info['data_offsets'][0], info['data_offsets'][1], name) for name, info in header.items())
    at = 0
    for begin, end, name in spans:
        assert begin == at, f'{name}: data not contiguous at byte {at}'
        at = end
    assert at == len(data), 'trailing bytes after the last tensor'
    out = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        dtype = FROM_ST[info['dtype']]
        itemsize = torch.empty((), dtype=dtype).element_size()
        assert begin % itemsize == 0, f'{name}: not aligned to its element size'
        assert end - begin == itemsize * math.prod(info['shape']), f'{name}: byte length does not match shape'
        chunk = bytearray(data[begin:end])  # writable copy for frombuffer
        flat = torch.frombuffer(chunk, dtype=dtype) if chunk else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(info['shape']).clone()
    return out, metadata


def num(v):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def torch_to_logit():
    g = torch.Generator().manual_seed(0)
    nan, inf = float('nan'), float('inf')
    tensors = {
        'fc.weight': torch.randn(3, 4, generator=g),
        'fc.bias': torch.tensor([nan, inf, -inf, -0.0, 1e-45, 3.4028234663852886e38], dtype=torch.float32),
        'double': torch.tensor([[1 / 3, -2.5e-300], [1e300, math.pi]], dtype=torch.float64),
        'labels': torch.tensor([0, 2, 1, -1, 2147483647, -2147483648], dtype=torch.int64),
        'counts': torch.tensor([[7, -3], [0, 123456789]], dtype=torch.int32),
        'mask': torch.tensor([[True, False, True], [False, False, True]]),
        'half': torch.tensor([1.0, -0.0, 2.0 ** -24, 65504.0, -inf, nan, 0.333251953125, 6.1e-5], dtype=torch.float16),
        'bhalf': torch.tensor([1.0, -3.140625, 1e-38, 3e38, -0.0], dtype=torch.bfloat16),
        'scalar': torch.tensor(2.5, dtype=torch.float32),
        'empty': torch.zeros(0, 3, dtype=torch.float32),
    }
    metadata = {'format': 'pt'}
    path = os.path.join(FIXTURES, 'torch-state.safetensors')
    write_safetensors(path, tensors, metadata)
    back, meta = read_safetensors(path)  # the writer agrees with the reader
    assert meta == metadata
    for k, t in tensors.items():
        assert torch.equal(back[k].view(-1).float().nan_to_num(0.5), t.view(-1).float().nan_to_num(0.5)), k
    golden = {'metadata': metadata, 'tensors': {}}
    for k, t in tensors.items():
        st = TO_ST[t.dtype]
        vals = t.reshape(-1).double().tolist() if t.is_floating_point() else t.reshape(-1).tolist()
        golden['tensors'][k] = {'stDtype': st, 'dtype': LOGIT_DTYPE[st], 'shape': list(t.shape),
                                'data': [num(v) if t.is_floating_point() else (bool(v) if t.dtype == torch.bool else int(v)) for v in vals]}
    with open(GOLDEN, 'w') as f:
        json.dump(golden, f, indent=1)
        f.write('\n')
    print('wrote', path, 'and', GOLDEN)


def expected_logit_state():
    """The same formulas as test/io-torch.test.ts's logitState(), computed here independently."""
    f32 = lambda xs, shape: torch.tensor(xs, dtype=torch.float64).to(torch.float32).reshape(shape)
    return {
        'layer.weight': f32([(i - 2.5) / 3 for i in range(6)], [2, 3]),
        'layer.bias': f32([-0.0, float('inf'), float('nan')], [3]),
        'double': torch.tensor([1 / 3, -2.5, 1e-300], dtype=torch.float64),
        'labels': torch.tensor([0, 3, -7, 2147483647], dtype=torch.int32),
        'mask': torch.tensor([[True, False], [False, True]]),
        'scalar': f32([42.5], []),
        'empty': torch.zeros(0, dtype=torch.float32),
    }, {'framework': 'logit'}


def logit_to_torch():
    path = os.path.join(FIXTURES, 'logit-state.safetensors')
    got, meta = read_safetensors(path)
    want, want_meta = expected_logit_state()
    assert meta == want_meta, meta
    assert set(got) == set(want), (sorted(got), sorted(want))
    for k, w in want.items():
        g = got[k]
        assert g.dtype == w.dtype and g.shape == w.shape, (k, g.dtype, g.shape, w.dtype, w.shape)
        if w.is_floating_point():
            torch.testing.assert_close(g, w, rtol=0, atol=0, equal_nan=True)
            assert torch.equal(torch.signbit(g), torch.signbit(w)), k  # -0.0 survives
        else:
            assert torch.equal(g, w), k
    print('verified', path, 'with torch', torch.__version__)


if __name__ == '__main__':
    torch_to_logit()
    logit_to_torch()
