import type { AdamStepResult, AdamStepSpec, DType, SgdStepResult, SgdStepSpec } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Binding, Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { Meta } from '../wgsl/meta.js';

/**
 * Fused optimizer steps, one thread per element. Each float32 rounding of backend-cpu's kernels
 * (and so of core's composed path) is one WGSL f32 operation here, in the same order, so the
 * results agree within the GPU's arithmetic (divisions and sqrt may be a few ulps off).
 * Scalars are derived on the host in doubles and rounded to float32 as backend-cpu rounds them.
 * Which terms exist (weight decay, momentum, a first step, nesterov, maximize, amsgrad) is baked
 * into the generated source, so each combination is its own cached pipeline with no branches.
 */

/** A storage binding of the optimizer programs (all f32). */
const f32In = (name: string): Binding => ({ name, type: 'f32' });
const f32Out = (name: string): Binding => ({ name, type: 'f32', write: true });

interface SgdFlags {
  maximize: boolean;
  weightDecay: boolean;
  /** 0: no momentum; 1: momentum, first step (the buffer starts as d); 2: momentum with a buffer. */
  momentum: 0 | 1 | 2;
  nesterov: boolean;
}

/** meta: [size, lr, weightDecay, momentum, 1 - dampening] (floats as f32 bits). */
function sgdProgram(f: SgdFlags, threads: number): Program {
  const bindings = [f32In('param'), f32In('grad')];
  if (f.momentum === 2) bindings.push(f32In('bufIn'));
  bindings.push(f32Out('paramOut'));
  if (f.momentum !== 0) bindings.push(f32Out('bufOut'));
  const lines = [
    '  if (gid >= prm[0]) { return; }',
    '  let x = param[gid];',
    `  var d = ${f.maximize ? '-grad[gid]' : 'grad[gid]'};`,
  ];
  if (f.weightDecay) lines.push('  let decayTerm = x * metaF(2u);', '  d = d + decayTerm;');
  if (f.momentum !== 0) {
    if (f.momentum === 2) {
      lines.push('  let kept = bufIn[gid] * metaF(3u);', '  let added = d * metaF(4u);', '  let b = kept + added;');
    } else {
      lines.push('  let b = d;');
    }
    lines.push('  bufOut[gid] = b;');
    lines.push(f.nesterov ? '  let look = b * metaF(3u);\n  d = d + look;' : '  d = b;');
  }
  lines.push('  let update = d * metaF(1u);', '  paramOut[gid] = x - update;');
  const key = `${f.maximize ? 'max ' : ''}${f.weightDecay ? 'wd ' : ''}m${f.momentum}${f.nesterov ? ' nesterov' : ''}`;
  return { label: `sgdStep (${key})`, bindings, workgroupSize: threads, main: lines.join('\n') };
}

export function sgdStep(
  ctx: KernelContext, param: GpuStorage, grad: GpuStorage, buf: GpuStorage | null, size: number, spec: SgdStepSpec, dtype: DType,
): SgdStepResult {
  const meta = new Meta().u(size).f(spec.lr, spec.weightDecay, spec.momentum, 1 - spec.dampening);
  const flags: SgdFlags = {
    maximize: spec.maximize,
    // backend-cpu tests the rounded value: a decay that rounds to 0 adds nothing
    weightDecay: Math.fround(spec.weightDecay) !== 0,
    momentum: spec.momentum === 0 ? 0 : buf ? 2 : 1,
    nesterov: spec.momentum !== 0 && spec.nesterov,
  };
  const out = ctx.alloc(dtype, size);
  const bufOut = flags.momentum !== 0 ? ctx.alloc(dtype, size) : null;
  const threads = ctx.engine.maxThreads;
  const storages = [param, grad, ...(flags.momentum === 2 && buf ? [buf] : []), out, ...(bufOut ? [bufOut] : [])];
  ctx.engine.run(sgdProgram(flags, threads), storages, meta, ctx.engine.groupsFor(size, threads));
  return { param: out, momentumBuffer: bufOut };
}

interface AdamFlags {
  maximize: boolean;
  decoupled: boolean;
  /** Adam's L2 term (not AdamW's): g + weightDecay * param. */
  l2: boolean;
  /** 0: no amsgrad; 1: amsgrad without a running max yet (zeros); 2: amsgrad with one. */
  amsgrad: 0 | 1 | 2;
}

