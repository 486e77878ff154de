import type { DType, TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/**
 * The whole job of a backend, in one file. A backend is a plain object: memory management plus
 * the primitive kernels below (required) and, optionally, fused kernels that core looks up by
 * name and otherwise composes from primitives.
 *
 * Conventions every kernel follows:
 * - Inputs are contiguous, row-major storages; every kernel returns a NEW storage, allocated by
 *   the backend, and never modifies its inputs. Enqueuing is synchronous; only `read` is async.
 * - Shapes and dtypes are passed explicitly; core has already validated them (broadcastable,
 *   dims in range, dtypes agree), so kernels do not re-check.
 * - The `dtype` argument is the dtype of the data inputs (both inputs of a binary op share it).
 */

/** An opaque handle to memory owned by a backend. Core never looks inside. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Storage {}

/** Elementwise ops of one input; output has the input's dtype. */
export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'reciprocal', 'square',
  'relu', 'sigmoid', 'tanh', 'sin', 'cos', 'erf', 'floor', 'ceil', 'round', 'logicalNot',
] as const;
/** One of {@link UNARY_OPS}. */
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Elementwise ops of two broadcast inputs of one dtype; output has that dtype. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
/** One of {@link BINARY_OPS}. */
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Comparisons of two broadcast inputs; output is `bool`. nan compares false except for 'ne'. */
export const COMPARE_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
/** One of {@link COMPARE_OPS}. */
export type CompareOp = (typeof COMPARE_OPS)[number];

/** Reductions over a set of axes. max/min propagate nan. */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min'] as const;
/** One of {@link REDUCE_OPS}. */
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** The index reductions of `argReduce`: position of the max or the min. */
export type ArgReduceOp = 'argmax' | 'argmin';

/** The distributions of the `random` primitive (see {@link RandomSpec}). */
export type RandomKind = 'uniform' | 'normal' | 'bernoulli';

/** Cumulative ops of `scan` (torch.cumsum, torch.cumprod). */
export const SCAN_OPS = ['sum', 'prod'] as const;
/** One of {@link SCAN_OPS}. */
export type ScanOp = (typeof SCAN_OPS)[number];

/** Parameters of `matmul`: `batch` independent (m x k) @ (k x n) products. */
export interface MatmulSpec {
  /** Independent products; A and B advance by their batch strides between them. */
  batch: number;
  /** Rows of A and of the output. */
  m: number;
  /** Columns of B and of the output. */
  n: number;
  /** Columns of A and rows of B: the length of each dot product. */
  k: number;
  /** A is stored as (k x m) per batch item and used transposed. */
  transA: boolean;
  /** B is stored as (n x k) per batch item and used transposed. */
  transB: boolean;
  /** Elements between consecutive batch items of A; 0 broadcasts one matrix to every item. */
  aBatchStride: number;
  /** Elements between consecutive batch items of B; 0 broadcasts one matrix to every item. */
  bBatchStride: number;
}

/**
 * Random numbers from Philox 4x32-10 (see `random/philox.ts`, which backends may import):
 * element i uses counter (offset + floor(i / 4)) and lane i % 4 under `key`.
 * - uniform: `low + (high - low) * u`, u = (bits >>> 8) * 2^-24 in [0, 1)
 * - normal: Box-Muller on lanes (0,1) and (2,3), then `mean + std * z`
 * - bernoulli: 1 where u < p else 0 (in the output dtype)
 */
export interface RandomSpec {
  /** The distribution. */
  kind: RandomKind;
  /** The Philox key: two 32-bit words from the generator's seed. */
  key: readonly [number, number];
  /** The first Philox counter; the generator advances it so no two draws share counters. */
  offset: number;
  /** uniform: [low, high]; normal: [mean, std]; bernoulli: [p, 0]. */
  params: readonly [number, number];
}

/**
 * The range every element of a storage must lie in, for `Primitives.validate`: values only the
 * user supplies (class-index targets, gather indices, BCELoss probabilities). Core builds it, with
 * the error backend-cpu throws, so every backend reports the same class and message.
 */
export interface ValueCheck {
  /** Smallest allowed value. */
  min: number;
  /** Largest allowed value, inclusive. */
  max: number;
  /** One value allowed outside [min, max] (NLLLoss's ignoreIndex), or null. nan is never allowed. */
  except: number | null;
  /** The error for the first element (in row-major order) outside the range: its value and flat index. */
  error(value: number, index: number): Error;
}

