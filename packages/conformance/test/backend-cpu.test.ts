import { createBackend } from '@logit/backend-cpu';
import { conformanceSuite } from '../src/vitest.js';

// The reference backend passes the whole suite: every case, every dtype, every oracle.
conformanceSuite(createBackend);
