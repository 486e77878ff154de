import { newArray, type Backend, type RnnCellSpec, type Storage, type TypedArray } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { rng } from '@logit/conformance';
import { cpu, WASMS } from './builds.js';

// The fused recurrent kernels build sigmoid and tanh from an f32x4 exp (assembly/rnn.ts): checked
// here against backend-cpu's kernels (Math, in doubles) over arguments from -60 to 60, tiny ones,
// and nan and the infinities, at hidden sizes with and without a scalar tail. (The backward's
// gradients of the gates are also checked, through core, by the conformance suite.)

const EDGE = [NaN, Infinity, -Infinity, 0, -0, 1e-7, -1e-7, 0.624, 0.626, -0.625, 87.5, -87.5, 89, -104];

/** Moderate values (|x| < 3): the backward's inputs other than the cell state it takes tanh of. */
function moderate(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 6);
}

function values(n: number, seed: number, edges: boolean): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    out[i] = edges && u < 0.15 ? EDGE[Math.floor(r() * EDGE.length)] : u < 0.6 ? (r() - 0.5) * 6 : u < 0.9 ? (r() - 0.5) * 120 : (r() - 0.5) * 1e-3;
  }
  return out;
}

function put(be: Backend, data: TypedArray): Storage {
  const s = be.alloc('float32', data.length);
  be.write(s, data);
  return s;
}

/**
 * |a - e| <= tol * max(1, |e|) elementwise, nan where e is nan: a few float32 ulps (2e-7) for the
 * forward; 1e-6 for the backward, whose chains of four or five float32 products and a sum of
 * terms of either sign round more than once.
 */
function expectClose(a: TypedArray, e: TypedArray, what: string, tol = 2e-7): void {
  for (let i = 0; i < e.length; i++) {
    if (Number.isNaN(e[i])) {
      expect(Number.isNaN(a[i]), `${what}[${i}]: expected nan, got ${a[i]}`).toBe(true);
      continue;
    }
    if (a[i] === e[i]) continue; // infinities
    if (!(Math.abs(a[i] - e[i]) <= tol * Math.max(1, Math.abs(e[i])))) expect.fail(`${what}[${i}]: wasm ${a[i]}, cpu ${e[i]}`);
  }
}

type Kernel = 'lstmCell' | 'lstmCellBackward' | 'gruCell' | 'gruCellBackward';

/** Runs one kernel on a backend from host arrays; returns its outputs read back. */
function run(be: Backend, k: Kernel, inputs: Float32Array[], spec: RnnCellSpec): TypedArray[] {
  const st = inputs.map((x) => put(be, x));
  const f = be.fused!;
  const r = k === 'lstmCell' ? f.lstmCell!(st[0], st[1], st[2], spec, 'float32')
    : k === 'lstmCellBackward' ? f.lstmCellBackward!(st[0], st[1], st[2], st[3], st[4], spec, 'float32')
    : k === 'gruCell' ? f.gruCell!(st[0], st[1], st[2], st[3], spec, 'float32')
    : f.gruCellBackward!(st[0], st[1], st[2], spec, 'float32');
  const outs = Object.values(r) as Storage[];
  const data = outs.map((s) => be.readSync!(s));
  for (const s of [...st, ...outs]) be.free(s);
  return data;
}

describe.each(WASMS.map((be) => [be.variant, be] as const))('fused recurrent kernels (%s build)', (_v, be) => {
  for (const hidden of [8, 7, 1]) {
    for (const edges of [false, true]) {
      const batch = 3;
      const n = batch * hidden;
      const name = `hidden ${hidden}${edges ? ', with nan, infinities and extremes' : ''}`;
      it(`lstmCell and its backward agree with backend-cpu (${name})`, () => {
        const xOffset = 2 * 4 * n; // the third step of a [5, batch, 4 hidden] projection
        const fwd = [values(5 * 4 * n, 1, edges), values(4 * n, 2, edges), values(n, 3, edges)];
        const spec = { batch, hidden, xOffset };
        const want = run(cpu, 'lstmCell', fwd, spec);
        run(be, 'lstmCell', fwd, spec).forEach((a, i) => expectClose(a, want[i], `lstmCell output ${i}`));
        // backward from activated gates in (0, 1) and (-1, 1), as the forward leaves them
        const gates = newArray('float32', 4 * n) as Float32Array;
        const g0 = values(4 * n, 4, false);
        for (let i = 0; i < 4 * n; i++) gates[i] = Math.tanh(g0[i]) * 0.999;
        // tanh(c') is the backward's one transcendental: c' spans the whole range
        const bwd = [gates, moderate(n, 5), values(n, 6, edges), moderate(n, 7), moderate(n, 8)];
        const back = { batch, hidden, xOffset: 0 };
        const wantB = run(cpu, 'lstmCellBackward', bwd, back);
        run(be, 'lstmCellBackward', bwd, back).forEach((a, i) => expectClose(a, wantB[i], `lstmCellBackward output ${i}`, 1e-6));
      });
      it(`gruCell and its backward agree with backend-cpu (${name})`, () => {
        const spec = { batch, hidden, xOffset: 3 * n };
        const fwd = [values(2 * 3 * n, 11, edges), values(3 * n, 12, edges), values(3 * hidden, 13, edges), values(n, 14, edges)];
        const want = run(cpu, 'gruCell', fwd, spec);
        run(be, 'gruCell', fwd, spec).forEach((a, i) => expectClose(a, want[i], `gruCell output ${i}`));
        const gates = values(4 * n, 15, false).map((v) => Math.tanh(v) * 0.999);
        const bwd = [gates, moderate(n, 16), moderate(n, 17)];
        const back = { batch, hidden, xOffset: 0 };
        const wantB = run(cpu, 'gruCellBackward', bwd, back);
        run(be, 'gruCellBackward', bwd, back).forEach((a, i) => expectClose(a, wantB[i], `gruCellBackward output ${i}`, 1e-6));
      });
    }
  }
});
