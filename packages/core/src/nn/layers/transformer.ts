import { ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { deepCopy } from '../copy.js';
import { gelu, relu } from '../functional/activations.js';
import { checkDropoutP } from '../functional/dropout.js';
import { checkEps } from '../functional/layer-norm.js';
import { checkInt } from '../functional/util.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { ModuleList } from './module-list.js';
import { MultiheadAttention } from './multihead-attention.js';
import { LayerNorm } from './normalization.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** The feed-forward activation: 'relu', 'gelu', a function of a tensor, or a Module (then registered as `activation`). */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

/** Options of `nn.TransformerEncoderLayer`, as PyTorch's keyword arguments. */
export interface TransformerEncoderLayerOptions extends FactoryOptions {
  /** Width of the feed-forward network. Default 2048. */
  dimFeedforward?: number;
  /** Dropout after attention, in and after the feed-forward network, and on the attention probabilities. Default 0.1. */
  dropout?: number;
  /** Default 'relu'. */
  activation?: TransformerActivation;
  /** eps of both LayerNorms. Default 1e-5. */
  layerNormEps?: number;
  /** Input and output are (N, S, E) instead of (S, N, E). Default false. */
  batchFirst?: boolean;
  /** LayerNorm before attention and feed-forward (pre-norm) instead of after. Default false. */
  normFirst?: boolean;
  /** Biases in the Linear and LayerNorm layers. Default true. */
  bias?: boolean;
}
const LAYER_OPTIONS: OptionKeys<TransformerEncoderLayerOptions> = {
  dimFeedforward: true, dropout: true, activation: true, layerNormEps: true, batchFirst: true, normFirst: true, bias: true, dtype: true,
};

/** Options of `TransformerEncoderLayer.forward`. */
export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask (S, S) or (N * nhead, S, S): true (bool) where attending is NOT allowed, or added (float). */
  srcMask?: Tensor | null;
  /** (N, S): true (bool) or -inf (float) at padding positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** A hint that srcMask is the causal mask. Default false. */
  isCausal?: boolean;
}
const LAYER_FORWARD_OPTIONS: OptionKeys<TransformerEncoderLayerForwardOptions> = { srcMask: true, srcKeyPaddingMask: true, isCausal: true };

/**
 * One transformer encoder block, like torch.nn.TransformerEncoderLayer: self-attention and a
 * feed-forward network, each with a residual connection and a LayerNorm ("Attention Is All You
 * Need"; with normFirst, the pre-norm variant GPT-style models use).
 *
 * Inputs: `dModel` (the embedding width), `nhead` (attention heads; must divide dModel).
 *
 * Post-norm: x = norm1(x + SA(x)); x = norm2(x + FF(x)). Pre-norm (normFirst):
 * x = x + SA(norm1(x)); x = x + FF(norm2(x)). SA(x) = dropout1(selfAttn(x, x, x)), FF(x) =
 * dropout2(linear2(dropout(activation(linear1(x))))).
 *
 * Submodules (PyTorch's state-dict names): `selfAttn` 'self_attn' (MultiheadAttention),
 * `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`; so
 * 'self_attn.in_proj_weight', 'linear1.weight', 'norm1.bias', ...
 *
 * Options: `dimFeedforward` (2048), `dropout` (0.1), `activation` ('relu'; 'gelu', a function or
 * a Module), `layerNormEps` (1e-5), `batchFirst` (false), `normFirst` (false), `bias` (true),
 * `dtype`. forward(src, { srcMask, srcKeyPaddingMask, isCausal }).
 *
 * Shape: src (S, N, E), (N, S, E) with batchFirst, or (S, E); the output has src's shape.
 *
 * @example
 * const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true, normFirst: true });
 * const y = layer.forward(randn([2, 5, 16], { requiresGrad: true }));   // [2, 5, 16]
 * y.sum().backward();
 */
