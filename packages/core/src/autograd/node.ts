import { ValueError } from '../errors.js';
import type { DataRef } from '../memory/data-ref.js';
import type { DType } from '../dtype.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Given the gradient of the output and the saved tensors, the gradient of each input (null: none). */
export type BackwardFn = (grad: Tensor, saved: Tensor[]) => (Tensor | null)[];

/** Where an input's gradient goes: into another node, or into a leaf tensor's `.grad`. */
export type Edge = { node: Node } | { leaf: Tensor } | null;

export interface Saved {
  ref: DataRef;
  shape: Shape;
  dtype: DType;
}

/**
 * One recorded operation. `refs` counts what points at it (tensors whose gradFn it is, and
 * downstream nodes); when that reaches 0 the saved tensors are released, and so on upstream,
 * so a graph that is never backpropagated does not hold memory once its tensors are disposed.
 */
export class Node {
  /** @internal Tensors and downstream nodes that point at this node. */
  refs = 0;
  private saved: Saved[] | null;

  /**
   * @param name - The op that recorded this node, e.g. 'matmul' (shown in errors).
   * @param edges - Where each input's gradient goes, in input order.
   * @param backward - The gradient rule: output gradient and saved tensors to input gradients.
   * @param inputShapes - The inputs' shapes, to reduce broadcast gradients back to them.
   */
  constructor(
    readonly name: string,
    readonly edges: Edge[],
    saved: Saved[],
    readonly backward: BackwardFn,
    readonly inputShapes: Shape[],
  ) {
    this.saved = saved;
    for (const e of edges) if (e && 'node' in e) e.node.refs++;
  }

  /** True once the saved tensors were freed (after a backward without `retainGraph`). */
  get released(): boolean {
    return this.saved === null;
  }

  /** @internal The saved tensors for a backward pass; throws after they were released. */
  takeSaved(): Saved[] {
    if (!this.saved) {
      throw new ValueError(
        `backward: trying to backward through the graph a second time (through '${this.name}'); ` +
          'pass { retainGraph: true } to the first backward() if you need to',
      );
    }
    return this.saved;
  }

  /** Frees the saved tensors; the node stays in the graph (a second backward then errors). */
  releaseSaved(): void {
    if (!this.saved) return;
    for (const s of this.saved) s.ref.release();
    this.saved = null;
  }
}

/** Drops one reference to a node, freeing it and any upstream nodes nothing else holds. */
export function releaseNode(start: Node): void {
  const stack = [start];
  while (stack.length) {
    const n = stack.pop()!;
    if (--n.refs > 0) continue;
    n.releaseSaved();
    for (const e of n.edges) if (e && 'node' in e) stack.push(e.node);
  }
}