/** The kernels every backend must implement. */
export interface Primitives {
  /** Elementwise `op` over `size` elements of `dtype`. */
  unary(op: UnaryOp, x: Storage, size: number, dtype: DType): Storage;
  /** Elementwise `op(a, b)` with a and b broadcast to outShape (right-aligned); output has `dtype`. */
  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape, dtype: DType): Storage;
  /** Elementwise comparison of a and b broadcast to outShape; output is `bool`. */
  compare(op: CompareOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape, dtype: DType): Storage;
  /** out = cond ? a : b, all three broadcast to outShape; cond is `bool`, a and b have `dtype`. */
  where(cond: Storage, condShape: Shape, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape, dtype: DType): Storage;
  /** Converts; float -> int truncates toward zero; anything -> bool is (x != 0). Same dtype copies. */
  cast(x: Storage, size: number, from: DType, to: DType): Storage;
  /** Reduces over `axes` (sorted, unique); output shape is `shape` without those axes. Empty sum is 0, prod 1, max -inf, min +inf. */
  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[], dtype: DType): Storage;
  /** Index (int32) of the max/min along `axis`; first occurrence on ties; a nan wins. Output drops `axis`. */
  argReduce(op: ArgReduceOp, x: Storage, shape: Shape, axis: number, dtype: DType): Storage;
  /** `batch` products of (m x k) @ (k x n) as {@link MatmulSpec} describes; output (batch, m, n). */
  matmul(a: Storage, b: Storage, spec: MatmulSpec, dtype: DType): Storage;
  /**
   * torch.gather: out[..i..] = x[..index[..i..] at axis..]; out has indexShape; index is int32
   * and in range (validated by core; see `validate` for what an asynchronous device may see).
   */
  gather(x: Storage, xShape: Shape, axis: number, index: Storage, indexShape: Shape, dtype: DType): Storage;
  /** zeros(outShape), then out[..index[..i..] at axis..] += src[..i..]; src has indexShape. */
  scatterAdd(index: Storage, indexShape: Shape, src: Storage, outShape: Shape, axis: number, dtype: DType): Storage;
  /** out = x.permute(perm), materialized. */
  permute(x: Storage, shape: Shape, perm: readonly number[], dtype: DType): Storage;
  /** Broadcasts x (shape, right-aligned) to outShape, materialized. */
  expand(x: Storage, shape: Shape, outShape: Shape, dtype: DType): Storage;
  /** Strided window: out[i] = x[begin + i * step] per axis; outShape is given. Steps are >= 1. */
  slice(x: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape, dtype: DType): Storage;
  /** A copy of base (shape) with the strided window (begin, step, srcShape) replaced by src. */
  setSlice(base: Storage, shape: Shape, src: Storage, srcShape: Shape, begin: readonly number[], step: readonly number[], dtype: DType): Storage;
  /** Joins inputs along axis; all shapes agree except at axis. */
  concat(inputs: readonly Storage[], shapes: readonly Shape[], axis: number, dtype: DType): Storage;
  /** A new storage of `size` elements all equal to `value` (cast to `dtype`). */
  fill(value: number, size: number, dtype: DType): Storage;
  /** `size` random values of `dtype` as {@link RandomSpec} describes; identical on every backend. */
  random(spec: RandomSpec, size: number, dtype: DType): Storage;
  /**
   * Inclusive cumulative sum/prod along `axis`: out[i] = x[0] op ... op x[i], or with `reverse`
   * out[i] = x[i] op ... op x[n-1]. dtype float32, float64 or int32 (int32 wraps as the typed
   * array store does). nan and inf propagate along the axis as the arithmetic gives; an empty
   * input gives an empty output.
   */
  scan(op: ScanOp, x: Storage, shape: Shape, axis: number, reverse: boolean, dtype: DType): Storage;
  /**
   * The int32 permutation that sorts x along `axis` (out has x's shape; out[..j..] is the input
   * position of the j-th element in order). Stable: equal values keep their input order, also
   * when descending. -0 equals 0; nan is above +inf, so last ascending and first descending, nans
   * in input order. dtype float32, float64 or int32. An empty axis gives an empty output.
   */
  argsort(x: Storage, shape: Shape, axis: number, descending: boolean, dtype: DType): Storage;
  /**
   * Checks that every element of x (`size` values of `dtype`) lies in [check.min, check.max] or
   * equals check.except, and reports the first that does not (nan never passes) with
   * `check.error(value, flatIndex)`. Returns nothing and allocates nothing the caller sees.
   * A backend that reads synchronously throws that error at once (core's `firstViolation` does
   * the scan). An asynchronous device checks in a kernel and raises a flag in an error buffer:
   * the next `read` or sync throws the first failed check's error (as CUDA reports device-side
   * asserts), and a later read of any storage computed from the checked values throws it again.
   * Until then kernels may receive the bad values and must neither read nor write outside their
   * buffers (their results are never handed back). Core calls this for user-supplied values only;
   * indices core generates itself (im2col, argmax backward) are not checked.
   */
  validate(x: Storage, size: number, dtype: DType, check: ValueCheck): void;
}

