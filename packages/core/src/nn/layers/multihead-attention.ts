import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import { zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { constant_, xavierUniform_ } from '../init.js';
import { attend } from '../functional/attention.js';
import { additiveMask, checkMaskDType } from '../functional/attention-masks.js';
import { checkDropoutP } from '../functional/dropout.js';
import { linear } from '../functional/linear.js';
import { checkInt } from '../functional/util.js';
import { Linear } from './linear.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of `nn.MultiheadAttention`, as torch.nn.MultiheadAttention's keyword arguments. */
export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Dropout on the attention probabilities, in training. Default 0. */
  dropout?: number;
  /** Learn biases of the input and output projections. Default true. */
  bias?: boolean;
  /** Learned biases appended to key and value. */
  addBiasKv?: boolean;
  /** A batch of zeros appended to key and value. */
  addZeroAttn?: boolean;
  /** Feature size of key. Default embedDim. */
  kdim?: number | null;
  /** Feature size of value. Default embedDim. */
  vdim?: number | null;
  /** Inputs and output are (N, L, E) instead of (L, N, E). Default false. */
  batchFirst?: boolean;
}
const OPTIONS: OptionKeys<MultiheadAttentionOptions> = {
  dropout: true, bias: true, kdim: true, vdim: true, batchFirst: true, dtype: true,
  addBiasKv: 'addBiasKv (learned bias_k and bias_v rows) is not supported yet',
  addZeroAttn: 'addZeroAttn (a zero key/value row) is not supported yet',
};

/** Options of `MultiheadAttention.forward`, as PyTorch's forward keyword arguments. */
export interface MultiheadAttentionForwardOptions {
  /** (N, S) or (S): true (bool) or -inf (float) where a key is padding, to be ignored. Default none. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too. Default true. */
  needWeights?: boolean;
  /** (L, S) or (N * numHeads, L, S): true (bool) where a pair may NOT attend, or added (float). Default none. */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads. Default true. */
  averageAttnWeights?: boolean;
  /** A hint that attnMask is the causal mask (it must be given). Default false. */
  isCausal?: boolean;
}
const FORWARD_OPTIONS: OptionKeys<MultiheadAttentionForwardOptions> = {
  keyPaddingMask: true, needWeights: true, attnMask: true, averageAttnWeights: true, isCausal: true,
};

/**
 * Multi-head attention, like torch.nn.MultiheadAttention: the query, key and value are projected,
 * split into `numHeads` heads of embedDim / numHeads features, attended (softmax(Q K^T /
 * sqrt(headDim) + mask) V per head), joined and projected back.
 *
 * Inputs: `embedDim`, `numHeads` (must divide embedDim).
 *
 * MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W_out^T + b_out,
 * head_i = Attention(Q W_qi^T + b_qi, K W_ki^T + b_ki, V W_vi^T + b_vi).
 *
 * Parameters (PyTorch's names): `inProjWeight` 'in_proj_weight' [3 embedDim, embedDim] (Xavier
 * uniform; with kdim/vdim other than embedDim, `qProjWeight`, `kProjWeight`, `vProjWeight`
 * instead), `inProjBias` 'in_proj_bias' [3 embedDim] (zeros), and the Linear `outProj` 'out_proj'
 * (its bias zeros). State-dict keys: in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias.
 *
 * Options: `dropout` (0), `bias` (true), `kdim`, `vdim` (embedDim), `batchFirst` (false),
 * `dtype`. Not supported yet: `addBiasKv`, `addZeroAttn`.
 *
 * forward(query, key, value, opts) returns [output, weights]: weights (N, L, S) averaged over heads
 * (or (N, numHeads, L, S) with averageAttnWeights false), null with needWeights false. Masks as in
 * PyTorch: a bool mask is true where attending is NOT allowed; a float mask is added. A query whose
 * keys are all masked gives nan with needWeights (PyTorch's softmax) and 0s without (PyTorch's
 * scaled_dot_product_attention). Options: `keyPaddingMask`, `attnMask`, `needWeights` (true),
 * `averageAttnWeights` (true), `isCausal` (false; a hint that attnMask is causal).
 *
 * Shape: query (L, N, E) ((N, L, E) with batchFirst, (L, E) unbatched), key (S, N, kdim), value
 * (S, N, vdim); output like query.
 *
 * @example
 * const mha = new nn.MultiheadAttention(16, 4, { batchFirst: true });
 * const x = randn([2, 5, 16], { requiresGrad: true });
 * const [y, w] = mha.forward(x, x, x);   // y [2, 5, 16], w [2, 5, 5]
 * y.sum().backward();
 */
