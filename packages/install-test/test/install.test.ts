/**
 * Proves that what we publish installs and works for a user: pack @logit/core and
 * @logit/backend-cpu, `npm install` the tarballs into a fresh project outside the workspace, run
 * the root README's example there as plain ESM, and typecheck it against the installed types.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack, type Packed } from './pack.js';
import { readmeExample, toEsm } from './readme-example.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const packageDirs = { core: join(repoRoot, 'packages/core'), cpu: join(repoRoot, 'packages/backend-cpu') };
const example = readmeExample(join(repoRoot, 'README.md'));

/** npm without the npm_* variables pnpm sets for its scripts, so the install sees only its flags. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

let work: string;
let project: string;
let core: Packed;
let cpu: Packed;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'logit-install-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  core = pack(packageDirs.core, tarballs);
  cpu = pack(packageDirs.cpu, tarballs);

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'logit-user', private: true, type: 'module' }));
  // --offline: the tarballs have no third-party runtime dependencies, so nothing may be fetched.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache'), core.tarball, cpu.tarball], {
    cwd: project,
    env: cleanEnv(),
    stdio: 'pipe',
  });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('published tarballs', () => {
  it.each(['core', 'cpu'] as const)('%s ships dist, types and exports, and no workspace: ranges', (which) => {
    const { manifest, files } = { core, cpu }[which];
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(files).toContain(manifest.types.replace(/^\.\//, ''));
    expect(files).toContain(manifest.exports['.'].types.replace(/^\.\//, ''));
    expect(files).toContain(manifest.exports['.'].import.replace(/^\.\//, ''));
    const ranges = JSON.stringify([manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies]);
    expect(ranges).not.toContain('workspace:');
    // An offline install is only honest while nothing outside @logit is needed at runtime.
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => !d.startsWith('@logit/'))).toEqual([]);
  });

  it('backend-cpu depends on a real range of the core version being published', () => {
    expect(cpu.manifest.dependencies['@logit/core']).toBe(`^${core.manifest.version}`);
  });

  it.each(['core', 'cpu'] as const)('%s builds dist before packing (prepack)', (which) => {
    const source = JSON.parse(readFileSync(join(packageDirs[which], 'package.json'), 'utf8'));
    expect(source.scripts.prepack).toMatch(/\b(tsup|build)\b/);
  });
});

describe('a fresh npm project with both tarballs installed', () => {
  it('has exactly one copy of @logit/core, at the published version', () => {
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/@logit/core/package.json'), 'utf8'));
    expect(installed.version).toBe(core.manifest.version);
    expect(existsSync(join(project, 'node_modules/@logit/backend-cpu/node_modules/@logit/core'))).toBe(false);
  });

  it("runs the README example as ESM: loss falls, the points are classified, nothing leaks", () => {
    writeFileSync(join(project, 'example.mjs'), toEsm(example));
    const run = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    const losses = [...run.stdout.matchAll(/^step (\d+): loss (\d+\.\d+)$/gm)].map((m) => Number(m[2]));
    expect(losses.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 2);

    // The labels are the ones the example trains on: [[0], [1], [2], [1]].
    const predicted = /^predicted classes: \[([^\]]*)\]$/m.exec(run.stdout);
    expect(predicted?.[1].split(',').map(Number)).toEqual([0, 1, 2, 1]);
    // Only x, y, the 4 parameters and their 4 grads outlive the loop: tidy freed every temporary.
    expect(run.stdout).toMatch(/^live tensors: 10$/m);
  });

  it('typechecks the README example against the installed .d.ts files (NodeNext, strict)', () => {
    writeFileSync(join(project, 'example.ts'), example);
    const tsconfig = {
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'],
        strict: true, noEmit: true, skipLibCheck: false, types: [],
      },
      files: ['example.ts'],
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', project, '--listFiles'], { cwd: project, encoding: 'utf8' });
    expect(run.stdout.split('\n').filter((l) => l.includes('error TS'))).toEqual([]);
    expect(run.status).toBe(0);
    // The types came from the tarballs, not from the workspace's sources.
    expect(run.stdout).toContain(join(project, 'node_modules/@logit/core/dist/index.d.ts'));
    expect(run.stdout).toContain(join(project, 'node_modules/@logit/backend-cpu/dist/index.d.ts'));
  });

  it("emits declarations for a user's exported model, whose fields are nn layers and an optimizer", () => {
    // A library or a composite project builds with `declaration: true`: TypeScript must be able to
    // name `nn.Linear`, `nn.ModuleList<nn.Linear>` and `optim.AdamW` in the user's .d.ts.
    const lib = join(project, 'lib');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, 'model.ts'), [
      "import { nn, optim, type Tensor } from '@logit/core';",
      'export class Net extends nn.Module {',
      '  fc = new nn.Linear(2, 3);',
      '  blocks = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3)]);',
      '  act = new nn.ReLU();',
      '  forward(x: Tensor): Tensor { return this.act.forward(this.fc.forward(x)); }',
      '}',
      'export const model = new Net();',
      'export const opt = new optim.AdamW(model.parameters(), { lr: 1e-3 });',
      '',
    ].join('\n'));
    const tsconfig = {
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'],
        strict: true, declaration: true, emitDeclarationOnly: true, outDir: 'out', skipLibCheck: false, types: [],
      },
      files: ['model.ts'],
    };
    writeFileSync(join(lib, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', lib], { cwd: lib, encoding: 'utf8' });
    expect(run.stdout.split('\n').filter((l) => l.includes('error TS'))).toEqual([]);
    expect(run.status).toBe(0);
    const dts = readFileSync(join(lib, 'out/model.d.ts'), 'utf8');
    expect(dts).toContain('export declare class Net extends nn.Module');
    expect(dts).toContain('fc: nn.Linear;');
    expect(dts).toContain('blocks: nn.ModuleList<nn.Linear>;');
    expect(dts).toContain('export declare const opt: optim.AdamW;');
  });
});