/**
 * Optional kernels a backend may add for speed. Core looks each one up by name and, if absent,
 * composes the same result from primitives; conformance checks that both paths agree.
 */
export interface FusedKernels {
  /** log(softmax(x)) along axis, numerically stable (max-subtracted). */
  logSoftmax(x: Storage, shape: Shape, axis: number, dtype: DType): Storage;
  /** softmax(x) along axis, numerically stable (max-subtracted); each slice sums to 1. */
  softmax(x: Storage, shape: Shape, axis: number, dtype: DType): Storage;
  /**
   * Cross entropy with class-index targets (nn.CrossEntropyLoss's common case), forward only:
   * core writes the gradient from `logProbs` and `weightSum`. Logits are (batch, classes, inner)
   * row-major, the class dim in the middle; target is int32 of batch * inner entries, each in
   * [0, classes) or equal to ignoreIndex (validated by core: see `validate`); weight is null or
   * `classes` values of `dtype`. Per entry, with w = weight (1s when null) and e = labelSmoothing:
   *   l = (1 - e) * (-w[y] * logp[y]) + (e / classes) * (-sum_c w[c] * logp[c]), 0 if y == ignoreIndex
   * (with e = 0 the second term is absent, not 0 * inf). `loss` holds batch * inner values for
   * 'none', else one: the sum, or for 'mean' the NLL and smoothing sums each divided by
   * `weightSum` (nan when every entry is ignored), combined as above.
   */
  crossEntropy(logits: Storage, target: Storage, weight: Storage | null, spec: CrossEntropySpec, dtype: DType): CrossEntropyResult;
  /**
   * One torch.optim.SGD update of a parameter of `size` elements; param, grad and the momentum
   * buffer share `dtype`. Elementwise, in PyTorch 1.13's order:
   *   d = maximize ? -grad : grad;   d = d + weightDecay * param        (when weightDecay != 0)
   *   when momentum != 0:  buf = (momentumBuffer null, the first step) ? d
   *                              : momentum * buf + (1 - dampening) * d
   *                        d = nesterov ? d + momentum * buf : buf
   *   param' = param - lr * d
   * Returns NEW storages (inputs are untouched, as for every kernel): the updated parameter, and
   * the new momentum buffer when momentum != 0 (else null). Core rebinds the parameter to it.
   */
  sgdStep(param: Storage, grad: Storage, momentumBuffer: Storage | null, size: number, spec: SgdStepSpec, dtype: DType): SgdStepResult;
  /**
   * One torch.optim.Adam / AdamW update of a parameter of `size` elements; every storage has
   * `dtype`. Elementwise, in PyTorch 1.13's order, with t = spec.step (already counted, 1 first):
   *   g = maximize ? -grad : grad
   *   decoupled (AdamW): param = param * (1 - lr * weightDecay); else g = g + weightDecay * param (when != 0)
   *   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + ((1 - beta2) * g) * g
   *   amsgrad: vmax = max(vmax, v) (maxExpAvgSq null counts as zeros; nan propagates); v̂ = vmax, else v̂ = v
   *   param' = param - (lr / (1 - beta1^t)) * m / (sqrt(v̂) / sqrt(1 - beta2^t) + eps)
   * Returns NEW storages for the parameter and each moment (maxExpAvgSq only with amsgrad, else
   * null); the inputs are untouched.
   */
  adamStep(param: Storage, grad: Storage, state: AdamStepState, size: number, spec: AdamStepSpec, dtype: DType): AdamStepResult;
  /**
   * Layer normalisation (nn.LayerNorm), forward, over `rows` rows of `cols` contiguous values (the
   * normalised trailing dims flattened). Per row, in the accumulation precision of the backend:
   *   mean = sum(x) / cols;  var = sum((x - mean)^2) / cols (biased);  rstd = 1 / sqrt(var + eps)
   *   out = (x - mean) * rstd * weight + bias      (weight, bias: `cols` values each, or null: 1, 0)
   * Returns NEW storages: out (rows x cols), and mean and rstd (rows values each) for the backward.
   */
  layerNorm(x: Storage, weight: Storage | null, bias: Storage | null, spec: LayerNormSpec, dtype: DType): LayerNormResult;
  /**
   * The gradient of `layerNorm` from the upstream gradient dy (rows x cols) and the forward's
   * x, mean and rstd. Per row, with xhat = (x - mean) * rstd and gw = dy * weight (dy when null):
   *   dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat))        (means over the row)
   * and over all rows: dweight = sum(dy * xhat), dbias = sum(dy) (`cols` values each).
   * Returns NEW storages dx, dweight and dbias.
   */
  layerNormBackward(dy: Storage, x: Storage, mean: Storage, rstd: Storage, weight: Storage | null, spec: LayerNormSpec, dtype: DType): LayerNormGrads;
  /**
   * Scaled dot-product attention, forward, dropout off, over `batch` independent items. q is
   * (batch, l, e), k (batch, s, e), v (batch, s, ev); mask null or additive (-inf excludes), of
   * (l, s) values per item, item b's at b * maskBatchStride (0: one mask for every item). Per
   * item, query row i and key j:
   *   s_ij = scale * sum_e q_ie k_je + mask_ij,  and -inf where causal and j > i
   *   p_ij = exp(s_ij - max_j s_ij) / sum_j exp(s_ij - max_j s_ij);  out_i = sum_j p_ij v_j
   * A row whose s are all -inf gets p = 0 with maskedRows 'zero' (PyTorch's
   * scaled_dot_product_attention) and nan with 'nan' (softmax's own result, as
   * MultiheadAttention with needWeights). Returns NEW storages out (batch, l, ev) and the
   * probabilities p (batch, l, s), which core's gradient reads.
   */
  attention(q: Storage, k: Storage, v: Storage, mask: Storage | null, spec: AttentionSpec, dtype: DType): AttentionResult;
  /**
   * The gradient of `attention` from the upstream gradient g of out (batch, l, ev), the inputs
   * and the forward's probabilities p. Per item, with dP_ij = sum_c g_ic v_jc:
   *   dS_ij = p_ij (dP_ij - sum_j' dP_ij' p_ij')
   *   dq_i = scale sum_j dS_ij k_j;   dk_j = scale sum_i dS_ij q_i;   dv_j = sum_i p_ij g_i
   * (a nan row of p gives nan, as the composition does). Returns NEW storages dq, dk, dv.
   */
  attentionBackward(g: Storage, q: Storage, k: Storage, v: Storage, probs: Storage, spec: AttentionSpec, dtype: DType): AttentionGrads;
  /**
   * One time step of nn.LSTM / nn.LSTMCell, elementwise over `batch` rows of `hidden` units,
   * gates in PyTorch's order i, f, g, o. `xg` is the input projection of every time step (biases
   * included); this step's [batch, 4 * hidden] rows start at element `spec.xOffset`. `hg` is
   * h W_hh^T ([batch, 4 * hidden]) and `c` the previous cell state ([batch, hidden]). Per unit:
   *   i = σ(xg_i + hg_i), f = σ(xg_f + hg_f), g = tanh(xg_g + hg_g), o = σ(xg_o + hg_o)
   *   c' = f * c + i * g,   h' = o * tanh(c')
   * Returns new storages h', c' and `gates` = [i | f | g | o] per row ([batch, 4 * hidden]),
   * which is what `lstmCellBackward` reads.
   */
  lstmCell(xg: Storage, hg: Storage, c: Storage, spec: RnnCellSpec, dtype: DType): LstmCellResult;
  /**
   * The gradient of one `lstmCell` step from dh (of h') and dc (of c'), all [batch, hidden] but
   * `gates`. With tc = tanh(c') and dct = dc + dh * o * (1 - tc²):
   *   dgates = [dct * g * i(1 - i) | dct * c * f(1 - f) | dct * i * (1 - g²) | dh * tc * o(1 - o)]
   *   dcPrev = dct * f
   * `spec.xOffset` is unused (0).
   */
  lstmCellBackward(gates: Storage, c: Storage, cNew: Storage, dh: Storage, dc: Storage, spec: RnnCellSpec, dtype: DType): LstmCellGrads;
  /**
   * One time step of nn.GRU / nn.GRUCell, gates r, z, n in PyTorch's order. `xg` and `spec.xOffset`
   * as for lstmCell ([batch, 3 * hidden] per step, b_ih included); `hg` = h W_hh^T without bias
   * ([batch, 3 * hidden]); `bhh` is b_hh ([3 * hidden]) or null for none; `h` the previous state:
   *   r = σ(xg_r + hg_r + bhh_r), z = σ(xg_z + hg_z + bhh_z), hn = hg_n + bhh_n
   *   n = tanh(xg_n + r * hn),   h' = (1 - z) * n + z * h
   * Returns new storages h' and `gates` = [r | z | n | hn] per row ([batch, 4 * hidden]).
   */
  gruCell(xg: Storage, hg: Storage, bhh: Storage | null, h: Storage, spec: RnnCellSpec, dtype: DType): GruCellResult;
  /**
   * The gradient of one `gruCell` step from dh (of h'). With dn = dh * (1 - z) * (1 - n²),
   * dz = dh * (h - n) * z(1 - z), dr = dn * hn * r(1 - r):
   *   dxg = [dr | dz | dn],   dhg = [dr | dz | dn * r]   ([batch, 3 * hidden]; dhg is also the b_hh gradient per row)
   *   dh = dh * z   (the direct path; core adds dhg W_hh)
   * `spec.xOffset` is unused (0).
   */
  gruCellBackward(gates: Storage, h: Storage, dh: Storage, spec: RnnCellSpec, dtype: DType): GruCellGrads;
  /**
   * 2-D convolution (cross-correlation) with zero padding, x (batch, inChannels, inH, inW) and
   * weight (outChannels, inChannels / groups, kH, kW) to (batch, outChannels, outH, outW):
   *   out[n, o, i, j] = bias[o] + sum_{c, a, b} x[n, g(o) * C_g + c, i * sH - pH + a * dH, j * sW - pW + b * dW] * w[o, c, a, b]
   * with C_g = inChannels / groups, g(o) = floor(o / (outChannels / groups)), and taps outside the
   * input reading 0. bias is null or outChannels values.
   */
  conv2d(x: Storage, weight: Storage, bias: Storage | null, spec: Conv2dSpec, dtype: DType): Storage;
  /**
   * The gradient of conv2d with respect to x, given the output's gradient (batch, outChannels,
   * outH, outW): (batch, inChannels, inH, inW), each input element summing grad * w over every
   * (output, tap) that read it. Also ConvTranspose2d's forward.
   */
  conv2dBackwardInput(grad: Storage, weight: Storage, spec: Conv2dSpec, dtype: DType): Storage;
  /**
   * The gradient of conv2d with respect to the weight: (outChannels, inChannels / groups, kH, kW),
   *   gw[o, c, a, b] = sum_{n, i, j} grad[n, o, i, j] * x[n, g(o) * C_g + c, i * sH - pH + a * dH, j * sW - pW + b * dW]
   */
  conv2dBackwardWeight(x: Storage, grad: Storage, spec: Conv2dSpec, dtype: DType): Storage;
  /**
   * Max pooling over `planes` planes of (inH, inW) to (outH, outW). Window (i, j) covers rows
   * i * sH - pH + a * dH (a < kH) and columns likewise; taps outside the input are skipped. The
   * max is taken in row-major tap order, a tap replacing it when greater or when it is nan (nan
   * propagates; the first of tied maxima and the last nan win, as in PyTorch's kernels). `indices`
   * (int32) holds the winner's flat index row * inW + col in its plane (PyTorch's
   * return_indices); a window of only -inf reports its first tap inside the input.
   */
  maxPool2d(x: Storage, spec: Pool2dSpec, dtype: DType): MaxPool2dResult;
  /** zeros(planes, inH, inW), then each output's gradient added at its plane's `indices` entry. */
  maxPool2dBackward(grad: Storage, indices: Storage, spec: Pool2dSpec, dtype: DType): Storage;
  /**
   * Average pooling (dilation 1) over `planes` planes. For window (i, j), with h0 = i * sH - pH,
   * h1 = min(h0 + kH, inH + pH) (likewise w0, w1): the sum over the taps inside the input,
   * divided by divisorOverride when it is non-zero, else by (h1 - h0) * (w1 - w0) when
   * countIncludePad, else by the number of taps inside the input (PyTorch's avg_pool2d).
   */
  avgPool2d(x: Storage, spec: Pool2dSpec, dtype: DType): Storage;
  /** The gradient of avgPool2d: each output's gradient / its divisor, added to every tap inside the input. */
  avgPool2dBackward(grad: Storage, spec: Pool2dSpec, dtype: DType): Storage;
}
/** The name of a fused kernel, as `fusedKernel(name)` looks it up. */
export type FusedName = keyof FusedKernels;

