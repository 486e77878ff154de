// The kernel-level kit of @logit/conformance: every primitive and fused kernel, float32 against float64.
import { kernelSuite } from '@logit/conformance/vitest';
import { createBackend } from '../src/index.js';

kernelSuite(createBackend, { exact: true });
