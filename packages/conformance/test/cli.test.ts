import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The built CLI as a backend author runs it (`pnpm test` builds first); tsx only lets it import the .ts example backend.
const pkg = fileURLToPath(new URL('..', import.meta.url));
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'dist/cli.js', ...args], { cwd: pkg, encoding: 'utf8', timeout: 120_000 });

describe('logit-conformance', () => {
  test('passes backend-cpu by package name, prints the op table and writes the JSON report', () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'conf-')), 'report.json');
    const r = cli(['--backend', '@logit/backend-cpu', '--filter', 'matmul', '--filter', '/^nn\\.mse/', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^matmul +pass \d+\/\d+ \(max abs/m);
    expect(r.stdout).toMatch(/nn\.MSELoss +pass/);
    expect(r.stdout).toMatch(/backend 'cpu': \d+ passed, 0 failed, 0 unsupported/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.results.every((x: { op: string }) => x.op === 'matmul' || x.op === 'nn.MSELoss')).toBe(true);
  });

  test('exits 1 and names the op when a backend from a path is wrong', () => {
    const r = cli(['--backend', './test/example/broken-backend.ts', '--filter', 'exp', '--filter', 'neg', '--exclude', 'float64']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^exp +FAIL \d+\/\d+ \(max abs/m);
    expect(r.stdout).toMatch(/^neg +pass/m);
    expect(r.stdout).toMatch(/FAIL exp \[3,4\] \[float32\] \(exp\): cpu-f64: output/);
  });

  test('usage without --backend exits 2', () => {
    const r = cli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/usage: logit-conformance --backend/);
  });
});
