import type { CrossEntropyResult, CrossEntropySpec, DType } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { Meta } from '../wgsl/meta.js';
import { powerOfTwoAtMost, workgroupTree } from './rows.js';

/**
 * Fused cross entropy, forward, in two dispatches:
 * 1. one thread per entry (batch x inner): the row's log-softmax over the class dim (stride
 *    inner) into logProbs, and the entry's (nll, smoothing, weight) terms into a scratch buffer
 *    (zeros when the target is ignoreIndex); for 'none' the per-entry loss goes to `loss`.
 * 2. one workgroup: tree sums of the three terms, combined as backend-cpu does (the NLL and
 *    smoothing sums are divided by the weight sum separately; 0/0 = nan when all are ignored).
 *   meta: [entries, classes, inner, ignoreIndex, smoothing e (f32), reduction (0 none, 1 mean, 2 sum)]
 */
function entryProgram(weighted: boolean, threads: number): Program {
  const w = (c: string): string => (weighted ? `weight[${c}]` : '1.0');
  const main = `
  let n = gid;
  if (n >= prm[0]) { return; }
  let classes = prm[1];
  let inner = prm[2];
  let e = metaF(4u);
  let start = (n / inner) * classes * inner + n % inner;
  var mx = -infF();
  for (var c = 0u; c < classes; c++) { mx = maxF(mx, x[start + c * inner]); }
  var total = 0.0;
  for (var c = 0u; c < classes; c++) { total = total + expF(x[start + c * inner] - mx); }
  let logTotal = logF(total);
  for (var c = 0u; c < classes; c++) { logProbs[start + c * inner] = x[start + c * inner] - mx - logTotal; }
  let y = labels[n];
  var nll = 0.0;
  var smoothing = 0.0;
  var wy = 0.0;
  // a target outside [0, classes) fails core's device-side check (read back later); until then it must not index
  if (y != metaI(3u) && y >= 0 && u32(y) < classes) {
    wy = ${w('u32(y)')};
    nll = -wy * logProbs[start + u32(y) * inner];
    if (e != 0.0) {
      for (var c = 0u; c < classes; c++) { smoothing = smoothing - ${w('c')} * logProbs[start + c * inner]; }
    }
  }
  terms[3u * n] = nll;
  terms[3u * n + 1u] = smoothing;
  terms[3u * n + 2u] = wy;
  if (prm[5] == 0u) {
    loss[n] = select((1.0 - e) * nll + (e / f32(classes)) * smoothing, nll, e == 0.0);
  }`;
  const bindings = [
    { name: 'x', type: 'f32' as const }, { name: 'labels', type: 'i32' as const },
    ...(weighted ? [{ name: 'weight', type: 'f32' as const }] : []),
    { name: 'logProbs', type: 'f32' as const, write: true }, { name: 'terms', type: 'f32' as const, write: true },
    { name: 'loss', type: 'f32' as const, write: true },
  ];
  return { label: 'crossEntropy entries', bindings, workgroupSize: threads, decls: mathLibrary(main), main };
}

function totalProgram(threads: number): Program {
  const sum3 = (a: string, b: string): string => `${a} + ${b}`;
  return {
    label: 'crossEntropy total',
    bindings: [{ name: 'terms', type: 'f32' }, { name: 'loss', type: 'f32', write: true }, { name: 'weightSum', type: 'f32', write: true }],
    workgroupSize: threads,
    decls: `var<workgroup> sh: array<vec3f, ${threads}>;\n${mathLibrary('divF(')}`,
    main: `
  let entries = prm[0];
  var acc = vec3f(0.0);
  for (var n = lid; n < entries; n = n + ${threads}u) {
    acc = acc + vec3f(terms[3u * n], terms[3u * n + 1u], terms[3u * n + 2u]);
  }
  sh[lid] = acc;${workgroupTree(threads, sum3)}
  if (lid == 0u) {
    let s = sh[0];
    weightSum[0] = s.z;
    if (prm[5] != 0u) {
      let div = select(1.0, s.z, prm[5] == 1u);
      let e = metaF(4u);
      let nllPart = divF(s.x, div);
      loss[0] = select((1.0 - e) * nllPart + divF(s.y, div) * (e / f32(prm[1])), nllPart, e == 0.0);
    }
  }`,
  };
}

export function crossEntropy(ctx: KernelContext, logits: GpuStorage, target: GpuStorage, weight: GpuStorage | null, spec: CrossEntropySpec, dtype: DType): CrossEntropyResult {
  const { batch, classes, inner, ignoreIndex, labelSmoothing, reduction } = spec;
  const entries = batch * inner;
  const logProbs = ctx.alloc(dtype, batch * classes * inner);
  const terms = ctx.alloc('float32', entries * 3);
  const loss = ctx.alloc(dtype, reduction === 'none' ? entries : 1);
  const weightSum = ctx.alloc(dtype, 1);
  const meta = new Meta().u(entries, classes, inner).i(ignoreIndex).f(labelSmoothing).u({ none: 0, mean: 1, sum: 2 }[reduction]);
  const threads = powerOfTwoAtMost(ctx.engine.maxThreads);
  const inputs = weight ? [logits, target, weight] : [logits, target];
  ctx.engine.run(entryProgram(weight !== null, threads), [...inputs, logProbs, terms, loss], meta, ctx.engine.groupsFor(entries, threads));
  ctx.engine.run(totalProgram(threads), [terms, loss, weightSum], meta, 1);
  ctx.free(terms);
  return { loss, logProbs, weightSum };
}
