import type { Backend, Storage } from './backend/types.js';
import { BackendError, DTypeError, IndexError, ShapeError, ValueError } from './errors.js';
import { isFloat, type DType, type TypedArray } from './dtype.js';
import { fmt, sameShape, type Shape } from './shape.js';
import type { DataRef } from './memory/data-ref.js';
import { forgetCollected, keep, setTensorCheck, tidy, track, untrack, type Scoped } from './memory/scope.js';
import { isGradEnabled, noGrad } from './autograd/grad-mode.js';
import { releaseNode, type Node } from './autograd/node.js';
import { runBackward } from './autograd/backward.js';
import * as ew from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as shp from './ops/shape-ops.js';
import * as idx from './ops/index-ops.js';
import { matmul } from './ops/matmul.js';
import * as move from './ops/move.js';
import { moveSync, type ToTarget } from './ops/move.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { filled } from './ops/dispatch.js';
import { checkInt32 } from './ops/host-values.js';
import { nested } from './ops/nested.js';
import { checkOptions } from './options.js';
import * as msk from './ops/masking.js';
import * as spl from './ops/split.js';
import * as mom from './ops/moments.js';
import * as srt from './ops/sort.js';
import * as scn from './ops/scan.js';
import type { ValuesIndices } from './ops/sort.js';
import { multinomial, type MultinomialOptions } from './ops/multinomial.js';
import { norm, type NormOrd } from './ops/norm.js';
import { bmm, outer } from './ops/products.js';
import { newFilled, type NewTensorOptions } from './ops/new-tensors.js';

type TensorLike = Tensor | number;

/** What the finalizer needs to free a tensor the program forgot to dispose. */
interface Handle {
  ref: DataRef | null;
  gradFn: Node | null;
}

// The safety net for tensors a program forgot to dispose. Scopes hold their tensors strongly, so a
// collected tensor is in no scope; only the live count changes.
const finalizer = new FinalizationRegistry<Handle>((h) => {
  h.ref?.release();
  if (h.gradFn) releaseNode(h.gradFn);
  forgetCollected();
});

let nextId = 1;

/**
 * An n-dimensional array on a backend, with autograd. Create one with `tensor()`, `zeros()`,
 * `randn()`...; every op returns a new tensor (the `_`-suffixed methods rebind in place).
 */
export class Tensor {
  /** A number unique to this tensor in this process, used in messages (`tensor #12`). */
  readonly id = nextId++;
  private readonly h: Handle;
  private _shape: number[];
  private _grad: Tensor | null = null;
  private _requiresGrad = false;
  /** @internal The tidy scope that will dispose this tensor (see memory/scope.ts). */
  _scope: Set<Scoped> | null = null;

  /**
   * @internal Use the creation functions. Takes ownership of one reference to `ref`.
   * @param dtype - The element type: 'float32' (the default of the creation functions), 'int32', 'bool', or 'float64' (backend-cpu).
   */
  private constructor(ref: DataRef, shape: readonly number[], readonly dtype: DType) {
    this.h = { ref, gradFn: null };
    this._shape = shape.slice();
    track(this);
    finalizer.register(this, this.h, this);
  }

  /** @internal */
  static _fromRef(ref: DataRef, shape: Shape, dtype: DType): Tensor {
    return new Tensor(ref, shape, dtype);
  }

  /** The size of each dimension, e.g. `[2, 3]`; `[]` for a 0-d (scalar) tensor. */
  get shape(): readonly number[] {
    return this._shape;
  }
  /** The number of dimensions (`shape.length`). */
  get ndim(): number {
    return this._shape.length;
  }
  /** The shape, or one dim of it (negative dims count from the end), like torch.Tensor.size. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this._shape.slice();
    const d = dim < 0 ? dim + this.ndim : dim;
    if (!Number.isInteger(d) || d < 0 || d >= this.ndim) throw new IndexError(`size: dim ${dim} is out of range for rank ${this.ndim}`);
    return this._shape[d];
  }
  /** The number of elements: the product of the shape (1 for a 0-d tensor). */
  numel(): number {
    return this._shape.reduce((a, b) => a * b, 1);
  }
  /** True once `dispose()` (or the end of a `tidy`) has freed this tensor; using it then throws. */
  get isDisposed(): boolean {
    return this.h.ref === null;
  }
  /** The name of the backend this tensor lives on ('cpu', 'wasm', 'webgpu'). */
  get backend(): string {
    return this._ref().backend.name;
  }
  /** The backend instance this tensor lives on, as PyTorch's `t.device`: `y.to(x.device)`. */
  get device(): Backend {
    return this._ref().backend;
  }

