import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The tests load wasm/*.wasm; rebuilding first (about a second) means a plain `vitest run` never
// tests a stale build of assembly/.
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-wasm.mjs')], { stdio: 'inherit', cwd: root });
}
