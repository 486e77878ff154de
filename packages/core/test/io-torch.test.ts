import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { type Tensor, io, memory, tensor } from '@logit/core';

// PyTorch <-> Logit through committed files; tools/goldens/io.py writes and checks the Python side.
const FIXTURES = join(import.meta.dirname, 'fixtures');
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'goldens', 'io.json'), 'utf8')) as {
  metadata: Record<string, string>;
  tensors: Record<string, { stDtype: string; dtype: string; shape: number[]; data: (number | string | boolean)[] }>;
};

function mem(): { tensors: number; storages: number; bytes: number } {
  const { tensors, storages, bytes } = memory();
  return { tensors, storages, bytes };
}

function decodeGolden(v: number | string | boolean): number | boolean {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number | boolean;
}

/** The state dict whose bytes are committed as fixtures/logit-state.safetensors; io.py recomputes it. */
function logitState(): Record<string, Tensor> {
  return {
    'layer.weight': tensor(Float32Array.from({ length: 6 }, (_, i) => (i - 2.5) / 3), { shape: [2, 3] }),
    'layer.bias': tensor([-0, Infinity, NaN]),
    double: tensor(new Float64Array([1 / 3, -2.5, 1e-300])),
    labels: tensor([0, 3, -7, 2147483647], { dtype: 'int32' }),
    mask: tensor([[true, false], [false, true]]),
    scalar: tensor(42.5),
    empty: tensor(new Float32Array(0)),
  };
}

describe('PyTorch -> Logit', () => {
  test('loads every tensor of a state dict written by PyTorch with the values PyTorch holds', async (ctx) => {
    needs(ctx, 'float64');
    const bytes = readFileSync(join(FIXTURES, 'torch-state.safetensors'));
    const before = mem();
    const state = io.load(bytes);
    expect(Object.keys(state).sort()).toEqual(Object.keys(golden.tensors).sort());
    for (const [name, want] of Object.entries(golden.tensors)) {
      const t = state[name];
      expect({ name, dtype: t.dtype, shape: t.shape }).toEqual({ name, dtype: want.dtype, shape: want.shape });
      const got = Array.from(await t.data(), (v) => (t.dtype === 'bool' ? v === 1 : v));
      expect(got, name).toEqual(want.data.map(decodeGolden)); // exact, -0 and NaN included
    }
    expect(io.loadMetadata(bytes)).toEqual(golden.metadata);
    for (const t of Object.values(state)) t.dispose();
    expect(mem()).toEqual(before);
  });

  test('the fixture exercises every dtype Logit loads from PyTorch', () => {
    const dtypes = new Set(Object.values(golden.tensors).map((t) => t.stDtype));
    expect([...dtypes].sort()).toEqual(['BF16', 'BOOL', 'F16', 'F32', 'F64', 'I32', 'I64']);
  });
});

describe('Logit -> PyTorch', () => {
  test('io.save reproduces the committed file that tools/goldens/io.py reads back with torch', async (ctx) => {
    needs(ctx, 'float64');
    const committed = join(FIXTURES, 'logit-state.safetensors');
    const state = logitState();
    const dir = mkdtempSync(join(tmpdir(), 'logit-io-'));
    await io.saveFile(join(dir, 'state.safetensors'), state, { metadata: { framework: 'logit' } });
    const written = readFileSync(join(dir, 'state.safetensors'));
    // LOGIT_WRITE_FIXTURES=1 refreshes the committed file (then re-run the Python check)
    if (process.env.LOGIT_WRITE_FIXTURES === '1') writeFileSync(committed, written);
    expect(new Uint8Array(written)).toEqual(new Uint8Array(readFileSync(committed)));

    const back = await io.loadFile(committed);
    for (const [name, t] of Object.entries(state)) {
      expect({ name, dtype: back[name].dtype, shape: back[name].shape }).toEqual({ name, dtype: t.dtype, shape: t.shape });
      expect(await back[name].data(), name).toEqual(await t.data());
    }
    for (const t of [...Object.values(state), ...Object.values(back)]) t.dispose();
  });
});