  /** @internal */
  _ref(): DataRef {
    if (!this.h.ref) throw new ValueError(`tensor #${this.id} of shape ${fmt(this._shape)} was disposed and cannot be used`);
    return this.h.ref;
  }
  /** @internal */
  _storage(): Storage {
    return this._ref().storage;
  }

  // ---- autograd ----------------------------------------------------------------------------

  /** Whether ops on this tensor are recorded so that `backward()` can fill its `.grad`. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  /** Same as `requiresGrad_(v)`: only floating-point leaves can require gradients. */
  set requiresGrad(v: boolean) {
    this.requiresGrad_(v);
  }
  /** The graph node of the op that produced this tensor (null for leaves), like torch.Tensor.grad_fn. */
  get gradFn(): Node | null {
    return this.h.gradFn;
  }
  /** True for tensors not produced by a recorded op (user-created, or detached). */
  get isLeaf(): boolean {
    return this.h.gradFn === null;
  }
  /** The gradient accumulated by `backward()` for a leaf that requires grad; null until then. */
  get grad(): Tensor | null {
    return this._grad;
  }
  /** Settable, as in PyTorch. The tensor assigned is kept out of `tidy` and disposed when replaced. */
  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new ValueError('grad: assigned value must be a Tensor or null');
      if (!sameShape(g.shape, this.shape)) throw new ShapeError(`grad: assigned grad has shape ${fmt(g.shape)}, expected ${fmt(this.shape)}`);
      if (g.dtype !== this.dtype) throw new DTypeError(`grad: assigned grad has dtype ${g.dtype}, expected ${this.dtype}`);
    }
    this._setGradOwned(g);
  }
  /** @internal */
  _setGradOwned(g: Tensor | null): void {
    if (g !== null && this.isDisposed) {
      throw new ValueError(`grad: tensor #${this.id} of shape ${fmt(this._shape)} was disposed and cannot hold a gradient`);
    }
    if (this._grad && this._grad !== g) this._grad.dispose();
    this._grad = g ? keep(g) : null;
  }
  /** @internal */
  _attachGradFn(node: Node): void {
    node.refs++;
    this.h.gradFn = node;
    this._requiresGrad = true;
  }

  /**
   * Turns gradient recording for this leaf on (default) or off, in place; returns this tensor.
   *
   * @param requiresGrad - default `true`. Only floating-point tensors can require gradients, and
   *   a non-leaf cannot be turned off (use `detach()`).
   *
   * ```ts
   * const w = randn([3, 2]).requiresGrad_();
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    if (requiresGrad && !isFloat(this.dtype)) {
      throw new DTypeError(`requiresGrad_: only floating-point tensors can require gradients, got dtype ${this.dtype}`);
    }
    if (!requiresGrad && !this.isLeaf) {
      throw new ValueError('requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    }
    this._requiresGrad = requiresGrad;
    return this;
  }

  /** Backpropagates from this tensor into the `.grad` of every leaf that requires grad. */
  backward(gradient?: Tensor, opts: { retainGraph?: boolean } = {}): void {
    runBackward(this, gradient, checkOptions('backward', opts, { retainGraph: true }).retainGraph ?? false);
  }

  /** A tensor sharing this one's storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this._ref().retain(), this._shape, this.dtype);
  }

  // ---- data --------------------------------------------------------------------------------

  /** A copy of the data, row-major. Works on every backend. */
  async data(): Promise<TypedArray> {
    return this._ref().backend.read(this._storage());
  }
  /** The data, synchronously, where the backend can read synchronously (not WebGPU). */
  dataSync(): TypedArray {
    const be = this._ref().backend;
    if (!be.readSync) {
      throw new BackendError(`dataSync: backend '${be.name}' reads asynchronously; use \`await t.data()\` (or \`await t.item()\`) instead`);
    }
    return be.readSync(this._storage());
  }
  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    return this.checkItem(await this.data());
  }
  /** The single value of a one-element tensor, read synchronously (cpu and wasm; WebGPU throws). */
  itemSync(): number {
    return this.checkItem(this.dataSync());
  }
  private checkItem(d: TypedArray): number {
    if (d.length !== 1) throw new ShapeError(`item: only one-element tensors can be converted to a number, got shape ${fmt(this.shape)}`);
    return d[0];
  }
  /** The data as nested JS arrays (a number for a 0-d tensor), like torch.Tensor.tolist. */
  async tolist(): Promise<unknown> {
    return nested(await this.data(), this.shape, this.dtype);
  }

  /** Frees this tensor's hold on its storage and graph. Idempotent. */
  dispose(): void {
    const h = this.h;
    if (!h.ref) return;
    finalizer.unregister(this);
    h.ref.release();
    h.ref = null;
    if (h.gradFn) releaseNode(h.gradFn);
    h.gradFn = null;
    this._grad?.dispose();
    this._grad = null;
    untrack(this);
  }

  /** @internal ones of this tensor's shape and dtype, on its backend */
  _onesLike(): Tensor {
    return filled(1, this.shape, this.dtype, this._ref().backend);
  }

  // ---- in place: rebind to new storage (the old one lives on where a graph saved it) -------------

  private checkInPlace(op: string): void {
    if (this._requiresGrad && isGradEnabled()) {
      throw new ValueError(`${op}: a tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in noGrad()`);
    }
  }
  /** Computes fn() and points this tensor at the result's storage (cast to this dtype). */
  private rebind(op: string, fn: () => Tensor): this {
    this.checkInPlace(op);
    const result = tidy(() => {
      const r = fn();
      if (!sameShape(r.shape, this.shape)) {
        throw new ShapeError(`${op}: result of shape ${fmt(r.shape)} cannot be written into a tensor of shape ${fmt(this.shape)}`);
      }
      return noGrad(() => ew.cast(r, this.dtype));
    });
    const old = this.h.ref!;
    this.h.ref = result._ref().retain();
    old.release();
    result.dispose();
    return this;
  }
  /**
   * @internal Points this tensor at `src`'s storage and disposes `src` (same shape and dtype): how
   * a fused optimizer kernel's new parameter storage replaces the old one.
   */
  _adoptStorage(src: Tensor): this {
    this.checkInPlace('_adoptStorage');
    const old = this._ref();
    this.h.ref = src._ref().retain();
    old.release();
    src.dispose();
    return this;
  }
  /** Copies src's values into this tensor, broadcast and cast; this tensor keeps its backend, as in PyTorch. */
  copy_(src: Tensor): this {
    const be = this._ref().backend;
    return this.rebind('copy_', () => moveSync('copy_', src.detach(), be).expand(this.shape).mul(1));
  }
  /** In-place `add`: this tensor becomes `this + o`. */
  add_(o: TensorLike): this {
    return this.rebind('add_', () => this.detach().add(o));
  }
  /** In-place `sub`: this tensor becomes `this - o`. */
  sub_(o: TensorLike): this {
    return this.rebind('sub_', () => this.detach().sub(o));
  }
  /** In-place `mul`: this tensor becomes `this * o`. */
  mul_(o: TensorLike): this {
    return this.rebind('mul_', () => this.detach().mul(o));
  }
  /** In-place `div`: this tensor becomes `this / o`. */
  div_(o: TensorLike): this {
    return this.rebind('div_', () => this.detach().div(o));
  }
  /** Sets every element to `value`, in place. */
  fill_(value: number): this {
    if (this.dtype === 'int32') checkInt32('fill_', value);
    return this.rebind('fill_', () => filled(value, this.shape, this.dtype, this._ref().backend));
  }
  /** Sets every element to 0, in place. */
  zero_(): this {
    return this.fill_(0);
  }

  // ---- elementwise ---------------------------------------------------------------------------

  /**
   * Elementwise `this + o`, broadcasting as torch.add; `o` may be a number.
   *
   * ```ts
   * tensor([[1, 2], [3, 4]]).add(tensor([10, 20])); // [[11, 22], [13, 24]]
   * ```
   */
  add(o: TensorLike): Tensor { return ew.binary('add', this, o); }
  /** Elementwise `this - o`, broadcasting; `o` may be a number. */
  sub(o: TensorLike): Tensor { return ew.binary('sub', this, o); }
  /** Elementwise `this * o`, broadcasting; `o` may be a number. */
  mul(o: TensorLike): Tensor { return ew.binary('mul', this, o); }
  /** Elementwise true division `this / o`, broadcasting; int32 inputs give float32, as torch.div. */
  div(o: TensorLike): Tensor { return ew.binary('div', this, o); }
  /** Elementwise `this ** o`, broadcasting; `o` may be a number. */
  pow(o: TensorLike): Tensor { return ew.binary('pow', this, o); }
  /** Elementwise maximum of this and `o` (nan if either is nan), broadcasting. */
  maximum(o: TensorLike): Tensor { return ew.binary('maximum', this, o); }
  /** Elementwise minimum of this and `o` (nan if either is nan), broadcasting. */
  minimum(o: TensorLike): Tensor { return ew.binary('minimum', this, o); }
  /** Elementwise `-x`. */
  neg(): Tensor { return ew.unary('neg', this); }
  /** Elementwise `|x|`. */
  abs(): Tensor { return ew.unary('abs', this); }
  /** Elementwise sign: -1, 0 or 1 (nan stays nan). */
  sign(): Tensor { return ew.unary('sign', this); }
  /** Elementwise `e^x`. */
  exp(): Tensor { return ew.unary('exp', this); }
  /** Elementwise natural logarithm (nan below 0, -Infinity at 0). */
  log(): Tensor { return ew.unary('log', this); }
  /** Elementwise `log(1 + x)`, accurate for small x. */
  log1p(): Tensor { return ew.unary('log1p', this); }
  /** Elementwise `e^x - 1`, accurate for small x. */
  expm1(): Tensor { return ew.unary('expm1', this); }
  /** Elementwise square root. */
  sqrt(): Tensor { return ew.unary('sqrt', this); }
  /** Elementwise `1 / sqrt(x)`. */
  rsqrt(): Tensor { return tidy(() => ew.unary('reciprocal', ew.unary('sqrt', this))); }
  /** Elementwise `1 / x`. */
  reciprocal(): Tensor { return ew.unary('reciprocal', this); }
  /** Elementwise `x * x`. */
  square(): Tensor { return ew.unary('square', this); }
  /** Elementwise `max(x, 0)`. */
  relu(): Tensor { return ew.unary('relu', this); }
  /** Elementwise logistic function `1 / (1 + e^-x)`. */
  sigmoid(): Tensor { return ew.unary('sigmoid', this); }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor { return ew.unary('tanh', this); }
  /** Elementwise sine (radians). */
  sin(): Tensor { return ew.unary('sin', this); }
  /** Elementwise cosine (radians). */
  cos(): Tensor { return ew.unary('cos', this); }
  /** Elementwise Gauss error function. */
  erf(): Tensor { return ew.unary('erf', this); }
  /** Elementwise round down. */
  floor(): Tensor { return ew.unary('floor', this); }
  /** Elementwise round up. */
  ceil(): Tensor { return ew.unary('ceil', this); }
  /** Elementwise round to nearest, ties to even (as torch.round). */
  round(): Tensor { return ew.unary('round', this); }
  /** Elementwise logical not: a bool tensor, true where this is false (zero). */
  logicalNot(): Tensor { return tidy(() => ew.unary('logicalNot', this.dtype === 'bool' ? this : ew.compare('ne', this, 0))); }
  /** Elementwise clamp into `[min, max]`; either bound may be null (no bound). See {@link clamp}. */
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min, max); }
  /** Elementwise `this == o` as a bool tensor, broadcasting. */
  eq(o: TensorLike): Tensor { return ew.compare('eq', this, o); }
  /** Elementwise `this != o` as a bool tensor, broadcasting. */
  ne(o: TensorLike): Tensor { return ew.compare('ne', this, o); }
  /** Elementwise `this < o` as a bool tensor, broadcasting. */
  lt(o: TensorLike): Tensor { return ew.compare('lt', this, o); }
  /** Elementwise `this <= o` as a bool tensor, broadcasting. */
  le(o: TensorLike): Tensor { return ew.compare('le', this, o); }
  /** Elementwise `this > o` as a bool tensor, broadcasting. */
  gt(o: TensorLike): Tensor { return ew.compare('gt', this, o); }
  /** Elementwise `this >= o` as a bool tensor, broadcasting. */
  ge(o: TensorLike): Tensor { return ew.compare('ge', this, o); }
  /** A bool tensor, true where this tensor is nan. */
  isnan(): Tensor { return ew.compare('ne', this, this); }
  /** torch.Tensor.where: this where cond is true, other elsewhere. */
  where(cond: Tensor, other: TensorLike): Tensor { return ew.where(cond, this, other); }
  /**
   * This tensor converted to a dtype, moved to another backend (PyTorch's `.to(device)`), or both
   * (`{ dtype, backend }`); the tensor itself when nothing changes, as in PyTorch. A move reads
   * the data synchronously, so from WebGPU use `await t.toAsync(backend)`. Gradients flow back
   * across a move where the destination reads synchronously (cpu, wasm).
   */
  to(target: ToTarget): Tensor { return move.to(this, target); }
  /** `to()` for any source backend: reads the data asynchronously (e.g. from WebGPU to cpu). */
  toAsync(target: ToTarget): Promise<Tensor> { return move.toAsync(this, target); }
  /** This tensor as float32 (itself when it already is). */
  float(): Tensor { return this.to('float32'); }
  /** This tensor as float64 (backend-cpu only; itself when it already is). */
  double(): Tensor { return this.to('float64'); }
  /** This tensor as int32, truncating toward zero (itself when it already is). */
  int(): Tensor { return this.to('int32'); }
  /** This tensor as bool: true where nonzero (itself when it already is). */
  bool(): Tensor { return this.to('bool'); }
  /** A copy with its own storage; gradients flow through. */
  clone(): Tensor { return ew.binary('mul', this, 1); }

  // ---- reductions ----------------------------------------------------------------------------

  /**
   * Sum of all elements, or over `dim` (one dim or several).
   *
   * @param dim - the dims to reduce; default: all of them.
   * @param keepdim - keep each reduced dim with size 1 (default false).
   *
   * ```ts
   * tensor([[1, 2], [3, 4]]).sum(1); // [3, 7]
   * ```
   */
  sum(dim?: red.Dims, keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  /**
   * Mean of all elements, or over `dim` (one dim or several; floating-point tensors).
   *
   * @param dim - the dims to reduce; default: all of them.
   * @param keepdim - keep each reduced dim with size 1 (default false).
   */
  mean(dim?: red.Dims, keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  /**
   * The max of all elements (a 0-d tensor), or along `dim`: `{ values, indices }` as PyTorch's
   * namedtuple (indices int32, the first occurrence on ties, a nan wins; the values' gradient goes
   * to that index). `keepdim` keeps the reduced dim with size 1 (default false). See {@link max}.
   */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? red.extreme('max', this) : red.extremeAlong('max', this, dim, keepdim);
  }
  /**
   * The min of all elements (a 0-d tensor), or along `dim`: `{ values, indices }` (indices int32,
   * the first occurrence on ties, a nan wins; the values' gradient goes to that index). `keepdim`
   * keeps the reduced dim with size 1 (default false). See {@link min}.
   */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? red.extreme('min', this) : red.extremeAlong('min', this, dim, keepdim);
  }
  /**
   * Maximum over `dim` (one dim or several; default all); the gradient is shared among ties, as torch.amax.
   *
   * @param keepdim - keep each reduced dim with size 1 (default false).
   */
  amax(dim?: red.Dims, keepdim = false): Tensor { return red.extreme('max', this, dim, keepdim); }
  /**
   * Minimum over `dim` (one dim or several; default all); the gradient is shared among ties, as torch.amin.
   *
   * @param keepdim - keep each reduced dim with size 1 (default false).
   */
  amin(dim?: red.Dims, keepdim = false): Tensor { return red.extreme('min', this, dim, keepdim); }
  /**
   * Index of the maximum (int32): of the flattened tensor, or along `dim`; the first on ties.
   *
   * @param keepdim - keep the reduced dim with size 1 (default false).
   */
  argmax(dim?: number, keepdim = false): Tensor { return red.argReduce('argmax', this, dim, keepdim); }
  /**
   * Index of the minimum (int32): of the flattened tensor, or along `dim`; the first on ties.
   *
   * @param keepdim - keep the reduced dim with size 1 (default false).
   */
  argmin(dim?: number, keepdim = false): Tensor { return red.argReduce('argmin', this, dim, keepdim); }
  /**
   * `log(sum(exp(x)))` over `dim`, computed without overflow.
   *
   * @param keepdim - keep each reduced dim with size 1 (default false).
   */
  logsumexp(dim: red.Dims, keepdim = false): Tensor { return red.logsumexp(this, dim, keepdim); }
  /** Softmax along `dim`: `exp(x) / sum(exp(x))`, each slice summing to 1. See {@link softmax}. */
  softmax(dim: number): Tensor { return softmax(this, dim); }
  /** Log of the softmax along `dim`, computed stably as `x - logsumexp(x)`. See {@link logSoftmax}. */
  logSoftmax(dim: number): Tensor { return logSoftmax(this, dim); }

  // ---- linear algebra and shapes -----------------------------------------------------------------

  /**
   * Matrix product, as torch.matmul: 1-D operands are vectors, batch dims broadcast.
   *
   * Shape: `(..., n, k) @ (..., k, m) -> (..., n, m)`.
   *
   * ```ts
   * randn([8, 4]).matmul(randn([4, 2])); // shape [8, 2]
   * ```
   */
  matmul(o: Tensor): Tensor { return matmul(this, o); }
  /** The same elements in a new shape (one dim may be -1); shares storage. Pass sizes or one array. */
  reshape(...shape: number[] | [readonly number[]]): Tensor { return shp.reshape(this, flat(shape)); }
  /** As `reshape` (storage is always contiguous here, so a view always exists). */
  view(...shape: number[] | [readonly number[]]): Tensor { return shp.reshape(this, flat(shape), 'view'); }
  /** Merges dims `startDim` (default 0) through `endDim` (default -1) into one. */
  flatten(startDim = 0, endDim = -1): Tensor { return shp.flatten(this, startDim, endDim); }
  /** Removes size-1 dims: all of them, or only those listed in `dim`. */
  squeeze(dim?: number | readonly number[]): Tensor { return shp.squeeze(this, dim); }
  /** Inserts a size-1 dim at position `dim` (negative counts from the end). */
  unsqueeze(dim: number): Tensor { return shp.unsqueeze(this, dim); }
  /** The dims reordered: output dim i is input dim `dims[i]`. Copies. */
  permute(...dims: number[] | [readonly number[]]): Tensor { return shp.permute(this, flat(dims)); }
  /** Swaps two dims. Copies (matmul takes transpose flags, so `x.T` in a product does not). */
  transpose(dim0: number, dim1: number): Tensor { return shp.transpose(this, dim0, dim1); }
  /** All dims reversed (the matrix transpose for 2-D). */
  get T(): Tensor { return shp.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }
  /** Broadcasts size-1 dims to `sizes` (-1 keeps a dim), as torch.Tensor.expand. */
  expand(...sizes: number[] | [readonly number[]]): Tensor { return shp.expand(this, flat(sizes)); }
  /**
   * Elements `start` (default 0) to `end` (default the end) by `step` (default 1) along `dim`, as `x[..., start:end:step]`.
   */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return idx.slice(this, dim, start, end, step); }
  /** `length` elements from `start` along `dim`, as torch.Tensor.narrow. */
  narrow(dim: number, start: number, length: number): Tensor { return idx.narrow(this, dim, start, length); }
  /** The slice at `index` along `dim`, with that dim removed, as `x[..., index]`. */
  select(dim: number, index: number): Tensor { return idx.select(this, dim, index); }
  /**
   * Values along `dim` at the int32 positions in `index` (same rank), as torch.gather. See {@link gather}.
   */
  gather(dim: number, index: Tensor): Tensor { return idx.gather(this, dim, index); }
  /** The slices along `dim` at the positions in the 1-D int32 `index`, as torch.index_select. */
  indexSelect(dim: number, index: Tensor): Tensor { return idx.indexSelect(this, dim, index); }

  // ---- sequence-model ops (masks, splits, moments) -------------------------------------------

  /** torch.Tensor.masked_fill: `value` where `mask` (bool, broadcast) is true. See {@link maskedFill}. */
  maskedFill(mask: Tensor, value: number | Tensor): Tensor { return msk.maskedFill(this, mask, value); }
  /** The lower triangle of the last two dims (column - row <= diagonal). See {@link tril}. */
  tril(diagonal = 0): Tensor { return msk.tril(this, diagonal); }
  /** The upper triangle of the last two dims (column - row >= diagonal). See {@link triu}. */
  triu(diagonal = 0): Tensor { return msk.triu(this, diagonal); }
  /** Pieces of `splitSize` along dim (the last smaller), or of the given sizes. See {@link split}. */
  split(splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] { return spl.split(this, splitSizeOrSections, dim); }
  /** `chunks` pieces of ceil(n / chunks) along dim (fewer when n is small). See {@link chunk}. */
  chunk(chunks: number, dim = 0): Tensor[] { return spl.chunk(this, chunks, dim); }
  /** The variance over dims, `correction` 1 by default (PyTorch 2.x). See {@link variance}. */
  var(dim?: red.Dims | null, opts?: mom.VarOptions): Tensor { return mom.variance(this, dim, opts); }
  /** The standard deviation over dims, `correction` 1 by default. See {@link std}. */
  std(dim?: red.Dims | null, opts?: mom.VarOptions): Tensor { return mom.std(this, dim, opts); }

  // ---- sorting and scans -------------------------------------------------------------------

  /** Stable sort along a dim: `{ values, indices }`; nan sorts above every number. See {@link sort}. */
  sort(opts?: srt.SortOptions): ValuesIndices { return srt.sort(this, opts); }
  /** The int32 positions that sort this tensor (stable). See {@link argsort}. */
  argsort(opts?: srt.SortOptions): Tensor { return srt.argsort(this, opts); }
  /** The k largest (or smallest) along a dim: `{ values, indices }`, best first. See {@link topk}. */
  topk(k: number, opts?: srt.TopkOptions): ValuesIndices { return srt.topk(this, k, opts); }
  /** Cumulative sum along dim. See {@link cumsum}. */
  cumsum(dim: number): Tensor { return scn.cumsum(this, dim); }
  /** Cumulative product along dim (gradient exact with zeros). See {@link cumprod}. */
  cumprod(dim: number): Tensor { return scn.cumprod(this, dim); }

  // ---- sampling, norms, products, repeats, new tensors ------------------------------------------

  /** Category indices drawn from rows of probabilities (seeded Philox stream). See {@link multinomial}. */
  multinomial(numSamples: number, opts?: MultinomialOptions): Tensor { return multinomial(this, numSamples, opts); }
  /** The vector p-norm over dims ('fro' = 2 by default; Infinity, -Infinity, 0, any p). See {@link norm}. */
  norm(p: NormOrd = 'fro', dim?: red.Dims | null, keepdim = false): Tensor { return norm(this, p, dim, keepdim); }
  /** Batched product of 3-D tensors with equal batch sizes. See {@link bmm}. */
  bmm(batch2: Tensor): Tensor { return bmm(this, batch2); }
  /** The outer product of two vectors. See {@link outer}. */
  outer(other: Tensor): Tensor { return outer(this, other); }
  /** Tiles the tensor: `sizes` repeats per dim (at least its rank). See {@link repeat}. */
  repeat(...sizes: number[] | [readonly number[]]): Tensor { return shp.repeat(this, flat(sizes)); }
  /** A view with `other`'s shape (same number of elements), like torch.Tensor.view_as. */
  viewAs(other: Tensor): Tensor { return shp.reshape(this, other.shape, 'viewAs'); }
  /** zeros of `shape` with this tensor's dtype (unless given) on its backend, like torch.Tensor.new_zeros. */
  newZeros(shape: readonly number[], opts?: NewTensorOptions): Tensor { return newFilled('newZeros', this, shape, 0, opts); }
  /** ones of `shape` with this tensor's dtype (unless given) on its backend, like torch.Tensor.new_ones. */
  newOnes(shape: readonly number[], opts?: NewTensorOptions): Tensor { return newFilled('newOnes', this, shape, 1, opts); }
  /** `value` in `shape` with this tensor's dtype (unless given) on its backend, like torch.Tensor.new_full. */
  newFull(shape: readonly number[], value: number | boolean, opts?: NewTensorOptions): Tensor { return newFilled('newFull', this, shape, value, opts); }

  /** A one-line description: shape, dtype and flags, never the data. */
  toString(): string {
    return `Tensor(shape=${fmt(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}${this.isDisposed ? ', disposed' : ''})`;
  }
}

function flat(args: number[] | [readonly number[]]): number[] {
  return Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args as number[]);
}

setTensorCheck((x: unknown): x is Tensor => x instanceof Tensor);
