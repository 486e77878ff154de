import type { DType } from '@logit/core';
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

export type { WgslType };
