// The whole @logit/conformance catalogue on the reference backend: every case, every dtype, every oracle.
import { conformanceSuite } from '@logit/conformance/vitest';
import { createBackend } from '../src/index.js';

conformanceSuite(createBackend);
