// The whole @logit/conformance suite on this backend: one vitest test per case. Cases in float64,
// which this backend does not store, are reported as unsupported (skipped, with the reason).
import { describe } from 'vitest';
import { conformanceSuite } from '@logit/conformance/vitest';
import { createBackend } from '../src/index.js';

describe('one thread', () => conformanceSuite(() => createBackend({ threads: 1 })));
// the threaded path splits large matmuls across workers; run the matmul-bearing cases through it too
describe('two threads', () => conformanceSuite(() => createBackend({ threads: 2 }), { include: ['matmul', 'linear', 'Linear', 'conv', 'Conv'] }));
