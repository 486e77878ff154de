import { IndexError, ValueError } from '../../errors.js';
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';

/**
 * A chain of modules: forward feeds each one's output to the next. The modules are children
 * named '0', '1', ..., so parameters are named '0.weight', '2.bias' as in PyTorch.
 *
 * @example
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
 * model.forward(randn([2, 4])).sum().backward();
 * model.namedParameters().map(([n]) => n);   // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
  /** @param modules - The modules, registered as children '0', '1', ... in order. */
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** Adds a module at the end, named by its position. */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new ValueError(`Sequential: expected a Module, got ${String(m)}`);
    (this as unknown as Record<string, Module>)[String(this.length)] = m;
    return this;
  }

  /** The number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): Module {
    const n = this.length;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`Sequential: index ${i} is out of range for ${n} modules`);
    return this.children()[i < 0 ? i + n : i];
  }

  /** Feeds `x` through each module in order and returns the last output. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const [name, m] of this.namedChildren()) {
      const out = (m.forward as (t: Tensor) => unknown).call(m, y);
      if (!(out instanceof Tensor)) throw new ValueError(`Sequential: module '${name}' (${m.constructor.name}) did not return a Tensor`);
      y = out;
    }
    return y;
  }
}
