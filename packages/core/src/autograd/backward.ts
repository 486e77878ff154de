import { ShapeError, ValueError } from '../errors.js';
import { fmt, sameShape, sizeOf } from '../shape.js';
import { tidy } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { noGrad } from './grad-mode.js';
import type { Node } from './node.js';

/** Nodes reachable from root, each after every node that feeds it a gradient (iterative DFS). */
function topoOrder(root: Node): Node[] {
  const post: Node[] = [];
  const seen = new Set<Node>([root]);
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [n, i] = top;
    if (i < n.edges.length) {
      top[1]++;
      const e = n.edges[i];
      if (e && 'node' in e && !seen.has(e.node)) {
        seen.add(e.node);
        stack.push([e.node, 0]);
      }
    } else {
      stack.pop();
      post.push(n);
    }
  }
  return post.reverse();
}

/** A disposed leaf has nowhere to keep a gradient: its `.grad` could never be freed again. */
function checkLeafAlive(leaf: Tensor): void {
  if (leaf.isDisposed) {
    throw new ValueError(
      `backward: leaf tensor #${leaf.id} of shape ${fmt(leaf.shape)} was disposed before backward, so it cannot receive a gradient; ` +
        'keep it (keep(), or create it outside tidy) until backward has run',
    );
  }
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  const prev = leaf.grad;
  if (prev === null && g.dtype === leaf.dtype) {
    leaf._setGradOwned(g);
    return;
  }
  leaf._setGradOwned(prev === null ? g.to(leaf.dtype) : prev.add(g));
  g.dispose();
}

/** Reverse-mode sweep: each node's gradient is complete before its rule runs. */
export function runBackward(root: Tensor, gradient: Tensor | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new ValueError('backward: the tensor does not require grad and has no gradFn (was it computed inside noGrad, or from tensors without requiresGrad?)');
  }
  if (gradient === undefined && sizeOf(root.shape) !== 1) {
    throw new ShapeError(`backward: grad can be implicitly created only for scalar outputs; got shape ${fmt(root.shape)}, pass a gradient of that shape`);
  }
  if (gradient !== undefined && !(gradient instanceof Tensor)) {
    throw new ValueError(`backward: gradient must be a Tensor of the output's shape ${fmt(root.shape)}, got ${typeof gradient}`);
  }
  if (gradient !== undefined && !sameShape(gradient.shape, root.shape)) {
    throw new ShapeError(`backward: gradient has shape ${fmt(gradient.shape)}, expected the output's shape ${fmt(root.shape)}`);
  }
  noGrad(() => {
    const order = root.gradFn ? topoOrder(root.gradFn) : [];
    for (const n of order) n.takeSaved(); // fail before any .grad changes (or the seed exists) if the graph was freed
    for (const n of order) for (const e of n.edges) if (e && 'leaf' in e) checkLeafAlive(e.leaf);
    root._ref();
    const seed = gradient ? tidy(() => gradient.to(root.dtype).detach()) : root._onesLike();
    if (!root.gradFn) {
      accumulateLeaf(root, seed);
      return;
    }
    const grads = new Map<Node, Tensor>([[root.gradFn, seed]]);
    for (const node of order) {
      const g = grads.get(node);
      if (!g) continue;
      grads.delete(node);
      const inputGrads = tidy(() => {
        const outs = node.backward(g, node.takeSaved().map((s) => Tensor._fromRef(s.ref.retain(), s.shape, s.dtype)));
        // a rule may pass g through (add) or give one tensor to two inputs; each edge must own its own
        // handle, since g is disposed below and each accumulation disposes what it consumes
        const owned = new Set<Tensor>([g]);
        return outs.map((ig) => (!ig ? ig : owned.has(ig) ? ig.detach() : (owned.add(ig), ig)));
      });
      g.dispose();
      if (!retainGraph) node.releaseSaved();
      node.edges.forEach((e, i) => {
        const ig = inputGrads[i];
        if (!e || !ig) {
          ig?.dispose();
          return;
        }
        if (!sameShape(ig.shape, node.inputShapes[i])) {
          throw new Error(`internal: gradient of '${node.name}' input ${i} has shape ${fmt(ig.shape)}, expected ${fmt(node.inputShapes[i])}`);
        }
        if ('leaf' in e) {
          accumulateLeaf(e.leaf, ig);
          return;
        }
        const prev = grads.get(e.node);
        if (prev) {
          grads.set(e.node, prev.add(ig));
          prev.dispose();
          ig.dispose();
        } else grads.set(e.node, ig);
      });
    }
    for (const g of grads.values()) g.dispose();
  });
}