/** Sizes and eps of the fused `layerNorm` kernels. */
export interface LayerNormSpec {
  /** Rows normalised independently: the product of the leading dims. */
  rows: number;
  /** Values normalised together: the product of normalizedShape. */
  cols: number;
  /** Added to the variance for stability. */
  eps: number;
}

/** What the fused `layerNorm` kernel returns: new storages. */
export interface LayerNormResult {
  /** The normalised (and scaled, shifted) output, (rows, cols). */
  out: Storage;
  /** Per row (rows values). */
  mean: Storage;
  /** 1 / sqrt(var + eps) per row. */
  rstd: Storage;
}

/** What the fused `layerNormBackward` kernel returns: new storages. */
export interface LayerNormGrads {
  /** The input's gradient, (rows, cols). */
  dx: Storage;
  /** cols values: sum over rows of dy * xhat. */
  dweight: Storage;
  /** cols values: sum over rows of dy. */
  dbias: Storage;
}

/** Sizes and options of the fused `attention` kernel. */
export interface AttentionSpec {
  /** Independent attention problems (batch times heads). */
  batch: number;
  /** Query rows (target length L). */
  l: number;
  /** Key rows (source length S). */
  s: number;
  /** Query/key width. */
  e: number;
  /** Value width. */
  ev: number;
  /** Multiplies the scores q·k before the softmax (usually 1 / sqrt(e)). */
  scale: number;
  /** Mask out keys after each query's position (query i sees keys 0..i). */
  causal: boolean;
  /** Elements between consecutive items' masks: 0 (shared) or l * s. */
  maskBatchStride: number;
  /** What a row with every score -inf gives: 0s, or nan as softmax would. */
  maskedRows: 'zero' | 'nan';
}

