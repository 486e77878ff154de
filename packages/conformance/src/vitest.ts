/**
 * `@logit/conformance/vitest`: the conformance suite as vitest tests, one per case, for a
 * backend package's own test run.
 *
 * @module @logit/conformance/vitest
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '@logit/core';
import type { CaseEnvironment } from './run-case.js';
import { createEnvironment, runOne, selectCases } from './run-conformance.js';
import type { ConformanceOptions } from './types.js';

/**
 * Registers the conformance suite in a backend package's vitest run, one test per case and dtype:
 *
 *   import { conformanceSuite } from '@logit/conformance/vitest';
 *   import { createBackend } from '../src/index.js';
 *   conformanceSuite(createBackend);
 *
 * A failing case fails its test with the oracle and the first element out of tolerance. A case
 * at a dtype the backend does not declare is skipped at run time, with the reason.
 */
export function conformanceSuite(
  createBackend: () => Backend | Promise<Backend>,
  opts: Omit<ConformanceOptions, 'createBackend'> = {},
): void {
  describe('@logit/conformance', () => {
    let env: CaseEnvironment;
    beforeAll(async () => {
      env = await createEnvironment({ ...opts, createBackend });
    });
    for (const { c, dtype, name } of selectCases(opts.include, opts.exclude)) {
      test(name, async (ctx) => {
        const r = await runOne(env, c, dtype);
        opts.onResult?.(r);
        // derived from backend.dtypes, never from a list of test names; the message says which dtype is missing
        if (r.status === 'unsupported') ctx.skip(r.message);
        if (r.status === 'fail') expect.fail(`${r.name} (op ${r.op}) failed: ${r.message}`);
      });
    }
  });
}