export class MultiheadAttention extends Module {
  /** E: the model width (query features and output). */
  readonly embedDim: number;
  /** Parallel attention heads; each attends over embedDim / numHeads features. */
  readonly numHeads: number;
  /** embedDim / numHeads. */
  readonly headDim: number;
  /** Feature size of the key input. */
  readonly kdim: number;
  /** Feature size of the value input. */
  readonly vdim: number;
  /** Dropout on the attention probabilities, in training. */
  readonly dropout: number;
  /** Inputs and output are (N, L, E) rather than (L, N, E). */
  readonly batchFirst: boolean;
  /** 'q_proj_weight' [E, E], when kdim or vdim differs from embedDim (else null). */
  declare qProjWeight: Tensor | null;
  /** 'k_proj_weight' [E, kdim], when kdim or vdim differs from embedDim (else null). */
  declare kProjWeight: Tensor | null;
  /** 'v_proj_weight' [E, vdim], when kdim or vdim differs from embedDim (else null). */
  declare vProjWeight: Tensor | null;
  /**
   * 'in_proj_weight' [3E, E]: the query, key and value projections stacked (null when kdim or vdim differs).
   */
  declare inProjWeight: Tensor | null;
  /** 'in_proj_bias' [3E]; null without `bias`. */
  declare inProjBias: Tensor | null;
  /** 'out_proj': the output projection, Linear(E, E). */
  declare outProj: Linear;

  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    const o = checkOptions(op, opts, OPTIONS);
    this.embedDim = checkInt(op, 'embedDim', embedDim, 1);
    this.numHeads = checkInt(op, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0) throw new ValueError(`${op}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    this.headDim = embedDim / numHeads;
    this.kdim = checkInt(op, 'kdim', o.kdim ?? embedDim, 1);
    this.vdim = checkInt(op, 'vdim', o.vdim ?? embedDim, 1);
    this.dropout = checkDropoutP(op, o.dropout ?? 0);
    this.batchFirst = o.batchFirst ?? false;
    const dtype = paramDType(op, o);
    const bias = o.bias ?? true;
    // PyTorch's registration order, so namedParameters() lists them as it does
    if (this.kdim === embedDim && this.vdim === embedDim) {
      this.inProjWeight = Parameter(zeros([3 * embedDim, embedDim], { dtype }));
      this.registerName('inProjWeight', 'in_proj_weight');
    } else {
      this.qProjWeight = Parameter(zeros([embedDim, embedDim], { dtype }));
      this.kProjWeight = Parameter(zeros([embedDim, this.kdim], { dtype }));
      this.vProjWeight = Parameter(zeros([embedDim, this.vdim], { dtype }));
      this.inProjWeight = null;
      this.registerName('qProjWeight', 'q_proj_weight');
      this.registerName('kProjWeight', 'k_proj_weight');
      this.registerName('vProjWeight', 'v_proj_weight');
    }
    this.inProjBias = bias ? Parameter(zeros([3 * embedDim], { dtype })) : null;
    this.registerName('inProjBias', 'in_proj_bias');
    this.outProj = new Linear(embedDim, embedDim, { bias, dtype });
    this.registerName('outProj', 'out_proj');
    this.resetParameters();
  }

  /** PyTorch's initialisation: Xavier-uniform input projections, zero biases. */
  resetParameters(): void {
    for (const w of [this.inProjWeight, this.qProjWeight, this.kProjWeight, this.vProjWeight]) if (w) xavierUniform_(w);
    if (this.inProjBias) constant_(this.inProjBias, 0);
    if (this.outProj.bias) constant_(this.outProj.bias, 0);
  }

  /**
   * q, k, v as (N, heads, length, headDim). Self-attention (one tensor for all three) projects
   * once with the whole in_proj_weight and splits the result, as PyTorch does.
   */
  private project(q0: Tensor, k0: Tensor, v0: Tensor, n: number, l: number, s: number): Tensor[] {
    const h = this.numHeads, hd = this.headDim;
    if (q0 === k0 && k0 === v0 && this.inProjWeight) {
      const qkv = linear(q0, this.inProjWeight, this.inProjBias).reshape([n, l, 3, h, hd]).permute([2, 0, 3, 1, 4]);
      return qkv.chunk(3, 0).map((t) => t.squeeze(0));
    }
    return [q0, k0, v0].map((t, i) => linear(t, ...this.projection(i)).reshape([n, i === 0 ? l : s, h, hd]).permute([0, 2, 1, 3]));
  }

  /** The projection weight and bias of part i (0 query, 1 key, 2 value). */
  private projection(i: number): [Tensor, Tensor | null] {
    const e = this.embedDim;
    const w = this.inProjWeight ? this.inProjWeight.slice(0, i * e, (i + 1) * e) : [this.qProjWeight, this.kProjWeight, this.vProjWeight][i]!;
    return [w, this.inProjBias ? this.inProjBias.slice(0, i * e, (i + 1) * e) : null];
  }

  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const op = 'MultiheadAttention';
    const o = checkOptions(op, opts, FORWARD_OPTIONS);
    const needWeights = o.needWeights ?? true;
    const isCausal = o.isCausal ?? false;
    const { batched, n, l, s } = this.checkInputs(op, query, key, value, o);
    if (isCausal && !o.attnMask) throw new ValueError(`${op}: isCausal is a hint that attnMask is the causal mask; pass the mask too (PyTorch: "Need attn_mask if specifying the is_causal hint")`);
    return tidy(() => {
      // work batch-first: (N, L, E)
      const toNLE = (t: Tensor): Tensor => (!batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
      const q0 = toNLE(query);
      const k0 = key === query ? q0 : toNLE(key);
      const v0 = value === key ? k0 : toNLE(value);
      const h = this.numHeads, hd = this.headDim;
      const [q, k, v] = this.project(q0, k0, v0, n, l, s);
      const causal = isCausal && !o.keyPaddingMask && !needWeights; // PyTorch then drops attnMask for is_causal
      let mask: Tensor | null = null;
      if (o.attnMask && !causal) mask = additiveMask(o.attnMask, query.dtype).reshape(o.attnMask.ndim === 3 ? [n, h, l, s] : [l, s]);
      if (o.keyPaddingMask) {
        const kpm = additiveMask(o.keyPaddingMask, query.dtype).reshape([n, 1, 1, s]);
        mask = mask ? mask.add(kpm) : kpm;
      }
      const { out, probs } = attend(q, k, v, {
        mask, causal, scale: 1 / Math.sqrt(hd), dropoutP: this.training ? this.dropout : 0,
        maskedRows: needWeights ? 'nan' : 'zero', needProbs: needWeights,
      });
      const joined = out.permute([0, 2, 1, 3]).reshape([n, l, this.embedDim]);
      const y = this.outProj.forward(joined);
      const output = !batched ? y.squeeze(0) : this.batchFirst ? y : y.transpose(0, 1);
      if (!probs) return [output, null] as [Tensor, Tensor | null];
      const weights = (o.averageAttnWeights ?? true) ? probs.mean(1) : probs;
      return [output, batched ? weights : weights.squeeze(0)] as [Tensor, Tensor | null];
    });
  }

  private checkInputs(op: string, query: Tensor, key: Tensor, value: Tensor, o: MultiheadAttentionForwardOptions) {
    const batched = query.ndim === 3;
    if (query.ndim !== 2 && query.ndim !== 3) throw new ShapeError(`${op}: query must be 2-D (L, E) or 3-D, got shape ${fmt(query.shape)}`);
    if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
      throw new ShapeError(`${op}: query, key and value must have the same number of dims, got ${fmt(query.shape)}, ${fmt(key.shape)} and ${fmt(value.shape)}`);
    }
    for (const [t, what] of [[query, 'query'], [key, 'key'], [value, 'value']] as const) {
      if (t.dtype !== query.dtype) throw new DTypeError(`${op}: ${what} has dtype ${t.dtype}, query ${query.dtype}; they must match`);
    }
    const seq = (t: Tensor): number => (!batched || !this.batchFirst ? t.shape[0] : t.shape[1]);
    const bat = (t: Tensor): number => (!batched ? 1 : this.batchFirst ? t.shape[0] : t.shape[1]);
    const [n, l, s] = [bat(query), seq(query), seq(key)];
    const feat = (t: Tensor): number => t.shape[t.ndim - 1];
    if (feat(query) !== this.embedDim) throw new ShapeError(`${op}: query has ${feat(query)} features in its last dim, expected embedDim ${this.embedDim}`);
    if (feat(key) !== this.kdim || feat(value) !== this.vdim) {
      throw new ShapeError(`${op}: key and value must have ${this.kdim} and ${this.vdim} features (kdim, vdim), got ${fmt(key.shape)} and ${fmt(value.shape)}`);
    }
    if (bat(key) !== n || bat(value) !== n || seq(value) !== s) {
      throw new ShapeError(`${op}: key and value must have the same length and batch size, and the batch size of query; got ${fmt(query.shape)}, ${fmt(key.shape)}, ${fmt(value.shape)}`);
    }
    if (o.keyPaddingMask) {
      const m = o.keyPaddingMask;
      checkMaskDType(op, 'keyPaddingMask', m, query.dtype);
      const want = batched ? [n, s] : [s];
      if (fmt(m.shape) !== fmt(want)) throw new ShapeError(`${op}: keyPaddingMask must have shape ${fmt(want)} (batch, source length), got ${fmt(m.shape)}`);
    }
    if (o.attnMask) {
      const m = o.attnMask;
      checkMaskDType(op, 'attnMask', m, query.dtype);
      const ok = fmt(m.shape) === fmt([l, s]) || fmt(m.shape) === fmt([n * this.numHeads, l, s]);
      if (!ok) throw new ShapeError(`${op}: attnMask must have shape ${fmt([l, s])} or ${fmt([n * this.numHeads, l, s])}, got ${fmt(m.shape)}`);
    }
    return { batched, n, l, s };
  }
}
