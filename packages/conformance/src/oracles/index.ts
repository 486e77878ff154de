import { analyticValues } from './analytic.js';
import { fusedVsComposed } from './composed.js';
import { cpuFloat64 } from './cpu-f64.js';
import { finiteDifferenceGrads } from './finite-diff.js';
import { leaks } from './leaks.js';
import type { Oracle } from './oracle.js';
import { syncAsyncReads } from './reads.js';
import { tfjsOracle } from './tfjs.js';
import { torchGoldens } from './torch.js';

/**
 * Every oracle a case is judged by, in the order a failure is reported: a case fails with the
 * first oracle that disagrees. Each one is a small function of the case's run (oracles/*.ts).
 */
export const ORACLES: readonly Oracle[] = [
  { name: 'leak', check: leaks },
  { name: 'cpu-f64', check: cpuFloat64 },
  { name: 'readSync', check: syncAsyncReads },
  { name: 'composed', check: fusedVsComposed },
  { name: 'torch', check: torchGoldens },
  { name: 'analytic', check: analyticValues },
  { name: 'finite-diff', check: finiteDifferenceGrads },
  { name: 'tfjs', check: tfjsOracle },
];
