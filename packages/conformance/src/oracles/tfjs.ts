import type { DType } from '@logit/core';
import type { Case } from '../types.js';
import { gradInputs, inputDType, isFloatDType } from '../values.js';
import { looser, TFJS_TOLERANCE } from '../tolerance.js';
import { check, fail, valuesOf, type CaseRun, type OracleOutcome } from './oracle.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TF = any;

let loading: Promise<TF> | null = null;

/** tfjs-core on tfjs-backend-cpu, loaded once and only when a case asks for it. */
export function loadTfjs(): Promise<TF> {
  loading ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    // PROD: no debug checks, and no "install tfjs-node" banner when the cpu backend registers
    tf.env().set('PROD', true);
    await import('@tensorflow/tfjs-backend-cpu');
    // tf.grad needs the gradient registry, which only the full @tensorflow/tfjs bundle imports
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    await tf.setBackend('cpu');
    return tf;
  })();
  return loading;
}

export interface TfjsResult {
  output: number[];
  /** Gradients of the case's gradient inputs, or null when tf.grad cannot be taken. */
  grads: number[][] | null;
}

const tfDType = (d: DType): string => (d === 'float64' ? 'float32' : d);

/** Runs the case's TensorFlow.js version at float32: forward, and gradients with tf.grads. */
export async function runTfjs(
  c: Case,
  dtype: DType,
  inputs: readonly (readonly number[])[],
  upstream: (n: number, d: DType) => number[],
): Promise<TfjsResult> {
  const tf = await loadTfjs();
  const oracle = c.tfjs!;
  const gradIdx = oracle.noGrad ? [] : gradInputs(c, dtype);
  return tf.tidy(() => {
    const xs = c.inputs.map((s, i) => tf.tensor(inputs[i] as number[], s.shape as number[], tfDType(inputDType(s, dtype))));
    const out = oracle.fn(tf, xs);
    const output = Array.from(out.dataSync() as ArrayLike<number>);
    if (gradIdx.length === 0) return { output, grads: null };
    const dy = tf.tensor(upstream(output.length, dtype), out.shape, 'float32');
    const f = (...args: unknown[]) => {
      const all = xs.slice();
      gradIdx.forEach((k, j) => (all[k] = args[j]));
      return oracle.fn(tf, all);
    };
    const gs = tf.grads(f)(gradIdx.map((k) => xs[k]), dy);
    return { output, grads: gs.map((g: { dataSync(): ArrayLike<number> }) => Array.from(g.dataSync())) };
  });
}

/** TensorFlow.js at float32 (and int/bool), where the case has a tfjs version; documented differences are recorded, not failed. */
export async function tfjsOracle({ c, dtype, env, inputs, upstream, tol, got }: CaseRun): Promise<OracleOutcome> {
  if (!env.tfjs || !c.tfjs || !(dtype === 'float32' || !isFloatDType(dtype))) return {};
  const t = looser(tol, TFJS_TOLERANCE);
  try {
    const tf = await runTfjs(c, dtype, inputs, upstream);
    const actual = tf.grads ? valuesOf(got) : { output: got.output, grads: [] };
    const notes = c.tfjs.noGrad && got.grads.length ? [`tfjs: no gradient taken: ${c.tfjs.noGrad}`] : [];
    return { checks: [check('tfjs', actual, { output: tf.output, grads: tf.grads ?? [] }, t, c.signedZeros, c.tfjs.differs)], notes };
  } catch (e) {
    if (!c.tfjs.differs) return fail('tfjs', `TensorFlow.js oracle threw: ${(e as Error).message}`);
    return { checks: [{ oracle: 'tfjs', cmp: { ok: false, maxAbs: NaN, maxRel: NaN, detail: `threw: ${(e as Error).message}` }, expected: c.tfjs.differs }] };
  }
}
