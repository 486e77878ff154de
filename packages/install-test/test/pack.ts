import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Packed {
  /** The package.json as published (pnpm rewrites `workspace:` ranges while packing). */
  manifest: Record<string, any>;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  tarball: string;
}

/**
 * `pnpm pack`s a workspace package into `dest`. Lifecycle scripts are skipped: turbo built dist
 * before this test (test depends on ^build), and prepack's rebuild would delete dist while other
 * packages' typecheck tasks read it. The test checks separately that prepack builds.
 */
export function pack(packageDir: string, dest: string): Packed {
  const out = execFileSync('pnpm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  const info = JSON.parse(out.slice(out.indexOf('{'))) as { filename: string };
  const tarball = info.filename.startsWith('/') ? info.filename : join(dest, info.filename);
  const unpacked = join(dest, `${info.filename.replace(/.*\//, '')}.unpacked`);
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ''));
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
  return { manifest, files, tarball };
}
