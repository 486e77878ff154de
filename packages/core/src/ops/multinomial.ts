import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkOptions, type OptionKeys } from '../options.js';
import { fmt } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { tidy } from '../memory/scope.js';
import { nextRandom } from '../random/generator.js';
import type { Tensor } from '../tensor.js';
import { backendOf, fromHost, wrap } from './dispatch.js';
import { where } from './elementwise.js';
import { cat } from './index-ops.js';
import { argReduce } from './reduce.js';
import { argsort } from './sort.js';

/** Options of {@link multinomial}. */
export interface MultinomialOptions {
  /** Draw with replacement (a category can come back). Default: false. */
  replacement?: boolean;
  /** Not supported: Logit has one global generator, seeded with manualSeed. */
  generator?: unknown;
}

export const MULTINOMIAL_OPTIONS: OptionKeys<MultinomialOptions> = {
  replacement: true,
  generator: 'Logit has one global generator; seed it with manualSeed()',
};

/** Most compared elements (rows x samples x categories) one chunk of inverse-CDF sampling holds. */
const CHUNK_ELEMENTS = 2 ** 22;

/**
 * PyTorch's checks of the probabilities, on the host where the backend reads synchronously. (An
 * asynchronous device cannot be read here without a round trip; see the note at multinomial.)
 */
function checkValues(p: Tensor, rows: number, n: number): void {
  const be = p._ref().backend;
  if (!be.readSync) return;
  const v = be.readSync(p._storage());
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const x = v[r * n + j];
      if (!(x >= 0) || x === Infinity) {
        throw new ValueError(`multinomial: probability tensor contains either inf, nan or element < 0 (got ${x} in row ${r}, category ${j})`);
      }
      sum += x;
    }
    if (!(sum > 0)) throw new ValueError(`multinomial: invalid distribution: row ${r} sums to 0 (sum of probabilities <= 0)`);
  }
}

/** `count` uniforms in [0, 1) of p's dtype from the global Philox stream, on p's backend. */
function uniforms(p: Tensor, shape: number[]): Tensor {
  const be = backendOf('multinomial', p);
  const size = shape.reduce((a, b) => a * b, 1);
  const { key, offset } = nextRandom(size);
  return wrap(be, be.ops.random({ kind: 'uniform', key, offset, params: [0, 1] }, size, p.dtype), shape, p.dtype);
}

/**
 * With replacement, by inverse CDF: sample = the number of CDF entries <= u * total, for u
 * uniform in [0, 1): the first category whose CDF passes u * total, so a zero-probability
 * category is never drawn. Clamped to the last nonzero category (u * total may round up to
 * total). Samples are compared in chunks so at most CHUNK_ELEMENTS booleans live at once.
 */
function withReplacement(p: Tensor, rows: number, n: number, samples: number): Tensor {
  const cdf = p.cumsum(1);
  const total = cdf.narrow(1, n - 1, 1);
  const positions = fromHost(Array.from({ length: n }, (_, j) => j), [1, n], 'int32', p._ref().backend, 'multinomial');
  const lastNonzero = where(p.gt(0), positions, 0).amax(1, true);
  const perChunk = Math.max(1, Math.floor(CHUNK_ELEMENTS / (rows * n)));
  const parts: Tensor[] = [];
  for (let s = 0; s < samples; s += perChunk) {
    const k = Math.min(perChunk, samples - s);
    const target = uniforms(p, [rows, k]).mul(total);
    const count = cdf.unsqueeze(1).le(target.unsqueeze(2)).sum(2);
    parts.push(count.minimum(lastNonzero));
  }
  return parts.length === 1 ? parts[0] : cat(parts, 1);
}

/**
 * Without replacement, by the exponential race PyTorch uses: category j gets the key
 * p[j] / E[j], E[j] = -log(u) exponential, and the samples are the categories of the largest
 * keys in order (a stable descending argsort, cut to numSamples; argmax, its first entry, for one
 * sample): the same law as drawing one at a time and removing it. Zero-probability categories have key 0 and come last, in index order.
 */
function withoutReplacement(p: Tensor, rows: number, n: number, samples: number): Tensor {
  const e = uniforms(p, [rows, n]).log().neg();
  const keys = p.div(e);
  // one sample is the first largest key: argmax, one pass instead of a sort
  if (samples === 1) return argReduce('argmax', keys, 1, true);
  return argsort(keys, { dim: 1, descending: true }).narrow(1, 0, samples);
}

/**
 * Draws category indices from rows of probabilities, like `torch.multinomial`. Random numbers
 * come from the global Philox generator (`manualSeed`), so a seed gives the same samples on
 * every backend (up to float rounding: a uniform that lands within an ulp of a CDF boundary, or
 * two race keys within a few ulps, may resolve differently where backends round differently).
 *
 * Inputs: `probs` float, 1-D (n categories) or 2-D (rows of n); weights need not sum to 1, must
 * be finite and >= 0, and each row must have a positive sum. `numSamples` >= 1 (at most n
 * without replacement). Options (defaults as PyTorch): `replacement` (false).
 *
 * Method: with replacement, inverse CDF (the first category whose cumulative weight passes
 * u * total); without, the exponential race (the largest p / E, E exponential), as PyTorch.
 * Without replacement a row with fewer nonzero categories than numSamples continues with its
 * zero-probability categories in index order (PyTorch returns them too, in no fixed order).
 * Not differentiable. Checks of the values run where the backend reads synchronously (cpu,
 * wasm); on WebGPU a bad row gives undefined samples rather than an error.
 *
 * Shape: (n) to (numSamples), (rows, n) to (rows, numSamples); int32 (PyTorch: int64).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const logits = randn([2, 65], { requiresGrad: true });
 * const next = logits.div(0.8).softmax(-1).multinomial(1);      // [2, 1] token ids
 * logits.gather(1, next).sum().backward();                      // the sampled logits' gradient
 * ```
 */
export function multinomial(probs: Tensor, numSamples: number, opts?: MultinomialOptions): Tensor {
  const o = checkOptions('multinomial', opts, MULTINOMIAL_OPTIONS);
  if (!isFloat(probs.dtype)) throw new DTypeError(`multinomial: probabilities must be floating point, got ${probs.dtype}`);
  if (probs.ndim !== 1 && probs.ndim !== 2) {
    throw new ShapeError(`multinomial: probabilities must be 1-D or 2-D, got shape ${fmt(probs.shape)}`);
  }
  const n = probs.shape[probs.ndim - 1];
  const rows = probs.ndim === 2 ? probs.shape[0] : 1;
  if (typeof numSamples !== 'number' || !Number.isInteger(numSamples) || numSamples <= 0) {
    throw new ValueError(`multinomial: numSamples must be a positive integer, got ${String(numSamples)}`);
  }
  if (n === 0) throw new ValueError(`multinomial: the distribution has no categories (shape ${fmt(probs.shape)})`);
  const replacement = o.replacement ?? false;
  if (!replacement && numSamples > n) {
    throw new ValueError(`multinomial: cannot draw ${numSamples} samples without replacement from ${n} categories`);
  }
  checkValues(probs, rows, n);
  const outShape = probs.ndim === 2 ? [rows, numSamples] : [numSamples];
  return tidy(() =>
    noGrad(() => {
      const p = probs.detach().reshape([rows, n]);
      if (rows === 0) return fromHost([], outShape, 'int32', p._ref().backend, 'multinomial');
      const out = replacement ? withReplacement(p, rows, n, numSamples) : withoutReplacement(p, rows, n, numSamples);
      return out.reshape(outShape);
    }),
  );
}
