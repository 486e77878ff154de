/**
 * `node packages/headless/dist/cli.js env` prints the shell exports that let a Node process use
 * WebGPU on SwiftShader (eval it before running a script by hand); `... chromium` prints the
 * Chromium executable the tests launch. Both unpack from npm on first use.
 */
import { chromiumRuntime, MissingRuntimeError, nodeVulkanEnv } from './runtime.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

try {
  const what = process.argv[2];
  if (what === 'env') {
    for (const [k, v] of Object.entries(nodeVulkanEnv())) console.log(`export ${k}=${quote(v)}`);
  } else if (what === 'chromium') {
    const r = chromiumRuntime();
    console.log(r.executablePath);
    for (const [k, v] of Object.entries(r.env)) console.error(`# launch it with ${k}=${v}`);
  } else {
    console.error('usage: logit-headless env | chromium');
    process.exitCode = 2;
  }
} catch (e) {
  if (!(e instanceof MissingRuntimeError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
