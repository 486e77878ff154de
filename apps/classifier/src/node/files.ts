import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { io } from '@logit/core';
import { reasonOf, UsageError } from './errors.js';

/**
 * Creates the `--out` folder and any missing parents, one level at a time, and checks that files
 * can be written in it, so a bad --out fails before training rather than at the first
 * checkpoint. (Node 20's `mkdirSync(dir, { recursive: true })` never returns for a path under
 * /proc: it retries the ENOENT it gets there forever.) Returns the absolute path.
 */
export function prepareOutDir(out: string): string {
  const dir = resolve(out);
  const missing: string[] = [];
  let existing = dir;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory()) {
    throw new UsageError(`--out ${out}: ${existing === dir ? 'it' : existing} is a file, not a folder`);
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (e) {
      throw new UsageError(`--out ${out}: cannot create the folder ${folder} (${reasonOf(e)})`);
    }
  }
  const probe = join(dir, `.logit-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write files in that folder (${reasonOf(e)})`);
  }
  return dir;
}

/** The bytes of the `--resume` checkpoint, checked to be a readable safetensors file. */
export function readCheckpointFile(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`--resume ${file}: that is a folder; give the .safetensors file a run wrote (e.g. runs/latest/best.safetensors)`);
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--resume ${file}: cannot read it (${reasonOf(e)})`);
  }
  try {
    io.loadMetadata(bytes);
  } catch (e) {
    throw new UsageError(`--resume ${file}: not a safetensors checkpoint (${reasonOf(e)})`);
  }
  return bytes;
}
