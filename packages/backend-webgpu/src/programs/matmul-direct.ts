import type { Program, WgslType } from '../wgsl/header.js';

/** The layout of one direct matmul: element type, transposes, and which bindings are read as vec4. */
export interface DirectMatmulLayout {
  t: 'f32' | 'i32';
  transA: boolean;
  transB: boolean;
  /** A is read 4 elements at a time along its contiguous axis (K, or M when transposed). */
  vecA: boolean;
  /** B is read 4 elements at a time along its contiguous axis (N, or K when transposed). */
  vecB: boolean;
  /** C rows are written 4 columns at a time (n % 4 == 0). */
  vecC: boolean;
  /** Workgroup shape in threads; each thread owns a 4 x 4 block of C. */
  wx: number;
  wy: number;
}

const LANE = ['x', 'y', 'z', 'w'];

/**
 * k-terms summed into a fresh partial before it joins the total: a float sum's rounding error
 * grows with the number of terms, so one running sum over all of K lost accuracy linearly in K
 * (1.4e-5 relative at K = 65,536, 5.8e-3 at 5M). Partials of K_BLOCK terms, added into the total
 * with Kahan compensation, bound the error by the block, whatever K is. The tiled kernel uses the
 * same block.
 */
export const K_BLOCK = 256;

/** Adds the partials d0..d3 into the totals c0..c3: Kahan-compensated (e0..e3) for f32, plainly for i32 (exact, wrapping). */
function foldPartials(t: 'f32' | 'i32'): string {
  if (t === 'i32') return R4.map((r) => `    c${r} = c${r} + d${r};\n`).join('');
  return R4.map((r) => `    { let y = d${r} - e${r}; let s = c${r} + y; e${r} = (s - c${r}) - y; c${r} = s; }\n`).join('');
}
const R4 = [0, 1, 2, 3];

/**
 * Matmul without workgroup memory: each thread computes a 4 x 4 block of C straight from global
 * memory, 4 steps of k at a time, with no barrier. On a CPU-backed adapter (SwiftShader) a
 * workgroup's threads are SIMD lanes of one CPU thread, so barriers and workgroup-memory copies
 * cost more than they save, while the CPU's caches already give the reuse a shared tile would;
 * 4-wide loads cut the per-load bounds checks and gathers to a quarter. Measured on SwiftShader
 * at 256^3: ~8x faster than the 64 x 64 shared-tile kernel, and scalar loads ~4x slower than vec4.
 *
 * Rows and columns past the edge are clamped on load (their results are never stored), so
 * nothing in the k loop needs a bounds test; a k tail (k % 4) runs one step at a time.
 * A 4-wide binding needs its batch stride and the axis it runs along to be multiples of 4, which
 * the caller checks. `A(r, t)` below is A[i0 + r, p + t] and `bRow(t)` is B[p + t, j0 .. j0 + 3].
 *   meta: [m, n, k, aBatchStride, bBatchStride, batchOffset]
 */