/** What the fused `attention` kernel returns: new storages. */
export interface AttentionResult {
  /** The output, (batch, l, ev). */
  out: Storage;
  /** The attention probabilities, (batch, l, s). */
  probs: Storage;
}

/** What the fused `attentionBackward` kernel returns: gradients of q, k and v, shaped as they are. */
export interface AttentionGrads {
  /** The gradient of q, (batch, l, e). */
  dq: Storage;
  /** The gradient of k, (batch, s, e). */
  dk: Storage;
  /** The gradient of v, (batch, s, ev). */
  dv: Storage;
}

/** Sizes and options of the fused `crossEntropy` kernel. */
export interface CrossEntropySpec {
  /** Rows N of the logits (1 for an unbatched (C) input). */
  batch: number;
  /** Classes C: the size of the middle dim of the logits. */
  classes: number;
  /** Product of the trailing dims d1..dk of a K-dim input; 1 for (N, C) and (C). */
  inner: number;
  /** A target equal to this contributes nothing to the loss or the weight sum. */
  ignoreIndex: number;
  /** e in [0, 1]: the target mixes (1 - e) of the class with e spread over all classes. */
  labelSmoothing: number;
  /** 'none': one loss per entry; 'sum'; 'mean': divided by the weight sum. */
  reduction: 'none' | 'mean' | 'sum';
}

