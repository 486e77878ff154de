import type { DType, Shape } from '@logit/core';
import type { Engine } from './engine.js';
import type { GpuStorage } from './storage.js';
import type { WgslType } from './wgsl/header.js';

/** What a kernel needs from its backend: the engine to run on and an allocator of outputs. */
export interface KernelContext {
  engine: Engine;
  alloc(dtype: DType, size: number): GpuStorage;
  /** Returns a kernel's own scratch storage to the pool. */
  free(s: GpuStorage): void;
}

/** The WGSL element type a dtype is stored as. */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  if (dtype === 'bool') return 'u32';
  throw new Error(`webgpu: dtype ${dtype} has no WGSL storage type`);
}

export function size(shape: Shape): number {
  return shape.reduce((a, d) => a * d, 1);
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Strides that read `shape`, right-aligned and broadcast to `outShape` (0 along broadcast dims). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const s = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : s[i - lead]));
}

/** Sizes around an axis: a tensor seen as (outer, shape[axis], inner). */
export function aroundAxis(shape: Shape, axis: number): { outer: number; len: number; inner: number } {
  return { outer: size(shape.slice(0, axis)), len: shape[axis], inner: size(shape.slice(axis + 1)) };
}

export type { WgslType };
