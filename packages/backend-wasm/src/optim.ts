import {
  BackendError, type AdamStepResult, type AdamStepSpec, type AdamStepState, type DType, type SgdStepResult, type SgdStepSpec,
  type Storage,
} from '@logit/core';
import type { Context } from './context.js';

function float32Only(op: string, dtype: DType): void {
  if (dtype !== 'float32') throw new BackendError(`wasm: ${op} expects float32, got ${dtype}`);
}

/** Fused torch.optim.SGD update (assembly/optim.ts): new parameter and momentum-buffer storages. */
export function makeSgdStep(cx: Context) {
  return (param: Storage, grad: Storage, buf: Storage | null, size: number, spec: SgdStepSpec, dtype: DType): SgdStepResult => {
    float32Only('sgdStep', dtype);
    const ps = cx.st(param, 'sgdStep'), gs = cx.st(grad, 'sgdStep');
    const bs = buf === null ? null : cx.st(buf, 'sgdStep');
    const out = cx.own(dtype, size);
    const outBuf = spec.momentum !== 0 ? cx.own(dtype, size) : null;
    if (size > 0) {
      cx.k.sgdStep(size, ps.ptr, gs.ptr, bs?.ptr ?? 0, out.ptr, outBuf?.ptr ?? 0,
        spec.lr, spec.momentum, spec.dampening, spec.weightDecay, spec.nesterov ? 1 : 0, spec.maximize ? 1 : 0);
    }
    return { param: out, momentumBuffer: outBuf };
  };
}

/** Fused torch.optim.Adam/AdamW update: new parameter and moment storages. */
export function makeAdamStep(cx: Context) {
  return (param: Storage, grad: Storage, state: AdamStepState, size: number, spec: AdamStepSpec, dtype: DType): AdamStepResult => {
    float32Only('adamStep', dtype);
    const ps = cx.st(param, 'adamStep'), gs = cx.st(grad, 'adamStep');
    const ms = cx.st(state.expAvg, 'adamStep'), vs = cx.st(state.expAvgSq, 'adamStep');
    const vmax = state.maxExpAvgSq === null ? null : cx.st(state.maxExpAvgSq, 'adamStep');
    const out = cx.own(dtype, size), outM = cx.own(dtype, size), outV = cx.own(dtype, size);
    const outVmax = spec.amsgrad ? cx.own(dtype, size) : null;
    if (size > 0) {
      cx.k.adamStep(size, ps.ptr, gs.ptr, ms.ptr, vs.ptr, vmax?.ptr ?? 0, out.ptr, outM.ptr, outV.ptr, outVmax?.ptr ?? 0,
        spec.lr, spec.beta1, spec.beta2, spec.eps, spec.weightDecay, spec.decoupled ? 1 : 0, spec.maximize ? 1 : 0, spec.step);
    }
    return { param: out, expAvg: outM, expAvgSq: outV, maxExpAvgSq: outVmax };
  };
}
