// The kernel-level kit of @logit/conformance on both builds: every primitive and fused kernel
// against backend-cpu in float64 and, `exact`, bit for bit against backend-cpu at the same dtype
// (this backend computes in doubles and rounds on store, as backend-cpu does).
import { describe } from 'vitest';
import { kernelSuite } from '@logit/conformance/vitest';
import { createBackend } from '../src/index.js';

describe('default build', () => kernelSuite(() => createBackend(), { exact: true }));
describe('plain SIMD build', () => kernelSuite(() => createBackend({ simd: 'simd' }), { exact: true }));