/** What the fused `crossEntropy` kernel returns: three new storages of its dtype. */
export interface CrossEntropyResult {
  /** batch * inner losses for reduction 'none', else one value. */
  loss: Storage;
  /** log(softmax(logits)) over the class dim, (batch, classes, inner). */
  logProbs: Storage;
  /** One value: the sum of w[y] over the entries not ignored (their count without a weight). */
  weightSum: Storage;
}

/** Hyperparameters of the fused `sgdStep` kernel (torch.optim.SGD's, for one parameter group). */
export interface SgdStepSpec {
  /** Learning rate. */
  lr: number;
  /** Momentum factor; 0 turns momentum (and the buffer) off. */
  momentum: number;
  /** Dampening of the momentum's gradient term. */
  dampening: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** L2 penalty added to the gradient (0: none). */
  weightDecay: number;
  /** Step up the gradient instead of down. */
  maximize: boolean;
}

/** What the fused `sgdStep` kernel returns: new storages. */
export interface SgdStepResult {
  /** The updated parameter. */
  param: Storage;
  /** The new momentum buffer; null when momentum is 0. */
  momentumBuffer: Storage | null;
}

/** Hyperparameters of the fused `adamStep` kernel: Adam's, or AdamW's with `decoupled`. */
export interface AdamStepSpec {
  /** Learning rate. */
  lr: number;
  /** Decay of the first moment (the mean of the gradient). */
  beta1: number;
  /** Decay of the second moment (the mean of its square). */
  beta2: number;
  /** Added to the denominator for numerical stability. */
  eps: number;
  /** Weight decay: L2 on the gradient, or decoupled (AdamW). */
  weightDecay: number;
  /** AdamW: decay the parameter itself instead of adding weightDecay * param to the gradient. */
  decoupled: boolean;
  /** Use the running max of the second moment (AMSGrad). */
  amsgrad: boolean;
  /** Step up the gradient instead of down. */
  maximize: boolean;
  /** This parameter's step count including this step (1 on the first), for bias correction. */
  step: number;
}

