// Ships the PyTorch goldens that core's generators (tools/goldens/*.py) commit in
// packages/core/test/goldens, so the published package carries its oracle as dist/data/*.json.
// Every golden file is copied, so a new one is picked up without an edit here; a missing folder
// fails the build (the cases that read it would otherwise be missing from the package).
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../core/test/goldens/', import.meta.url));
const to = fileURLToPath(new URL('../dist/data/', import.meta.url));
if (!existsSync(from)) throw new Error(`copy-goldens: ${from} does not exist; the PyTorch goldens come from tools/goldens/*.py`);
mkdirSync(to, { recursive: true });
const names = readdirSync(from).filter((n) => n.endsWith('.json'));
if (names.length === 0) throw new Error(`copy-goldens: no golden files in ${from}`);
for (const name of names) copyFileSync(from + name, to + name);
