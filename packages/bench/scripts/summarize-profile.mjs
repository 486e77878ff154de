// Top self-time functions of a V8 .cpuprofile (node --cpu-prof):
//   node summarize-profile.mjs FILE-OR-DIR [N]
// Given a directory, it reads the profile with the most samples (the main thread's; tsx's loader
// thread writes a small one beside it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [path, top = '20'] = process.argv.slice(2);
const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(path, f)) : [path];
const profile = files.map((f) => JSON.parse(readFileSync(f, 'utf8'))).sort((a, b) => b.samples.length - a.samples.length)[0];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = new Map();
profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const self = new Map();
let total = 0;
for (const [id, us] of dt) {
  const { callFrame: f } = byId.get(id);
  const name = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').slice(-2).join('/') : ''}${f.lineNumber >= 0 && f.url ? `:${f.lineNumber + 1}` : ''}`;
  self.set(name, (self.get(name) ?? 0) + us);
  total += us;
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [name, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