/** Adam's per-parameter moments, as kernel inputs. */
export interface AdamStepState {
  /** The first moment m. */
  expAvg: Storage;
  /** The second moment v. */
  expAvgSq: Storage;
  /** The running max of expAvgSq (amsgrad); null where there is none yet (zeros). */
  maxExpAvgSq: Storage | null;
}

/** What the fused `adamStep` kernel returns: new storages, maxExpAvgSq null unless amsgrad. */
export interface AdamStepResult extends AdamStepState {
  /** The updated parameter. */
  param: Storage;
}

/** Sizes of one recurrent time step (the fused lstmCell/gruCell kernels and their backward). */
export interface RnnCellSpec {
  /** Rows of the step's input and state (the batch size N). */
  batch: number;
  /** Hidden units per row (hidden_size); each gate is this wide. */
  hidden: number;
  /** Where this step's rows start in the forward kernel's `xg`, in elements. */
  xOffset: number;
}

/** What the fused `lstmCell` kernel returns: new storages of its dtype. */
export interface LstmCellResult {
  /** The new hidden state h', `[batch, hidden]`. */
  h: Storage;
  /** The new cell state c', `[batch, hidden]`. */
  c: Storage;
  /** `[batch, 4 * hidden]`: the activated gates i, f, g, o. */
  gates: Storage;
}

/** What the fused `lstmCellBackward` kernel returns: new storages of its dtype. */
export interface LstmCellGrads {
  /** `[batch, 4 * hidden]`: the gradient of the pre-activation gates. */
  dgates: Storage;
  /** `[batch, hidden]`: the gradient of the previous cell state. */
  dc: Storage;
}

/** What the fused `gruCell` kernel returns: new storages of its dtype. */
export interface GruCellResult {
  /** The new hidden state h', `[batch, hidden]`. */
  h: Storage;
  /** `[batch, 4 * hidden]`: r, z, n and hn = (h W_hh^T + b_hh) of the n gate. */
  gates: Storage;
}

/** What the fused `gruCellBackward` kernel returns: new storages of its dtype. */
export interface GruCellGrads {
  /** `[batch, 3 * hidden]`: the gradient of the input projection. */
  dxg: Storage;
  /** `[batch, 3 * hidden]`: the gradient of h W_hh^T + b_hh. */
  dhg: Storage;
  /** `[batch, hidden]`: the direct part of the previous state's gradient, dh * z. */
  dh: Storage;
}

