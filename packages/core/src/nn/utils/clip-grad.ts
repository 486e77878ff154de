import { BackendError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { tidy } from '../../memory/scope.js';
import { Tensor } from '../../tensor.js';
import { tensor } from '../../ops/creation.js';
import { stack } from '../../ops/index-ops.js';

/** Parameters as clipGradNorm_ takes them: one tensor or any iterable of tensors. */
export type TensorOrTensors = Tensor | Iterable<Tensor>;

/** Options of {@link clipGradNorm_} (and {@link getTotalNorm}). */
export interface ClipGradNormOptions {
  /** The p of the p-norm: any number, `Infinity` (max |g|), `-Infinity` (min |g|) or 0 (count of non-zeros). Default 2. */
  normType?: number;
  /** Throw if the total norm is nan or ±inf, before any gradient changes. Default false. */
  errorIfNonfinite?: boolean;
  /** Accepted for PyTorch compatibility; Logit has one implementation, and the result is the same. */
  foreach?: boolean | null;
}

/** Options of {@link getTotalNorm}: those of clipGradNorm_. */
export type GetTotalNormOptions = ClipGradNormOptions;

const KEYS: OptionKeys<ClipGradNormOptions> = { normType: true, errorIfNonfinite: true, foreach: true };

function tensorsOf(op: string, parameters: TensorOrTensors): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters === null || typeof parameters !== 'object' || !(Symbol.iterator in parameters)) {
    throw new ValueError(`${op}: parameters must be a Tensor or an iterable of Tensors, got ${parameters === null ? 'null' : typeof parameters}`);
  }
  const list = [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ValueError(`${op}: parameters[${i}] is not a Tensor (got ${p === null ? 'null' : typeof p})`);
  });
  return list;
}

function gradsOf(op: string, parameters: TensorOrTensors): Tensor[] {
  return tensorsOf(op, parameters).flatMap((p) => (p.grad === null ? [] : [p.grad]));
}

function checkNormType(op: string, p: unknown): number {
  if (typeof p !== 'number' || Number.isNaN(p)) {
    throw new ValueError(`${op}: normType must be a number (Infinity for the max norm), got ${typeof p === 'string' ? `'${p}'` : String(p)}`);
  }
  return p;
}

function checkMaxNorm(op: string, maxNorm: unknown): number {
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new ValueError(`${op}: maxNorm must be a number, got ${String(maxNorm)}`);
  return maxNorm;
}

/** torch.linalg.vector_norm(t, p) over every element, as a 0-d tensor of t's dtype. */
function vectorNorm(op: string, t: Tensor, p: number): Tensor {
  if (!Number.isFinite(p) && t.numel() === 0) {
    throw new ValueError(`${op}: the ${p > 0 ? '' : '-'}inf norm of an empty tensor is undefined (the max/min of nothing), as in PyTorch`);
  }
  if (p === Infinity) return t.abs().amax();
  if (p === -Infinity) return t.abs().amin();
  if (p === 0) return t.ne(0).sum().to(t.dtype);
  if (p === 1) return t.abs().sum();
  if (p === 2) return t.mul(t).sum().sqrt();
  return t.abs().pow(p).sum().pow(1 / p);
}

function fmtOrder(p: number): string {
  return Number.isFinite(p) ? String(p) : p > 0 ? 'inf' : '-inf';
}

/**
 * The norm of a list of tensors, as if they were concatenated into one vector
 * (torch.nn.utils.get_total_norm): the p-norm of each tensor, then the p-norm of those norms.
 *
 * Takes a tensor or an iterable of tensors (typically gradients). Returns a 0-d tensor (float64 if
 * any input is float64, else float32; 0 for an empty list), computed on the tensors' backend with
 * no read-back, except that `errorIfNonfinite` reads the one number on backends that can read
 * synchronously (backends that cannot throw a BackendError: await `norm.item()` and check it).
 *
 * Options: `normType` = 2, `errorIfNonfinite` = false, `foreach` (accepted, no effect).
 *
 * @example
 * const w = tensor([3, 4], { requiresGrad: true });
 * w.square().sum().backward();                   // grad [6, 8]
 * const norm = nn.utils.getTotalNorm([w.grad!]); // 10
 */
export function getTotalNorm(tensors: TensorOrTensors, opts: GetTotalNormOptions = {}): Tensor {
  return totalNorm('getTotalNorm', tensorsOf('getTotalNorm', tensors), opts);
}

function totalNorm(op: string, ts: Tensor[], opts: GetTotalNormOptions): Tensor {
  const o = checkOptions(op, opts, KEYS);
  const p = checkNormType(op, o.normType ?? 2);
  ts.forEach((t, i) => {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new ValueError(`${op}: tensor ${i} has dtype ${t.dtype}; norms are taken of floating-point tensors`);
  });
  if (ts.length === 0) return tensor(0);
  const be = ts[0]._ref().backend;
  if (o.errorIfNonfinite && !be.readSync) {
    throw new BackendError(`${op}: errorIfNonfinite needs to read the norm, and backend '${be.name}' reads asynchronously; call nn.utils.getTotalNorm, check \`await norm.item()\`, then nn.utils.clipGradsWithNorm_`);
  }
  const dtype = ts.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
  const total = noGrad(() => tidy(() => vectorNorm(op, stack(ts.map((t) => vectorNorm(op, t, p).to(dtype))), p)));
  if (o.errorIfNonfinite) checkFinite(op, total, p);
  return total;
}

