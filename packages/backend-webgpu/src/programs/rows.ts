import type { Shape } from '@logit/core';
import { stridesOf } from '@logit/core';
import { Meta } from '../wgsl/meta.js';

/**
 * Shared pieces of the row-wise program families (reduce, argReduce, softmax, crossEntropy):
 * a "row" is the set of input elements that one output combines. Where a row starts and how
 * its elements are spaced come from meta words, so any set of reduced axes works without a
 * transposing copy:
 *   meta: [rows, len, keptRank, redRank, keptShape..., keptStrides..., redShape..., redStrides...]
 * When the reduced axes are the trailing ones, rows are contiguous and the generated code
 * indexes base = row * len, offset = r directly.
 */
export interface RowLayout {
  rows: number;
  len: number;
  contiguous: boolean;
  meta: Meta;
}

/** The layout of reducing `shape` over `axes` (sorted, unique). */
export function rowLayout(shape: Shape, axes: readonly number[]): RowLayout {
  const xs = stridesOf(shape);
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const rows = kept.reduce((a, d) => a * shape[d], 1);
  const len = axes.reduce((a, d) => a * shape[d], 1);
  const contiguous = axes.every((a, i) => a === shape.length - axes.length + i);
  const meta = new Meta().u(rows, len, kept.length, axes.length);
  meta.u(...kept.map((d) => shape[d]), ...kept.map((d) => xs[d]), ...axes.map((d) => shape[d]), ...axes.map((d) => xs[d]));
  return { rows, len, contiguous, meta };
}

/** A tensor seen as (outer, len, inner) with rows along the middle axis. */
export function axisLayout(shape: Shape, axis: number): RowLayout {
  return rowLayout(shape, [axis]);
}

/** WGSL: rowBase(row) and rowOffset(r), the input offsets of a row's start and its r-th element. */
export function rowIndexing(contiguous: boolean): string {
  if (contiguous) {
    return `
fn rowBase(row: u32) -> u32 { return row * prm[1]; }
fn rowOffset(r: u32) -> u32 { return r; }`;
  }
  return `
fn rowBase(row: u32) -> u32 {
  let kr = prm[2];
  var rem = row;
  var off = 0u;
  for (var d = i32(kr) - 1; d >= 0; d--) {
    let dim = prm[4u + u32(d)];
    off = off + (rem % dim) * prm[4u + kr + u32(d)];
    rem = rem / dim;
  }
  return off;
}
fn rowOffset(r: u32) -> u32 {
  let at = 4u + 2u * prm[2];
  let rr = prm[3];
  var rem = r;
  var off = 0u;
  for (var d = i32(rr) - 1; d >= 0; d--) {
    let dim = prm[at + u32(d)];
    off = off + (rem % dim) * prm[at + rr + u32(d)];
    rem = rem / dim;
  }
  return off;
}`;
}

/**
 * WGSL lines of a workgroup tree over `sh` (power-of-two `threads` entries, each holding one
 * thread's partial): afterwards sh[0] holds the combination of all. Every thread runs the loop,
 * so the barriers stay in uniform control flow.
 */
export function workgroupTree(threads: number, combine: (a: string, b: string) => string): string {
  return `
  workgroupBarrier();
  for (var s = ${threads / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sh[lid] = ${combine('sh[lid]', 'sh[lid + s]')}; }
    workgroupBarrier();
  }`;
}

/** The largest power of two not above `n`. */
export function powerOfTwoAtMost(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/** One workgroup per row when rows are long and few; else one thread per row. */
export function groupPerRow(rows: number, len: number): boolean {
  return len >= 128 || (len > 16 && rows < 256);
}
