import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { broadcastShapes, fmt, sameShape } from '../../shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { tidy } from '../../memory/scope.js';
import { full } from '../../ops/creation.js';
import { bmm } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';
import { fusedAttention } from './attention-fused.js';
import { checkDropoutP, dropout } from './dropout.js';
import { requireFloat, requireSameDType } from './util.js';

/** Options of `functional.scaledDotProductAttention`, as torch.nn.functional.scaled_dot_product_attention's. */
export interface ScaledDotProductAttentionOptions {
  /** bool (true: the pair takes part) or float (added to the scores), broadcastable to (..., L, S). Default none. */
  attnMask?: Tensor | null;
  /** Dropout on the attention probabilities (applied whenever > 0, as PyTorch). Default 0. */
  dropoutP?: number;
  /** Query i attends to keys 0..i only (a top-left causal mask). Default false. */
  isCausal?: boolean;
  /** Scores are scaled by this. Default 1 / sqrt(E). */
  scale?: number | null;
  /** Grouped-query attention (fewer key/value heads than query heads). */
  enableGqa?: boolean;
}
const SDPA_OPTIONS: OptionKeys<ScaledDotProductAttentionOptions> = {
  attnMask: true, dropoutP: true, isCausal: true, scale: true,
  enableGqa: 'grouped-query attention is not supported yet; repeat the key and value heads to the query heads first',
};

/** @internal What attention runs with once the arguments are checked. */
export interface AttendSpec {
  /** bool (true takes part) or additive float, broadcastable to the scores. */
  mask: Tensor | null;
  causal: boolean;
  scale: number;
  dropoutP: number;
  /** A row whose scores are all -inf: 0s (scaled_dot_product_attention) or nan (softmax, as MultiheadAttention's weights). */
  maskedRows: 'zero' | 'nan';
  /** Return differentiable probabilities too (MultiheadAttention's weights). */
  needProbs: boolean;
}

/** The shared checks: q (..., L, E), k (..., S, E), v (..., S, Ev), batch dims broadcastable; the mask fits (..., L, S). */
export function checkAttention(op: string, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null | undefined): number[] {
  for (const [t, what] of [[q, 'query'], [k, 'key'], [v, 'value']] as const) {
    requireFloat(op, t, what);
    if (t.ndim < 2) throw new ShapeError(`${op}: ${what} must have at least 2 dims (..., length, features), got shape ${fmt(t.shape)}`);
  }
  requireSameDType(op, q, k, 'key');
  requireSameDType(op, q, v, 'value');
  const [L, E] = q.shape.slice(-2);
  const [S, Ek] = k.shape.slice(-2);
  if (Ek !== E) throw new ShapeError(`${op}: query and key must have the same feature size, got query ${fmt(q.shape)} and key ${fmt(k.shape)}`);
  if (v.shape[v.ndim - 2] !== S) throw new ShapeError(`${op}: key and value must have the same length (dim -2), got key ${fmt(k.shape)} and value ${fmt(v.shape)}`);
  const batch = broadcastShapes(op, broadcastShapes(op, q.shape.slice(0, -2), k.shape.slice(0, -2)), v.shape.slice(0, -2));
  const scores = [...batch, L, S];
  if (mask) {
    if (mask.dtype !== 'bool') requireSameDType(op, q, mask, 'attnMask');
    let fits = mask.ndim <= scores.length;
    try {
      fits &&= sameShape(broadcastShapes(op, mask.shape, scores), scores);
    } catch {
      fits = false;
    }
    if (!fits) throw new ShapeError(`${op}: attnMask of shape ${fmt(mask.shape)} does not broadcast to the attention scores' shape ${fmt(scores)}`);
  }
  return scores;
}

/** Bool (L, S): true where key j is after query i, the pairs PyTorch's top-left causal mask excludes. */
export function futureMask(l: number, s: number): Tensor {
  return tidy(() => full([l, s], true, { dtype: 'bool' }).triu(1));
}

/**
 * softmax(q k^T * scale + mask) v, with its probabilities: through the backend's fused
 * `attention` kernel where it has one (and no dropout), else composed from matmul, where and
 * softmax. Inputs are already checked.
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec): { out: Tensor; probs: Tensor | null } {
  return tidy(() => {
    const fused = spec.dropoutP === 0 ? fusedAttention(q, k, v, spec) : null;
    if (fused) return fused;
    const [L, S] = [q.shape[q.ndim - 2], k.shape[k.ndim - 2]];
    let scores = bmm(q, k, false, true).mul(spec.scale);
    if (spec.causal) scores = scores.maskedFill(futureMask(L, S), -Infinity);
    const mask = spec.mask;
    if (mask) scores = mask.dtype === 'bool' ? scores.maskedFill(mask.logicalNot(), -Infinity) : scores.add(mask);
    let probs: Tensor;
    if (spec.maskedRows === 'zero' && mask) {
      // PyTorch's safe softmax: a row of only -inf is 0s, and gets a 0 gradient (not nan)
      const dead = noGrad(() => scores.detach().amax(-1, true).eq(-Infinity));
      probs = scores.maskedFill(dead, 0).softmax(-1).maskedFill(dead, 0);
    } else probs = scores.softmax(-1);
    if (spec.dropoutP > 0) probs = dropout(probs, spec.dropoutP);
    return { out: bmm(probs, v, false, false), probs: spec.needProbs ? probs : null };
  });
}

/**
 * torch.nn.functional.scaled_dot_product_attention: softmax(Q K^T * scale + mask) V over the last
 * two dims, batch dims broadcasting. A bool attnMask keeps the pairs where it is true (false is
 * -inf before the softmax); a float one is added. A query row whose keys are all masked gives 0s
 * (and 0 gradients), as PyTorch 2.x does. The backend's fused `attention` kernel runs where it
 * has one and dropoutP is 0; the composed path gives the same values.
 *
 * Shape: query (..., L, E), key (..., S, E), value (..., S, Ev); output (..., L, Ev).
 *
 * @example
 * const q = randn([2, 4, 8, 16], { requiresGrad: true });   // (batch, heads, L, E)
 * const y = nn.functional.scaledDotProductAttention(q, randn([2, 4, 8, 16]), randn([2, 4, 8, 16]), { isCausal: true });
 * y.sum().backward();
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  const op = 'scaledDotProductAttention';
  const o = checkOptions(op, opts, SDPA_OPTIONS);
  const mask = o.attnMask ?? null;
  checkAttention(op, query, key, value, mask);
  const isCausal = o.isCausal ?? false;
  if (isCausal && mask) throw new ValueError(`${op}: attnMask must not be given with isCausal: true (PyTorch refuses both)`);
  const dropoutP = checkDropoutP(op, o.dropoutP ?? 0);
  const e = query.shape[query.ndim - 1];
  const scale = o.scale ?? 1 / Math.sqrt(e);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ValueError(`${op}: scale must be a finite number, got ${String(o.scale)}`);
  if (mask && mask.dtype !== 'bool' && !(mask.dtype === query.dtype)) throw new DTypeError(`${op}: attnMask must be bool or ${query.dtype}, got ${mask.dtype}`);
  return attend(query, key, value, { mask, causal: isCausal, scale, dropoutP, maskedRows: 'zero', needProbs: false }).out;
}