export class TransformerEncoderLayer extends Module {
  /** LayerNorm before attention and feed-forward (pre-norm) rather than after. */
  readonly normFirst: boolean;
  /** Inputs and output are (N, S, E) rather than (S, N, E). */
  readonly batchFirst: boolean;
  /** 'self_attn': the self-attention block. */
  declare selfAttn: MultiheadAttention;
  /** 'linear1': the feed-forward network's first layer, E to dimFeedforward. */
  declare linear1: Linear;
  /** 'dropout': inside the feed-forward network. */
  declare dropout: Dropout;
  /** 'linear2': the feed-forward network's second layer, dimFeedforward to E. */
  declare linear2: Linear;
  /** 'norm1': the LayerNorm around the attention block. */
  declare norm1: LayerNorm;
  /** 'norm2': the LayerNorm around the feed-forward block. */
  declare norm2: LayerNorm;
  /** 'dropout1': after the attention block. */
  declare dropout1: Dropout;
  /** 'dropout2': after the feed-forward block. */
  declare dropout2: Dropout;
  /** The feed-forward activation (a function, or a Module registered as 'activation'). */
  declare activation: ((x: Tensor) => Tensor) | Module;

  constructor(dModel: number, nhead: number, opts: TransformerEncoderLayerOptions = {}) {
    super();
    const op = 'TransformerEncoderLayer';
    const o = checkOptions(op, opts, LAYER_OPTIONS);
    checkInt(op, 'dModel', dModel, 1);
    checkInt(op, 'nhead', nhead, 1);
    const ff = checkInt(op, 'dimFeedforward', o.dimFeedforward ?? 2048, 1);
    const p = checkDropoutP(op, o.dropout ?? 0.1);
    const eps = checkEps(op, o.layerNormEps ?? 1e-5);
    const bias = o.bias ?? true;
    const dtype = paramDType(op, o);
    const act = o.activation ?? 'relu';
    if (act !== 'relu' && act !== 'gelu' && typeof act !== 'function' && !(act instanceof Module)) {
      throw new ValueError(`${op}: activation should be 'relu', 'gelu', a function or a Module, not ${JSON.stringify(act)}`);
    }
    this.normFirst = o.normFirst ?? false;
    this.batchFirst = o.batchFirst ?? false;
    // PyTorch's registration order (state-dict order)
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst: this.batchFirst, dtype });
    this.registerName('selfAttn', 'self_attn');
    this.linear1 = new Linear(dModel, ff, { bias, dtype });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, { bias, dtype });
    this.norm1 = new LayerNorm(dModel, { eps, bias, dtype });
    this.norm2 = new LayerNorm(dModel, { eps, bias, dtype });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.activation = act === 'relu' ? relu : act === 'gelu' ? (x: Tensor) => gelu(x) : act;
  }

  private act(x: Tensor): Tensor {
    const a = this.activation;
    return a instanceof Module ? (a.forward as (t: Tensor) => Tensor).call(a, x) : a(x);
  }

  private saBlock(x: Tensor, o: TransformerEncoderLayerForwardOptions): Tensor {
    const [y] = this.selfAttn.forward(x, x, x, { attnMask: o.srcMask, keyPaddingMask: o.srcKeyPaddingMask, needWeights: false, isCausal: o.isCausal });
    return this.dropout1.forward(y);
  }

  private ffBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(x)))));
  }

  forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const o = checkOptions('TransformerEncoderLayer', opts, LAYER_FORWARD_OPTIONS);
    if (src.ndim !== 2 && src.ndim !== 3) throw new ShapeError(`TransformerEncoderLayer: src must be 2-D (S, E) or 3-D, got shape ${fmt(src.shape)}`);
    return tidy(() => {
      let x = src;
      if (this.normFirst) {
        x = x.add(this.saBlock(this.norm1.forward(x), o));
        return x.add(this.ffBlock(this.norm2.forward(x)));
      }
      x = this.norm1.forward(x.add(this.saBlock(x, o)));
      return this.norm2.forward(x.add(this.ffBlock(x)));
    });
  }
}

