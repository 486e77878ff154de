export { LRScheduler, type SchedulableOptimizer, type SchedulerStateDict } from './lr-scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
