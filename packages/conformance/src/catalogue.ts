import type { Case } from './types.js';
import { binaryCasesAll } from './cases/binary.js';
import { compareCasesAll } from './cases/compare.js';
import { indexCasesAll } from './cases/index.js';
import { layerCasesAll } from './cases/layers.js';
import { lossCasesAll } from './cases/losses.js';
import { matmulCasesAll } from './cases/matmul.js';
import { optimCasesAll } from './cases/optim.js';
import { randomCasesAll } from './cases/random.js';
import { reduceCasesAll } from './cases/reduce.js';
import { rnnCasesAll } from './cases/rnn.js';
import { shapeCasesAll } from './cases/shape.js';
import { softmaxCasesAll } from './cases/softmax.js';
import { composedUnaryCases, unaryCasesAll } from './cases/unary.js';
import { tensorOpCasesAll } from './cases/tensor-ops.js';
import { transformerCasesAll } from './cases/transformer.js';
import { convCasesAll } from './cases/conv.js';
import { errorCasesAll } from './cases/errors.js';
import { batchNormStepCasesAll } from './cases/batchnorm-steps.js';
import { randomParamCasesAll } from './cases/random-params.js';
import { repeatedIndexCasesAll } from './cases/repeated-indices.js';
import { tieCasesAll } from './cases/ties.js';
import { unaryAccuracyCasesAll } from './cases/unary-accuracy.js';
import { edgeShapeCasesAll } from './cases/edge-shapes.js';

/** Every case, one family per file of src/cases, in a stable order. */
export const CATALOGUE: readonly Case[] = [
  ...unaryCasesAll, ...composedUnaryCases, ...binaryCasesAll, ...compareCasesAll, ...reduceCasesAll,
  ...matmulCasesAll, ...shapeCasesAll, ...indexCasesAll, ...softmaxCasesAll, ...randomCasesAll,
  ...layerCasesAll, ...lossCasesAll, ...optimCasesAll, ...tensorOpCasesAll,
  ...transformerCasesAll, ...rnnCasesAll, ...convCasesAll, ...batchNormStepCasesAll, ...errorCasesAll,
  // property-style cases across the contract
  ...repeatedIndexCasesAll, ...tieCasesAll, ...randomParamCasesAll, ...unaryAccuracyCasesAll, ...edgeShapeCasesAll,
];

/** The catalogue expanded per dtype: what the vitest helper and the CLI list. */
export function expandCases(cases: readonly Case[] = CATALOGUE): {
  /** The case. */
  c: Case;
  /** One of its dtypes. */
  dtype: Case['dtypes'][number];
  /** The case name with the dtype, e.g. "exp edge [float32]". */
  name: string;
}[] {
  return cases.flatMap((c) => c.dtypes.map((dtype) => ({ c, dtype, name: `${c.name} [${dtype}]` })));
}
