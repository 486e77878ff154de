// The kernel-level kit of @logit/conformance on this backend in Node (Dawn on SwiftShader):
// every primitive and fused kernel against backend-cpu in float64, plus the storage contract.
import { kernelSuite } from '@logit/conformance/vitest';
import { createBackend } from '../../src/index.js';

kernelSuite(() => createBackend());