/**
 * Geometry of a 2-D convolution (Conv1d runs as one with inH = outH = 1). Pairs are [H, W].
 * Padding here is the zero padding before the first row and column; what lies after the last
 * one only shows in `outSize` (core pads other padding modes itself).
 */
export interface Conv2dSpec {
  /** Items N in the batch. */
  batch: number;
  /** Channels of the input x. */
  inChannels: number;
  /** Channels of the output (rows of the weight). */
  outChannels: number;
  /** Channel groups; inChannels and outChannels are both multiples of it (1: a dense conv). */
  groups: number;
  /** The input's [inH, inW]. */
  inSize: readonly [number, number];
  /** The output's [outH, outW]. */
  outSize: readonly [number, number];
  /** The weight's taps [kH, kW]. */
  kernel: readonly [number, number];
  /** Step between windows [sH, sW], at least 1. */
  stride: readonly [number, number];
  /** Zero padding [pH, pW] before the first row and column. */
  padding: readonly [number, number];
  /** Spacing between taps [dH, dW] (1: adjacent). */
  dilation: readonly [number, number];
}

/** Geometry of 2-D pooling over `planes` independent (inH, inW) planes (batch * channels). */
export interface Pool2dSpec {
  /** Independent planes pooled (batch * channels). */
  planes: number;
  /** Each input plane's [inH, inW]. */
  inSize: readonly [number, number];
  /** Each output plane's [outH, outW]. */
  outSize: readonly [number, number];
  /** The window [kH, kW]. */
  kernel: readonly [number, number];
  /** Step between windows [sH, sW], at least 1. */
  stride: readonly [number, number];
  /** Implicit padding before the first row and column (-inf for max, skipped or counted for avg). */
  padding: readonly [number, number];
  /** Max pooling only; avgPool2d is called with [1, 1]. */
  dilation: readonly [number, number];
  /** avgPool2d: count the padded taps in the divisor. */
  countIncludePad: boolean;
  /** avgPool2d: divide by this instead, when non-zero. */
  divisorOverride: number;
}

/** What the fused `maxPool2d` kernel returns: the maxima and where they were (int32, planes x outH x outW). */
export interface MaxPool2dResult {
  /** The maxima, (planes, outH, outW), of the input's dtype. */
  out: Storage;
  /** int32, (planes, outH, outW): each maximum's flat index row * inW + col in its input plane. */
  indices: Storage;
}

/** What a backend's `memory()` reports. */
export interface MemoryInfo {
  /** Live storages owned by the backend. */
  storages: number;
  /** Bytes those storages hold. */
  bytes: number;
}

/**
 * A backend: memory management, the primitive kernels every backend has ({@link Primitives}) and
 * optional fused kernels ({@link FusedKernels}). See docs/backend-authors.md.
 *
 * ```ts
 * import { setBackend } from '@logit/core';
 * import { createBackend } from '@logit/backend-cpu';
 * setBackend(await createBackend());
 * ```
 */
export interface Backend {
  /** A short name shown in messages and `tensor.backend`, e.g. 'cpu'. */
  readonly name: string;
  /** The dtypes this backend can store; every backend stores float32, int32 and bool. */
  readonly dtypes: readonly DType[];
  /** A new storage of `size` elements of `dtype` (contents unspecified). */
  alloc(dtype: DType, size: number): Storage;
  /** Copies host data into a storage of the same dtype and size. */
  write(s: Storage, data: TypedArray): void;
  /** A copy of the storage's data. Always available. */
  read(s: Storage): Promise<TypedArray>;
  /** Only where a synchronous read is cheap and honest (not on WebGPU). */
  readSync?(s: Storage): TypedArray;
  /** Releases a storage; core calls it once, when the last tensor using it is disposed. */
  free(s: Storage): void;
  /** Live storages and their bytes, for `memory()` and leak checks. */
  memory(): MemoryInfo;
  /** The primitive kernels. */
  readonly ops: Primitives;
  /** The fused kernels this backend has; core composes the others from primitives. */
  readonly fused?: Partial<FusedKernels>;
}
