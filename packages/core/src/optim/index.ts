export {
  Optimizer, swapState,
  type Hyperparams, type ParamGroup, type ParamGroupInput, type ParamsInput, type ParamState, type StateValue,
  type OptimizerStateDict, type Defaults, type OptimizerSpec,
} from './optimizer.js';
export type { HyperKind, HyperKinds, SchedulerGroupFields } from './check.js';
export type { StateKind, StateKinds } from './state-check.js';
export { SGD, type SGDOptions, type SGDHyperparams, type SGDState } from './sgd.js';
export { Adam, AdamBase, type AdamOptions, type AdamHyperparams, type AdamState } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions, type RMSpropHyperparams, type RMSpropState } from './rmsprop.js';
export * as lrScheduler from './lr-scheduler/index.js';
export { Adagrad, type AdagradOptions, type AdagradHyperparams, type AdagradState } from './adagrad.js';
export { Adadelta, type AdadeltaOptions, type AdadeltaHyperparams, type AdadeltaState } from './adadelta.js';
