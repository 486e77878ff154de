/**
 * Writes the Logit side of the nanoGPT state-dict fixtures (a script, not a test):
 *
 *   test/fixtures/nanogpt-logit-trained.safetensors  weights trained by `nanogpt/train.ts` on backend-cpu
 *                                                    (Logit's own initialisation and batches), under
 *                                                    PyTorch's names, the config in the metadata
 *   test/fixtures/nanogpt-logit-probe.safetensors    x, y: the golden's probe batch; logits, loss:
 *                                                    what that model computes for it in Logit
 *
 * tools/goldens/nanogpt_from_logit.py then loads the weights into the PyTorch module with
 * load_state_dict(strict=True), checks its outputs against the probe, and records PyTorch's
 * outputs for test/nanogpt-interop.test.ts.
 *
 * Run (from examples/): npx tsx test/write-logit-fixture.ts
 */
import { io, noGrad, tidy } from '@logit/core';
import { useBackend } from '../common/backend.js';
import { parseArgs, train } from '../nanogpt/train.js';
import { golden, probeBatch } from './nanogpt-fixture.js';

const dir = new URL('fixtures/', import.meta.url);
const c = golden.config;
const args = parseArgs([
  '--backend', 'cpu', '--batch-size', '16', '--block-size', `${c.block_size}`, '--n-layer', `${c.n_layer}`, '--n-head', `${c.n_head}`,
  '--n-embd', `${c.n_embd}`, '--max-iters', '150', '--warmup-iters', '10', '--eval-interval', '1000', '--log-interval', '50',
  '--samples', '0', '--seed', '7', '--out', new URL('nanogpt-logit-trained.safetensors', dir).pathname,
]);
await useBackend('cpu');
const { model } = await train(args);
model.eval();
const { x, y } = probeBatch();
const out = noGrad(() => tidy(() => model.forward(x, y)));
await io.saveFile(new URL('nanogpt-logit-probe.safetensors', dir).pathname, { x, y, logits: out.logits, loss: out.loss! });
console.log(`probe loss ${(await out.loss!.item()).toFixed(6)}`);
