import { beforeAll, describe, expect, test } from 'vitest';
import { createBackend } from '@logit/backend-cpu';
import { BINARY_OPS, COMPARE_OPS, PRIMITIVE_NAMES, REDUCE_OPS, SCAN_OPS, UNARY_OPS, nn, type FusedName } from '@logit/core';
import { CATALOGUE, runConformance, selectCases } from '../src/index.js';
import { edgeEntryOf } from '../src/cases/edge-shapes.js';
import type { ConformanceReport } from '../src/types.js';

// The catalogue is complete by construction of what backend-cpu actually ran: every primitive
// kernel and every op of each kernel family, every fused kernel, every layer and loss of nn.

let report: ConformanceReport;
// the whole catalogue on one backend: minutes on a loaded 2-core machine, so more than the default hook timeout
beforeAll(async () => {
  report = await runConformance({ createBackend, tfjs: false });
}, 900_000);

describe('the catalogue', () => {
  test('case names are unique', () => {
    const names = CATALOGUE.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('reaches every primitive kernel, and every op of the unary, binary, compare and reduce families', () => {
    const ran = new Set(report.results.flatMap((r) => r.kernels));
    const expected = [
      ...PRIMITIVE_NAMES.filter((k) => !['unary', 'binary', 'compare', 'reduce', 'argReduce', 'scan'].includes(k)),
      ...UNARY_OPS.map((o) => `unary.${o}`), ...BINARY_OPS.map((o) => `binary.${o}`), ...COMPARE_OPS.map((o) => `compare.${o}`),
      ...REDUCE_OPS.map((o) => `reduce.${o}`), ...['argmax', 'argmin'].map((o) => `argReduce.${o}`), ...SCAN_OPS.map((o) => `scan.${o}`),
    ];
    expect(expected.filter((k) => !ran.has(k))).toEqual([]);
  });

  test('runs every fused kernel of the contract and compares it with the composed path', () => {
    const fused: FusedName[] = ['logSoftmax', 'softmax', 'crossEntropy', 'sgdStep', 'adamStep', 'layerNorm', 'layerNormBackward', 'attention', 'attentionBackward', 'lstmCell', 'lstmCellBackward', 'gruCell', 'gruCellBackward',
      'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward'];
    for (const k of fused) {
      const rs = report.results.filter((r) => r.kernels.includes(`fused.${k}`));
      expect(rs.length, k).toBeGreaterThan(3);
      expect(rs.every((r) => r.fusedChecked), k).toBe(true);
    }
  });

  test('covers every layer and loss class that nn exports', () => {
    const ops = new Set(report.results.map((r) => r.op));
    const classes = Object.entries(nn).filter(([k, v]) => typeof v === 'function' && /^[A-Z]/.test(k) && k !== 'Module' && k !== 'Parameter' && k !== 'Sequential' && k !== 'ModuleList' && k !== 'ModuleDict' && !k.endsWith('Base'));
    expect(classes.map(([k]) => `nn.${k}`).filter((k) => !ops.has(k))).toEqual([]);
  });

  test('has scalars, empty tensors, broadcasting, edge values and both float dtypes plus int32 and bool', () => {
    const names = CATALOGUE.map((c) => c.name).join('\n');
    for (const needle of ['[]', '[0,3]', 'broadcast', 'edge values', 'ties', 'nan']) expect(names).toContain(needle);
    const dtypes = new Set(report.results.map((r) => r.dtype));
    expect([...dtypes].sort()).toEqual(['bool', 'float32', 'float64', 'int32']);
  });

  test('every op has a 0-d case and a case with a size-0 dim, or the reason PyTorch has none', () => {
    const missing: string[] = [];
    for (const op of new Set(CATALOGUE.map((c) => c.op))) {
      const shapes = CATALOGUE.filter((c) => c.op === op).flatMap((c) => c.inputs.map((s) => s.shape));
      const entry = edgeEntryOf(op);
      if (!shapes.some((s) => s.length === 0) && !entry?.zeroD) missing.push(`${op}: 0-d`);
      if (!shapes.some((s) => s.includes(0)) && !entry?.empty) missing.push(`${op}: empty`);
    }
    expect(missing).toEqual([]);
  });

  test('every case of backend-cpu used the float64 reference, and gradients met finite differences', () => {
    // error cases compare errors, not values: against backend-cpu's own error ('cpu-error')
    expect(report.results.every((r) => r.oracles.includes(r.family === 'errors' ? 'cpu-error' : 'cpu-f64'))).toBe(true);
    expect(report.results.filter((r) => r.oracles.includes('finite-diff')).length).toBeGreaterThan(300);
    expect(report.results.filter((r) => r.oracles.includes('torch')).length).toBeGreaterThan(300);
  });

  test('include and exclude select by name, op or family', () => {
    const only = selectCases(['matmul'], [/float64/]);
    expect(only.length).toBeGreaterThan(5);
    expect(only.every(({ c, name }) => c.op === 'matmul' && !name.includes('float64'))).toBe(true);
    expect(selectCases('losses').every(({ c }) => c.family === 'losses')).toBe(true);
  });
});
