/**
 * The shared part of every generated shader: a program names its storage bindings and writes
 * the body of `main`; this file adds the binding declarations, the `meta` array (the per-dispatch
 * sizes, strides and scalar parameters, written by the host as u32 words) and the float helpers.
 *
 * Float helpers exist because WGSL leaves most non-finite arithmetic to the implementation
 * (log(0), max(nan, x), pow of negatives are undefined), and a const-expression that yields
 * nan or inf is a compile error. nan and inf are therefore made from bit patterns held in
 * private variables, tested by bits, and every op whose builtin is undefined at the edges gets
 * an explicit case (see ops.ts) so results follow backend-cpu and PyTorch.
 */

/**
 * The WGSL element type of a storage binding. Atomic types are for scatter-add outputs; vec4
 * types read or write 4 elements at a time (matmul's direct kernel).
 */
export type WgslType = 'f32' | 'i32' | 'u32' | 'atomic<u32>' | 'atomic<i32>' | 'vec4<f32>' | 'vec4<i32>';

export interface Binding {
  name: string;
  type: WgslType;
  /** A kernel output (read_write); inputs are read-only. */
  write?: boolean;
}

/** A kernel family's generated program: everything but the shared header. */
export interface Program {
  /** Names the kernel in error messages and GPU debug labels. */
  label: string;
  bindings: readonly Binding[];
  /** Threads per workgroup; a pair is (x, y). */
  workgroupSize: number | readonly [number, number];
  /** Module-scope WGSL: helper functions, workgroup arrays. */
  decls?: string;
  /**
   * The body of `main`. In scope: `group` (the linear workgroup index: dispatches over 65535
   * groups are split into a 2-D grid), `lid` (index in the workgroup), `gid` (group * size + lid),
   * `wid` (the raw workgroup id, for programs that lay out their own grid) and `lid3`.
   */
  main: string;
}

const HELPERS = /* wgsl */ `
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nanF() -> f32 { return bitcast<f32>(NAN_BITS); }
fn infF() -> f32 { return bitcast<f32>(INF_BITS); }
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isInf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn signBit(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
/** (x != 0) by bits, so nan is true and -0 is false whatever the compiler assumes. */
fn notZero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }
fn toBool(x: f32) -> u32 { return select(0u, 1u, notZero(x)); }
fn metaF(i: u32) -> f32 { return bitcast<f32>(prm[i]); }
fn metaI(i: u32) -> i32 { return bitcast<i32>(prm[i]); }
/** float -> int32 as a JS Int32Array store (ToInt32): truncate, wrap modulo 2^32, nan/inf -> 0. */
fn toI32(x: f32) -> i32 {
  if (isNan(x) || isInf(x)) { return 0; }
  let t = trunc(x);
  if (abs(t) < 2147483648.0) { return i32(t); }
  // |t| >= 2^31 is an integer multiple of 2^8; t mod 2^32 keeps at most 24 bits, so it is exact.
  let hi = floor(t / 4294967296.0);
  return bitcast<i32>(u32(t - hi * 4294967296.0));
}
`;

function declare(b: Binding, i: number): string {
  const access = b.write ? 'read_write' : 'read';
  return `@group(0) @binding(${i}) var<storage, ${access}> ${b.name}: array<${b.type}>;`;
}

export function workgroupThreads(p: Program): number {
  return typeof p.workgroupSize === 'number' ? p.workgroupSize : p.workgroupSize[0] * p.workgroupSize[1];
}

/** The complete WGSL source of a program. */
export function generateShader(p: Program): string {
  const [wx, wy] = typeof p.workgroupSize === 'number' ? [p.workgroupSize, 1] : p.workgroupSize;
  const bindings = p.bindings.map(declare);
  bindings.push(`@group(0) @binding(${p.bindings.length}) var<storage, read> prm: array<u32>;`);
  return [
    `// ${p.label}`,
    ...bindings,
    HELPERS,
    p.decls ?? '',
    `@compute @workgroup_size(${wx}, ${wy}, 1)`,
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,',
    '        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lid3: vec3u) {',
    '  let group = wid.y * nwg.x + wid.x;',
    `  let gid = group * ${wx * wy}u + lid;`,
    p.main,
    '}',
  ].join('\n');
}

/** A 53-bit string hash (cyrb53): the pipeline cache key of a generated source. */
export function hashSource(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