export function directMatmulProgram(l: DirectMatmulLayout): Program {
  const { t, transA, transB, vecA, vecB, vecC } = l;
  const v = `vec4<${t}>`;
  const at = (name: string, vec: boolean, idx: string): string => (vec ? `${name}[(${idx}) / 4u][(${idx}) % 4u]` : `${name}[${idx}]`);
  const aIndex = (i: string, p: string): string => (transA ? `aBase + (${p}) * M + ${i}` : `aBase + ${i} * K + ${p}`);
  const bIndex = (p: string, j: string): string => (transB ? `bBase + ${j} * K + ${p}` : `bBase + (${p}) * N + ${j}`);

  // Loads of one 4 x 4 block of A and of B per k step: 4 vectors each, named a0..a3 and b0..b3.
  const quad = (name: string, idx: (q: number) => string): string => `${v}(${R4.map((q) => `${name}[${idx(q)}]`).join(', ')})`;
  let hoisted = '';
  let loads = '';
  let aElem: (r: number, q: number) => string;
  if (!transA) {
    // a{r} = A row i_r, k = p .. p+3
    hoisted += R4.map((r) => `  let aRow${r} = aBase + i${r} * K;\n`).join('');
    loads += R4.map((r) => `    let a${r} = ${vecA ? `a[(aRow${r} + p) / 4u]` : quad('a', (q) => `aRow${r} + p + ${q}u`)};\n`).join('');
    aElem = (r, q) => `a${r}.${LANE[q]}`;
  } else {
    // a{q} = A column p+q, rows i0 .. i0+3
    loads += R4.map((q) => `    let aCol${q} = aBase + (p + ${q}u) * M;\n`).join('');
    loads += R4.map((q) => `    let a${q} = ${vecA ? `a[(aCol${q} + i0) / 4u]` : quad('a', (r) => `aCol${q} + i${r}`)};\n`).join('');
    aElem = (r, q) => `a${q}.${LANE[r]}`;
  }
  let bRow: (q: number) => string;
  if (!transB) {
    // b{q} = B row p+q, columns j0 .. j0+3
    loads += R4.map((q) => `    let bRow${q} = bBase + (p + ${q}u) * N;\n`).join('');
    loads += R4.map((q) => `    let b${q} = ${vecB ? `b[(bRow${q} + j0) / 4u]` : quad('b', (s) => `bRow${q} + j${s}`)};\n`).join('');
    bRow = (q) => `b${q}`;
  } else {
    // b{s} = B column j_s, k = p .. p+3
    hoisted += R4.map((s) => `  let bCol${s} = bBase + j${s} * K;\n`).join('');
    loads += R4.map((s) => `    let b${s} = ${vecB ? `b[(bCol${s} + p) / 4u]` : quad('b', (q) => `bCol${s} + p + ${q}u`)};\n`).join('');
    bRow = (q) => `${v}(${R4.map((s) => `b${s}.${LANE[q]}`).join(', ')})`;
  }
  const products = R4.map((r) => `      d${r} = d${r} + ${R4.map((q) => `${bRow(q)} * ${aElem(r, q)}`).join(' + ')};\n`).join('');
  const partials = R4.map((r) => `    var d${r} = ${v}();\n`).join('');

  const tail = `
  {
${partials}  for (var p = K4; p < K; p++) {
    let bv = ${v}(${R4.map((s) => at('b', vecB, bIndex('p', `j${s}`))).join(', ')});
${R4.map((r) => `    d${r} = d${r} + bv * ${at('a', vecA, aIndex(`i${r}`, 'p'))};`).join('\n')}
  }
${foldPartials(t)}  }`;
  const store = vecC
    ? R4.map((r) => `  if (i0 + ${r}u < M) { c[(cBase + (i0 + ${r}u) * N + j0) / 4u] = c${r}; }`).join('\n')
    : R4.map((r) => R4.map((s) => `  if (i0 + ${r}u < M && j0 + ${s}u < N) { c[cBase + (i0 + ${r}u) * N + j0 + ${s}u] = c${r}.${LANE[s]}; }`).join('\n')).join('\n');

  const bind = (vec: boolean): WgslType => (vec ? `vec4<${t}>` : t);
  const flags = `${transA ? ' tA' : ''}${transB ? ' tB' : ''} ${vecA ? 'A4' : 'A1'}${vecB ? 'B4' : 'B1'}${vecC ? 'C4' : 'C1'}`;
  return {
    label: `matmul direct ${t}${flags} ${l.wx}x${l.wy}`,
    bindings: [{ name: 'a', type: bind(vecA) }, { name: 'b', type: bind(vecB) }, { name: 'c', type: bind(vecC), write: true }],
    workgroupSize: [l.wx, l.wy],
    main: `
  let M = prm[0];
  let N = prm[1];
  let K = prm[2];
  let item = wid.z + prm[5];
  let aBase = item * prm[3];
  let bBase = item * prm[4];
  let cBase = item * M * N;
  let i0 = (wid.y * ${l.wy}u + lid3.y) * 4u;
  let j0 = (wid.x * ${l.wx}u + lid3.x) * 4u;
  if (i0 >= M || j0 >= N) { return; }
${R4.slice(1).map((r) => `  let i${r} = min(i0 + ${r}u, M - 1u);\n  let j${r} = min(j0 + ${r}u, N - 1u);`).join('\n')}
${hoisted}${R4.map((r) => `  var c${r} = ${v}();\n`).join('')}${t === 'f32' ? R4.map((r) => `  var e${r} = ${v}();\n`).join('') : ''}  let K4 = K & ~3u;
  for (var p0 = 0u; p0 < K4; p0 = p0 + ${K_BLOCK}u) {
${partials}    let pEnd = min(p0 + ${K_BLOCK}u, K4);
    for (var p = p0; p < pEnd; p = p + 4u) {
${loads.replace(/^ {4}/gm, '      ')}${products}    }
${foldPartials(t)}  }${tail}
${store}`,
  };
}
