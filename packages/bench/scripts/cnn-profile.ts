// Profiles logit's mnist-Net training step (the `cnn` benchmark's problem) on one backend:
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof scripts/cnn-profile.ts [logit-wasm|logit-wasm-2t|logit-cpu|tfjs-wasm|tfjs-cpu] [steps]
//   node scripts/summarize-profile.mjs /tmp/prof/<file>.cpuprofile
// Prints each step's wall time and this thread's CPU time (on a shared machine the CPU time is the
// steadier number, for the threads of this process). The Logit packages come from their dist:
// `pnpm build` first.
import { cnnProblem } from '../src/benchmarks/cnn.js';
import { selectContenders } from '../src/contenders/index.js';

const which = process.argv[2] ?? 'logit-wasm';
const steps = Number(process.argv[3] ?? 10);
const [contender] = selectContenders([which]);
await contender.activate();
const training = contender.cnn(cnnProblem(32, 0.01));
for (let s = 0; s < steps; s++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const loss = await training.step();
  const cpu = process.cpuUsage(c0);
  console.log(`step ${s}: loss ${loss.toFixed(5)}  wall ${(performance.now() - t0).toFixed(1)} ms  cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms`);
}
training.dispose();
