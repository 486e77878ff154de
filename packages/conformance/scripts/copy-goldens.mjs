// Ships the PyTorch goldens that core's generators (tools/goldens/*.py) commit in
// packages/core/test/goldens, so the published package carries its oracle as dist/data/*.json.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../core/test/goldens/', import.meta.url));
const to = fileURLToPath(new URL('../dist/data/', import.meta.url));
mkdirSync(to, { recursive: true });
for (const name of ['losses.json', 'nn.json', 'ops.json', 'transformer.json']) {
  if (existsSync(from + name)) copyFileSync(from + name, to + name);
  else console.warn(`copy-goldens: ${from + name} does not exist yet; its cases will be missing`);
}
