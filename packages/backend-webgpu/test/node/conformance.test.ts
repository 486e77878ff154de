// The whole @logit/conformance suite on this backend in Node (Dawn on SwiftShader): one vitest
// test per case. Cases in float64, which this backend does not store, are reported as
// unsupported (skipped, with the reason).
import { conformanceSuite } from '@logit/conformance/vitest';
import { createBackend } from '../../src/index.js';

conformanceSuite(() => createBackend());
