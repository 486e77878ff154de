export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
export * from './backend/types.js';
export { philox4x32, fillRandom, bitsToUniform, countersFor } from './random/philox.js';