/**
 * meta: [size, decay (1 - lr * wd), wd, beta1, 1 - beta1, beta2, 1 - beta2, stepSize
 * (lr / (1 - beta1^t)), sqrt(1 - beta2^t), eps].
 */
function adamProgram(f: AdamFlags, threads: number): Program {
  const bindings = [f32In('param'), f32In('grad'), f32In('expAvg'), f32In('expAvgSq')];
  if (f.amsgrad === 2) bindings.push(f32In('maxIn'));
  bindings.push(f32Out('paramOut'), f32Out('expAvgOut'), f32Out('expAvgSqOut'));
  if (f.amsgrad !== 0) bindings.push(f32Out('maxOut'));
  const lines = [
    '  if (gid >= prm[0]) { return; }',
    `  var g = ${f.maximize ? '-grad[gid]' : 'grad[gid]'};`,
    f.decoupled ? '  let x = param[gid] * metaF(1u);' : '  let x = param[gid];',
  ];
  if (f.l2) lines.push('  let decayTerm = x * metaF(2u);', '  g = g + decayTerm;');
  lines.push(
    '  let m1 = expAvg[gid] * metaF(3u);', '  let m2 = g * metaF(4u);', '  let m = m1 + m2;',
    '  let v1 = expAvgSq[gid] * metaF(5u);', '  let gc = g * metaF(6u);', '  let v2 = gc * g;', '  var v = v1 + v2;',
    '  expAvgOut[gid] = m;', '  expAvgSqOut[gid] = v;',
  );
  if (f.amsgrad !== 0) {
    // maxF passes nan on, as torch.maximum (and backend-cpu's Math.max) do
    lines.push(`  v = maxF(${f.amsgrad === 2 ? 'maxIn[gid]' : '0.0'}, v);`, '  maxOut[gid] = v;');
  }
  lines.push(
    '  let root = sqrtF(v);', '  let scaled = divF(root, metaF(8u));', '  let denom = scaled + metaF(9u);',
    '  let stepped = m * metaF(7u);', '  let update = divF(stepped, denom);', '  paramOut[gid] = x - update;',
  );
  const main = lines.join('\n');
  const key = `${f.maximize ? 'max ' : ''}${f.decoupled ? 'decoupled ' : ''}${f.l2 ? 'l2 ' : ''}amsgrad${f.amsgrad}`;
  return { label: `adamStep (${key})`, bindings, workgroupSize: threads, decls: mathLibrary(main), main };
}

export function adamStep(
  ctx: KernelContext, param: GpuStorage, grad: GpuStorage,
  state: { expAvg: GpuStorage; expAvgSq: GpuStorage; maxExpAvgSq: GpuStorage | null },
  size: number, spec: AdamStepSpec, dtype: DType,
): AdamStepResult {
  const { lr, beta1, beta2, weightDecay, decoupled, step } = spec;
  // the host scalars of backend-cpu's adamStep, in doubles (Meta rounds each to float32 once)
  const meta = new Meta().u(size).f(
    decoupled ? 1 - lr * weightDecay : 1, decoupled ? 0 : weightDecay,
    beta1, 1 - beta1, beta2, 1 - beta2,
    lr / (1 - beta1 ** step), Math.sqrt(1 - beta2 ** step), spec.eps,
  );
  const flags: AdamFlags = {
    maximize: spec.maximize,
    decoupled,
    l2: !decoupled && Math.fround(weightDecay) !== 0,
    amsgrad: !spec.amsgrad ? 0 : state.maxExpAvgSq ? 2 : 1,
  };
  const out = ctx.alloc(dtype, size);
  const expAvg = ctx.alloc(dtype, size);
  const expAvgSq = ctx.alloc(dtype, size);
  const maxExpAvgSq = flags.amsgrad !== 0 ? ctx.alloc(dtype, size) : null;
  const inputs = [param, grad, state.expAvg, state.expAvgSq, ...(flags.amsgrad === 2 && state.maxExpAvgSq ? [state.maxExpAvgSq] : [])];
  const outputs = [out, expAvg, expAvgSq, ...(maxExpAvgSq ? [maxExpAvgSq] : [])];
  const threads = ctx.engine.maxThreads;
  ctx.engine.run(adamProgram(flags, threads), [...inputs, ...outputs], meta, ctx.engine.groupsFor(size, threads));
  return { param: out, expAvg, expAvgSq, maxExpAvgSq };
}