/** Options of `nn.TransformerEncoder`. */
export interface TransformerEncoderOptions {
  /** A final normalisation after the last layer (e.g. a LayerNorm for pre-norm stacks). Default none. */
  norm?: Module | null;
  /** PyTorch's nested-tensor fast path for padded inference; accepted and ignored (the results are the same). */
  enableNestedTensor?: boolean;
  /** PyTorch's check of the mask for that fast path; accepted and ignored. */
  maskCheck?: boolean;
}
const ENCODER_OPTIONS: OptionKeys<TransformerEncoderOptions> = { norm: true, enableNestedTensor: true, maskCheck: true };

/** Options of `TransformerEncoder.forward`. */
export interface TransformerEncoderForwardOptions {
  /** Attention mask for every layer (see TransformerEncoderLayer's srcMask). */
  mask?: Tensor | null;
  /** (N, S) padding mask for every layer. */
  srcKeyPaddingMask?: Tensor | null;
  /** A hint that mask is the causal mask. Default false. */
  isCausal?: boolean;
}
const ENCODER_FORWARD_OPTIONS: OptionKeys<TransformerEncoderForwardOptions> = { mask: true, srcKeyPaddingMask: true, isCausal: true };

/**
 * A stack of `numLayers` encoder layers, like torch.nn.TransformerEncoder. As in PyTorch, the
 * given layer is deep-copied numLayers times: every layer starts with the given layer's parameter
 * values, in its own tensors (the given layer itself is not part of the stack).
 *
 * Inputs: `encoderLayer` (a TransformerEncoderLayer, or any Module with forward(src, opts)),
 * `numLayers`.
 *
 * Submodules: `layers` (a ModuleList: 'layers.0.self_attn.in_proj_weight', ...) and `norm`.
 *
 * Options: `norm` (none), `enableNestedTensor` and `maskCheck` (accepted, ignored).
 * forward(src, { mask, srcKeyPaddingMask, isCausal }) runs each layer with them, then norm.
 *
 * Shape: as the layer's; output has src's shape.
 *
 * @example
 * const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true });
 * const encoder = new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(16) });
 * const y = encoder.forward(randn([2, 5, 16], { requiresGrad: true }));
 * y.sum().backward();
 */
export class TransformerEncoder extends Module {
  /** The number of stacked layers. */
  readonly numLayers: number;
  /** 'layers': independent copies of the given layer. */
  declare layers: ModuleList;
  /** 'norm': a final normalisation applied to the output, or null. */
  declare norm: Module | null;

  constructor(encoderLayer: Module, numLayers: number, opts: TransformerEncoderOptions = {}) {
    super();
    const op = 'TransformerEncoder';
    const o = checkOptions(op, opts, ENCODER_OPTIONS);
    if (!(encoderLayer instanceof Module)) throw new ValueError(`${op}: encoderLayer must be a Module, got ${String(encoderLayer)}`);
    this.numLayers = checkInt(op, 'numLayers', numLayers, 1);
    if (o.norm !== undefined && o.norm !== null && !(o.norm instanceof Module)) throw new ValueError(`${op}: norm must be a Module or null`);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => deepCopy(encoderLayer)));
    this.norm = o.norm ?? null;
  }

  forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    const o = checkOptions('TransformerEncoder', opts, ENCODER_FORWARD_OPTIONS);
    return tidy(() => {
      let x = src;
      for (const layer of this.layers) {
        const fwd = layer.forward as (t: Tensor, f: TransformerEncoderLayerForwardOptions) => Tensor;
        x = fwd.call(layer, x, { srcMask: o.mask, srcKeyPaddingMask: o.srcKeyPaddingMask, isCausal: o.isCausal });
      }
      return this.norm ? (this.norm.forward as (t: Tensor) => Tensor).call(this.norm, x) : x;
    });
  }
}
