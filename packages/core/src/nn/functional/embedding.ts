import { DTypeError, IndexError, ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { backendOf, wrap } from '../../ops/dispatch.js';
import { where } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor.js';
import { requireFloat } from './util.js';
import { indexSelectUnchecked } from '../../ops/index-ops.js';
import { validateValues } from '../../ops/validate.js';

/** Options of `functional.embedding` and `nn.Embedding`, as torch.nn.functional.embedding's. */
export interface EmbeddingOptions {
  /** The row whose gradient stays 0 (negative counts from the end). Default none. */
  paddingIdx?: number | null;
  /** Renormalise looked-up rows to at most this norm. */
  maxNorm?: number | null;
  /** The p of maxNorm's p-norm. Default 2. */
  normType?: number;
  /** Scale gradients by the inverse frequency of the words in the batch. */
  scaleGradByFreq?: boolean;
  /** A sparse gradient. */
  sparse?: boolean;
}

export const EMBEDDING_OPTIONS: OptionKeys<EmbeddingOptions> = {
  paddingIdx: true,
  maxNorm: 'maxNorm (renormalising the looked-up rows in place) is not supported yet',
  normType: 'normType only matters with maxNorm, which is not supported yet',
  scaleGradByFreq: 'scaling gradients by word frequency is not supported yet',
  sparse: 'Logit has no sparse tensors; the gradient of the weight is always dense',
};

/** paddingIdx as a row index in [0, num), or null; PyTorch's check and message. */
export function normPaddingIdx(op: string, paddingIdx: number | null | undefined, num: number): number | null {
  if (paddingIdx === undefined || paddingIdx === null) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -num || paddingIdx >= num) {
    throw new ValueError(`${op}: paddingIdx must be an integer within [${-num}, ${num}) (the number of embeddings), got ${String(paddingIdx)}`);
  }
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

/** Every index in [0, num), on the input's backend (on WebGPU at the next read: see Primitives.validate). */
function checkIndices(op: string, input: Tensor, num: number): void {
  validateValues(input, {
    min: 0,
    max: num - 1,
    except: null,
    error: (v) => new IndexError(`${op}: index ${v} is out of range for ${num} embeddings (expected 0 <= index < ${num})`),
  });
}

/**
 * torch.nn.functional.embedding: the rows of `weight` ([num, dim]) picked by the int32 indices of
 * `input`, so the output has shape [...input.shape, dim]. The weight's gradient sums the upstream
 * gradient of every position into its row (a row picked twice gets both); the paddingIdx row gets
 * none, as in PyTorch.
 */
export function embedding(input: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  const op = 'embedding';
  const o = checkOptions(op, opts, EMBEDDING_OPTIONS);
  if (input.dtype !== 'int32') throw new DTypeError(`${op}: indices must have dtype int32, got ${input.dtype}`);
  requireFloat(op, weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`${op}: weight must be 2-D [numEmbeddings, embeddingDim], got shape ${fmt(weight.shape)}`);
  const [num, dim] = weight.shape;
  const pad = normPaddingIdx(op, o.paddingIdx, num);
  checkIndices(op, input, num);
  return tidy(() => {
    const flat = input.reshape([input.numel()]);
    const rows = noGrad(() => indexSelectUnchecked(weight, 0, flat));
    const out = record(rows, op, [weight], [flat], (g, [idx]) => {
      const be = backendOf(op, g);
      const n = idx.shape[0];
      const src = pad === null ? g : where(idx.ne(pad).reshape([n, 1]), g, 0);
      const index = idx.reshape([n, 1]).expand([n, dim]);
      return [wrap(be, be.ops.scatterAdd(index._storage(), index.shape, src._storage(), [num, dim], 0, g.dtype), [num, dim], g.dtype)];
    });
    return out.reshape([...input.shape, dim]);
  });
}
