import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '@logit/core';

type Factory = () => Backend | Promise<Backend>;

/** The module's backend factory: `createBackend` (every Logit backend exports it) or a default export. */
function factoryOf(mod: Record<string, unknown>, what: string): Factory {
  const f = (mod.createBackend ?? mod.default) as Factory | undefined;
  if (typeof f !== 'function') throw new Error(`${what} exports no createBackend() (nor a default export that is one)`);
  return f;
}

/** The entry of an installed package, found from `dir` upwards through node_modules. */
function findPackageEntry(name: string, dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const pkgDir = path.join(d, 'node_modules', name);
    const pkgJson = path.join(pkgDir, 'package.json');
    if (existsSync(pkgJson)) {
      const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: unknown; module?: string; main?: string };
      const root = typeof pkg.exports === 'object' && pkg.exports !== null ? (pkg.exports as Record<string, unknown>)['.'] ?? pkg.exports : pkg.exports;
      const entry = typeof root === 'string' ? root : (root as Record<string, string> | undefined)?.import ?? (root as Record<string, string> | undefined)?.default ?? pkg.module ?? pkg.main ?? 'index.js';
      return path.join(pkgDir, entry);
    }
    if (path.dirname(d) === d) return null;
  }
}

/**
 * Loads a backend factory from a package name ("@logit/backend-wasm") or a path to a module
 * ("./dist/index.js"): the package is looked up from the current directory first, then from here.
 */
export async function loadBackendFactory(spec: string, cwd = process.cwd()): Promise<Factory> {
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || /\.(m?js|ts)$/.test(spec);
  if (looksLikePath) {
    const file = path.resolve(cwd, spec);
    if (!existsSync(file)) throw new Error(`backend module ${file} does not exist`);
    return factoryOf(await import(pathToFileURL(file).href), file);
  }
  const entry = findPackageEntry(spec, cwd);
  if (entry) return factoryOf(await import(pathToFileURL(entry).href), spec);
  return factoryOf(await import(spec), spec);
}
