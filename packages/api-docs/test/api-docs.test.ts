// Builds the API reference the way `pnpm docs` does (into a temporary folder) and fails on any
// TypeDoc warning: a public export or member of the five packages without TSDoc, a type the API
// uses but does not export, a {@link} or a relative link (in TSDoc, a README or docs/*.md) that
// goes nowhere. The message lists each one with the file that declares it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Application, Logger, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';
import { afterAll, describe, expect, it } from 'vitest';

const here = path.resolve(import.meta.dirname, '..');
const out = mkdtempSync(path.join(tmpdir(), 'logit-api-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

class Collect extends Logger {
  readonly problems: string[] = [];
  override log(message: string, level: LogLevel): void {
    if (level >= LogLevel.Warn) this.problems.push(message.replace(/\x1b\[[0-9;]*m/g, '')); // eslint-disable-line no-control-regex
  }
}

describe('the API reference', () => {
  it('documents every public export and member, links nowhere broken, and builds', async () => {
    const app = await Application.bootstrapWithPlugins({ options: path.join(here, 'typedoc.json'), out }, [new TypeDocReader(), new TSConfigReader()]);
    const logger = new Collect();
    app.logger = logger;
    const project = await app.convert();
    expect(project, logger.problems.join('\n')).toBeDefined();
    app.validate(project!);
    await app.generateOutputs(project!);
    expect(logger.problems).toEqual([]);

    expect(project!.children!.map((m) => m.name)).toEqual([
      '@logit/backend-cpu', '@logit/backend-wasm', '@logit/backend-webgpu', '@logit/conformance', '@logit/conformance/vitest', '@logit/core',
    ]);
    const page = readFileSync(path.join(out, 'classes', '_logit_core.nn.Linear.html'), 'utf8');
    expect(page).toContain('Applies an affine map to the last dim of the input');
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
  }, 600_000);
});
