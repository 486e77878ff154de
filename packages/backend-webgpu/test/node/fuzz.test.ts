// Random public-API calls (0-d and empty shapes, every dtype it stores, bad values) must end on
// this backend as on backend-cpu: the same error class (a bad index or probability found on the
// device is thrown at the read), a result of the same shape and dtype, never a raw error, and
// memory() unchanged (see @logit/conformance's runFuzz). Fixed seed; sized for SwiftShader.
import { fuzzSuite } from '@logit/conformance/vitest';
import { createBackend } from '../../src/index.js';

fuzzSuite(() => createBackend(), { seed: 15, numRuns: 300 }, 180_000);