function checkFinite(op: string, total: Tensor, p: number): void {
  const message = `${op}: The total norm of order ${fmtOrder(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`errorIfNonfinite: false\``;
  const v = total._ref().backend.readSync!(total._storage())[0];
  if (!Number.isFinite(v)) {
    total.dispose();
    throw new ValueError(message);
  }
}

/**
 * Scales gradients by min(maxNorm / (totalNorm + 1e-6), 1) in place, given their total norm
 * (torch.nn.utils.clip_grads_with_norm_): clipGradNorm_ with the norm already computed.
 * Parameters whose `.grad` is null are skipped.
 *
 * @example
 * const norm = nn.utils.getTotalNorm(model.parameters().flatMap((p) => (p.grad ? [p.grad] : [])));
 * if (Number.isFinite(await norm.item())) nn.utils.clipGradsWithNorm_(model.parameters(), 1.0, norm);
 */
export function clipGradsWithNorm_(parameters: TensorOrTensors, maxNorm: number, totalNorm: Tensor, opts: { foreach?: boolean | null } = {}): void {
  const op = 'clipGradsWithNorm_';
  checkOptions(op, opts, { foreach: true });
  const m = checkMaxNorm(op, maxNorm);
  if (!(totalNorm instanceof Tensor) || totalNorm.numel() !== 1) throw new ValueError(`${op}: totalNorm must be a one-element tensor (from getTotalNorm)`);
  scale(gradsOf(op, parameters), m, totalNorm);
}

function scale(grads: Tensor[], maxNorm: number, total: Tensor): void {
  if (grads.length === 0) return;
  noGrad(() => tidy(() => {
    // PyTorch writes max_norm / (total + 1e-6), which Python evaluates as reciprocal(total + 1e-6) * max_norm;
    // a float32 gradient is scaled by the coefficient rounded to float32, as PyTorch's in-place mul does
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1.0).reshape([]);
    for (const g of grads) g.mul_(coef.to(g.dtype));
  }));
}

/**
 * Clips the gradients of parameters by their total norm, in place (torch.nn.utils.clip_grad_norm_),
 * as if all gradients were one vector: with total = p-norm of the gradients' p-norms,
 *
 *     g ← g · min(maxNorm / (total + 1e-6), 1)
 *
 * so gradients only ever shrink. Parameters whose `.grad` is null are skipped. Returns the total
 * norm before clipping as a 0-d tensor (float64 if any gradient is float64), without reading it
 * back, so it runs on every backend; a nan or infinite total makes the gradients nan/0 unless
 * `errorIfNonfinite` (which reads the norm, where the backend can read synchronously).
 *
 * Takes `parameters` (a tensor or an iterable of tensors) and `maxNorm`.
 * Options: `normType` = 2 (`Infinity` for the max norm), `errorIfNonfinite` = false, `foreach`
 * (accepted for PyTorch compatibility, no effect).
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * model.forward(randn([8, 4])).square().mean().backward();
 * const norm = nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * console.log(await norm.item());
 */
export function clipGradNorm_(parameters: TensorOrTensors, maxNorm: number, opts: ClipGradNormOptions = {}): Tensor {
  const op = 'clipGradNorm_';
  const grads = gradsOf(op, parameters);
  const m = checkMaxNorm(op, maxNorm);
  const total = totalNorm(op, grads, opts);
  scale(grads, m, total);
  return total;
}

/**
 * Clamps every gradient into [−clipValue, clipValue], in place (torch.nn.utils.clip_grad_value_);
 * nan stays nan. Parameters whose `.grad` is null are skipped.
 *
 * Takes `parameters` (a tensor or an iterable of tensors) and `clipValue`.
 * Options: `foreach` (accepted for PyTorch compatibility, no effect).
 *
 * @example
 * const w = tensor([3, 4], { requiresGrad: true });
 * w.square().sum().backward();             // grad [6, 8]
 * nn.utils.clipGradValue_([w], 7);          // grad [6, 7]
 */
export function clipGradValue_(parameters: TensorOrTensors, clipValue: number, opts: { foreach?: boolean | null } = {}): void {
  const op = 'clipGradValue_';
  checkOptions(op, opts, { foreach: true });
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new ValueError(`${op}: clipValue must be a number, got ${String(clipValue)}`);
  const grads = gradsOf(op, parameters);
  noGrad(() => tidy(() => {
    for (const g of grads) g.copy_(g.clamp(-clipValue, clipValue));
  }));
}
