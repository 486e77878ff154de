import { nn, type DType, type Tensor } from '@logit/core';
import { decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, InputSpec, Program, TfjsOracle } from '../types.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';
import { defineCase } from './define.js';

// Every loss with its options, from PyTorch's goldens (tools/goldens/losses.py). Class-index
// CrossEntropyLoss runs the fused `crossEntropy` kernel where the backend has one, and the runner
// compares it with the composed path. A new golden entry becomes a case with no code here.

interface LossGolden {
  name: string;
  loss: 'NLLLoss' | 'CrossEntropyLoss' | 'MSELoss' | 'BCELoss' | 'BCEWithLogitsLoss';
  dtype: DType;
  options: { reduction?: 'none' | 'mean' | 'sum'; ignoreIndex?: number; labelSmoothing?: number };
  weight: Encoded | null;
  posWeight: Encoded | null;
  input: Encoded;
  target: Encoded;
  targetRequiresGrad: boolean;
  output: Encoded;
  upstream: Encoded | null;
  inputGrad: Encoded;
  targetGrad: Encoded | null;
}

type LossCtor = new (o: Record<string, unknown>) => nn.Module & { forward(x: Tensor, t: Tensor): Tensor };

/** Builds the loss with its options; weight and posWeight are inputs 2 and 3 when present. */
function buildLoss(g: LossGolden) {
  return (xs: Tensor[]): Program => {
    const opts: Record<string, unknown> = { ...g.options };
    let k = 2;
    if (g.weight) opts.weight = xs[k++];
    if (g.posWeight) opts.posWeight = xs[k++];
    const m = new (nn as unknown as Record<string, LossCtor>)[g.loss](opts);
    const output = m.forward(xs[0], xs[1]);
    return { output, wrt: g.targetRequiresGrad ? [xs[0], xs[1]] : [xs[0]], dispose: () => m.buffers().forEach((b) => b.dispose()) };
  };
}

const TF_REDUCTION = { none: 0, mean: 1, sum: 2 } as const; // tf.losses.Reduction.NONE, MEAN, SUM

/**
 * TensorFlow.js versions from tfjs-core's losses (not tfjs-layers'). Where tfjs is known to differ
 * from PyTorch, the difference is recorded with the case and shown in the report.
 */
function tfjsFor(g: LossGolden): TfjsOracle | undefined {
  const red = TF_REDUCTION[g.options.reduction ?? 'mean'];
  const smoothing = g.options.labelSmoothing ?? 0;
  const rank = g.input.shape.length;
  switch (g.loss) {
    case 'MSELoss':
      return { fn: (tf, [x, t]) => tf.losses.meanSquaredError(t, x, undefined, red) };
    case 'BCELoss':
      return {
        fn: (tf, [x, t, w]) => tf.losses.logLoss(t, x, w, 1e-7, red),
        differs: 'tfjs logLoss adds epsilon 1e-7 inside both logs; PyTorch clamps each log at -100' +
          (g.weight && red === TF_REDUCTION.mean ? '; with weights tfjs MEAN divides by the sum of the weights, PyTorch by the count' : ''),
      };
    case 'BCEWithLogitsLoss':
      return {
        fn: (tf, [x, t, w]) => tf.losses.sigmoidCrossEntropy(t, x, g.weight ? w : undefined, 0, red),
        differs: g.posWeight ? 'tfjs sigmoidCrossEntropy has no posWeight' : g.weight && red === TF_REDUCTION.mean ? 'with weights tfjs MEAN divides by the sum of the weights, PyTorch by the count' : undefined,
      };
    case 'CrossEntropyLoss': {
      if (g.weight) return undefined; // tfjs weights are per example, PyTorch's per class: no common ground
      if (rank === 1) return undefined; // unbatched (C) logits: tfjs's losses expect a batch
      const probs = g.target.dtype !== 'int32';
      const classes = rank === 1 ? g.input.shape[0] : g.input.shape[1];
      const hasIgnored = !probs && decodeAll(g.target).some((v) => v < 0 || v >= classes || v === g.options.ignoreIndex);
      const differs = [
        !probs && 'tfjs-core has no integer-label cross entropy: compared through tf.oneHot(target)',
        hasIgnored && 'tfjs has no ignoreIndex: an ignored entry becomes an all-zero label',
        rank > 2 && 'tfjs treats the LAST dim as classes (PyTorch dim 1), so K-dim inputs and their label smoothing are transposed here',
        g.targetRequiresGrad && "tfjs's softmaxCrossEntropy gradient wrt the labels is not PyTorch's -logSoftmax(x) * g",
      ].filter(Boolean).join('; ');
      return {
        fn: (tf, [x, t]) => {
          const labels = probs ? t : tf.oneHot(tf.cast(tf.relu(t), 'int32'), classes);
          // move PyTorch's class dim 1 to tfjs's last dim for K-dim inputs
          const perm = rank > 2 ? [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1] : null;
          const lx = perm ? tf.transpose(x, perm) : x;
          const lt = perm && probs ? tf.transpose(labels, perm) : labels;
          return tf.losses.softmaxCrossEntropy(lt, lx, undefined, smoothing, red);
        },
        differs: differs || undefined,
        noGrad: probs ? undefined : 'the integer target is not differentiable',
      };
    }
    default:
      return undefined;
  }
}

function lossGoldenCases(): Case[] {
  const golden = loadGoldens<{ cases: LossGolden[] }>('losses.json');
  const cases: Case[] = [];
  for (const [name, group] of groupByBase(golden.cases)) {
    const g = Object.values(group)[0]!;
    const inputs: InputSpec[] = [goldenInput(group, (c) => c.input, true), goldenInput(group, (c) => c.target, g.targetRequiresGrad)];
    if (g.weight) inputs.push(goldenInput(group, (c) => c.weight!, false));
    if (g.posWeight) inputs.push(goldenInput(group, (c) => c.posWeight!, false));
    const torch: Case['torch'] = {};
    for (const [d, gd] of Object.entries(group) as [DType, LossGolden][]) {
      torch[d] = { source: 'losses.json', output: decodeAll(gd.output), grads: [decodeAll(gd.inputGrad), ...(gd.targetGrad ? [decodeAll(gd.targetGrad)] : [])] };
    }
    const nonFinite = [g.input, g.target].some((e) => decodeAll(e).some((v) => !Number.isFinite(v)));
    cases.push(
      defineCase('losses', {
        name: `nn.${name}`, op: `nn.${g.loss}`, dtypes: dtypesOf(group), inputs,
        run: buildLoss(g),
        upstream: (d, n) => ((group[d] ?? g).upstream ? decodeAll((group[d] ?? g).upstream!) : new Array(n).fill(1)),
        torch, tfjs: tfjsFor(g),
        note: g.loss === 'NLLLoss' ? 'tfjs: tfjs-core has no NLL loss' : g.loss === 'CrossEntropyLoss' && g.weight ? 'tfjs: per-class weights have no tfjs-core equivalent' : undefined,
        // BCELoss clamps log at -100: targets exactly 0/1 with p at 0/1 sit on that clamp
        fd: nonFinite ? { skip: 'non-finite logits' } : g.loss === 'BCELoss' && /clamp|0 and 1/.test(name) ? { skip: 'the log clamp at -100 is a kink' } : undefined,
      }),
    );
  }
  return cases;
}

export const lossCasesAll: Case[] = lossGoldenCases();
